-- The Lua side of bench/iter_memory.c: iter_memory.lua URL CAFILE.
-- Iterates every access person with the lazy pager, keeping none, then
-- prints "count N maxrss_kb K" (the process's peak RSS, VmHWM of
-- /proc/self/status, as the C side reads it).
local lockcloud = require "lockcloud"

local url, ca = arg[1], arg[2]
local c = assert(lockcloud.remotelock{
    api_url = url, auth_url = url, cafile = ca,
    client_id = "lockcloud-demo-client", client_secret = "lockcloud-demo-secret" })
local n = 0
for _ in c:access_persons() do n = n + 1 end
c:close()
local status = assert(io.open("/proc/self/status")):read("a")
local kb = assert(status:match("VmHWM:%s*(%d+) kB"), "no VmHWM in /proc/self/status")
io.stdout:write("count ", n, " maxrss_kb ", kb, "\n")
