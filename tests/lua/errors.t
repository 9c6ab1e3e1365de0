#!/bin/sh
# Lua: error objects for 404, 422, 429, tls, timeout, drop, malformed, 5xx; iterators raise.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/lua/lua.sh"
sim_start || exit 1
run_lua errors.lua
