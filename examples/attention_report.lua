#!/usr/bin/env lua5.4
-- The locks that need a visit: battery below a threshold, offline, or no
-- heartbeat. Exits 0 when none does, 3 when some do (for cron and
-- monitoring), 1 on an error.
--
--   SIM_URL=https://127.0.0.1:PORT SIM_CA=/path/ca.pem lua5.4 examples/attention_report.lua [battery-percent]

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
local below = tonumber(arg and arg[1] or "20")
if not url or not below then
    io.stderr:write("usage: SIM_URL=https://host:port SIM_CA=ca.pem lua5.4 attention_report.lua [battery-percent]\n")
    os.exit(2)
end

local client = assert(lockcloud.remotelock{
    api_url = url, auth_url = url, cafile = ca, timeout = 15,
    client_id = os.getenv("LOCKCLOUD_CLIENT_ID") or "lockcloud-demo-client",
    client_secret = os.getenv("LOCKCLOUD_CLIENT_SECRET") or "lockcloud-demo-secret",
})
local locks, err = client:locks_needing_attention{ battery_below = below }
if not locks then
    io.stderr:write("error: ", tostring(err), "\n")
    os.exit(1)
end
local places = {}
for loc in client:locations() do places[loc.id] = loc.attributes.name end
if #locks == 0 then
    print(string.format("All locks are fine (battery threshold %d%%).", below))
else
    print(string.format("%d lock(s) need attention (battery threshold %d%%):", #locks, below))
    for _, lock in ipairs(locks) do
        local reasons = {}
        for i, r in ipairs(lock.reasons) do reasons[i] = r.text end
        print(string.format("  %-16s %-14s %s", lock.name,
            places[lock.device.attributes.location_id] or "-", table.concat(reasons, "; ")))
    end
end
client:close()
os.exit(#locks == 0 and 0 or 3)
