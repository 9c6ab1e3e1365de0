--- lockcloud: RemoteLock access control (OAuth 2.0, JSON:API) from Lua.
--
--   local lockcloud = require "lockcloud"
--   local client = assert(lockcloud.remotelock{
--       client_id = "...", client_secret = "...",     -- required
--       api_url = "https://api.remotelock.com",        -- default
--       auth_url = "https://connect.remotelock.com",   -- default
--       cafile = "/path/ca.pem",
--       token_file = "/var/lib/app/tokens",   -- in a directory only you can write
--       timeout = 30, connect_timeout = 5,             -- seconds
--       proxy = nil, user_agent = nil, allow_http = false, -- (http: loopback tests only)
--       max_response_bytes = 16777216,                  -- cap on one answer (default 16 MiB)
--   })
--   for guest in client:access_persons{ status = {"current", "upcoming"},
--                                        type = "access_guest", per_page = 10 } do
--       print(guest.id, guest.attributes.name)
--   end
--
-- Runs on Lua 5.1, 5.2, 5.3, 5.4 and LuaJIT; the C module lockcloud.core is
-- built for each version separately (`make install LUA_VERSION=5.1|...|jit`).
--
-- Methods (ids are strings; "attrs" are API attribute tables)
--   resource -> data table | nil, err:
--     access_person(id)  create_access_person{type=, attributes=}
--     create_guest(attrs)  create_user(attrs)  update_access_person(id, attrs)
--     deactivate_access_person(id)  access(person_id, access_id)
--     grant_access(person_id, {accessible_type=, accessible_id=, ...})
--     update_access(person_id, access_id, attrs)  device(id)
--     lock(id) / unlock(id) (lock or unlock the device; the updated device)
--     location(id)  event(id)
--   true | nil, err: delete_access_person(id)  revoke_access(person_id, access_id)
--     authenticate() (client_credentials)  auth_code(code, redirect_uri)
--     refresh()  revoke()
--   iterators (see below): access_persons{q}  accesses(person_id, {q})
--     devices{q}  locations{q}  events{q}  notifications{q}
--     each(endpoint_name, path_args, {q})
--   array, meta | nil, err: the same with a _list suffix (access_persons_list{q},
--     accesses_list(person_id, {q}), ...) and list(endpoint_name, path_args, {q})
--   whole document | true (204) | nil, err:
--     call(endpoint_name, path_args, {q}, body)  request(method, path, body)
--   rate_limit() -> limit, remaining, reset_epoch (nil when not yet known)
--   set_deadline(seconds): overall deadline for what follows; 0 clears
--   close(), is_closed()
--   lockcloud.endpoints() -> the catalogue, an array of {name=, method=,
--     path=, summary=, collection=, body=, no_content=}; call/each/list
--     take the names (e.g. "access_persons.list").
--
-- Conventions
--  * Runtime failures (network, TLS, timeouts, HTTP and API errors, rate
--    limits, auth, malformed or ambiguous answers) return `nil, err`.
--    Programmer errors (wrong argument types, unknown options, endpoints or
--    query keys, values JSON cannot carry, use after close) raise a string
--    that names the caller's line.
--  * A string holding a NUL byte raises wherever it would go into C (options,
--    ids, path arguments, endpoint names, query keys and values, request
--    method and path, JSON strings and keys in bodies and encode()): C would
--    read only the part before the NUL, so "X\0..." would act on X. Likewise
--    a string or key that is not valid UTF-8 raises when it would be sent
--    as JSON (bodies, encode()).
--  * `err` is a table: kind ("transport", "tls", "timeout", "http",
--    "api-resource", "api-general", "rate-limited", "auth", "parse", "nomem",
--    "io"), status (HTTP status or nil), message, request (which request
--    failed, e.g. "GET /devices/:id", or nil), ambiguous (true when a parse
--    error is a duplicate key, NUL or invalid UTF-8 in a string or key, else nil), type
--    (API error type or nil), retry_after (seconds or nil), rate_limit_reset
--    (epoch or nil), errors (the API's per-attribute errors, e.g.
--    {{attribute = "name", messages = {"can't be blank"}, ...}}, or nil).
--    tostring(err) renders "lockcloud: KIND (HTTP STATUS): MESSAGE (retry
--    after N s)", leaving out what the message already says.
--    lockcloud.is_error(v) tells error objects apart; messages never hold
--    secrets.
--  * JSON mapping: objects are tables, arrays are sequences carrying
--    lockcloud.array_mt (lockcloud.array{} makes an empty array that encodes
--    as []; an empty plain table encodes as {}), JSON null is lockcloud.null,
--    integral numbers up to 2^53 are integers (Lua 5.3+; beyond, and -0,
--    floats: what decode gives, encode takes back), ids and timestamps are
--    strings. Cyclic or over-deep (lockcloud.max_depth levels of tables)
--    tables raise. lockcloud.encode(v) / lockcloud.decode(s) expose the same
--    mapping; decode reads with the library's own strict reader, so it
--    refuses (nil, err of kind "parse") exactly what API answers may not
--    hold: trailing data after the document, a key given twice in one
--    object, NUL or invalid UTF-8 in a string or key, more than 16 MiB or
--    max_depth levels.
--
-- Iterators and errors
--  Iterators fetch pages lazily (per_page = 1..50 sets the page size). An
--  iterator never ends silently on a failure: it RAISES the error object
--  (the same table `nil, err` would return), so a loop either sees every
--  item or the error reaches pcall:
--      local ok, err = pcall(function()
--          for d in client:devices() do ... end
--      end)
--      if not ok then print(err.kind, err) end
--  When you prefer `nil, err`, use the _list variant, which fetches every
--  page and returns an array and the last page's meta:
--      local list, err = client:devices_list()
--  On Lua 5.4 a loop left by break or error closes its pager at once (the
--  iterator returns a to-be-closed value); elsewhere the GC does it.
--
-- Query tables: each collection takes the keys its API endpoint documents
-- (table `collections` below) and raises on any other, naming the endpoint
-- and its keys: the API ignores unknown keys and would answer everything.
--   access_persons  type, status, sort, id, attributes
--   accesses        id, attributes
--   devices         type, sort, id, attributes
--   locations       sort, id, attributes
--   events          type, sort, id, attributes
--   notifications   id, attributes
-- plus per_page (page size of iterators, 1..50); call() also takes page.
-- status = "x" or {...} becomes attributes[status][]=... (repeated); other
-- values pass as they are (strings, numbers, booleans), sequences as
-- repeated key[]= (id = {a, b} gives id[]=a&id[]=b), and `attributes`
-- takes a table of attribute filters: attributes = {publisher_id = id}
-- gives attributes[publisher_id]=id. sort = "name" or "-name" (descending).
-- An empty list (id = {}, status = {}) raises: no query can say "none of
-- them", and without the key the API would answer every item.
-- call()/each()/list() check the same keys for these endpoints and pass
-- any key for endpoints not described here.
--
-- Client lifetime: client:close(), garbage collection and <close> share one
-- idempotent destructor; any call after close() raises. A client belongs to
-- one OS thread at a time; coroutines of that thread may share it.

