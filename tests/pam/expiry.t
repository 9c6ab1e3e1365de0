#!/bin/sh
# Decision cache expiry on the host's clock, through real libpam (pam_wrapper
# + pamtester) against the simulator: an allow is kept until the stay's end
# and not a second longer (then the cloud is asked and says the stay ended),
# a deny lives cache_negative_ttl, an allow cache_ttl when that is shorter
# than the stay, and under failmode cached the record of a stay that ended
# never stands in for the cloud. The pure rules are test_decision_cache.c;
# this checks the module applies them to what the cloud answers.
#
# The module reads the host clock and the simulator its own, so the
# simulator's is set to the host's. A guest's starts_at/ends_at carry no
# zone: the core reads them as their earliest instant (UTC+14), so the
# guests live at a location in Pacific/Kiritimati (UTC+14, no DST), where
# that instant is the stay's real end: valid_until is exact, not 14 h early.
# One guest in America/Denver shows that early end.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init

# Seconds, long enough for the logins each window must hold (a login takes
# ~0.1 s, ~1 s in a sanitized build on a loaded machine).
SLOW=1; [ "${LC_SANITIZED:-0}" = 1 ] && SLOW=4
STAY_S=$((10 * SLOW)) # the short stay ends this long after it is created
TTL_S=$((3 * SLOW))   # the short cache_ttl and cache_negative_ttl
KIRITIMATI=Pacific/Kiritimati
DENVER_LOC=10000000-0000-4000-8000-000000000001 # the default fixture's, America/Denver

utc() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
# Wall-clock time at instant $1 in zone $2 (format $3).
wall() { TZ=$2 date -d "@$1" "+${3:-%Y-%m-%dT%H:%M:%S}"; }
sleep_until() { while [ "$(date +%s)" -lt "$1" ]; do sleep 0.2; done; }

