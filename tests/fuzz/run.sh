#!/bin/sh
# `make fuzz`: runs each libFuzzer target in $FUZZ_DIR (default build-fuzz)
# for $FUZZ_TIME seconds (default 60), one at a time and niced (the machine
# is shared). Arguments pick targets (pam_conf or fuzz_pam_conf); none = all.
#
# Each target works on $FUZZ_DIR/work/<name>/corpus, seeded from
# tests/fuzz/corpus/<name>/ (the repository is never written; what a run
# learns is kept for the next run). Findings (crash-*, leak-*, timeout-*,
# oom-*) are copied to $FUZZ_DIR/findings/<name>/. Prints per target: execs,
# seconds, exec/s, findings; exits 1 when any target found something.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
dir=${FUZZ_DIR:-build-fuzz}
secs=${FUZZ_TIME:-60}
targets=$*
[ -n "$targets" ] || targets=$(cd tests/fuzz/corpus && ls)

found_any=0
printf '%-14s %12s %6s %8s %s\n' target execs secs exec/s findings
for t in $targets; do
    name=${t#fuzz_}
    bin=$dir/fuzz_$name
    if [ ! -x "$bin" ]; then
        echo "$name: $bin not built (make fuzz-build)"
        found_any=1
        continue
    fi
    w=$dir/work/$name
    rm -rf "$w/art"
    mkdir -p "$w/corpus" "$w/art"
    cp tests/fuzz/corpus/"$name"/* "$w/corpus/" 2>/dev/null
    dict=
    [ -f "tests/fuzz/dict/$name.dict" ] && dict=-dict=tests/fuzz/dict/$name.dict
    start=$(date +%s)
    # shellcheck disable=SC2086
    nice "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$w/art/" $dict "$w/corpus" >"$w/log" 2>&1
    took=$(( $(date +%s) - start ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$w/log" | tail -n 1)
    # After a finding libFuzzer prints no final stats: use its last status line.
    [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$w/log" | tail -n 1)
    [ -n "$execs" ] || execs=0
    rate=$(( execs / (took > 0 ? took : 1) ))
    n=$(find "$w/art" -type f | wc -l)
    printf '%-14s %12s %6s %8s %s\n' "$name" "$execs" "$took" "$rate" "$n"
    if [ "$n" -gt 0 ]; then
        found_any=1
        mkdir -p "$dir/findings/$name"
        cp "$w/art"/* "$dir/findings/$name/"
        grep -E '^(SUMMARY|invariant violated|fuzz_lua_json:|==[0-9]+==ERROR)' "$w/log" | head -n 3 | sed 's/^/    /'
        echo "    reproducers: $dir/findings/$name/ (run: $bin <file>)"
    fi
done
exit "$found_any"
