-- docs/lua.md, the Lua reference, against the module: its method tables
-- (between "<!-- generated: NAME -->" and "<!-- end -->") must be exactly
-- what lockcloud.endpoints() gives, so every generated method is documented
-- with its arguments, request, result and query keys; every method the
-- reference names anywhere must exist, every client method be documented,
-- and its options be the constructor's.
-- Prints the tables to paste in (from the top of the checkout):
--   LUA_PATH="lua/?.lua;;" LUA_CPATH="build/lua/5.4/?.so;;" lua5.4 tests/lua/reference.lua --print
local lockcloud = require "lockcloud"

local rows = lockcloud.endpoints()

local function ids(ep)
    local out = {}
    for id in ep.path:gmatch("/:([%w_]+)") do out[#out + 1] = id end
    return out
end

local function signature(name, ep, last)
    local params = ids(ep)
    params[#params + 1] = last
    return "`" .. name .. "(" .. table.concat(params, ", ") .. ")`"
end

local lasts = { attributes = "attributes", typed = "{type=, attributes=}", document = "document" }

local function method_line(ep)
    local cell, returns
    if ep.collection then
        cell = signature(ep.binding, ep, "[query]") .. ", " .. signature(ep.binding .. "_list", ep, "[query]")
        returns = "iterator; array, meta"
    else
        cell = signature(ep.binding, ep, lasts[ep.body_style])
        returns = ep.no_content and "true" or "data"
    end
    return string.format("| %s | `%s %s` | %s | %s%s |", cell, ep.method, ep.path, returns,
        ep.summary, ep.legacy_v1 and " (LockState v1 only)" or "")
end

local function query_line(ep)
    local keys = {}
    for _, p in ipairs(ep.params) do keys[#keys + 1] = "`" .. p.name .. "` (" .. p.kind .. ")" end
    local sorts = #ep.sorts > 0 and table.concat(ep.sorts, ", ") or "-"
    if ep.default_sort then sorts = sorts .. "; default " .. ep.default_sort end
    return string.format("| `%s` | %s | %s |", ep.binding, table.concat(keys, ", "), sorts)
end

local tables = {
    methods = { "| method | request | returns | summary |", "|---|---|---|---|" },
    queries = { "| collection | query keys (kind) | sorts |", "|---|---|---|" },
}
for _, ep in ipairs(rows) do
    if ep.binding then
        table.insert(tables.methods, method_line(ep))
        if ep.collection then table.insert(tables.queries, query_line(ep)) end
    end
end

if arg and arg[1] == "--print" then
    for _, name in ipairs{ "methods", "queries" } do
        print("<!-- generated: " .. name .. " -->")
        print(table.concat(tables[name], "\n"))
        print("<!-- end -->")
    end
    os.exit(0)
end

local t = require "tap"
local path = (os.getenv("LC_TOP") or ".") .. "/docs/lua.md"
local f = io.open(path, "r")
t.ok(f, "docs/lua.md exists", path)
local doc = f and f:read("*a") or ""
if f then f:close() end

-- the generated tables, line for line
for _, name in ipairs{ "methods", "queries" } do
    local block = doc:match("<!%-%- generated: " .. name .. " %-%->\n(.-)\n?<!%-%- end %-%->")
    local have, want, extra, missing = {}, {}, {}, {}
    for line in (block or ""):gmatch("[^\n]+") do have[#have + 1] = line; have[line] = true end
    for _, line in ipairs(tables[name]) do want[line] = true end
    for _, line in ipairs(tables[name]) do
        if not have[line] then missing[#missing + 1] = "missing: " .. line end
    end
    for _, line in ipairs(have) do
        if not want[line] then extra[#extra + 1] = "not in the catalogue: " .. line end
    end
    t.ok(block and #missing == 0 and #extra == 0 and #have == #tables[name],
        "docs/lua.md's " .. name .. " table is the catalogue's (" .. (#tables[name] - 2) .. " rows)",
        block and table.concat(missing, "\n") .. "\n" .. table.concat(extra, "\n") or "no table",
        "regenerate: see the top of tests/lua/reference.lua")
end

-- every method the reference names exists: `client:NAME(` anywhere, and
-- every `NAME(` heading a line of the method tables
local methods = lockcloud.remotelock_methods
local named, unknown = {}, {}
for name in doc:gmatch("client:([%a_][%w_]*)[%({]") do named[name] = true end
for line in doc:gmatch("[^\n]+") do
    if line:find("^| `[%a_][%w_]*[%({]") then
        for name in line:gmatch("`([%a_][%w_]*)[%({]") do named[name] = true end
    end
end
local count = 0
for name in pairs(named) do
    count = count + 1
    if type(methods[name]) ~= "function" then unknown[#unknown + 1] = name end
end
table.sort(unknown)
t.ok(count > 40 and #unknown == 0, "every method docs/lua.md names exists (" .. count .. " names)",
    "not methods: " .. table.concat(unknown, ", "))

-- and every method a client has is documented (the primitives with a
-- leading underscore are private)
local undocumented = {}
for name, v in pairs(methods) do
    if type(v) == "function" and not name:find("^_") and not named[name] then
        undocumented[#undocumented + 1] = name
    end
end
table.sort(undocumented)
t.ok(#undocumented == 0, "every client method is in docs/lua.md", table.concat(undocumented, ", "))

-- the options of the constructor table are options (a wrong value for
-- each raises about that option, not "unknown option")
local section = doc:match("\n## Constructor\n(.-)\n## ") or ""
local options, not_options = {}, {}
for line in section:gmatch("[^\n]+") do
    local cell = line:match("^| (`[^|]+) |")
    for name in (cell or ""):gmatch("`([%w_]+)`") do options[#options + 1] = name end
end
for _, name in ipairs(options) do
    local o = { client_id = "id", client_secret = "secret" }
    o[name] = {}
    local ok, err = pcall(lockcloud.remotelock, o)
    if ok or not tostring(err):find("option '" .. name .. "' must be", 1, true) then
        not_options[#not_options + 1] = name .. ": " .. tostring(err)
    end
end
t.ok(#options >= 12 and #not_options == 0,
    "every option docs/lua.md's constructor table names is one (" .. #options .. " options)",
    table.concat(not_options, "\n"))
local documented, undocumented_options = {}, {}
for _, name in ipairs(options) do documented[name] = true end
for _, o in ipairs(require("lockcloud.core").options()) do
    if not documented[o.name] then undocumented_options[#undocumented_options + 1] = o.name end
end
t.ok(#undocumented_options == 0, "every option of the constructor is in docs/lua.md",
    table.concat(undocumented_options, ", "))

os.exit(t.done())
