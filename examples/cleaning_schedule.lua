#!/usr/bin/env lua5.4
-- A cleaning crew's weekly hours, with the lockcloud Lua module: an access
-- exception for the holidays, an access schedule (weekday mornings, not on
-- those days), a cleaner (access user with a PIN) granted the Front Door
-- only within that schedule; then everything is removed again, so the
-- script can run any number of times.
--
--   SIM_URL=https://127.0.0.1:PORT SIM_CA=/path/ca.pem lua5.4 examples/cleaning_schedule.lua
--
-- Against the simulator it uses the fixture's demo application;
-- LOCKCLOUD_CLIENT_ID / LOCKCLOUD_CLIENT_SECRET override. Exits non-zero,
-- printing the error, as soon as any step fails.

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
    io.stderr:write("usage: SIM_URL=https://host:port SIM_CA=ca.pem lua5.4 cleaning_schedule.lua\n")
    os.exit(2)
end

-- must("what", f(...)): the value, or stop with the error object's message
-- (tostring: Lua 5.1's assert and error printing take no error tables).
local function must(what, value, err)
    if value == nil then
        io.stderr:write("error: ", what, ": ", tostring(err), "\n")
        os.exit(1)
    end
    return value
end

local function say(fmt, ...) io.write(string.format(fmt, ...), "\n") end

-- Weekday mornings, 09:00 to 13:00: one time span per day.
local function weekday_mornings()
    local days = {}
    for _, d in ipairs{ "mon", "tue", "wed", "thu", "fri" } do
        days[d] = { { start_time = "09:00", end_time = "13:00" } }
    end
    return days
end

local function main()
    local client = must("creating the client", lockcloud.remotelock{
        api_url = url, auth_url = url, cafile = ca, timeout = 15,
        client_id = os.getenv("LOCKCLOUD_CLIENT_ID") or "lockcloud-demo-client",
        client_secret = os.getenv("LOCKCLOUD_CLIENT_SECRET") or "lockcloud-demo-secret",
    })

    local door
    for d in client:devices{ type = "lock" } do
        if d.attributes.name == "Front Door" then door = d end
    end
    must("finding the Front Door", door, "no lock is named Front Door")

    -- 1. The days the crew does not come.
    local holidays = must("creating the access exception", client:create_access_exception{
        name = "Crew holidays",
        dates = { { start_date = "2026-12-24", end_date = "2026-12-26" },
                  { start_date = "2026-12-31", end_date = "2027-01-01" } },
    })
    say("1. Access exception %q: %d date ranges", holidays.attributes.name,
        #holidays.attributes.dates)

    -- 2. When the crew may come: weekday mornings, except those days.
    local attributes = weekday_mornings()
    attributes.name = "Cleaning crew mornings"
    attributes.access_exception_id = holidays.id
    local schedule = must("creating the access schedule", client:create_schedule{
        type = "access_schedule", attributes = attributes,
    })
    local mon = schedule.attributes.mon[1]
    say("2. Access schedule %q: Mon %s-%s ... Fri, not on %q", schedule.attributes.name,
        mon.start_time, mon.end_time, holidays.attributes.name)

    -- 3. The cleaner, and the Front Door within that schedule.
    local cleaner = must("creating the cleaner", client:create_user{
        name = "Robin Cleaner", pin = "97531",
    })
    local access = must("granting the Front Door", client:grant_access(cleaner.id, {
        accessible_type = "lock", accessible_id = door.id, access_schedule_id = schedule.id,
    }))
    say("3. %s (PIN %s) may open %s on that schedule (access %s)", cleaner.attributes.name,
        tostring(cleaner.attributes.pin), door.attributes.name, access.id)

    -- 4. What the account holds now.
    for s in client:schedules{ type = "access_schedule", sort = "name" } do
        say("4. access schedule: %s", s.attributes.name)
    end
    for a in client:accesses(cleaner.id) do
        say("4. %s: %s, schedule %s", cleaner.attributes.name, a.attributes.accessible_name,
            a.attributes.access_schedule_id == schedule.id and "Cleaning crew mornings" or "none")
    end

    -- 5. Tidy up: the access, the cleaner, the schedule, then its exception.
    must("revoking the access", client:revoke_access(cleaner.id, access.id))
    must("deleting the cleaner", client:delete_access_person(cleaner.id))
    must("deleting the schedule", client:delete_schedule(schedule.id))
    must("deleting the access exception", client:delete_access_exception(holidays.id))
    local _, err = client:schedule(schedule.id)
    say("5. Removed again (the schedule now answers HTTP %s)", tostring(err and err.status))
    client:close()
end

-- Iterators raise the error object instead of returning nil, err: main()
-- runs under pcall so those failures print the same way.
local ok, err = pcall(main)
if not ok then
    io.stderr:write("error: ", tostring(err), "\n")
    os.exit(1)
end
