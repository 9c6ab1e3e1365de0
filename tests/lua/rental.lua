-- The operator helpers against the simulator: finding by name (none,
-- several), check-in (success, a failing step undone, an undo that fails
-- too), check-out, extending stays across DST changes in America/Denver and
-- Europe/Berlin, and the locks needing attention.
local t = require "tap"
local lockcloud = require "lockcloud"
local E = require "simenv"

E.reset()
E.unlimited() -- hundreds of requests: pacing would only make this part wait
local client = assert(E.client())

local function requests_since(n)
    local all = E.ctl("/_sim/requests", nil, "GET").requests
    local out = {}
    for i = n + 1, #all do out[#out + 1] = all[i].method .. " " .. all[i].path .. " " .. all[i].status end
    return out, #all
end
local function log_mark() return #E.ctl("/_sim/requests", nil, "GET").requests end
local function fault(kind, count, extra)
    local f = { kind = kind, count = count, path = "/access_persons/" }
    for k, v in pairs(extra or {}) do f[k] = v end
    E.ctl("/_sim/fault", f)
end

---------------------------------------------------------------- finding

local d = client:find_device("Front Door")
t.is(d and d.id, E.front_door, "find_device by exact name")
d = client:find_device("pool GATE")
t.is(d and d.id, E.pool_gate, "find_device: the name in another case")
d = client:find_device(E.lodge_entrance)
t.is(d and d.attributes.name, "Lodge Entrance", "find_device by id")
local v, err = client:find_device("Frnt Door")
t.ok(v == nil and err.kind == "not-found" and tostring(err):find("did you mean 'Front Door'", 1, true) and
    #err.candidates == 1, "none: not-found naming the near miss", tostring(err))
v, err = client:find_device("Zeppelin Hangar")
t.ok(v == nil and err.kind == "not-found" and tostring(err):find("no device is named 'Zeppelin Hangar' (" ..
    #client:devices_list() .. " devices looked at)", 1, true),
    "none and no near miss: says how many were looked at", tostring(err))
t.is(client:find_location("alpine lodge").id, E.alpine_lodge, "find_location")
t.is(client:find_guest("Casey Current").id, E.casey_current, "find_guest")
v, err = client:find_guest("Eli Expired")
t.ok(v == nil and err.kind == "not-found" and err.message:find("left out by default", 1, true) and
    err.message:find("status =", 1, true),
    "find_guest looks at current and upcoming guests by default, and says how to include others", err.message)
t.is(client:find_guest("Eli Expired", { status = "expired" }).id, E.eli_expired, "find_guest with a status query")
v, err = client:find_guest("Avery Owner")
t.ok(v == nil and err.kind == "not-found", "find_guest does not find users")

local twin1 = assert(client:create_guest{ name = "Sam Twin", pin = "7001",
    starts_at = "2026-03-10T15:00:00", ends_at = "2026-03-12T11:00:00" })
local twin2 = assert(client:create_guest{ name = "sam twin", pin = "7002",
    starts_at = "2026-03-11T15:00:00", ends_at = "2026-03-13T11:00:00" })
v, err = client:find_guest("Sam Twin")
t.is(v and v.id, twin1.id, "an exact name wins over the same name in another case")
v, err = client:find_guest("SAM TWIN")
t.ok(v == nil and err.kind == "ambiguous" and #err.candidates == 2 and
    tostring(err):find(twin1.id, 1, true) and tostring(err):find(twin2.id, 1, true) and
    tostring(err):find("pass the id instead", 1, true),
    "several: ambiguous naming every candidate with its id", tostring(err))
t.is(client:find_guest(twin2.id).id, twin2.id, "the id settles it")
assert(client:delete_access_person(twin1.id)); assert(client:delete_access_person(twin2.id))
-- door groups: check-in by name, the stay's zone through the group's doors
local g0 = assert(client:find_door_group("harbor view doors"))
t.is(g0.attributes.name, "Harbor View Doors", "find_door_group")
local gstay = assert(client:check_in{ name = "Gale Group", pin = "7201",
    starts_at = "2026-03-10T15:00:00", ends_at = "2026-03-11T11:00:00",
    doors = { { door_group = "Harbor View Doors" } } })
t.ok(gstay.accesses[1].attributes.accessible_type == "door_group" and
    gstay.accesses[1].attributes.accessible_id == g0.id, "check_in grants a door group by name")
local item1 = assert(client:group_items_list(g0.id))[1].attributes
local door_loc = assert(client:device(item1.item_id)).attributes.location_id
t.is(client:stay_time_zone(gstay.guest.id), assert(client:location(door_loc)).attributes.time_zone,
    "stay_time_zone of a door-group guest: the zone of the group's doors' location")
assert(client:delete_access_person(gstay.guest.id))

-- server strings in messages are printable: no control bytes, no "table: 0x"
E.raw_answer("/devices", '{"data":[{"type":{"x":1},"id":"a\\u001b[31m\\u0007","attributes":{"name":"Dup"}},' ..
    '{"type":"lock","id":"b","attributes":{"name":"Dup"}}],"meta":{"page":1,"per_page":50,"total_pages":1}}')
v, err = client:find_device("Dup")
t.ok(v == nil and err.kind == "ambiguous" and not err.message:find("%c") and
    not err.message:find("table: ", 1, true) and err.message:find("<table>", 1, true),
    "an id with ESC/BEL and a table type reach the message printable", err and err.message)
t.raises(function() client:find_device("") end, "non%-empty id string", "an empty name raises")
t.raises(function() client:find_device(nil) end, "bad argument #1 to 'find_device'", "no name raises")

---------------------------------------------------------------- check-in

local stay_attrs = { name = "Morgan Renter", pin = "8642", email = "morgan@example.com",
    starts_at = "2026-03-10T15:00:00", ends_at = "2026-03-13T11:00:00" }
local function spec(extra)
    local s = {}
    for k, x in pairs(stay_attrs) do s[k] = x end
    for k, x in pairs(extra) do s[k] = x end
    return s
end

local stay, cerr = client:check_in(spec{ doors = { "Front Door", { location = "Alpine Lodge" },
    { accessible_type = "lock", accessible_id = E.pool_gate } } })
t.ok(stay and stay.guest.attributes.name == "Morgan Renter" and #stay.accesses == 3 and
    stay.notified == false, "check_in: a guest with three doors", tostring(cerr))
local types = {}
for _, a in ipairs(client:accesses_list(stay.guest.id)) do types[#types + 1] = a.attributes.accessible_type end
table.sort(types)
t.is(table.concat(types, ","), "location,lock,lock", "its accesses: two locks and a location")
t.is(client:stay_time_zone(stay.guest.id), "America/Denver", "stay_time_zone: the first door's location")

-- check-out: deactivate, then revoke every access
local out, oerr = client:check_out(stay.guest.id, { revoke = true })
t.ok(out and out.guest.attributes.status == "deactivated" and out.revoked == 3,
    "check_out deactivates and revokes the accesses", tostring(oerr))
t.is(#client:accesses_list(stay.guest.id), 0, "no access is left")
out = assert(client:check_out(stay.guest.id))
t.ok(out.revoked == 0 and out.guest.attributes.status == "deactivated", "check_out without revoke only deactivates")
assert(client:delete_access_person(stay.guest.id))

-- a door that does not resolve: nothing is created
local mark = log_mark()
v, err = client:check_in(spec{ doors = { "Front Door", "Back Door" } })
local reqs = requests_since(mark)
t.ok(v == nil and err.kind == "not-found" and not table.concat(reqs, "\n"):find("POST", 1, true),
    "an unknown door: not-found before anything is created", tostring(err), table.concat(reqs, "\n"))

-- the guest itself refused: returned as it is, nothing to undo
v, err = client:check_in(spec{ pin = "1002", doors = { "Front Door" } })
t.ok(v == nil and err.kind == "api-resource" and err.status == 422 and err.step == nil,
    "a PIN already taken: the API's 422, nothing created", tostring(err))

-- the second grant fails: the first access is revoked, the guest deleted
fault("latency", 1, { ms = 1 })       -- the first grant goes through
fault("status", 1, { status = 500 })  -- the second fails
mark = log_mark()
v, err = client:check_in(spec{ doors = { "Front Door", "Pool Gate" } })
reqs = requests_since(mark)
local log = table.concat(reqs, "\n")
t.ok(v == nil and err.status == 500 and err.undone == true and #err.cleanup_errors == 0 and
    err.step:find("granting 'Pool Gate'", 1, true) and err.cause and err.cause.status == 500,
    "a failed grant: the step's error, undone", tostring(err))
t.like(tostring(err), "granting 'Pool Gate' %(lock .-%): .-check%-in undone", "the message says what failed and that it was undone")
local gid = log:match("POST /access_persons/([%w%-]+)/accesses 201")
t.ok(gid and log:find("DELETE /access_persons/" .. gid:gsub("%-", "%%-") .. "/accesses/[%w%-]+ 204") and
    log:find("DELETE /access_persons/" .. gid .. " 204", 1, true),
    "the undo revoked the granted access and deleted the guest", log)
local gone, gerr = client:access_person(gid or "x")
t.ok(gone == nil and gerr.status == 404, "the guest is gone")

-- the undo fails too: both errors are reported, the leftovers named
fault("latency", 1, { ms = 1 })
fault("status", 1, { status = 500 })
fault("status", 2, { status = 409 })  -- the revoke and the delete are refused
v, err = client:check_in(spec{ doors = { "Front Door", "Pool Gate" } })
t.ok(v == nil and err.status == 500 and err.undone == false and #err.cleanup_errors == 2 and
    err.cleanup_errors[1].error.status == 409 and err.cleanup_errors[2].step:find("deleting guest", 1, true),
    "an undo that fails: the original error with each cleanup failure", tostring(err))
t.like(tostring(err), "left behind: revoking access .-409.-; deleting guest .-409", "the message names what was left behind")
local left = client:find_guest("Morgan Renter")
t.ok(left ~= nil, "the guest the undo could not delete is still there (reported, not hidden)")
if left then
    for _, a in ipairs(client:accesses_list(left.id)) do assert(client:revoke_access(left.id, a.id)) end
    assert(client:delete_access_person(left.id))
end

-- the instructions email fails: undone as well
fault("latency", 1, { ms = 1 })
fault("status", 1, { status = 500 })
v, err = client:check_in(spec{ doors = { "Front Door" }, notify = { days_before = 1 } })
t.ok(v == nil and err.undone == true and err.step == "sending the instructions email",
    "a failed instructions email undoes the check-in", tostring(err))
t.ok(client:find_guest("Morgan Renter") == nil, "no guest is left after it")

-- the instructions email sent (when the simulator serves it)
local probe = client:request("POST", "/access_persons/" .. E.casey_current .. "/email/notify", { attributes = {} })
if probe then
    stay, cerr = client:check_in(spec{ doors = { "Front Door" }, notify = true })
    t.ok(stay and stay.notified == true, "check_in with notify sends the instructions email", tostring(cerr))
    if stay then assert(client:delete_access_person(stay.guest.id)) end
else
    t.ok(true, "# SKIP TODO: the simulator does not serve POST /access_persons/:id/email/notify yet")
end

t.raises(function() client:check_in(spec{ doors = {} }) end, "doors is empty", "no doors raises")
t.raises(function() client:check_in(spec{ doors = { { device = "Front Door", location = "x" } } }) end,
    "names both", "a door naming two kinds raises")
t.raises(function() client:check_in(spec{ doors = nil }) end, "doors is required", "check_in without doors raises")
t.raises(function() client:check_in(spec{ doors = nil, door = "Front Door" }) end, "the key is doors",
    "check_in with door = names the key")
t.raises(function() client:check_in(spec{ doors = { { devise = "Front Door" } } }) end, "unknown option 'devise'",
    "a misspelt door key raises")
t.raises(function() client:check_in(spec{ doors = { 42 } }) end, "door 1: a name, an id or a table",
    "a door of the wrong type raises")
t.raises(function() client:check_in(spec{ doors = { "Front Door" }, notify = "yes" }) end,
    "notify must be", "a wrong notify raises")
t.ok(client:find_guest("Morgan Renter") == nil, "raising before anything was created leaves nothing")

---------------------------------------------------------------- extending stays

-- Denver: clocks forward on 2026-03-08
local g = assert(client:create_guest{ name = "Dee Denver", pin = "7101",
    starts_at = "2026-03-05T15:00:00", ends_at = "2026-03-07T11:00:00" })
assert(client:grant_access(g.id, { accessible_type = "lock", accessible_id = E.front_door }))
local ext, eerr = client:extend_stay(g.id, { days = 2 })
t.is(ext and ext.attributes.ends_at, "2026-03-09T11:00:00",
    "Denver: two days across spring-forward keep the 11:00 end " .. tostring(eerr))
ext = assert(client:extend_stay(g.id, "-2 days"))
ext = assert(client:extend_stay(g.id, "48h"))
t.is(ext.attributes.ends_at, "2026-03-09T12:00:00", "Denver: 48 elapsed hours end at 12:00 on the clock")
ext = assert(client:extend_stay(g.id, "24h", { time_zone = "UTC" }))
t.is(ext.attributes.ends_at, "2026-03-10T12:00:00", "time_zone overrides the location's")
t.is(client:access_person(g.id).attributes.ends_at, "2026-03-10T12:00:00", "the API keeps the new end")

-- Berlin: clocks forward on 2026-03-29; the guest's door is a location
local b = assert(client:create_guest{ name = "Bea Berlin", pin = "7102",
    starts_at = "2026-03-25T15:00:00", ends_at = "2026-03-28T11:00:00" })
assert(client:grant_access(b.id, { accessible_type = "location", accessible_id = E.alpine_lodge }))
t.is(client:stay_time_zone(b.id), "Europe/Berlin", "stay_time_zone of a location grant")
ext = assert(client:extend_stay(b.id, "24 hours"))
t.is(ext.attributes.ends_at, "2026-03-29T12:00:00", "Berlin: 24 elapsed hours across spring-forward end at 12:00")
ext = assert(client:extend_stay(b.id, { weeks = 1 }))
t.is(ext.attributes.ends_at, "2026-04-05T12:00:00", "Berlin: a week keeps the wall-clock time")

-- what cannot be extended
v, err = client:extend_stay(E.avery_owner, { days = 1 })
t.ok(v == nil and err.kind == "not-found" and tostring(err):find("only guests have stays", 1, true),
    "a user has no stay to extend", tostring(err))
v, err = client:extend_stay(E.missing_id, { days = 1 })
t.ok(v == nil and err.status == 404, "an unknown guest: the API's 404")
local nodoor = assert(client:create_guest{ name = "Nat Nodoor", pin = "7103",
    starts_at = "2026-03-25T15:00:00", ends_at = "2026-03-28T11:00:00" })
v, err = client:extend_stay(nodoor.id, { days = 1 }, { time_zone = "Mars/Olympus" })
t.ok(v == nil and err.kind == "io", "an unknown time zone: nil, err", tostring(err))
t.raises(function() client:extend_stay(g.id, 3) end, "duration table or string", "a bare number raises")
t.raises(function() client:extend_stay(g.id, "2 fortnights") end, "extend_stay: unknown duration unit",
    "a bad duration names extend_stay, not an internal function")
t.raises(function() client:extend_stay(g.id, "1d", { timezone = "UTC" }) end,
    "unknown option 'timezone' %(accepted: time_zone%)", "a misspelt extend_stay option raises")
v, err = client:extend_stay(nodoor.id, { days = 1 })
t.ok(v == nil and err.kind == "usage" and err.message:find("has no access", 1, true) and
    err.message:find("time_zone", 1, true), "a guest without grants: nil, err telling to pass time_zone",
    tostring(err))
t.raises(function() client:check_out(g.id, { revok = true }) end, "unknown option 'revok'",
    "a misspelt check_out option raises")
t.raises(function() client:create_guest{ name = "Zed Zulu", starts_at = "2026-03-10T15:00:00Z",
    ends_at = "2026-03-11T11:00:00" } end, "starts_at '2026%-03%-10T15:00:00Z' carries a zone",
    "a UTC starts_at raises instead of being read as local time")
t.raises(function() client:create_guest{ name = "Zed Zulu", starts_at = "2026-03-10T15:00:00",
    ends_at = "2026-03-11T11:00:00+01:00" } end, "ends_at .* carries a zone", "an offset ends_at raises")
for _, id in ipairs{ g.id, b.id, nodoor.id } do assert(client:delete_access_person(id)) end

-- util.call_path: "." and ".." stay one segment (percent-encoded)
local mark = log_mark()
lockcloud._util.call_path(client, "GET", "/nothing_here/:id/x", { ".." })
local seen = requests_since(mark)
t.ok(seen[1] and (seen[1]:find("/nothing_here/%2E%2E/x", 1, true) or seen[1]:find("/nothing_here/../x", 1, true)),
    "call_path: an id '..' reaches the server as a segment (not removed as a dot segment)", seen[1])

---------------------------------------------------------------- attention

local list = assert(client:locks_needing_attention())
t.is(#list, 0, "the fixture's locks need no attention at the default 20%")
list = assert(client:locks_needing_attention{ battery_below = 70 })
t.ok(#list == 1 and list[1].name == "Pool Gate" and list[1].reasons[1].code == "low_battery" and
    list[1].reasons[1].text == "battery at 60% (below 70%)", "battery below 70%: the Pool Gate (60%)")
t.raises(function() client:locks_needing_attention{ battery_below = 120 } end, "percentage", "a threshold over 100 raises")
t.raises(function() client:locks_needing_attention{ battery = 99 } end,
    "unknown option 'battery' %(accepted: battery_below, query%)", "a misspelt option raises naming the accepted ones")

local controlled = pcall(E.ctl, "/_sim/device", { device_id = E.lodge_entrance, connected = false, alive = false })
if controlled then
    E.ctl("/_sim/device", { device_id = E.front_door, power_level = 5 })
    list = assert(client:locks_needing_attention())
    local lines = {}
    for _, l in ipairs(list) do
        local codes = {}
        for _, r in ipairs(l.reasons) do codes[#codes + 1] = r.code end
        lines[#lines + 1] = l.name .. ": " .. table.concat(codes, ",")
    end
    t.is(table.concat(lines, "; "), "Front Door: low_battery; Lodge Entrance: offline,not_alive",
        "the simulator's battery and connectivity control: low battery, offline, no heartbeat")
    list = assert(client:locks_needing_attention{ query = { attributes = { location_id = E.harbor_view } } })
    t.ok(#list == 1 and list[1].name == "Front Door", "the query narrows the devices looked at")
else
    t.ok(true, "# SKIP TODO: the simulator has no /_sim/device control yet (battery, connectivity)")
end

---------------------------------------------------------------- ambiguous devices

local f = assert(io.open((os.getenv("LC_TOP") or ".") .. "/sim/fixtures/default.json"))
local fixture = assert(lockcloud.decode(f:read("*a")))
f:close()
for _, dev in ipairs(fixture.devices) do
    if dev.id == E.lodge_entrance then dev.name = "Front Door" end
end
E.ctl("/_sim/fixture", fixture)
client:close()
client = assert(E.client())
v, err = client:find_device("Front Door")
t.ok(v == nil and err.kind == "ambiguous" and #err.candidates == 2 and
    tostring(err):find("2 devices are named 'Front Door'", 1, true), "two devices of one name: ambiguous", tostring(err))
v, err = client:check_in(spec{ doors = { "Front Door" } })
t.ok(v == nil and err.kind == "ambiguous", "check_in with an ambiguous door creates nothing")
E.reset()

client:close()
os.exit(t.done(), true) -- close the state: every __gc runs (leak checks see them)
