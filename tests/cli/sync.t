#!/bin/sh
# lockcloud sync against the simulator: the index it writes (0600, in a
# private directory, atomically replaced), its counts over three pages,
# ambiguous users reported, misfits skipped, --dry-run, the refusals and
# their exit codes.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
. "$LC_TOP/tests/cli/clilib.sh"
cli_prereqs
cli_fixture "$SIM_DIR/fixture.json"
sim_start --fixture "$SIM_DIR/fixture.json" || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
STATE="$PD/state"
mkdir -m 0700 "$STATE"
INDEX="$STATE/identity.index"
C="--config $PD/lockcloud.conf"
pam_conf "identity = email:%u@Example.org" "index_file = $INDEX"

cli_run sync $C --dry-run
[ "$CLI_RC" = 0 ] && [ ! -e "$INDEX" ] &&
    printf '%s\n' "$CLI_OUT" | grep -q "dry run, not written"
okc $? "--dry-run: counts, nothing written"
printf '%s\n' "$CLI_ERR" | grep -q "current index: .*No such file.*run lockcloud sync"
okc $? "--dry-run: says the index is missing"

cli_run sync $C
[ "$CLI_RC" = 0 ] && [ -f "$INDEX" ]
okc $? "sync: exit 0, index written"
printf '%s\n' "$CLI_OUT" | grep -q "^persons seen 130, skipped 7; users mapped 121, ambiguous 1; wrote $INDEX\$"
okc $? "sync: 130 persons of every status, 7 skipped (other domain, escapes), 121 mapped (an expired guest too), 1 ambiguous"
printf '%s\n' "$CLI_ERR" | grep -q "user twin is ambiguous.* 4a000000-0000-4000-8000-100000000001 4a000000-0000-4000-8000-100000000002\$"
okc $? "sync: the ambiguous user is reported with both persons"
[ "$(stat -c '%a %u' "$INDEX")" = "600 $(id -u)" ]
ok $? "index: mode 0600, ours"
[ "$(stat -c %s "$INDEX")" = $((320 + 122 * 132)) ]
ok $? "index: header plus 122 records (121 users and the ambiguous one)"
LC_ALL=C grep -q "g7" "$INDEX" && ! LC_ALL=C grep -q "G7" "$INDEX"
ok $? "index: an upper-case address maps to the lower-case user"
ls "$STATE" | grep -q tmp
ok $((! $?)) "no temp file left beside it"
cli_clean "sync"
cli_no_secret "sync"

ino=$(stat -c %i "$INDEX")
cli_run sync $C --dry-run
printf '%s\n' "$CLI_OUT" | grep -q "^current index: 122 users, built [0-9-]*T[0-9:]*Z\$"
okc $? "--dry-run: reports the current index, its users and age"
cli_run sync $C
[ "$CLI_RC" = 0 ] && [ "$(stat -c %i "$INDEX")" != "$ino" ]
okc $? "sync again: the index is replaced by rename (new inode)"

cli_run sync $C --json --dry-run
[ "$CLI_RC" = 0 ] && [ "$(printf '%s\n' "$CLI_OUT" | wc -l)" = 1 ] &&
    printf '%s\n' "$CLI_OUT" | grep -q '^{"persons_seen":130,"skipped":7,"mapped":121,"ambiguous":\[{"user":"twin","ids":\["4a000000-0000-4000-8000-100000000001","4a000000-0000-4000-8000-100000000002"\]}\],"index_file":"[^"]*/identity.index","written":false,"current_index":{"users":122,"built_at":"[0-9-]*T[0-9:]*Z","stale":false}}$' &&
    [ -z "$CLI_ERR" ]
okc $? "--json --dry-run: one document with the counts, the ambiguous user and its ids, the current index"

pam_conf "identity = email:%u@example.com" "index_file = $INDEX"
cli_run sync $C --dry-run
printf '%s\n' "$CLI_ERR" | grep -q "built for another identity pattern"
okc $? "another pattern configured: the current index is reported as built for another"
printf '%s\n' "$CLI_OUT" | grep -q "^persons seen 130, skipped 124; users mapped 6, ambiguous 0;"
okc $? "--dry-run with the other pattern: 6 would be mapped (expired and deactivated guests too)"

pam_conf "identity = email:%u@example.org" "index_file = $INDEX"
chmod 0750 "$STATE"
cli_run sync $C
[ "$CLI_RC" = 1 ] && printf '%s\n' "$CLI_ERR" | grep -q "not private to its owner"
okc $? "a directory others can enter: sync refuses, exit 1"
chmod 0700 "$STATE"

pam_conf
cli_run sync $C
[ "$CLI_RC" = 2 ] && printf '%s\n' "$CLI_ERR" | grep -q "sets no identity"
okc $? "no identity configured: exit 2"
pam_conf "identity = email:%u@example.org"
cli_run sync $C
[ "$CLI_RC" = 2 ] && printf '%s\n' "$CLI_ERR" | grep -q "identity needs index_file"
okc $? "identity without index_file: configuration error, exit 2"
pam_conf "identity = email:%u%u" "index_file = $INDEX"
cli_run sync $C
[ "$CLI_RC" = 2 ]
okc $? "a pattern with two %u: exit 2"
pam_conf "identity = email:%u@example.org" "index_file = $INDEX"
cli_run sync --bogus $C
[ "$CLI_RC" = 2 ]
okc $? "an unknown option: exit 2"

sim_ctl /_sim/fault '{"kind":"status","status":500,"count":10,"path":"/access_persons"}' >/dev/null
before=$(stat -c %i "$INDEX")
cli_run sync $C
[ "$CLI_RC" = 1 ] && [ "$(stat -c %i "$INDEX")" = "$before" ]
okc $? "the API failing mid-walk: exit 1, the old index left as it was"
cli_no_secret "failed sync"

echo "1..$TAP_N"
