--- client:event_watcher{...}: new events since a point, each handed out
-- once, oldest first (by occurred_at, then id), resumable from a saved
-- cursor. A poll reads the events list newest first (the API's default
-- order) and stops at the cursor, so an idle poll costs one request.
local format, type, ipairs, pairs, pcall, error, setmetatable =
    string.format, type, ipairs, pairs, pcall, error, setmetatable
local sort = table.sort

return function(M, util, methods)
    local raise, fail, printable = util.raise, util.fail, util.printable

    -- occurred_at as a key that sorts as time does ("...:05Z" and
    -- "...:05.000Z" are one instant); nil when it is not a UTC timestamp.
    local function time_key(s)
        if type(s) ~= "string" then return nil end
        local base, frac = s:match("^(%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d)(%.?%d*)Z$")
        if not base then return nil end
        frac = frac:gsub("0+$", ""):gsub("^%.$", "")
        return base .. frac
    end

    local function before(x, y) -- event order: occurred_at, then id
        if x.key ~= y.key then return x.key < y.key end
        return x.ev.id < y.ev.id
    end

    local Watcher = {}
    Watcher.__index = Watcher

    -- A cursor: the occurred_at of the last event handed out and the ids
    -- handed out at that instant (several events may share a second).
    local function check_cursor(c)
        if type(c) ~= "table" or type(c.occurred_at) ~= "string" or type(c.ids) ~= "table" then
            raise("lockcloud: event_watcher: cursor must be a table saved from watcher:cursor()")
        end
        local at = c.occurred_at == "" and "" or time_key(c.occurred_at)
        if not at then raise("lockcloud: event_watcher: the cursor's occurred_at is not a UTC timestamp") end
        local ids = {}
        for _, id in ipairs(c.ids) do
            if type(id) ~= "string" then raise("lockcloud: event_watcher: the cursor's ids must be strings") end
            ids[id] = true
        end
        return at, c.occurred_at, ids
    end

    --- event_watcher{cursor =, since = "now" | "2026-03-10T12:00:00Z",
    --   interval = 10, query = {type =, attributes =}, per_page = 50}
    function methods:event_watcher(opts)
        util.check_table(opts, "event_watcher", 1, true)
        opts = opts or {}
        local w = setmetatable({ client = self, pending = {}, interval = opts.interval or 10,
                                 query = {}, polls = 0 }, Watcher)
        if type(w.interval) ~= "number" or w.interval < 0 then
            raise("lockcloud: event_watcher: interval must be a number of seconds")
        end
        for k, v in pairs(opts.query or {}) do
            if k == "sort" then raise("lockcloud: event_watcher: the query cannot choose a sort") end
            w.query[k] = v
        end
        w.query.per_page = opts.per_page or 50
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

    -- New events oldest first, or nil, err.
    local function fetch(w)
        local fresh = {}
        local ok, err = pcall(function()
            for ev in w.client:events(w.query) do
                local key = time_key(ev.attributes and ev.attributes.occurred_at) or ""
                if w.at and key < w.at then break end -- at the cursor: the rest is older
                if not w.at or key > w.at or not w.ids[ev.id] then
                    fresh[#fresh + 1] = { key = key, ev = ev }
                end
            end
        end)
        if not ok then
            if M.is_error(err) then return nil, err end
            error(err, 0)
        end
        sort(fresh, before)
        return fresh
    end

    local function hand_out(w, item)
        if item.key ~= w.at then w.at, w.ids = item.key, {} end
        w.at_text = item.ev.attributes.occurred_at
        w.ids[item.ev.id] = true
        return item.ev
    end

    --- watcher:poll() -> array of the new events, oldest first (the cursor
    -- moves past them) | nil, err (the cursor stays)
    function Watcher:poll()
        local fresh, err = fetch(self)
        if not fresh then return nil, err end
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
        return out
    end

    --- watcher:events{polls = n} -> iterator over new events, polling every
    -- interval seconds (lockcloud.sleep: other tasks of lockcloud.run go on
    -- meanwhile) until n polls are done (default: forever). A rate-limited
    -- poll waits for the reset and tries again; other failures raise the
    -- error object. The cursor moves as each event is handed out.
    function Watcher:events(opts)
        util.check_table(opts, "events", 1, true)
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

    --- watcher:cursor() -> {occurred_at =, ids = {...}}: where to resume
    -- (lockcloud.encode it to save; event_watcher{cursor = ...} resumes).
    function Watcher:cursor()
        if self.start_now then
            return nil, fail("usage", "the watcher has not polled yet: no position to save")
        end
        local ids = M.array()
        for id in pairs(self.ids) do ids[#ids + 1] = id end
        sort(ids)
        return { occurred_at = self.at_text, ids = ids }
    end
end
