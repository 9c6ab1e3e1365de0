-- Every ```lua block of docs/lua.md and README.md runs, as printed, against
-- the simulator: a reader copies them. The constructor fills in what the
-- snippets leave to the reader (the simulator's URLs and CA, the demo
-- application for "..." credentials); `lockcloud`, `client` (a simulator
-- client) and `id` (a lock's id) are there for the fragments that use them. A line
-- "--> message" (continued by "--  " lines) after a statement says it raises
-- that message: the statements before it must raise exactly that, and the
-- rest of the block must run.
local t = require "tap"
local lockcloud = require "lockcloud"
local E = require "simenv"

E.reset()

local function constructor(options)
    local o = {}
    for k, v in pairs(options) do o[k] = v end
    o.api_url, o.auth_url, o.cafile = o.api_url or E.url, o.auth_url or E.url, o.cafile or E.ca
    if o.client_id == "..." then o.client_id = E.client_id end
    if o.client_secret == "..." then o.client_secret = E.client_secret end
    return lockcloud.remotelock(o)
end
local module = setmetatable({ remotelock = constructor }, { __index = lockcloud })

local function env_for(name)
    local env = setmetatable({}, { __index = _G })
    env.require = function(m)
        if m == "lockcloud" then return module end
        return require(m)
    end
    env.print = function(...) -- output as TAP comments
        local parts = {}
        for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
        io.write("# ", name, ": ", table.concat(parts, "\t"), "\n")
    end
    env.lockcloud = module
    env.client = assert(E.client())
    env.id = E.pool_gate
    return env
end

-- A chunk of src run in env: true, or false and the error.
local function run(src, name, env)
    local f, err
    if setfenv then
        f, err = loadstring(src, "=" .. name)
        if f then setfenv(f, env) end
    else
        f, err = load(src, "=" .. name, "t", env)
    end
    if not f then return false, err end
    return pcall(f)
end

local function blocks(path)
    local f = assert(io.open(path, "r"))
    local text = f:read("*a")
    f:close()
    local out, line = {}, 1
    local pos = 1
    while true do
        local s, e, body = text:find("\n```lua\n(.-)\n```", pos)
        if not s then break end
        local _, nl = text:sub(1, s):gsub("\n", "")
        line = nl + 2
        out[#out + 1] = { line = line, body = body }
        pos = e + 1
    end
    return out
end

local top = os.getenv("LC_TOP") or "."
for _, doc in ipairs{ "docs/lua.md", "README.md" } do
    local list = blocks(top .. "/" .. doc)
    t.ok(#list > 0, doc .. " has lua blocks (" .. #list .. ")")
    for _, b in ipairs(list) do
        local name = doc .. ":" .. b.line
        local env = env_for(name)
        local before, comment, after = b.body:match("^(.-)\n(%-%-> .-)\n([^-].*)$")
        if not before then
            before, comment = b.body:match("^(.-)\n(%-%-> .*)$")
            after = ""
        end
        if before then
            local want = comment:gsub("^%-%-> ", ""):gsub("\n%-%-  ", " ")
            local ok, err = run(before, name, env)
            local got = tostring(err):gsub("^.-:%d+: (lockcloud)", "%1", 1)
            t.ok(not ok and got == want, name .. ": raises what its --> comment says",
                ok and "did not raise" or "raised: " .. got, "want:   " .. want)
            if after:find("%S") then
                ok, err = run(after, name, env)
                t.ok(ok, name .. ": the rest runs", tostring(err))
            end
        else
            local ok, err = run(b.body, name, env)
            t.ok(ok, name .. ": runs", tostring(err))
        end
        env.client:close()
    end
end

-- Blocks make clients of their own and leave them to the collector; collect
-- them now, since os.exit does not close the state on Lua 5.1/LuaJIT and a
-- leak checker would report their libcurl handles.
collectgarbage()
collectgarbage()
os.exit(t.done())
