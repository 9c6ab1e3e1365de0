-- A guest's whole life: create -> grant -> unlock -> event -> extend ->
-- deactivate -> revoke -> delete.
local t = require "tap"
local lockcloud = require "lockcloud"
local E = require "simenv"

E.reset()
local client = assert(E.client())

local guest, err = client:create_guest{
    name = "Lua Lifecycle", pin = "4321",
    starts_at = "2026-03-09T15:00:00", ends_at = "2026-03-12T11:00:00",
}
t.ok(guest, "create_guest{...} returns the new guest", tostring(err))
guest = guest or { attributes = {} }
t.ok(type(guest.id) == "string" and #guest.id > 0, "new guest has a string id")
t.is(guest.type, "access_guest", "type access_guest")
t.is(guest.attributes.name, "Lua Lifecycle", "name stored")
t.is(guest.attributes.pin, "4321", "PIN stored (string)")
t.is(guest.attributes.ends_at, "2026-03-12T11:00:00", "ends_at stored as sent")

local access
access, err = client:grant_access(guest.id, { accessible_type = "lock", accessible_id = E.front_door })
t.ok(access, "grant_access(person, {lock})", tostring(err))
access = access or { attributes = {} }
t.is(access.type, "access_person_access", "grant returns an access")
t.is(access.attributes.accessible_id, E.front_door, "access points at the Front Door")
t.is(access.attributes.access_person_id, guest.id, "access belongs to the guest")

local got = client:access(guest.id, access.id or "none")
t.ok(got and got.id == access.id, "access(person, id) reads the grant back")
local listed = client:accesses_list(guest.id)
t.ok(listed and #listed == 1 and listed[1].id == access.id, "accesses_list(person) has exactly the grant")

local upd
upd, err = client:update_access(guest.id, access.id or "none", { guest_start_time = "14:00" })
t.ok(upd and upd.id == access.id and upd.type == "access_person_access", "update_access returns the access",
    tostring(err))

local person = client:access_person(guest.id)
t.is(person and person.attributes.status, "current", "guest is current (stay window contains the clock)")

local dev
dev, err = client:unlock(E.front_door)
t.is(dev and dev.attributes.state, "unlocked", "unlock(Front Door)", tostring(err))

local found
for ev in client:events{ per_page = 5 } do
    if ev.attributes.publisher_id == E.front_door and ev.type == "unlocked_event" then
        found = ev
        break
    end
end
t.ok(found, "the unlock shows up in events (newest first)")
if found then
    local ev = client:event(found.id)
    t.ok(ev and ev.id == found.id and ev.attributes.status ~= nil, "event(id) reads it back")
else
    t.ok(false, "event(id) (no event found)")
end
local note_for_event = false
for n in client:notifications() do
    local enc = lockcloud.encode(n)
    if found and enc:find(found.id, 1, true) then note_for_event = true end
end
t.ok(note_for_event, "a notification refers to the new event")

local updated
updated, err = client:update_access_person(guest.id, { ends_at = "2026-03-15T11:00:00" })
t.is(updated and updated.attributes.ends_at, "2026-03-15T11:00:00", "update_access_person extends the stay",
    tostring(err))
t.is(client:access_person(guest.id).attributes.ends_at, "2026-03-15T11:00:00", "extension persisted")

local deact
deact, err = client:deactivate_access_person(guest.id)
t.is(deact and deact.attributes.status, "deactivated", "deactivate_access_person", tostring(err))

local ok
ok, err = client:revoke_access(guest.id, access.id or "none")
t.is(ok, true, "revoke_access returns true", tostring(err))
local gone, gerr = client:access(guest.id, access.id or "none")
t.ok(gone == nil and gerr.status == 404, "revoked access is gone (404)", tostring(gerr))

ok, err = client:delete_access_person(guest.id)
t.is(ok, true, "delete_access_person returns true", tostring(err))
gone, gerr = client:access_person(guest.id)
t.ok(gone == nil and gerr.status == 404, "deleted guest is gone (404)", tostring(gerr))

-- create_access_person directly, and the raw request() path with a body
local p2
p2, err = client:create_access_person{ type = "access_user", attributes = { name = "Direct", pin = "9753" } }
t.ok(p2 and p2.type == "access_user" and p2.attributes.name == "Direct", "create_access_person{type, attributes}",
    tostring(err))
local raw
raw, err = client:request("POST", "/access_persons",
    { type = "access_guest", attributes = { name = "Raw", pin = "1357",
      starts_at = "2026-03-09T15:00:00", ends_at = "2026-03-12T11:00:00" } })
t.ok(raw and raw.data and raw.data.attributes.name == "Raw", "request(POST, path, body) returns the document",
    tostring(err))
if raw and p2 then
    t.is(client:request("DELETE", "/access_persons/" .. raw.data.id), true, "request(DELETE) answers true (204)")
    t.is(client:delete_access_person(p2.id), true, "delete the directly created user")
end

-- a user (no stay window)
local user
user, err = client:create_user{ name = "Lua User", pin = "8642", email = "lua@example.com" }
t.ok(user and user.type == "access_user" and user.attributes.status == "current", "create_user{...}",
    tostring(err))
if user then t.is(client:delete_access_person(user.id), true, "delete the user") end

client:close()
os.exit(t.done(), true) -- close the state: every __gc runs (sanitizer runs check them)
