--- lockcloud.sleep, lockcloud.run, lockcloud.spawn: a sleep that lets other
-- work of the same process go on. Inside a task that lockcloud.run runs,
-- sleep yields to the scheduler, which runs the other tasks and wakes the
-- sleeper on time; anywhere else it blocks in nanosleep (lua/src/sleep.c).
local core = require "lockcloud.core"

local create, resume, status, yield, running =
    coroutine.create, coroutine.resume, coroutine.status, coroutine.yield, coroutine.running
local type, error, format = type, error, string.format

return function(M, util)
    local raise = util.raise
    local tasks = setmetatable({}, { __mode = "k" }) -- coroutine -> its scheduler
    local SLEEP = {}                                 -- what a sleeping task yields

    local function check_seconds(s, fname)
        if type(s) ~= "number" or s ~= s or s < 0 or s > 31536000 then
            raise(format("bad argument #1 to '%s' (seconds from 0 to 31536000 expected, got %s)",
                fname, type(s) == "number" and tostring(s) or type(s)))
        end
    end

    --- lockcloud.sleep(seconds): yields inside lockcloud.run's tasks, else blocks.
    function M.sleep(s)
        check_seconds(s, "sleep")
        local co = running()
        if co and tasks[co] then
            yield(SLEEP, core.monotonic() + s)
        elseif s > 0 then
            core.sleep(s)
        end
    end

    --- lockcloud.monotonic() -> seconds of a clock that never jumps
    M.monotonic = core.monotonic

    local function add_task(sched, f, ...)
        if type(f) ~= "function" then raise("lockcloud: a task must be a function, got " .. type(f)) end
        local co = create(f)
        tasks[co] = sched
        sched.ready[#sched.ready + 1] = { co = co, args = { n = select("#", ...), ... } }
    end

    --- lockcloud.spawn(f, ...): one more task for the running lockcloud.run.
    function M.spawn(f, ...)
        local co = running()
        local sched = co and tasks[co]
        if not sched then raise("lockcloud: spawn is for tasks of lockcloud.run") end
        add_task(sched, f, ...)
    end

    local unpack = table.unpack or unpack

    --- lockcloud.run(f, ...): runs each function as a task until all have
    -- returned. A task's error stops the run and is raised again as it is
    -- (the other tasks are dropped). A task may yield itself; it then runs
    -- again after the others had their turn.
    function M.run(...)
        local sched = { ready = {}, sleeping = {} }
        for i = 1, select("#", ...) do add_task(sched, (select(i, ...))) end
        while #sched.ready > 0 or #sched.sleeping > 0 do
            if #sched.ready == 0 then
                -- the earliest sleeper (a short list: one entry per task)
                local first, at = 1, sched.sleeping[1].wake
                for i = 2, #sched.sleeping do
                    if sched.sleeping[i].wake < at then first, at = i, sched.sleeping[i].wake end
                end
                local wait = at - core.monotonic()
                if wait > 0 then core.sleep(wait) end
                local now = core.monotonic()
                local keep = {}
                for _, s in ipairs(sched.sleeping) do
                    if s.wake <= now or s == sched.sleeping[first] then
                        sched.ready[#sched.ready + 1] = s
                    else
                        keep[#keep + 1] = s
                    end
                end
                sched.sleeping = keep
            end
            local ready = sched.ready
            sched.ready = {}
            for _, task in ipairs(ready) do
                local ok, what, wake
                if task.args then
                    ok, what, wake = resume(task.co, unpack(task.args, 1, task.args.n))
                    task.args = nil
                else
                    ok, what, wake = resume(task.co)
                end
                if not ok then
                    if type(what) == "string" and what:find("attempt to yield across", 1, true) then
                        what = what .. " (Lua 5.1 cannot yield inside pcall or from a for " ..
                            "loop's iterator: call the iterator in a while loop; see lockcloud.sleep)"
                    end
                    error(what, 0)
                end
                if status(task.co) ~= "dead" then
                    if what == SLEEP then
                        task.wake = wake
                        sched.sleeping[#sched.sleeping + 1] = task
                    else
                        sched.ready[#sched.ready + 1] = task
                    end
                end
            end
            -- sleepers whose time has come join the tasks still ready
            if #sched.sleeping > 0 and #sched.ready > 0 then
                local now, keep = core.monotonic(), {}
                for _, s in ipairs(sched.sleeping) do
                    if s.wake <= now then sched.ready[#sched.ready + 1] = s else keep[#keep + 1] = s end
                end
                sched.sleeping = keep
            end
        end
        return true
    end
end
