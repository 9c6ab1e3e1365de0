-- client:event_watcher: new events handed out once each, oldest first (by
-- created_at, then id), across pages, across a resume from a saved
-- cursor, with several events in one second, within one request per idle
-- poll, through a 429, and inside lockcloud.run beside other tasks.
local t = require "tap"
local lockcloud = require "lockcloud"
local E = require "simenv"

E.reset()
local client = assert(E.client())

local function names(evs)
    local out = {}
    for i, ev in ipairs(evs) do
        out[i] = ev.type:gsub("_event$", "") .. "@" .. (ev.attributes.publisher_id == E.front_door and "FD" or
            ev.attributes.publisher_id == E.pool_gate and "PG" or "LE")
    end
    return table.concat(out, " ")
end
local function api_requests() return #E.ctl("/_sim/requests", nil, "GET").requests end

-- "now": the first poll only marks where now is
local w = client:event_watcher{}
local none, cerr = w:cursor()
t.ok(none == nil and cerr.kind == "usage", "no cursor before the first poll")
local first = assert(w:poll())
t.is(#first, 0, "since now: the first poll hands out nothing")
assert(client:unlock(E.front_door))
assert(client:lock(E.pool_gate))
assert(client:unlock(E.lodge_entrance))
local evs = assert(w:poll())
t.is(names(evs), "unlocked@FD locked@PG unlocked@LE", "the new events, oldest first")
local n0 = api_requests()
t.is(#assert(w:poll()), 0, "nothing new: nothing handed out again")
t.is(api_requests() - n0, 1, "an idle poll costs one request")

-- the order is occurred_at, then id, whatever the list order
local sorted = true
for i = 2, #evs do
    local a, b = evs[i - 1], evs[i]
    if a.attributes.occurred_at > b.attributes.occurred_at or
        (a.attributes.occurred_at == b.attributes.occurred_at and a.id > b.id) then sorted = false end
end
t.ok(sorted, "handed out by occurred_at, then id")

-- exactly once across a resume: handle one event, save, "crash", resume
assert(client:lock(E.front_door)); assert(client:unlock(E.pool_gate)); assert(client:lock(E.lodge_entrance))
local handled = {}
local saved
for ev in w:events{ polls = 1 } do
    handled[#handled + 1] = ev
    saved = lockcloud.encode(w:cursor()) -- after handling: the cursor includes it
    break                                -- the process dies here
end
local resumed = client:event_watcher{ cursor = lockcloud.decode(saved), interval = 0 }
for ev in resumed:events{ polls = 2 } do handled[#handled + 1] = ev end
t.is(names(handled), "locked@FD unlocked@PG locked@LE", "across a resume every event is handed out once, in order")
local ids = {}
for _, ev in ipairs(handled) do ids[ev.id] = (ids[ev.id] or 0) + 1 end
local twice = false
for _, c in pairs(ids) do twice = twice or c > 1 end
t.ok(not twice and #handled == 3, "no event twice")

-- an iterator left midway, then poll(): what it fetched but did not hand
-- out comes once, not twice
local wm = client:event_watcher{ cursor = assert(resumed:cursor()) }
assert(client:unlock(E.front_door)); assert(client:lock(E.front_door))
local firsts = {}
for ev in wm:events{ polls = 1 } do firsts[#firsts + 1] = ev; break end
local rest = assert(wm:poll())
t.is(names(firsts) .. " | " .. names(rest), "unlocked@FD | locked@FD",
    "after a loop left midway, poll hands out the rest once")

-- several events in one second: one before the cursor is saved, one after
E.ctl("/_sim/clock", { now = "2026-03-10T13:00:00Z" })
local w2 = client:event_watcher{ since = "2026-03-10T13:00:00Z" }
assert(client:unlock(E.front_door))
local a = assert(w2:poll())
E.ctl("/_sim/clock", { now = "2026-03-10T13:00:00Z" }) -- the same second again
assert(client:lock(E.front_door))
local w3 = client:event_watcher{ cursor = assert(w2:cursor()) }
local b = assert(w3:poll())
t.ok(#a == 1 and #b == 1 and a[1].attributes.occurred_at == b[1].attributes.occurred_at and
    names(b) == "locked@FD", "a later event in the cursor's second is handed out, the earlier one not again",
    names(a) .. " / " .. names(b))
t.is(#w3:cursor().ids, 2, "the cursor keeps the ids handed out in its second")

-- since a time: the fixture's 09:30 event and everything after, over several pages
local w4 = client:event_watcher{ since = "2026-03-10T09:30:00Z", per_page = 2 }
local all = assert(w4:poll())
local expected = 0
for ev in client:events() do
    if ev.attributes.occurred_at >= "2026-03-10T09:30:00Z" then expected = expected + 1 end
end
t.ok(#all == expected and expected > 2 and all[1].id == "50000000-0000-4000-8000-000000000004",
    "since a UTC time: events at or after it, oldest first, across pages of 2", #all)

-- a failed poll keeps the position; the iterator raises the error object
local w5 = client:event_watcher{ cursor = assert(w4:cursor()), interval = 0 }
assert(client:unlock(E.pool_gate))
E.ctl("/_sim/fault", { kind = "status", status = 404, count = 1, path = "/events" })
local v, err = w5:poll()
t.ok(v == nil and err.status == 404, "a failed poll: nil, err")
t.is(names(assert(w5:poll())), "unlocked@PG", "the next poll hands out what the failed one missed")
E.ctl("/_sim/fault", { kind = "status", status = 404, count = 1, path = "/events" })
local ok, raised = pcall(function() for _ in w5:events{ polls = 1 } do end end)
t.ok(not ok and lockcloud.is_error(raised) and raised.status == 404, "events() raises the error object")

-- a 429 is waited out, not lost
assert(client:lock(E.pool_gate))
E.ctl("/_sim/fault", { kind = "status", status = 429, count = 1, path = "/events" })
local got = {}
for ev in w5:events{ polls = 1 } do got[#got + 1] = ev end
t.is(names(got), "locked@PG", "a rate-limited poll waits for the reset and goes on")

-- inside lockcloud.run: the watcher sleeps between polls while another task works
local w6 = client:event_watcher{ cursor = assert(w5:cursor()), interval = 0.2 }
local seen, order = {}, {}
local t0 = lockcloud.monotonic()
lockcloud.run(function()
    local next_event = w6:events{ polls = 3 } -- called directly: Lua 5.1 cannot yield from a for iterator
    while true do
        local ev = next_event()
        if not ev then break end
        seen[#seen + 1] = ev; order[#order + 1] = "event"
    end
end, function()
    lockcloud.sleep(0.1)
    order[#order + 1] = "unlock"
    assert(client:unlock(E.front_door))
end)
t.ok(names(seen) == "unlocked@FD" and order[1] == "unlock" and lockcloud.monotonic() - t0 < 1.5,
    "a watcher in lockcloud.run sees what another task did while it slept", table.concat(order, ","))

-- the for loop form inside a task: fine where the interpreter can yield
-- from an iterator; Lua 5.1 raises, saying what to write instead
local w7 = client:event_watcher{ cursor = assert(w6:cursor()), interval = 0.05 }
local ok7, err7 = pcall(lockcloud.run, function() for _ in w7:events{ polls = 2 } do end end)
if _VERSION == "Lua 5.1" and not rawget(_G, "jit") then
    t.ok(not ok7 and tostring(err7):find("call the iterator in a while loop", 1, true),
        "Lua 5.1: a for loop over the watcher in a task raises with the way out", tostring(err7))
else
    t.ok(ok7, "a for loop over the watcher inside a task sleeps by yielding", tostring(err7))
end

-- Hostile or odd lists (a raw page): a late event (old occurred_at, new
-- created_at) comes; an offset time is parsed; an event without a usable
-- id, attributes or time is skipped with a warning, never raised on.
local format = string.format
local function page(items, pages)
    local body = '{"data":[' .. table.concat(items, ",") .. '],"meta":{"page":1,"per_page":50,"total_pages":' ..
        (pages or 1) .. '}}'
    E.ctl("/_sim/fault", { kind = "raw", status = 200, head = E.base64(body), path = "/events", count = 1 })
end
local function ev(id, occurred, created)
    return format('{"type":"unlocked_event","id":%s,"attributes":{"occurred_at":"%s","created_at":"%s"}}',
        id, occurred, created)
end
local warnings = {}
local wl = client:event_watcher{ cursor = { created_at = "2026-03-10T12:00:00Z", ids = {} },
    warn = function(m) warnings[#warnings + 1] = m end }
page{ ev('"bad-time"', "2026-03-10T12:09:00Z", "yesterday"),
      ev('"offset"', "2026-03-10T13:08:00+01:00", "2026-03-10T13:08:00+01:00"),
      ev('42', "2026-03-10T12:07:00Z", "2026-03-10T12:07:00Z"),
      '{"type":"unlocked_event","id":"bare"}',
      ev('"late"', "2026-03-10T08:00:00Z", "2026-03-10T12:05:00Z"),
      ev('"old"', "2026-03-10T11:00:00Z", "2026-03-10T11:00:00Z") }
local okl, got, gerr = pcall(wl.poll, wl)
local gids = {}
for i, e in ipairs(okl and got or {}) do gids[i] = e.id end
t.is(table.concat(gids, " "), "late offset",
    "a late-synced event and an offset time are handed out, by recorded time", okl and tostring(gerr) or got)
t.ok(#warnings == 3 and table.concat(warnings, "\n"):find("not a timestamp", 1, true) and
    table.concat(warnings, "\n"):find("id is not a string", 1, true) and
    table.concat(warnings, "\n"):find("no attributes", 1, true),
    "odd events are skipped with a warning each", table.concat(warnings, " | "))
t.is(okl and wl:cursor().created_at, "2026-03-10T13:08:00+01:00", "the cursor is at the newest recorded")

-- more than 10,000 events past the cursor: nil, err saying what to do,
-- every time; with skip_backlog the newest are handed out with a note
E.ctl("/_sim/config", { rate_limit = 100000, rate_window = 60 })
local function flood()
    local item = ev('"e"', "2026-03-10T14:00:00Z", "2026-03-10T14:00:00Z")
    E.ctl("/_sim/fault", { kind = "raw", status = 200, head = E.base64('{"data":['),
        middle = E.base64(item .. ","), times = 49,
        tail = E.base64(item .. '],"meta":{"page":1,"per_page":50,"total_pages":999}}'),
        path = "/events", count = 200 })
end
flood()
local okf, fv, ferr = pcall(wl.poll, wl)
t.ok(okf and fv == nil and lockcloud.is_error(ferr) and tostring(ferr):find("skip_backlog = true", 1, true),
    "past 10,000 new events: poll returns nil, err naming the way forward", okf and tostring(ferr) or tostring(fv))
local wb = client:event_watcher{ cursor = assert(wl:cursor()), skip_backlog = true }
flood()
local sv, note = wb:poll()
t.ok(sv and #sv == 1 and sv[1].id == "e" and type(note) == "string" and note:find("skipped", 1, true),
    "skip_backlog: the newest are handed out (repeats once), a note says older ones were skipped", tostring(note))
t.is(wb:cursor().created_at, "2026-03-10T14:00:00Z", "skip_backlog: the cursor moved past the backlog")

-- programmer errors
t.raises(function() client:event_watcher{ intervall = 3 } end, "unknown option 'intervall'",
    "a misspelt option raises naming it")
t.raises(function() client:event_watcher{ cursor = { occurred_at = 5 } } end, "cursor must be a table",
    "a malformed cursor raises")
t.raises(function() client:event_watcher{ since = "yesterday" } end, "since must be", "a malformed since raises")
t.raises(function() client:event_watcher{ query = { sort = "occurred_at" } } end, "cannot choose a sort",
    "a sort in the query raises")

client:close()
E.reset()
os.exit(t.done(), true) -- close the state: every __gc runs (leak checks see them)