sim_ctl /_sim/clock "{\"now\":\"$(utc "$(date +%s)")\"}" >/dev/null
token=$(curl -sS --cacert "$SIM_CA" -d grant_type=client_credentials \
    -d client_id=lockcloud-demo-client -d client_secret=lockcloud-demo-secret \
    "$SIM_URL/oauth/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
# POSTs JSON to the API; prints the created record's id.
api_create() {
    curl -sS --fail-with-body --cacert "$SIM_CA" -H "Authorization: Bearer $token" \
        -H 'Content-Type: application/json' --data "$2" "$SIM_URL$1" |
        grep -o '"id":"[^"]*"' | head -n 1 | cut -d '"' -f 4
}
# A guest granted location $3 (zone $4), from yesterday until the instant
# $2; prints the id.
guest() {
    _id=$(api_create /access_persons "{\"type\":\"access_guest\",\"attributes\":{\"name\":\"$1\",
        \"generate_pin\":true,\"starts_at\":\"$(wall $(($(date +%s) - 86400)) "$4")\",
        \"ends_at\":\"$(wall "$2" "$4")\"}}")
    api_create "/access_persons/$_id/accesses" "{\"attributes\":{\"accessible_type\":\"location\",
        \"accessible_id\":\"$3\"}}" >/dev/null && echo "$_id"
}
loc=$(api_create /locations '{"attributes":{"name":"Line Islands","time_zone":"Pacific/Kiritimati"}}')
stay_end=$(($(date +%s) + STAY_S))
STAY_ID=$(guest "Stella Short" "$stay_end" "$loc" $KIRITIMATI)
LONG_ID=$(guest "Lena Long" $((stay_end + 30 * 86400)) "$loc" $KIRITIMATI)
denver_end=$(($(date +%s) + 30 * 3600))
DENVER_ID=$(guest "Dora Denver" "$denver_end" $DENVER_LOC America/Denver)
[ -n "$loc" ] && [ -n "$STAY_ID" ] && [ -n "$LONG_ID" ] && [ -n "$DENVER_ID" ]
ok $? "a location in Pacific/Kiritimati, guests there and in America/Denver created through the API"
printf 'stella %s\nlena %s\ndora %s\n' "$STAY_ID" "$LONG_ID" "$DENVER_ID" >>"$PD/map"

# API requests about one person since the simulator started.
person_gets() {
    curl -sS --cacert "$SIM_CA" "$SIM_URL/_sim/requests" | grep -o "\"/access_persons/$1\"" | wc -l
}
# A field of the record about person $2 in cache directory $1.
record() {
    grep -l "^person $2\$" "$1"/* 2>/dev/null | head -n 1 | xargs -r sed -n "s/^$3 //p"
}
# One service per configuration, each with its own cache directory.
service() {
    _name=$1; shift
    mkdir -m 0700 "$PD/cache-$_name"
    CONF="$PD/$_name.conf" pam_conf "token_file = $PD/token" "cache_dir = $PD/cache-$_name" \
        "rule = status=current" "$@"
    pam_service "$_name" "account required $PAM_MODULE config=$PD/$_name.conf"
}
service stay "cache_ttl = 300"
service day "cache_ttl = 86400"
service neg "cache_negative_ttl = $TTL_S"
service short "cache_ttl = $TTL_S"
service off "failmode = cached" "cache_ttl = 0"

# --- an allow lives until the stay's end ---------------------------------------
pam_expect stay stella ok "stella (stay ends in ${STAY_S} s) allowed online"
pam_logline | grep -q 'result=allow .*source=online'
ok $? "first login: source=online"
until=$(record "$PD/cache-stay" "$STAY_ID" valid_until)
[ "$until" = "$stay_end" ] && [ "$(record "$PD/cache-stay" "$STAY_ID" stay_end)" = "$stay_end" ]
ok $? "the record keeps the allow until the stay's end exactly (valid_until $until, end $stay_end)"
pam_expect stay stella ok "stella again before the end"
pam_logline | grep -q 'result=allow .*source=cached'
ok $? "second login: source=cached"
n=$(person_gets "$STAY_ID")
[ "$n" -eq 1 ]
ok $? "the second login sent no request about stella (requests: $n)"

# failmode cached: while the stay lasts, its allow stands in for the cloud.
pam_expect off stella ok "failmode cached: stella allowed online (a record with cache_ttl 0)"
sim_ctl /_sim/fault '{"kind":"status","status":503,"count":10,"path":"/access_persons/"}' >/dev/null
pam_expect off stella ok "cloud out before the end: the record stands in"
pam_logline | grep -q 'result=allow .*source=offline'
ok $? "logged source=offline"
curl -sS --cacert "$SIM_CA" -X DELETE "$SIM_URL/_sim/fault" >/dev/null

# --- another zone: the cache ends the stay early ----------------------------------
# The zoneless end is read as its earliest instant (as if at UTC+14): the
# allow is kept until then, 20 or 21 h before the stay ends in Denver.
pam_expect day dora ok "dora (Denver, stay ends in 30 h) allowed online"
early=$(($(date -u -d "$(wall "$denver_end" America/Denver)" +%s) - 14 * 3600))
until=$(record "$PD/cache-day" "$DENVER_ID" valid_until)
[ "$until" = "$early" ] && [ "$early" -lt $((denver_end - 19 * 3600)) ]
ok $? "her record ends at the earliest instant the end can mean (valid_until $until, end $denver_end)"

# --- a deny lives cache_negative_ttl ----------------------------------------------
pam_expect neg eli "$E_PERM" "eli (expired) denied online"
pam_expect neg eli "$E_PERM" "eli denied again"
pam_logline | grep -q 'result=deny .*source=cached'
ok $? "the second deny came from the cache"
decided=$(record "$PD/cache-neg" "$ELI_ID" decided_at)
[ "$(record "$PD/cache-neg" "$ELI_ID" valid_until)" = $((decided + TTL_S)) ]
ok $? "the deny's record ends cache_negative_ttl after the decision"

# --- an allow lives cache_ttl when the stay lasts longer -----------------------------
pam_expect short lena ok "lena (stay ends in 30 days) allowed online"
pam_expect short lena ok "lena again"
pam_logline | grep -q 'result=allow .*source=cached'
ok $? "the second allow came from the cache"
lena_decided=$(record "$PD/cache-short" "$LONG_ID" decided_at)
[ "$(record "$PD/cache-short" "$LONG_ID" valid_until)" = $((lena_decided + TTL_S)) ]
ok $? "the allow's record ends cache_ttl after the decision, before the stay's end"
[ "$(date +%s)" -lt "$stay_end" ]
ok $? "all the above ran before stella's stay ended (else raise STAY_S)"

sleep_until $((decided + TTL_S))
before=$(person_gets "$ELI_ID")
pam_expect neg eli "$E_PERM" "eli after cache_negative_ttl: denied"
pam_logline | grep -q 'result=deny .*source=online'
ok $? "the deny was asked again: source=online"
n=$(person_gets "$ELI_ID")
[ "$n" -eq $((before + 1)) ]
ok $? "one request about eli for that login (requests: $before then $n)"

sleep_until $((lena_decided + TTL_S))
before=$(person_gets "$LONG_ID")
pam_expect short lena ok "lena after cache_ttl: allowed"
pam_logline | grep -q 'result=allow .*source=online'
ok $? "the allow was asked again: source=online"
n=$(person_gets "$LONG_ID")
[ "$n" -eq $((before + 1)) ]
ok $? "one request about lena for that login (requests: $before then $n)"

# --- past the stay's end ---------------------------------------------------------
# The simulator's clock runs with the host's from where it was set; set
# again, so both read at least stay_end (the host's whole second may have
# been nearly over when it was set first).
sleep_until $((stay_end + 1))
sim_ctl /_sim/clock "{\"now\":\"$(utc "$(date +%s)")\"}" >/dev/null
before=$(person_gets "$STAY_ID")
pam_expect stay stella "$E_PERM" "stella after her stay's end: denied"
pam_logline | grep -q 'result=deny .*source=online'
ok $? "the record was not used: source=online"
n=$(person_gets "$STAY_ID")
[ "$n" -eq $((before + 1)) ]
ok $? "a request was sent about stella (requests: $before then $n)"
ended="your stay ended on $(wall "$stay_end" $KIRITIMATI '%Y-%m-%d %H:%M')"
printf '%s\n' "$PAM_OUT" | grep -q "lockcloud: access denied: $ended\$"
ok $? "the user is told: $ended"

# failmode cached, the cloud gone: the allow on record (stay end passed) does
# not stand in, though offline_grace (7 days by default) would allow it.
sim_stop
pam_expect off stella "$E_UNAVAIL" "simulator stopped, failmode cached: no allow past the stay's end"
pam_logline | grep -q 'result=unavailable .*failmode=cached'
ok $? "logged unavailable under failmode cached"
echo "1..$TAP_N"
