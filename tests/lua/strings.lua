-- Strings holding NUL at every entry point. C would read a Lua string only
-- up to its first NUL, so "X\0..." would silently act on X: every string
-- that goes into C raises instead (a programmer error), and nothing is sent.
-- Text coming back (decode, API answers) holding NUL is refused as a parse
-- error, the same for lockcloud.decode and the library's own reader. The
-- same for strings that are not UTF-8: encoding one raises, decoding one is
-- an ambiguous parse error.
local t = require "tap"
local lockcloud = require "lockcloud"
local E = require "simenv"

local unpack = table.unpack or unpack
local NUL = "\0"

-- options: each string option, and an option name
local base = { api_url = E.url, auth_url = E.url, client_id = E.client_id,
               client_secret = E.client_secret, cafile = E.ca }
local function options(over)
    local o = {}
    for k, v in pairs(base) do o[k] = v end
    for k, v in pairs(over) do o[k] = v end
    return o
end
for _, name in ipairs{ "api_url", "auth_url", "client_id", "client_secret", "cafile",
                       "token_file", "proxy", "user_agent" } do
    t.raises(function()
        lockcloud.remotelock(options{ [name] = (base[name] or "x") .. NUL .. "tail" })
    end, "option '" .. name .. "' must be a non%-empty string without NUL",
        "option " .. name .. " holding NUL raises")
end
-- "timeout\0x" must neither pass as timeout nor be ignored
t.raises(function() lockcloud.remotelock(options{ ["timeout" .. NUL .. "x"] = 5 }) end,
    "option name 'timeout%.%.%.' holds a NUL byte", "option name holding NUL raises")

E.reset()
local client = assert(E.client())
assert(client:authenticate())
local sent = E.request_count()

-- ids, for every method taking one (argument number n holds the NUL)
local id = E.front_door .. NUL .. "/../other"
local cases = {
    { "access_person", 1, id }, { "access", 2, E.casey_current, id }, { "access", 1, id, "x" },
    { "device", 1, id }, { "location", 1, id }, { "event", 1, id },
    { "update_access_person", 1, id, {} }, { "deactivate_access_person", 1, id },
    { "delete_access_person", 1, id }, { "grant_access", 1, id, {} },
    { "update_access", 2, E.casey_current, id, {} }, { "revoke_access", 2, E.casey_current, id },
    { "lock", 1, id }, { "unlock", 1, id }, { "accesses", 1, id }, { "accesses_list", 1, id },
}
for _, c in ipairs(cases) do
    local fname, n = c[1], c[2]
    t.raises(function() client[fname](client, unpack(c, 3)) end,
        "bad argument #" .. n .. " to '" .. fname .. "' %(id holds a NUL byte%)",
        fname .. "(): id argument #" .. n .. " holding NUL raises")
end

-- generic calls: path arguments, endpoint names, raw request method and path
t.raises(function() client:call("devices.get", { id }) end, "path argument 1 holds a NUL byte",
    "call(): path argument holding NUL raises")
t.raises(function() client:call("devices.get", id) end, "path argument 1 holds a NUL byte",
    "call(): single id string holding NUL raises")
t.raises(function() client:each("accesses.list", { id }) end, "path argument 1 holds a NUL byte",
    "each(): path argument holding NUL raises")
t.raises(function() client:list("accesses.list", { id }) end, "path argument 1 holds a NUL byte",
    "list(): path argument holding NUL raises")
for _, f in ipairs{ "call", "each", "list" } do
    t.raises(function() client[f](client, "devices.list" .. NUL .. "x") end,
        "bad argument #1 to '" .. f .. "' %(endpoint name holds a NUL byte%)",
        f .. "(): endpoint name holding NUL raises")
end
t.raises(function() client:request("GET" .. NUL .. "X", "/devices") end,
    "bad argument #1 to 'request' %(method string holds a NUL byte%)", "request(): method holding NUL raises")
t.raises(function() client:request("GET", "/devices/" .. id) end,
    "bad argument #2 to 'request' %(path holds a NUL byte%)", "request(): path holding NUL raises")
