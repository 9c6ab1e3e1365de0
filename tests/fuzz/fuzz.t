#!/bin/sh
# The fuzz step of `make check`: every libFuzzer target (built by
# `make fuzz-build` into build-fuzz/) runs over its seed corpus, which holds
# the regression seeds of past findings, plus a short bounded run with a
# fixed seed. One TAP line per target (a directory in tests/fuzz/corpus/).
# The targets carry their own sanitizers, so they run once: in the pass
# over the unsanitized build.
top=${LC_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
dir=${LC_FUZZ_DIR:-$top/build-fuzz} # a private build: make fuzz-build FUZZ_DIR=...
n=0
for c in "$top"/tests/fuzz/corpus/*/; do
    name=$(basename "$c")
    bin=$dir/fuzz_$name
    n=$((n + 1))
    if [ -n "${LC_SANITIZED:-}" ]; then
        echo "ok $n - fuzz_$name # SKIP fuzz targets run once, in the unsanitized pass"
        continue
    fi
    if [ ! -x "$bin" ]; then
        echo "ok $n - fuzz_$name # SKIP $bin not built (make fuzz-build)"
        continue
    fi
    w=$(mktemp -d "${TMPDIR:-/tmp}/lcfuzz.XXXXXX") || { echo "not ok $n - fuzz_$name: mktemp"; continue; }
    mkdir "$w/corpus" "$w/art"
    cp "$c"* "$w/corpus/"
    seeds=$(ls "$w/corpus" | wc -l)
    dict=
    [ -f "$top/tests/fuzz/dict/$name.dict" ] && dict=-dict=$top/tests/fuzz/dict/$name.dict
    # shellcheck disable=SC2086
    "$bin" -runs=100000 -max_total_time=5 -seed=1 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$w/art/" $dict "$w/corpus" >"$w/log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p; s/^Done \([0-9]*\) runs.*/\1/p' "$w/log" | tail -n 1)
    if [ "$rc" -eq 0 ] && [ -z "$(ls "$w/art")" ]; then
        echo "ok $n - fuzz_$name: $seeds seeds and ${execs:-?} runs, no finding"
    else
        echo "not ok $n - fuzz_$name: finding (exit $rc)"
        # the verdict and the frames in our sources
        grep -E "^(SUMMARY|invariant violated|fuzz_lua_json:|==[0-9]+==ERROR)|^ +#[0-9]+ .* in [^ ]+ $top/[^ ]+\.[ch]:" "$w/log" |
            head -n 12 | sed 's/^/# /'
        # name the seed when a regression seed (not the bounded run) failed
        for a in "$w/art"/*; do
            for s in "$c"*; do
                cmp -s "$a" "$s" && echo "# failing seed: tests/fuzz/corpus/$name/$(basename "$s")"
            done
        done
    fi
    rm -rf "$w"
done
[ "$n" -gt 0 ] || echo "not ok 1 - no fuzz corpus in tests/fuzz/corpus"
