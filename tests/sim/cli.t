#!/bin/sh
# lockcloud-sim's command line (item 16): --version prints the project's one
# version number; --url-file writes the base URL atomically (mode 0644 under
# any umask, whole line, no temporary left) before the stdout line, replaces
# a stale file and removes it on exit; bad uses are refused.
: "${LC_SIM_BIN:?run tests through tests/run.sh}" "${LC_TOP:?}"
n=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/lcsimcli.XXXXXX") || exit 1
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT

header=$(sed -n 's/^#define LOCKCLOUD_VERSION "\(.*\)"$/\1/p' "$LC_TOP/core/include/lockcloud/lockcloud.h")
make_v=$(sed -n 's/^LC_VERSION *:= *//p' "$LC_TOP/core/build.mk")
out=$("$LC_SIM_BIN" --version 2>"$dir/err")
rc=$?
[ "$rc" -eq 0 ] && [ "$out" = "lockcloud-sim $make_v" ] && [ ! -s "$dir/err" ]
ok $? "--version prints 'lockcloud-sim $make_v' and exits 0 (got '$out', status $rc)"
[ -n "$header" ] && [ "$header" = "$make_v" ]
ok $? "that version is the library's too (lockcloud.h '$header', core/build.mk '$make_v')"
"$LC_SIM_BIN" --help | grep -q -- '--url-file FILE' && "$LC_SIM_BIN" --help | grep -q -- '--version'
ok $? "--help lists --version and --url-file"

# A stale file from an earlier run must never be read as this run's URL.
printf 'https://127.0.0.1:1\n' >"$dir/url"
mkfifo "$dir/out"
(umask 077; exec "$LC_SIM_BIN" --listen 127.0.0.1:0 --ca-out "$dir/ca.pem" \
    --url-file "$dir/url" >"$dir/out" 2>"$dir/sim.log") &
pid=$!
exec 3<"$dir/out"
IFS= read -r url <&3
exec 3<&-
# The file is written before the stdout line, so it is complete now.
[ -n "$url" ] && [ "$(cat "$dir/url")" = "$url" ] && [ "$(wc -l <"$dir/url")" -eq 1 ]
ok $? "--url-file holds exactly the stdout URL, one line ($url)"
[ "$(stat -c %a "$dir/url")" = 644 ]
ok $? "--url-file is mode 0644 under umask 077 ($(stat -c %a "$dir/url"))"
[ "$(ls "$dir" | tr '\n' ' ')" = "ca.pem err out sim.log url " ]
ok $? "no temporary file left beside it ($(ls "$dir" | tr '\n' ' '))"
code=$(curl -sS --cacert "$dir/ca.pem" -o /dev/null -w '%{http_code}' "$(cat "$dir/url")/_sim/clock")
[ "$code" = 200 ]
ok $? "the URL from the file answers ($code)"
kill "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] && [ ! -e "$dir/url" ]
ok $? "on SIGTERM it exits 0 and removes the URL file (status $rc)"

# SIGHUP (the terminal went away) is a clean stop too, not a stale URL file.
rm -f "$dir/out"
mkfifo "$dir/out"
"$LC_SIM_BIN" --listen 127.0.0.1:0 --http --url-file "$dir/url" >"$dir/out" 2>>"$dir/sim.log" &
pid=$!
exec 3<"$dir/out"
IFS= read -r url <&3
exec 3<&-
kill -HUP "$pid"
wait "$pid"
rc=$?
pid=
[ -n "$url" ] && [ "$rc" -eq 0 ] && [ ! -e "$dir/url" ]
ok $? "on SIGHUP it exits 0 and removes the URL file too (status $rc)"

"$LC_SIM_BIN" --listen 127.0.0.1:0 --http --url-file "$dir/missing/url" >"$dir/o2" 2>"$dir/e2"
rc=$?
[ "$rc" -eq 1 ] && [ ! -s "$dir/o2" ] && grep -q "$dir/missing/url" "$dir/e2"
ok $? "an unwritable --url-file: status 1, no URL on stdout, the path named ($rc: $(cat "$dir/e2"))"
"$LC_SIM_BIN" --url-file 2>/dev/null
rc1=$?
"$LC_SIM_BIN" --url-file= 2>/dev/null
rc2=$?
[ "$rc1" -eq 2 ] && [ "$rc2" -eq 2 ]
ok $? "--url-file without a file name is a usage error ($rc1, $rc2)"
echo "1..$n"
