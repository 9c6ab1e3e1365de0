#!/bin/sh
# The caller may stop su in the middle of a check (^Z, or kill -STOP: su's
# real uid is the caller's) and continue it once the deadline has passed.
# The timeout that follows is of the caller's making: under failmode = safe
# it was PAM_IGNORE, so an expired guest got in behind pam_permit. A check
# that was stopped and continued cannot call its outage an outage: it is
# PAM_SERVICE_ERR (a decision that did arrive would stand).
#
# How the stop lands inside the call: the person request is held by a
# latency fault (1.5 s, inside the 3 s deadline); the simulator serves on
# one thread, so while it holds the answer a control request cannot be
# served: that is the moment pamtester is inside the module, and it is
# stopped then. It is continued once the deadline has passed.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
command -v curl >/dev/null 2>&1 || { echo "ok 1 - # SKIP curl not installed"; exit 0; }
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
M=$PAM_MODULE
CONF=$PD/safe.conf pam_conf "timeout = 3" "failmode = safe"
# Worst case: an outage (PAM_IGNORE) falls through to pam_permit.
pam_service safepermit "account required $M config=$PD/safe.conf" \
    "account required $PAM_SECDIR/pam_permit.so"
hold='{"kind":"latency","ms":1500,"count":1,"path":"/access_persons/"}'

# Control: the held answer arrives within the deadline; eli is denied.
sim_ctl /_sim/reset >/dev/null
sim_ctl /_sim/fault "$hold" >/dev/null
pam_expect safepermit eli "$E_PERM" "answer held 1.5 s of a 3 s deadline, not stopped: eli denied"

# The simulator cannot answer a control request within 0.5 s while it
# holds the person answer.
sim_busy() {
    ! curl -sS -m 0.5 --cacert "$SIM_CA" "$SIM_URL/_sim/clock" >/dev/null 2>&1
}

sim_ctl /_sim/reset >/dev/null
sim_ctl /_sim/fault "$hold" >/dev/null
out="$SIM_DIR/stopped.out"
PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$PD/services" PAM_WRAPPER_DEBUGLEVEL=2 \
    LD_PRELOAD="$PAM_PRELOAD" pamtester -v safepermit eli acct_mgmt >"$out" 2>&1 &
pid=$!
i=0
until sim_busy; do
    i=$((i + 1))
    if [ $i -ge 200 ] || ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.05
done
kill -STOP "$pid" 2>/dev/null
stopped=$?
# Wait for the held answer to be sent, then past the 3 s deadline (the
# wait moves the clock; nothing is asserted about time).
curl -sS --cacert "$SIM_CA" "$SIM_URL/_sim/clock" >/dev/null 2>&1
sleep 3
kill -CONT "$pid" 2>/dev/null
wait "$pid"
PAM_RC=$?
PAM_OUT=$(cat "$out")
[ $stopped -eq 0 ] && [ $i -lt 200 ]
ok $? "pamtester was stopped while the module waited for the person answer"
[ "$PAM_RC" -ne 0 ] && printf '%s\n' "$PAM_OUT" | grep -q "^pamtester: $E_SERVICE\$"
r=$?
ok $r "stopped past the deadline and continued, failmode = safe + pam_permit: PAM_SERVICE_ERR, eli not let in"
[ $r -eq 0 ] || printf '%s\n' "$PAM_OUT" | sed 's/^/#   /'
pam_syslog_lines | grep -q 'stopped and continued during the check: its timeout is not trusted as an outage'
ok $? "the log says the check was stopped and its timeout not trusted"
pam_logline | grep -q 'result=error error=timeout .*failmode=safe'
ok $? "the decision line says result=error (not ignore)"

# Stopped and continued, but the answer still came in time: the decision stands.
sim_ctl /_sim/reset >/dev/null
PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$PD/services" PAM_WRAPPER_DEBUGLEVEL=2 \
    LD_PRELOAD="$PAM_PRELOAD" pamtester -v safepermit casey acct_mgmt >"$out" 2>&1 &
pid=$!
kill -STOP "$pid" 2>/dev/null
kill -CONT "$pid" 2>/dev/null
wait "$pid"
ok $? "stopped and continued at once (wherever it landed): casey still allowed"
rm -f "$out"
sim_ctl /_sim/reset >/dev/null
echo "1..$TAP_N"
