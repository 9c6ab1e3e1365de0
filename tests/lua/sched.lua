-- lockcloud.sleep / run / spawn: sleeping inside a task of lockcloud.run lets
-- the other tasks run; outside it blocks; a task's error stops the run.
local t = require "tap"
local lockcloud = require "lockcloud"
local E = require "simenv"

local now = lockcloud.monotonic

-- Blocking outside a scheduler (nanosleep, no shell)
local t0 = now()
lockcloud.sleep(0.05)
local took = now() - t0
t.ok(took >= 0.05 and took < 1, "sleep outside run blocks for the time asked", took)
lockcloud.sleep(0)
t.ok(true, "sleep(0) returns")

-- Two sleepers overlap: the whole run takes the longest sleep, not the sum
local log = {}
t0 = now()
t.is(lockcloud.run(
    function() lockcloud.sleep(0.3); log[#log + 1] = "slow" end,
    function() lockcloud.sleep(0.1); log[#log + 1] = "fast" end,
    function() log[#log + 1] = "none" end), true, "run returns true when every task returned")
took = now() - t0
t.is(table.concat(log, " "), "none fast slow", "tasks wake in the order of their wake-up times")
t.ok(took >= 0.3 and took < 0.38, "two sleeps of 0.3 and 0.1 s take 0.3 s together, not 0.4", took)

-- Arguments, spawn, a yielding task, and many short sleeps interleaving
local seen = {}
lockcloud.run(function()
    seen[#seen + 1] = "xy"
    lockcloud.spawn(function(c)
        for i = 1, 3 do seen[#seen + 1] = c .. i; lockcloud.sleep(0.01) end
    end, "s")
    for i = 1, 3 do seen[#seen + 1] = "m" .. i; lockcloud.sleep(0.01) end
end)
t.is(table.concat(seen, ","), "xy,m1,s1,m2,s2,m3,s3", "a spawned task gets its arguments; sleeps interleave")

-- A task may yield by itself: it runs again after the others
local order = {}
lockcloud.run(function() order[#order + 1] = 1; coroutine.yield(); order[#order + 1] = 3 end,
              function() order[#order + 1] = 2 end)
t.is(table.concat(order), "123", "a plain coroutine.yield lets the other tasks run")

-- A task's error stops the run and is raised as it was (error objects too)
local ok, err = pcall(lockcloud.run, function() lockcloud.sleep(0.01); error({ code = 7 }) end,
    function() lockcloud.sleep(5) end)
t.ok(not ok and type(err) == "table" and err.code == 7, "a task's error object is raised by run")
ok, err = pcall(lockcloud.run, function() error("boom") end)
t.like(err, "boom", "a task's error string is raised by run")

-- A coroutine of the user's own inside a task sleeps blocking (it is not a task)
t0 = now()
lockcloud.run(function()
    local co = coroutine.wrap(function() lockcloud.sleep(0.02); return "inner" end)
    t.is(co(), "inner", "sleep in a coroutine that is not a task blocks instead of yielding to it")
end)

-- A client request in one task while another sleeps: they overlap
local client = assert(E.client())
local got
t0 = now()
lockcloud.run(function() lockcloud.sleep(0.3) end,
    function() got = client:device(E.front_door) end)
took = now() - t0
t.ok(got and got.attributes.name == "Front Door" and took < 0.6,
    "a request runs while another task sleeps", took)
client:close()

-- Programmer errors
t.raises(function() lockcloud.sleep(-1) end, "seconds from 0", "a negative sleep raises")
t.raises(function() lockcloud.sleep(0 / 0) end, "seconds from 0", "NaN raises")
t.raises(function() lockcloud.sleep("1") end, "seconds from 0", "a string raises")
t.raises(function() lockcloud.run(42) end, "must be a function", "run of a non-function raises")
t.raises(function() lockcloud.spawn(print) end, "spawn is for tasks", "spawn outside run raises")

os.exit(t.done(), true) -- close the state: every __gc runs (leak checks see them)
