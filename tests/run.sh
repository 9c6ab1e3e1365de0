#!/bin/sh
# Runs every test program and totals their TAP output.
#
# LC_BUILDS lists the build trees to test (default: $LC_BUILD or "build");
# a tree holding sanitize.env was built with ASan/UBSan, and its tests are
# told so through LC_SANITIZED, LC_SAN_OPT and LC_SAN_FLAGS.
#
# A test is either a C binary in $LC_BUILD/tests/ or an executable script
# tests/<area>/*.t. Each prints TAP lines: "ok N - text", "not ok N - text",
# "ok N - text # SKIP reason". A test that exits non-zero, dies, or times out
# without reporting a failure counts as one extra failure, so a crash can
# never pass silently. Ends with the line "N passed, N failed, N skipped".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
export LC_TOP="$top"
export LUA_PATH="$top/lua/?.lua;;"
: "${LC_TEST_TIMEOUT:=300}"
filter=${1:-}

passed=0 failed=0 skipped=0
log=$(mktemp -d "${TMPDIR:-/tmp}/lctest.XXXXXX") || exit 2
trap 'rm -rf "$log"' EXIT INT TERM

run_one() {
    name=$1; shift
    case "$name" in *"$filter"*) ;; *) return ;; esac
    out="$log/out"
    t0=$(date +%s)
    timeout -k 5 "$LC_TEST_TIMEOUT" "$@" >"$out" 2>"$log/err" </dev/null
    rc=$?
    secs=$(( $(date +%s) - t0 ))
    p=$(grep -Ec '^ok [0-9]+' "$out" | tr -d ' ')
    s=$(grep -Eic '^ok [0-9]+.*# *skip' "$out" | tr -d ' ')
    f=$(grep -Ec '^not ok [0-9]+' "$out" | tr -d ' ')
    p=$((p - s))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "not ok - $name exited with status $rc" >>"$out"
    fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then
        f=1
        echo "not ok - $name reported no test" >>"$out"
    fi
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    if [ "$f" -gt 0 ]; then
        echo "FAIL $name ($p passed, $f failed; ${secs} s)"
        grep -E '^not ok|^#' "$out" | sed 's/^/    /'
        sed 's/^/    stderr: /' "$log/err" | tail -n 20
    else
        if [ "$s" -gt 0 ]; then echo "ok   $name ($p passed, $s skipped; ${secs} s)"; else echo "ok   $name ($p passed; ${secs} s)"; fi
    fi
}

for b in ${LC_BUILDS:-${LC_BUILD:-build}}; do
    LC_BUILD=$(cd "$b" 2>/dev/null && pwd) || { echo "no build directory $b"; exit 2; }
    export LC_BUILD LC_SIM_BIN="$LC_BUILD/lockcloud-sim" LUA_CPATH="$LC_BUILD/lua/5.4/?.so;;"
    unset LC_SANITIZED LC_SAN_OPT LC_SAN_FLAGS
    tag=
    if [ -f "$LC_BUILD/sanitize.env" ]; then
        . "$LC_BUILD/sanitize.env"
        LC_SANITIZED=1
        export LC_SANITIZED LC_SAN_OPT LC_SAN_FLAGS
        tag="[$(basename "$LC_BUILD")] "
    fi
    for t in "$LC_BUILD"/tests/*; do
        [ -f "$t" ] && [ -x "$t" ] && run_one "$tag$(basename "$t")" "$t"
    done
    for t in tests/*/*.t; do
        [ -f "$t" ] && run_one "$tag$t" "$top/$t"
    done
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
