-- The Lua side of bench/keepalive.c: keepalive.lua URL CAFILE DEVICE_ID N.
-- One warm-up call (token, TLS handshake), "ready CPU", N calls of
-- c:device(id) over the client's kept-alive connection, "done OK CPU"
-- (CPU: os.clock(), this process's CPU seconds).
local lockcloud = require "lockcloud"

local url, ca, device, n = arg[1], arg[2], arg[3], tonumber(arg[4])
local c = assert(lockcloud.remotelock{
    api_url = url, auth_url = url, cafile = ca,
    client_id = "lockcloud-demo-client", client_secret = "lockcloud-demo-secret" })
assert(c:device(device))
io.stdout:write(string.format("ready %.6f\n", os.clock()))
io.stdout:flush()
local ok = 0
for _ = 1, n do
    local d = c:device(device)
    if d and d.id == device then ok = ok + 1 end
end
io.stdout:write(string.format("done %d %.6f\n", ok, os.clock()))
io.stdout:flush()
c:close()
