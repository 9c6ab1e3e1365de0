#!/bin/sh
# The caller's environment and umask do not reach the module (issue 5,
# item 1), through pamtester + pam_wrapper as an admin would run it: with
# SSLKEYLOGFILE, proxies, CA variables, a breaking OPENSSL_CONF, HOME/.netrc
# and TZ set and umask 0, the decisions and log lines are those of a clean
# environment and no key log file appears. tests/pam/test_env_guard.c covers
# the same through libpam directly, plus resource limits and the process
# state after the call.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
pam_conf "failmode = safe"
# Worst case: an outage (PAM_IGNORE) falls through to pam_permit.
pam_service lc "account required $PAM_MODULE config=$PD/lockcloud.conf" \
    "account required $PAM_SECDIR/pam_permit.so"

H=$SIM_DIR/hostile
mkdir -p "$H/home"
printf 'machine 127.0.0.1 login mallory password netrc-secret\n' >"$H/home/.netrc"
printf -- '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n' >"$H/bad.pem"
printf 'openssl_conf = init\n[init]\nssl_conf = ssl\n[ssl]\nsystem_default = sys\n[sys]\nMinProtocol = TLSv1.3\nCiphersuites = TLS_AES_128_CCM_8_SHA256\nCipherString = aNULL\n' >"$H/openssl.cnf"
# A dead loopback port as proxy: using it would fail every request.
PROXY=http://127.0.0.1:9

hostile_run() { # user
    PAM_OUT=$(umask 0; env SSLKEYLOGFILE="$H/keylog" http_proxy=$PROXY https_proxy=$PROXY \
        HTTPS_PROXY=$PROXY ALL_PROXY=$PROXY CURL_CA_BUNDLE="$H/bad.pem" SSL_CERT_FILE="$H/bad.pem" \
        SSL_CERT_DIR="$H" OPENSSL_CONF="$H/openssl.cnf" HOME="$H/home" TZ=XYZ-14:00 \
        PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$PD/services" PAM_WRAPPER_DEBUGLEVEL=2 \
        LD_PRELOAD="$PAM_PRELOAD" pamtester -v lc "$1" acct_mgmt 2>&1)
    PAM_RC=$?
}

for who in casey:0 eli:1; do
    user=${who%%:*}
    pam_run lc "$user"
    clean_rc=$PAM_RC clean_line=$(pam_logline | sed 's/ latency_ms=[0-9]*$//')
    hostile_run "$user"
    hostile_line=$(pam_logline | sed 's/ latency_ms=[0-9]*$//')
    [ "$PAM_RC" -eq "$clean_rc" ] && [ "$clean_rc" -eq "${who#*:}" ]
    ok $? "$user: same decision in a hostile environment with umask 0 (rc $PAM_RC, clean $clean_rc)"
    [ -n "$hostile_line" ] && [ "$hostile_line" = "$clean_line" ]
    ok $? "$user: same decision line ($hostile_line)"
done
[ ! -e "$H/keylog" ]
ok $? "SSLKEYLOGFILE was never created"
printf '%s\n' "$PAM_OUT" | grep -q 'netrc-secret'
[ $? -ne 0 ]
ok $? "nothing from .netrc in the output"

echo "1..$TAP_N"
