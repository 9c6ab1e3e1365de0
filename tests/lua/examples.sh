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

# The operator helpers' examples (lockcloud/rental.lua, watch.lua, csv.lua).
# On a sanitized build LeakSanitizer's tracer can crash at exit on a bogus
# dynamic-TLS range ("Tracer caught signal 11", seen with lua5.1 and one
# memory layout): that says nothing about the script, so it runs once more
# without the leak check (the suite's other parts still check leaks).
lua_run() {
    _out=$(mktemp "$SIM_DIR/ex.XXXXXX") _err=$(mktemp "$SIM_DIR/ex.XXXXXX")
    if [ -n "$LUA_PRELOAD" ]; then LD_PRELOAD="$LUA_PRELOAD" "$LUA" "$@"; else "$LUA" "$@"; fi >"$_out" 2>"$_err"
    _rc=$?
    if [ $_rc -ne 0 ] && grep -q '^Tracer caught signal' "$_err" &&
       ! grep -q 'LeakSanitizer: detected memory leaks' "$_err"; then
        echo "# $LUA $*: LeakSanitizer's tracer crashed at exit; running again without the leak check"
        LSAN_OPTIONS=detect_leaks=0 LD_PRELOAD="$LUA_PRELOAD" "$LUA" "$@" >"$_out" 2>"$_err"
        _rc=$?
    fi
    cat "$_out"; cat "$_err" >&2
    rm -f "$_out" "$_err"
    return $_rc
}
lua_run "$LC_TOP/examples/rental_stay.lua" >"$out" 2>"$err"
ok $? "rental_stay.lua exits 0"
grep -q '^1\. Checked in Robin Renter (PIN 3579), 2026-03-10T15:00:00 \.\. 2026-03-13T11:00:00, doors: Front Door, Pool Gate$' "$out"
ok $? "rental_stay: checks the guest in with two doors"
grep -q '^2\. Extended by 2 days (America/Denver): now ends 2026-03-15T11:00:00$' "$out"; ok $? "rental_stay: extends in the location's zone"
grep -q '^3\. Checked out Robin Renter: status deactivated, 2 access(es) revoked$' "$out"; ok $? "rental_stay: checks out"
grep -q "^4\. A typo in a door name: lockcloud: not-found: no device is named 'Front Dor' (did you mean 'Front Door'" "$out"
ok $? "rental_stay: a door typo names the near miss"
[ ! -s "$err" ]; ok $? "rental_stay.lua: nothing on stderr"
sed 's/^/# /' "$err"

lua_run "$LC_TOP/examples/import_staff.lua" >"$out" 2>"$err"
ok $? "import_staff.lua exits 0"
grep -q '^created Lee, Sam (Housekeeping), PIN 4101: Front Door, Pool Gate$' "$out"; ok $? "import_staff: a quoted comma in a name"
grep -q '^created Ann "AJ" Jones (Maintenance), PIN 4102: Front Door, Pool Gate, Lodge Entrance$' "$out"; ok $? "import_staff: doubled quotes, three doors"
grep -q '^created Priya Patel (Front desk, nights), PIN 4103: Front Door$' "$out"; ok $? "import_staff: a quoted comma in a department"
grep -q '^created 3, skipped 0, failed 0 (of 3 records)$' "$out"; ok $? "import_staff: 3 records (one spans two lines)"
lua_run "$LC_TOP/examples/import_staff.lua" >"$out" 2>"$err"
grep -q '^created 0, skipped 3, failed 0 (of 3 records)$' "$out"; ok $? "import_staff: a second run skips everyone"
printf 'name,pin,doors\r\nBad Door,4199,Front Door;Back Door\r\n' >"$SIM_DIR/bad.csv"
lua_run "$LC_TOP/examples/import_staff.lua" "$SIM_DIR/bad.csv" >"$out" 2>"$err"
[ $? -eq 1 ] && grep -q "record 1 (Bad Door): importing: lockcloud: not-found: no device is named 'Back Door'" "$out"
ok $? "import_staff: an unknown door fails that record, exit 1"
printf 'name,pin\r\n"open,4199\r\n' >"$SIM_DIR/bad.csv"
lua_run "$LC_TOP/examples/import_staff.lua" "$SIM_DIR/bad.csv" >"$out" 2>"$err"
[ $? -eq 1 ] && grep -q 'CSV line 2: a quoted field is not closed' "$err"; ok $? "import_staff: malformed CSV names the line"
lua_run "$LC_TOP/examples/import_staff.lua" --remove >"$out" 2>"$err"
grep -q '^removed 3, skipped 0, failed 0' "$out"; ok $? "import_staff --remove tidies up"

lua_run "$LC_TOP/examples/unlock_by_name.lua" "pool gate" >"$out" 2>"$err"
[ $? -eq 0 ] && grep -q '^Pool Gate is unlocked$' "$out"; ok $? "unlock_by_name.lua unlocks the Pool Gate by name"
lua_run "$LC_TOP/examples/unlock_by_name.lua" "Back Door" >"$out" 2>"$err"
[ $? -eq 1 ] && grep -q "not-found: no device is named 'Back Door'" "$err"; ok $? "unlock_by_name.lua: no such door, exit 1"

lua_run "$LC_TOP/examples/attention_report.lua" >"$out" 2>"$err"
[ $? -eq 0 ] && grep -q '^All locks are fine (battery threshold 20%)\.$' "$out"; ok $? "attention_report.lua: all fine, exit 0"
lua_run "$LC_TOP/examples/attention_report.lua" 70 >"$out" 2>"$err"
[ $? -eq 3 ] && grep -Eq '^  Pool Gate +Harbor View +battery at 60% \(below 70%\)$' "$out"; ok $? "attention_report.lua 70: the Pool Gate, exit 3"

cursor="$LC_TEST_TMP/cursor.json"
lua_run "$LC_TOP/examples/watch_events.lua" "$cursor" 1 0.1 >"$out" 2>"$err"
[ $? -eq 0 ] && grep -q '^watching from now$' "$out" && [ -s "$cursor" ]; ok $? "watch_events.lua: a first run saves where now is"
lua_run "$LC_TOP/examples/unlock_by_name.lua" "Front Door" >/dev/null 2>&1
lua_run "$LC_TOP/examples/unlock_by_name.lua" "Lodge Entrance" >/dev/null 2>&1
lua_run "$LC_TOP/examples/watch_events.lua" "$cursor" 2 0.2 >"$out" 2>"$err"
[ $? -eq 0 ] && [ "$(grep -c '_event on ' "$out")" -eq 2 ] && grep -q 'unlocked_event on Front Door$' "$out" &&
    grep -q 'unlocked_event on Lodge Entrance$' "$out"
ok $? "watch_events.lua: the next run hands out the two new events"
grep -q '(watching)' "$err"; ok $? "watch_events.lua: the other task ran while the watcher slept"
lua_run "$LC_TOP/examples/watch_events.lua" "$cursor" 1 0.1 >"$out" 2>"$err"
[ $? -eq 0 ] && grep -q '^resuming after ' "$out" && ! grep -q '_event on ' "$out"
ok $? "watch_events.lua: resumed again, nothing is handed out twice"
rm -f "$cursor"
