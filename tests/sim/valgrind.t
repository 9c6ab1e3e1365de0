#!/bin/sh
# lockcloud-sim under valgrind (memcheck; definite leaks are errors): OAuth,
# API, every fault kind, hostile input, fixture/reset, then SIGTERM. The
# server must exit 0 with an empty valgrind log. Complements `make sanitize`.
: "${LC_SIM_BIN:?run tests through tests/run.sh}"
REAL_SIM=$LC_SIM_BIN
. "$LC_TOP/tests/lib/valgrind.sh"
WRAP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/lcsimvg.XXXXXX") || exit 1
VG_LOG=$WRAP_DIR/vg.log
cat >"$WRAP_DIR/sim" <<EOF
#!/bin/sh
exec valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
    --log-file="$VG_LOG" "$REAL_SIM" "\$@"
EOF
chmod +x "$WRAP_DIR/sim"
LC_SIM_BIN=$WRAP_DIR/sim
. "$LC_TOP/tests/lib/sim.sh"
trap '_sim_cleanup; rm -rf "$WRAP_DIR"' EXIT

sim_start || { echo "not ok 1 - simulator did not start under valgrind"; exit 1; }
ok 0 "simulator starts under valgrind ($SIM_URL)"

c() { curl -sS --cacert "$SIM_CA" -o /dev/null -w '%{http_code}' "$@"; }
form() { c -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data "$1" "$SIM_URL/oauth/token"; }
CC="client_id=lockcloud-demo-client&client_secret=lockcloud-demo-secret"

tok=$(curl -sS --cacert "$SIM_CA" --data "grant_type=client_credentials&$CC" "$SIM_URL/oauth/token" |
      sed -n 's/.*"access_token":"\([0-9a-f]*\)".*/\1/p')
[ -n "$tok" ]; ok $? "client_credentials token"
code=$(curl -sS --cacert "$SIM_CA" --data "grant_type=authorization_code&code=lockcloud-demo-code&redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob&$CC" "$SIM_URL/oauth/token")
refresh=$(printf '%s' "$code" | sed -n 's/.*"refresh_token":"\([0-9a-f]*\)".*/\1/p')
[ -n "$refresh" ]; ok $? "authorization_code token"
[ "$(form "grant_type=refresh_token&refresh_token=$refresh&$CC")" = 200 ]; ok $? "refresh"
[ "$(form "grant_type=refresh_token&refresh_token=$refresh&$CC")" = 400 ]; ok $? "reused refresh: 400"
[ "$(form "grant_type=nope&$CC")" = 400 ]; ok $? "unsupported grant: 400"
[ "$(form "grant_type=client_credentials&client_id=x&client_secret=y")" = 401 ]; ok $? "bad client: 401"

A="Authorization: Bearer $tok"
[ "$(c -H "$A" "$SIM_URL/locations?page=1&per_page=2")" = 200 ]; ok $? "GET /locations"
[ "$(c -H "$A" "$SIM_URL/devices")" = 200 ]; ok $? "GET /devices"
[ "$(c "$SIM_URL/devices")" = 401 ]; ok $? "no token: 401"
[ "$(c -H "Authorization: Bearer junk" "$SIM_URL/devices")" = 403 ]; ok $? "bad token: 403"
[ "$(c -H "$A" -H 'Content-Type: application/json' --data '{"x":' "$SIM_URL/access_persons")" = 400 ]
ok $? "malformed JSON: 400"
[ "$(c -H "$A" --path-as-is "$SIM_URL/devices/%00/../x")" = 400 ]; ok $? "hostile path: 400"
head -c 1100000 /dev/zero | tr '\0' ' ' >"$WRAP_DIR/big"
[ "$(c -H "$A" -H 'Content-Type: application/json' --data-binary @"$WRAP_DIR/big" "$SIM_URL/access_persons")" = 413 ]
ok $? "oversized body: 413"

for f in '{"kind":"status","status":503}' '{"kind":"malformed"}' '{"kind":"latency","ms":10}' \
         '{"kind":"drop"}' \
         '{"kind":"raw","status":418,"head":"W3s=","middle":"AA==","times":100000,"tail":"fV0="}'; do
    sim_ctl /_sim/fault "$f" >/dev/null
    curl -sS --cacert "$SIM_CA" -H "$A" -o /dev/null "$SIM_URL/devices" 2>/dev/null
done
sim_ctl /_sim/fault '{"kind":"drop","count":3}' >/dev/null &&
sim_ctl /_sim/fault '{"kind":"raw","path":"/nowhere","head":"QUJD","count":2}' >/dev/null
ok $? "faults armed and fired (status, malformed, latency, drop, raw); 3 drops and a raw left armed"
curl -sS --cacert "$SIM_CA" -o /dev/null -X POST --data '[1,2' "$SIM_URL/_sim/fixture" 2>/dev/null
sim_ctl /_sim/keypad '{"device_id":"20000000-0000-4000-8000-000000000001","pin":"1002"}' >/dev/null &&
sim_ctl /_sim/device '{"device_id":"20000000-0000-4000-8000-000000000001","power_level":5,"connected":false}' >/dev/null &&
[ "$(curl -sS --cacert "$SIM_CA" -o /dev/null -w '%{http_code}' "$SIM_URL/_sim/webhooks")" = 200 ]
ok $? "keypad, device report and the webhook log (events, notifications, a refused delivery)"
sim_ctl /_sim/clock '{"advance":86400}' >/dev/null; ok $? "clock advance"
sim_ctl /_sim/config '{"rate_limit":1}' >/dev/null; ok $? "config"
c -H "$A" "$SIM_URL/devices" >/dev/null 2>&1
[ "$(curl -sS --cacert "$SIM_CA" -o /dev/null -w '%{http_code}' "$SIM_URL/_sim/requests")" = 200 ]
ok $? "request log"
sim_ctl /_sim/reset >/dev/null; ok $? "reset"

kill "$SIM_PID"
wait "$SIM_PID"
rc=$?
SIM_PID=
[ "$rc" -eq 0 ]; ok $? "exits 0 on SIGTERM under valgrind (status $rc)"
[ -f "$VG_LOG" ] && [ ! -s "$VG_LOG" ]; ok $? "valgrind ran and reports no error and no definite leak"
[ -s "$VG_LOG" ] && sed 's/^/#   /' "$VG_LOG" | head -n 60
echo "1..$TAP_N"
