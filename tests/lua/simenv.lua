-- Test environment: the running simulator (SIM_URL, SIM_CA from
-- tests/lib/sim.sh), the fixture facts (sim/fixtures/README.md) and helpers.
local lockcloud = require "lockcloud"

local E = {}
E.url = assert(os.getenv("SIM_URL"), "SIM_URL not set (run through tests/run.sh)")
E.ca = assert(os.getenv("SIM_CA"), "SIM_CA not set")
E.client_id = "lockcloud-demo-client"
E.client_secret = "lockcloud-demo-secret"
E.auth_code = "lockcloud-demo-code"
E.redirect_uri = "urn:ietf:wg:oauth:2.0:oob"

E.harbor_view   = "10000000-0000-4000-8000-000000000001"
E.alpine_lodge  = "10000000-0000-4000-8000-000000000002"
E.front_door    = "20000000-0000-4000-8000-000000000001"
E.pool_gate     = "20000000-0000-4000-8000-000000000002"
E.lodge_entrance = "20000000-0000-4000-8000-000000000003"
E.avery_owner   = "30000000-0000-4000-8000-000000000001"
E.casey_current = "30000000-0000-4000-8000-000000000002"
E.uma_upcoming  = "30000000-0000-4000-8000-000000000003"
E.eli_expired   = "30000000-0000-4000-8000-000000000004"
E.dana_deactivated = "30000000-0000-4000-8000-000000000005"
E.tess_timezone = "30000000-0000-4000-8000-000000000006"
E.missing_id    = "99999999-0000-4000-8000-000000000000"

-- Temp files go in the private (0700) directory the suite made for this
-- part (tests/lua/suite.sh removes it and checks it was left empty): the
-- core refuses token files in directories others can write, /tmp
-- included, and os.tmpname's files in /tmp would outlive the test.
E.tmp = assert(os.getenv("LC_TEST_TMP"), "LC_TEST_TMP not set (run through tests/run.sh)")
function E.tmpfile(name) return E.tmp .. "/" .. name end
-- Removes a token file and the lock file the core keeps beside it.
function E.remove_token_file(path)
    os.remove(path)
    os.remove(path .. ".lock")
end
os.tmpname = function() error("tests use E.tmpfile(name), not os.tmpname()", 2) end

-- A client for the simulator; extra options are merged in (false removes).
function E.client(extra)
    local opts = { api_url = E.url, auth_url = E.url, client_id = E.client_id,
                   client_secret = E.client_secret, cafile = E.ca, timeout = 10 }
    for k, v in pairs(extra or {}) do
        if v == false and k ~= "allow_http" then opts[k] = nil else opts[k] = v end
    end
    return lockcloud.remotelock(opts)
end

local function shell_quote(s)
    return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

-- POST (or GET without body when method is "GET") to a /_sim/ control
-- endpoint with curl (independent of the library under test). Returns the
-- decoded answer; raises when the simulator refuses.
function E.ctl(path, body, method)
    -- env -u: a sanitizer runtime preloaded into the interpreter stays out of curl
    local cmd = "env -u LD_PRELOAD curl -sS --fail-with-body --cacert " .. shell_quote(E.ca)
    if method == "GET" then
        cmd = cmd .. " " .. shell_quote(E.url .. path)
    else
        cmd = cmd .. " -X POST -H 'Content-Type: application/json' --data " ..
            shell_quote(body and lockcloud.encode(body) or "{}") .. " " .. shell_quote(E.url .. path)
    end
    local p = assert(io.popen(cmd, "r"))
    local out = p:read("*a")
    local ok = p:close()
    if not ok then error("simulator control " .. path .. " failed: " .. out, 2) end
    if out == "" then return true end
    return assert(lockcloud.decode(out))
end

function E.reset() return E.ctl("/_sim/reset") end
-- Lifts the simulator's rate limit (120 a minute) until the next reset, for
-- parts that send hundreds of requests: the client would pace itself and
-- wait out whole minutes. Pacing has its own tests (core_test_pacing,
-- bench/rate_job.c).
function E.unlimited() return E.ctl("/_sim/config", { rate_limit = 1000000 }) end

-- Standard base64 (RFC 4648, padded), for the simulator's raw fault.
local b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
function E.base64(s)
    local out = {}
    for i = 1, #s, 3 do
        local a, b, c = s:byte(i, i + 2)
        local n = a * 65536 + (b or 0) * 256 + (c or 0)
        local q = {}
        for j = 1, 4 do
            local k = math.floor(n / 64 ^ (4 - j)) % 64
            q[j] = b64:sub(k + 1, k + 1)
        end
        if not b then q[3] = "=" end
        if not c then q[4] = "=" end
        out[#out + 1] = table.concat(q)
    end
    return table.concat(out)
end

-- The next request under path is answered 200 with exactly these bytes.
function E.raw_answer(path, body)
    return E.ctl("/_sim/fault", { kind = "raw", status = 200, head = E.base64(body),
        path = path, count = 1 })
end

-- Number of API requests the simulator has logged so far.
function E.request_count()
    return #E.ctl("/_sim/requests", nil, "GET").requests
end

-- Set of ids of a list of resources.
function E.ids(list)
    local set = {}
    for _, r in ipairs(list) do set[r.id] = true end
    return set
end

function E.count(set)
    local n = 0
    for _ in pairs(set) do n = n + 1 end
    return n
end

return E
