#!/bin/sh
# lockcloud sweep against python-dbusmock's logind on a private bus and the
# simulator: which sessions end (a deny on the session's own service) and
# which never do (allow, unmapped, root, system accounts, non-login
# classes, outages), one decision per user and service, --dry-run, --json,
# logind unreachable, failmode cached during an outage, the usage errors,
# and the shipped units installed with the command.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
. "$LC_TOP/tests/cli/clilib.sh"
. "$LC_TOP/tests/cli/logindlib.sh"
cli_prereqs
logind_prereqs
trap 'logind_stop; _sim_cleanup' EXIT
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
# casey holds an access to the back door, not to the front door
# (sim/fixtures/default.json): sshd refuses her, login lets her in.
FRONT=20000000-0000-4000-8000-000000000003
RULES="$PD/lockcloud.rules"
printf 'sshd ; * ; status=current access=lock:%s\n* ; * ; status=current\n' "$FRONT" >"$RULES"
chmod 0644 "$RULES"
# root and a system account mapped to the expired guest: only the uid rule
# keeps their sessions.
printf 'root %s\nsysacct %s\n' "$ELI_ID" "$ELI_ID" >>"$PD/map"
pam_conf "rules_file = $RULES" "token_file = $PD/token"
C="--config $PD/lockcloud.conf"
logind_start || { echo "not ok 1 - a private bus with dbusmock's logind did not start"; exit 1; }

ESC=$(printf '\033')
logind add 1 1001 casey login &&          # current guest, login line: stays
logind add 2 1001 casey sshd &&           # the same guest on sshd (front door): ends
logind add 3 1002 eli login &&            # expired guest: ends
logind add 4 1003 stranger login &&       # unmapped: stays
logind add 5 0 root login &&              # root: never decided
logind add 6 999 sysacct login &&         # a system account: never decided
logind add 7 1002 eli gdm-greeter greeter && # not a login session: never decided
logind add 8 1001 casey login &&          # casey's second login: the same decision
logind add 9 1005 "x${ESC}]0;pwn" "login${ESC}[2J"   # hostile strings, unmapped
ok $? "nine sessions added to the mock logind"

# ended: the ids TerminateSession was called with, sorted, on one line.
ended() { logind ended | sort | tr '\n' ' '; }
# person_gets: GET /access_persons/<uuid> requests so far.
person_gets() {
    sim_ctl_get /_sim/requests | grep -o '"method":"GET","path":"/access_persons/[0-9a-f-]*"' | wc -l
}
sim_ctl_get() { curl -sS --fail --cacert "$SIM_CA" "$SIM_URL$1"; }
# field SESSION KEY: KEY=value of the session's line in the text output.
field() {
    printf '%s\n' "$CLI_OUT" | grep "^session=$1 " | sed -n "s/.* $2=\([^ ]*\).*/\1/p"
}

# --- --dry-run -----------------------------------------------------------
cli_run sweep $C --dry-run
[ "$CLI_RC" = 0 ] && [ -z "$(ended)" ]
okc $? "--dry-run: exit 0, TerminateSession never called"
[ "$(field 2 action)" = would_end ] && [ "$(field 3 action)" = would_end ] &&
    [ "$(printf '%s\n' "$CLI_OUT" | grep -c 'action=would_end')" = 2 ]
okc $? "--dry-run: says it would end sessions 2 (casey on sshd) and 3 (expired eli), no other"
printf '%s\n' "$CLI_OUT" | grep -q '^sessions seen 9: would end 2, undecided 0 (dry run, nothing ended)$'
okc $? "--dry-run: the summary counts 9 sessions, 2 to end"

# --- the sweep -----------------------------------------------------------
logind clear
before=$(person_gets)
cli_run sweep $C
[ "$CLI_RC" = 0 ] && [ "$(ended)" = "2 3 " ]
okc $? "sweep: exit 0, TerminateSession called for sessions 2 and 3 only (got: $(ended))"
[ "$(field 1 decision)" = allow ] && [ "$(field 1 action)" = kept ] &&
    [ "$(field 8 action)" = kept ] && [ "$(field 2 decision)" = deny ]
okc $? "a user with two services: the login sessions stay, the sshd one ends"
printf '%s\n' "$CLI_OUT" | grep '^session=2 ' | grep -q 'reason="no access to this door now"' &&
    printf '%s\n' "$CLI_OUT" | grep '^session=3 ' | grep -q 'reason="your stay ended on 2026-'
okc $? "each ended session says why (the failing requirement, the end of the stay)"
[ "$(field 4 decision)" = unmapped ] && [ "$(field 4 action)" = kept ]
okc $? "an unmapped user's session stays"
[ "$(field 5 action)" = skipped ] && [ "$(field 5 decision)" = - ] &&
    printf '%s\n' "$CLI_OUT" | grep '^session=5 ' | grep -q 'reason="root"'
