#!/bin/sh
# The core library's test programs under valgrind memcheck: the same real
# HTTPS traffic against the simulator, now checked for memory errors and
# leaks in liblockcloud (the simulator itself is checked in tests/sim).
# The fork-heavy concurrency test is left to the sanitized build.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/lib/valgrind.sh"
for t in errors url token_file endpoints oauth transport json_strict hostile_answers cafile access \
         tz schedule policy; do
    vg_check "core_test_$t" "$SIM_DIR/$t.log" "$LC_BUILD/tests/core_test_$t"
done
