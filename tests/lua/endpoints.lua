-- lockcloud.endpoints([vendor]): the catalogue with all its metadata, so
-- scripts and the reference can list what exists. Checks the shape of
-- every row and the values of rows whose facts the API document fixes.
local t = require "tap"
local lockcloud = require "lockcloud"

local rows = lockcloud.endpoints()
t.ok(type(rows) == "table" and #rows > 0, "endpoints() returns a non-empty list", #rows)
t.is(getmetatable(rows), lockcloud.array_mt, "the list is a lockcloud array")
t.is(#lockcloud.endpoints("remotelock"), #rows, "endpoints('remotelock') is the default")

local kinds = { list = true, status = true, sort = true, nested = true, scalar = true }
local styles = { none = true, attributes = true, typed = true, document = true }
local by_name = {}

local function strings(list)
    if type(list) ~= "table" or getmetatable(list) ~= lockcloud.array_mt then return false end
    for _, s in ipairs(list) do
        if type(s) ~= "string" or s == "" then return false end
    end
    return true
end

local bad = {}
for i, ep in ipairs(rows) do
    local why
    local ids = select(2, ep.path:gsub("/:", ""))
    if type(ep.name) ~= "string" or not ep.name:find("^[%w_]+%.[%w_]+$") then why = "name"
    elseif by_name[ep.name] then why = "name given twice"
    elseif not ({ GET = 1, POST = 1, PUT = 1, DELETE = 1 })[ep.method] then why = "method"
    elseif type(ep.path) ~= "string" or ep.path:sub(1, 1) ~= "/" then why = "path"
    elseif type(ep.summary) ~= "string" or ep.summary == "" then why = "summary"
    elseif type(ep.binding) ~= "string" or not ep.binding:find("^[%l_]+$") then why = "binding"
    elseif not styles[ep.body_style] then why = "body_style"
    elseif ep.body ~= (ep.body_style ~= "none") then why = "body flag and body_style disagree"
    elseif ep.path_params ~= ids then why = "path_params " .. tostring(ep.path_params)
    elseif not (strings(ep.sorts) and strings(ep.types)) then why = "sorts or types"
    elseif ep.default_sort ~= nil and type(ep.default_sort) ~= "string" then why = "default_sort"
    elseif getmetatable(ep.params) ~= lockcloud.array_mt then why = "params"
    end
    if not (strings(ep.flavours) and #ep.flavours >= 1) then why = why or "flavours" end
    for _, flag in ipairs{ "collection", "body", "no_content", "idempotent", "legacy_v1",
                           "csv_answer" } do
        if type(ep[flag]) ~= "boolean" then why = why or flag .. " is not a boolean" end
    end
    for _, p in ipairs(ep.params or {}) do
        if type(p.name) ~= "string" or not kinds[p.kind] then why = why or "param " .. tostring(p.name) end
    end
    if why then bad[#bad + 1] = (ep.name or i) .. ": " .. why end
    by_name[ep.name or i] = ep
end
t.ok(#bad == 0, "every row has every field, of the right type (" .. #rows .. " rows)", table.concat(bad, "\n"))

local function has(list, want)
    for _, v in ipairs(list or {}) do if v == want then return true end end
    return false
end
local function param(ep, name)
    for _, p in ipairs(ep and ep.params or {}) do if p.name == name then return p.kind end end
end

-- rows whose facts the API document fixes
local persons = by_name["access_persons.list"] or {}
t.ok(persons.collection and persons.method == "GET" and persons.path == "/access_persons"
    and persons.binding == "access_persons", "access_persons.list: a collection at GET /access_persons")
t.ok(param(persons, "status") == "status" and param(persons, "type") == "list"
    and param(persons, "sort") == "sort" and param(persons, "attributes") == "nested",
    "access_persons.list: status, type, sort and attributes with their kinds")
t.ok(has(persons.sorts, "starts_at") and persons.default_sort == "created_at"
    and has(persons.types, "access_guest"), "access_persons.list: sorts, default sort, types")

local create = by_name["access_persons.create"] or {}
t.ok(create.method == "POST" and create.body and create.body_style == "typed" and not create.idempotent
    and #create.types == 2, "access_persons.create: a typed POST body, not idempotent, two types")
local update = by_name["access_persons.update"] or {}
t.ok(update.body_style == "attributes" and update.idempotent and update.path_params == 1,
    "access_persons.update: attributes body, idempotent, one id")
local delete = by_name["access_persons.delete"] or {}
t.ok(delete.no_content and delete.idempotent and delete.body_style == "none" and not delete.body,
    "access_persons.delete: 204, idempotent, no body")

local accesses = by_name["accesses.list"] or {}
t.ok(accesses.path_params == 1 and param(accesses, "guest_management_enabled") == "scalar"
    and #accesses.sorts == 0 and accesses.default_sort == nil,
    "accesses.list: one path id, a scalar filter, no sorts")
t.is((by_name["accesses.get"] or {}).path_params, 2, "accesses.get: two path ids")
t.is((by_name["events.list"] or {}).default_sort, "-occurred_at", "events.list sorts newest first")
t.is((by_name["devices.unlock"] or {}).binding, "unlock", "devices.unlock is the method unlock")

local schedules = by_name["schedules.create"] or {}
t.ok(schedules.body_style == "typed" and #schedules.types == 5 and has(schedules.types, "thermostat_schedule")
    and has(schedules.types, "access_schedule"), "schedules.create: typed, all five schedule types")
t.ok((by_name["schedules.list"] or {}).collection and (by_name["access_exceptions.delete"] or {}).no_content,
    "schedules and access exceptions rows are listed")

-- flavours: the API forms that document each row, in the vendor's order
local function flavours(name) return table.concat((by_name[name] or {}).flavours or {}, ",") end
t.is(flavours("devices.get"), "current,v1", "devices.get: both flavours")
t.is(flavours("devices.power_on"), "v1", "devices.power_on: LockState v1 alone")
t.ok(by_name["devices.power_on"] and by_name["devices.power_on"].legacy_v1, "and it is legacy_v1")
t.is(flavours("group_items.list"), "current", "group_items.list: the current API alone")
local odd = {}
for _, ep in ipairs(rows) do
    if ep.legacy_v1 ~= (flavours(ep.name) == "v1") then odd[#odd + 1] = ep.name end
end
t.ok(#odd == 0, "legacy_v1 is set exactly on the rows of flavour v1 alone", table.concat(odd, ", "))

local search = by_name["door_group_accesses.search"] or {}
t.ok(search.csv_answer and search.method == "GET" and not search.collection and
    search.binding == "search_door_group_accesses", "door_group_accesses.search answers CSV")
t.ok(not (by_name["devices.list"] or {}).csv_answer, "a JSON row is not csv_answer")
local import = by_name["access_persons.import"] or {}
t.ok(import.body_style == "document" and not import.csv_answer,
    "access_persons.import takes the whole document ({csv = ..., ...})")

-- every call gives fresh tables: a script may change what it got
rows[1].binding = "changed"
table.insert(rows[1].params, { name = "x", kind = "list" })
local again = lockcloud.endpoints()
t.ok(again[1].binding ~= "changed" and #again[1].params == #by_name[again[1].name].params - 1,
    "a changed result leaves the next call's untouched")
t.ok(type(lockcloud.remotelock_methods[again[1].binding]) == "function",
    "and the generated methods untouched")

-- as JSON, empty lists stay lists
local json = lockcloud.encode(lockcloud.endpoints())
t.like(json, '"name":"notifications.list"', "the catalogue encodes as JSON")
t.like(json, '"sorts":%[%]', "an endpoint without sorts has sorts = []")

-- vendors
t.raises(function() lockcloud.endpoints("lockt") end, "unknown vendor 'lockt'",
    "an unknown vendor raises (Lockt has no catalogue yet)")
t.like(select(2, pcall(function() lockcloud.endpoints("nope") end)), "endpoints%.lua:%d+: lockcloud",
    "the error points at the caller's line")
t.raises(function() lockcloud.endpoints("remotelock\0x") end, "vendor name holds a NUL byte",
    "a vendor name holding NUL raises")
t.raises(function() lockcloud.endpoints({}) end, "string expected", "a table as vendor raises")

os.exit(t.done(), true)
