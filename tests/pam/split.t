#!/bin/sh
# The module's two halves through real libpam (pam_wrapper + pamtester):
# pam_lockcloud.so needs no network or crypto library, a cached decision
# maps none (the dynamic loader's own account, LD_DEBUG=files), an online
# one loads the network part pam_lockcloud/online.so beside the module;
# a network part that is missing, unsafely installed or from another
# build is an installation error: PAM_SERVICE_ERR whatever the failmode,
# the log names the path.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
mkdir -m 0700 "$PD/cache"

needed=$(readelf -d "$PAM_MODULE" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
case $needed in *libcurl*|*libssl*|*libcrypto*|*libgnutls*|*libnghttp*) r=1 ;; *) r=0 ;; esac
ok $r "pam_lockcloud.so needs no network or crypto library (needs: $needed)"

# The files the dynamic loader opened during one pam_run.
loaded() {
    printf '%s\n' "$PAM_OUT" | sed -n 's/.*file=\([^ ]*\) .*\[0\];  \(dynamically loaded\|needed\) by.*/\1/p' |
        sort -u | tr '\n' ' '
}
run_traced() {
    LD_DEBUG=files
    export LD_DEBUG
    pam_run "$@"
    unset LD_DEBUG
}

pam_conf "token_file = $PD/token" "cache_dir = $PD/cache"
pam_service lc "account required $PAM_MODULE config=$PD/lockcloud.conf"
run_traced lc avery
files=$(loaded)
# The part is loaded through the descriptor it was checked on (/proc/self/fd/N)
# or, without /proc, by its path.
[ "$PAM_RC" -eq 0 ] && printf '%s\n' "$files" | grep -Eq 'pam_lockcloud/online.so|/proc/self/fd/[0-9]' &&
    printf '%s\n' "$files" | grep -q 'libcurl'
ok $? "an online decision loads the network part and libcurl"
run_traced lc avery
files=$(loaded)
[ "$PAM_RC" -eq 0 ] && pam_logline | grep -q 'source=cached'
ok $? "the second login is answered from the cache"
case $files in *pam_lockcloud.so*) r=0 ;; *) r=1 ;; esac
case $files in *online.so*|*/proc/self/fd/*|*libcurl*|*libssl*|*libcrypto*|*libgssapi*|*libldap*) r=1 ;; esac
ok $r "a cached decision maps neither the network part nor libcurl, libssl, libcrypto (loaded: $files)"

# --- the network part, unsafely installed ------------------------------------
# A copy of the module in a directory of our own, with its network part.
M="$SIM_DIR/mod"
mkdir -m 0755 "$M" "$M/pam_lockcloud"
cp "$PAM_MODULE" "$M/"
cp "$LC_BUILD/pam_lockcloud/online.so" "$M/pam_lockcloud/"
pam_conf "token_file = $PD/token" "failmode = safe"
pam_service copy "account required $M/pam_lockcloud.so config=$PD/lockcloud.conf"
pam_expect copy casey ok "the copy beside its network part works (casey allowed)"

expect_refused() { # description, what the log must say
    pam_expect copy casey "$E_SERVICE" "$1: PAM_SERVICE_ERR under failmode safe"
    pam_syslog_lines | grep -q "network part.*$2" && pam_logline | grep -q 'result=error'
    ok $? "$1: the log says why"
}
chmod 0664 "$M/pam_lockcloud/online.so"
expect_refused "a group-writable network part" "writable only by it"
chmod 0644 "$M/pam_lockcloud/online.so"
chown 65534 "$M/pam_lockcloud/online.so"
expect_refused "a network part owned by someone else" "owned by root"
chown 0 "$M/pam_lockcloud/online.so"
chown "$(id -u)" "$M/pam_lockcloud/online.so"
chmod 0777 "$M/pam_lockcloud"
expect_refused "a network part in a world-writable directory" "$M/pam_lockcloud"
chmod 0755 "$M/pam_lockcloud"
mv "$M/pam_lockcloud/online.so" "$M/pam_lockcloud/online.so.away"
expect_refused "a missing network part" "$M/pam_lockcloud/online.so"
cjson=$(ldd "$PAM_MODULE" | sed -n 's/.*libcjson.so[^ ]* => \([^ ]*\) .*/\1/p')
cp "$cjson" "$M/pam_lockcloud/online.so" && chmod 0644 "$M/pam_lockcloud/online.so"
expect_refused "a network part from another build" "not from this build"
ln -sf "$M/pam_lockcloud/online.so.away" "$M/pam_lockcloud/online.so"
pam_expect copy casey ok "a symlink to a safe network part is followed (casey allowed)"

# An unrelated user's login does not matter: the module loaded no part for
# a decision it could answer locally (unmapped user, no network part).
rm -f "$M/pam_lockcloud/online.so"
pam_expect copy nobody-mapped "$E_USER" "no network part: an unmapped user is still user_unknown"

echo "1..$TAP_N"
