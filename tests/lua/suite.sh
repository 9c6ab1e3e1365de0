# The whole Lua suite under one interpreter: tests/lua/<interpreter>.t sets
# LC_LUA and sources this file. One simulator serves every part (reset in
# between); each part's TAP lines are renumbered into one stream and named
# "<interpreter> <part>: ...". LC_LUA_PARTS (default: all) picks parts.
#
# Every part gets a fresh private (0700) temp directory, LC_TEST_TMP, for
# its token files and the like: the core refuses token files in directories
# others can write (/tmp included), and the part must leave it empty.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/lua/lua.sh"

parts=${LC_LUA_PARTS:-json strings filters misuse docexamples client errors resume resources lifecycle endpoints generated reference schedules tz sched csv rental watch examples}
interp=$LC_LUA

why=$(lua_missing "$interp")
if [ -n "$why" ]; then
    echo "ok 1 - $interp # SKIP $why"
    exit 0
fi
if ! lua_use "$interp"; then
    echo "not ok 1 - $interp: no module built for it in $LC_BUILD/lua/$(lua_version_dir "$interp")"
    exit 1
fi
# LuaJIT reserves its memory low in the address space, where ASan keeps its
# shadow: under a sanitized build it cannot start (checked, not assumed).
if [ -n "$LUA_PRELOAD" ] && ! lua_run -e 'require "lockcloud"' >/dev/null 2>"$SIM_DIR/probe.err"; then
    echo "ok 1 - $interp # SKIP does not run with the sanitizer runtime preloaded: $(head -n 1 "$SIM_DIR/probe.err")"
    exit 0
fi
sim_start || exit 1

# Appends the TAP lines of file $2 renumbered after TAP_N, descriptions
# prefixed with $1; other lines (diagnostics) pass through.
tap_merge() {
    awk -v n="$TAP_N" -v p="$1" '
        /^(not )?ok [0-9]+/ {
            st = ($1 == "not") ? "not ok" : "ok"
            sub(/^(not )?ok [0-9]+( - )?/, "")
            print st " " ++n " - " p $0
            next
        }
        /^1\.\.[0-9]+$/ { next }
        { print }' "$2"
    TAP_N=$((TAP_N + $(grep -Ec '^(not )?ok [0-9]+' "$2")))
}

run_part() {
    if [ "$1" = examples ]; then
        (TAP_N=0; . "$LC_TOP/tests/lua/examples.sh") >"$out" 2>"$err"
    else
        lua_run "$LC_TOP/tests/lua/$1.lua" >"$out" 2>"$err"
    fi
}

rc=0
for part in $parts; do
    out="$SIM_DIR/$part.out" err="$SIM_DIR/$part.err"
    LC_TEST_TMP="$SIM_DIR/tmp.$part"
    export LC_TEST_TMP
    mkdir -m 0700 "$LC_TEST_TMP" || exit 1
    sim_ctl /_sim/reset >/dev/null || exit 1
    run_part "$part"
    status=$?
    # LeakSanitizer's own tracer sometimes crashes at exit under load (a
    # known sanitizer flake: "Tracer caught signal 11", no leak report).
    # That says nothing about our code, so the part runs once more; a real
    # leak report or any other failure is never retried.
    if [ "$status" -ne 0 ] && grep -q '^Tracer caught signal' "$err" &&
       ! grep -q 'ERROR: LeakSanitizer: detected memory leaks' "$err"; then
        echo "# $interp $part: LeakSanitizer's tracer crashed at exit; running the part again"
        rm -rf "$LC_TEST_TMP" && mkdir -m 0700 "$LC_TEST_TMP" || exit 1
        sim_ctl /_sim/reset >/dev/null || exit 1
        run_part "$part"
        status=$?
    fi
    tap_merge "$interp $part: " "$out"
    if [ "$status" -ne 0 ]; then
        rc=1
        grep -q '^not ok' "$out" || ok 1 "$interp $part: exited with status $status"
        sed 's/^/# stderr: /' "$err" | tail -n 20
    fi
    left=$(ls -A "$LC_TEST_TMP")
    [ -z "$left" ]; ok $? "$interp $part: left no temp files${left:+ (left: $(echo $left))}"
    rm -rf "$LC_TEST_TMP"
done
exit $rc
