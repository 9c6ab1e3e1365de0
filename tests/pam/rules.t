#!/bin/sh
# rules_file through real libpam (pam_wrapper + pamtester) against the
# simulator: the same user is let in by login and refused by sshd, the line
# applied is logged as rule=FILE:LINE, a login no line matches is denied,
# unmapped users stay user_unknown, @group lines follow the user database
# (root in @root; nobody is not), and a broken, unsafe or conflicting rules
# setup refuses every login, mapped or not, with PAM_SERVICE_ERR.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
RULES="$PD/lockcloud.rules"
# What a current guest passes (guest_current is the legacy name of it).
CURRENT=status=current
# casey holds an access to the back door (lock 1), not to the front door
# (lock 3): sim/fixtures/default.json.
BACK=20000000-0000-4000-8000-000000000001
FRONT=20000000-0000-4000-8000-000000000003
pam_conf "rules_file = $RULES"
for s in sshd login su cron; do
    pam_service "$s" "account required $PAM_MODULE config=$PD/lockcloud.conf"
done

rules() {
    printf '%s\n' "$@" >"$RULES"
    chmod 0644 "$RULES"
}

# --- per service -------------------------------------------------------
# sshd wants what login wants and more: an access to the front door.
rules "# the owner, anywhere" \
      "* ; avery ; allow" \
      "sshd ; * ; $CURRENT   access=lock:$FRONT" \
      "login|su ; * ; $CURRENT"
pam_expect login casey ok "login: current guest casey allowed (line 4)"
pam_logline | grep -Eq "^<6>user=casey service=login rule=$RULES:4 result=allow "
ok $? "the decision line names the line applied: rule=FILE:4"
pam_expect sshd casey "$E_PERM" "sshd: the same guest refused (no access to the front door)"
pam_logline | grep -Eq "^<5>user=casey service=sshd rule=$RULES:3 result=deny reason=\"no access to this door now\" source=online "
ok $? "sshd's deny names line 3 and the requirement that failed"
printf '%s\n' "$PAM_OUT" | grep -q 'lockcloud: access denied: no access to this door now'
ok $? "the user is told which requirement failed"
rules "sshd ; * ; $CURRENT access=lock:$BACK" "login|su ; * ; $CURRENT"
pam_expect sshd casey ok "sshd: with the back door required instead, casey is allowed"
rules "* ; avery ; allow" "sshd ; * ; $CURRENT access=lock:$FRONT" "login|su ; * ; $CURRENT"
pam_expect cron casey "$E_PERM" "cron: no line for the service: refused"
pam_logline | grep -Eq '^<5>user=casey service=cron rule=none result=deny reason="no line of the rules file matches" source=local '
ok $? "no matching line: deny logged at LOG_NOTICE, rule=none, before any request"
printf '%s\n' "$PAM_OUT" | grep -q 'lockcloud: access denied: no rule admits this login'
ok $? "the user is told no rule admits the login"
pam_expect sshd avery ok "sshd: avery, on the 'allow' line, allowed"
pam_logline | grep -q "rule=$RULES:1 result=allow"
ok $? "the decision names line 1"
pam_expect su eli "$E_PERM" "su: expired guest eli refused by the requirement of line 3"
pam_logline | grep -q "rule=$RULES:3 result=deny reason=\"your stay ended on 2026-"
ok $? "the requirement's own reason is logged with the line"
pam_expect login nobody "$E_USER" "unmapped user stays user_unknown with rules_file"
rules "sshd ; * ; deny" "login ; * ; guest_current"
pam_expect sshd casey "$E_PERM" "'deny' refuses whoever matches"
pam_expect login casey ok "the legacy guest_current still reads as status=current"

# Exclusions: every service but sshd; every user but casey.
rules "!sshd ; !casey ; $CURRENT"
pam_expect login avery ok "'!sshd ; !casey': avery on login allowed"
pam_expect login casey "$E_PERM" "'!sshd ; !casey': casey excluded"
pam_expect sshd avery "$E_PERM" "'!sshd ; !casey': sshd excluded"

# --- groups ------------------------------------------------------------
# Only real accounts have groups: map root (a member of group root) and
# nobody (not a member) to current guests.
printf 'root %s\nnobody %s\n' "$CASEY_ID" "$AVERY_ID" >>"$PD/map"
rg=$(id -gn root 2>/dev/null)
ng=$(id -Gn nobody 2>/dev/null)
if [ "$rg" != root ] || printf '%s\n' $ng | grep -qx root; then
    echo "ok $((TAP_N += 1)) - # SKIP needs root in group root and nobody outside it"
else
    rules "sshd ; @root ; $CURRENT"
    pam_expect sshd root ok "'@root': a member of group root is allowed"
    pam_expect sshd nobody "$E_PERM" "'@root': nobody, not a member, matches no line"
    rules "sshd ; !@root ; $CURRENT"
    pam_expect sshd nobody ok "'!@root': nobody allowed"
    pam_expect sshd root "$E_PERM" "'!@root': root excluded"
    rules "sshd ; @root|!root ; $CURRENT"
    pam_expect sshd root "$E_PERM" "'@root|!root': root excluded from its own group"
    # A user the user database does not know cannot be placed in groups.
    pam_expect sshd casey "$E_SERVICE" "a @group line and an account NSS does not know: PAM_SERVICE_ERR"
    pam_syslog_lines | grep -q 'group lookup: no such user'
    ok $? "the group lookup failure is logged"
fi

# --- errors: every login refused as a configuration error ----------------
rules "sshd ; * ; $CURRENT" "login ;; $CURRENT"
pam_expect login casey "$E_SERVICE" "a bad line anywhere: PAM_SERVICE_ERR"
pam_syslog_lines | grep -q "$RULES:2: empty USERS field"
ok $? "the error names FILE:LINE and what"
pam_expect sshd casey "$E_SERVICE" "also for a service whose line is fine"
pam_expect login stranger "$E_SERVICE" "and for an unmapped user (the file is read before the map)"
rules "sshd ; * ; $CURRENT"
chmod 0664 "$RULES"
pam_expect sshd casey "$E_SERVICE" "a group-writable rules file: PAM_SERVICE_ERR"
ln -s "$RULES" "$PD/rules.link"
chmod 0644 "$RULES"
pam_conf "rules_file = $PD/rules.link"
pam_expect sshd casey "$E_SERVICE" "a rules file reached through a symlink: PAM_SERVICE_ERR"
pam_conf "rules_file = $RULES" "rule = guest_current"
pam_expect sshd casey "$E_SERVICE" "rule and rules_file together: PAM_SERVICE_ERR"
pam_syslog_lines | grep -q 'rule and rules_file exclude each other'
ok $? "the conflict is logged"
pam_conf "rules_file = $PD/absent"
pam_expect sshd casey "$E_SERVICE" "a missing rules file: PAM_SERVICE_ERR"

# A path that could forge a log field is shown with '?' in the rule field.
printf 'sshd ; * ; %s\n' "$CURRENT" >"$PD/x=y \"r"
chmod 0644 "$PD/x=y \"r"
pam_conf "rules_file = $PD/x=y \"r"
pam_expect sshd casey ok "a rules file whose name holds '=', a blank and a quote"
pam_logline | grep -q "service=sshd rule=$PD/x?y??r:1 result=allow "
ok $? "its name is logged with those replaced by '?'"

# --- without rules_file nothing changed ------------------------------------
pam_conf
pam_expect sshd casey ok "no rules_file: rule = guest_current for every service, as before"
pam_logline | grep -q 'rule=guest_current result=allow'
ok $? "and the rule is logged by name"
echo "1..$TAP_N"
