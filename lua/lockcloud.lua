--- lockcloud: cloud access control from Lua (RemoteLock; Lockt later).
--
--   local lockcloud = require "lockcloud"
--   local client = assert(lockcloud.remotelock{ client_id = "...", client_secret = "..." })
--   for guest in client:access_persons{ status = "current" } do print(guest.id) end
--
-- The reference is docs/lua.md: constructor options, conventions, errors,
-- iterators, query tables and every method. The endpoint methods are not
-- written here: they are generated from the core's catalogue
-- (lockcloud.endpoints()), one per row. This file holds how a row becomes a
-- method, the query rules, and the few composite helpers written by hand.

local core = require "lockcloud.core"

local M = {
    null = core.null,
    array = core.array,
    array_mt = core.array_mt,
    error_mt = core.error_mt,
    encode = core.encode,
    decode = core.decode,
    is_error = core.is_error,
    version = core.version,
    max_depth = core.max_depth,
}

local type, pairs, ipairs, tostring, error = type, pairs, ipairs, tostring, error
local select, getmetatable, setmetatable, next = select, getmetatable, setmetatable, next
local sort, concat, floor = table.sort, table.concat, math.floor
local format = string.format

---------------------------------------------------------------- arguments

-- Programmer errors blame the caller's line: the first stack frame outside
-- this file (helpers here nest to different depths).
local getinfo = debug and debug.getinfo
-- (this file and the helper modules it installs, lockcloud/*.lua)
local own_sources = { [getinfo and getinfo(1, "S").source or "?"] = true }
local function raise(msg)
    local level = 2
    while getinfo do
        local info = getinfo(level, "S")
        -- (Lua 5.1 lists tail calls as frames of their own)
        if info == nil or (not own_sources[info.source] and info.what ~= "tail") then break end
        level = level + 1
    end
    error(msg, level)
end

-- Calls a C primitive; a programmer error it raises (a string that
-- luaL_error prefixed with this file's position) is raised again at the
-- caller's line. Runtime failures come back as nil, err and pass through.
local function rethrow(ok, ...)
    if ok then return ... end
    local msg = ...
    if type(msg) == "string" then
        raise((msg:gsub("^[^\n]-:%d+: (lockcloud)", "%1", 1)))
    end
    error(msg, 0)
end

local function prim(f, ...)
    return rethrow(pcall(f, ...))
end

local function argerror(fname, n, msg)
    raise(format("bad argument #%d to '%s' (%s)", n, fname, msg))
end

local function check_id(v, fname, n)
    if type(v) ~= "string" or v == "" then
        argerror(fname, n, "non-empty id string expected, got " ..
            (v == "" and "empty string" or type(v)))
    end
    if v:find("\0", 1, true) then argerror(fname, n, "id holds a NUL byte") end
    return v
end

-- A string argument that reaches C whole (no NUL).
local function check_text(v, fname, n, what)
    if type(v) ~= "string" then argerror(fname, n, what .. " expected, got " .. type(v)) end
    if v:find("\0", 1, true) then argerror(fname, n, what .. " holds a NUL byte") end
    return v
end

local function check_table(v, fname, n, optional)
    if v == nil and optional then return v end
    if type(v) ~= "table" then
        argerror(fname, n, "table expected, got " .. type(v))
    end
    return v
end

---------------------------------------------------------------- queries

local math_type = math.type -- nil before 5.3

local function number_text(v)
    -- an integer (5.3+) as it is: through a double, 2^53 + 1 became 2^53
    if math_type and math_type(v) == "integer" then return format("%d", v) end
    -- NaN and infinities have no meaning in a query or a path: "inf" and
    -- "nan" would be sent as if they were values.
    if v ~= v or v == math.huge or v == -math.huge then
        raise("lockcloud: a query value or path argument cannot be NaN or infinite")
    end
    if v == floor(v) and v > -2^53 and v < 2^53 then
        return format("%d", v)
    end
    return format("%.17g", v)
end

-- Text for an error message: control characters (NUL among them) as '?'.
local function printable(s)
    return (tostring(s):gsub("%c", "?"))
end

-- Strings reach C, which would stop reading at a NUL: "X\0..." must not act
-- on X, so a NUL anywhere is a programmer error.
local function has_nul(s)
    return s:find("\0", 1, true) ~= nil
end

local function is_sequence(t)
    if getmetatable(t) == core.array_mt then return true end
    local n = #t
    if n == 0 then return false end
    for k in pairs(t) do
        if type(k) ~= "number" or k < 1 or k > n or k ~= floor(k) then
            return false
        end
    end
    return true
end

local function sorted_keys(t, what)
    local keys = {}
    for k in pairs(t) do
        if type(k) ~= "string" then
            raise(format("lockcloud: %s keys must be strings, got %s", what, type(k)))
        end
        keys[#keys + 1] = k
    end
    sort(keys)
    return keys
end

-- allow_empty: an empty table adds nothing (attributes = {}: no filter).
-- Anywhere else an empty table is an empty list of wanted values, which a
-- query cannot say: the key would vanish and the API answer every item.
local function add_param(out, key, v, depth, allow_empty)
    local t = type(v)
    if has_nul(key) or (t == "string" and has_nul(v)) then
        raise(format("lockcloud: query parameter '%s' holds a NUL byte", printable(key)))
    end
    if t == "table" and next(v) == nil and not allow_empty then
        raise(format("lockcloud: query parameter '%s' is an empty list: the API would " ..
            "answer every item (skip the call when nothing is wanted)", printable(key)))
    end
    if t == "string" then
        out[#out + 1] = key; out[#out + 1] = v
    elseif t == "number" then
        out[#out + 1] = key; out[#out + 1] = number_text(v)
    elseif t == "boolean" then
        out[#out + 1] = key; out[#out + 1] = tostring(v)
    elseif t == "table" and depth < 8 then
        if is_sequence(v) then
            for i = 1, #v do add_param(out, key .. "[]", v[i], depth + 1) end
        else
            for _, k in ipairs(sorted_keys(v, "query")) do
                add_param(out, key .. "[" .. k .. "]", v[k], depth + 1)
            end
        end
    else
        raise(format("lockcloud: query parameter '%s' cannot be %s", key,
            t == "table" and "nested this deep" or "a " .. t))
    end
end

-- Edit distance with adjacent transpositions ("stauts" is 1 from "status").
local function edit_distance(a, b)
    local d = {}
    for i = 0, #a do d[i] = { [0] = i } end
    for j = 0, #b do d[0][j] = j end
    for i = 1, #a do
        for j = 1, #b do
            local cost = a:byte(i) == b:byte(j) and 0 or 1
            local v = math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a:byte(i) == b:byte(j - 1) and a:byte(i - 1) == b:byte(j) then
                v = math.min(v, d[i - 2][j - 2] + 1)
            end
            d[i][j] = v
        end
    end
    return d[#a][#b]
end

-- "; did you mean 'x'?" for a near miss of a name in the set, else "".
local function did_you_mean(set, s)
    local best, best_d
    for known in pairs(set) do
        local dist = edit_distance(s, known)
        if dist <= 2 and dist < #known and (not best_d or dist < best_d or
            (dist == best_d and known < best)) then
            best, best_d = known, dist
        end
    end
    return best and format("; did you mean '%s'?", best) or ""
end

-- The query keys of one endpoint, for the error that names them.
local function key_list(keys, paged)
    local list = {}
    for k in pairs(keys) do list[#list + 1] = k end
    list[#list + 1] = "per_page"
    if not paged then list[#list + 1] = "page" end
    sort(list)
    return concat(list, ", ")
end

-- sort = "name" or "-name" (descending), or a sequence of them; each
-- among the attributes the endpoint sorts by (the API would ignore another
-- and answer in its default order).
local function check_sort(row, v)
    local list = v
    if type(v) ~= "table" then
        list = { v }
    elseif next(v) ~= nil and not is_sequence(v) then
        raise(format("lockcloud: sort of %s takes an attribute name or a sequence of them",
            row.what))
    end
    for i = 1, #list do
        local s = list[i]
        local t = type(s)
        -- (a NUL raises in add_param: it would cut the value in C)
        if (t == "string" and not has_nul(s)) or t == "number" or t == "boolean" then
            local attr = tostring(s):gsub("^%-", "", 1)
            if not row.sorts[attr] then
                local by = row.ep.sorts
                raise(format("lockcloud: %s cannot sort by '%s' (it sorts by: %s; " ..
                    "'-%s' sorts descending%s)", row.what, printable(s),
                    #by > 0 and concat(by, ", ") or "nothing", by[1] or "name",
                    did_you_mean(row.sorts, attr)))
            end
        end
    end
end

-- type = "access_guest" or a sequence of them, each among the types the
-- collection documents: the API answers an unknown type with no items.
local function check_types(row, v)
    local list = type(v) == "table" and v or { v }
    for i = 1, #list do
        local ty = list[i]
        if type(ty) == "string" and not row.types[ty] then
            raise(format("lockcloud: %s has no type '%s' (its types: %s%s)", row.what,
                printable(ty), concat(row.ep.types, ", "), did_you_mean(row.types, ty)))
        end
    end
end

-- Query table -> flat {key, value, key, value, ...} for the core, plus the
-- page size pulled out for pagers. A row that lists its query keys (every
-- collection) takes those and no other: the API ignores keys it does not
-- know and would answer every item instead of a filtered few. Without a
-- row (an endpoint call() does not know) or keys (a member endpoint),
-- every key passes: the raw escape hatch.
local function build_query(q, paged, row)
    if q == nil then return nil, nil end
    local keys = row and row.checked and row.keys
    local where = row and row.what .. ": " or "" -- names the endpoint in errors
    local out, per_page = {}, nil
    for _, k in ipairs(sorted_keys(q, "query")) do
        local v = q[k]
        local kind = keys and keys[k]
        if k == "per_page" and paged then
            if type(v) ~= "number" or v ~= floor(v) or v < 1 or v > 50 then
                raise(format("lockcloud: %sper_page must be an integer from 1 to 50", where))
            end
            per_page = floor(v)
        elseif k == "page" and paged then
            local ids = row and row.nargs > 0 and concat(row.ids, ", ") or "nil"
            raise(format("lockcloud: %siterators fetch every page, so query key 'page' is " ..
                "not taken (per_page sets the page size; call('%s', %s, {page = N}) " ..
                "fetches one page)", where, row and row.ep.name or "name", ids))
        elseif keys and not kind and k ~= "per_page" and k ~= "page" then
            local hint = did_you_mean(keys, k)
            if k == "sort" then
                -- not an attribute: this collection has no order to choose
                hint = "; it offers no sort: the API answers in its own order"
            elseif hint == "" and keys.attributes then
                hint = format("; filter on an attribute with attributes = {%s = ...}", printable(k))
            end
            raise(format("lockcloud: %s does not take query key '%s' (it takes: %s%s)",
                row.what, printable(k), key_list(keys, paged), hint))
        elseif kind == "status" or (not keys and k == "status") then
            add_param(out, "attributes[status]", type(v) == "table" and v or { v }, 1)
        elseif kind == "nested" then
            if type(v) ~= "table" or is_sequence(v) then
                raise(format("lockcloud: query key '%s' of %s takes a table of attribute " ..
                    "filters (%s = {location_id = id}), got %s", k, row.what, k, type(v)))
            end
            add_param(out, k, v, 1, true)
        elseif kind == "scalar" and type(v) == "table" then
            raise(format("lockcloud: query key '%s' of %s takes one value, got a table",
                k, row.what))
        else
            if kind == "sort" then check_sort(row, v) end
            if k == "type" and kind == "list" and row.types then check_types(row, v) end
            add_param(out, k, v, 1, not keys and k == "attributes")
        end
    end
    return out, per_page
end

local function path_args(args, fname)
    if args == nil then return nil end
    if type(args) == "string" then args = { args } end
    check_table(args, fname, 2)
    local out = {}
    for i = 1, #args do
        local a = args[i]
        if type(a) == "number" then a = number_text(a) end
        if type(a) ~= "string" then
            raise(format("lockcloud: path argument %d must be a string, got %s", i, type(a)))
        end
        if has_nul(a) then
            raise(format("lockcloud: path argument %d holds a NUL byte", i))
        end
        out[i] = a
    end
    return out
end

---------------------------------------------------------------- results and pagers

-- A member answer -> its data table (the document when it has none), or
-- true for 204; a row that answers 204 gives true.
local function result(row, doc, err)
    if doc == nil then return nil, err end
    if doc == true or row.ep.no_content then return true end
    if doc.data == nil then return doc end
    return doc.data
end

local function step(pager)
    local item, err = prim(pager.next, pager)
    if err ~= nil then error(err, 0) end
    return item
end

local function open_pager(self, name, row, args, query, fname, query_arg)
    local q, per_page = build_query(check_table(query, fname, query_arg, true), true, row)
    local pager, err = prim(self._pager, self, name, args, q, per_page)
    if not pager then error(err, 0) end
    return pager
end

local function iterate(pager)
    -- the 4th value is Lua 5.4's to-be-closed slot: break closes the pager
    return step, pager, nil, pager
end

local function collect(pager)
    local out = M.array()
    while true do
        local item, err = pager:next()
        if err ~= nil then pager:close(); return nil, err end
        if item == nil then break end
        out[#out + 1] = item
    end
    local meta = pager:meta()
    pager:close()
    return out, meta
end

---------------------------------------------------------------- methods from rows

local kinds = { list = true, status = true, sort = true, nested = true, scalar = true }

-- A catalogue row with what its method needs: query keys (name -> kind),
-- sortable attributes as a set, path parameter names, the signature shown
-- in argument errors and how errors name the endpoint.
local function prepare(ep)
    local row = { ep = ep, keys = {}, sorts = {}, ids = {},
                  what = format("%s (%s %s)", ep.binding or ep.name, ep.method, ep.path) }
    for _, p in ipairs(ep.params) do
        if not kinds[p.kind] then
            error(format("lockcloud: %s: query key '%s' has a kind this module does not know (%s)",
                ep.name, p.name, p.kind))
        end
        row.keys[p.name] = p.kind
    end
    for _, s in ipairs(ep.sorts) do row.sorts[s] = true end
    -- a collection that documents its types filters by those alone
    if ep.collection and #ep.types > 0 then
        row.types = {}
        for _, ty in ipairs(ep.types) do row.types[ty] = true end
    end
    for id in ep.path:gmatch("/:([%w_]+)") do row.ids[#row.ids + 1] = id end
    row.nargs = #row.ids
    row.checked = ep.collection or next(row.keys) ~= nil
    local last = ep.collection and "[query]" or
        ({ attributes = "attributes", typed = "{type=, attributes=}", document = "document" })
            [ep.body_style]
    local params = {}
    for i, id in ipairs(row.ids) do params[i] = id end
    params[#params + 1] = last
    row.signature = "(" .. concat(params, ", ") .. ")"
    return row
end

-- The ids a generated method takes first, checked, as the path arguments
-- (nil when none); a value past the last parameter raises (a forgotten
-- table of attributes on a getter would be ignored otherwise).
local function take_ids(fname, row, nparams, ...)
    local args = nil
    for i = 1, row.nargs do
        args = args or {}
        args[i] = check_id((select(i, ...)), fname, i)
    end
    for i = nparams + 1, select("#", ...) do
        if select(i, ...) ~= nil then
            argerror(fname, i, "no value expected: " .. fname .. row.signature)
        end
    end
    return args
end

-- Request bodies by the row's body style, from the argument after the ids.
local bodies = {
    attributes = function(fname, _, n, attributes)
        return { attributes = check_table(attributes, fname, n) }
    end,
    typed = function(fname, row, n, spec)
        check_table(spec, fname, n)
        for k in pairs(spec) do
            if k ~= "type" and k ~= "attributes" then
                argerror(fname, n, "unknown field '" .. printable(k) .. "'")
            end
        end
        if type(spec.type) ~= "string" then
            argerror(fname, n, "field 'type' must be a string")
        elseif has_nul(spec.type) then
            argerror(fname, n, "field 'type' is a string holding a NUL byte")
        end
        local types = row.ep.types
        local known = #types == 0
        for _, t in ipairs(types) do known = known or t == spec.type end
        if not known then
            argerror(fname, n, format("field 'type' must be one of: %s; got '%s'",
                concat(types, ", "), printable(spec.type)))
        end
        check_table(spec.attributes, fname, n)
        return { type = spec.type, attributes = spec.attributes }
    end,
    document = function(fname, _, n, document)
        return check_table(document, fname, n)
    end,
}

local function define(methods, fname, f, ep)
    if methods[fname] ~= nil then
        error(format("lockcloud: %s: method '%s' is defined twice", ep.name, fname))
    end
    methods[fname] = f
end

-- The method(s) of one row: a collection gives an iterator and a _list
-- variant, anything else one call taking the path ids, then the body.
local function generate(methods, row)
    local ep, fname, nargs = row.ep, row.ep.binding, row.nargs
    if fname == nil then return end -- reachable through call() only
    if ep.collection then
        local list_name = fname .. "_list"
        local function open(self, caller, ...)
            local args = take_ids(caller, row, nargs + 1, ...)
            return open_pager(self, ep.name, row, args, (select(nargs + 1, ...)), caller, nargs + 1)
        end
        define(methods, fname, function(self, ...) return iterate(open(self, fname, ...)) end, ep)
        define(methods, list_name, function(self, ...) return collect(open(self, list_name, ...)) end, ep)
        return
    end
    local body = bodies[ep.body_style]
    if ep.body_style ~= "none" and not body then
        error(format("lockcloud: %s: body style '%s' is unknown to this module", ep.name, ep.body_style))
    end
    local nparams = nargs + (body and 1 or 0)
    define(methods, fname, function(self, ...)
        local args = take_ids(fname, row, nparams, ...)
        local doc = body and body(fname, row, nparams, (select(nparams, ...)))
        return result(row, prim(self._call, self, ep.name, args, nil, doc))
    end, ep)
end

---------------------------------------------------------------- vendors

-- The method table of one vendor's clients: the C primitives, the generic
-- calls by endpoint name, and one generated method (two for a collection)
-- per catalogue row.
local function vendor_methods(vendor)
    local methods, rows = {}, {}
    for k, v in pairs(core.client_methods) do methods[k] = v end

    -- The row of an endpoint name; an unknown name raises, suggesting the
    -- name meant (a near miss, or the row of a method name: "devices_list").
    local function row_named(name, fname)
        check_text(name, fname, 1, "endpoint name")
        if rows[name] then return rows[name] end
        local hint = did_you_mean(rows, name)
        for n, row in pairs(rows) do
            local b = row.ep.binding
            if hint == "" and b and (b == name or (row.ep.collection and b .. "_list" == name)) then
                hint = format("; did you mean '%s'?", n)
            end
        end
        raise(format("lockcloud: unknown endpoint '%s' (lockcloud.endpoints() lists each " ..
            "endpoint's name%s)", printable(name), hint))
    end

    --- call(endpoint_name, path_args, query, body) -> document | true | nil, err
    function methods:call(name, args, query, body)
        local row = row_named(name, "call")
        local q = build_query(check_table(query, "call", 3, true), false, row)
        -- the whole document: bare attributes would be ignored by the API
        local style = row.ep.body_style
        if type(body) == "table" and (style == "attributes" or style == "typed") and
            type(body.attributes) ~= "table" then
            argerror("call", 4, format("%s takes the whole document, %s; got no " ..
                "'attributes' table", row.what, style == "typed" and
                "{type = ..., attributes = {...}}" or "{attributes = {...}}"))
        end
        return prim(self._call, self, name, path_args(args, "call"), q, body)
    end

    --- each(endpoint_name, path_args, query): iterate any collection
    function methods:each(name, args, query)
        local row = row_named(name, "each")
        return iterate(open_pager(self, name, row, path_args(args, "each"), query, "each", 3))
    end

    --- list(endpoint_name, path_args, query) -> array, meta | nil, err
    function methods:list(name, args, query)
        local row = row_named(name, "list")
        return collect(open_pager(self, name, row, path_args(args, "list"), query, "list", 3))
    end

    --- request(method, path, body) -> document | true | nil, err (raw)
    function methods:request(method, path, body)
        check_text(method, "request", 1, "method string")
        if type(path) ~= "string" or path:sub(1, 1) ~= "/" then
            argerror("request", 2, "path starting with '/' expected")
        end
        check_text(path, "request", 2, "path")
        return prim(self._request, self, method, path, body)
    end

    for _, ep in ipairs(core.endpoints(vendor)) do
        local row = prepare(ep)
        rows[ep.name] = row
        generate(methods, row)
    end
    return methods
end

-- Each client finds its vendor's method table through the one client
-- metatable (a client made by core.new alone has the primitives).
local methods_of = setmetatable({}, { __mode = "k" }) -- client -> its vendor's table
local primitives = core.client_methods
core.client_mt.__index = function(client, k)
    return (methods_of[client] or primitives)[k]
end

--- lockcloud.<vendor>{...} -> client | nil, err. Unknown, missing or
-- mistyped options raise.
local function constructor(vendor, methods)
    return function(options)
        if type(options) ~= "table" then
            raise(format("bad argument #1 to '%s' (options table expected, got %s)",
                vendor, type(options)))
        end
        local client, err = prim(core.new, options, vendor) -- sets lc_config.vendor
        if client then methods_of[client] = methods end
        return client, err
    end
end

--- lockcloud.endpoints([vendor]) -> the catalogue with its metadata
function M.endpoints(vendor)
    return prim(core.endpoints, vendor)
end

---------------------------------------------------------------- RemoteLock

local remotelock = vendor_methods("remotelock")

--- create_guest{name = ..., starts_at = "2026-03-10T15:00:00", ends_at = ..., pin = ...}
-- starts_at/ends_at carry no zone: they are read in the lock's time zone.
function remotelock:create_guest(attributes)
    check_table(attributes, "create_guest", 1)
    -- a UTC or offset time would be read as local time, off by hours
    for _, k in ipairs{ "starts_at", "ends_at" } do
        local v = attributes[k]
        if type(v) == "string" and (v:find("[Zz]$") or v:find("T[%d:.]+[+-]%d%d:?%d%d$")) then
            argerror("create_guest", 1, format("%s '%s' carries a zone: the API reads %s as a " ..
                "local time in the lock's time zone; pass it like '2026-03-10T15:00:00' " ..
                "(lockcloud.local_time(time_zone, utc_seconds) converts a UTC time)",
                k, printable(v), k))
        end
    end
    return self:create_access_person{ type = "access_guest", attributes = attributes }
end

--- create_user{name = ..., pin = ..., email = ...}
function remotelock:create_user(attributes)
    check_table(attributes, "create_user", 1)
    return self:create_access_person{ type = "access_user", attributes = attributes }
end

---------------------------------------------------------------- helper modules

-- What the helper modules (lua/lockcloud/*.lua) share with this file.
local util = {
    raise = raise, argerror = argerror, check_id = check_id, check_table = check_table,
    check_text = check_text, printable = printable, edit_distance = edit_distance,
}

-- A server's value for a message: a string as printable text (no control
-- bytes, at most 200 characters), a number as it is, anything else as its
-- type in angle brackets (not "table: 0x...").
function util.server_text(v)
    if type(v) == "number" then return tostring(v) end
    if type(v) ~= "string" then return "<" .. type(v) .. ">" end
    if #v > 200 then v = v:sub(1, 200) .. "..." end
    return printable(v)
end

-- An options table whose keys must all be known: an unknown one (a typo)
-- raises naming it and the accepted ones, as the constructor does.
function util.check_keys(opts, fname, n, accepted)
    if opts == nil then return opts end
    check_table(opts, fname, n)
    for k in pairs(opts) do
        local known = false
        for _, a in ipairs(accepted) do if k == a then known = true break end end
        if not known then
            argerror(fname, n, format("unknown option '%s' (accepted: %s)", printable(k),
                concat(accepted, ", ")))
        end
    end
    return opts
end

-- A runtime failure of a helper as an error object (tostring renders it).
function util.fail(kind, message)
    return setmetatable({ kind = kind, message = message }, core.error_mt)
end

-- The catalogue name of an endpoint by method and path (nil when the
-- catalogue lacks it), so helpers use rows by what they do, not by name.
local by_path = {}
for _, ep in ipairs(core.endpoints("remotelock")) do by_path[ep.method .. " " .. ep.path] = ep.name end
function util.endpoint(method, path) return by_path[method .. " " .. path] end

-- Calls the endpoint METHOD PATH (":x" segments filled from ids in order):
-- through its catalogue row when there is one, else as a raw request.
function util.call_path(client, method, path, ids, body)
    local name = util.endpoint(method, path)
    if name then return client:call(name, ids, nil, body) end
    local i = 0
    local concrete = path:gsub(":[%w_]+", function()
        i = i + 1
        -- an id stays one path segment, whatever it holds
        local seg = check_id(ids[i], "call_path", i):gsub("[^%w%-%._~]", function(c)
            return format("%%%02X", c:byte())
        end)
        -- "." and ".." would be removed as dot segments (by libcurl too)
        if seg == "." or seg == ".." then seg = seg:gsub("%.", "%%2E") end
        return seg
    end)
    return client:request(method, concrete, body)
end

for _, name in ipairs{ "time", "sched", "csv", "rental", "watch" } do
    local install = require("lockcloud." .. name)
    if getinfo then own_sources[getinfo(install, "S").source] = true end
    install(M, util, remotelock)
end

M._util = util -- for the tests of the helper modules
M.remotelock_methods = remotelock
M.client_methods = remotelock -- the name before there were vendors
M.remotelock = constructor("remotelock", remotelock)

return M