local core = require "lockcloud.core"

local M = {
    null = core.null,
    array = core.array,
    array_mt = core.array_mt,
    error_mt = core.error_mt,
    encode = core.encode,
    decode = core.decode,
    is_error = core.is_error,
    endpoints = core.endpoints,
    version = core.version,
    max_depth = core.max_depth,
}

local methods = core.client_methods
local type, pairs, ipairs, tostring, error = type, pairs, ipairs, tostring, error
local select, getmetatable, next = select, getmetatable, next
local sort, floor = table.sort, math.floor
local format = string.format

---------------------------------------------------------------- arguments

-- Programmer errors blame the caller's line: the first stack frame outside
-- this file (helpers here nest to different depths).
local getinfo = debug and debug.getinfo
local this_source = getinfo and getinfo(1, "S").source
local function raise(msg)
    local level = 2
    while getinfo do
        local info = getinfo(level, "S")
        -- (Lua 5.1 lists tail calls as frames of their own)
        if info == nil or (info.source ~= this_source and info.what ~= "tail") then break end
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

---------------------------------------------------------------- endpoints

-- "METHOD /path/:x/y" with parameter names dropped -> catalogue name. The
-- friendly methods name endpoints by their documented method and path, so
-- they do not depend on how the catalogue spells its names.
local index
local function resolve(method, template)
    if not index then
        local idx = {}
        for _, ep in ipairs(core.endpoints()) do
            idx[ep.method .. " " .. ep.path:gsub(":[%w_]+", ":")] = ep.name
        end
        index = idx
    end
    local key = method .. " " .. template:gsub(":[%w_]+", ":")
    local name = index[key]
    if not name then
        raise("lockcloud: endpoint " .. method .. " " .. template .. " is not in the catalogue")
    end
    return name
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
    return (s:gsub("%c", "?"))
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