okc $? "root's session is never decided (mapped to an expired guest)"
[ "$(field 6 action)" = skipped ] && printf '%s\n' "$CLI_OUT" | grep '^session=6 ' | grep -q 'reason="system account"'
okc $? "a system account (uid 999) is never decided"
[ "$(field 7 action)" = skipped ] && printf '%s\n' "$CLI_OUT" | grep '^session=7 ' | grep -q 'class=greeter'
okc $? "a greeter session of the expired guest's uid is not a login: never decided"
n=$(($(person_gets) - before))
[ "$n" = 3 ]
okc $? "one decision per user and service: 3 person requests (casey login, casey sshd, eli login), got $n"
printf '%s\n' "$CLI_OUT" | grep -q '^sessions seen 9: ended 2, failed 0, undecided 0$'
okc $? "the summary counts 2 ended"
cli_clean "sweep (a session with escapes in its user and service)"
cli_no_secret "sweep"

# --- --json --------------------------------------------------------------
logind clear
cli_run sweep $C --json
printf '%s\n' "$CLI_OUT" | "$LOGIND_PY" -c '
import json, sys
d = json.load(sys.stdin)
s = {x["session"]: x for x in d["sessions"]}
assert d["dry_run"] is False and d["sessions_seen"] == 9 and d["ended"] == 2 and d["failed"] == 0
assert [k for k in sorted(s) if s[k]["action"] == "ended"] == ["2", "3"]
assert s["2"]["decision"] == "deny" and s["2"]["service"] == "sshd" and s["2"]["source"] == "online"
assert s["1"]["decision"] == "allow" and s["1"]["action"] == "kept" and s["1"]["uid"] == 1001
assert s["4"]["decision"] == "unmapped" and s["5"]["decision"] is None and s["5"]["action"] == "skipped"
assert s["9"]["user"] == "x??0?pwn" and s["9"]["service"] == "login??2J"
' 2>"$SIM_DIR/json.err" && [ "$CLI_RC" = 0 ] && [ "$(printf '%s\n' "$CLI_OUT" | wc -l)" = 1 ] &&
    [ "$(ended)" = "2 3 " ]
okc $? "--json: one document (sessions seen, each decision and action, names sanitised); 2 and 3 ended"
[ -s "$SIM_DIR/json.err" ] && sed 's/^/#   /' "$SIM_DIR/json.err" | tail -n 3
logind clear
cli_run sweep $C --json --dry-run
printf '%s\n' "$CLI_OUT" | grep -q '^{"dry_run":true,"sessions_seen":9,"would_end":2,"failed":0,"undecided":0,"sessions":\[' &&
    [ -z "$(ended)" ]
okc $? "--json --dry-run: would_end 2, nothing ended"

# --- the cloud out: nothing ends, exit 1 -----------------------------------
logind clear
sim_ctl /_sim/fault '{"kind":"status","status":503,"count":100}' >/dev/null
cli_run sweep $C
[ "$CLI_RC" = 1 ] && [ -z "$(ended)" ] && [ "$(field 3 decision)" = outage ] &&
    [ "$(field 3 action)" = kept ] &&
    printf '%s\n' "$CLI_OUT" | grep -q '^sessions seen 9: ended 0, failed 0, undecided 4$'
okc $? "the API answering 503: exit 1, no session ended, the 4 decided sessions (3 decisions) undecided"
curl -sS --cacert "$SIM_CA" -X DELETE "$SIM_URL/_sim/fault" >/dev/null

# failmode cached: a deny decided online stands in offline, but ends nothing.
mkdir -m 0700 "$PD/cache"
pam_conf "rules_file = $RULES" "token_file = $PD/token" "cache_dir = $PD/cache" \
    "failmode = cached" "cache_ttl = 0" "cache_negative_ttl = 0"
logind clear
cli_run sweep $C
[ "$CLI_RC" = 0 ] && [ "$(ended)" = "2 3 " ]
okc $? "failmode cached, cloud up: sessions 2 and 3 ended (decisions stored)"
sim_stop
logind clear
cli_run sweep $C --json
printf '%s\n' "$CLI_OUT" | "$LOGIND_PY" -c '
import json, sys
d = json.load(sys.stdin)
s = {x["session"]: x for x in d["sessions"]}
assert s["3"]["decision"] == "deny" and s["3"]["source"] == "offline" and s["3"]["action"] == "kept"
assert s["2"]["source"] == "offline" and s["2"]["action"] == "kept" and d["undecided"] >= 2, d["undecided"]
' && [ "$CLI_RC" = 1 ] && [ -z "$(ended)" ]
okc $? "cloud stopped, failmode cached: the stored deny stands in (source offline) but ends nothing; exit 1"
pam_conf "rules_file = $RULES" "token_file = $PD/token"
logind clear
cli_run sweep $C
[ "$CLI_RC" = 1 ] && [ -z "$(ended)" ] && printf '%s\n' "$CLI_ERR" | grep -q "sweep: "
okc $? "simulator stopped, failmode secure: exit 1, nothing ended, the outage said on stderr"

