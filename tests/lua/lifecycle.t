#!/bin/sh
# Lua: create guest, grant, unlock, event, extend, deactivate, revoke, delete.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/lua/lua.sh"
sim_start || exit 1
run_lua lifecycle.lua
