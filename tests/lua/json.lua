-- JSON <-> Lua conversion: null, arrays, numbers, limits, bad values.
local t = require "tap"
local lc = require "lockcloud"

-- null
t.ok(type(lc.null) == "userdata", "lockcloud.null is a (light) userdata")
local v = assert(lc.decode('{"a":null,"b":[null,1]}'))
t.ok(v.a == lc.null and v.b[1] == lc.null, "JSON null decodes to lockcloud.null")
t.is(lc.encode(v.b), "[null,1]", "lockcloud.null encodes to null")
t.is(lc.encode({ x = lc.null }), '{"x":null}', "null object member round trip")
t.is(lc.encode(lc.null), "null", "bare null")

-- arrays and objects
local arr = assert(lc.decode("[]"))
t.ok(getmetatable(arr) == lc.array_mt, "decoded arrays carry lockcloud.array_mt")
t.is(lc.encode(arr), "[]", "empty array round-trips as []")
t.is(lc.encode({}), "{}", "empty plain table encodes as {}")
t.is(lc.encode(lc.array()), "[]", "lockcloud.array() is an empty array")
t.is(lc.encode(lc.array{ 1, 2 }), "[1,2]", "lockcloud.array marks a table")
t.is(lc.encode({ "a", "b", "c" }), '["a","b","c"]', "sequence encodes as array")
local obj = assert(lc.decode('{"x":{}}'))
t.ok(getmetatable(obj.x) == nil and next(obj.x) == nil, "empty object decodes to a plain table")
t.is(lc.encode(obj), '{"x":{}}', "empty object round-trips as {}")
t.is(lc.encode(lc.array{ 1, nil, 3 }), "[1,null,3]", "holes in a marked array become null")

-- scalars and numbers
local n = assert(lc.decode('[1, -7, 2.5, 1e3, 9007199254740993, true, false, "s"]'))
if math.type then
    t.is(math.type(n[1]), "integer", "integral JSON numbers are Lua integers")
    t.is(math.type(n[3]), "float", "fractional JSON numbers are floats")
else
    t.ok(true, "no integer subtype in this Lua # SKIP")
    t.ok(true, "no integer subtype in this Lua # SKIP")
end
t.is(n[2], -7, "negative integer")
t.is(n[3], 2.5, "float value")
t.is(n[4], 1000, "exponent notation")
t.ok(n[6] == true and n[7] == false and n[8] == "s", "booleans and strings")
t.is(lc.encode({ 3, 2.5, -0.125 }), "[3,2.5,-0.125]", "numbers encode exactly")
-- numbers are written exactly: cJSON's printer sent 6666666666666661 as
-- 6.66666666666666e+15 and 0.30000000000000004 as 0.3 (Lua 5.1, 5.2 and
-- LuaJIT have doubles only: every value here is exact in a double)
t.is(lc.encode(6666666666666661), "6666666666666661", "6666666666666661 encodes with all digits")
t.is(lc.encode(0.30000000000000004), "0.30000000000000004", "0.30000000000000004 keeps 17 digits")
t.is(lc.encode(0.1), "0.1", "0.1 keeps its short form")
t.is(lc.encode(lc.array{ 2^53, 2^53 + 2, -2^53 }),
    "[9007199254740992,9007199254740994,-9007199254740992]", "+-2^53 and 2^53+2 encode as integers")
t.is(lc.encode(1.7976931348623157e308), "1.7976931348623157e+308", "DBL_MAX encodes exactly")
local negzero = tonumber("-0.0")
t.ok(1 / negzero < 0 and lc.encode(negzero) == "-0", "-0.0 encodes as -0", lc.encode(negzero))
do
    local exact = { 6666666666666661, 0.30000000000000004, 0.1 + 0.2, 2^53, 2^53 + 2, -2^53,
        1e-320, -1e-320, 5e-324, 2.2250738585072009e-308, 1.7976931348623157e308,
        -1.7976931348623157e308, 1e300, 123456.789e-3, 1 / 3 }
    local all, bad = true, nil
    for i, x in ipairs(exact) do
        local text = lc.encode({ x })
        local back = lc.decode(text)
        if not back or back[1] ~= x then all, bad = false, i .. ": " .. text end
    end
    t.ok(all, "decode(encode(x)) == x for integers near 2^53, subnormals, DBL_MAX, 0.1+0.2", bad)
