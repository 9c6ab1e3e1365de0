-- lockcloud.csv_rows / csv_records: RFC 4180 CSV as Lua tables.
local t = require "tap"
local lockcloud = require "lockcloud"
local enc = lockcloud.encode

local function rows(s) return enc((assert(lockcloud.csv_rows(s)))) end

t.is(rows("a,b,c\r\n1,2,3\r\n"), '[["a","b","c"],["1","2","3"]]', "CRLF records")
t.is(rows("a,b\n1,2"), '[["a","b"],["1","2"]]', "LF records, no final line break")
t.is(rows('"a,b",c\r\n'), '[["a,b","c"]]', "a quoted comma stays in its field")
t.is(rows('"say ""hi""",x\n'), '[["say \\"hi\\"","x"]]', "doubled quotes are one quote")
t.is(rows('"two\r\nlines",x\r\ny,z\r\n'), '[["two\\r\\nlines","x"],["y","z"]]', "a quoted line break stays")
t.is(rows("a,,c\n,\n"), '[["a","","c"],["",""]]', "empty fields")
t.is(rows('a,""\n'), '[["a",""]]', "an empty quoted field")
t.is(rows("\239\187\191name\r\n\r\nx\r\n"), '[["name"],["x"]]', "byte order mark and blank lines skipped")
t.is(rows(""), "{}", "no text, no rows")
t.is(rows(" a , b \n"), '[[" a "," b "]]', "spaces are kept")

for _, case in ipairs{
    { '"open,x\n', "line 1: a quoted field is not closed" },
    { 'ok\n"x"y,1\n', "line 2: text after a quoted field" },
    { 'ok\nx"y,1\n', "line 2: a quote inside an unquoted field" },
    { 'a\n"multi\nline"z\n', "line 3: text after a quoted field" },
} do
    local v, err = lockcloud.csv_rows(case[1])
    t.ok(v == nil and err.kind == "parse" and tostring(err):find(case[2], 1, true),
        "malformed CSV: " .. case[2], tostring(err))
end

local recs = assert(lockcloud.csv_records('name,pin,email\r\n"Lee, Sam",5511,sam@example.com\r\n' ..
    'Ann,5512,\r\n'))
t.ok(#recs == 2 and recs[1].name == "Lee, Sam" and recs[1].pin == "5511" and recs[2].email == "",
    "records keyed by the header")
local v, err = lockcloud.csv_records("a,b\n1\n")
t.ok(v == nil and tostring(err):find("record 1 has 1 fields, the header 2", 1, true),
    "a record with too few fields is an error", tostring(err))
v, err = lockcloud.csv_records("a,a\n1,2\n")
t.ok(v == nil and tostring(err):find("column 'a' twice", 1, true), "a header naming a column twice", tostring(err))
t.raises(function() lockcloud.csv_rows(nil) end, "string expected", "csv_rows(nil) raises")

os.exit(t.done(), true) -- close the state: every __gc runs (leak checks see them)
