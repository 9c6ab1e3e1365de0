--- An operator's daily helpers on RemoteLock clients: find a device,
-- location, door group or guest by name; check a guest in (undone when a
-- step fails) and out; extend a stay in the location's time zone; the
-- locks needing attention. Installed by lockcloud.lua as client methods.
local format, concat, type, ipairs, pairs, pcall, error =
    string.format, table.concat, type, ipairs, pairs, pcall, error
local sort = table.sort

return function(M, util, methods)
    local raise, fail, printable = util.raise, util.fail, util.printable
    local check_id, check_table = util.check_id, util.check_table
    local check_keys, text = util.check_keys, util.server_text

    -- Collects the collection's items (an iterator raises its error: turn
    -- it back into nil, err).
    local function gather(iter_fn)
        local items = {}
        local ok, err = pcall(function()
            for item in iter_fn() do items[#items + 1] = item end
        end)
        if not ok then
            if M.is_error(err) then return nil, err end
            error(err, 0)
        end
        return items
    end

    local function name_of(r)
        local a = r.attributes or {}
        return type(a.name) == "string" and a.name or "?"
    end

    local function describe(r)
        return format("'%s' (%s %s)", text(name_of(r)), text(r.type), text(r.id))
    end

    -- The one item whose id or name is key: exact name first, then the
    -- same name in another case. None or several: nil, err (kind
    -- "not-found" or "ambiguous") naming the candidates.
    local function pick(items, key, what)
        local exact, folded = {}, {}
        for _, r in ipairs(items) do
            if r.id == key then return r end
            local name = name_of(r)
            if name == key then exact[#exact + 1] = r
            elseif name:lower() == key:lower() then folded[#folded + 1] = r end
        end
        local found = #exact > 0 and exact or folded
        if #found == 1 then return found[1] end
        local names = {}
        if #found > 1 then
            for i, r in ipairs(found) do names[i] = describe(r) end
            local e = fail("ambiguous", format("%d %ss are named '%s': %s; pass the id instead",
                #found, what, printable(key), concat(names, ", ")))
            e.candidates = found
            return nil, e
        end
        -- none: name the near misses (a part of the name in common)
        local near = {}
        local low = key:lower()
        for _, r in ipairs(items) do
            local name = name_of(r):lower()
            if #near < 10 and (name:find(low, 1, true) or low:find(name, 1, true) or
                util.edit_distance(low, name) <= 2) then
                near[#near + 1] = r
                names[#names + 1] = describe(r)
            end
        end
        local e = fail("not-found", format("no %s is named '%s'%s", what, printable(key),
            #near > 0 and " (did you mean " .. concat(names, " or ") .. "?)" or
            format(" (%d %ss looked at)", #items, what)))
        e.candidates = near
        return nil, e
    end

    local function finder(fname, what, list)
        return function(self, key, query)
            check_id(key, fname, 1)
            check_table(query, fname, 2, true)
            local items, err = gather(function() return list(self, query) end)
            if not items then return nil, err end
            return pick(items, key, what)
        end
    end

    --- find_device(name_or_id, [query]) -> device | nil, err
    methods.find_device = finder("find_device", "device",
        function(self, q) return self:devices(q) end)
    --- find_location(name_or_id, [query]) -> location | nil, err
    methods.find_location = finder("find_location", "location",
        function(self, q) return self:locations(q) end)
    --- find_guest(name_or_id, [query]) -> guest | nil, err (current and
    -- upcoming guests unless query says otherwise: status = {...})
    local find_guest = finder("find_guest", "guest", function(self, q)
        local query = { type = "access_guest" }
        for k, v in pairs(q or {}) do query[k] = v end
        return self:access_persons(query)
    end)
    function methods:find_guest(key, query)
        local r, err = find_guest(self, key, query)
        if not r and err.kind == "not-found" and not (query and query.status) then
            err.message = err.message .. "; expired and deactivated guests are left out by default: " ..
                "pass a query to include them, e.g. {status = {\"current\", \"upcoming\", " ..
                "\"expired\", \"deactivated\"}}"
        end
        return r, err
    end
    --- find_door_group(name_or_id, [query]) -> group | nil, err
    methods.find_door_group = finder("find_door_group", "door group", function(self, q)
        local name = util.endpoint("GET", "/groups")
        if not name then
            raise("lockcloud: find_door_group: this catalogue has no GET /groups")
        end
        local query = {}
        for k, v in pairs(q or {}) do query[k] = v end
        return self:each(name, nil, query)
    end)

    ------------------------------------------------------------ check-in

    local guest_keys = { doors = true, notify = true, access_schedule_id = true }

    local door_kinds = { "device", "location", "door_group" }
    local door_keys = { "device", "location", "door_group", "accessible_type", "accessible_id" }
    local door_finders = { device = "find_device", location = "find_location",
                           door_group = "find_door_group" }

    -- One door of a check-in spec -> the grant's attributes and a label for
    -- messages, or nil, err.
    local function resolve_door(self, door, n)
        if type(door) == "string" then door = { device = door } end
        if type(door) ~= "table" then
            raise(format("lockcloud: check_in: door %d: a name, an id or a table expected, got %s",
                n, type(door)))
        end
        check_keys(door, "check_in", 1, door_keys)
        if door.accessible_type ~= nil or door.accessible_id ~= nil then
            check_id(door.accessible_type, "check_in", 1)
            check_id(door.accessible_id, "check_in", 1)
            return { accessible_type = door.accessible_type, accessible_id = door.accessible_id },
                door.accessible_type .. " " .. door.accessible_id
        end
        local kind
        for _, k in ipairs(door_kinds) do
            if door[k] ~= nil then
                if kind then raise(format("lockcloud: check_in: door %d names both %s and %s", n, kind, k)) end
                kind = k
            end
        end
        if not kind then
            raise(format("lockcloud: check_in: door %d needs device, location, door_group or " ..
                "accessible_type and accessible_id", n))
        end
        local r, err = self[door_finders[kind]](self, door[kind])
        if not r then return nil, err end
        return { accessible_type = kind == "device" and r.type or kind, accessible_id = r.id },
            describe(r)
    end

    -- The error of a failed step with the undo's outcome: the original
    -- kind, status and fields; the message says what was undone or what
    -- could not be; cleanup_errors lists those failures.
    local function failed(step, err, cleanup)
        local e = fail(err.kind, "", nil)
        for k, v in pairs(err) do e[k] = v end
        e.cause, e.step, e.cleanup_errors = err, step, cleanup
        e.undone = #cleanup == 0
        local msg = format("%s: %s", step, err.message or tostring(err))
        if #cleanup == 0 then
            e.message = msg .. " (check-in undone: nothing it created is left)"
        else
            local parts = {}
            for i, c in ipairs(cleanup) do parts[i] = c.step .. ": " .. tostring(c.error) end
            e.message = msg .. "; undoing the check-in failed too, left behind: " .. concat(parts, "; ")
        end
        return e
    end

    --- check_in{name=, pin= | generate_pin=, starts_at=, ends_at=, ...,
    --   doors = {...}, access_schedule_id =, notify = true | {days_before = n}}
    -- -> {guest =, accesses =, notified =} | nil, err
    function methods:check_in(spec)
        check_table(spec, "check_in", 1)
        if type(spec.doors) ~= "table" then
            local hint = ""
            for _, k in ipairs{ "door", "devices", "device", "locations", "location" } do
                if spec[k] ~= nil then hint = format(" (got '%s': the key is doors)", k) break end
            end
            raise(format("bad argument #1 to 'check_in' (doors is required: a list of the doors " ..
                "the guest may open, e.g. doors = {\"Front Door\"}; got %s%s)", type(spec.doors), hint))
        end
        local doors = spec.doors
        if #doors == 0 then raise("lockcloud: check_in: doors is empty: a guest without a door cannot get in") end
        local notify = spec.notify
        if notify ~= nil and notify ~= true and notify ~= false and type(notify) ~= "table" then
            raise("lockcloud: check_in: notify must be true, false or {days_before = n}")
        end
        local attributes = {}
        for k, v in pairs(spec) do
            if not guest_keys[k] then attributes[k] = v end
        end
        -- every door is resolved before anything is created
        local grants, labels = {}, {}
        for n, door in ipairs(doors) do
            local g, label = resolve_door(self, door, n)
            if not g then return nil, label end
            g.access_schedule_id = spec.access_schedule_id
            grants[n], labels[n] = g, label
        end

        local guest, accesses, step = nil, {}, "creating the guest"
        local function undo()
            local cleanup = {}
            for i = #accesses, 1, -1 do
                local ok, e = self:revoke_access(guest.id, accesses[i].id)
                if not ok then cleanup[#cleanup + 1] = { step = "revoking access " .. text(accesses[i].id), error = e } end
            end
            local ok, e = self:delete_access_person(guest.id)
            if not ok then cleanup[#cleanup + 1] = { step = "deleting guest " .. text(guest.id), error = e } end
            return cleanup
        end
        local ok, res, err = pcall(function()
            local g, e = self:create_guest(attributes)
            if not g then return nil, e end
            guest = g
            for n, attrs in ipairs(grants) do
                step = "granting " .. labels[n]
                local a, ge = self:grant_access(guest.id, attrs)
                if not a then return nil, ge end
                accesses[#accesses + 1] = a
            end
            if notify then
                step = "sending the instructions email"
                local body = { attributes = type(notify) == "table" and notify or {} }
                local r, ne = util.call_path(self, "POST", "/access_persons/:id/email/notify", { guest.id }, body)
                if not r then return nil, ne end
            end
            return true
        end)
        if ok and res then
            return { guest = guest, accesses = accesses, notified = notify and true or false }
        end
        if not ok and guest == nil then error(res, 0) end -- raised before anything existed
        if ok and guest == nil then return nil, err end -- the guest itself was refused
        local cleanup = undo()
        if not ok then
            -- a programmer error mid-way: undone, then raised as it was
            if #cleanup > 0 then
                error(format("%s (undoing the check-in failed: %s)", tostring(res),
                    tostring(cleanup[1].error)), 0)
            end
            error(res, 0)
        end
        return nil, failed(step, err, cleanup)
    end

    ------------------------------------------------------------ check-out

    --- check_out(guest_id, {revoke = true}) -> {guest =, revoked = n} | nil, err
    -- Deactivates the guest (the API's advice over deleting: the person
    -- stays listable); with revoke, then revokes each of its accesses.
    function methods:check_out(guest_id, opts)
        check_id(guest_id, "check_out", 1)
        check_keys(opts, "check_out", 2, { "revoke" })
        local guest, err = self:deactivate_access_person(guest_id)
        if not guest then return nil, err end
        local revoked = 0
        if opts and opts.revoke then
            local list, lerr = self:accesses_list(guest_id)
            if not list then return nil, lerr end
            for _, a in ipairs(list) do
                local ok, rerr = self:revoke_access(guest_id, a.id)
                if not ok then
                    rerr.step = "revoking access " .. text(a.id)
                    return nil, rerr
                end
                revoked = revoked + 1
            end
        end
        return { guest = guest, revoked = revoked }
    end

    ------------------------------------------------------------ stays

    -- The location ids of one access: the location granted, a device's
    -- location, or each door of a door group (its items), or nil, err.
    local function access_locations(self, a, out, depth)
        local ty, id = a.accessible_type, a.accessible_id
        if type(id) ~= "string" then return out end
        if ty == "location" then
            out[#out + 1] = id
        elseif ty == "door_group" then
            if depth > 3 then return out end -- groups of groups: a loop stops here
            local items, err = gather(function() return self:group_items(id) end)
            if not items then return nil, err end
            for _, it in ipairs(items) do
                local ia = it.attributes or {}
                local ok, e = access_locations(self, { accessible_type = ia.item_type,
                    accessible_id = ia.item_id }, out, depth + 1)
                if not ok then return nil, e end
            end
        else
            local d, err = self:device(id)
            if not d then return nil, err end
            local loc = d.attributes and d.attributes.location_id
            if type(loc) == "string" then out[#out + 1] = loc end
        end
        return out
    end

    -- The time zone a guest's stay is read in: that of the first location
    -- among its accesses (a location granted, a device's location, a door
    -- group's doors' locations). The account has no time zone: a guest
    -- without such an access gets nil, err (kind "usage": pass time_zone).
    function methods:stay_time_zone(guest_id)
        check_id(guest_id, "stay_time_zone", 1)
        local list, err = self:accesses_list(guest_id)
        if not list then return nil, err end
        for _, access in ipairs(list) do
            local locs, lerr = access_locations(self, access.attributes or {}, {}, 0)
            if not locs then return nil, lerr end
            for _, loc_id in ipairs(locs) do
                local loc, gerr = self:location(loc_id)
                if not loc then return nil, gerr end
                local tz = loc.attributes and loc.attributes.time_zone
                if type(tz) == "string" then return tz end
            end
        end
        return nil, fail("usage", format("cannot tell the time zone of guest %s's stay (%s): " ..
            "pass it, e.g. extend_stay(id, duration, {time_zone = \"America/Denver\"})", text(guest_id),
            #list == 0 and "the guest has no access" or "no access leads to a location with a time zone"))
    end

    --- extend_stay(guest_id, duration, [{time_zone =}]) -> guest | nil, err
    -- Moves ends_at by the duration (lockcloud.time_add in the stay's zone).
    function methods:extend_stay(guest_id, dur, opts)
        check_id(guest_id, "extend_stay", 1)
        util.duration(dur, "extend_stay") -- a bad duration raises before any request
        check_keys(opts, "extend_stay", 3, { "time_zone" })
        local guest, err = self:access_person(guest_id)
        if not guest then return nil, err end
        local ends = guest.attributes.ends_at
        if type(ends) ~= "string" then
            return nil, fail("not-found", format("%s has no ends_at: only guests have stays", describe(guest)))
        end
        if not util.parse_local(ends) then
            return nil, fail("parse", format("%s: ends_at '%s' is not a local timestamp",
                describe(guest), text(ends)))
        end
        local tz = opts and opts.time_zone
        if tz == nil then
            tz, err = self:stay_time_zone(guest_id)
            if not tz then return nil, err end
        end
        local new_end, terr = M.time_add(ends, dur, tz)
        if not new_end then return nil, terr end
        return self:update_access_person(guest_id, { ends_at = new_end })
    end

    ------------------------------------------------------------ attention

    --- locks_needing_attention{battery_below = 20, query = {...}}
    -- -> array of {device =, id =, name =, reasons = {{code =, text =}, ...}} | nil, err
    -- codes: "low_battery" (power_level below the threshold), "offline"
    -- (connected is false), "not_alive" (alive is false: no heartbeat)
    function methods:locks_needing_attention(opts)
        check_keys(opts, "locks_needing_attention", 1, { "battery_below", "query" })
        opts = opts or {}
        local below = opts.battery_below or 20
        if type(below) ~= "number" or below < 0 or below > 100 then
            raise("lockcloud: locks_needing_attention: battery_below must be a percentage (0..100)")
        end
        local devices, err = gather(function() return self:devices(opts.query) end)
        if not devices then return nil, err end
        local out = M.array()
        for _, d in ipairs(devices) do
            local a, reasons = d.attributes or {}, {}
            if type(a.power_level) == "number" and a.power_level < below then
                reasons[#reasons + 1] = { code = "low_battery",
                    text = format("battery at %s%% (below %s%%)", text(a.power_level), text(below)) }
            end
            if a.connected == false then
                reasons[#reasons + 1] = { code = "offline", text = "offline (not connected" ..
                    (type(a.connected_at) == "string" and ", last connected " .. text(a.connected_at) or "") .. ")" }
            end
            if a.alive == false then
                reasons[#reasons + 1] = { code = "not_alive", text = "no heartbeat (alive is false)" }
            end
            if #reasons > 0 then
                out[#out + 1] = { device = d, id = d.id, name = name_of(d), reasons = reasons }
            end
        end
        sort(out, function(x, y) if x.name ~= y.name then return x.name < y.name end return x.id < y.id end)
        return out
    end
end
