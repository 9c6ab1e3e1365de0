#!/bin/sh
# The Lua binding under valgrind memcheck: the resource, lifecycle, JSON, catalogue and zone
# parts of the suite run in a real lua5.4 against the simulator, checked for
# memory errors and leaks in lockcloud.core and the library below it.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/lib/valgrind.sh"
. "$LC_TOP/tests/lua/lua.sh"
sim_start || exit 1
LC_TEST_TMP="$SIM_DIR/tmp"
export LC_TEST_TMP
mkdir -m 0700 "$LC_TEST_TMP" || exit 1
for f in resources lifecycle json endpoints tz; do
    sim_ctl /_sim/reset >/dev/null
    vg_check "tests/lua/$f.lua" "$SIM_DIR/$f.log" "$LUA" "$LC_TOP/tests/lua/$f.lua"
done
