#!/bin/sh
# examples/pam/{setup,check,demo_check}.sh as `make demo` uses them, and an
# unprivileged run (files owned by the effective user, not root).
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
EX="$LC_TOP/examples/pam"
export LC_BUILD

out=$(sh "$EX/demo_check.sh" "$SIM_DIR/demo" casey eli 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
[ $rc -eq 0 ]
ok $? "demo_check.sh exits 0 when every check produced a decision"
printf '%s\n' "$out" | grep -q '^lockcloud PAM: casey -> ALLOWED$'
ok $? "demo: casey ALLOWED"
printf '%s\n' "$out" | grep -q '^lockcloud PAM: eli -> DENIED (Permission denied)$'
ok $? "demo: eli DENIED (Permission denied)"
printf '%s\n' "$out" | grep -q 'message: lockcloud: access denied: status is expired'
ok $? "demo shows the user message"
printf '%s\n' "$out" | grep -q 'syslog:  user=eli service=lockcloud-check rule=guest_current result=deny'
ok $? "demo shows the decision log line"
[ "$(stat -c %a "$SIM_DIR/demo/credentials")" = 600 ]
ok $? "setup.sh writes the credentials 0600"

sh "$EX/check.sh" casey "$SIM_DIR/demo/lockcloud.conf" >/dev/null 2>&1
ok $? "check.sh USER FILE: exit 0 when allowed"
sh "$EX/check.sh" dana "$SIM_DIR/demo" >/dev/null 2>&1
[ $? -eq 1 ]
ok $? "check.sh: exit 1 when denied"
out=$(sh "$EX/check.sh" nobody "$SIM_DIR/demo" 2>&1)
[ $? -eq 1 ] && printf '%s\n' "$out" | grep -q 'nobody -> DENIED (User not known'
ok $? "check.sh: unmapped user reported as unknown"
sh "$EX/check.sh" casey "$SIM_DIR/absent" >/dev/null 2>&1
[ $? -eq 2 ]
ok $? "check.sh: exit 2 for a missing config"
sh "$EX/check.sh" casey >/dev/null 2>&1
[ $? -eq 2 ]
ok $? "check.sh: exit 2 for bad usage"

# demo_check.sh must notice trouble that is not a policy decision.
out=$(SIM_URL=https://127.0.0.1:1 sh "$EX/demo_check.sh" "$SIM_DIR/demo2" casey 2>&1)
[ $? -eq 1 ] && printf '%s\n' "$out" | grep -q 'casey -> DENIED (Authentication service cannot'
ok $? "demo_check.sh exits 1 when the cloud is unreachable"
sh "$EX/setup.sh" "$SIM_DIR/demo3" "$SIM_URL" "$SIM_CA" "failmode = bogus"
out=$(sh "$EX/check.sh" casey "$SIM_DIR/demo3" 2>&1)
[ $? -eq 1 ] && printf '%s\n' "$out" | grep -q 'casey -> DENIED (Error in service module)'
ok $? "check.sh reports a bad config as a service error"

# Unprivileged: everything owned by uid 65534, module run as that uid.
# nobody may be unable to enter the checkout (a 0700 home directory), so
# what it runs and loads is copied into a directory it can read.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    u="$SIM_DIR/unpriv"
    mkdir -p "$u" && cp "$SIM_CA" "$u/ca.pem" && chmod 0755 "$SIM_DIR" "$u"
    cp "$EX/check.sh" "$PAM_MODULE" "$u/" && cp -R "$LC_BUILD/pam_lockcloud" "$u/"
    sh "$EX/setup.sh" "$u/cfg" "$SIM_URL" "$u/ca.pem"
    chown -R 65534:65534 "$u"
    chmod 0755 "$u/cfg"
    run_as_nobody() {
        setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/ TMPDIR="$u" \
            LC_PAM_MODULE="$u/pam_lockcloud.so" sh "$u/check.sh" "$@" 2>&1
    }
    out=$(run_as_nobody casey "$u/cfg")
    rc=$?
    printf '%s\n' "$out" | sed 's/^/# /'
    [ $rc -eq 0 ]
    ok $? "unprivileged: files owned by the effective user are accepted (casey allowed)"
    chown 0:0 "$u/cfg/map"
    out=$(run_as_nobody eli "$u/cfg")
    [ $? -eq 1 ] && printf '%s\n' "$out" | grep -q 'Permission denied'
    ok $? "unprivileged: a root-owned map is accepted too (eli denied by policy)"
    chown 0:0 "$u/cfg/credentials"
    out=$(run_as_nobody casey "$u/cfg")
    [ $? -eq 1 ] && printf '%s\n' "$out" | grep -q 'Error in service module'
    ok $? "unprivileged: an unreadable (root 0600) credentials file is a service error"
else
    ok 0 "# SKIP unprivileged run needs root and setpriv to set up"
fi

echo "1..$TAP_N"