end
for _, big in ipairs({ "1e400", "-1e400", "[10e308]", '{"n":1.8e308}' }) do
    local r2, e2 = lc.decode(big)
    t.ok(r2 == nil and lc.is_error(e2) and e2.kind == "parse" and not e2.ambiguous
        and not tostring(e2):find("e4") and not tostring(e2):find("e3"),
        big .. " (beyond the double range) is a parse error, not math.huge", tostring(e2))
end
t.is(assert(lc.decode("1e-400")), 0, "underflow reads as 0")

-- What decode gives, encode takes back unchanged: a server answer holding a
-- number beyond 2^53 (1e17, -2^63) decoded to a Lua integer (5.3+) that
-- encode then refused as "too large", so echoing an answer raised; and -0
-- decoded to integer 0 (5.3+) while 5.1/5.2/LuaJIT keep -0.
do
    local texts = { "1e17", "-1e17", "9007199254740994", "-9223372036854775808",
        "1152921504606846976", "9007199254740992", "-9007199254740992", "-0", "-0.0", "0", "7" }
    local all, bad = true, nil
    for _, text in ipairs(texts) do
        local v1 = assert(lc.decode(text))
        local ok, text2 = pcall(lc.encode, v1)
        local v2 = ok and lc.decode(text2)
        if not ok or v2 ~= v1 or 1 / v2 ~= 1 / v1 then
            all, bad = false, text .. " -> " .. tostring(text2)
        end
    end
    t.ok(all, "decode then encode then decode keeps every JSON number (beyond 2^53, -0)", bad)
    local negzero = assert(lc.decode("-0"))
    t.ok(1 / negzero < 0 and lc.encode(negzero) == "-0", "JSON -0 decodes to -0 on every Lua", lc.encode(negzero))
    if math.type then
        t.ok(math.type(assert(lc.decode("1e17"))) == "float"
            and math.type(assert(lc.decode("9007199254740992"))) == "integer",
            "integral JSON numbers are integers up to 2^53, floats beyond (as encode takes them)")
    else
        t.ok(true, "no integer subtype in this Lua # SKIP")
    end
end

t.is(assert(lc.decode('"2026-03-10T12:00:00Z"')), "2026-03-10T12:00:00Z", "timestamps stay strings")
t.is(assert(lc.decode('{"id":"30000000-0000-4000-8000-000000000001"}')).id,
    "30000000-0000-4000-8000-000000000001", "ids stay strings")
t.is(assert(lc.decode('"caf\\u00e9 \\ud83d\\udd12"')), "café 🔒", "unicode escapes decode to UTF-8")
t.is(lc.encode("tab\there \"q\""), '"tab\\there \\"q\\""', "strings are escaped")

-- round trip of a nested document
local doc = { data = { type = "access_guest", attributes = { name = "Q", pin = "1234",
    ends_at = lc.null, tags = lc.array(), n = 5 } } }
local back = assert(lc.decode(lc.encode(doc)))
t.ok(back.data.attributes.ends_at == lc.null and #back.data.attributes.tags == 0
    and getmetatable(back.data.attributes.tags) == lc.array_mt and back.data.attributes.n == 5,
    "nested document round-trips (null, empty array, integer)")

-- values JSON cannot carry: programmer errors raise
t.raises(function() lc.encode({ f = print }) end, "cannot encode a function", "functions raise")
t.raises(function() lc.encode({ [true] = 1 }) end, "boolean key", "boolean keys raise")
t.raises(function() lc.encode({ 1, 2, x = 3 }) end, "mixing string and integer keys", "mixed tables raise")
t.raises(function() lc.encode({ [1] = 1, [3] = 3 }) end, "sparse array", "sparse arrays raise")
t.raises(function() lc.encode({ 0 / 0 }) end, "NaN or infinity", "NaN raises")
t.raises(function() lc.encode({ math.huge }) end, "NaN or infinity", "infinity raises")
t.raises(function() lc.encode("a\0b") end, "string holding a NUL byte", "strings with NUL raise")
if math.type then
    t.raises(function() lc.encode({ math.maxinteger }) end, "too large for JSON", "integers beyond 2^53 raise")
else
    t.ok(true, "no integer subtype in this Lua # SKIP")
end
t.raises(function() lc.encode(lc.array{ [2^31 - 1] = 1 }) end, "sparse array",
    "a marked array with a huge gap raises instead of encoding 2^31 nulls")
t.raises(function() lc.encode(lc.array{ x = 1 }) end, "mixing", "array-marked table with string key raises")

