#!/bin/sh
# lockcloud-sim under ThreadSanitizer: the request thread (MHD's) and the
# webhook worker share state only as documented (base_url is set before the
# request thread starts; the worker's queue and log sit behind its mutex).
# Builds a TSan copy of the simulator into $LC_BUILD/tsan once (make keeps it
# up to date), drives OAuth, API, a webhook delivery and the control
# endpoints, then expects an empty TSan log. Skipped in sanitized builds
# (TSan cannot join ASan) and where the compiler or kernel lacks TSan.
: "${LC_BUILD:?run tests through tests/run.sh}"
skip_all() { echo "ok 1 - ThreadSanitizer # SKIP $1"; echo "1..1"; exit 0; }
[ -z "${LC_SANITIZED:-}" ] || skip_all "sanitized build"
TSAN_BUILD=$LC_BUILD/tsan
nice make -s -C "$LC_TOP" BUILD="$TSAN_BUILD" OPT="-O1 -g" SAN_FLAGS=-fsanitize=thread sim \
    >"$LC_BUILD/tsan.log" 2>&1 || skip_all "no TSan build (see $LC_BUILD/tsan.log)"
"$TSAN_BUILD/lockcloud-sim" --version >/dev/null 2>&1 || skip_all "the TSan binary does not run here"

TSAN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/lcsimtsan.XXXXXX") || exit 1
export TSAN_OPTIONS="log_path=$TSAN_DIR/tsan exitcode=66"
LC_SIM_BIN=$TSAN_BUILD/lockcloud-sim
. "$LC_TOP/tests/lib/sim.sh"
trap '_sim_cleanup; rm -rf "$TSAN_DIR"' EXIT

sim_start --fixture "$LC_TOP/sim/fixtures/default.json" ||
    { echo "not ok 1 - simulator did not start under TSan"; exit 1; }
ok 0 "simulator starts under TSan ($SIM_URL)"

CC="client_id=lockcloud-demo-client&client_secret=lockcloud-demo-secret"
tok=$(curl -sS --cacert "$SIM_CA" --data "grant_type=client_credentials&$CC" "$SIM_URL/oauth/token" |
      sed -n 's/.*"access_token":"\([0-9a-f]*\)".*/\1/p')
[ -n "$tok" ]; ok $? "client_credentials token"
c() { curl -sS --cacert "$SIM_CA" -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$@"; }
# Answers with links carry base_url, read on the request thread.
[ "$(c "$SIM_URL/devices")" = 200 ]; ok $? "GET /devices"
# The fixture's webhook subscriber gets the unlock: the worker takes it.
[ "$(c -X PUT "$SIM_URL/devices/20000000-0000-4000-8000-000000000001/unlock")" = 200 ]
ok $? "unlock the Front Door (a webhook message for the worker)"
n=0
until curl -sS --cacert "$SIM_CA" "$SIM_URL/_sim/webhooks" | grep -q '"refused"' || [ $n -ge 50 ]; do
    sleep 0.1; n=$((n + 1))
done
[ $n -lt 50 ]; ok $? "the worker logged the delivery (refused: not on loopback)"
sim_ctl /_sim/clock '{"advance":3600}' >/dev/null; ok $? "clock advance (the worker follows)"
sim_ctl /_sim/reset >/dev/null; ok $? "reset (the worker's queue and log too)"

kill "$SIM_PID"
wait "$SIM_PID"
rc=$?
SIM_PID=
[ "$rc" -eq 0 ]; ok $? "exits 0 on SIGTERM under TSan (status $rc)"
set -- "$TSAN_DIR"/tsan*
[ ! -e "$1" ]; ok $? "ThreadSanitizer reports nothing"
[ -e "$1" ] && cat "$TSAN_DIR"/tsan* | sed 's/^/#   /' | head -n 60
echo "1..$TAP_N"
