-- What a script's mistakes raise: each message names the endpoint and says
-- what it takes or what was meant, so the fix needs no look at the source.
-- Nothing is sent for any of them.
local t = require "tap"
local E = require "simenv"

E.reset()
local client = assert(E.client())
assert(client:authenticate())
local sent = E.request_count()

-- sort on a collection that offers none is no attribute filter
local err = t.raises(function() client:accesses(E.casey_current, { sort = "created_at" }) end,
    "accesses %(GET /access_persons/:access_person_id/accesses%) does not take query key " ..
    "'sort' %(it takes: attributes, guest_management_enabled, id, per_page; it offers no sort",
    "sort on accesses: the collection offers no sort")
t.ok(not tostring(err):find("attributes = {sort", 1, true),
    "sort on accesses: no hint to filter on an attribute named sort", tostring(err))

-- page in an iterator or a _list: which endpoint, and the call that takes it
t.raises(function() client:devices_list{ page = 2 } end,
    "devices %(GET /devices%): iterators fetch every page, so query key 'page' is not taken " ..
    "%(per_page sets the page size; call%('devices%.list', nil, {page = N}%) fetches one page%)",
    "devices_list{page = 2} names the endpoint and the call() that fetches one page")
t.raises(function() client:accesses(E.casey_current, { page = 1 }) end,
    "accesses %(GET [^)]+%): iterators fetch every page.*call%('accesses%.list', access_person_id, ",
    "accesses(id, {page = 1}): the call() takes the path's id")
t.raises(function() client:each("locations.list", nil, { page = 1 }) end,
    "locations %(GET /locations%): iterators fetch every page", "each(name, nil, {page}) the same")

-- per_page out of range names the endpoint
t.raises(function() client:events{ per_page = 51 } end,
    "events %(GET /events%): per_page must be an integer from 1 to 50",
    "events{per_page = 51} names the endpoint")
t.raises(function() client:access_persons_list{ per_page = "10" } end,
    "access_persons %(GET /access_persons%): per_page must be an integer",
    "per_page as a string names the endpoint")

-- call/each/list: an unknown name points at lockcloud.endpoints() and at the
-- name meant (a method name, a near miss)
local unknown = "unknown endpoint '%s' %%(lockcloud%%.endpoints%%(%%) lists each endpoint's name"
t.raises(function() client:call("devices") end,
    unknown:format("devices") .. "; did you mean 'devices%.list'%?%)",
    "call('devices'): the collection's endpoint name is suggested")
t.raises(function() client:list("access_persons_list") end,
    unknown:format("access_persons_list") .. "; did you mean 'access_persons%.list'%?%)",
    "list('access_persons_list'): the method name leads to its endpoint")
t.raises(function() client:call("unlock") end,
    unknown:format("unlock") .. "; did you mean 'devices%.unlock'%?%)",
    "call('unlock'): a method name leads to its endpoint")
t.raises(function() client:each("device.list") end,
    unknown:format("device%.list") .. "; did you mean 'devices%.list'%?%)",
    "each('device.list'): a near miss is suggested")
t.raises(function() client:call("zzz") end, unknown:format("zzz") .. "%)$",
    "call('zzz'): nothing near, no suggestion")
t.like(select(2, pcall(function() client:call("zzz") end)), "^[^:]*misuse%.lua:%d+: lockcloud",
    "the error points at the caller's line")

-- a type the collection does not document would answer no items
t.raises(function() client:access_persons_list{ type = "access_gust" } end,
    "access_persons %(GET /access_persons%) has no type 'access_gust' %(its types: " ..
    "access_user, access_guest; did you mean 'access_guest'%?%)",
    "access_persons{type = 'access_gust'} raises, naming the types and the one meant")
t.raises(function() client:schedules{ type = { "access_schedule", "door_schedule" } } end,
    "schedules %(GET /schedules%) has no type 'door_schedule' %(its types: access_schedule, ",
    "schedules{type = {..., unknown}} raises for the unknown one")
t.raises(function() client:call("access_persons.list", nil, { type = "guest" }) end,
    "has no type 'guest'", "call() checks the types the same")

-- call() takes the whole document: bare attributes would be ignored
t.raises(function() client:call("access_persons.update", E.uma_upcoming, nil, { name = "X" }) end,
    "bad argument #4 to 'call' %(update_access_person %(PUT /access_persons/:id%) takes the " ..
    "whole document, {attributes = {%.%.%.}}; got no 'attributes' table%)",
    "call(update, id, nil, {name = ...}) raises: the document needs its attributes")
t.raises(function() client:call("access_persons.create", nil, nil, { type = "access_guest" }) end,
    "takes the whole document, {type = %.%.%., attributes = {%.%.%.}}",
    "call(create, nil, nil, {type = ...}) raises the same, naming the typed shape")

t.is(E.request_count(), sent, "none of these sent a request")

-- the names still work
local doc = client:call("devices.get", E.front_door)
t.is(doc and doc.data.id, E.front_door, "call('devices.get', id) still answers")
local list = client:list("locations.list")
t.is(list and #list, 2, "list('locations.list') still answers")
list = client:access_persons_list{ type = { "access_guest", "access_user" } }
t.ok(list and #list == 3, "access_persons{type = both types} still answers (3)", list and #list)
list = client:devices_list{ type = "lock" }
t.ok(list and #list == 3, "devices{type = 'lock'}: a collection without documented types takes any")
doc = client:call("access_persons.update", E.uma_upcoming, nil, { attributes = { department = "Ops" } })
t.is(doc and doc.data.attributes.department, "Ops", "call(update, id, nil, {attributes = ...}) updates")

client:close()
os.exit(t.done())
