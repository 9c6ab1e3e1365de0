#!/bin/sh
# The decision cache through real libpam (pam_wrapper + pamtester) against
# the simulator: a repeated login costs no request (allow and deny), the
# log says source=cached; failmode cached answers an outage from the last
# online decision (source=offline, a warning line), and a person without
# one is refused; the configuration errors the cache adds are
# PAM_SERVICE_ERR whatever the failmode. The pure rules (TTLs, never an
# allow past a stay end, offline_grace) are tests/pam/test_decision_cache.c.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
mkdir -m 0700 "$PD/cache"
pam_conf "token_file = $PD/token" "cache_dir = $PD/cache"
pam_service lc "account required $PAM_MODULE config=$PD/lockcloud.conf"

# API requests about one person since the last reset.
person_gets() {
    curl -sS --cacert "$SIM_CA" "$SIM_URL/_sim/requests" | grep -o "\"/access_persons/$1\"" | wc -l
}

# --- hits: no request ------------------------------------------------------
pam_expect lc avery ok "avery allowed online"
pam_logline | grep -q 'result=allow .*source=online'
ok $? "first login: source=online"
pam_expect lc avery ok "avery allowed again"
pam_logline | grep -q 'result=allow reason="[^"]*" source=cached'
ok $? "second login: source=cached"
n=$(person_gets "$AVERY_ID")
[ "$n" -eq 1 ]
ok $? "the second login sent no request about avery (requests: $n)"
for f in "$PD"/cache/*; do
    case $f in *.lock) continue ;; esac
    [ "$(stat -c %a "$f")" = 600 ] && [ "$(stat -c %u "$f")" = "$(id -u)" ]
    ok $? "record $(basename "$f" | cut -c1-12)... is 0600 and ours"
done

pam_expect lc eli "$E_PERM" "eli (expired) denied online"
pam_expect lc eli "$E_PERM" "eli denied again"
printf '%s\n' "$PAM_OUT" | grep -q "lockcloud: access denied: status is expired"
ok $? "the cached deny tells the same reason"
pam_logline | grep -q 'result=deny reason="status is expired" source=cached'
ok $? "the deny came from the cache"
n=$(person_gets "$ELI_ID")
[ "$n" -eq 1 ]
ok $? "one request about eli for two logins (requests: $n)"

# --- failmode cached: an outage ----------------------------------------------
pam_conf "token_file = $PD/token" "cache_dir = $PD/cache" "failmode = cached" "cache_ttl = 0" \
    "cache_negative_ttl = 0"
sim_ctl /_sim/fault '{"kind":"status","status":503,"count":50,"path":"/access_persons/"}' >/dev/null
pam_expect lc avery ok "cloud out, failmode cached: avery's last decision (allow) stands"
pam_logline | grep -q 'result=allow .*source=offline'
ok $? "logged source=offline"
pam_syslog_lines | grep -q 'the cloud gave no decision (http: .*failmode cached'
ok $? "a warning says the cloud gave no decision and the cache stood in"
pam_expect lc eli "$E_PERM" "cloud out: eli's last decision (deny) stands"
pam_logline | grep -q 'result=deny .*source=offline'
ok $? "eli's offline deny logged source=offline"
pam_expect lc casey "$E_UNAVAIL" "cloud out, no decision on record for casey: refused"
pam_logline | grep -q 'result=unavailable .*failmode=cached'
ok $? "logged unavailable under failmode cached"

# failmode secure never uses a record offline.
pam_conf "token_file = $PD/token" "cache_dir = $PD/cache" "cache_ttl = 0"
pam_expect lc avery "$E_UNAVAIL" "cloud out, failmode secure: refused even with a record"

# offline_grace over: the record is too old to stand in.
pam_conf "token_file = $PD/token" "cache_dir = $PD/cache" "failmode = cached" "cache_ttl = 0" \
    "offline_grace = 0"
pam_expect lc avery "$E_UNAVAIL" "offline_grace 0: the record does not stand in"
curl -sS --cacert "$SIM_CA" -X DELETE "$SIM_URL/_sim/fault" >/dev/null 2>&1

# --- a decision that cannot be stored removes the older record -------------
# avery's allow is on record; the cloud then says the person is gone (404)
# while every temp slot of the key is busy, so that deny cannot be stored:
# the allow must not stand in for it during the next outage.
curl -sS --cacert "$SIM_CA" -X DELETE "$SIM_URL/_sim/fault" >/dev/null
pam_conf "token_file = $PD/token" "cache_dir = $PD/cache" "failmode = cached" "cache_ttl = 0"
pam_expect lc avery ok "avery allowed online (record written)"
key=$(basename "$(grep -l "^person $AVERY_ID\$" "$PD"/cache/* | head -n 1)")
for slot in 0 1 2 3 4 5 6 7; do : >"$PD/cache/$key.t$slot"; chmod 0600 "$PD/cache/$key.t$slot"; done
sim_ctl /_sim/fault '{"kind":"status","status":404,"count":1,"path":"/access_persons/"}' >/dev/null
pam_expect lc avery "$E_PERM" "the cloud says avery is gone: denied"
pam_syslog_lines | grep -q 'decision cache: store: '
ok $? "the store that failed is logged"
[ ! -e "$PD/cache/$key" ]
ok $? "the older allow record is removed"
sim_ctl /_sim/fault '{"kind":"status","status":503,"count":5,"path":"/access_persons/"}' >/dev/null
pam_expect lc avery "$E_UNAVAIL" "then an outage: no old allow stands in"
curl -sS --cacert "$SIM_CA" -X DELETE "$SIM_URL/_sim/fault" >/dev/null
rm -f "$PD/cache/$key".t*

# --- configuration errors ------------------------------------------------------
pam_conf "token_file = $PD/token" "failmode = cached"
pam_expect lc avery "$E_SERVICE" "failmode cached without cache_dir: PAM_SERVICE_ERR"
printf '%s\n' "$PAM_OUT" | grep -q "failmode cached needs cache_dir"
ok $? "the log says why"
chmod 0770 "$PD/cache"
pam_conf "token_file = $PD/token" "cache_dir = $PD/cache" "failmode = safe"
pam_expect lc avery "$E_SERVICE" "group-writable cache_dir: PAM_SERVICE_ERR even with failmode safe"
chmod 0700 "$PD/cache"
pam_conf "token_file = $PD/token" "cache_dir = $PD/nope"
pam_expect lc avery "$E_SERVICE" "missing cache_dir: PAM_SERVICE_ERR (the module never creates it)"
echo "1..$TAP_N"
