#!/usr/bin/env lua5.4
-- Poll a RemoteLock account's events and react to new ones: every lock
-- found unlocked is locked again ("auto-relock"), access denials are
-- reported. Shows lazy iteration with an early stop, rate-limit back-off
-- and error handling for a long-running script.
--
--   SIM_URL=https://127.0.0.1:PORT SIM_CA=/path/ca.pem \
--       lua5.4 examples/react_to_events.lua [polls] [interval-seconds]
--
-- polls defaults to 3 and interval to 1 s. Unless LOCKCLOUD_TRIGGER=0, the
-- script first unlocks the Pool Gate itself so there is something to react to.

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
    io.stderr:write("usage: SIM_URL=https://host:port SIM_CA=ca.pem lua5.4 react_to_events.lua [polls] [interval]\n")
    os.exit(2)
end
local polls = math.floor(tonumber(arg[1] or "3") or 3)
local interval = tonumber(arg[2] or "1") or 1

local function say(fmt, ...) io.write(string.format(fmt, ...), "\n"); io.flush() end

-- Display text for a JSON value that may be absent or null.
local function text(v)
    if v == nil or v == lockcloud.null then return "-" end
    return tostring(v)
end
local function sleep(seconds)
    if seconds > 0 then os.execute(string.format("sleep %.3f", seconds)) end
end

local client = assert(lockcloud.remotelock{
    api_url = url, auth_url = url, cafile = ca, timeout = 15,
    client_id = os.getenv("LOCKCLOUD_CLIENT_ID") or "lockcloud-demo-client",
    client_secret = os.getenv("LOCKCLOUD_CLIENT_SECRET") or "lockcloud-demo-secret",
})

-- Device names for readable output.
local names = {}
for d in client:devices() do names[d.id] = d.attributes.name end

-- Events arrive newest first; everything at or before `since` is old news.
-- Ids already handled are remembered too, since several events can share a
-- timestamp.
local since, handled = "", {}
for ev in client:events{ per_page = 10 } do
    local at = ev.attributes.occurred_at or ""
    if since == "" then since = at end
    if at ~= since then break end
    handled[ev.id] = true
end
say("watching events after %s", since ~= "" and since or "the beginning")

local function react(ev)
    local a = ev.attributes
    local what = names[a.publisher_id] or a.publisher_id or "?"
    if ev.type == "unlocked_event" then
        say("  %s: %s was unlocked (method %s); locking it again", a.occurred_at, what, text(a.method))
        local dev, err = client:lock(a.publisher_id)
        if dev then
            say("  -> %s is %s", what, text(dev.attributes.state))
        else
            say("  -> could not lock %s: %s", what, tostring(err))
        end
    elseif ev.type == "access_denied_event" then
        say("  %s: ALERT access denied at %s", a.occurred_at, what)
    else
        say("  %s: %s on %s", a.occurred_at, ev.type, what)
    end
end

-- One poll: collect the new events (stopping at the first old one), then
-- react oldest first. Returns nil, err on failure so the loop can back off.
local function poll()
    local fresh = {}
    local ok, err = pcall(function()
        for ev in client:events{ per_page = 10 } do
            local at = ev.attributes.occurred_at or ""
            if at < since then break end
            if not handled[ev.id] then fresh[#fresh + 1] = ev end
        end
    end)
    if not ok then return nil, err end
    for i = #fresh, 1, -1 do
        local ev = fresh[i]
        handled[ev.id] = true
        if (ev.attributes.occurred_at or "") > since then since = ev.attributes.occurred_at end
        react(ev)
    end
    return #fresh
end

if os.getenv("LOCKCLOUD_TRIGGER") ~= "0" then
    for id, name in pairs(names) do
        if name == "Pool Gate" then
            local dev, err = client:unlock(id)
            say("(trigger) unlocking %s: %s", name, dev and dev.attributes.state or tostring(err))
        end
    end
end

local failures = 0
for i = 1, polls do
    local n, err = poll()
    if n then
        say("poll %d: %d new event(s)", i, n)
    else
        failures = failures + 1
        say("poll %d failed: %s", i, tostring(err))
        if lockcloud.is_error(err) and err.kind == "rate-limited" then
            sleep(math.min(err.retry_after or interval, 60)) -- wait out the window
        elseif not lockcloud.is_error(err) then
            error(err, 0) -- a programming error: do not keep polling
        end
    end
    if i < polls then sleep(interval) end
end
client:close()
os.exit(failures == polls and 1 or 0)
