#!/usr/bin/env lua5.4
-- A guest's stay, end to end, with the lockcloud Lua module:
-- list locks, create a guest with a PIN and a stay window, grant the Front
-- Door, unlock it, show the resulting event, extend the stay, deactivate.
--
--   SIM_URL=https://127.0.0.1:PORT SIM_CA=/path/ca.pem lua5.4 examples/guest_lifecycle.lua
--
-- Against the simulator (examples/demo.sh starts one) it uses the fixture's
-- demo application; LOCKCLOUD_CLIENT_ID / LOCKCLOUD_CLIENT_SECRET override.
-- Exits non-zero, printing the error, as soon as any step fails.

-- Run from a source tree without LUA_PATH/LUA_CPATH: find lua/ and the C
-- module built for this interpreter (build/lua/5.4, build/lua/jit, ...).
if not pcall(require, "lockcloud") then
    local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
    local version = rawget(_G, "jit") and "jit" or _VERSION:match("%d+%.%d+")
    package.path = here .. "/../lua/?.lua;" .. package.path
    package.cpath = (os.getenv("LC_BUILD") or here .. "/../build") .. "/lua/" .. version ..
        "/?.so;" .. package.cpath
end
local lockcloud = require "lockcloud"

local url, ca = os.getenv("SIM_URL"), os.getenv("SIM_CA")
if not url then
    io.stderr:write("usage: SIM_URL=https://host:port SIM_CA=ca.pem lua5.4 guest_lifecycle.lua\n")
    os.exit(2)
end

-- must("what", f(...)): the value, or stop with the error object's message.
local function must(what, value, err)
    if value == nil then
        io.stderr:write("error: ", what, ": ", tostring(err), "\n")
        os.exit(1)
    end
    return value
end

local function say(fmt, ...) io.write(string.format(fmt, ...), "\n") end

-- Display text for a JSON value that may be absent or null.
local function text(v)
    if v == nil or v == lockcloud.null then return "-" end
    return tostring(v)
end

-- Iterators raise the error object instead of returning nil, err: main()
-- runs under pcall so those failures print the same way.
local function main()
    local client = must("creating the client", lockcloud.remotelock{
        api_url = url, auth_url = url, cafile = ca, timeout = 15,
        client_id = os.getenv("LOCKCLOUD_CLIENT_ID") or "lockcloud-demo-client",
        client_secret = os.getenv("LOCKCLOUD_CLIENT_SECRET") or "lockcloud-demo-secret",
    })
    say("lockcloud %s: guest lifecycle against %s", lockcloud.version, url)

    -- 1. Locks, with their locations' names and time zones.
    local locations = {}
    for _, loc in ipairs(must("listing locations", client:locations_list())) do
        locations[loc.id] = loc.attributes
    end
    local locks = must("listing locks", client:devices_list{ type = "lock" })
    say("1. Locks (%d):", #locks)
    local front_door
    for _, d in ipairs(locks) do
        local a, loc = d.attributes, locations[d.attributes.location_id] or {}
        say("     %-15s %-9s %-12s %s", a.name, text(a.state), text(loc.name), text(loc.time_zone))
        if a.name == "Front Door" then front_door = d end
    end
    must("finding the Front Door", front_door, "no lock is named Front Door")
    local tz = (locations[front_door.attributes.location_id] or {}).time_zone or "the lock's zone"

    -- 2. A guest with a PIN for a stay around the clock (the simulator starts at
    -- 2026-03-10). starts_at/ends_at carry no zone: the lock's zone applies.
    local guest = must("creating the guest", client:create_guest{
        name = "Jordan Guest", pin = "2468",
        starts_at = "2026-03-10T00:00:00", ends_at = "2026-03-12T11:00:00",
    })
    local ga = guest.attributes
    say("2. Created guest %q (id %s), PIN %s, stay %s .. %s (%s), status %s",
        ga.name, guest.id, text(ga.pin), ga.starts_at, ga.ends_at, tz, text(ga.status))

    -- 3. Access to the Front Door.
    local access = must("granting the Front Door", client:grant_access(guest.id, {
        accessible_type = "lock", accessible_id = front_door.id,
    }))
    say("3. Granted %s access to %s (access id %s)", ga.name, front_door.attributes.name, access.id)
    local now = must("reading the guest back", client:access_person(guest.id))
    say("   %s is now %s", ga.name, text(now.attributes.status))

    -- 4. Unlock it.
    local unlocked = must("unlocking the Front Door", client:unlock(front_door.id))
    say("4. Unlocked %s: state is now %s", unlocked.attributes.name, text(unlocked.attributes.state))

    -- 5. The event the unlock produced: events come newest first.
    local event
    for ev in client:events{ per_page = 10 } do
        if ev.attributes.publisher_id == front_door.id and ev.type == "unlocked_event" then
            event = ev
            break
        end
    end
    must("finding the unlock event", event, "no unlocked_event for the Front Door")
    event = must("reading the event", client:event(event.id))
    local ea = event.attributes
    say("5. Event %s: %s at %s (%s), status %s, source %s", event.id, event.type,
        text(ea.occurred_at), text(ea.time_zone), text(ea.status), text(ea.source))
    for n in client:notifications{ per_page = 10 } do
        if lockcloud.encode(n):find(event.id, 1, true) then
            say("   notification %s was sent for it", n.id)
            break
        end
    end

    -- 6. Extend the stay by two days.
    local extended = must("extending the stay", client:update_access_person(guest.id, {
        ends_at = "2026-03-14T11:00:00",
    }))
    say("6. Extended the stay: now %s .. %s", extended.attributes.starts_at, extended.attributes.ends_at)

    -- 7. Check out: deactivate the guest (the PIN stops working).
    local done = must("deactivating the guest", client:deactivate_access_person(guest.id))
    say("7. Deactivated %s: status %s", done.attributes.name, text(done.attributes.status))

    local limit, remaining = client:rate_limit()
    if limit then say("   (rate limit: %d of %d requests left this window)", remaining or 0, limit) end
    client:close()
    say("Done.")
end

local ok, err = pcall(main)
if not ok then
    io.stderr:write("error: ", tostring(err), "\n")
    os.exit(1)
end
