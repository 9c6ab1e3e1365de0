# Helpers for the lockcloud command's tests. Source after tests/lib/sim.sh
# and tests/pam/pamlib.sh (pam_init writes the credentials, pam_conf the
# configuration the command shares with the module):
#   cli_fixture FILE          the default fixture plus bulk persons (below)
#   cli_run ARGS...           runs lockcloud; sets CLI_RC, CLI_OUT, CLI_ERR
#   cli_no_secret "what"      ok when neither output holds the client secret
#   cli_clean "what"          ok when neither output holds ESC or a C1 control

CLI_BIN="$LC_BUILD/lockcloud"
SECRET=lockcloud-demo-secret

cli_prereqs() {
    [ -x "$CLI_BIN" ] || { echo "not ok 1 - $CLI_BIN not built (make cli)"; exit 1; }
}

# 120 access users g1..g120@example.org (g7's address in upper case), two
# persons sharing twin@example.org, one whose name and address hold
# terminal escapes, one deactivated: 126 listed by default with the
# fixture's own current and upcoming persons (3, @example.com).
cli_fixture() {
    _fx=$(dirname "$LC_SIM_BIN")/../sim/fixtures/default.json
    [ -f "$_fx" ] || _fx=$LC_TOP/sim/fixtures/default.json
    {
        i=1
        while [ $i -le 120 ]; do
            _mail="g$i@example.org"
            [ $i = 7 ] && _mail="G7@EXAMPLE.ORG"
            printf '    {"id": "4a000000-0000-4000-8000-%012d", "type": "access_user", "name": "Bulk %d", "email": "%s"},\n' $i $i "$_mail"
            i=$((i + 1))
        done
        printf '    {"id": "4a000000-0000-4000-8000-100000000001", "type": "access_user", "name": "Twin One", "email": "twin@example.org"},\n'
        printf '    {"id": "4a000000-0000-4000-8000-100000000002", "type": "access_user", "name": "Twin Two", "email": "twin@example.org"},\n'
        printf '    {"id": "4a000000-0000-4000-8000-100000000003", "type": "access_user", "name": "Evil\\u001b[31mRed\\u009b2J", "email": "evil\\u001b]0;pwn\\u0007@example.org"},\n'
        printf '    {"id": "4a000000-0000-4000-8000-100000000004", "type": "access_user", "name": "Gone", "email": "gone@example.org", "deactivated": true},\n'
    } >"$SIM_DIR/bulk.json"
    sed "/\"access_persons\": \[/r $SIM_DIR/bulk.json" "$_fx" >"$1"
}

cli_run() {
    "$CLI_BIN" "$@" >"$SIM_DIR/cli.out" 2>"$SIM_DIR/cli.err"
    CLI_RC=$?
    CLI_OUT=$(cat "$SIM_DIR/cli.out")
    CLI_ERR=$(cat "$SIM_DIR/cli.err")
}

cli_no_secret() {
    ! grep -q "$SECRET" "$SIM_DIR/cli.out" "$SIM_DIR/cli.err"
    ok $? "$1: the client secret is never printed"
}

# ESC (0x1b), BEL, and C1 controls as UTF-8 (0xc2 0x80..0x9f).
cli_clean() {
    ! LC_ALL=C grep -q "$(printf '[\033\007]')\|$(printf '\302')[$(printf '\200')-$(printf '\237')]" \
        "$SIM_DIR/cli.out" "$SIM_DIR/cli.err"
    ok $? "$1: no terminal escape or control reaches the terminal"
}

# Shows what the command said when a check failed.
cli_show() {
    echo "# rc=$CLI_RC"
    sed 's/^/#   out: /' "$SIM_DIR/cli.out" | head -n 20
    sed 's/^/#   err: /' "$SIM_DIR/cli.err" | head -n 20
}

# ok, and on failure what the command said.
okc() {
    ok "$1" "$2"
    [ "$1" -eq 0 ] || cli_show
}
