#!/bin/sh
# A bad cafile is a configuration error, not a cloud outage (issue 5, item 2):
# it is checked when the config loads and gives PAM_SERVICE_ERR with the path
# and the reason logged, even with failmode = safe and pam_permit behind the
# module (a TLS error there would have been PAM_IGNORE: an expired guest
# admitted). Symlinks are followed (system bundles are links) and the target
# is what must be root-owned, not group/world writable, and PEM.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
M=$PAM_MODULE
CA=$PD/ca
mkdir -p "$CA"
chmod 0755 "$CA"
pam_service lc "account required $M config=$PD/lockcloud.conf"
pam_service lcpermit "account required $M config=$PD/lockcloud.conf" \
    "account required $PAM_SECDIR/pam_permit.so"

# use FILE: the config names FILE as cafile (failmode = safe).
use() { CAFILE=$1 pam_conf "failmode = safe"; }
good() { rm -rf "$CA/$1"; cp "$SIM_CA" "$CA/$1"; chmod 0644 "$CA/$1"; echo "$CA/$1"; }

refused() { # description, cafile path, log pattern
    pam_expect lc eli "$E_SERVICE" "$1 -> PAM_SERVICE_ERR (failmode = safe)"
    pam_syslog_lines | grep '^<3>' | grep -F -- "$2" | grep -q -- "$3"
    ok $? "$1: the log names the path and says '$3'"
    pam_logline | grep -q 'result=error reason="configuration"'
    ok $? "$1: decision line says configuration error"
    pam_expect lcpermit eli "$E_SERVICE" "$1: not softened by failmode = safe + pam_permit"
}

use "$(good bundle.pem)"
pam_expect lc casey ok "baseline: a good cafile, casey allowed"
pam_expect lc eli "$E_PERM" "baseline: eli denied by the rule"

use "$CA/missing.pem"
refused "missing cafile" "$CA/missing.pem" "No such file or directory"

use "$CA/dir"; mkdir -p "$CA/dir"
refused "cafile is a directory" "$CA/dir" "not a regular file"

printf 'this is not a certificate\n' >"$CA/text.pem"; chmod 0644 "$CA/text.pem"
use "$CA/text.pem"
refused "non-PEM cafile" "$CA/text.pem" "no PEM certificate"

printf -- '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n' >"$CA/broken.pem"
chmod 0644 "$CA/broken.pem"
use "$CA/broken.pem"
refused "PEM block that does not parse" "$CA/broken.pem" "PEM"

: >"$CA/empty.pem"; chmod 0644 "$CA/empty.pem"
use "$CA/empty.pem"
refused "empty cafile" "$CA/empty.pem" "no PEM certificate"

p=$(good gw.pem); chmod 0664 "$p"; use "$p"
refused "group-writable cafile" "$p" "group or world writable"
p=$(good ww.pem); chmod 0646 "$p"; use "$p"
refused "world-writable cafile" "$p" "group or world writable"

# Unreadable: root reads any mode, so as root the cases are another owner
# (refused) and mode 0 (readable by root: accepted, as libcurl reads it too).
if [ "$(id -u)" -eq 0 ]; then
    p=$(good other.pem); chown 65534 "$p"; use "$p"
    refused "cafile owned by another user" "$p" "not owned by root"
    p=$(good mode0.pem); chmod 0000 "$p"; use "$p"
    pam_expect lc casey ok "mode 0000 cafile owned by root: root reads it, accepted"
else
    p=$(good mode0.pem); chmod 0000 "$p"; use "$p"
    refused "unreadable cafile (mode 0000)" "$p" "Permission denied"
fi

# Symlinks: followed, and the target is checked.
p=$(good target.pem); ln -sf "$p" "$CA/link.pem"; use "$CA/link.pem"
pam_expect lc casey ok "symlink to a good bundle: allowed"
pam_expect lc eli "$E_PERM" "symlink to a good bundle: the rule still decides"
p=$(good gwtarget.pem); chmod 0664 "$p"; ln -sf "$p" "$CA/badlink.pem"; use "$CA/badlink.pem"
refused "symlink to a group-writable bundle" "$CA/badlink.pem" "group or world writable"
ln -sf "$CA/nowhere.pem" "$CA/dangling.pem"; use "$CA/dangling.pem"
refused "dangling symlink" "$CA/dangling.pem" "No such file or directory"

# The directories above the bundle (as named and as resolved) must be root's
# (or ours) and writable by others only when sticky: else anyone could swap
# the bundle under the module.
mkdir -p "$CA/open"; chmod 0777 "$CA/open"
p=$(good open/ca.pem); use "$p"
refused "cafile in a world-writable directory" "$p" "without the sticky bit"
ln -sf "$(good target.pem)" "$CA/open/link.pem"; use "$CA/open/link.pem"
refused "link in a world-writable directory to a good bundle" "$CA/open/link.pem" \
    "without the sticky bit"
ln -sf "$CA/open/ca.pem" "$CA/toopen.pem"; use "$CA/toopen.pem"
refused "link to a bundle in a world-writable directory" "$CA/toopen.pem" \
    "without the sticky bit"
mkdir -p "$CA/sticky"; chmod 1777 "$CA/sticky"
use "$(good sticky/ca.pem)"
pam_expect lc casey ok "cafile in a sticky world-writable directory (as /tmp): allowed"

# The bundle is read once, when the client is made, and those bytes are what
# the TLS handshake trusts: turning the file to junk afterwards changes
# nothing. The test holds the token file's lock, so the module stops after
# making its client and before its first request; it swaps the bundle then,
# and lets go. (Read by path, the junk made the login PAM_SERVICE_ERR.)
TOK="$PD/tok"
mkdir -p "$TOK"; chmod 0700 "$TOK"
(umask 077; : >"$TOK/token.lock")
p=$(good swap.pem)
CAFILE=$p pam_conf "failmode = safe" "timeout = 120" "token_file = $TOK/token"
exec 7<>"$TOK/token.lock"
flock -x 7
PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$PD/services" PAM_WRAPPER_DEBUGLEVEL=2 \
    LD_PRELOAD="$PAM_PRELOAD" pamtester -v lc casey acct_mgmt >"$PD/swap.out" 2>&1 7>&- &
pid=$!
# Wait until the module has opened the lock file, however slow the machine
# (bounded at 120 s, the module's own timeout, and by the runner's limit).
# Only pamtester itself counts: until it is exec'd, the forked shell still
# holds this shell's descriptor 7 on the same lock file.
holds_lock() {
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = pamtester ] &&
        ls -l "/proc/$pid/fd" 2>/dev/null | grep -qF -- "$TOK/token.lock"
}
i=0
while [ $i -lt 2400 ] && kill -0 "$pid" 2>/dev/null && ! holds_lock; do
    sleep 0.05; i=$((i + 1))
done
holds_lock
ok $? "the module made its client and waits on the token lock"
printf 'junk\n' >"$p"
flock -u 7; exec 7>&-
wait "$pid"; rc=$?
[ "$rc" -eq 0 ]
ok $? "bundle turned to junk after the client was made: casey still allowed (rc $rc)"
[ "$rc" -eq 0 ] || sed 's/^/#   /' "$PD/swap.out"
rm -rf "$TOK" "$PD/swap.out"

echo "1..$TAP_N"
