#!/bin/sh
# Lua: JSON <-> Lua conversion (no simulator needed).
. "$LC_TOP/tests/lua/lua.sh"
run_lua json.lua
