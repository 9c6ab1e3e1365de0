#!/usr/bin/env lua5.4
-- Unlock a door by its name (or id):
--
--   SIM_URL=https://127.0.0.1:PORT SIM_CA=/path/ca.pem lua5.4 examples/unlock_by_name.lua "Front Door"
--
-- No door or several of that name: the error names the candidates and the
-- script exits 1 without unlocking anything.

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

local url, ca, name = os.getenv("SIM_URL"), os.getenv("SIM_CA"), arg and arg[1]
if not url or not name then
    io.stderr:write("usage: SIM_URL=https://host:port SIM_CA=ca.pem lua5.4 unlock_by_name.lua NAME\n")
    os.exit(2)
end

local client = assert(lockcloud.remotelock{
    api_url = url, auth_url = url, cafile = ca, timeout = 15,
    client_id = os.getenv("LOCKCLOUD_CLIENT_ID") or "lockcloud-demo-client",
    client_secret = os.getenv("LOCKCLOUD_CLIENT_SECRET") or "lockcloud-demo-secret",
})
local door, err = client:find_device(name)
if door then door, err = client:unlock(door.id) end
if not door then
    io.stderr:write("error: ", tostring(err), "\n")
    os.exit(1)
end
print(string.format("%s is %s", door.attributes.name, tostring(door.attributes.state)))
client:close()