t.raises(function() client:auth_code("code" .. NUL .. "x", E.redirect_uri) end,
    "bad argument #1 to 'auth_code' %(code holds a NUL byte%)", "auth_code(): code holding NUL raises")
t.raises(function() client:auth_code(E.auth_code, E.redirect_uri .. NUL) end,
    "bad argument #2 to 'auth_code' %(redirect_uri holds a NUL byte%)",
    "auth_code(): redirect_uri holding NUL raises")

-- the C primitives check too (lockcloud.lua is not the only way in)
t.raises(function() client:_call("devices.get" .. NUL, { E.front_door }) end, "NUL",
    "_call primitive: endpoint name holding NUL raises")
t.raises(function() client:_call("devices.get", { id }) end, "NUL",
    "_call primitive: path argument holding NUL raises")
t.raises(function() client:_call("devices.list", nil, { "type", "lock" .. NUL }) end, "NUL",
    "_call primitive: query value holding NUL raises")
t.raises(function() client:_pager("devices.list" .. NUL .. "x") end, "endpoint name holds a NUL byte",
    "_pager primitive: endpoint name holding NUL raises")
t.raises(function() client:_pager("accesses.list", { id }) end, "NUL",
    "_pager primitive: path argument holding NUL raises")
t.raises(function() client:_request("GET", "/devices" .. NUL .. "/x") end, "path holds a NUL byte",
    "_request primitive: path holding NUL raises")

-- query keys and values, at every nesting level
local queries = {
    { { type = "lock" .. NUL .. "x" }, "query parameter 'type'", "string value" },
    { { type = { "lock", "x" .. NUL } }, "query parameter 'type%[%]'", "sequence element" },
    { { attributes = { location_id = E.harbor_view .. NUL } },
        "query parameter 'attributes%[location_id%]'", "nested value" },
    { { attributes = { ["location_id" .. NUL .. "x"] = E.harbor_view } },
        "query parameter 'attributes%[location_id%?x%]'", "nested key" },
}
for _, q in ipairs(queries) do
    t.raises(function() client:devices_list(q[1]) end, q[2] .. " holds a NUL byte",
        "query " .. q[3] .. " holding NUL raises")
end
t.raises(function() client:call("devices.list", nil, { sort = "name" .. NUL }) end,
    "query parameter 'sort' holds a NUL byte", "call(): query value holding NUL raises")

-- request bodies: string values and keys at any depth
t.raises(function() client:create_guest{ name = "Ann" .. NUL .. "Evil", pin = "1234" } end,
    "cannot encode a string holding a NUL byte", "body string value holding NUL raises")
t.raises(function() client:create_guest{ ["name" .. NUL .. "x"] = "Ann" } end,
    "cannot encode a key holding a NUL byte", "body key holding NUL raises")
t.raises(function() client:grant_access(E.casey_current, { accessible_type = "lock",
        accessible_id = E.front_door, extra = { deep = { "ok", "x" .. NUL } } }) end,
    "holding a NUL byte", "nested body string holding NUL raises")
t.raises(function() client:create_access_person{ type = "access_guest" .. NUL, attributes = {} } end,
    "holding a NUL byte", "create_access_person type holding NUL raises")
t.raises(function() client:request("POST", "/access_persons", { data = { ["k" .. NUL] = 1 } }) end,
    "key holding a NUL byte", "request() body key holding NUL raises")
t.raises(function() lockcloud.encode({ ["a" .. NUL .. "b"] = 1, a = 2 }) end,
    "key holding a NUL byte", "encode(): a key holding NUL raises (it would duplicate 'a')")

-- strings that are not UTF-8: cJSON would send the bytes as they are, and
-- a strict reader (ours too) must refuse them; encoding raises instead
local OVERLONG_S = "\193\179" -- "\xC1\xB3", an overlong 's'
t.raises(function() client:create_guest{ name = "Ann " .. OVERLONG_S .. "mith", pin = "1234" } end,
    "cannot encode a string that is not valid UTF%-8 as JSON %(byte 5%)",
    "body string value that is not UTF-8 raises, naming the byte")
