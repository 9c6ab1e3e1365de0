#!/bin/sh
# pam_lockcloud.so in a real OpenSSH server: sshd on 127.0.0.1 (a random
# high port, a test-only sshd_config, its own host key), a real ssh client
# with a key made for the run, test users made with useradd, the simulator
# as the cloud. A current guest gets a shell, an expired guest is refused
# with the module's message, an unmapped admin gets in with the stack
# pam_lockcloud(8) recommends; each has a control that shows it can fail.
#
# What this relies on (OpenSSH 9.2, Debian 12):
# - PAM service name: sshd passes its program name (__progname, the last
#   part of argv[0]) to pam_start; SSHD_PAM_SERVICE is not set by Debian
#   (the binary holds no "sshd" service string). sshd runs through a link
#   named lockcloud-test-sshd, so the service is that name, never "sshd";
#   each decision line's service= field shows it.
# - Where the stack comes from: sshd runs under pam_wrapper (LD_PRELOAD,
#   PAM_WRAPPER_SERVICE_DIR), as pamtester does in the other PAM tests, so
#   libpam reads lockcloud-test-sshd from our directory: nothing is written
#   to /etc/pam.d. pam_wrapper is loaded again by each per-connection sshd
#   (sshd re-executes itself), so a stack rewritten between logins is read
#   by the next one. Its pam_syslog capture writes the module's log lines
#   to sshd's stderr (-e), our log file: no syslog daemon needed.
# - The message path: public-key logins skip PAM auth; sshd runs
#   pam_acct_mgmt with flags 0 (not PAM_SILENT, so the module says why).
#   Outside a keyboard-interactive exchange sshd's conversation function
#   keeps the module's pam_error text, and right after the account check
#   (auth2.c, userauth_finish) sends what it kept to the client as an SSH
#   banner, refused or not; a refusal then ends in fatal("Access denied for
#   user ... by PAM account configuration"). ssh prints banners on stderr
#   (unless -q / LogLevel below INFO), so the client really reads
#   "lockcloud: access denied: status is expired".
# As root (CI), sshd runs as in production: privilege separation, three
# test users made with useradd and removed on exit, /run/sshd created when
# missing (sshd's privilege separation directory, which the packaged service
# makes at boot; left in place). Unprivileged, sshd can log in only the user
# running it: that user plays the three parts, the map changing between
# logins; skipped when its login shell runs no command.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
. "$LC_TOP/tests/pam/sshdlib.sh"
sshd_prereqs
MAN="$LC_TOP/pam/pam_lockcloud.8"
pamd_state() { { ls -ld --full-time /etc/pam.d /etc/pam.d/*; cksum /etc/pam.d/sshd; } 2>&1; }
PAMD_BEFORE=$(pamd_state)

sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
pam_conf "timeout = 5"
sshd_setup || { echo "not ok 1 - sshd test setup failed"; exit 1; }

# As root, three users (useradd caps names at 32 characters; the pid keeps
# parallel runs apart). Unprivileged, the user running the test plays each
# part in turn: the map, read on every login, says which.
if [ "$SSHD_ROOT" = 1 ]; then
    GUEST=lcsshd$$-casey EXPIRED=lcsshd$$-eli ADMIN=lcsshd$$-admin
else
    GUEST=$(id -un) EXPIRED=$(id -un) ADMIN=$(id -un)
fi
for u in "$GUEST" "$EXPIRED" "$ADMIN"; do
    sshd_user "$u" || { echo "not ok 1 - test user $u could not be set up"; exit 1; }
done
# The map for one case: USER ID pairs; someone else stands in for an empty map.
use_map() {
    [ $# -gt 0 ] || set -- lcsshd-someone-else "$CASEY_ID"
    printf '%s %s\n' "$@" >"$PD/map"
}

sshd_start
r=$?
ok $r "sshd ($SSHD_SERVICE) listens on 127.0.0.1:$SSHD_PORT"
[ $r -eq 0 ] || exit 1

# --- stacks ----------------------------------------------------------------
# The documented stacks, read from the man page (the first block after its
# `.\" stack: NAME` marker, as tests/pam/stacks.t reads them), made runnable:
# common-account is pam_permit (Debian's pam_unix account check passes a
# valid, unexpired account),
# pam_lockcloud.so the built module with the test configuration.
echo "account required $PAM_SECDIR/pam_permit.so" >"$SSHD_DIR/common-account"
man_stack() {
    awk -v want="$1" '
        $0 == ".\\\" stack: " want { found = 1; next }
        found && /^\.nf/ { inblock = 1; next }
        inblock && /^\.fi/ { exit }
        inblock && /^(account|@include)[ \t]/ { print }
    ' "$MAN" | sed -e "s|^@include common-account\$|@include $SSHD_DIR/common-account|" \
        -e "s| pam_lockcloud\.so | $PAM_MODULE |" \
        -e "s| config=/etc/security/lockcloud\.conf\$| config=$PD/lockcloud.conf|"
}
RECOMMENDED=$(man_stack recommended)
STRICT=$(man_stack required)
printf '%s\n' "$RECOMMENDED" | grep -q "^account .*$PAM_MODULE config=$PD/lockcloud.conf\$" &&
    printf '%s\n' "$STRICT" | grep -q "^account required $PAM_MODULE "
r=$?
ok $r "the man page's recommended and required stacks are found"
[ $r -eq 0 ] || printf '%s\n' "$RECOMMENDED" "$STRICT" | sed 's/^/#   /'

# auth and password: pam_deny (key logins never run them: the stack cannot
# let a password in); session: pam_permit.
use_stack() {
    {
        echo "auth required $PAM_SECDIR/pam_deny.so"
        printf '%s\n' "$1"
        echo "password required $PAM_SECDIR/pam_deny.so"
        echo "session required $PAM_SECDIR/pam_permit.so"
    } >"$SSHD_DIR/services/$SSHD_SERVICE"
}

# The module's decision line for USER in what sshd logged, as "<prio>user=...".
decision() {
    PAM_OUT=$SSH_LOG
    pam_syslog_lines | grep -E "^<[0-9]>user=$1 service=" | tail -n 1
}
# ok, and on failure what the client and sshd said.
check() { _r=$1; ok "$@"; [ "$_r" -eq 0 ] || show; }
show() { printf '%s\n' "# ssh rc=$SSH_RC" "# stdout: $SSH_OUT" "# stderr: $SSH_ERR"; printf '%s\n' "$SSH_LOG" | sed 's/^/#   sshd: /'; }
got_shell() { [ "$SSH_RC" -eq 0 ] && [ "$SSH_OUT" = ok ]; }

# --- (a) a current guest gets a shell ----------------------------------------
use_stack "$RECOMMENDED"
use_map "$GUEST" "$CASEY_ID"
ssh_login "$GUEST" 'echo ok'
got_shell
check $? "current guest ($GUEST -> casey) gets a shell over ssh"
decision "$GUEST" | grep -Eq "^<6>user=$GUEST service=$SSHD_SERVICE rule=guest_current result=allow reason=\"status is current\" source=online latency_ms=[0-9]+\$"
check $? "the module allowed it online, under PAM service $SSHD_SERVICE"

# --- (b) an expired guest is refused, and told why -----------------------------
use_map "$EXPIRED" "$ELI_ID"
ssh_login "$EXPIRED" 'echo ok'
! got_shell && [ "$SSH_RC" -eq 255 ]
check $? "expired guest ($EXPIRED -> eli) is refused (ssh exit 255, no shell)"
printf '%s\n' "$SSH_ERR" | grep -qx 'lockcloud: access denied: status is expired'
check $? "the client shows the module's message (sent by sshd as a banner)"
decision "$EXPIRED" | grep -Eq "^<5>user=$EXPIRED service=$SSHD_SERVICE rule=guest_current result=deny reason=\"status is expired\" source=online "
check $? "the module logged the deny at LOG_NOTICE"
sshd_log_wait "Access denied for user $EXPIRED by PAM account configuration"
check $? "sshd refused it in PAM's account stage"

# Control: the same user, key and server with the module taken out of the
# stack gets in, so the refusal above was the module's.
use_stack "$(printf '%s\n' "$RECOMMENDED" | grep -v "$PAM_MODULE")"
ssh_login "$EXPIRED" 'echo ok'
got_shell && [ -z "$(decision "$EXPIRED")" ]
check $? "control: without the module the expired guest's key gets in"

# --- (c) an unmapped admin gets in with the recommended stack ------------------
use_stack "$RECOMMENDED"
use_map
ssh_login "$ADMIN" 'echo ok'
got_shell
check $? "unmapped admin ($ADMIN) gets in with the recommended stack"
decision "$ADMIN" | grep -q "^<5>user=$ADMIN service=$SSHD_SERVICE rule=[a-z_]* result=user_unknown reason=\"not in map file\" source=local "
check $? "the module answered user_unknown without asking the cloud"

# Control: the strict stack (required) refuses the same admin, so it is the
# recommended line's user_unknown=ignore that lets the admin in.
use_stack "$STRICT"
ssh_login "$ADMIN" 'echo ok'
! got_shell && decision "$ADMIN" | grep -q " result=user_unknown "
check $? "control: the required stack refuses the unmapped admin"

# --- whole run -------------------------------------------------------------------
! grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$SSHD_DIR/sshd.log"
r=$?
ok $r "no sanitizer report from sshd's processes (the module ran in them)"
[ $r -eq 0 ] || grep -E -A20 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$SSHD_DIR/sshd.log" | sed 's/^/#   /'

# The system's PAM configuration was left alone.
PAMD_AFTER=$(pamd_state)
[ "$PAMD_AFTER" = "$PAMD_BEFORE" ] && [ ! -e "/etc/pam.d/$SSHD_SERVICE" ]
r=$?
ok $r "/etc/pam.d (sshd included) is unchanged"
[ $r -eq 0 ] || printf '%s\n' "$PAMD_BEFORE" "# ---" "$PAMD_AFTER" | sed 's/^/#   /'

echo "1..$TAP_N"
