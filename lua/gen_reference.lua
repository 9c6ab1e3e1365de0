--- Writes the Lua reference: the prose of docs/lua.md.in with its method and
-- query tables generated from the catalogue (lockcloud.endpoints()), one
-- line per row, between "<!-- generated: NAME -->" and "<!-- end -->".
--   lua5.4 lua/gen_reference.lua docs/lua.md.in > build/doc/lua.md
-- (lua/build.mk runs it; docs/lua.md is its output kept in git.)
-- As a library (dofile): tables() -> {methods = lines, queries = lines},
-- render(template_text) -> the reference text.
local lockcloud = require "lockcloud"

local G = {}

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

-- (a "|" in a summary would split the table cell)
local function cell(s) return (tostring(s):gsub("|", "\\|")) end

local function method_line(ep)
    local call, returns
    if ep.collection then
        call = signature(ep.binding, ep, "[query]") .. ", " .. signature(ep.binding .. "_list", ep, "[query]")
        returns = "iterator; array, meta"
    else
        call = signature(ep.binding, ep, lasts[ep.body_style])
        returns = ep.no_content and "true" or "data"
    end
    return string.format("| %s | `%s %s` | %s | %s%s |", call, ep.method, ep.path, returns,
        cell(ep.summary), ep.legacy_v1 and " (LockState v1 only)" or "")
end

local function query_line(ep)
    local keys = {}
    for _, p in ipairs(ep.params) do keys[#keys + 1] = "`" .. p.name .. "` (" .. p.kind .. ")" end
    local sorts = #ep.sorts > 0 and table.concat(ep.sorts, ", ") or "-"
    if ep.default_sort then sorts = sorts .. "; default " .. ep.default_sort end
    return string.format("| `%s` | %s | %s |", ep.binding, table.concat(keys, ", "), sorts)
end

function G.tables()
    local t = {
        methods = { "| method | request | returns | summary |", "|---|---|---|---|" },
        queries = { "| collection | query keys (kind) | sorts |", "|---|---|---|" },
    }
    for _, ep in ipairs(lockcloud.endpoints()) do
        if ep.binding then
            table.insert(t.methods, method_line(ep))
            if ep.collection then table.insert(t.queries, query_line(ep)) end
        end
    end
    return t
end

--- The template with each generated block filled in; raises when the
-- template names a block this generator does not make, or lacks one.
function G.render(template)
    local t, used = G.tables(), {}
    local out = template:gsub("(<!%-%- generated: ([%w_]+) %-%->\n).-(<!%-%- end %-%->)",
        function(open, name, close)
            if not t[name] then error("gen_reference: unknown generated block '" .. name .. "'") end
            used[name] = true
            return open .. table.concat(t[name], "\n") .. "\n" .. close
        end)
    for name in pairs(t) do
        if not used[name] then error("gen_reference: the template has no '" .. name .. "' block") end
    end
    return out
end

if arg and arg[0] and arg[0]:match("gen_reference%.lua$") and arg[1] then
    local f = assert(io.open(arg[1], "r"))
    local template = f:read("*a")
    f:close()
    io.write(G.render(template))
    return
end
return G
