#!/bin/sh
# lockcloud check USER against the simulator: the decision a login would
# get (the module's own code, pam/decide.c), as text and as --json, with
# the documented exit codes (0 allow, 3 deny, 4 unmapped, 1 no decision,
# 2 usage or configuration); per-service rules; from the cache after an
# online answer, exactly as the module answers through real libpam; no
# secret and no terminal escape in any output.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
. "$LC_TOP/tests/cli/clilib.sh"
cli_prereqs
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
mkdir -m 0700 "$PD/cache"
pam_conf "token_file = $PD/token" "cache_dir = $PD/cache"
C="--config $PD/lockcloud.conf"

# The members of the --json document in $CLI_OUT as KEY=VALUE lines (one
# parse per document), and one member's value.
json_read() {
    CLI_JSON=$(printf '%s' "$CLI_OUT" | python3 -c '
import json, sys
for k, v in json.load(sys.stdin).items():
    print("%s=%s" % (k, "null" if v is None else v))')
}
json_get() {
    printf '%s\n' "$CLI_JSON" | sed -n "s/^$1=//p"
}

cli_run check casey $C
[ "$CLI_RC" = 0 ] && printf '%s\n' "$CLI_OUT" | grep -q '^decision: *allow (online)$'
ok $? "casey (current guest): exit 0, allow, online" || cli_show
printf '%s\n' "$CLI_OUT" | grep -q "^person: *$CASEY_ID$" &&
    printf '%s\n' "$CLI_OUT" | grep -q '^reason: *status is current$' &&
    printf '%s\n' "$CLI_OUT" | grep -q '^pam: *PAM_SUCCESS$' &&
    printf '%s\n' "$CLI_OUT" | grep -q '^service: *login$'
ok $? "casey: the person, the reason, the PAM code and the default service login"

cli_run check eli $C
[ "$CLI_RC" = 3 ] && printf '%s\n' "$CLI_OUT" | grep -q '^reason: *status is expired$' &&
    printf '%s\n' "$CLI_OUT" | grep -q '^message: *lockcloud: access denied: status is expired$'
ok $? "eli (expired): exit 3, the reason and the message a user would see" || cli_show

cli_run check eli $C --json
json_read
[ "$CLI_RC" = 3 ] && [ "$(json_get decision)" = deny ] && [ "$(json_get source)" = cached ] &&
    [ "$(json_get person)" = "$ELI_ID" ] && [ "$(json_get pam)" = PAM_PERM_DENIED ] &&
    [ "$(json_get rule)" = guest_current ]
ok $? "eli --json: deny from the record the first check stored" || cli_show

# The module reads the same record: the login costs no request either.
pam_service lc "account required $PAM_MODULE config=$PD/lockcloud.conf"
pam_expect lc eli "$E_PERM" "the module refuses eli too"
pam_logline | grep -q 'source=cached'
ok $? "the module answered from the record lockcloud check stored"

cli_run check nobody-here $C --json
json_read
[ "$CLI_RC" = 4 ] && [ "$(json_get decision)" = unmapped ] && [ "$(json_get person)" = null ] &&
    [ "$(json_get pam)" = PAM_USER_UNKNOWN ]
ok $? "an unmapped user: exit 4, unmapped, person null" || cli_show

# --- per-service rules -----------------------------------------------------------
cat >"$PD/rules" <<EOF
sshd ; * ; deny
* ; * ; status=current
EOF
chmod 0644 "$PD/rules"
pam_conf "token_file = $PD/token" "rules_file = $PD/rules"
cli_run check casey $C --service sshd --json
json_read
[ "$CLI_RC" = 3 ] && [ "$(json_get rule)" = "$PD/rules:1" ] && [ "$(json_get service)" = sshd ]
ok $? "--service sshd: the sshd line denies casey (rule FILE:1)" || cli_show
cli_run check casey $C --service login --json
json_read
[ "$CLI_RC" = 0 ] && [ "$(json_get rule)" = "$PD/rules:2" ]
ok $? "--service login: the second line allows casey" || cli_show

# --- no decision: the failmode's answer, exit 1 ------------------------------------
pam_conf "token_file = $PD/token"
sim_ctl /_sim/fault '{"kind":"status","status":503,"count":5,"path":"/access_persons/"}' >/dev/null
cli_run check casey $C --json
json_read
[ "$CLI_RC" = 1 ] && [ "$(json_get decision)" = outage ] && [ "$(json_get pam)" = PAM_AUTHINFO_UNAVAIL ]
ok $? "the cloud answers 503: exit 1, outage, PAM_AUTHINFO_UNAVAIL (failmode secure)" || cli_show
curl -sS --cacert "$SIM_CA" -X DELETE "$SIM_URL/_sim/fault" >/dev/null

# --- configuration and usage errors: exit 2 ------------------------------------------
cli_run check casey --config "$PD/missing.conf"
[ "$CLI_RC" = 2 ] && printf '%s\n' "$CLI_ERR" | grep -q 'missing.conf'
ok $? "a missing config: exit 2, the error names it" || cli_show
chmod 0666 "$PD/lockcloud.conf"
cli_run check casey $C
[ "$CLI_RC" = 2 ]
ok $? "a world-writable config: exit 2" || cli_show
chmod 0644 "$PD/lockcloud.conf"
cli_run check $C
[ "$CLI_RC" = 2 ]
ok $? "no USER: exit 2"
cli_run check casey eli $C
[ "$CLI_RC" = 2 ]
ok $? "two users: exit 2"
cli_run check casey --bogus $C
[ "$CLI_RC" = 2 ]
ok $? "an unknown option: exit 2"

# A local runtime fault is no configuration error: exit 1, not 2.
pam_conf "token_file = $PD/missing-dir/token"
cli_run check casey $C --json
json_read
[ "$CLI_RC" = 1 ] && [ "$(json_get decision)" = error ] && [ "$(json_get pam)" = PAM_SERVICE_ERR ]
ok $? "a token file in a missing directory: exit 1, error, PAM_SERVICE_ERR" || cli_show
pam_conf "token_file = $PD/token"

# --- hostile input -----------------------------------------------------------------
cli_run check "$(printf 'x\033]0;pwn\007y')" $C
[ "$CLI_RC" = 4 ]
ok $? "a user name with escapes: unmapped (exit 4)" || cli_show
cli_clean "a user name with escapes"
cli_run check casey $C --service "$(printf 's\033[2Jx')"
cli_clean "a service name with escapes"
cli_no_secret "check"

echo "1..$TAP_N"
