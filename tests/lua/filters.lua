-- Query keys per collection endpoint: the API ignores a key it does not
-- know and answers the whole collection, so client:events{publisher_id = id}
-- (instead of attributes = {publisher_id = id}) would silently return every
-- event. Unknown keys raise, naming the endpoint and the keys it takes; the
-- documented keys filter as documented.
local t = require "tap"
local lockcloud = require "lockcloud"
local E = require "simenv"

E.reset()
local client = assert(E.client())
assert(client:authenticate())
local sent = E.request_count()

-- the reported mistake, through every way of listing events
local msg = "events %(GET /events%) does not take query key 'publisher_id' %(it takes: " ..
    "attributes, id, per_page, sort, type; filter on an attribute with " ..
    "attributes = {publisher_id = %.%.%.}%)"
t.raises(function() client:events{ publisher_id = E.pool_gate } end, msg,
    "events{publisher_id = id} raises, naming the endpoint, its keys and the fix")
t.raises(function() client:events_list{ publisher_id = E.pool_gate } end, msg,
    "events_list{publisher_id = id} raises the same")
t.raises(function() client:each("events.list", nil, { publisher_id = E.pool_gate }) end, msg,
    "each('events.list', ...) raises the same")
t.raises(function() client:list("events.list", nil, { publisher_id = E.pool_gate }) end, msg,
    "list('events.list', ...) raises the same")
t.raises(function() client:call("events.list", nil, { publisher_id = E.pool_gate }) end,
    "events %(GET /events%) does not take query key 'publisher_id' %(it takes: " ..
    "attributes, id, page, per_page, sort, type;",
    "call('events.list', ...) raises the same (and also takes page)")
t.like(select(2, pcall(function() client:events{ publisher_id = 1 } end)), "filters%.lua:%d+: lockcloud",
    "the error points at the caller's line")

-- a near miss of a key the endpoint takes is a typo, not an attribute
t.raises(function() client:access_persons_list{ stauts = "current" } end,
    "does not take query key 'stauts' %(it takes: .*; did you mean 'status'%?%)",
    "a transposed key suggests the key it misspells")
t.raises(function() client:devices_list{ sorts = "name" } end,
    "did you mean 'sort'%?", "a key one letter off suggests the real one")
t.raises(function() client:devices_list{ location_id = "x" } end,
    "filter on an attribute with attributes = {location_id = %.%.%.}",
    "a key far from every known key still suggests an attribute filter")

-- NaN and infinities are no query values or path arguments
t.raises(function() client:devices_list{ attributes = { power_level = math.huge } } end,
    "cannot be NaN or infinite", "an infinite query value raises")
t.raises(function() client:devices_list{ attributes = { power_level = 0 / 0 } } end,
    "cannot be NaN or infinite", "a NaN query value raises")
t.raises(function() client:call("devices.get", { -math.huge }) end,
    "cannot be NaN or infinite", "an infinite path argument raises")

-- every collection method refuses an unknown key and lists its own keys
local takes = {
    access_persons = "attributes, id, per_page, sort, status, type",
    devices = "attributes, id, per_page, sort, type",
    locations = "attributes, id, per_page, sort",
    events = "attributes, id, per_page, sort, type",
    notifications = "attributes, id, per_page",
}
for fname, keys in pairs(takes) do
    local path = "/" .. fname
    t.raises(function() client[fname](client, { bogus = 1 }) end,
        fname .. " %(GET " .. path .. "%) does not take query key 'bogus' %(it takes: " .. keys .. ";",
        fname .. "{bogus = 1} raises, listing " .. keys)
    t.raises(function() client[fname .. "_list"](client, { bogus = 1 }) end,
        "does not take query key 'bogus'", fname .. "_list{bogus = 1} raises")
end
t.raises(function() client:accesses(E.casey_current, { sort = "created_at" }) end,
    "accesses %(GET /access_persons/:access_person_id/accesses%) does not take query key 'sort' " ..
    "%(it takes: attributes, guest_management_enabled, id, per_page;",
    "accesses(id, {sort = ...}) raises: not documented there")
t.raises(function() client:events{ status = "failed" } end,
    "events %(GET /events%) does not take query key 'status'.*attributes = {status = %.%.%.}",
    "status is an access_persons shortcut only: events{status = ...} raises with the fix")
t.raises(function() client:devices{ attributes = "x" } end,
    "query key 'attributes' of devices %(GET /devices%) takes a table of attribute filters",
    "attributes must be a table of filters")
t.raises(function() client:devices{ attributes = { "x" } } end, "takes a table of attribute filters",
    "attributes must not be a sequence")
