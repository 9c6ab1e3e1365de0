-- The job of bench/rate_job.c: rate_job.lua URL CAFILE N. Gets a token
-- (OAuth is not rate-limited), prints "ready", waits for "go" on stdin,
-- then makes N calls as a script would, with no sleeps of its own, and
-- prints "done ANSWERED FAILED".
local lockcloud = require "lockcloud"

local url, ca, n = arg[1], arg[2], tonumber(arg[3])
local device = "20000000-0000-4000-8000-000000000001"
local c = assert(lockcloud.remotelock{
    api_url = url, auth_url = url, cafile = ca,
    client_id = "lockcloud-demo-client", client_secret = "lockcloud-demo-secret" })
assert(c:authenticate())
io.stdout:write("ready\n")
io.stdout:flush()
assert(io.stdin:read("l") == "go")
local ok, failed, last = 0, 0, nil
for _ = 1, n do
    local d, err = c:device(device)
    if d then ok = ok + 1 else failed = failed + 1; last = err end
end
if last then io.stderr:write("bench rate_job: last failure: ", tostring(last), "\n") end
io.stdout:write("done ", ok, " ", failed, "\n")
io.stdout:flush()
c:close()
