#!/bin/sh
# Lua: every resource method against fixture data.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/lua/lua.sh"
sim_start || exit 1
run_lua resources.lua
