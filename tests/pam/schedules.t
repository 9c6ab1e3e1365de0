#!/bin/sh
# Scheduled accesses through real libpam (pam_wrapper + pamtester) against
# the simulator: `lockcloud sync` writes the places file (schedules,
# exceptions, zones), and a login under `access=lock:ID` evaluates the
# guest's access schedule from it in the lock's location's zone
# (America/Denver) with at most 2 API requests: inside the window allowed,
# the decision cached exactly until the window ends; outside denied;
# a schedule the file does not know, or a places file missing, refused or
# malformed: PAM_SERVICE_ERR (no decision, nothing cached) and an error line
# asking for "lockcloud sync"; no places_file at all: denied.
# The module decides at the host's clock: the windows are drawn around it.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
. "$LC_TOP/tests/cli/clilib.sh"
pam_prereqs
cli_prereqs
[ -f /usr/share/zoneinfo/America/Denver ] ||
    { echo "ok 1 - # SKIP no zoneinfo for America/Denver"; exit 0; }

NOW=$(date +%s)
hm() { TZ=America/Denver date -d "@$1" +%H:%M; }
wall() { TZ=America/Denver date -d "@$1" +%Y-%m-%dT%H:%M:%S; }
IN_START=$(hm $((NOW - 3600)))
IN_END_AT=$(( (NOW + 7200) / 60 * 60 ))   # Denver's offset is whole hours
IN_END=$(hm $IN_END_AT)
OUT_START=$(hm $((NOW + 7200)))
OUT_END=$(hm $((NOW + 10800)))
SOON_AT=$(( (NOW + 1800) / 60 * 60 + 60 ))  # a window opening within the negative TTL
SOON_START=$(hm $SOON_AT)
SOON_END=$(hm $((SOON_AT + 3600)))
days() { # the same window every day
    for d in mon tue wed thu fri sat sun; do printf '"%s": [{"start_time": "%s", "end_time": "%s"}], ' "$d" "$1" "$2"; done
}
LOCK=20000000-0000-4000-8000-0000000000d1
guest() { # id name
    printf '{"id": "%s", "type": "access_guest", "name": "%s", "starts_at": "%s", "ends_at": "%s"}' \
        "$1" "$2" "$(wall $((NOW - 172800)))" "$(wall $((NOW + 259200)))"
}
grant() { # id person schedule
    printf '{"id": "%s", "access_person_id": "%s", "accessible_type": "lock", "accessible_id": "%s", "access_schedule_id": "%s"}' \
        "$1" "$2" "$LOCK" "$3"
}
IN_G=30000000-0000-4000-8000-0000000000a1
OUT_G=30000000-0000-4000-8000-0000000000a2
NEW_G=30000000-0000-4000-8000-0000000000a3
SOON_G=30000000-0000-4000-8000-0000000000a4
cat >"$SIM_DIR/fixture.json" <<EOF
{
  "oauth": {"clients": [{"client_id": "lockcloud-demo-client", "client_secret": "lockcloud-demo-secret"}]},
  "locations": [{"id": "10000000-0000-4000-8000-0000000000d1", "name": "Denver", "time_zone": "America/Denver"}],
  "schedules": [
    {"id": "c0000000-0000-4000-8000-0000000000a1", "type": "access_schedule", "name": "now", $(days "$IN_START" "$IN_END") "created_at": "2026-01-01T00:00:00Z"},
    {"id": "c0000000-0000-4000-8000-0000000000a2", "type": "access_schedule", "name": "later", $(days "$OUT_START" "$OUT_END") "created_at": "2026-01-01T00:00:00Z"},
    {"id": "c0000000-0000-4000-8000-0000000000a4", "type": "access_schedule", "name": "soon", $(days "$SOON_START" "$SOON_END") "created_at": "2026-01-01T00:00:00Z"}
  ],
  "devices": [{"id": "$LOCK", "type": "lock", "name": "Desk Door", "location_id": "10000000-0000-4000-8000-0000000000d1", "serial_number": "AC000W0000000D1"}],
  "access_persons": [$(guest $IN_G "In Window"), $(guest $OUT_G "Out Window"), $(guest $NEW_G "New Schedule"), $(guest $SOON_G "Soon")],
  "accesses": [$(grant 40000000-0000-4000-8000-0000000000a1 $IN_G c0000000-0000-4000-8000-0000000000a1),
               $(grant 40000000-0000-4000-8000-0000000000a2 $OUT_G c0000000-0000-4000-8000-0000000000a2),
               $(grant 40000000-0000-4000-8000-0000000000a3 $NEW_G c0000000-0000-4000-8000-0000000000a9),
               $(grant 40000000-0000-4000-8000-0000000000a4 $SOON_G c0000000-0000-4000-8000-0000000000a4)]
}
EOF
sim_start --fixture "$SIM_DIR/fixture.json" || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
printf 'inwin %s\noutwin %s\nnewsched %s\nsoon %s\n' "$IN_G" "$OUT_G" "$NEW_G" "$SOON_G" >"$PD/map"
mkdir -m 0700 "$PD/state" "$PD/cache"
PLACES="$PD/state/places.json"
RULE="rule = status=current access=lock:$LOCK"
pam_conf "$RULE" "token_file = $PD/token" "places_file = $PLACES" "cache_dir = $PD/cache" \
    "cache_ttl = 86400"
pam_service lc "account required $PAM_MODULE config=$PD/lockcloud.conf"