-- The query keys of one endpoint, for the error that names them.
local function key_list(keys, paged)
    local list = {}
    for k in pairs(keys) do list[#list + 1] = k end
    list[#list + 1] = "per_page"
    if not paged then list[#list + 1] = "page" end
    sort(list)
    return table.concat(list, ", ")
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

-- The hint for an unknown query key: a near miss of a key the endpoint
-- takes is a typo ("did you mean"); anything else may be an attribute.
local function query_key_hint(filters, k)
    if type(k) == "string" then
        local best, best_d
        for known in pairs(filters.keys) do
            local dist = edit_distance(k, known)
            if dist <= 2 and dist < #known and (not best_d or dist < best_d or
                (dist == best_d and known < best)) then
                best, best_d = known, dist
            end
        end
        if best then return format("; did you mean '%s'?", best) end
    end
    return filters.keys.attributes and
        format("; filter on an attribute with attributes = {%s = ...}", printable(k)) or ""
end

-- Query table -> flat {key, value, key, value, ...} for the core, plus the
-- page size pulled out for pagers. `filters` (see `collections`) names the
-- keys the endpoint takes: any other key raises, because the API ignores
-- keys it does not know and would answer every item instead of a filtered
-- few. nil filters (an endpoint not described here) pass every key.
local function build_query(q, paged, filters, what)
    if q == nil then return nil, nil end
    local out, per_page = {}, nil
    for _, k in ipairs(sorted_keys(q, "query")) do
        local v = q[k]
        local as = filters and filters.keys[k]
        if k == "per_page" and paged then
            if type(v) ~= "number" or v ~= floor(v) or v < 1 or v > 50 then
                raise("lockcloud: per_page must be an integer from 1 to 50")
            end
            per_page = floor(v)
        elseif k == "page" and paged then
            raise("lockcloud: iterators fetch every page; use per_page, or call() for one page")
        elseif filters and not as and k ~= "per_page" and k ~= "page" then
            raise(format("lockcloud: %s does not take query key '%s' (it takes: %s%s)",
                what, printable(k), key_list(filters.keys, paged), query_key_hint(filters, k)))
        elseif as == "status" or (not filters and k == "status") then
            add_param(out, "attributes[status]", type(v) == "table" and v or { v }, 1)
        elseif as == "nested" and (type(v) ~= "table" or is_sequence(v)) then
            raise(format("lockcloud: query key '%s' of %s takes a table of attribute filters " ..
                "(%s = {location_id = id}), got %s", k, what, k, type(v)))
        else
            add_param(out, k, v, 1, k == "attributes")
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

---------------------------------------------------------------- calls

local function data_of(doc, err)
    if doc == nil then return nil, err end
    if doc == true then return true end
    if doc.data == nil then return doc end
    return doc.data
end

local function member(self, method, template, args, body)
    return data_of(prim(self._call, self, resolve(method, template), args, nil, body))
end

local function done(ok, err)
    if ok == nil then return nil, err end
    return true
end

---------------------------------------------------------------- collections

-- The collection methods: name -> { path template, number of id arguments,
-- query keys the endpoint takes } (API reference: "Filtering", "Sorting" and
-- each endpoint's parameters). How a key's value is sent:
--   list   sequence -> key[]=v ... (id[] and [type] filters); a string as key=v
--   sort   "name" or "-name" (descending), or a sequence of them
--   status attributes[status][]=v for a value or a sequence of them
--   nested attributes = {location_id = id} -> attributes[location_id]=id
-- per_page (page size of iterators) is always accepted; call() also takes
-- page. Any other key raises: the API ignores keys it does not know and
-- would answer the whole collection. This table is the one description of
-- the filters; call(), each() and list() use it for the same endpoints.
local collections = {
    access_persons = { "/access_persons", 0,
        { type = "list", status = "status", sort = "sort", id = "list", attributes = "nested" } },
    accesses = { "/access_persons/:access_person_id/accesses", 1,
        { id = "list", attributes = "nested" } },
    devices = { "/devices", 0,
        { type = "list", sort = "sort", id = "list", attributes = "nested" } },
    locations = { "/locations", 0,
        { sort = "sort", id = "list", attributes = "nested" } },
    events = { "/events", 0,
        { type = "list", sort = "sort", id = "list", attributes = "nested" } },
    notifications = { "/notifications", 0,
        { id = "list", attributes = "nested" } },
}

-- catalogue endpoint name -> { keys = ..., what = "events (GET /events)" }
local filters_by_endpoint
local function filters_of(name)
    if not filters_by_endpoint then
        local by = {}
        for fname, spec in pairs(collections) do
            by[resolve("GET", spec[1])] = { keys = spec[3],
                what = format("%s (GET %s)", fname, spec[1]) }
        end
        filters_by_endpoint = by
    end
    return filters_by_endpoint[name]
end

--- Whole-document call of any catalogue endpoint by name:
-- client:call("access_persons.get", {id}, {query}, body) -> document | true | nil, err
function methods:call(name, args, query, body)
    check_text(name, "call", 1, "endpoint name")
    local filters = filters_of(name)
    local q = build_query(check_table(query, "call", 3, true), false, filters,
        filters and filters.what or name)
    return prim(self._call, self, name, path_args(args, "call"), q, body)
end

--- Raw request: client:request("GET", "/devices?per_page=5", body) -> document | true | nil, err
function methods:request(method, path, body)
    check_text(method, "request", 1, "method string")
    if type(path) ~= "string" or path:sub(1, 1) ~= "/" then
        argerror("request", 2, "path starting with '/' expected")
    end
    check_text(path, "request", 2, "path")
    return prim(self._request, self, method, path, body)
end

local function step(pager)
    local item, err = prim(pager.next, pager)
    if err ~= nil then error(err, 0) end
    return item
end

local function open_pager(self, name, args, query, fname, query_arg)
    local filters = filters_of(name)
    local q, per_page = build_query(check_table(query, fname, query_arg, true), true,
        filters, filters and filters.what or name)
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

--- client:each(endpoint_name, path_args, query): iterate any collection.
function methods:each(name, args, query)
    check_text(name, "each", 1, "endpoint name")
    return iterate(open_pager(self, name, path_args(args, "each"), query, "each", 3))
end

--- client:list(endpoint_name, path_args, query) -> array, meta | nil, err
function methods:list(name, args, query)
    check_text(name, "list", 1, "endpoint name")
    return collect(open_pager(self, name, path_args(args, "list"), query, "list", 3))
end

for fname, spec in pairs(collections) do
    local template, nargs = spec[1], spec[2]
    local function open(self, caller, ...)
        local args = nil
        if nargs == 1 then args = { check_id((...), caller, 1) } end
        local query = select(nargs + 1, ...)
        return open_pager(self, resolve("GET", template), args, query, caller, nargs + 1)
    end
    local list_name = fname .. "_list"
    methods[fname] = function(self, ...) return iterate(open(self, fname, ...)) end
    methods[list_name] = function(self, ...) return collect(open(self, list_name, ...)) end
end

---------------------------------------------------------------- resources

local function getter(fname, template, nargs)
    methods[fname] = function(self, a, b)
        check_id(a, fname, 1)
        if nargs == 2 then check_id(b, fname, 2) end
        return member(self, "GET", template, { a, b })
    end
end

getter("access_person", "/access_persons/:id", 1)
getter("access", "/access_persons/:access_person_id/accesses/:id", 2)
getter("device", "/devices/:id", 1)
getter("location", "/locations/:id", 1)
getter("event", "/events/:id", 1)

--- create_access_person{type = "access_guest", attributes = {...}}
function methods:create_access_person(spec)
    check_table(spec, "create_access_person", 1)
    for k in pairs(spec) do
        if k ~= "type" and k ~= "attributes" then
            argerror("create_access_person", 1, "unknown field '" .. tostring(k) .. "'")
        end
    end
    if type(spec.type) ~= "string" then
        argerror("create_access_person", 1, "field 'type' must be a string")
    end
    check_table(spec.attributes, "create_access_person", 1)
    return member(self, "POST", "/access_persons", nil,
        { type = spec.type, attributes = spec.attributes })
end

--- create_guest{name = ..., starts_at = "2026-03-10T15:00:00", ends_at = ..., pin = ...}
-- starts_at/ends_at carry no zone: they are read in the lock's time zone.
function methods:create_guest(attributes)
    check_table(attributes, "create_guest", 1)
    return self:create_access_person{ type = "access_guest", attributes = attributes }
end

--- create_user{name = ..., pin = ..., email = ...}
function methods:create_user(attributes)
    check_table(attributes, "create_user", 1)
    return self:create_access_person{ type = "access_user", attributes = attributes }
end

function methods:update_access_person(id, attributes)
    check_id(id, "update_access_person", 1)
    check_table(attributes, "update_access_person", 2)
    return member(self, "PUT", "/access_persons/:id", { id }, { attributes = attributes })
end

function methods:deactivate_access_person(id)
    check_id(id, "deactivate_access_person", 1)
    return member(self, "PUT", "/access_persons/:id/deactivate", { id })
end

function methods:delete_access_person(id)
    check_id(id, "delete_access_person", 1)
    return done(member(self, "DELETE", "/access_persons/:id", { id }))
end

--- grant_access(person_id, {accessible_type = "lock", accessible_id = id, ...})
function methods:grant_access(person_id, attributes)
    check_id(person_id, "grant_access", 1)
    check_table(attributes, "grant_access", 2)
    return member(self, "POST", "/access_persons/:access_person_id/accesses",
        { person_id }, { attributes = attributes })
end

function methods:update_access(person_id, access_id, attributes)
    check_id(person_id, "update_access", 1)
    check_id(access_id, "update_access", 2)
    check_table(attributes, "update_access", 3)
    return member(self, "PUT", "/access_persons/:access_person_id/accesses/:id",
        { person_id, access_id }, { attributes = attributes })
end

function methods:revoke_access(person_id, access_id)
    check_id(person_id, "revoke_access", 1)
    check_id(access_id, "revoke_access", 2)
    return done(member(self, "DELETE", "/access_persons/:access_person_id/accesses/:id",
        { person_id, access_id }))
end

function methods:lock(id)
    check_id(id, "lock", 1)
    return member(self, "PUT", "/devices/:id/lock", { id })
end

function methods:unlock(id)
    check_id(id, "unlock", 1)
    return member(self, "PUT", "/devices/:id/unlock", { id })
end

---------------------------------------------------------------- constructor

--- lockcloud.remotelock{...} -> client | nil, err. Unknown, missing or
-- mistyped options raise.
function M.remotelock(options)
    if type(options) ~= "table" then
        error("bad argument #1 to 'remotelock' (options table expected, got " ..
              type(options) .. ")", 2)
    end
    return prim(core.new, options)
end

-- The client's method table, for introspection and extension.
M.client_methods = methods

return M
