--- lockcloud.csv_rows, lockcloud.csv_records: CSV text (RFC 4180: quoted
-- fields may hold commas, quotes doubled, line breaks; records end in CRLF
-- or LF) as Lua tables, for imports such as a staff list.
local format, type = string.format, type

return function(M, util)
    --- csv_rows(text) -> array of arrays of strings | nil, err (kind "parse",
    -- naming the line). A UTF-8 byte order mark and blank lines are skipped.
    function M.csv_rows(text)
        if type(text) ~= "string" then
            util.raise("bad argument #1 to 'csv_rows' (string expected, got " .. type(text) .. ")")
        end
        local rows, row, field = {}, {}, {}
        local i, n, line = 1, #text, 1
        if text:sub(1, 3) == "\239\187\191" then i = 4 end
        local function bad(what)
            return nil, util.fail("parse", format("CSV line %d: %s", line, what))
        end
        local function end_field() row[#row + 1] = table.concat(field); field = {} end
        local function end_row()
            end_field()
            if not (#row == 1 and row[1] == "") then rows[#rows + 1] = row end
            row = {}
        end
        local at_field_start = true
        while i <= n do
            local c = text:sub(i, i)
            if c == '"' and at_field_start then
                -- a quoted field: up to the quote not followed by another
                local start_line = line
                i = i + 1
                while true do
                    local q = text:find('"', i, true)
                    if not q then
                        line = start_line
                        return bad("a quoted field is not closed")
                    end
                    local chunk = text:sub(i, q - 1)
                    local _, breaks = chunk:gsub("\n", "")
                    line = line + breaks
                    field[#field + 1] = chunk
                    if text:sub(q + 1, q + 1) == '"' then
                        field[#field + 1] = '"'
                        i = q + 2
                    else
                        i = q + 1
                        break
                    end
                end
                local nxt = text:sub(i, i)
                if nxt ~= "," and nxt ~= "\r" and nxt ~= "\n" and nxt ~= "" then
                    return bad("text after a quoted field's closing quote")
                end
                at_field_start = false
            elseif c == "," then
                end_field()
                i, at_field_start = i + 1, true
            elseif c == "\r" or c == "\n" then
                if c == "\r" and text:sub(i + 1, i + 1) == "\n" then i = i + 1 end
                end_row()
                i, line, at_field_start = i + 1, line + 1, true
            else
                local j = text:find('[,\r\n"]', i)
                local stop = j and j - 1 or n
                if j and text:sub(j, j) == '"' then
                    return bad("a quote inside an unquoted field (quote the whole field)")
                end
                field[#field + 1] = text:sub(i, stop)
                i, at_field_start = stop + 1, false
            end
        end
        if not at_field_start or #field > 0 or #row > 0 then end_row() end
        return rows
    end

    --- csv_records(text) -> array of {header = value} (the first row names
    -- the columns; a row with more or fewer fields is an error) | nil, err
    function M.csv_records(text)
        local rows, err = M.csv_rows(text)
        if not rows then return nil, err end
        local header, out = rows[1] or {}, {}
        local seen = {}
        for _, h in ipairs(header) do
            if seen[h] then
                return nil, util.fail("parse", format("CSV header names column '%s' twice", util.printable(h)))
            end
            seen[h] = true
        end
        for r = 2, #rows do
            if #rows[r] ~= #header then
                return nil, util.fail("parse", format("CSV record %d has %d fields, the header %d",
                    r - 1, #rows[r], #header))
            end
            local rec = {}
            for k, h in ipairs(header) do rec[h] = rows[r][k] end
            out[#out + 1] = rec
        end
        return out
    end
end
