-- Client construction, argument checking, close/gc/__close lifetimes.
local t = require "tap"
local lockcloud = require "lockcloud"
local E = require "simenv"

local base = { api_url = E.url, auth_url = E.url, client_id = E.client_id,
               client_secret = E.client_secret, cafile = E.ca }
local function with(over)
    local o = {}
    for k, v in pairs(base) do o[k] = v end
    for k, v in pairs(over) do o[k] = v end
    return o
end
local function without(key)
    local o = with{}
    o[key] = nil
    return o
end

-- construction: every option mistake raises
t.raises(function() lockcloud.remotelock() end, "options table expected", "no options raises")
t.raises(function() lockcloud.remotelock("x") end, "options table expected", "string options raise")
t.raises(function() lockcloud.remotelock(without("client_id")) end,
    "option 'client_id' is required", "missing client_id raises")
t.raises(function() lockcloud.remotelock(without("client_secret")) end,
    "option 'client_secret' is required", "missing client_secret raises")
t.raises(function() lockcloud.remotelock(with{ client_id = 42 }) end,
    "option 'client_id' must be a string, got number", "numeric client_id raises")
t.raises(function() lockcloud.remotelock(with{ colour = "blue" }) end,
    "unknown option 'colour'", "unknown option raises")
t.raises(function() lockcloud.remotelock(with{ [1] = "x" }) end,
    "option names must be strings", "positional option raises")
t.raises(function() lockcloud.remotelock(with{ timeout = "10" }) end,
    "option 'timeout' must be a number", "string timeout raises")
t.raises(function() lockcloud.remotelock(with{ timeout = 0 }) end,
    "option 'timeout' must be between", "zero timeout raises")
t.raises(function() lockcloud.remotelock(with{ connect_timeout = -1 }) end,
    "option 'connect_timeout' must be between", "negative connect_timeout raises")
t.raises(function() lockcloud.remotelock(with{ allow_http = "yes" }) end,
    "option 'allow_http' must be a boolean", "string allow_http raises")
t.raises(function() lockcloud.remotelock(with{ cafile = "" }) end,
    "option 'cafile' must be a non%-empty string", "empty cafile raises")
t.raises(function() lockcloud.remotelock(with{ api_url = "http://example.com" }) end,
    "lockcloud: .*http", "plain http api_url without allow_http raises (usage)")

local token_file = E.tmpfile("client-token")
local client, err = lockcloud.remotelock(with{ timeout = 5, connect_timeout = 2.5,
    token_file = token_file })
t.ok(client ~= nil, "valid options give a client", tostring(err))
t.like(tostring(client), "^lockcloud%.client %(open%)", "tostring shows an open client")
t.is(client:is_closed(), false, "is_closed() is false while open")

-- methods: programmer errors raise, with the method named
t.raises(function() client:access_person() end,
    "bad argument #1 to 'access_person' %(non%-empty id string expected, got nil%)", "missing id raises")
t.raises(function() client:access_person(42) end, "got number", "numeric id raises")
t.raises(function() client:device("") end, "got empty string", "empty id raises")
t.raises(function() client:access("x") end, "bad argument #2 to 'access'", "missing second id raises")
t.raises(function() client:grant_access("x") end, "bad argument #2 to 'grant_access' %(table expected",
    "grant_access without attributes raises")
t.raises(function() client:update_access_person("x", "y") end, "table expected",
    "update_access_person with a string raises")
t.raises(function() client:create_access_person{ type = "access_guest" } end, "table expected",
    "create_access_person without attributes raises")
t.raises(function() client:create_access_person{ type = "access_guest", attributes = {}, x = 1 } end,
    "unknown field 'x'", "create_access_person with an unknown field raises")
t.raises(function() client:create_guest("Ann") end, "bad argument #1 to 'create_guest'",
    "create_guest with a string raises")
t.raises(function() client:accesses() end, "bad argument #1 to 'accesses'", "accesses without id raises")
t.raises(function() client:devices("x") end, "bad argument #1 to .devices. %(table expected",
    "devices with a string query raises")
