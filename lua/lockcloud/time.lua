--- lockcloud.time: the API's local timestamps ("2026-03-10T15:00:00", no
-- offset: read in the location's time zone) and calendar arithmetic on
-- them in a named zone of the system's zoneinfo. Installed into the
-- module by lockcloud.lua (lockcloud.time_add, lockcloud.zone_offset, ...).
local core = require "lockcloud.core"

local format, floor, type, tostring = string.format, math.floor, type, tostring

return function(M, util)
    local raise, fail = util.raise, util.fail

    --- Seconds of a local timestamp counted as if it were UTC, or nil.
    local function parse(ts)
        if type(ts) ~= "string" then return nil end
        local y, mo, d, h, mi, s = ts:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)T(%d%d):(%d%d):(%d%d)$")
        if not y then return nil end
        y, mo, d, h, mi, s = tonumber(y), tonumber(mo), tonumber(d), tonumber(h), tonumber(mi), tonumber(s)
        if mo < 1 or mo > 12 or d < 1 or h > 23 or mi > 59 or s > 59 then return nil end
        local days = core.days_from_civil(y, mo, d)
        local yy, mm = core.civil_from_days(days)
        if yy ~= y or mm ~= mo then return nil end -- February 30th and the like
        return days * 86400 + h * 3600 + mi * 60 + s
    end

    local function render(secs)
        local days = floor(secs / 86400)
        local rest = secs - days * 86400
        local y, mo, d = core.civil_from_days(days)
        return format("%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, floor(rest / 3600),
            floor(rest % 3600 / 60), rest % 60)
    end

    local zones = setmetatable({}, { __mode = "v" }) -- name -> loaded zone

    --- The zone named (an IANA name), or nil, err (kind "io").
    local function zone(name)
        if type(name) ~= "string" then
            raise("lockcloud: time zone name must be a string, got " .. type(name))
        end
        local z = zones[name]
        if z then return z end
        local why
        z, why = core.tz_load(name)
        if not z then
            return nil, fail("io", format("time zone '%s': %s (looked in /usr/share/zoneinfo)",
                util.printable(name), why))
        end
        zones[name] = z
        return z
    end

    -- Duration units: calendar ones move the date and keep the wall-clock
    -- time; elapsed ones move the instant.
    local units = {
        week = { "days", 7 }, weeks = { "days", 7 }, w = { "days", 7 },
        day = { "days", 1 }, days = { "days", 1 }, d = { "days", 1 },
        hour = { "seconds", 3600 }, hours = { "seconds", 3600 }, h = { "seconds", 3600 },
        minute = { "seconds", 60 }, minutes = { "seconds", 60 }, min = { "seconds", 60 },
        second = { "seconds", 1 }, seconds = { "seconds", 1 }, s = { "seconds", 1 },
    }

    --- A duration ({days = 2}, {weeks = 1, hours = 3}, "2 days", "36h")
    -- as calendar days and elapsed seconds.
    local function duration(v, fname)
        local out = { days = 0, seconds = 0 }
        local function add(unit, n)
            local u = units[unit]
            if not u then raise(format("lockcloud: %s: unknown duration unit '%s' (weeks, days, " ..
                "hours, minutes, seconds)", fname, util.printable(unit))) end
            if type(n) ~= "number" or n ~= floor(n) or n ~= n or math.abs(n) > 1e7 then
                raise(format("lockcloud: %s: duration %s must be a whole number", fname, unit))
            end
            out[u[1]] = out[u[1]] + n * u[2]
        end
        if type(v) == "string" then
            local n, unit = v:match("^%s*(%-?%d+)%s*(%a+)%s*$")
            if not n then raise(format("lockcloud: %s: duration '%s' is not like '2 days' or '36h'",
                fname, util.printable(v))) end
            add(unit:lower(), tonumber(n))
        elseif type(v) == "table" then
            for k, n in pairs(v) do add(tostring(k), n) end
        else
            raise(format("lockcloud: %s: duration table or string expected, got %s", fname, type(v)))
        end
        return out
    end

    --- time_add(timestamp, duration, time_zone) -> timestamp, note | nil, err
    -- Days and weeks keep the wall-clock time (a stay ending 11:00 still
    -- ends at 11:00 after a DST change); hours, minutes and seconds are
    -- elapsed time. A result the clocks skip (02:30 on a spring-forward
    -- night) moves forward by the gap, note "gap"; an elapsed-time start
    -- the clocks show twice is read as the first one, note "overlap".
    function M.time_add(ts, dur, zone_name)
        local secs = parse(ts)
        if not secs then
            raise(format("lockcloud: time_add: timestamp like '2026-03-10T15:00:00' (local, no " ..
                "offset) expected, got %s%s", type(ts) == "string" and "'" .. util.printable(ts) .. "'" or type(ts),
                type(ts) == "string" and ts:find("[Zz+-]%d*:?%d*$") and ts:find("T") and
                " (a UTC time: lockcloud.local_time(time_zone, utc_seconds) gives the local one)" or ""))
        end
        local d = duration(dur, "time_add")
        local z, err = zone(zone_name)
        if not z then return nil, err end
        local note
        local t, fold = z:utc(secs + d.days * 86400)
        if fold == -1 then note = "gap" end
        if d.seconds ~= 0 then
            if fold == 1 then note = "overlap" end
            t = t + d.seconds
        end
        local out = t + z:offset(t)
        if d.seconds ~= 0 then
            local _, f2 = z:utc(out)
            if f2 == 1 then note = note or "overlap" end
        end
        return render(out), note
    end

    --- zone_offset(time_zone, utc_seconds) -> seconds east of UTC | nil, err
    function M.zone_offset(zone_name, t)
        local z, err = zone(zone_name)
        if not z then return nil, err end
        return z:offset(t)
    end

    --- local_time(time_zone, utc_seconds) -> "YYYY-MM-DDTHH:MM:SS" | nil, err
    function M.local_time(zone_name, t)
        local z, err = zone(zone_name)
        if not z then return nil, err end
        return render(t + z:offset(t))
    end

    --- utc_time(time_zone, timestamp) -> utc_seconds, note | nil, err
    function M.utc_time(zone_name, ts)
        local secs = parse(ts)
        if not secs then raise("lockcloud: utc_time: local timestamp expected") end
        local z, err = zone(zone_name)
        if not z then return nil, err end
        local t, fold = z:utc(secs)
        return t, (fold == 1 and "overlap") or (fold == -1 and "gap") or nil
    end

    util.parse_local, util.render_local, util.duration = parse, render, duration
end
