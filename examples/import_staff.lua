#!/usr/bin/env lua5.4
-- Bulk import of a staff list from CSV: one access user per record (name,
-- email, pin, department) granted the doors of its "doors" column (door
-- names separated by ';'). Users already there (same name) are skipped, so
-- the import can run again after a partial failure; a user whose doors
-- cannot all be granted is removed again and reported.
--
--   SIM_URL=https://127.0.0.1:PORT SIM_CA=/path/ca.pem \
--       lua5.4 examples/import_staff.lua [examples/staff.csv] [--remove]
--
-- --remove deletes the users the file names instead. Exits 1 when any
-- record failed, 2 on a usage error.

-- Run from a source tree without LUA_PATH/LUA_CPATH: find lua/ and the C
-- module built for this interpreter (build/lua/5.4, build/lua/jit, ...).
if not pcall(require, "lockcloud") then
    local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
    local version = rawget(_G, "jit") and "jit" or _VERSION:match("%d+%.%d+")
    package.path = here .. "/../lua/?.lua;" .. package.path
    package.cpath = (os.getenv("LC_BUILD") or here .. "/../build") .. "/lua/" .. version ..
        "/?.so;" .. package.cpath
end
local lockcloud = require "lockcloud"

local url, ca = os.getenv("SIM_URL"), os.getenv("SIM_CA")
local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
local path, remove = here .. "/staff.csv", false
for _, a in ipairs(arg or {}) do
    if a == "--remove" then remove = true else path = a end
end
if not url then
    io.stderr:write("usage: SIM_URL=https://host:port SIM_CA=ca.pem lua5.4 import_staff.lua [file.csv] [--remove]\n")
    os.exit(2)
end

local function fail(what, err)
    io.stderr:write("error: ", what, ": ", tostring(err), "\n")
    os.exit(1)
end

local f, ferr = io.open(path, "rb")
if not f then fail("reading " .. path, ferr) end
local staff, cerr = lockcloud.csv_records(f:read("*a"))
f:close()
if not staff then fail(path, cerr) end

local client = assert(lockcloud.remotelock{
    api_url = url, auth_url = url, cafile = ca, timeout = 15,
    client_id = os.getenv("LOCKCLOUD_CLIENT_ID") or "lockcloud-demo-client",
    client_secret = os.getenv("LOCKCLOUD_CLIENT_SECRET") or "lockcloud-demo-secret",
})

-- The users there now, by name (every status: a deactivated one is there too).
local existing = {}
local users, lerr = client:access_persons_list{ type = "access_user",
    status = { "current", "upcoming", "expired", "deactivated" } }
if not users then fail("listing users", lerr) end
for _, u in ipairs(users) do existing[u.attributes.name] = u end

local created, skipped, failed = 0, 0, 0
for n, rec in ipairs(staff) do
    local name = rec.name or ""
    local function record_failed(what, err)
        failed = failed + 1
        print(string.format("record %d (%s): %s: %s", n, name, what, tostring(err)))
    end
    if remove then
        if existing[name] then
            local ok, err = client:delete_access_person(existing[name].id)
            if ok then created = created + 1; print("removed " .. name) else record_failed("removing", err) end
        end
    elseif name == "" then
        record_failed("no name", "the name column is empty")
    elseif existing[name] then
        skipped = skipped + 1
        print("already there: " .. name)
    else
        -- the doors first: a name that matches no door or several stops this record only
        local doors, err = {}, nil
        for door in (rec.doors or ""):gmatch("[^;]+") do
            local d, derr = client:find_device((door:gsub("^%s+", ""):gsub("%s+$", "")))
            if not d then err = derr; break end
            doors[#doors + 1] = d
        end
        local user
        if not err then
            user, err = client:create_user{ name = name, email = rec.email ~= "" and rec.email or nil,
                pin = rec.pin ~= "" and rec.pin or nil,
                department = rec.department ~= "" and rec.department or nil }
        end
        for _, d in ipairs(doors) do
            if err then break end
            local _, gerr = client:grant_access(user.id, { accessible_type = d.type, accessible_id = d.id })
            if gerr then
                err = gerr
                client:delete_access_person(user.id) -- all doors or no user
            end
        end
        if err then
            record_failed("importing", err)
        else
            created = created + 1
            local door_names = {}
            for i, d in ipairs(doors) do door_names[i] = d.attributes.name end
            print(string.format("created %s (%s), PIN %s: %s", name, tostring(rec.department),
                tostring(user.attributes.pin), table.concat(door_names, ", ")))
        end
    end
end
print(string.format("%s %d, skipped %d, failed %d (of %d records)", remove and "removed" or "created",
    created, skipped, failed, #staff))
client:close()
os.exit(failed == 0 and 0 or 1)
