#!/bin/sh
# Lua: client construction, argument errors, close/gc/<close> lifetimes.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/lua/lua.sh"
sim_start || exit 1
run_lua client.lua
