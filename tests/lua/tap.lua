-- Tiny TAP producer for the Lua tests.
--   local t = require "tap"
--   t.ok(cond, "what"); t.is(got, want, "what"); t.like(s, pattern, "what")
--   t.raises(fn, pattern, "what"); t.diag(...); os.exit(t.done())
local T = { n = 0, failed = 0 }

-- Control bytes (NUL above all) shown as \ddd: TAP stays text.
local function visible(s)
    return (tostring(s):gsub("[^\n%C]", function(c) return ("\\%03d"):format(c:byte()) end))
end

local function report(cond, desc, ...)
    T.n = T.n + 1
    if not cond then T.failed = T.failed + 1 end
    io.write(cond and "ok " or "not ok ", T.n, " - ", visible(desc or ""), "\n")
    if not cond then
        for i = 1, select("#", ...) do
            io.write("#   ", (visible(select(i, ...)):gsub("\n", "\n#   ")), "\n")
        end
    end
    io.flush()
    return cond
end

function T.ok(cond, desc, ...) return report(not not cond, desc, ...) end

function T.is(got, want, desc)
    return report(got == want, desc, "got:  " .. tostring(got), "want: " .. tostring(want))
end

function T.like(got, pattern, desc)
    local s = tostring(got)
    return report(type(got) ~= "nil" and s:find(pattern) ~= nil, desc,
        "got:  " .. s, "like: " .. pattern)
end

-- fn must raise; the error (tostring'ed) must match pattern. Returns the error.
function T.raises(fn, pattern, desc)
    local ok, err = pcall(fn)
    report(not ok and tostring(err):find(pattern) ~= nil, desc,
        ok and "did not raise" or "raised: " .. tostring(err), "like: " .. pattern)
    return err
end

function T.diag(...)
    local parts = {}
    for i = 1, select("#", ...) do parts[#parts + 1] = tostring(select(i, ...)) end
    io.write("# ", table.concat(parts, " "), "\n")
end

-- Plan line and exit status for os.exit.
function T.done()
    io.write("1..", T.n, "\n")
    return T.failed == 0 and 0 or 1
end

return T
