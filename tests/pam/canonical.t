#!/bin/sh
# Login names a user directory canonicalises (issue 5, found by the PAM
# review): with SSSD or LDAP set to case_sensitive = false, the guest
# mapped as "eli" logged in as "ELI": the map had no "ELI", the module said
# PAM_USER_UNKNOWN, the recommended stack ignored it, and pam_unix (via
# NSS) let the account eli in. The module now reads the map under the
# account's name as NSS gives it.
#
# The directory is a real NSS source: tests/pam/nss_casefold.c, a glibc
# NSS module that matches names without regard to case and answers with
# the stored spelling, plugged in through nsswitch.conf as libnss_sss is.
# nss_wrapper was tried first and does not fit: it matches names
# case-sensitively, and it reads its settings from the environment the
# first time it is called, which inside the module (an empty environment,
# see pam/env.c) switches it off. The nsswitch.conf naming the module is
# bind-mounted in a private mount namespace, so nothing outside this test
# sees it; that needs root (skipped otherwise, with the reason).
if [ "${LC_CANON_NS:-}" != 1 ]; then
    why=
    [ "$(id -u)" = 0 ] || why="needs root (a private mount namespace for nsswitch.conf)"
    [ -n "$why" ] || command -v unshare >/dev/null 2>&1 || why="needs unshare (util-linux)"
    [ -n "$why" ] || unshare --mount --propagation private true 2>/dev/null ||
        why="mount namespaces unavailable"
    if [ -n "$why" ]; then echo "ok 1 - # SKIP $why"; exit 0; fi
    LC_CANON_NS=1 exec unshare --mount --propagation private sh "$0" "$@"
fi

. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init

# --- The directory -----------------------------------------------------------
NSS="$SIM_DIR/nss"
mkdir -p "$NSS"
LONG=$(printf 'a%.0s' $(seq 70))
cat >"$NSS/passwd" <<EOF
eli:x:4201:4201:Eli:/nonexistent:/usr/sbin/nologin
casey:x:4202:4202:Casey:/nonexistent:/usr/sbin/nologin
uma:x:4203:4203:Uma:/nonexistent:/usr/sbin/nologin
down:TRYAGAIN:4204:4204:Unreachable:/nonexistent:/usr/sbin/nologin
$LONG:x:4205:4205:Long:/nonexistent:/usr/sbin/nologin
Odd result=allow:x:4206:4206:Odd:/nonexistent:/usr/sbin/nologin
EOF
if ! cc -shared -fPIC -O2 -Wall -Wextra -Werror -DLC_NSS_PASSWD="\"$NSS/passwd\"" \
        -o "$NSS/libnss_lccasefold.so.2" "$LC_TOP/tests/pam/nss_casefold.c" 2>"$NSS/cc.log"; then
    echo "not ok 1 - nss_casefold.c did not build"; sed 's/^/#   /' "$NSS/cc.log"; exit 1
fi
# As Debian lists sss: after files. Only this process tree sees it.
sed 's/^passwd:.*/passwd: files lccasefold/' /etc/nsswitch.conf >"$NSS/nsswitch.conf"
grep -q '^passwd: files lccasefold$' "$NSS/nsswitch.conf" || echo 'passwd: files lccasefold' >>"$NSS/nsswitch.conf"
mount --bind "$NSS/nsswitch.conf" /etc/nsswitch.conf || { echo "not ok 1 - bind mount of nsswitch.conf"; exit 1; }
export LD_LIBRARY_PATH="$NSS"   # where glibc finds libnss_lccasefold.so.2

for n in ELI eli; do
    [ "$(getent passwd "$n" | cut -d: -f1)" = eli ]
    ok $? "the directory answers getpwnam(\"$n\") with the account eli"
done
getent passwd dana >/dev/null
[ $? -eq 2 ]
ok $? "the directory has no account dana"

