-- The methods generated from the catalogue: a walk over lockcloud.endpoints()
-- checks that every row's binding exists on the client, takes its path ids
-- first (then the query, the attributes or the typed spec), raises the
-- argument errors the reference promises before sending anything, and
-- sends exactly one request with the row's method and path. The simulator
-- does not serve every row yet (schedules, access exceptions): a runtime
-- failure (nil, err) is fine here, the request's shape is what is checked.
local t = require "tap"
local lockcloud = require "lockcloud"
local E = require "simenv"

local unpack = table.unpack or unpack
local methods = lockcloud.remotelock_methods
local rows = lockcloud.endpoints()

E.reset()
E.unlimited() -- hundreds of requests: pacing would only make this part wait
local client = assert(E.client())
assert(client:authenticate())
-- a row documented by LockState v1 alone is called by a client of that flavour
local v1client = assert(E.client{ flavour = "v1" })
assert(v1client:authenticate())
local function in_current(ep)
    for _, f in ipairs(ep.flavours) do if f == "current" then return true end end
    return false
end
local function client_for(ep) return in_current(ep) and client or v1client end

t.is(lockcloud.client_methods, methods, "client_methods is remotelock_methods (the old name)")
t.is(client.device, methods.device, "a client finds its methods in its vendor's table")

local function esc(s) return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?{}]", "%%%0")) end
local function ids_of(ep)
    local ids = {}
    for i = 1, ep.path_params do ids[i] = "x" .. i end
    return ids
end
local function body_of(ep)
    if ep.body_style == "typed" then return { type = ep.types[1], attributes = {} } end
    if ep.body_style ~= "none" then return {} end
