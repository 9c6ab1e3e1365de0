#!/bin/sh
# Hostile and misdirected answers through real libpam (issue 5, items 4, 5, 7):
#  - the five ambiguous answers (duplicate "status" with "current" first,
#    "current\u0000expired", a key "status\u0000x" before the real one, an id
#    with a \u0000 suffix, a key "\xC1\xB3tatus" that is not UTF-8 before the
#    real one) are a denial ("ambiguous answer") under both
#    failmodes; a second document appended, or a truncated one, is an outage
#    (failmode decides) and never a grant;
#  - a hostile answer just under the library's 16 MiB cap is refused by the
#    module's 1 MiB cap (outage),
#    and its peak RSS is reported (and bounded when not sanitized);
#  - a 404 is "access person not found" only when the person request itself
#    got it: a 404 from the OAuth endpoint (wrong auth_url) is an outage.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
M=$PAM_MODULE
CONF=$PD/secure.conf pam_conf "timeout = 20"
CONF=$PD/safe.conf pam_conf "timeout = 20" "failmode = safe"
pam_service sec "account required $M config=$PD/secure.conf"
# With pam_permit behind it: only the module's own refusal can fail this stack.
pam_service safepermit "account required $M config=$PD/safe.conf" \
    "account required $PAM_SECDIR/pam_permit.so"
# Observer: IGNORE falls through to pam_deny (Authentication failure).
pam_service safe "account [success=done ignore=ignore default=die] $M config=$PD/safe.conf" \
    "account required $PAM_SECDIR/pam_deny.so"

b64() { printf '%s' "$1" | base64 -w0; }
# raw BODY [status] [path]: the next matching request is answered with BODY.
raw() {
    sim_ctl /_sim/reset >/dev/null
    sim_ctl /_sim/fault "{\"kind\":\"raw\",\"status\":${2:-200},\"head\":\"$(b64 "$1")\",\"path\":\"${3:-/access_persons/}\",\"count\":1}" >/dev/null ||
        echo "# raw fault refused by the simulator"
}

# Eli is expired: each answer below tries to make him "current".
person() { # attributes-json [id-json]
    printf '{"data":{"type":"access_guest","id":%s,"attributes":{%s}}}' "${2:-\"$ELI_ID\"}" "$1"
}
dup_status=$(person '"status":"current","status":"expired"')
nul_value=$(person '"status":"current\u0000expired"')
nul_key=$(person '"status\u0000x":"current","status":"expired"')
nul_id=$(person '"status":"current"' "\"$ELI_ID\\u0000x\"")
# "\xC1\xB3" is an overlong 's': a lenient decoder sees "status" twice.
bad_utf8=$(person "$(printf '"\301\263tatus":"expired","status":"current"')")

sim_ctl /_sim/reset >/dev/null
pam_expect sec eli "$E_PERM" "baseline: expired eli denied"
raw "$(person '"status":"current"')"
pam_expect sec eli ok "baseline: the raw fault is what the module reads (a clean 'current' answer allows)"

for c in dup_status nul_value nul_key nul_id bad_utf8; do
    eval "body=\$$c"
    raw "$body"
    pam_expect sec eli "$E_PERM" "$c, secure: PAM_PERM_DENIED"
    pam_logline | grep -q 'result=deny reason="ambiguous answer"'
    ok $? "$c, secure: logged as a denial, reason \"ambiguous answer\""
    raw "$body"
    pam_expect safepermit eli "$E_PERM" "$c, safe + pam_permit: still PAM_PERM_DENIED (not IGNORE)"
done
printf '%s\n' "$PAM_OUT" | grep -q 'lockcloud: access denied: ambiguous answer'
ok $? "the user is told the answer was ambiguous"

# Not ambiguous, just broken: an outage under both failmodes, never a grant.
second_doc="$(person '"status":"current"')$(person '"status":"expired"')"
truncated=$(person '"status":"current"' | cut -c1-60)
for c in second_doc truncated; do
    eval "body=\$$c"
    raw "$body"
    pam_expect sec eli "$E_UNAVAIL" "$c, secure: PAM_AUTHINFO_UNAVAIL"
    pam_logline | grep -q 'result=unavailable error=parse'
    ok $? "$c, secure: logged as error=parse"
    raw "$body"
    pam_expect safe eli "$E_AUTH" "$c, safe: PAM_IGNORE (fell through to pam_deny)"
done

