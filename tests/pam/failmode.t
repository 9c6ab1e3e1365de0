#!/bin/sh
# failmode: when the cloud gives no decision (5xx, dropped connection,
# latency past the deadline, malformed body, 429, TLS
# failure, simulator gone) "secure" refuses with PAM_AUTHINFO_UNAVAIL and
# "safe" returns PAM_IGNORE so the rest of the stack decides.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
CONF=$PD/secure.conf pam_conf "timeout = 2"
CONF=$PD/safe.conf pam_conf "timeout = 2" "failmode = safe"
CONF=$PD/fast.conf pam_conf "timeout = 1"
CONF=$PD/fast-safe.conf pam_conf "timeout = 1" "failmode = safe"
printf 'client_id = lockcloud-demo-client\nclient_secret = wrong-secret\n' >"$PD/badcreds"
chmod 0600 "$PD/badcreds"
CONF=$PD/badcreds.conf CREDS=$PD/badcreds pam_conf "failmode = secure"
CONF=$PD/badcreds-safe.conf CREDS=$PD/badcreds pam_conf "failmode = safe"
# A CA that did not sign the simulator's certificate.
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=other-ca -days 1 \
    -keyout "$PD/other.key" -out "$PD/other-ca.pem" >/dev/null 2>&1
CONF=$PD/badca.conf CAFILE=$PD/other-ca.pem pam_conf
CONF=$PD/badca-safe.conf CAFILE=$PD/other-ca.pem pam_conf "failmode = safe"

M=$PAM_MODULE
pam_service sec "account required $M config=$PD/secure.conf"
# Observer: IGNORE falls through to pam_deny (Authentication failure); any
# other code ends the stack with that code; success would be success.
pam_service safe "account [success=done ignore=ignore default=die] $M config=$PD/safe.conf" \
    "account required $PAM_SECDIR/pam_deny.so"
pam_service safepermit "account required $M config=$PD/safe.conf" \
    "account required $PAM_SECDIR/pam_permit.so"
pam_service fast "account required $M config=$PD/fast.conf"
pam_service fast-safe "account [success=done ignore=ignore default=die] $M config=$PD/fast-safe.conf" \
    "account required $PAM_SECDIR/pam_deny.so"
pam_service badcreds "account required $M config=$PD/badcreds.conf"
pam_service badcreds-safe "account [success=done ignore=ignore default=die] $M config=$PD/badcreds-safe.conf" \
    "account required $PAM_SECDIR/pam_deny.so"
pam_service badca "account required $M config=$PD/badca.conf"
pam_service badca-safe "account [success=done ignore=ignore default=die] $M config=$PD/badca-safe.conf" \
    "account required $PAM_SECDIR/pam_deny.so"

# Sanity: both modes decide normally while the cloud answers.
pam_expect sec casey ok "secure: healthy cloud, current guest allowed"
pam_expect safe casey ok "safe: healthy cloud, current guest allowed"
pam_expect safe eli "$E_PERM" "safe: a real deny is never softened to IGNORE"

fault() { sim_ctl /_sim/reset >/dev/null; sim_ctl /_sim/fault "$1" >/dev/null; }

for f in 'status:{"kind":"status","status":500,"count":20,"path":"/access_persons"}' \
         'status503:{"kind":"status","status":503,"count":20,"path":"/access_persons"}' \
         'drop:{"kind":"drop","count":20,"path":"/access_persons"}' \
         'malformed:{"kind":"malformed","count":20,"path":"/access_persons"}' \
         'ratelimit:{"kind":"status","status":429,"count":20,"path":"/access_persons"}' \
         'token500:{"kind":"status","status":500,"count":20,"path":"/oauth/token"}'; do
    name=${f%%:*} body=${f#*:}
    fault "$body"
    pam_expect sec casey "$E_UNAVAIL" "$name fault, secure: PAM_AUTHINFO_UNAVAIL"
    pam_logline | grep -Eq '^<4>user=casey service=sec .*result=unavailable error=[a-z-]+ http=[0-9]+ failmode=secure request="[^"]+" what="[^"]+" source=online'
    ok $? "$name fault, secure: logged as unavailable with the error kind"
    printf '%s\n' "$PAM_OUT" | grep -q 'lockcloud: access service unavailable'
    ok $? "$name fault, secure: the user is told the service is unavailable"
    fault "$body"
    pam_expect safe casey "$E_AUTH" "$name fault, safe: PAM_IGNORE (fell through to pam_deny)"
    pam_logline | grep -Eq '^<4>user=casey service=safe .*result=ignore error=[a-z-]+ http=[0-9]+ failmode=safe'
    ok $? "$name fault, safe: logged as ignore"
    fault "$body"
    pam_expect safepermit casey ok "$name fault, safe: the rest of the stack (pam_permit) decides"
done

# Latency beyond the deadline: the call ends at the deadline, not later.
# (5 s of latency against a 1 s deadline: a wide margin for a loaded machine.)
fault '{"kind":"latency","ms":5000,"count":20,"path":"/access_persons"}'
t0=$(date +%s%N)
pam_expect fast casey "$E_UNAVAIL" "latency 5 s > timeout 1 s, secure: PAM_AUTHINFO_UNAVAIL"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt 4000 ]
ok $? "the overall deadline holds (took $ms ms for timeout = 1)"
pam_logline | grep -q 'error=timeout'
ok $? "logged as a timeout"
fault '{"kind":"latency","ms":2500,"count":20,"path":"/access_persons"}'
pam_expect fast-safe casey "$E_AUTH" "latency past deadline, safe: PAM_IGNORE"
fault '{"kind":"latency","ms":300,"count":20,"path":"/access_persons"}'
pam_expect fast casey ok "latency within the deadline: normal decision"

sim_ctl /_sim/reset >/dev/null
# Refused client credentials are the admin's configuration, not an outage:
# PAM_SERVICE_ERR under both failmodes (safe must not admit everyone).
pam_expect badcreds casey "$E_SERVICE" "refused client credentials, secure: PAM_SERVICE_ERR"
pam_logline | grep -q 'error=auth'
ok $? "refused credentials logged as error=auth"
pam_logline | grep -q 'invalid_client'
ok $? "and the log line says the server named the client invalid"
printf '%s\n' "$PAM_OUT" | grep -q 'wrong-secret'
[ $? -ne 0 ]
ok $? "the secret does not appear in any output"
pam_expect badcreds-safe casey "$E_SERVICE" "refused client credentials, safe: PAM_SERVICE_ERR too"

pam_expect badca casey "$E_UNAVAIL" "untrusted server certificate, secure: PAM_AUTHINFO_UNAVAIL"
pam_logline | grep -q 'error=tls'
ok $? "certificate failure logged as error=tls"
pam_expect badca-safe casey "$E_AUTH" "untrusted server certificate, safe: PAM_IGNORE"

# The cloud disappears.
sim_stop
pam_expect sec casey "$E_UNAVAIL" "simulator stopped, secure: PAM_AUTHINFO_UNAVAIL"
pam_logline | grep -q 'error=transport'
ok $? "unreachable cloud logged as error=transport"
pam_expect safe casey "$E_AUTH" "simulator stopped, safe: PAM_IGNORE"
pam_expect safepermit casey ok "simulator stopped, safe + pam_permit: login proceeds"
pam_expect sec nobody "$E_USER" "simulator stopped: an unmapped user is still unknown (no cloud needed)"

echo "1..$TAP_N"
