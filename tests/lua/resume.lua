-- An iterator that raised resumes where it stopped: calling it again asks
-- for the page that failed, and the items come out as from a clean walk,
-- none lost or repeated. pager:position() tells where it stands.
local t = require "tap"
local lockcloud = require "lockcloud"
local E = require "simenv"

E.reset()
-- max_rate_wait = 0: a 429 reaches the caller at once instead of being waited out
local client = assert(E.client{ max_rate_wait = 0 })
local function fault(spec) E.ctl("/_sim/fault", spec) end

local all = assert(client:devices_list{ per_page = 1 })
t.ok(#all >= 3, "a clean walk: several devices, one a page", #all)

local step, pager = client:devices{ per_page = 1 }
local seen = { step(pager).id }

-- a 429 before the second page: the iterator raises it
fault{ kind = "status", status = 429, count = 1, path = "/devices" }
local ok, err = pcall(step, pager)
t.ok(not ok and lockcloud.is_error(err) and err.kind == "rate-limited",
    "the iterator raised the 429", tostring(err))
t.ok(type(err) == "table" and type(err.retry_after) == "number",
    "with retry_after, to wait before resuming", type(err) == "table" and tostring(err.retry_after))
local items, page = pager:position()
t.ok(items == 1 and page == 2, "position: one item handed out, page 2 next",
    tostring(items) .. ", " .. tostring(page))

-- a 503 that outlasts the retries, inside a for loop: the loop raises
fault{ kind = "status", status = 503, count = 3, path = "/devices" }
ok, err = pcall(function()
    for d in step, pager do seen[#seen + 1] = d.id end
end)
t.ok(not ok and lockcloud.is_error(err) and err.status == 503, "the loop raised the 503",
    tostring(err))
t.is(#seen, 1, "nothing was handed out by the failed page")

-- resume: the same iterator, called again, carries on with the failed page
for d in step, pager do seen[#seen + 1] = d.id end
t.is(#seen, #all, "the resumed walk ends with every device")
local same = #seen == #all
for i = 1, math.min(#seen, #all) do same = same and seen[i] == all[i].id end
t.ok(same, "in the clean walk's order, none lost or repeated", table.concat(seen, " "))
items = pager:position()
t.is(items, #all, "position: every item handed out")
pager:close()
t.ok(select(1, pager:position()) == 0, "a closed pager has no position")

-- Past the API's 10,000-resource cap a walk ends with a runtime error,
-- kind "too-many": _list returns nil, err and an iterator raises the error
-- object (not a string, which would be a programmer error). The raw fault
-- answers every page with the same 50 events, 999 pages claimed.
E.ctl("/_sim/config", { rate_limit = 100000, rate_window = 60 })
local item = '{"type":"unlocked_event","id":"e","attributes":{}}'
local function pages_of_50()
    fault{ kind = "raw", status = 200, head = E.base64('{"data":['), middle = E.base64(item .. ","),
        times = 49, tail = E.base64(item .. '],"meta":{"page":1,"per_page":50,"total_pages":999}}'),
        path = "/events", count = 200 } -- pages 1 to 200: the 201st is never asked for
end
pages_of_50()
local list, lerr = client:events_list()
t.ok(list == nil and lockcloud.is_error(lerr) and lerr.kind == "too-many" and
    lerr.message:find("narrow the query", 1, true) ~= nil,
    "events_list past the cap: nil, err (too-many)", tostring(lerr))
pages_of_50()
local n = 0
local estep, epager = client:events()
ok, err = pcall(function() for _ in estep, epager do n = n + 1 end end)
t.ok(not ok and lockcloud.is_error(err) and err.kind == "too-many" and n == 10000,
    "the iterator hands out 10,000 events, then raises the too-many error object",
    n .. " " .. tostring(err))
items = epager:position()
t.is(items, 10000, "position: 10,000 handed out")
epager:close()
E.reset()

client:close()
os.exit(t.done(), true) -- close the state: every __gc runs (sanitizer runs check them)