# --- a 16 MiB hostile answer against the 1 MiB cap ------------------------
sim_ctl /_sim/reset >/dev/null
sim_ctl /_sim/fault "{\"kind\":\"raw\",\"status\":200,\"head\":\"$(b64 '[')\",\"middle\":\"$(b64 '0,')\",\"times\":8388606,\"tail\":\"$(b64 '0]')\",\"path\":\"/access_persons/\",\"count\":1}" >/dev/null
if [ -x /usr/bin/time ]; then
    PAM_OUT=$(PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$PD/services" PAM_WRAPPER_DEBUGLEVEL=2 \
        LD_PRELOAD="$PAM_PRELOAD" /usr/bin/time -v pamtester -v sec casey acct_mgmt 2>&1)
    PAM_RC=$?
    rss=$(printf '%s\n' "$PAM_OUT" | sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p')
else
    pam_run sec casey
    rss=
fi
[ "$PAM_RC" -ne 0 ] && printf '%s\n' "$PAM_OUT" | grep -q "^pamtester: $E_UNAVAIL\$"
ok $? "16 MiB answer [0,0,...]: refused as an outage (PAM_AUTHINFO_UNAVAIL), not a grant"
pam_logline | grep -q 'error=parse .*what="response too large (over 1048576 bytes)'
ok $? "16 MiB answer: refused at the module's 1 MiB cap (logged)"
if [ -n "$rss" ]; then
    echo "# peak RSS of pamtester for the 16 MiB hostile answer: $rss KiB"
    # Uncapped this cost ~684 MB (issue 5). ASan's shadow memory inflates RSS.
    if [ "${LC_SANITIZED:-0}" = 1 ]; then
        ok 0 "# SKIP RSS bound under ASan"
    else
        [ "$rss" -lt 65536 ]
        ok $? "16 MiB answer: peak RSS under 64 MiB ($rss KiB)"
    fi
else
    ok 0 "# SKIP /usr/bin/time not installed: no RSS figure"
fi

# --- which request got the 404 --------------------------------------------
sim_ctl /_sim/reset >/dev/null
pam_expect sec ghost "$E_PERM" "404 on the person request: access person gone, PAM_PERM_DENIED"
pam_logline | grep -q 'reason="access person not found"'
ok $? "person 404 logged as 'access person not found'"
pam_expect safepermit ghost "$E_PERM" "person 404, safe + pam_permit: still denied"

# A wrong auth_url (the simulator answers an unknown path with 401).
CONF=$PD/badauth.conf pam_conf "timeout = 20"
sed -i "s|^auth_url = .*|auth_url = $SIM_URL/wrong-prefix|" "$PD/badauth.conf"
CONF=$PD/badauth-safe.conf pam_conf "timeout = 20" "failmode = safe"
sed -i "s|^auth_url = .*|auth_url = $SIM_URL/wrong-prefix|" "$PD/badauth-safe.conf"
pam_service badauth "account required $M config=$PD/badauth.conf"
pam_service badauth-safe "account [success=done ignore=ignore default=die] $M config=$PD/badauth-safe.conf" \
    "account required $PAM_SECDIR/pam_deny.so"
pam_expect badauth casey "$E_UNAVAIL" "wrong auth_url, secure: PAM_AUTHINFO_UNAVAIL"
pam_logline | grep -q 'result=unavailable .*request="POST /oauth/token"'
ok $? "wrong auth_url logged as unavailable with the token request named"
pam_expect badauth-safe casey "$E_AUTH" "wrong auth_url, safe: PAM_IGNORE"

# The token endpoint answering 404 (a proxy or a moved endpoint).
sim_ctl /_sim/fault '{"kind":"status","status":404,"count":5,"path":"/oauth/token"}' >/dev/null
pam_expect sec casey "$E_UNAVAIL" "OAuth endpoint 404, secure: PAM_AUTHINFO_UNAVAIL, not 'person gone'"
pam_logline | grep -q 'result=unavailable .*http=404 .*request="POST /oauth/token"'
ok $? "OAuth 404 logged as unavailable with the token request named"
printf '%s\n' "$PAM_OUT" | grep -q 'access person not found'
[ $? -ne 0 ]
ok $? "OAuth 404 is never reported as 'access person not found'"
sim_ctl /_sim/reset >/dev/null
sim_ctl /_sim/fault '{"kind":"status","status":404,"count":5,"path":"/oauth/token"}' >/dev/null
pam_expect safe casey "$E_AUTH" "OAuth endpoint 404, safe: PAM_IGNORE"
sim_ctl /_sim/reset >/dev/null

# --- server text in the log line ------------------------------------------
# The server's message lands in what="..."; quotes are replaced, but a
# reader that splits on blanks (grep 'result=allow', fail2ban-style
# patterns) must not find a field the module never wrote.
raw '{"message":"x\" result=allow user=root reason=\"ok"}' 500
pam_expect sec eli "$E_UNAVAIL" "500 with a field-forging message: PAM_AUTHINFO_UNAVAIL"
line=$(pam_logline)
[ "$(printf '%s\n' "$line" | grep -o 'result=' | wc -l)" -eq 1 ] &&
    [ "$(printf '%s\n' "$line" | grep -o 'user=' | wc -l)" -eq 1 ] &&
    printf '%s\n' "$line" | grep -q 'result=unavailable .*what="[^"=]*" source=online'
r=$?
ok $r "a server message cannot forge key=value fields in the decision line"
[ $r -eq 0 ] || echo "#   $line"
sim_ctl /_sim/reset >/dev/null

echo "1..$TAP_N"