end
local function call(fname, args, c)
    c = c or client
    return c[fname](c, unpack(args, 1, args.n or #args))
end

-- 1. existence and arity, without a request
local sent = E.request_count()
local missing, arity = {}, {}
for _, ep in ipairs(rows) do
    local fname, ids = ep.binding, ids_of(ep)
    local names = { fname }
    if ep.collection then names[2] = fname .. "_list" end
    for _, name in ipairs(names) do
        if type(methods[name]) ~= "function" or client[name] ~= methods[name] then
            missing[#missing + 1] = name
        else
            -- each path id in turn missing
            for i = 1, #ids do
                local ok, err = pcall(call, name, { unpack(ids, 1, i - 1) })
                if ok or not tostring(err):find("bad argument #" .. i .. " to '" .. esc(name) ..
                        "' %(non%-empty id string expected, got nil%)") then
                    arity[#arity + 1] = name .. ": id #" .. i .. " missing: " .. tostring(err)
                end
            end
            -- the body argument missing
            local nparams = #ids
            if ep.collection or ep.body_style ~= "none" then nparams = nparams + 1 end
            if not ep.collection and ep.body_style ~= "none" then
                local ok, err = pcall(call, name, ids)
                if ok or not tostring(err):find("bad argument #" .. nparams .. " to '" .. esc(name) ..
                        "' %(table expected, got nil%)") then
                    arity[#arity + 1] = name .. ": body missing: " .. tostring(err)
                end
            end
            -- one argument too many
            local args = { unpack(ids) }
            if nparams > #ids then args[nparams] = ep.collection and {} or body_of(ep) end
            args[nparams + 1] = "extra"
            args.n = nparams + 1
            local ok, err = pcall(call, name, args)
            if ok or not tostring(err):find("bad argument #" .. (nparams + 1) .. " to '" .. esc(name) ..
                    "' %(no value expected: " .. esc(name) .. "%(") then
                arity[#arity + 1] = name .. ": extra argument: " .. tostring(err)
            end
        end
    end
end
t.ok(#missing == 0, "every catalogue row has its generated method(s) (" .. #rows .. " rows)",
    table.concat(missing, ", "))
t.ok(#arity == 0, "every generated method takes its ids, then its query or body, and nothing more",
    table.concat(arity, "\n"))

-- 2. typed bodies: the type among the row's types, no unknown fields
local typed_bad = {}
for _, ep in ipairs(rows) do
    if ep.body_style == "typed" and not ep.collection then
        local n, ids = ep.path_params + 1, ids_of(ep)
        local function raises(spec, pattern)
            local args = { unpack(ids) }
            args[n] = spec
            local ok, err = pcall(call, ep.binding, args)
            if ok or not tostring(err):find("bad argument #" .. n .. " to '" .. ep.binding .. "' %(" .. pattern) then
                typed_bad[#typed_bad + 1] = ep.binding .. ": " .. tostring(err)
            end
        end
        raises({ type = "bogus_type", attributes = {} },
            esc("field 'type' must be one of: " .. table.concat(ep.types, ", ") .. "; got 'bogus_type'"))
        raises({ type = ep.types[1], attributes = {}, colour = "blue" }, "unknown field 'colour'")
        raises({ attributes = {} }, "field 'type' must be a string")
        raises({ type = ep.types[1] }, "table expected, got nil")
    end
end
t.ok(#typed_bad == 0, "typed bodies: an unknown type (naming the types), an unknown field, " ..
    "no type and no attributes raise", table.concat(typed_bad, "\n"))

-- 3. query keys and sorts of every collection
local function key_list(ep, paged)
    local keys = { "per_page" }
    if not paged then keys[2] = "page" end
    for _, p in ipairs(ep.params) do keys[#keys + 1] = p.name end
    table.sort(keys)
    return table.concat(keys, ", ")
end
local query_bad = {}
local function expect(what, pattern, f, ...)
    local ok, err = pcall(f, ...)
    if ok or not tostring(err):find(pattern) then
        query_bad[#query_bad + 1] = what .. ": " .. (ok and "did not raise" or tostring(err))
    end
end
for _, ep in ipairs(rows) do
    if ep.collection then
        local ids = ids_of(ep)
        local what = esc(ep.binding .. " (GET " .. ep.path .. ")")
        local function with(q) local a = { unpack(ids) }; a[#ids + 1] = q; return a end
        expect(ep.binding .. "{bogus}", what .. " does not take query key 'bogus' %(it takes: " ..
            esc(key_list(ep, true)) .. "[;)]", call, ep.binding, with{ bogus = 1 })
        expect(ep.binding .. "_list{bogus}", what .. " does not take query key 'bogus'",
            call, ep.binding .. "_list", with{ bogus = 1 })
        expect("call(" .. ep.name .. ")", what .. " does not take query key 'bogus' %(it takes: " ..
            esc(key_list(ep, false)) .. "[;)]", client.call, client, ep.name, ids, { bogus = 1 })
        if #ep.sorts > 0 then
            local sorts = esc(table.concat(ep.sorts, ", "))
            expect(ep.binding .. "{sort = 'bogus'}", what .. " cannot sort by 'bogus' %(it sorts by: " ..
                sorts .. "; '%-" .. esc(ep.sorts[1]) .. "' sorts descending%)",
                call, ep.binding, with{ sort = "bogus" })
            expect(ep.binding .. "{sort = {ok, '-bogus'}}", "cannot sort by '%-bogus'",
                call, ep.binding, with{ sort = { ep.sorts[1], "-bogus" } })
            local typo = ep.sorts[1]:sub(2, 2) .. ep.sorts[1]:sub(1, 1) .. ep.sorts[1]:sub(3)
            expect(ep.binding .. "{sort = typo}", "did you mean '" .. esc(ep.sorts[1]) .. "'%?",
                call, ep.binding, with{ sort = "-" .. typo })
        end
        for _, p in ipairs(ep.params) do
            if p.kind == "scalar" then
                expect(ep.binding .. "{" .. p.name .. " = {}}", "query key '" .. esc(p.name) ..
                    "' of " .. what .. " takes one value", call, ep.binding, with{ [p.name] = { true } })
            elseif p.kind == "nested" then
                expect(ep.binding .. "{" .. p.name .. " = 'x'}", "query key '" .. esc(p.name) ..
                    "' of " .. what .. " takes a table of attribute filters", call, ep.binding,
                    with{ [p.name] = "x" })
            end
        end
    end
end
t.ok(#query_bad == 0, "every collection: an unknown key names the endpoint and its keys, a sort " ..
    "it does not take names its sorts (with a hint), scalar and nested keys check their values",
    table.concat(query_bad, "\n"))
t.is(E.request_count(), sent, "none of the refused calls sent a request")

-- 4. each generated method sends one request: the row's method and path
local shape_bad = {}
for _, ep in ipairs(rows) do
    local args = ids_of(ep)
    local path = ep.path
    for i = 1, #args do path = path:gsub(":[%w_]+", args[i], 1) end
    if not ep.collection and ep.body_style ~= "none" then args[#args + 1] = body_of(ep) end
    local name = ep.collection and ep.binding .. "_list" or ep.binding
    -- a descending sort the row takes passes (the log shows no query)
    if ep.collection and #ep.sorts > 0 then args[#args + 1] = { sort = "-" .. ep.sorts[1] } end
    local before = E.request_count()
    local ok, res, err = pcall(call, name, args, client_for(ep))
    local log = E.ctl("/_sim/requests", nil, "GET").requests
    local last = log[#log]
    if not ok then
        shape_bad[#shape_bad + 1] = name .. " raised: " .. tostring(res)
    elseif res == nil and not lockcloud.is_error(err) then
        shape_bad[#shape_bad + 1] = name .. ": nil without an error object"
    elseif #log ~= before + 1 or last.method ~= ep.method or last.path ~= path then
        shape_bad[#shape_bad + 1] = string.format("%s: sent %d request(s), last %s %s; want %s %s",
            name, #log - before, last and last.method, last and last.path, ep.method, path)
    end
end
t.ok(#shape_bad == 0, "every generated method sends one request with its row's method and " ..
    "path (collections sorted descending by their first sort)",
    table.concat(shape_bad, "\n"))

-- 5. answers: the data table, or true for 204 (the simulator does not
-- serve schedules yet: a raw answer stands in for it)
E.raw_answer("/schedules", '{"data":{"type":"access_schedule","id":"s-1",' ..
    '"attributes":{"name":"Weekdays"}}}')
local made, merr = client:create_schedule{ type = "access_schedule", attributes = { name = "Weekdays" } }
t.ok(made and made.id == "s-1" and made.attributes.name == "Weekdays",
    "create_schedule returns the data table of the answer", tostring(merr))
local gone, gerr = client:delete_access_person(E.missing_id)
t.ok(gone == nil and gerr.status == 404, "a 204 row's failure is nil, err", tostring(gerr))

-- 6. the first rows added after the methods were generated: schedules and
-- access exceptions, spelled out
sent = E.request_count()
t.raises(function() client:create_schedule{ type = "holiday_schedule", attributes = {} } end,
    "bad argument #1 to 'create_schedule' %(field 'type' must be one of: access_schedule, " ..
    "auto_lock_schedule, lock_action_schedule, power_plug_schedule, thermostat_schedule; " ..
    "got 'holiday_schedule'%)", "create_schedule: an undocumented schedule type raises, naming the five")
t.raises(function() client:schedules{ sort = "starts_at" } end,
    "schedules %(GET /schedules%) cannot sort by 'starts_at' %(it sorts by: created_at, name;",
    "schedules{sort = 'starts_at'} raises, naming the sorts")
t.raises(function() client:access_exceptions_list{ type = "x" } end,
    "access_exceptions %(GET /access_exceptions%) does not take query key 'type' " ..
    "%(it takes: attributes, id, per_page, sort;", "access_exceptions{type = ...} raises, naming its keys")
t.raises(function() client:update_access_exception("e-1", "Christmas") end,
    "bad argument #2 to 'update_access_exception' %(table expected, got string%)",
    "update_access_exception(id, 'x') raises")
t.raises(function() client:delete_schedule() end,
    "bad argument #1 to 'delete_schedule' %(non%-empty id string expected, got nil%)",
    "delete_schedule() raises")
t.is(E.request_count(), sent, "none of them sent a request")
-- TODO(sim): a live schedules and access exceptions lifecycle (create,
-- get, list, update, delete) once the simulator serves them; until then a
-- 404 is an acceptable answer, the request is what is checked.
local got, serr = client:schedule("s-404")
local log = E.ctl("/_sim/requests", nil, "GET").requests
t.ok((got or serr.status == 404) and log[#log].method == "GET" and log[#log].path == "/schedules/s-404",
    "schedule(id) sends GET /schedules/:id", tostring(serr))

-- 7. flavours: a row outside the client's flavour raises, naming the one
-- that documents it, and sends nothing
sent = E.request_count()
local outside = {}
for _, ep in ipairs(rows) do
    local other = in_current(ep) and #ep.flavours == 1 and v1client or
        (not in_current(ep) and client) or nil
    if other then
        local args = ids_of(ep)
        if not ep.collection and ep.body_style ~= "none" then args[#args + 1] = body_of(ep) end
        local name = ep.collection and ep.binding .. "_list" or ep.binding
        local ok, err = pcall(call, name, args, other)
        local want = 'documented only by .* %(flavour "' .. esc(ep.flavours[1]) .. '"%)'
        if ok or not tostring(err):find(want) then
            outside[#outside + 1] = name .. ": " .. tostring(ok and "no error" or err)
        end
    end
end
t.ok(#outside == 0, "every row called on a client of the other flavour raises a usage error " ..
    "naming its flavour", table.concat(outside, "\n"))
t.is(E.request_count(), sent, "none of them sent a request")
t.raises(function() E.client{ flavour = "v2" } end, "unknown flavour 'v2'",
    "an unknown flavour raises")
t.ok(v1client:flavour() == "v1" and client:flavour() == "current",
    "flavour() says the form each client speaks (the option, else current)")

-- 8. CSV: the door group access search answers a string
E.raw_answer("/groups/g-1/door_group_accesses/search.csv", 'name,email\n"Smith, Ann",a@x\n')
local csv, cerr = client:search_door_group_accesses("g-1")
t.is(csv, 'name,email\n"Smith, Ann",a@x\n', "search_door_group_accesses returns the CSV text",
    tostring(cerr))
E.raw_answer("/groups/g-1/door_group_accesses/search.csv", 'name,email\nAnn\0Evil,a@x\n')
csv, cerr = client:search_door_group_accesses("g-1")
t.ok(csv == nil and cerr.kind == "parse" and tostring(cerr):find("NUL byte", 1, true),
    "a CSV answer holding a NUL byte is a parse error, as in C (lc_call)", tostring(cerr))

-- 9. the vendor table is the clients' method table: additions reach them
function methods.lua6_probe(self) return self == client end
t.ok(client:lua6_probe(), "a function added to remotelock_methods is a client method")
methods.lua6_probe = nil
t.raises(function() lockcloud.remotelock(7) end, "bad argument #1 to 'remotelock' %(options table expected",
    "the constructor checks its argument")
-- the C constructor takes the vendor a Lua constructor passes (Lockt's will
-- pass "lockt"): an unknown one is a usage error, nothing is built
local core = require "lockcloud.core"
local bare = { client_id = E.client_id, client_secret = E.client_secret }
t.raises(function() core.new(bare, "lockt") end, "unknown vendor 'lockt'",
    "core.new(options, 'lockt') raises: no such vendor yet")
local rl = core.new(bare, "remotelock")
t.ok(rl and rl:is_closed() == false, "core.new(options, 'remotelock') builds a client")
if rl then rl:close() end
t.raises(function() core.new(bare, "remotelock\0x") end, "vendor name holds a NUL byte",
    "a vendor name holding NUL raises")

client:close()
v1client:close()
os.exit(t.done(), true)
