#!/bin/sh
# Local failures inside the check log what failed, the path and the errno
# (issue 5, item 10): following the docs with a token_file whose directory
# does not exist used to log only "error=io". Each case is PAM_SERVICE_ERR
# whatever the failmode, and no secret reaches the output.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
M=$PAM_MODULE
pam_service lc "account required $M config=$PD/lockcloud.conf" \
    "account required $PAM_SECDIR/pam_permit.so"

local_error() { # description, path, errno text
    pam_expect lc casey "$E_SERVICE" "$1 -> PAM_SERVICE_ERR (failmode = safe + pam_permit)"
    line=$(pam_syslog_lines | grep '^<3>' | grep -F -- "$2")
    printf '%s\n' "$line" | grep -qi -- "$3"
    ok $? "$1: syslog names the path and says '$3'"
    printf '%s\n' "$line" | grep -q 'result=error error=io'
    ok $? "$1: in the decision line (error=io)"
    printf '%s\n' "$line" | grep -q 'source=local'
    ok $? "$1: source=local (the cloud was never asked)"
    printf '%s\n' "$PAM_OUT" | grep -Eq 'lockcloud-demo-secret|Bearer'
    [ $? -ne 0 ]
    ok $? "$1: no secret in the output"
}

pam_conf "failmode = safe" "token_file = $PD/state/token"
mkdir -m 0700 "$PD/state"
pam_expect lc casey ok "baseline: token_file in a private directory works"

pam_conf "failmode = safe" "token_file = $PD/missing/token"
local_error "token_file in a missing directory" "$PD/missing" "No such file or directory"

mkdir -m 0777 "$PD/open"
pam_conf "failmode = safe" "token_file = $PD/open/token"
local_error "token_file in a world-writable directory" "$PD/open" "group or others"

: >"$PD/notadir"
pam_conf "failmode = safe" "token_file = $PD/notadir/token"
local_error "token_file under a regular file" "$PD/notadir" "Not a directory"

echo "1..$TAP_N"
