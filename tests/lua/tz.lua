-- lockcloud.time_add and the zone functions: calendar arithmetic on the
-- API's local timestamps in a zone of the system's zoneinfo, read by the
-- core's TZif reader (core/src/tz.c), never through TZ/tzset.
local t = require "tap"
local lockcloud = require "lockcloud"

local function add(ts, dur, zone) return lockcloud.time_add(ts, dur, zone) end

-- Denver: clocks forward 2026-03-08 02:00 MST -> 03:00 MDT, back 2026-11-01 02:00 MDT -> 01:00 MST
t.is(add("2026-03-07T11:00:00", { days = 2 }, "America/Denver"), "2026-03-09T11:00:00",
    "Denver: 2 days across spring-forward keep the wall-clock end time")
t.is(add("2026-03-07T11:00:00", { hours = 48 }, "America/Denver"), "2026-03-09T12:00:00",
    "Denver: 48 elapsed hours across spring-forward end an hour later on the clock")
t.is(add("2026-10-31T11:00:00", "1 day", "America/Denver"), "2026-11-01T11:00:00",
    "Denver: a day across fall-back keeps 11:00")
t.is(add("2026-10-31T11:00:00", "24h", "America/Denver"), "2026-11-01T10:00:00",
    "Denver: 24 elapsed hours across fall-back end at 10:00")
t.is(add("2026-03-07T11:00:00", { weeks = 1, hours = 3 }, "America/Denver"), "2026-03-14T14:00:00",
    "Denver: weeks and hours together")
local ts, note = add("2026-03-07T02:30:00", { days = 1 }, "America/Denver")
t.ok(ts == "2026-03-08T03:30:00" and note == "gap",
    "Denver: a day landing in the skipped hour moves forward by the gap, note 'gap'", ts, note)
ts, note = add("2026-11-01T01:30:00", "1h", "America/Denver")
t.ok(ts == "2026-11-01T01:30:00" and note == "overlap",
    "Denver: an hour after the first 01:30 of fall-back night is the second 01:30, note 'overlap'", ts, note)

-- Berlin: forward 2026-03-29 02:00 CET -> 03:00 CEST, back 2026-10-25 03:00 CEST -> 02:00 CET
t.is(add("2026-03-28T11:00:00", "1d", "Europe/Berlin"), "2026-03-29T11:00:00",
    "Berlin: a day across spring-forward keeps 11:00")
t.is(add("2026-03-28T11:00:00", "24 hours", "Europe/Berlin"), "2026-03-29T12:00:00",
    "Berlin: 24 elapsed hours across spring-forward end at 12:00")
t.is(add("2026-10-24T11:00:00", "1w", "Europe/Berlin"), "2026-10-31T11:00:00",
    "Berlin: a week across fall-back keeps 11:00")
t.is(add("2026-10-24T11:00:00", "168h", "Europe/Berlin"), "2026-10-31T10:00:00",
    "Berlin: 168 elapsed hours across fall-back end at 10:00")
t.is(add("2026-03-10T11:00:00", { days = -3 }, "Europe/Berlin"), "2026-03-07T11:00:00",
    "a negative duration shortens")
t.is(add("2028-02-28T11:00:00", { days = 1 }, "Europe/Berlin"), "2028-02-29T11:00:00", "leap day")
t.is(add("2026-12-31T23:00:00", "2h", "UTC"), "2027-01-01T01:00:00", "across the new year in UTC")

-- Far past the zone file's transitions: the footer's POSIX rule
t.is(add("2090-03-25T11:00:00", "24h", "Europe/Berlin"), "2090-03-26T12:00:00",
    "2090 (POSIX footer rule): Berlin still springs forward on the last Sunday of March")
t.is(lockcloud.zone_offset("Australia/Sydney", 3786912000), 39600,
    "2090-01-01 in Sydney: daylight time spans the new year (southern rule)")
t.is(lockcloud.zone_offset("America/Denver", 1773129600), -21600, "Denver is UTC-6 on 2026-03-10T08:00Z")
t.is(lockcloud.local_time("Europe/Berlin", 1773144000), "2026-03-10T13:00:00", "local_time")
local utc, n2 = lockcloud.utc_time("America/Denver", "2026-03-08T02:30:00")
t.ok(utc == 1772962200 and n2 == "gap", "utc_time of a skipped time: note 'gap'", utc, n2)

