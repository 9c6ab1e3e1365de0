#!/usr/bin/env lua5.4
-- Watch a RemoteLock account's events, each handled once, in order, even
-- across restarts: the position is saved to a cursor file after each event
-- is handled, and the next run resumes there.
--
--   SIM_URL=https://127.0.0.1:PORT SIM_CA=/path/ca.pem \
--       lua5.4 examples/watch_events.lua CURSOR-FILE [polls] [interval-seconds]
--
-- polls defaults to 0 (forever), interval to 10 s. Without a cursor file
-- the watch starts now. A second task (lockcloud.run) prints a heartbeat
-- while the watcher sleeps between polls: sleeping blocks nothing else.

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

local url, ca, cursor_file = os.getenv("SIM_URL"), os.getenv("SIM_CA"), arg and arg[1]
local polls = tonumber(arg and arg[2] or "0") or 0
local interval = tonumber(arg and arg[3] or "10") or 10
if not url or not cursor_file then
    io.stderr:write("usage: SIM_URL=https://host:port SIM_CA=ca.pem lua5.4 watch_events.lua CURSOR-FILE [polls] [interval]\n")
    os.exit(2)
end

local client = assert(lockcloud.remotelock{
    api_url = url, auth_url = url, cafile = ca, timeout = 15,
    client_id = os.getenv("LOCKCLOUD_CLIENT_ID") or "lockcloud-demo-client",
    client_secret = os.getenv("LOCKCLOUD_CLIENT_SECRET") or "lockcloud-demo-secret",
})

local function read_cursor()
    local f = io.open(cursor_file, "r")
    if not f then return nil end
    local text = f:read("*a")
    f:close()
    return assert(lockcloud.decode(text))
end

-- Written beside the file, then renamed over it: a crash never leaves half a cursor.
local function save_cursor(cursor)
    local tmp = cursor_file .. ".tmp"
    local f = assert(io.open(tmp, "w"))
    assert(f:write(lockcloud.encode(cursor)))
    assert(f:close())
    assert(os.rename(tmp, cursor_file))
end

local names = {}
for d in client:devices() do names[d.id] = d.attributes.name end

local cursor = read_cursor()
local watcher = client:event_watcher{ cursor = cursor, interval = interval }
print(cursor and ("resuming after " .. (cursor.created_at or cursor.occurred_at)) or "watching from now")
if not cursor then
    assert(watcher:poll()) -- marks "now"
    save_cursor(assert(watcher:cursor()))
end

local done = false
lockcloud.run(function()
    -- (a while loop rather than `for ev in ...`: Lua 5.1 cannot yield
    -- from a for loop's iterator, and the watcher yields while it sleeps)
    local next_event = watcher:events{ polls = polls > 0 and polls or nil }
    while true do
        local ev = next_event()
        if not ev then break end
        local a = ev.attributes
        print(string.format("%s %s %s on %s", a.occurred_at, ev.id, ev.type,
            names[a.publisher_id] or a.publisher_id or "?"))
        save_cursor(assert(watcher:cursor())) -- handled: never again
    end
    done = true
end, function()
    while not done do
        lockcloud.sleep(math.max(interval / 2, 0.05))
        if not done then io.stderr:write("(watching)\n") end
    end
end)
client:close()
