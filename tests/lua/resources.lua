-- Every resource method against the simulator's fixture data.
local t = require "tap"
local lockcloud = require "lockcloud"
local E = require "simenv"

E.reset()
local client = assert(E.client())

-- access persons
local casey, err = client:access_person(E.casey_current)
t.ok(casey, "access_person(id) returns the resource", tostring(err))
casey = casey or {}
t.is(casey.id, E.casey_current, "resource id is the requested string id")
t.is(casey.type, "access_guest", "resource type")
t.is(casey.attributes and casey.attributes.name, "Casey Current", "resource attributes")
t.is(casey.attributes and casey.attributes.status, "current", "guest status from the simulator clock")
t.is(casey.attributes and casey.attributes.starts_at, "2026-03-08T15:00:00", "starts_at stays a zone-less string")

-- the status-filtered iterator across several pages
local seen, order = {}, {}
for p in client:access_persons{ status = { "current", "upcoming" }, per_page = 2 } do
    seen[p.id] = p.attributes.status
    order[#order + 1] = p.id
end
t.is(E.count(seen), 3, "current+upcoming: 3 people over 2 pages")
t.ok(seen[E.avery_owner] == "current" and seen[E.casey_current] == "current"
    and seen[E.uma_upcoming] == "upcoming", "current+upcoming: Avery, Casey, Uma")
t.is(#order, 3, "no duplicates across pages")

local pages = 0
for _, r in ipairs(E.ctl("/_sim/requests", nil, "GET").requests) do
    if r.method == "GET" and r.path == "/access_persons" then pages = pages + 1 end
end
t.is(pages, 2, "the iterator fetched exactly 2 pages")

local all = {}
for p in client:access_persons{ status = { "current", "upcoming", "expired", "deactivated" },
                                type = "access_guest", per_page = 2 } do
    all[p.id] = p.attributes.status
end
t.is(E.count(all), 5, "all statuses, guests only: 5 guests over 3 pages")
t.ok(all[E.avery_owner] == nil, "type filter left out the access_user")
t.is(all[E.tess_timezone], "expired", "Tess is expired in Berlin's time zone")
t.is(all[E.dana_deactivated], "deactivated", "Dana is deactivated")

local expired, meta = client:access_persons_list{ status = "expired", per_page = 1 }
t.ok(expired and #expired == 2, "access_persons_list{status='expired'}: 2 people", tostring(meta))
local eset = E.ids(expired or {})
t.ok(eset[E.eli_expired] and eset[E.tess_timezone], "expired: Eli and Tess")
t.ok(getmetatable(expired) == lockcloud.array_mt, "list result is a lockcloud array")
t.ok(meta and meta.total_count == 2 and meta.total_pages == 2 and meta.per_page == 1,
    "list returns the last page's meta", meta and lockcloud.encode(meta))

-- accesses
local accesses = client:accesses_list(E.casey_current)
t.ok(accesses and #accesses >= 1, "accesses_list(person) has Casey's grant")
local grant
for a in client:accesses(E.casey_current) do
    if a.attributes.accessible_id == E.front_door then grant = a end
end
t.ok(grant and grant.type == "access_person_access", "accesses() iterator finds the Front Door grant")
if grant then
    local a = client:access(E.casey_current, grant.id)
    t.ok(a and a.id == grant.id and a.attributes.accessible_type == "lock", "access(person, id)")
else
    t.ok(false, "access(person, id) (no grant found)")
end

-- devices and locations
local devices = assert(client:devices_list())
t.is(#devices, 10, "devices: 3 locks and 7 devices of other types")
local front = client:device(E.front_door)
t.ok(front and front.attributes.name == "Front Door", "device(id): Front Door")
local n = 0
for d in client:devices{ attributes = { location_id = E.harbor_view } } do
    n = n + 1
    t.is(d.attributes.location_id, E.harbor_view, "device filter by location: " .. d.attributes.name)
end
t.is(n, 5, "nested query table became attributes[location_id]: 5 Harbor View devices")
local locs = assert(client:locations_list())
t.is(#locs, 2, "locations: 2")
local harbor = client:location(E.harbor_view)
t.ok(harbor and harbor.attributes.name == "Harbor View", "location(id): Harbor View")
t.is(harbor and harbor.attributes.time_zone, "America/Denver", "location time zone")

-- lock / unlock
local function pool_events()
    local n = 0
    for e in client:events{ per_page = 2 } do
        if e.attributes.publisher_id == E.pool_gate then n = n + 1 end
    end
    return n
end
local pool_before = pool_events()
local locked = client:lock(E.pool_gate)
t.ok(locked and locked.id == E.pool_gate, "lock(id) returns the device")
local unlocked = client:unlock(E.pool_gate)
t.is(unlocked and unlocked.attributes.state, "unlocked", "unlock(id): state unlocked")
t.is(client:device(E.pool_gate).attributes.state, "unlocked", "device(id) shows the new state")
t.is((client:lock(E.pool_gate) or {}).attributes.state, "locked", "lock(id): state locked")

-- events and notifications
local events = assert(client:events_list())
t.ok(#events >= 2, "events: fixture events plus the ones just made (" .. #events .. ")")
local ev = events[1] and client:event(events[1].id)
t.ok(ev and ev.id == events[1].id and ev.type:match("_event$"), "event(id) returns the event",
    ev and ev.type)
t.is(pool_events() - pool_before, 3, "lock/unlock/lock of the Pool Gate made 3 events")
local notes = assert(client:notifications_list())
t.ok(#notes >= 1, "notifications: " .. #notes)

-- whole-document calls
local doc = client:call("devices.get", { E.front_door })
t.ok(doc and doc.data and doc.data.id == E.front_door, "call(name, args) returns the whole document")
doc = client:call("devices.list", nil, { per_page = 1, page = 2 })
t.ok(doc and doc.meta and doc.meta.page == 2 and doc.meta.per_page == 1 and #doc.data == 1,
    "call() with a query returns one page with meta")
doc = client:call("access_persons.get", E.uma_upcoming)
t.ok(doc and doc.data.attributes.status == "upcoming", "call() takes a single id string")
doc = client:request("GET", "/locations/" .. E.alpine_lodge)
t.ok(doc and doc.data.attributes.time_zone == "Europe/Berlin", "request(method, path) raw escape hatch")
local count = 0
for _ in client:each("locations.list") do count = count + 1 end
t.is(count, 2, "each(endpoint) iterates any collection")
local list = client:list("accesses.list", { E.casey_current })
t.ok(list and #list >= 1, "list(endpoint, args) collects any collection")

-- rate limit headers
local limit, remaining, reset = client:rate_limit()
t.is(limit, 120, "rate_limit(): limit 120")
t.ok(type(remaining) == "number" and remaining < 120, "rate_limit(): remaining counts down")
t.ok(type(reset) == "number" and reset > 1.7e9, "rate_limit(): reset is an epoch time")

-- OAuth flows
local c2 = assert(E.client())
t.ok(c2:authenticate(), "authenticate(): client_credentials grant")
local ok, aerr = c2:auth_code(E.auth_code, E.redirect_uri)
t.ok(ok == true, "auth_code(code, redirect_uri)", tostring(aerr))
t.ok(c2:refresh() == true, "refresh() with the rotated refresh token")
ok, aerr = c2:refresh()
t.ok(ok == true, "refresh() again (rotation kept)", tostring(aerr))
t.ok(c2:device(E.front_door), "requests work with the refreshed token")
ok, aerr = c2:auth_code(E.auth_code, E.redirect_uri)
t.ok(ok == nil and aerr.kind == "auth", "an authorization code is single use: auth error", tostring(aerr))
t.ok(c2:revoke() == true, "revoke()")
t.ok(c2:device(E.front_door), "after revoke a new token is obtained on demand")
c2:close()

local bad = assert(E.client{ client_secret = "wrong-secret" })
local r, berr = bad:device(E.front_door)
t.ok(r == nil and berr.kind == "auth", "wrong client secret: auth error", tostring(berr))
t.ok(not tostring(berr):find("wrong-secret", 1, true), "the secret is not in the message")
bad:close()

-- token file: created 0600 and reused by a second client
local tf = E.tmpfile("token")
local c3 = assert(E.client{ token_file = tf })
t.ok(c3:device(E.front_door), "client with a token file works")
c3:close()
local mode = io.popen("stat -c %a " .. tf):read("*l")
t.is(mode, "600", "token file is mode 0600")
local c4 = assert(E.client{ token_file = tf })
t.ok(c4:device(E.front_door), "a second client reuses the token file")
c4:close()
E.remove_token_file(tf)

client:close()
os.exit(t.done(), true) -- close the state: every __gc runs (sanitizer runs check them)