# --- logind unreachable --------------------------------------------------
bus=$DBUS_SYSTEM_BUS_ADDRESS
DBUS_SYSTEM_BUS_ADDRESS="unix:path=$SIM_DIR/no-bus"
cli_run sweep $C
DBUS_SYSTEM_BUS_ADDRESS=$bus
[ "$CLI_RC" = 1 ] && printf '%s\n' "$CLI_ERR" | grep -q '^lockcloud: sweep: logind is unreachable: ' &&
    [ -z "$CLI_OUT" ]
okc $? "no system bus: exit 1, 'logind is unreachable'"
kill "$LOGIND_MOCK_PID" && wait "$LOGIND_MOCK_PID" 2>/dev/null
LOGIND_MOCK_PID=
cli_run sweep $C
[ "$CLI_RC" = 1 ] && printf '%s\n' "$CLI_ERR" | grep -q 'logind is unreachable: .*ListSessions'
okc $? "a bus without logind: exit 1, 'logind is unreachable'"

# --- usage and configuration ---------------------------------------------
cli_run sweep --config "$PD/missing.conf"
[ "$CLI_RC" = 2 ]
okc $? "a missing configuration: exit 2"
cli_run sweep $C --bogus
[ "$CLI_RC" = 2 ] && printf '%s\n' "$CLI_ERR" | grep -q 'usage: lockcloud sweep'
okc $? "an unknown option: exit 2 with the usage"
cli_run sweep $C extra
[ "$CLI_RC" = 2 ]
okc $? "an argument: exit 2"

# --- sd-bus is the command's alone ----------------------------------------
needed() { objdump -p "$1" 2>/dev/null | sed -n 's/^ *NEEDED *//p'; }
needed "$CLI_BIN" | grep -q '^libsystemd\.so' &&
    ! needed "$LC_BUILD/pam_lockcloud.so" | grep -q systemd && [ -n "$(needed "$LC_BUILD/pam_lockcloud.so")" ]
ok $? "the command links libsystemd; the PAM module does not"

# --- the shipped units -----------------------------------------------------
cd "$LC_TOP" || exit 1
stage="$SIM_DIR/stage"
if [ -n "${LC_SANITIZED:-}" ]; then
    set -- BUILD="$LC_BUILD" OPT="$LC_SAN_OPT" SAN_FLAGS="$LC_SAN_FLAGS"
else
    set -- BUILD="$LC_BUILD"
fi
unit="$stage/opt/lc/lib/systemd/system/lockcloud-sweep.service"
make -s "$@" PREFIX=/opt/lc DESTDIR="$stage" install-cli >"$SIM_DIR/install.log" 2>&1 && grep -qx 'ExecStart=/opt/lc/sbin/lockcloud sweep' "$unit" &&
    grep -qx 'ReadWritePaths=/opt/lc/var/lib/lockcloud' "$unit" &&
    [ -f "$stage/opt/lc/lib/systemd/system/lockcloud-sweep.timer" ] &&
    [ "$(stat -c %a "$unit")" = 644 ]
ok $? "install-cli PREFIX=/opt/lc: the units in lib/systemd/system, ExecStart and ReadWritePaths follow SBINDIR and STATEDIR"
grep -q '^\.I /opt/lc/lib/systemd/system/lockcloud\\-sweep\.timer$' "$stage/opt/lc/share/man/man1/lockcloud.1"
ok $? "the installed man page names the installed unit directory"
[ -z "$(find "$stage" -path '*.wants*')" ]
ok $? "the timer is installed, not enabled (no .wants link)"
if command -v systemd-analyze >/dev/null 2>&1; then
    # verify wants the ExecStart binary to exist: point it at the build.
    mkdir -p "$SIM_DIR/units"
    sed "s|^ExecStart=[^ ]*|ExecStart=$LC_BUILD/lockcloud|" "$unit" >"$SIM_DIR/units/lockcloud-sweep.service"
    cp "$stage/opt/lc/lib/systemd/system/lockcloud-sweep.timer" "$SIM_DIR/units/"
    w=$(cd "$SIM_DIR/units" && timeout 30 systemd-analyze verify --man=no \
        ./lockcloud-sweep.service ./lockcloud-sweep.timer 2>&1)
    [ $? -eq 0 ] && [ -z "$w" ]
    ok $? "systemd-analyze verify: both units are clean${w:+ ($w)}"
else
    echo "ok $((TAP_N += 1)) - # SKIP systemd-analyze not installed"
fi
make -s "$@" PREFIX=/opt/lc DESTDIR="$stage" uninstall-cli >>"$SIM_DIR/install.log" 2>&1
[ -z "$(find "$stage" -mindepth 1 2>/dev/null)" ]
ok $? "uninstall-cli removes the units and their directories"

echo "1..$TAP_N"
