-- Error objects for every kind of runtime failure, and that iterators raise.
local t = require "tap"
local lockcloud = require "lockcloud"
local E = require "simenv"

E.reset()
local client = assert(E.client())

local function fault(spec) E.ctl("/_sim/fault", spec) end

-- 404
local r, err = client:device(E.missing_id)
t.ok(r == nil and lockcloud.is_error(err), "404: nil plus an error object")
err = err or {}
t.is(err.status, 404, "404: status")
t.ok(err.kind == "http" or err.kind == "api-general" or err.kind == "api-resource", "404: kind " .. tostring(err.kind))
t.like(tostring(err), "^lockcloud: [%w-]+.*HTTP 404", "404: tostring names kind and status")
t.ok(type(err.message) == "string" and #err.message > 0, "404: message")
t.is(err.request, "GET /devices/:id", "404: the error names the request that failed")

-- 422 with per-attribute errors
r, err = client:create_guest{ pin = "1234", starts_at = "2026-03-09T15:00:00", ends_at = "2026-03-12T11:00:00" }
t.ok(r == nil and err.kind == "api-resource", "422: kind api-resource", tostring(err))
t.is(err and err.status, 422, "422: status")
local name_err
for _, e in ipairs(err and err.errors or {}) do
    if e.attribute == "name" then name_err = e end
end
t.ok(name_err and type(name_err.messages) == "table" and #name_err.messages >= 1,
    "422: errors[] names the 'name' attribute with messages", err and lockcloud.encode(err.errors or {}))
t.ok(err and getmetatable(err.errors) == lockcloud.array_mt, "422: errors is a decoded JSON array")

-- 429 from the rate limiter (max_rate_wait = 0: returned at once, not
-- waited out as the client does by default)
E.ctl("/_sim/config", { rate_limit = 2, rate_window = 60 })
local c429 = assert(E.client{ max_rate_wait = 0 })
local rl
for _ = 1, 5 do
    r, err = c429:device(E.front_door)
    if r == nil then rl = err; break end
end
t.ok(rl and rl.kind == "rate-limited", "429: kind rate-limited", tostring(rl))
rl = rl or {}
t.is(rl.status, 429, "429: status")
t.ok(type(rl.retry_after) == "number" and rl.retry_after >= 0 and rl.retry_after <= 60,
    "429: retry_after in seconds", tostring(rl.retry_after))
t.like(tostring(rl), "^lockcloud: rate%-limited.*HTTP 429.*retry after %d+ s",
    "429: tostring names kind, status and retry hint")
local limit, remaining = c429:rate_limit()
t.ok(limit == 2 and remaining == 0, "429: rate_limit() shows the exhausted window", tostring(limit) .. "/" .. tostring(remaining))
c429:close()
E.reset()

-- TLS: a CA file that does not sign the simulator's certificate
local wrong_ca = E.tmpfile("wrong-ca.pem")
local f = assert(io.open(wrong_ca, "w"))
-- a well-formed but unrelated CA: the system bundle's first certificate
local sys = io.open("/etc/ssl/certs/ca-certificates.crt")
if sys then
    local pem = sys:read("*a"):match("%-%-%-%-%-BEGIN CERTIFICATE%-%-%-%-%-.-%-%-%-%-%-END CERTIFICATE%-%-%-%-%-")
    sys:close()
    f:write(pem, "\n")
end
f:close()
local ctls = assert(E.client{ cafile = wrong_ca })
r, err = ctls:device(E.front_door)
t.ok(r == nil and err.kind == "tls", "wrong CA: kind tls", tostring(err))
t.ok(err and err.status == nil, "tls: no HTTP status")
ctls:close()
os.remove(wrong_ca)

-- timeout: 1.8 s of latency against a 1 s timeout (max_retries = 0: a GET
-- that timed out is otherwise sent again)
local ctime = assert(E.client{ timeout = 1, max_retries = 0 })
assert(ctime:authenticate())
fault{ kind = "latency", ms = 1800, count = 5, path = "/devices" }
local t0 = os.time()
r, err = ctime:device(E.front_door)
t.ok(r == nil and err.kind == "timeout", "latency past the timeout: kind timeout", tostring(err))
t.ok(os.time() - t0 <= 2, "timeout honoured (about 1 s)")
ctime:close()
E.reset()
t.raises(function() E.client{ max_retries = "2" } end, "option 'max_retries' must be a number",
    "max_retries takes a number")
t.raises(function() E.client{ max_retries = 1.5 } end, "option 'max_retries' must be a whole number",
    "max_retries takes a whole number")

-- the client's overall deadline cuts a slow request short
local cdl = assert(E.client{ timeout = 30 })
assert(cdl:authenticate())
fault{ kind = "latency", ms = 1800, count = 5, path = "/devices" }
cdl:set_deadline(1)
t0 = os.time()
r, err = cdl:device(E.front_door)
t.ok(r == nil and err.kind == "timeout", "set_deadline(1) against 1.8 s latency: kind timeout", tostring(err))
t.ok(os.time() - t0 <= 2, "deadline honoured (about 1 s)")
E.reset()
cdl:set_deadline(0)
t.ok(cdl:device(E.front_door), "set_deadline(0) clears the deadline")
t.raises(function() cdl:set_deadline(-1) end, "bad argument #1 to 'set_deadline'", "negative deadline raises")
cdl:close()

-- dropped connection
fault{ kind = "drop", count = 10, path = "/devices" }
r, err = client:device(E.front_door)
t.ok(r == nil and err.kind == "transport", "dropped connection: kind transport", tostring(err))
E.reset()

-- malformed body
fault{ kind = "malformed", count = 10, path = "/devices" }
r, err = client:device(E.front_door)
t.ok(r == nil and err.kind == "parse", "truncated JSON body: kind parse", tostring(err))
E.reset()

-- 5xx
fault{ kind = "status", status = 503, count = 10, path = "/devices" }
r, err = client:device(E.front_door)
t.ok(r == nil and err.status == 503, "503: status", tostring(err))
t.like(tostring(err), "^lockcloud: http.*HTTP 503", "503: tostring names kind and status")
E.reset()

-- connection refused: a closed port
local closed = assert(E.client{ api_url = "https://127.0.0.1:1", auth_url = "https://127.0.0.1:1" })
r, err = closed:device(E.front_door)
t.ok(r == nil and err.kind == "transport", "connection refused: kind transport", tostring(err))
closed:close()

-- an iterator raises the error object instead of ending early
local step, state = client:devices{ per_page = 1 }
local first = step(state)
t.ok(first, "iterator: first page fetched")
fault{ kind = "status", status = 500, count = 10, path = "/devices" }
local ok, ierr = pcall(function()
    for _ in step, state do end
end)
t.ok(not ok and lockcloud.is_error(ierr), "iterator raises an error object on a failed page", tostring(ierr))
t.is(type(ierr) == "table" and ierr.status, 500, "raised error carries the status")
local list, lerr = client:devices_list{ per_page = 1 }
t.ok(list == nil and lockcloud.is_error(lerr) and lerr.status == 500, "devices_list returns nil, err instead",
    tostring(lerr))
E.reset()

-- programmer errors raise strings; runtime errors never raise
t.raises(function() client:call("devices.nope") end, "lockcloud", "unknown endpoint raises")
t.ok(select("#", client:device(E.missing_id)) == 2, "a runtime failure returns exactly nil, err")

-- error objects are plain tables with a __tostring
local e2 = setmetatable({ kind = "http", status = 500, message = "x" }, lockcloud.error_mt)
t.is(tostring(e2), "lockcloud: http (HTTP 500): x", "__tostring renders any error table")

client:close()
os.exit(t.done(), true) -- close the state: every __gc runs (sanitizer runs check them)
