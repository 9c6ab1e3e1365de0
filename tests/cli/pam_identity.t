#!/bin/sh
# The identity index through real libpam, as lockcloud(1) tells an admin to
# set it up: identity = email:%u@example.com, no user in the map file,
# `lockcloud sync`, the recommended stack of pam_lockcloud(8). A current
# guest gets in; an expired or a deactivated guest stays mapped (the index
# holds every status) and is denied, never user_unknown, which that stack
# would let through; a user no person fits stays user_unknown.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
. "$LC_TOP/tests/cli/clilib.sh"
pam_prereqs
cli_prereqs
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
echo "# no user listed: the identity index maps them" >"$PD/map"
mkdir -m 0700 "$PD/state"
pam_conf "identity = email:%u@example.com" "index_file = $PD/state/identity.index"
# A guest chooses their own email: root@example.com must not put root's
# logins in the cloud's hands.
token=$(curl -sS --cacert "$SIM_CA" -d grant_type=client_credentials -d client_id=lockcloud-demo-client \
    -d client_secret=lockcloud-demo-secret "$SIM_URL/oauth/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
curl -sS --fail --cacert "$SIM_CA" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"type":"access_user","attributes":{"name":"Mallory","email":"root@example.com","pin":"0999"}}' \
    "$SIM_URL/access_persons" >/dev/null
ok $? "a person with the email root@example.com exists in the cloud"
cli_run sync --config "$PD/lockcloud.conf"
ok "$CLI_RC" "lockcloud sync builds the index"
# The recommended stack: the module decides for the users it maps.
pam_service lc "account [success=ok user_unknown=ignore ignore=ignore default=bad] $PAM_MODULE config=$PD/lockcloud.conf" \
    "account required $PAM_SECDIR/pam_permit.so"
pam_expect lc casey.current ok "a current guest found through the index gets in"
pam_expect lc eli.expired "$E_PERM" "an expired guest is still mapped and denied, not user_unknown"
printf '%s\n' "$PAM_OUT" | grep -q "access denied: status is expired"
ok $? "the expired guest is told why"
pam_expect lc dana.deactivated "$E_PERM" "a deactivated guest is denied"
pam_expect lc root ok "root is never indexed: user_unknown, the rest of the stack decides"
pam_logline | grep -q 'user=root .*result=user_unknown'
ok $? "root: user_unknown, although a person's email fits root"
pam_expect lc nobody-fits ok "a user no person fits stays user_unknown: the rest of the stack decides"
pam_logline | grep -q 'result=user_unknown reason="not in map file or identity index"'
ok $? "logged as not in the map file or the identity index"
echo "1..$TAP_N"