# API requests (not the token endpoint's) the simulator saw so far.
api_requests() {
    curl -sS --cacert "$SIM_CA" "$SIM_URL/_sim/requests" | grep -o '"path":"[^"]*"' |
        grep -vc '"path":"/oauth/'
}

# --- no sync yet: the file is missing ----------------------------------------
pam_expect lc inwin "$E_SERVICE" "before any sync: no decision on a scheduled access (PAM_SERVICE_ERR)"
pam_logline | grep -q 'result=error reason="configuration" source=local'
ok $? "the reason asks for lockcloud sync"
pam_syslog_lines | grep -q "^<3>places file $PLACES is missing: run lockcloud sync"
ok $? "a warning names the missing places file"
rm -f "$PD/cache/"*

cli_run sync --config "$PD/lockcloud.conf"
[ "$CLI_RC" = 0 ] && [ -f "$PLACES" ] &&
    printf '%s\n' "$CLI_OUT" | grep -q "^places: schedules 3, exceptions 0, places 2, unplaced 0; wrote $PLACES\$"
okc $? "lockcloud sync writes the places file (3 schedules, the lock and its location)"

# --- inside the window ----------------------------------------------------------
before=$(api_requests)
pam_expect lc inwin ok "inside the window ($IN_START-$IN_END Denver): allowed"
after=$(api_requests)
[ $((after - before)) -le 2 ]
ok $? "the cold decision sent at most 2 API requests (sent $((after - before)))"
pam_logline | grep -q 'result=allow reason="[^"]*" source=online'
ok $? "decided online"
rec=$(grep -l "^decision allow" "$PD/cache/"* 2>/dev/null | head -n 1)
[ -n "$rec" ] && [ "$(sed -n 's/^stay_end //p' "$rec")" = "$IN_END_AT" ]
ok $? "the allow is cached exactly until the window ends ($IN_END_AT; record: $(sed -n 's/^stay_end //p' "$rec" 2>/dev/null))"
before=$(api_requests)
pam_expect lc inwin ok "again: allowed from the cache"
[ "$(api_requests)" = "$before" ]
ok $? "the cached decision sent no request"

# --- outside the window, unknown schedule -------------------------------------------
pam_expect lc outwin "$E_PERM" "outside the window ($OUT_START-$OUT_END Denver): denied"
pam_logline | grep -q 'result=deny reason="no access to this door now" source=online'
ok $? "the reason: no access to this door now"
printf '%s\n' "$PAM_OUT" | grep -q 'lockcloud: access denied: no access to this door now'
ok $? "the user is told"
# A deny is kept no longer than the moment the window opens, even when the
# negative TTL is longer.
pam_conf "$RULE" "token_file = $PD/token" "places_file = $PLACES" "cache_dir = $PD/cache" \
    "cache_ttl = 86400" "cache_negative_ttl = 3600"
pam_expect lc soon "$E_PERM" "before a window that opens in ~30 min: denied"
rec=$(grep -l "^person $SOON_G\$" "$PD/cache/"* 2>/dev/null | head -n 1)
[ -n "$rec" ] && [ "$(sed -n 's/^valid_until //p' "$rec")" = "$SOON_AT" ]
ok $? "the deny is cached until the window opens ($SOON_AT), not for the hour's negative TTL (record: $(sed -n 's/^valid_until //p' "$rec" 2>/dev/null))"
pam_conf "$RULE" "token_file = $PD/token" "places_file = $PLACES" "cache_dir = $PD/cache" \
    "cache_ttl = 86400"
pam_expect lc newsched "$E_SERVICE" "a schedule created after the sync: no decision (PAM_SERVICE_ERR)"
pam_logline | grep -q 'result=error reason="configuration" source=local'
ok $? "the reason asks for lockcloud sync"
pam_syslog_lines | grep -q "^<3>places file $PLACES: access schedule unknown: run lockcloud sync"
ok $? "and the error line says so"
ls "$PD/cache/" | grep -q . && ! grep -l "^person $NEW_G\$" "$PD/cache/"* >/dev/null 2>&1
ok $? "nothing is cached for it (not the cloud's word)"

# --- the places file's checks ---------------------------------------------------------
rm -f "$PD/cache/"*
chmod 0644 "$PLACES"
pam_expect lc inwin "$E_SERVICE" "a places file readable by others: refused, PAM_SERVICE_ERR"
pam_syslog_lines | grep -q "^<3>.*places file $PLACES"
ok $? "an error line names the refused file"
chmod 0600 "$PLACES"
printf '{"version":1}' >"$PD/state/bad.json"; chmod 0600 "$PD/state/bad.json"
pam_conf "$RULE" "token_file = $PD/token" "places_file = $PD/state/bad.json"
pam_expect lc inwin "$E_SERVICE" "a malformed places file: PAM_SERVICE_ERR"
pam_syslog_lines | grep -q "^<3>.*places file $PD/state/bad.json: a member is missing"
ok $? "the error says what is wrong"
pam_conf "$RULE" "token_file = $PD/token"
pam_expect lc inwin "$E_PERM" "no places_file: a scheduled access never allows"
pam_logline | grep -q 'reason="access to this door follows a schedule not checked here"'
ok $? "the reason says the schedule is not checked"
pam_conf "$RULE" "token_file = $PD/token" "places_file = $PLACES"
pam_expect lc inwin ok "the places file back: allowed again"
pam_conf "$RULE" "places_file = $PLACES" "places_file = $PLACES"
pam_expect lc inwin "$E_SERVICE" "places_file twice: a configuration error"
echo "1..$TAP_N"