# --- The map and the stacks --------------------------------------------------
# "Uma" is written in a spelling the account uma does not have.
cat >"$PD/map" <<EOF
eli   $ELI_ID
casey $CASEY_ID
Uma   $UMA_ID
dana  $DANA_ID
EOF
pam_conf
REC='account [success=ok user_unknown=ignore ignore=ignore default=bad]'
grep -qF "$REC pam_lockcloud.so" "$LC_TOP/pam/pam_lockcloud.8"
ok $? "the stack line used here is the one pam_lockcloud(8) recommends"
# rec: the recommended line with a permitting stack behind it (common-account
# would admit eli); req: the module's own answer.
pam_service rec "$REC $PAM_MODULE config=$PD/lockcloud.conf" "account required $PAM_SECDIR/pam_permit.so"
pam_service req "account required $PAM_MODULE config=$PD/lockcloud.conf"

# --- Case folded to a mapped account -----------------------------------------
pam_expect rec eli "$E_PERM" "eli (expired guest), recommended stack + pam_permit: denied"
for n in ELI Eli eLI; do
    pam_expect rec "$n" "$E_PERM" "$n is the account eli: denied too, not let through as unmapped"
done
pam_run rec ELI
pam_logline | grep -Eq '^<5>user=eli service=rec rule=guest_current result=deny reason="status is expired" source=online latency_ms=[0-9]+ typed_user=ELI$'
ok $? "decision line: user=eli (the account) and typed_user=ELI"
pam_run rec eli
pam_logline | grep -q 'typed_user='
[ $? -ne 0 ]
ok $? "no typed_user= when the name was typed as the account spells it"
pam_expect req CASEY ok "CASEY is the account casey (current guest): allowed by the rule"
pam_logline | grep -q '^<6>user=casey .*result=allow reason="status is current".* typed_user=CASEY$'
ok $? "CASEY: allowed as casey, by the cloud's answer"

# --- Map names are compared with the account's name, as written ---------------
pam_expect req Uma "$E_USER" "typed 'Uma' as the map spells it, account is 'uma': not mapped"
pam_logline | grep -q '^<5>user=uma .*result=user_unknown .* typed_user=Uma$'
ok $? "Uma: logged as user=uma typed_user=Uma, user_unknown"

# --- Names the directory does not know: used as typed -------------------------
pam_expect req dana "$E_PERM" "dana (no account, mapped, deactivated): still checked and denied"
pam_expect req DANA "$E_USER" "DANA (no account, not mapped as typed): user_unknown"
pam_logline | grep -q '^<5>user=DANA .*result=user_unknown reason="not in map file" source=local latency_ms=[0-9]*$'
ok $? "DANA: logged as typed, no typed_user="

# --- A directory that cannot answer ------------------------------------------
pam_expect rec down "$E_SERVICE" "directory unavailable: PAM_SERVICE_ERR, not user_unknown (stack denies)"
pam_logline | grep -q '^<3>user=down .*result=error reason="configuration"'
ok $? "directory unavailable: logged as a local error"
pam_syslog_lines | grep -q 'user database lookup: Resource temporarily unavailable'
ok $? "directory unavailable: the failure is named"

# --- Canonical names the map cannot hold ---------------------------------------
UPPER_LONG=$(echo "$LONG" | tr a-z A-Z)
pam_expect req "$UPPER_LONG" "$E_USER" "70-character account name (over the map's 64): user_unknown"
pam_logline | grep -q "^<5>user=$(printf 'a%.0s' $(seq 64)) service=req .*result=user_unknown .* typed_user=$(printf 'A%.0s' $(seq 64))\$"
ok $? "long names: both logged, cut to 64 characters"
pam_expect req "ODD RESULT=ALLOW" "$E_USER" "account name with a blank and '=' (not a map name): user_unknown"
line=$(pam_logline)
printf '%s\n' "$line" | grep -q '^<5>user=Odd?result?allow service=req .*result=user_unknown .* typed_user=ODD?RESULT?ALLOW$'
ok $? "odd names: both logged with '?' for characters outside [A-Za-z0-9._@-]"
[ "$(printf '%s\n' "$line" | grep -o 'result=' | wc -l)" -eq 1 ]
ok $? "odd names: no forged result= field"

echo "1..$TAP_N"