t.raises(function() client:request("POST", "/access_persons",
        { data = { attributes = { [OVERLONG_S .. "tatus"] = "current" } } }) end,
    "cannot encode a key that is not valid UTF%-8 as JSON %(byte 1%)",
    "request() body key that is not UTF-8 raises")
for _, bad in ipairs{ "\128", "\192\128", "\237\160\128", "\244\144\128\128", "\226\130",
                      "\255" } do
    t.raises(function() lockcloud.encode({ bad }) end, "not valid UTF%-8",
        "encode(): ill-formed sequence " .. bad:gsub(".", function(ch)
            return ("\\x%02X"):format(ch:byte()) end) .. " raises")
end
t.is(lockcloud.decode(lockcloud.encode({ "caf\195\169 \240\159\152\128 \239\191\191" }))[1],
    "caf\195\169 \240\159\152\128 \239\191\191",
    "encode(): well-formed UTF-8 (a noncharacter too) round-trips")

t.is(E.request_count(), sent, "none of the refused calls sent a request")

-- text coming back: lockcloud.decode and the client's reader agree
local hostile = {
    { '{"data":{"id":"' .. E.front_door .. '","type":"lock","attributes":{"state":"locked","state":"unlocked"}}}',
        "duplicate key", true },
    { '{"data":{"id":"' .. E.front_door .. '\\u0000x","type":"lock","attributes":{}}}',
        "string holding NUL \\u0000", true },
    { '{"data":{"id":"' .. E.front_door .. '","type":"lock","attributes":{"state\\u0000x":"unlocked"}}}',
        "key holding NUL \\u0000", true },
    { '{"data":{"id":"' .. E.front_door .. '","type":"lock","attributes":{"\193\179tate":"unlocked","state":"locked"}}}',
        "a key that is not UTF-8 (overlong 's')", true },
    { '{"data":{"id":"' .. E.front_door .. '\237\160\128","type":"lock","attributes":{}}}',
        "a string holding an encoded surrogate", true },
    { '{"data":{"id":"' .. E.front_door .. '","type":"lock","attributes":{}}}{"data":{}}',
        "a second document after the first", false },
    { '{"data":{"id":"' .. E.front_door .. '","type":"lock","attributes":{}}}\0junk',
        "a raw NUL byte after the document", false },
    { '{"data":{"id":"' .. E.front_door .. '","type":"lock","attributes":{"name":"Front\0Door"}}}',
        "a raw NUL byte inside a string", true },
}
for _, h in ipairs(hostile) do
    local text, what, ambiguous = h[1], h[2], h[3]
    local v, err = lockcloud.decode(text)
    t.ok(v == nil and lockcloud.is_error(err) and err.kind == "parse",
        "decode() refuses " .. what .. ": parse error", tostring(err))
    t.is(err and err.ambiguous, ambiguous or nil, "decode() " .. what .. ": ambiguous flag")
    E.raw_answer("/devices/", text)
    local d, derr = client:device(E.front_door)
    t.ok(d == nil and lockcloud.is_error(derr) and derr.kind == "parse",
        "an API answer with " .. what .. ": parse error, as decode() says", tostring(derr))
end

-- the document of issue 5 as it is: "\xC1\xB3tatus" and "status" are not two keys
do
    local v, err = lockcloud.decode('{"\193\179tatus":"expired","status":"current"}')
    t.ok(v == nil and lockcloud.is_error(err) and err.kind == "parse" and err.ambiguous == true,
        "decode() refuses a key that is not UTF-8 as ambiguous", tostring(err))
    t.ok(err and not tostring(err):find("[\128-\255]"), "the message echoes no byte of it",
        tostring(err))
end

-- errors render their whole message: a NUL is not its end, and shows as a
-- space like every control character (the core's one renderer)
local e = setmetatable({ kind = "http", message = "a" .. NUL .. "b" }, lockcloud.error_mt)
t.is(tostring(e), "lockcloud: http: a b", "__tostring keeps a message holding NUL whole")

client:close()
os.exit(t.done(), true) -- close the state: every __gc runs (sanitizer runs check them)
