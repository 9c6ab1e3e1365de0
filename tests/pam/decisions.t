#!/bin/sh
# pam_lockcloud decisions through real libpam (pam_wrapper + pamtester)
# against the simulator over HTTPS: the fixture guests, unmapped and deleted
# people, PAM_SILENT, the syslog line, a clock change, the unused groups and
# the module's exported symbols.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
pam_conf "token_file = $PD/token"
pam_service lc "account required $PAM_MODULE config=$PD/lockcloud.conf"

# --- the fixture guests -------------------------------------------------
pam_expect lc casey ok "current guest (casey) allowed"
line=$(pam_logline)
echo "$line" | grep -Eq '^<6>user=casey service=lc rule=guest_current result=allow reason="status is current" source=online latency_ms=[0-9]+$'
ok $? "one LOG_INFO decision line: user, service, rule, result, reason, online, latency"
[ "$(pam_syslog_lines | grep -c ' result=')" -eq 1 ]
ok $? "exactly one decision line per call"
printf '%s\n' "$PAM_OUT" | grep -Eqi 'lockcloud-demo-secret|Bearer|access_token|"data"'
[ $? -ne 0 ]
ok $? "no secret, token or response body in the output"

pam_expect lc avery ok "current access_user (avery) allowed"
for who in uma:upcoming eli:expired dana:deactivated; do
    user=${who%%:*} status=${who#*:}
    pam_expect lc "$user" "$E_PERM" "$status guest ($user) denied with PAM_PERM_DENIED"
    printf '%s\n' "$PAM_OUT" | grep -q "lockcloud: access denied: status is $status"
    ok $? "$user is told why: 'access denied: status is $status'"
    pam_logline | grep -q "^<5>user=$user service=lc rule=guest_current result=deny reason=\"status is $status\" source=online"
    ok $? "$user deny logged at LOG_NOTICE with reason"
done

pam_expect lc nobody "$E_USER" "unmapped user -> PAM_USER_UNKNOWN"
pam_logline | grep -q 'user=nobody .*result=user_unknown .*source=local'
ok $? "unmapped user logged as user_unknown, no cloud call"
pam_expect lc ghost "$E_PERM" "mapped id unknown to the cloud (404) -> PAM_PERM_DENIED"
printf '%s\n' "$PAM_OUT" | grep -q 'access denied: access person not found'
ok $? "404 tells the user the access person is gone"

# A hostile user name must not forge log fields.
pam_run lc 'x result=allow
user=root'
[ "$PAM_RC" -ne 0 ] && pam_logline | grep -q '^<5>user=x?result?allow?user?root service=lc '
ok $? "hostile user name is neutralised in the log line"

# --- PAM_SILENT ---------------------------------------------------------
pam_expect lc eli "$E_PERM" "PAM_SILENT deny still denied" "acct_mgmt(PAM_SILENT)"
printf '%s\n' "$PAM_OUT" | grep -q 'lockcloud: access denied'
[ $? -ne 0 ]
ok $? "PAM_SILENT suppresses the user message"

# --- token reuse through token_file -------------------------------------
sim_ctl /_sim/reset >/dev/null
rm -f "$PD/token"
pam_expect lc casey ok "first login after reset allowed"
pam_expect lc casey ok "second login allowed"
tokens=$(curl -sS --cacert "$SIM_CA" "$SIM_URL/_sim/requests" | grep -o '"/oauth/token"' | wc -l)
[ "$tokens" -eq 1 ]
ok $? "token_file lets the second login reuse the token (token requests: $tokens)"
perm=$(stat -c %a "$PD/token" 2>/dev/null)
[ "$perm" = 600 ]
ok $? "token file is 0600 (got $perm)"

# --- the clock moves: casey's stay ends ---------------------------------
# The stay ends 2026-03-14T11:00 Denver (17:00Z); move 4 days 6 hours on.
sim_ctl /_sim/clock '{"advance":367200}' >/dev/null
pam_expect lc casey "$E_PERM" "after the stay ends (clock moved) casey is denied"
pam_logline | grep -q 'reason="status is expired"'
ok $? "denial reason is the expired status"
sim_ctl /_sim/clock '{"now":"2026-03-10T12:00:00Z"}' >/dev/null
pam_expect lc casey ok "clock back: casey allowed again (no stale state)"

# --- a stack: lockcloud in front of pam_permit ---------------------------
pam_service stack "account required $PAM_MODULE config=$PD/lockcloud.conf" \
    "account required $PAM_SECDIR/pam_permit.so"
pam_expect stack casey ok "stack: allow + pam_permit -> success"
pam_expect stack eli "$E_PERM" "stack: a deny is not overridden by pam_permit"

# --- the other groups are IGNORE ---------------------------------------
# [ignore=ignore default=die]: anything but IGNORE ends the stack in failure.
for grp in auth:authenticate session:open_session session:close_session password:chauthtok; do
    g=${grp%%:*} op=${grp#*:}
    pam_service "ig$g" "$g [ignore=ignore default=die] $PAM_MODULE config=$PD/lockcloud.conf" \
        "$g required $PAM_SECDIR/pam_permit.so"
    pam_expect "ig$g" eli ok "$op returns PAM_IGNORE (even for a denied guest)" "$op"
done

# --- exported symbols -----------------------------------------------------
exports=$(nm -D --defined-only "$PAM_MODULE" | awk '$2 ~ /^[TDBRWV]$/ {print $3}' | sort -u)
bad=$(printf '%s\n' "$exports" | grep -v '^pam_sm_')
[ -z "$bad" ] && [ "$(printf '%s\n' "$exports" | grep -c '^pam_sm_')" -eq 6 ]
ok $? "the module exports exactly the six pam_sm_* symbols${bad:+ (also: $bad)}"

echo "1..$TAP_N"
