-- docs/lua.md, the Lua reference, against the module: it must be exactly
-- what lua/gen_reference.lua makes of docs/lua.md.in (the prose) and
-- lockcloud.endpoints() (the method and query tables, between
-- "<!-- generated: NAME -->" and "<!-- end -->"), so every generated method
-- is documented with its arguments, request, result and query keys; every
-- method the reference names anywhere must exist, every client method be
-- documented, and its options be the constructor's.
-- Regenerate docs/lua.md after a catalogue or template change:
--   make BUILD=build lua-doc-update
-- Prints the generated tables (from the top of the checkout):
--   LUA_PATH="lua/?.lua;;" LUA_CPATH="build/lua/5.4/?.so;;" lua5.4 tests/lua/reference.lua --print
local lockcloud = require "lockcloud"
local top = os.getenv("LC_TOP") or "."
local gen = dofile(top .. "/lua/gen_reference.lua")
local tables = gen.tables()

if arg and arg[1] == "--print" then
    for _, name in ipairs{ "methods", "queries" } do
        print("<!-- generated: " .. name .. " -->")
        print(table.concat(tables[name], "\n"))
        print("<!-- end -->")
    end
    os.exit(0)
end

local t = require "tap"
local function slurp(path)
    local f = io.open(path, "r")
    if not f then return nil end
    local s = f:read("*a")
    f:close()
    return s
end
local path = top .. "/docs/lua.md"
local doc = slurp(path)
t.ok(doc, "docs/lua.md exists", path)
doc = doc or ""

-- the whole file is the generator's output (template + catalogue)
local template = slurp(top .. "/docs/lua.md.in")
t.ok(template, "docs/lua.md.in exists")
local want = template and gen.render(template) or ""
local first_diff
if want ~= doc then
    local n = 0
    local wl, dl = {}, {}
    for line in (want .. "\n"):gmatch("(.-)\n") do wl[#wl + 1] = line end
    for line in (doc .. "\n"):gmatch("(.-)\n") do dl[#dl + 1] = line end
    repeat n = n + 1 until wl[n] ~= dl[n]
    first_diff = string.format("first difference at line %d:\n  docs/lua.md: %s\n  generated:   %s",
        n, tostring(dl[n]), tostring(wl[n]))
end
t.ok(want == doc, "docs/lua.md is what lua/gen_reference.lua makes of docs/lua.md.in and the catalogue",
    first_diff, "regenerate: make BUILD=<build> lua-doc-update")

-- the generated tables, line for line (names the rows that differ)
for _, name in ipairs{ "methods", "queries" } do
    local block = doc:match("<!%-%- generated: " .. name .. " %-%->\n(.-)\n?<!%-%- end %-%->")
    local have, wanted, extra, missing = {}, {}, {}, {}
    for line in (block or ""):gmatch("[^\n]+") do have[#have + 1] = line; have[line] = true end
    for _, line in ipairs(tables[name]) do wanted[line] = true end
    for _, line in ipairs(tables[name]) do
        if not have[line] then missing[#missing + 1] = "missing: " .. line end
    end
    for _, line in ipairs(have) do
        if not wanted[line] then extra[#extra + 1] = "not in the catalogue: " .. line end
    end
    t.ok(block and #missing == 0 and #extra == 0 and #have == #tables[name],
        "docs/lua.md's " .. name .. " table is the catalogue's (" .. (#tables[name] - 2) .. " rows)",
        block and table.concat(missing, "\n") .. "\n" .. table.concat(extra, "\n") or "no table",
        "regenerate: make BUILD=<build> lua-doc-update")
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
