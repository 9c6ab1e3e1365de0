# Part of the Lua suite (sourced by tests/lua/suite.sh, simulator running,
# interpreter chosen): the example scripts run against the simulator (the
# demo's script among them) and fail loudly when the service is unreachable.
out="$SIM_DIR/out" err="$SIM_DIR/err"

lua_run "$LC_TOP/examples/guest_lifecycle.lua" >"$out" 2>"$err"
ok $? "guest_lifecycle.lua exits 0"
grep -q '^1\. Locks (3):' "$out"; ok $? "lists the 3 locks"
grep -Eq '^2\. Created guest "Jordan Guest" \(id [0-9a-f-]+\), PIN 2468, stay 2026-03-10T00:00:00 \.\. 2026-03-12T11:00:00 \(America/Denver\), status current' "$out"
ok $? "creates the guest with PIN and stay window"
grep -q '^3\. Granted Jordan Guest access to Front Door' "$out"; ok $? "grants the Front Door"
grep -q '^4\. Unlocked Front Door: state is now unlocked' "$out"; ok $? "unlocks it"
grep -Eq '^5\. Event [0-9a-f-]+: unlocked_event at 2026-03-1' "$out"; ok $? "shows the unlock event"
grep -q 'notification .* was sent for it' "$out"; ok $? "finds the event's notification"
grep -q '^6\. Extended the stay: now 2026-03-10T00:00:00 \.\. 2026-03-14T11:00:00' "$out"; ok $? "extends the stay"
grep -q '^7\. Deactivated Jordan Guest: status deactivated' "$out"; ok $? "deactivates the guest"
[ ! -s "$err" ]; ok $? "nothing on stderr"
sed 's/^/# /' "$err"

# Reachable through the source tree alone (no LUA_PATH / LUA_CPATH).
(cd "$LC_TOP" && env -u LUA_PATH -u LUA_CPATH LC_BUILD="$LC_BUILD" LD_PRELOAD="$LUA_PRELOAD" "$LUA" examples/guest_lifecycle.lua >/dev/null 2>"$err")
ok $? "runs from the source tree without LUA_PATH"

(SIM_URL=https://127.0.0.1:1; export SIM_URL; lua_run "$LC_TOP/examples/guest_lifecycle.lua") >"$out" 2>"$err"
[ $? -ne 0 ]; ok $? "unreachable service: non-zero exit"
grep -q '^error: .*lockcloud: transport' "$err"; ok $? "unreachable service: error printed"

(unset SIM_URL; lua_run "$LC_TOP/examples/guest_lifecycle.lua") >"$out" 2>"$err"
[ $? -eq 2 ] && grep -q usage "$err"; ok $? "without SIM_URL: usage and exit 2"

lua_run "$LC_TOP/examples/react_to_events.lua" 2 0.2 >"$out" 2>"$err"
ok $? "react_to_events.lua exits 0"
grep -q 'Pool Gate was unlocked .*locking it again' "$out"; ok $? "reacts to the unlock"
grep -q -- '-> Pool Gate is locked' "$out"; ok $? "re-locks the Pool Gate"
grep -q 'locked_event on Pool Gate' "$out"; ok $? "sees its own lock event on the next poll"
sed 's/^/# /' "$err"

lua_run "$LC_TOP/examples/cleaning_schedule.lua" >"$out" 2>"$err"
ok $? "cleaning_schedule.lua exits 0"
grep -q '^1\. Access exception "Crew holidays": 2 date ranges' "$out"; ok $? "creates the access exception"
grep -q '^2\. Access schedule "Cleaning crew mornings": Mon 09:00-13:00' "$out"; ok $? "creates the access schedule"
grep -Eq '^3\. Robin Cleaner \(PIN 97531\) may open Front Door on that schedule' "$out"; ok $? "grants the door on the schedule"
grep -q '^4\. Robin Cleaner: Front Door, schedule Cleaning crew mornings' "$out"; ok $? "the access carries the schedule"
grep -q '^5\. Removed again (the schedule now answers HTTP 404)' "$out"; ok $? "tidies up"
[ ! -s "$err" ]; ok $? "cleaning_schedule.lua: nothing on stderr"
sed 's/^/# /' "$err"
lua_run "$LC_TOP/examples/cleaning_schedule.lua" >"$out" 2>"$err"; ok $? "cleaning_schedule.lua runs again (left nothing behind)"