-- cycles and depth
local cyc = { a = {} }
cyc.a.back = cyc
t.raises(function() lc.encode(cyc) end, "cyclic table", "cyclic table raises")
local self_ref = {}
self_ref[1] = self_ref
t.raises(function() lc.encode(self_ref) end, "cyclic table", "self-referencing array raises")
local shared = { 1 }
t.is(lc.encode({ a = shared, b = shared }):gsub('"[ab]":', ""):len(), #"{[1],[1]}",
    "a table shared (not cyclic) encodes twice")

local deep = {}
local cur = deep
for _ = 1, 100000 do cur.x = {}; cur = cur.x end
t.raises(function() lc.encode(deep) end, "nested deeper than " .. lc.max_depth,
    "a 100000-deep table raises a depth error (no C stack overflow)")
local ok_depth = {}
cur = ok_depth
for _ = 1, lc.max_depth - 1 do cur.x = {}; cur = cur.x end
t.ok(pcall(lc.encode, ok_depth), "a table exactly at the depth limit encodes")

local deep_json = string.rep("[", 100000) .. string.rep("]", 100000)
local r, err = lc.decode(deep_json)
t.ok(r == nil and lc.is_error(err) and err.kind == "parse", "100000-deep JSON is a parse error", tostring(err))
local mid = string.rep("[", lc.max_depth + 5) .. string.rep("]", lc.max_depth + 5)
r, err = lc.decode(mid)
t.ok(r == nil and err.kind == "parse" and tostring(err):find("nested deeper"),
    "JSON just past the depth limit is a parse error", tostring(err))

-- malformed text
r, err = lc.decode('{"a":1')
t.ok(r == nil and err.kind == "parse", "truncated JSON is a parse error")
t.like(tostring(err), "^lockcloud: parse: malformed JSON", "parse error renders")
r, err = lc.decode('{} trailing')
t.ok(r == nil and err and err.kind == "parse", "trailing garbage is a parse error")
r, err = lc.decode('{}\0{}')
t.ok(r == nil and err and err.kind == "parse", "embedded NUL is a parse error")
t.raises(function() lc.decode(nil) end, "string expected", "decode(nil) raises")

-- Sizes around the table builder's paths (json_read.c): members wait on
-- the stack up to 24 per container, then the table is made and filled
-- directly; the deepest document with 30 members at every level must fit
-- the smallest C stack (Lua 5.1 and LuaJIT: 8000 slots).
local function members(n, prefix)
    local parts = {}
    for i = 1, n do parts[i] = string.format('"%s%d":%d', prefix, i, i) end
    return table.concat(parts, ",")
end
do
    local all = true
    for _, n in ipairs({ 0, 1, 23, 24, 25, 48, 49, 200 }) do
        local o = lc.decode("{" .. members(n, "k") .. "}")
        local count = 0
        for k, v in pairs(o) do
            count = count + 1
            if o["k" .. v] ~= v or k ~= "k" .. v then all = false end
        end
        local items = {}
        for i = 1, n do items[i] = tostring(i) end
        local a = lc.decode("[" .. table.concat(items, ",") .. "]")
        if count ~= n or #a ~= n or getmetatable(a) ~= lc.array_mt or (n > 0 and a[n] ~= n) then
            all = false
        end
    end
    t.ok(all, "objects and arrays of 0 to 200 members decode whole, keys to their values")

    local text = {}
    for d = 1, lc.max_depth - 1 do text[d] = "{" .. members(30, "m") .. ',"next":' end
    local doc = table.concat(text) .. '"end"' .. string.rep("}", lc.max_depth - 1)
    local v, derr = lc.decode(doc)
    local depth, fine = 0, v ~= nil
    while fine and type(v) == "table" do
        depth = depth + 1
        fine = v.m30 == 30 and v.m1 == 1
        v = v.next
    end
    t.ok(fine and v == "end" and depth == lc.max_depth - 1,
        "127 levels of 30 members each decode (the stack fits)", tostring(derr))

    local arrays = string.rep("[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,", lc.max_depth)
        .. "0" .. string.rep("]", lc.max_depth)
    local a = lc.decode(arrays)
    depth = 0
    while type(a) == "table" do depth = depth + 1; a = a[24] end
    t.is(depth, lc.max_depth, "128 levels of 23 elements and an array each decode")

    local r2, e2 = lc.decode("{" .. members(60, "k") .. ',"k\\u0033":0}')
    t.ok(r2 == nil and e2.kind == "parse" and tostring(e2):find('duplicate key "k3"', 1, true),
        "a key given twice (once escaped) in an object of 61 keys is refused", tostring(e2))
end

os.exit(t.done(), true) -- close the state: every __gc runs (sanitizer runs check them)
