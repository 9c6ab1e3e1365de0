--- client:event_watcher{...}: new events since a point, each handed out
-- once, in the order the server recorded them (created_at, then id), so
-- an event a lock reports late (an offline lock syncing: an old
-- occurred_at, a new created_at) still comes. Resumable from a saved
-- cursor. A poll reads the events list newest-recorded first and stops at
-- the cursor, so an idle poll costs one request.
local core = require "lockcloud.core"
local format, type, ipairs, pairs, pcall, error, setmetatable, tostring =
    string.format, type, ipairs, pairs, pcall, error, setmetatable, tostring
local sort = table.sort

return function(M, util, methods)
    local raise, fail, printable, text = util.raise, util.fail, util.printable, util.server_text

    -- A UTC timestamp ("2026-03-10T12:00:05Z", "...:05.25+01:00", "+0100")
    -- as a key that sorts as time does; nil when it is not one.
    local function time_key(s)
        if type(s) ~= "string" then return nil end
        local y, mo, d, h, mi, sec, frac, zone =
            s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)T(%d%d):(%d%d):(%d%d)(%.?%d*)(.*)$")
        if not y then return nil end
        local off
        if zone == "Z" or zone == "z" then
            off = 0
        else
            local sign, oh, om = zone:match("^([+-])(%d%d):?(%d%d)$")
            if not sign then return nil end
            off = (tonumber(oh) * 60 + tonumber(om)) * 60 * (sign == "-" and -1 or 1)
        end
        if frac == "." or #frac > 10 then return nil end
        y, mo, d, h, mi, sec = tonumber(y), tonumber(mo), tonumber(d), tonumber(h), tonumber(mi), tonumber(sec)
        if y < 1970 or mo < 1 or mo > 12 or d < 1 or d > 31 or h > 23 or mi > 59 or sec > 60 then return nil end
        local secs = core.days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off
        if secs < 0 then return nil end
        return format("%014.0f.%s", secs, (frac:sub(2) .. "000000000"):sub(1, 9))
    end

    local function before(x, y) -- hand-out order: recorded time, then id
        if x.key ~= y.key then return x.key < y.key end
        return x.ev.id < y.ev.id
    end

    local Watcher = {}
    Watcher.__index = Watcher

    local CAP = 10000 -- the API lists at most this many items of one query
    local keys = { "cursor", "since", "interval", "query", "per_page", "skip_backlog", "warn" }

    -- A cursor: the created_at of the last event handed out and the ids
    -- handed out at that instant (several events may share a second). A
    -- cursor saved before created_at ordering ({occurred_at =}) is read
    -- as recorded time.
    local function check_cursor(c)
        local at_text = type(c) == "table" and (c.created_at or c.occurred_at)
        if type(at_text) ~= "string" or type(c.ids) ~= "table" then
            raise("lockcloud: event_watcher: cursor must be a table saved from watcher:cursor()")
        end
        local at = at_text == "" and "" or time_key(at_text)
        if not at then raise("lockcloud: event_watcher: the cursor's created_at is not a UTC timestamp") end
        local ids = {}
        for _, id in ipairs(c.ids) do
            if type(id) ~= "string" then raise("lockcloud: event_watcher: the cursor's ids must be strings") end
            ids[id] = true
        end
        return at, at_text, ids
    end

    --- event_watcher{cursor =, since = "now" | "2026-03-10T12:00:00Z",
    --   interval = 10, query = {type =, attributes =}, per_page = 50,
    --   skip_backlog = false, warn = function(message)}
    function methods:event_watcher(opts)
        util.check_keys(opts, "event_watcher", 1, keys)
        opts = opts or {}
        local w = setmetatable({ client = self, pending = {}, interval = opts.interval or 10,
                                 query = {}, polls = 0, skip_backlog = opts.skip_backlog,
                                 warned = {} }, Watcher)
        if type(w.interval) ~= "number" or w.interval < 0 then
            raise("lockcloud: event_watcher: interval must be a number of seconds")
        end
        if opts.warn ~= nil and type(opts.warn) ~= "function" then
            raise("lockcloud: event_watcher: warn must be a function(message)")
        end
        w.warn = opts.warn or function(msg) io.stderr:write(msg, "\n") end
        for k, v in pairs(util.check_table(opts.query, "event_watcher", 1, true) or {}) do
            if k == "sort" then raise("lockcloud: event_watcher: the query cannot choose a sort") end
            w.query[k] = v
        end
        w.query.per_page = opts.per_page or 50
        w.query.sort = "-created_at"
        if opts.cursor ~= nil then
            w.at, w.at_text, w.ids = check_cursor(opts.cursor)
        elseif opts.since ~= nil and opts.since ~= "now" then
            w.at = time_key(opts.since)
            if not w.at then
                raise(format("lockcloud: event_watcher: since must be \"now\" or a UTC timestamp " ..
                    "like '2026-03-10T12:00:00Z', got '%s'", printable(opts.since)))
            end
            w.at_text, w.ids = opts.since, {}
        else
            w.start_now = true -- resolved by the first poll: the newest event so far
        end
        return w
    end

    -- An event the watcher cannot place: skipped with a warning, once.
    local function skip(w, ev, why)
        local id = type(ev) == "table" and ev.id
        local tag = type(id) == "string" and id or why
        if w.warned[tag] then return end
        w.warned[tag] = true
        w.warn(format("lockcloud: event_watcher: skipped event %s: %s", text(id), why))
    end

    local function overflow_message(n)
        return format("more than %d events were recorded after the watcher's position (the API " ..
            "lists at most %d for one query): narrow the watcher's query (type, attributes), or " ..
            "create it with skip_backlog = true to hand out the newest %d and skip the older ones",
            n, CAP, n)
    end

    -- New events oldest first, or nil, err. An overflow with skip_backlog:
    -- the events and a note naming it.
    local function fetch(w)
        local fresh, seen = {}, {}
        local ok, err = pcall(function()
            for ev in w.client:events(w.query) do
                local a = type(ev) == "table" and ev.attributes
                if type(ev) ~= "table" or type(ev.id) ~= "string" then
                    skip(w, ev, "its id is not a string")
                elseif type(a) ~= "table" then
                    skip(w, ev, "it has no attributes")
                else
                    local stamp = a.created_at ~= nil and a.created_at or a.occurred_at
                    local key = time_key(stamp)
                    if not key then
                        skip(w, ev, format("its created_at '%s' is not a timestamp", text(stamp)))
                    elseif w.at and key < w.at then
                        break -- at the cursor: the rest was recorded earlier
                    elseif not seen[ev.id] and (not w.at or key > w.at or not w.ids[ev.id]) then
                        seen[ev.id] = true -- a page that shifted mid-walk repeats items
                        fresh[#fresh + 1] = { key = key, ev = ev }
                    end
                end
            end
        end)
        local note
        if not ok then
            local too_many = M.is_error(err) and (err.kind == "too-many" or
                (err.kind == "usage" and tostring(err.message):find("10,000", 1, true)))
            if too_many and w.skip_backlog then
                note = format("older events skipped: more than %d were recorded after the " ..
                    "watcher's position; these are the newest", CAP)
            elseif too_many then
                local e = fail(err.kind, overflow_message(CAP))
                e.cause = err
                return nil, e
            elseif M.is_error(err) then
                return nil, err
            else
                error(err, 0)
            end
        end
        sort(fresh, before)
        return fresh, note
    end

    local function hand_out(w, item)
        if item.key ~= w.at then w.at, w.ids = item.key, {} end
        local a = item.ev.attributes
        w.at_text = a.created_at ~= nil and a.created_at or a.occurred_at
        w.ids[item.ev.id] = true
        return item.ev
    end

    --- watcher:poll() -> array of the new events, oldest-recorded first
    -- (the cursor moves past them), note (a string when older events were
    -- skipped: skip_backlog) | nil, err (the cursor stays)
    function Watcher:poll()
        local fresh, note = fetch(self)
        if not fresh then return nil, note end
        self.polls = self.polls + 1
        if self.start_now then
            -- the first poll only marks where "now" is
            self.start_now = nil
            self.at, self.ids, self.at_text = "", {}, ""
            for _, item in ipairs(fresh) do hand_out(self, item) end
            return M.array()
        end
        -- events an iterator fetched but did not hand out are in fresh
        -- again (the cursor is past handed-out events only)
        self.pending = {}
        local out = M.array()
        for _, item in ipairs(fresh) do out[#out + 1] = hand_out(self, item) end
        return out, note
    end

    --- watcher:events{polls = n} -> iterator over new events, polling every
    -- interval seconds (lockcloud.sleep: other tasks of lockcloud.run go on
    -- meanwhile) until n polls are done (default: forever). A rate-limited
    -- poll waits for the reset and tries again; other failures raise the
    -- error object. The cursor moves as each event is handed out.
    function Watcher:events(opts)
        util.check_keys(opts, "events", 1, { "polls" })
        local max = opts and opts.polls or math.huge
        if type(max) ~= "number" or max < 0 then raise("lockcloud: events: polls must be a number") end
        local done = 0 -- polls made by this iterator
        return function()
            while true do
                local item = table.remove(self.pending, 1)
                if item then return hand_out(self, item) end
                if done >= max then return nil end
                if done > 0 then M.sleep(self.interval) end
                local fresh, err = fetch(self)
                if fresh then
                    done = done + 1
                    self.polls = self.polls + 1
                    if err then self.warn("lockcloud: event_watcher: " .. err) end
                    if self.start_now then
                        self.start_now = nil
                        self.at, self.ids, self.at_text = "", {}, ""
                        for _, it in ipairs(fresh) do hand_out(self, it) end
                    else
                        self.pending = fresh
                    end
                elseif err.kind == "rate-limited" then
                    -- wait for the window to reset, then poll again (this
                    -- attempt does not count as a poll)
                    M.sleep(math.min(math.max(err.retry_after or self.interval, 1), 3600))
                else
                    error(err, 0)
                end
            end
        end
    end

    --- watcher:cursor() -> {created_at =, ids = {...}}: where to resume
    -- (lockcloud.encode it to save; event_watcher{cursor = ...} resumes).
    function Watcher:cursor()
        if self.start_now then
            return nil, fail("usage", "the watcher has not polled yet: no position to save")
        end
        local ids = M.array()
        for id in pairs(self.ids) do ids[#ids + 1] = id end
        sort(ids)
        return { created_at = self.at_text, ids = ids }
    end
end
