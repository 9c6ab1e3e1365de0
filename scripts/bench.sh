#!/bin/sh
# Runs every benchmark: the binaries in $LC_BUILD/bench/ (from bench/*.c) and
# the scripts bench/*.sh. Figures are ratios measured side by side in one
# run, so a noisy machine shifts both sides alike. LC_SIM_BEFORE_BIN=<an
# older lockcloud-sim> makes bench/sim_page.c measure it beside this build.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
LC_BUILD=$(cd "${LC_BUILD:-build}" && pwd) || exit 2
export LC_TOP="$top" LC_BUILD LC_SIM_BIN="$LC_BUILD/lockcloud-sim"
status=0
for b in "$LC_BUILD"/bench/* bench/*.sh; do
    [ -f "$b" ] || continue
    echo "== $(basename "$b")"
    case $b in
        *.sh) sh "$b" || status=1 ;;
        *) [ -x "$b" ] && { "$b" || status=1; } ;;
    esac
done
exit $status
