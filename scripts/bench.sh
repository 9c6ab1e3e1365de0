#!/bin/sh
# Runs every benchmark: the binaries in $LC_BUILD/bench/ (from bench/*.c) and
# the scripts bench/*.sh, then prints every "bench NAME: ..." line again as
# one summary table. Figures are ratios measured side by side in one run,
# so a noisy machine shifts both sides alike. LC_SIM_BEFORE_BIN=<an older
# lockcloud-sim> makes bench/sim_page.c measure it beside this build.
# Knobs: LC_BENCH_ROUNDS, LC_BENCH_REQUESTS, LC_BENCH_CURL_REQUESTS (keepalive), LC_BENCH_RATE
# ("N L W", rate_job), LC_BENCH_PERSONS (iter_memory), LC_BENCH_PYTHON,
# LC_BENCH_BURST_LOGINS and LC_BENCH_BURST_WORKERS (pam_burst).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
LC_BUILD=$(cd "${LC_BUILD:-build}" && pwd) || exit 2
export LC_TOP="$top" LC_BUILD LC_SIM_BIN="$LC_BUILD/lockcloud-sim"

# The benches' own dependencies, beyond `make deps` (make check never needs
# them): python3 with requests, for bench/keepalive.c's comparison, and jq,
# for bench/pam_exec.c's curl + jq login check. The Debian packages are
# installed when missing.
has_requests() { command -v "$1" >/dev/null 2>&1 && "$1" -c 'import requests' 2>/dev/null; }
find_python() {
    for py in ${LC_BENCH_PYTHON:-} python3 /usr/bin/python3; do
        has_requests "$py" && { LC_BENCH_PYTHON=$py; export LC_BENCH_PYTHON; return 0; }
    done
    return 1
}
apt_install() {
    if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO="sudo -n"; fi
    echo "installing: $* (benchmarks only)"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" \
        >/dev/null 2>&1 ||
    { $SUDO apt-get update -qq >/dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" \
        >/dev/null 2>&1; }
}
bench_deps() {
    missing=
    find_python || missing=python3-requests
    command -v jq >/dev/null 2>&1 || missing="$missing jq"
    # shellcheck disable=SC2086 # a list of package names
    [ -z "$missing" ] || apt_install $missing || echo "could not install:$missing"
    find_python || echo "python3-requests unavailable: keepalive skips requests"
}
bench_deps

out=$(mktemp -d "${TMPDIR:-/tmp}/lc-bench.XXXXXX") || exit 2
trap 'rm -rf "$out"' EXIT
run_all() {
    rc=0
    for b in "$LC_BUILD"/bench/* bench/*.sh; do
        [ -f "$b" ] || continue
        echo "== $(basename "$b")"
        case $b in
            *.sh) sh "$b" || rc=1 ;;
            *) [ -x "$b" ] && { "$b" || rc=1; } ;;
        esac
    done
    return $rc
}
# Shown as it runs; the status goes round the pipe in a file.
{ run_all; echo $? >"$out/status"; } | tee "$out/log"
status=$(cat "$out/status" 2>/dev/null || echo 1)
echo
echo "== summary"
awk '/^bench [a-z_0-9]+: / { name = $2; sub(":", "", name); sub(/^bench [a-z_0-9]+: /, "");
                            printf "%-12s| %s\n", name, $0 }' "$out/log"
exit $status