t.raises(function() client:devices{ per_page = 0 } end, "per_page must be", "per_page 0 raises")
t.raises(function() client:devices{ per_page = 51 } end, "per_page must be", "per_page 51 raises")
t.raises(function() client:devices{ page = 2 } end, "iterators fetch every page", "page in an iterator raises")
t.raises(function() client:devices{ sort = print } end, "cannot be a function", "function in a query raises")
t.raises(function() client:devices{ [1] = "x" } end, "keys must be strings", "positional query raises")
t.raises(function() client:call(7) end, "endpoint name expected", "call with a number raises")
t.raises(function() client:call("no_such.endpoint") end, "^.*lockcloud:", "unknown endpoint raises")
t.raises(function() client:request("GET", "devices") end, "path starting with '/'", "relative path raises")
t.raises(function() client:request("GET", "/devices", { f = print }) end, "cannot encode a function",
    "unencodable body raises")
local loop = {}
loop.again = loop
t.raises(function() client:create_guest{ name = "x", extra = loop } end, "cyclic table",
    "cyclic body raises")

-- programmer errors name the caller's line, not the module's
t.like(select(2, pcall(function() client:device() end)), "client%.lua:%d+: bad argument",
    "argument errors point at the caller")
t.like(select(2, pcall(function() client:call("nope") end)), "client%.lua:%d+: lockcloud: ",
    "errors raised in C point at the caller")
t.like(select(2, pcall(function() lockcloud.remotelock(with{ x = 1 }) end)), "client%.lua:%d+: lockcloud",
    "constructor errors point at the caller")

-- close: idempotent, then every call raises
client:close()
t.ok(pcall(client.close, client), "close() twice is fine")
t.is(client:is_closed(), true, "is_closed() after close")
t.like(tostring(client), "%(closed%)", "tostring shows a closed client")
t.raises(function() client:device(E.front_door) end, "client is closed", "method after close raises")
t.raises(function() client:devices() end, "client is closed", "iterator after close raises")
t.raises(function() client:rate_limit() end, "client is closed", "rate_limit after close raises")

-- a pager outlives neither an explicit close of its client ...
local c2 = assert(E.client())
local step, state = c2:devices{ per_page = 1 }
local first = step(state)
t.ok(first and first.id, "iterator yields a first device")
c2:close()
t.raises(function() step(state) end, "iterator used after close", "iterator after client:close() raises")

-- ... nor lets its client be collected under it
local step3, state3 = (function()
    local c = assert(E.client())
    return c:devices{ per_page = 1 }
end)()
collectgarbage(); collectgarbage()
local n = 0
for _ in step3, state3 do n = n + 1 end
t.is(n, 10, "a pager keeps its otherwise unreferenced client alive (10 devices)")

-- garbage collection without close
local weak = setmetatable({}, { __mode = "v" })
do
    local c = assert(E.client())
    t.ok(c:device(E.front_door), "a client used once")
    local s, st = c:devices{ per_page = 1 }
    s(st) -- a half-consumed pager too
    weak[1], weak[2] = c, st
end
collectgarbage(); collectgarbage()
t.ok(weak[1] == nil and weak[2] == nil, "unclosed client and pager are collected")

-- review: a NUL inside a path argument or query value must not silently
-- truncate it (an id "X\0..." would otherwise act on resource X)
do
    local c = assert(E.client())
    t.raises(function() c:device(E.front_door .. "\0/../other") end, "NUL",
        "path argument holding NUL raises")
    t.raises(function() c:call("devices.get", { E.front_door .. "\0x" }) end, "NUL",
        "call() path argument holding NUL raises")
    t.raises(function() c:devices_list{ type = "lock\0x" } end, "NUL",
        "query value holding NUL raises")
    -- the primitives read their optional last argument at a fixed index, not
    -- at the top of the stack (which holds the converted argument arrays)
    local ok, doc = pcall(c._call, c, "devices.get", { E.front_door }, { "x", "1" })
    t.ok(ok and type(doc) == "table" and doc.data, "_call without a body argument works",
        tostring(doc))
    local pok, pager = pcall(c._pager, c, "devices.list", nil, { "x", "1" })
    t.ok(pok and pager and pager:next(), "_pager without a per_page argument works",
        tostring(pager))
    if pok and pager then pager:close() end
    c:close()
