#!/bin/sh
# Map ids in upper case match the cloud's lower-case ids (issue 5, item 9).
# Coordination: pam/map.c belongs to the "map" helper, who lower-cases ids
# where the map is read; the module lower-cases the id again before the
# request (pam/check.c) and the policy compares ids without regard to ASCII
# case (core/src/policy.c), so no single layer is load-bearing.
# The fixture ids are all digits, so this test serves a copy of the fixture
# with casey's id holding hex letters.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
fixture=$(dirname "$LC_SIM_BIN")/../sim/fixtures/default.json
[ -f "$fixture" ] || fixture=$LC_TOP/sim/fixtures/default.json
HEX_ID=3000000a-0000-4000-8000-0000000000bc
sed "s/$CASEY_ID/$HEX_ID/g" "$fixture" >"$SIM_DIR/fixture.json"
sim_start --fixture "$SIM_DIR/fixture.json" || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
UPPER=$(echo "$HEX_ID" | tr a-f A-F)
cat >"$PD/map" <<EOF
casey $UPPER
lower $HEX_ID
eli   $(echo "$ELI_ID" | tr a-f A-F)
EOF
pam_conf
pam_service lc "account required $PAM_MODULE config=$PD/lockcloud.conf"

pam_expect lc lower ok "lower-case map id of a current guest: allowed"
pam_expect lc casey ok "upper-case map id ($UPPER) of a current guest: allowed"
pam_logline | grep -q 'result=allow reason="status is current"'
ok $? "upper-case id: allowed by the rule (status is current)"
pam_expect lc eli "$E_PERM" "expired guest in the same map: still denied by the rule"

echo "1..$TAP_N"