-- Unknown and hostile zone names: nil, err (kind "io"), nothing read outside zoneinfo
for _, zone in ipairs{ "Mars/Olympus", "../../etc/passwd", "/etc/passwd", "America/../../etc/passwd",
                       "", "America//Denver", ".hidden", "Europe/Berlin\n" } do
    local v, err = add("2026-03-10T11:00:00", "1d", zone)
    t.ok(v == nil and lockcloud.is_error(err) and err.kind == "io",
        "zone '" .. zone:gsub("%c", "?") .. "': nil, err of kind io", tostring(err))
end
-- only IANA-style names (each part starts with an uppercase letter): the
-- host's own zone by a link, and the files beside the zones, are refused
for _, zone in ipairs{ "localtime", "posixrules", "posix/Europe/Berlin", "right/UTC", "zone.tab", "europe/Berlin" } do
    local v, err = add("2026-03-10T11:00:00", "1d", zone)
    t.ok(v == nil and err.kind == "io" and tostring(err):find("not an IANA time zone name", 1, true),
        "zone '" .. zone .. "' is refused as not an IANA name", tostring(err))
end
for _, zone in ipairs{ "UTC", "EST5EDT", "Etc/GMT+1", "America/Argentina/Buenos_Aires", "America/Port-au-Prince" } do
    t.ok(add("2026-03-10T11:00:00", "1d", zone), "zone '" .. zone .. "' loads")
end

-- The TZif reader on damaged files: every truncation and single-byte
-- corruption of a real zone file is refused or read, never a crash (the
-- sanitized build checks every access)
local core = require "lockcloud.core"
local f = assert(io.open("/usr/share/zoneinfo/Europe/Berlin", "rb"))
local berlin = f:read("*a")
f:close()
local z = core.tz_parse(berlin)
t.ok(z and z:offset(1773144000) == 3600, "tz_parse reads the Berlin file")
local refused, read = 0, 0
for len = 0, #berlin - 1 do
    local zone, why = core.tz_parse(berlin:sub(1, len))
    if zone then read = read + 1 else refused = refused + (type(why) == "string" and 1 or 0) end
end
t.is(refused, #berlin, "every truncation of the file is refused with a reason (" .. #berlin .. " lengths)")
local survived = 0
for pos = 1, #berlin, 7 do
    for _, byte in ipairs{ 0, 0x7f, 0xff } do
        local bad = berlin:sub(1, pos - 1) .. string.char(byte) .. berlin:sub(pos + 1)
        local zone = core.tz_parse(bad)
        if zone then zone:offset(1773144000); zone:utc(1773144000); zone:offset(-2^53); zone:utc(2^53 - 1e6) end
        survived = survived + 1
    end
end
t.ok(survived > 900, "corrupted bytes are refused or read without a crash (" .. survived .. " files)")
for _, rule in ipairs{ "TZif2", "TZif3" .. string.rep("\0", 39) } do
    t.ok(core.tz_parse(rule) == nil, "a bare header is refused")
end

-- Programmer errors raise, naming the problem
t.raises(function() add("2026-03-10 11:00:00", "1d", "UTC") end, "timestamp like", "a space instead of T raises")
t.raises(function() add("2026-03-10T11:00:00Z", "1d", "UTC") end, "local, no offset.*lockcloud.local_time",
    "a UTC time raises, naming the conversion")
t.raises(function() add("2026-02-30T11:00:00", "1d", "UTC") end, "timestamp like", "February 30th raises")
t.raises(function() add("2026-03-10T11:00:00", "2 fortnights", "UTC") end, "unknown duration unit", "unknown unit")
t.raises(function() add("2026-03-10T11:00:00", { days = 1.5 }, "UTC") end, "whole number", "fractions raise")
t.raises(function() add("2026-03-10T11:00:00", 3, "UTC") end, "duration table or string", "a bare number raises")
t.raises(function() add("2026-03-10T11:00:00", "1d", nil) end, "time zone name must be a string", "no zone raises")

os.exit(t.done(), true) -- close the state: every __gc runs (leak checks see them)