end

-- review: option strings fetched through __index must stay alive until the
-- core has copied them (a collected api_url was read after free)
do
    local pad = string.rep("/", 60) -- long: a fresh, uninterned string
    local other = E.url:gsub("127%.0%.0%.1", "127.0.0.2")
    local vals = { client_id = E.client_id, client_secret = E.client_secret, cafile = E.ca }
    local junk
    local opts = setmetatable({}, { __index = function(_, k)
        collectgarbage(); collectgarbage()
        junk = nil
        if k == "api_url" then return E.url .. pad end
        junk = {}
        for i = 1, 8 do junk[i] = other .. pad end -- would reuse a freed block
        if k == "auth_url" then return E.url end
        return vals[k]
    end })
    local c = assert(lockcloud.remotelock(opts))
    local d, err = c:device(E.front_door)
    t.ok(d ~= nil, "options from __index stay alive while the client is built", tostring(err))
    c:close()
end

-- review: __tostring of a user-built error must not cast an out-of-range
-- number to int (undefined behaviour; rendered as -2147483648)
do
    local e = setmetatable({ kind = "http", status = 1000000000000, message = "x",
        retry_after = 2^40 }, lockcloud.error_mt)
    local s = tostring(e)
    t.ok(not s:find("-2147483648", 1, true) and s:find("HTTP 1", 1, true),
        "huge status and retry_after render as numbers", s)
    s = tostring(setmetatable({ kind = "http", status = 0/0, message = "x" }, lockcloud.error_mt))
    t.ok(not s:find("-2147483648", 1, true), "NaN status renders without UB", s)
end

-- Lua 5.4: <close> variables and break close what they hold
local chunk = (loadstring or load)([[
    local E, t = ...
    local keep
    do
        local c <close> = assert(E.client())
        keep = c
    end
    t.is(keep:is_closed(), true, "<close> closes the client at scope end")
    local c = assert(E.client())
    local f, s, ctl, closing = c:devices{ per_page = 1 }
    for _ in f, s, ctl, closing do break end
    t.raises(function() f(s) end, "iterator used after close", "break closes the pager (Lua 5.4)")
    c:close()
]])
if chunk then
    chunk(E, t)
else
    t.ok(true, "no <close> in this Lua # SKIP")
end

E.remove_token_file(token_file)
-- max_response_bytes caps one answer: a capped client refuses a padded
-- document that an uncapped client reads.
t.raises(function() lockcloud.remotelock(with{ max_response_bytes = 100 }) end,
    "option 'max_response_bytes' must be a whole number of bytes", "a tiny cap raises")
t.raises(function() lockcloud.remotelock(with{ max_response_bytes = "1M" }) end,
    "option 'max_response_bytes' must be a number of bytes", "a string cap raises")
do
    local padded = '{"data":{"type":"lock","id":"x","attributes":{"name":"' ..
        string.rep("a", 8000) .. '"}}}'
    local capped = assert(lockcloud.remotelock(with{ max_response_bytes = 4096 }))
    E.raw_answer("/devices/", padded)
    local doc, cerr = capped:device("20000000-0000-4000-8000-000000000001")
    t.ok(doc == nil and cerr and cerr.kind == "parse", "a 4096-byte cap refuses an 8 KB answer",
        tostring(cerr))
    t.like(tostring(cerr), "too large", "and says the answer was too large")
    capped:close()
    local roomy = assert(lockcloud.remotelock(with{ max_response_bytes = 65536 }))
    E.raw_answer("/devices/", padded)
    local d2, rerr = roomy:device("20000000-0000-4000-8000-000000000001")
    t.ok(d2 ~= nil and #d2.attributes.name == 8000, "a 64 KiB cap reads it whole", tostring(rerr))
    roomy:close()
end

os.exit(t.done(), true) -- close the state: every __gc runs (sanitizer runs check them)
