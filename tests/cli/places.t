#!/bin/sh
# lockcloud sync writes the places file (pam/places_index.h) against the
# simulator's default fixture, with a door group made to span Denver and
# Berlin: access schedules only (not the other schedule types), the
# exception, every device, location and door group with its zones, 0600 and
# replaced atomically; the module's reader accepts what it wrote; --dry-run
# writes nothing; --json reports it; places_file alone (no identity) is
# enough; an unsafe directory is refused.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
. "$LC_TOP/tests/cli/clilib.sh"
cli_prereqs
FX=$(dirname "$LC_SIM_BIN")/../sim/fixtures/default.json
[ -f "$FX" ] || FX=$LC_TOP/sim/fixtures/default.json
# Lock 3 (Berlin) joins the Harbor View door group (Denver).
sed '/"items": \[/a\
    {"id": "f1000000-0000-4000-8000-0000000000b1", "door_group_id": "f0000000-0000-4000-8000-000000000001", "item_type": "lock", "item_id": "20000000-0000-4000-8000-000000000003"},' \
    "$FX" >"$SIM_DIR/fixture.json"
sim_start --fixture "$SIM_DIR/fixture.json" || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
mkdir -m 0700 "$PD/state"
PLACES="$PD/state/places.json"
C="--config $PD/lockcloud.conf"
pam_conf "places_file = $PLACES"

cli_run sync $C --dry-run
[ "$CLI_RC" = 0 ] && [ ! -e "$PLACES" ] &&
    printf '%s\n' "$CLI_OUT" | grep -q "^places: schedules 1, exceptions 1, places 11, unplaced 0; dry run, not written: $PLACES\$"
okc $? "--dry-run, places_file without identity: counts (1 access schedule of 5 schedules), nothing written"

cli_run sync $C
[ "$CLI_RC" = 0 ] && [ -f "$PLACES" ] &&
    printf '%s\n' "$CLI_OUT" | grep -q "^places: schedules 1, exceptions 1, places 11, unplaced 0; wrote $PLACES\$"
okc $? "sync: the places file written (7 lockable devices, 2 locations, 2 door groups)"
[ "$(stat -c '%a %u' "$PLACES")" = "600 $(id -u)" ]
ok $? "places file: mode 0600, ours"
grep -q '"schedules":\[{"type":"access_schedule","id":"c0000000-0000-4000-8000-000000000001","attributes":{' "$PLACES" &&
    ! grep -q 'auto_lock_schedule\|"links"' "$PLACES"
ok $? "only access schedules, kept without their links"
grep -q '"exceptions":\[{"type":"access_exception","id":"b0000000-0000-4000-8000-000000000001"' "$PLACES"
ok $? "the access exception"
grep -q '"lock:20000000-0000-4000-8000-000000000001":\["America/Denver"\]' "$PLACES" &&
    grep -q '"lock:20000000-0000-4000-8000-000000000003":\["Europe/Berlin"\]' "$PLACES" &&
    grep -q '"acs_door:20000000-0000-4000-8000-000000000010":\["Europe/Berlin"\]' "$PLACES" &&
    ! grep -q 'power_plug:\|thermostat:\|resort_lock:' "$PLACES"
ok $? "each lockable device under its own type with its location's zone; no plug, thermostat, resort lock"
grep -q '"location:10000000-0000-4000-8000-000000000002":\["Europe/Berlin"\]' "$PLACES"
ok $? "a location with its own zone"
grep -q '"door_group:f0000000-0000-4000-8000-000000000001":\["America/Denver","Europe/Berlin"\]' "$PLACES" &&
    grep -q '"door_group:f0000000-0000-4000-8000-000000000002":\["Europe/Berlin"\]' "$PLACES"
ok $? "a door group spanning two zones lists both, sorted; the other its one"
ls "$PD/state" | grep -q tmp
ok $((! $?)) "no temp file left beside it"

ino=$(stat -c %i "$PLACES")
cli_run sync $C --json
[ "$CLI_RC" = 0 ] && [ "$(printf '%s\n' "$CLI_OUT" | wc -l)" = 1 ] &&
    printf '%s\n' "$CLI_OUT" | grep -q '^{"places":{"schedules":1,"exceptions":1,"places":11,"unplaced":0,"places_file":"[^"]*/places.json","written":true}}$' &&
    [ "$(stat -c %i "$PLACES")" != "$ino" ]
okc $? "--json: one document with the places counts; the file replaced by rename"

pam_conf "identity = email:%u@example.com" "index_file = $PD/state/identity.index" "places_file = $PLACES"
cli_run sync $C
[ "$CLI_RC" = 0 ] && [ -f "$PD/state/identity.index" ] &&
    printf '%s\n' "$CLI_OUT" | grep -q "^places: .*wrote $PLACES\$" &&
    printf '%s\n' "$CLI_OUT" | grep -q "^persons seen .*wrote $PD/state/identity.index\$"
okc $? "identity and places_file: both written, both reported"

pam_conf "places_file = $PLACES"
chmod 0777 "$PD/state"
cli_run sync $C
[ "$CLI_RC" = 1 ] && printf '%s\n' "$CLI_ERR" | grep -q "places file.*not private to its owner"
okc $? "a directory others can write: sync refuses, exit 1"
chmod 0700 "$PD/state"
cli_no_secret "sync"
echo "1..$TAP_N"
