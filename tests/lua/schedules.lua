-- Schedules (all five types) and access exceptions through their generated
-- methods, live against the simulator, with the bodies of the API
-- document's examples.
local t = require "tap"
local lockcloud = require "lockcloud"
local E = require "simenv"

E.reset()
local client = assert(E.client())

local A = lockcloud.array
local function span(s, e) return { start_date = s, end_date = e } end
local function hours(a, b) return { start_time = a, end_time = b } end

-- access exceptions
local ex, err = client:create_access_exception{ name = "Thanks Giving and Christmas",
    dates = { span("2016-11-24", "2016-11-25"), span("2015-12-25", "2015-12-25") } }
t.ok(ex and ex.type == "access_exception" and ex.attributes.name == "Thanks Giving and Christmas"
    and #ex.attributes.dates == 2, "create_access_exception(attributes)", tostring(err))
ex = ex or { id = "none" }
local got = client:access_exception(ex.id)
t.ok(got and got.id == ex.id, "access_exception(id)")
local found = false
local iok, ierr = pcall(function()
    for e in client:access_exceptions{ sort = "-name" } do found = found or e.id == ex.id end
end)
t.ok(iok and found, "access_exceptions{sort = '-name'} lists it", tostring(ierr))
local upd
upd, err = client:update_access_exception(ex.id, { name = "Thanks Giving",
    dates = { span("2016-11-24", "2016-11-25") } })
t.ok(upd and upd.attributes.name == "Thanks Giving" and #upd.attributes.dates == 1,
    "update_access_exception(id, attributes)", tostring(err))

-- one schedule of each type
local work = { hours("08:00", "12:00"), hours("13:00", "18:00") }
local function week(day) return { mon = day, wed = day, fri = day } end
local specs = {
    access_schedule = { name = "Work access schedule", mon = work, wed = work, fri = work,
        tue = A(), access_exception_id = ex.id },
    auto_lock_schedule = { name = "Switch auto-lock mode in working period" },
    lock_action_schedule = { name = "Automatically unlock and lock" },
    power_plug_schedule = { name = "Automatically turn on and off" },
    thermostat_schedule = { name = "Changes thermostat cool/heat temperatures" },
}
for k, v in pairs(week{ { time = "08:00", enable = false }, { time = "18:00", enable = true } }) do
    specs.auto_lock_schedule[k] = v
end
for k, v in pairs(week{ { time = "08:00", action = "unlock" }, { time = "18:00", action = "lock" } }) do
    specs.lock_action_schedule[k] = v
end
for k, v in pairs(week{ { time = "08:00", action = "on" }, { time = "18:00", action = "off" } }) do
    specs.power_plug_schedule[k] = v
end
for k, v in pairs(week{ { time = "08:00", cool = 60, heat = 70 }, { time = "18:00", cool = 40, heat = 80 } }) do
    specs.thermostat_schedule[k] = v
end

local made = {}
local kinds = { "access_schedule", "auto_lock_schedule", "lock_action_schedule",
                "power_plug_schedule", "thermostat_schedule" }
for _, kind in ipairs(kinds) do
    local s, serr = client:create_schedule{ type = kind, attributes = specs[kind] }
    t.ok(s and s.type == kind and s.attributes.name == specs[kind].name,
        "create_schedule{type = '" .. kind .. "'}", tostring(serr))
    if s then made[kind] = s.id end
end

local access = made.access_schedule or "none"
local s = client:schedule(access)
t.ok(s and s.attributes.access_exception_id == ex.id and #s.attributes.mon == 2,
    "schedule(id): the access schedule, with its exception")
local only = client:schedules_list{ type = "access_schedule" } or {}
local all_access = #only > 0
for _, x in ipairs(only) do all_access = all_access and x.type == "access_schedule" end
t.ok(all_access and E.ids(only)[access], "schedules{type = 'access_schedule'}: access schedules only")
local named = client:schedules_list{ sort = "name" } or {}
local ascending = #named >= 5
for i = 2, #named do ascending = ascending and named[i - 1].attributes.name <= named[i].attributes.name end
t.ok(ascending, "schedules{sort = 'name'}: ascending names")
local renamed
renamed, err = client:update_schedule(access, { name = "New schedule name" })
t.ok(renamed and renamed.attributes.name == "New schedule name", "update_schedule(id, attributes)",
    tostring(err))

for _, kind in ipairs(kinds) do
    if made[kind] then
        t.is(client:delete_schedule(made[kind]), true, "delete_schedule(id) of the " .. kind)
    end
end
local gone, gerr = client:schedule(access)
t.ok(gone == nil and gerr.status == 404, "a deleted schedule is gone (404)", tostring(gerr))
t.is(client:delete_access_exception(ex.id), true, "delete_access_exception(id)")
gone, gerr = client:access_exception(ex.id)
t.ok(gone == nil and gerr.status == 404, "a deleted access exception is gone (404)", tostring(gerr))

client:close()
os.exit(t.done(), true)
