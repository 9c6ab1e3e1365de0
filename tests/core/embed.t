#!/bin/sh
# The C embedding example (examples/embed.c, built through the pkg-config
# file) lists the simulator's devices and unlocks one over HTTPS.
. "$LC_TOP/tests/lib/sim.sh"
embed="$LC_BUILD/examples/embed"

if [ ! -x "$embed" ]; then
    echo "not ok 1 - $embed was not built (make examples)"
    exit 1
fi
sim_start || { echo "not ok 1 - simulator started"; exit 1; }

out=$("$embed" "$SIM_URL" "$SIM_CA" 2>"$SIM_DIR/embed.err")
ok $? "embed exits 0"
echo "$out" | sed 's/^/# /'
echo "$out" | grep -q 'Front Door'; ok $? "lists the Front Door"
echo "$out" | grep -q 'Lodge Entrance'; ok $? "lists the Lodge Entrance"
echo "$out" | grep -q '^unlocked 20000000-0000-4000-8000-000000000001: state unlocked'
ok $? "unlocks the first lock"

LOCKCLOUD_CLIENT_ID=lockcloud-demo-client LOCKCLOUD_CLIENT_SECRET=lockcloud-demo-secret \
    "$embed" "$SIM_URL" "$SIM_CA" 20000000-0000-4000-8000-000000000003 >"$SIM_DIR/out2" 2>&1
ok $? "unlocks a lock given by id"
grep -q 'unlocked 20000000-0000-4000-8000-000000000003' "$SIM_DIR/out2"; ok $? "the named lock"

LOCKCLOUD_CLIENT_ID=lockcloud-demo-client LOCKCLOUD_CLIENT_SECRET=wrong-secret-value \
    "$embed" "$SIM_URL" "$SIM_CA" >"$SIM_DIR/out3" 2>&1
[ $? -eq 1 ]; ok $? "a wrong secret fails with status 1"
grep -q 'invalid_client' "$SIM_DIR/out3"; ok $? "and says why"
! grep -q 'wrong-secret-value' "$SIM_DIR/out3"; ok $? "without printing the secret"

"$embed" "$SIM_URL" >"$SIM_DIR/out4" 2>&1
[ $? -eq 1 ]; ok $? "without the simulator's CA the certificate is refused"
grep -q 'TLS' "$SIM_DIR/out4"; ok $? "and says it is a TLS failure"
"$embed" --help >/dev/null 2>&1
[ $? -eq 2 ]; ok $? "bad arguments are a usage error"
# Building against a staged install is covered by tests/build/install.t.
echo "1..$TAP_N"