-- An empty list filter vanished from the query: access_persons{id = wanted}
-- with nothing wanted answered every person (a script acting on each one
-- acted on all). Empty lists raise; an empty attributes table adds nothing.
for _, case in ipairs({
    { "access_persons{id = {}}", function() client:access_persons_list{ id = {} } end, "'id'" },
    { "access_persons{id = lockcloud.array()}",
        function() client:access_persons_list{ id = lockcloud.array() } end, "'id'" },
    { "access_persons{status = {}}", function() client:access_persons_list{ status = {} } end,
        "'attributes%[status%]'" },
    { "devices{type = {}}", function() client:devices_list{ type = {} } end, "'type'" },
    { "events{attributes = {publisher_id = {}}}",
        function() client:events_list{ attributes = { publisher_id = {} } } end,
        "'attributes%[publisher_id%]'" },
    { "call('devices.list', nil, {id = {}})",
        function() client:call("devices.list", nil, { id = {} }) end, "'id'" },
}) do
    t.raises(case[2], "query parameter " .. case[3] .. " is an empty list", case[1] .. " raises")
end
t.is(E.request_count(), sent, "no refused query sent a request")

-- the documented keys filter
local function ids(list) return E.ids(list or {}) end

local pool = assert(client:events_list{ attributes = { publisher_id = E.pool_gate } })
t.ok(#pool == 1 and pool[1].attributes.publisher_id == E.pool_gate,
    "events{attributes = {publisher_id = id}}: only the Pool Gate's event", #pool)
local unlocked = assert(client:events_list{ type = "unlocked_event" })
local all_unlocked = #unlocked > 0
for _, ev in ipairs(unlocked) do all_unlocked = all_unlocked and ev.type == "unlocked_event" end
t.ok(all_unlocked and #unlocked == 3, "events{type = 'unlocked_event'}: the 3 unlock events", #unlocked)
local oldest = assert(client:events_list{ sort = "occurred_at" })
local newest = assert(client:events_list{ sort = "-occurred_at" })
t.ok(#oldest == 4 and oldest[1].id == newest[#newest].id and oldest[1].id ~= newest[1].id,
    "events{sort = 'occurred_at'} and '-occurred_at' give opposite orders")

local two = assert(client:access_persons_list{ id = { E.casey_current, E.uma_upcoming } })
local set = ids(two)
t.ok(#two == 2 and set[E.casey_current] and set[E.uma_upcoming], "access_persons{id = {a, b}}: exactly a and b")
local guests = assert(client:access_persons_list{ type = "access_guest", status = "current" })
t.ok(#guests >= 1 and not ids(guests)[E.avery_owner], "access_persons{type, status}: guests only")
local named = assert(client:access_persons_list{ sort = "name", status = { "current", "upcoming" } })
t.ok(#named >= 2 and named[1].attributes.name <= named[2].attributes.name,
    "access_persons{sort = 'name'}: ascending names")

local harbor = assert(client:devices_list{ attributes = { location_id = E.harbor_view }, type = "lock" })
t.is(#harbor, 2, "devices{attributes = {location_id}, type = 'lock'}: 2 Harbor View locks")
local locs = assert(client:locations_list{ sort = "-name" })
t.ok(#locs == 2 and locs[1].attributes.name > locs[2].attributes.name, "locations{sort = '-name'}: descending")
local one = assert(client:locations_list{ id = { E.alpine_lodge } })
t.ok(#one == 1 and one[1].id == E.alpine_lodge, "locations{id = {id}}: just that one")
local grants = assert(client:accesses_list(E.casey_current, { attributes = { accessible_id = E.front_door } }))
t.ok(#grants >= 1 and grants[1].attributes.accessible_id == E.front_door,
    "accesses(person, {attributes = {accessible_id}}) filters the person's grants")
local notes = assert(client:notifications_list{ id = { "60000000-0000-4000-8000-000000000001" } })
t.is(#notes, 1, "notifications{id = {id}}: just that one")

t.ok(#assert(client:devices_list{ attributes = {} }) == 10, "devices{attributes = {}}: no filter, every device")

-- Numbers reach the URL as the value they are: on 5.3+ an integer beyond
-- 2^53 went through a double (9007199254740993 was sent as ...992).
if math.type then
    local before = E.request_count()
    local big = math.tointeger(2^53) + 1
    client:call("devices.get", { big })
    local log = E.ctl("/_sim/requests", nil, "GET").requests
    t.ok(#log == before + 1 and log[#log].path == "/devices/9007199254740993",
        "an integer path argument beyond 2^53 is sent with all its digits", log[#log] and log[#log].path)
else
    t.ok(true, "no integer subtype in this Lua # SKIP")
end

-- an endpoint the table does not describe keeps the raw escape hatch
local doc = client:call("devices.get", { E.front_door })
t.ok(doc and doc.data and doc.data.id == E.front_door, "call() of a member endpoint still works")

client:close()
os.exit(t.done(), true) -- close the state: every __gc runs (sanitizer runs check them)
