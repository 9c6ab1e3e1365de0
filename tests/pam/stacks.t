#!/bin/sh
# Every PAM stack documented in pam_lockcloud(8) and examples/pam/, run
# through real libpam (pamtester under pam_wrapper, the built module, the
# simulator) for every outcome of the module. The stacks are read from the
# man page (blocks after a `.\" stack: NAME` marker) and from the example
# files, and the expected result from the man page's matrix, so the
# documentation and this test cannot drift apart.
#
# "@include common-account" is pointed at a fake common-account
# (pam_permit.so), pam_lockcloud.so at the built module, the config at one
# per outcome, and the group lockcloud-exempt at the primary group of the
# user running the test (the "member"; "nobody" is the other user).
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
MAN="$LC_TOP/pam/pam_lockcloud.8"
EXD="$LC_TOP/examples/pam"
W="$SIM_DIR/stacks"
PD="$W/services"            # pam_run reads $PD/services
mkdir -p "$PD/services" "$W/blocks"
chmod 0700 "$W"

MEMBER=$(id -un) EXEMPT_GROUP=$(id -gn) OTHER=nobody
if [ "$MEMBER" = "$OTHER" ] || id -Gn "$OTHER" 2>/dev/null | tr ' ' '\n' | grep -qx "$EXEMPT_GROUP"; then
    echo "ok 1 - # SKIP needs a user other than $OTHER, and $OTHER outside group $EXEMPT_GROUP"
    exit 0
fi

# --- The documented stacks --------------------------------------------------
# Man page: each marked .nf/.fi block becomes blocks/man.N ("NAME" on line 1,
# then its stack lines). Stack lines outside a marked block are reported.
awk -v dir="$W/blocks" '
    /^\.\\" stack: / { name = $3; line = NR; next }
    /^\.nf/ && name != "" { f = dir "/man-line" line; print name > f; inblock = 1; next }
    /^\.fi/ && inblock { close(f); inblock = 0; name = ""; next }
    inblock && /^(account|@include)[ \t]/ { print > f; next }
    inblock && !/^#/ && !/^$/ { print "STRAY " FILENAME ": " $0 }
    /^(account|@include)[ \t]/ { print "UNMARKED " FILENAME ": " $0 }
' "$MAN" >"$W/extract.log"
[ ! -s "$W/extract.log" ]
ok $? "every stack line of the man page is in a marked block" || sed 's/^/# /' "$W/extract.log"

norm() { sed -e 's/[ \t][ \t]*/ /g' -e 's/ $//' "$@"; }

# Examples: each file that is not a script or README is one stack; it must be
# one of the man page's stacks (which gives its name), with nothing commented
# out (a commented stack line would escape this test).
for f in "$EXD"/*; do
    case $f in *.sh|*.md) continue ;; esac
    b=$(basename "$f")
    ! grep -Eq '^[[:space:]]*#[[:space:]]*(@include|(account|auth|session|password)[[:space:]]+([a-z]+|\[.*\])[[:space:]]+[^[:space:]]+\.so)' "$f"
    ok $? "examples/pam/$b: no commented-out stack line"
    grep -Ev '^[[:space:]]*(#|$)' "$f" | norm >"$W/ex.lines"
    ! grep -Evq '^(account|@include) ' "$W/ex.lines"
    ok $? "examples/pam/$b: only account and @include lines"
    name=
    for m in "$W"/blocks/man-line*; do
        if tail -n +2 "$m" | norm | cmp -s - "$W/ex.lines"; then name=$(head -n 1 "$m"); break; fi
    done
    [ -n "$name" ]
    ok $? "examples/pam/$b is a stack documented in pam_lockcloud(8) (${name:-none})"
    [ -n "$name" ] && { echo "$name"; cat "$W/ex.lines"; } >"$W/blocks/ex.$b"
done

# --- The matrix --------------------------------------------------------------
# The table after the `.\" matrix` marker: a header of column names, then
# one row per return code. Written as "CODE COLUMN allowed|refused" lines.
awk '
    /^\.\\" matrix/ { want = 1; next }
    want && /^\.TS/ { intab = 1; fmt = 1; next }
    intab && /^\.TE/ { exit }
    intab && fmt { if (/\.$/) fmt = 0; next }
    intab && /^_$/ { next }
    intab {
        n = split($0, c, "\t")
        if (!ncol) { ncol = n; for (i = 2; i <= n; i++) col[i] = c[i]; next }
        for (i = 2; i <= n; i++) print c[1], col[i], c[i]
    }
' "$MAN" >"$W/matrix"
[ "$(cut -d' ' -f1 "$W/matrix" | sort -u | wc -l)" -eq 6 ]
ok $? "the man page matrix has a row for each of the 6 outcomes"
blocks=$(ls "$W"/blocks/)
for b in $blocks; do
    name=$(head -n 1 "$W/blocks/$b")
    grep -Eq "^[A-Z_]+ $name(/[a-z]+)? (allowed|refused)\$" "$W/matrix"
    ok $? "$b: the matrix has a column for stack '$name'"
done

# --- Outcomes ----------------------------------------------------------------
# One configuration per return code; the map sends both test users to the
# person whose state gives that code.
printf 'client_id = lockcloud-demo-client\nclient_secret = lockcloud-demo-secret\n' >"$W/credentials"
chmod 0600 "$W/credentials"
outcome_conf() { # CODE PERSON_ID [extra config lines]
    _c=$1 _id=$2; shift 2
    printf '%s %s\n' "$MEMBER" "$_id" "$OTHER" "$_id" >"$W/map.$_c"
    [ -n "$_id" ] || echo "someone-else $CASEY_ID" >"$W/map.$_c"
    {
        printf 'api_url = %s\nauth_url = %s\ncafile = %s\n' "$SIM_URL" "$SIM_URL" "$SIM_CA"
        printf 'credentials_file = %s\nmap_file = %s\ntimeout = 5\n' "$W/credentials" "$W/map.$_c"
        for _l in "$@"; do echo "$_l"; done
    } >"$W/conf.$_c"
    chmod 0644 "$W/map.$_c" "$W/conf.$_c"
}
outcome_conf PAM_SUCCESS "$CASEY_ID"
outcome_conf PAM_PERM_DENIED "$ELI_ID"
outcome_conf PAM_USER_UNKNOWN ""
outcome_conf PAM_AUTHINFO_UNAVAIL "$CASEY_ID" "failmode = secure"
outcome_conf PAM_IGNORE "$CASEY_ID" "failmode = safe"
outcome_conf PAM_SERVICE_ERR "$CASEY_ID" "no_such_key = 1"
# The result= word of the module's decision line for each code.
logged_result() {
    case $1 in
        PAM_SUCCESS) echo allow ;; PAM_PERM_DENIED) echo deny ;;
        PAM_USER_UNKNOWN) echo user_unknown ;; PAM_AUTHINFO_UNAVAIL) echo unavailable ;;
        PAM_IGNORE) echo ignore ;; PAM_SERVICE_ERR) echo error ;;
    esac
}
outage() { sim_ctl /_sim/fault '{"kind":"status","status":503,"count":100000,"path":"/access_persons"}' >/dev/null; }

echo "account required $PAM_SECDIR/pam_permit.so" >"$W/common-account"
pam_service include-only "@include $W/common-account"
pam_run include-only lc-no-such-user
[ "$PAM_RC" -eq 0 ]
ok $? "@include common-account reaches the fake (pam_permit) common-account"

# A documented stack, made runnable for one outcome.
# libpam lower-cases service names, so the file name is lower case.
service_for() { # BLOCK CODE
    svc=$(echo "$1.$2" | tr 'A-Z' 'a-z')
    tail -n +2 "$W/blocks/$1" | sed \
        -e "s|^@include common-account\$|@include $W/common-account|" \
        -e "s| pam_lockcloud\.so | $PAM_MODULE |" \
        -e "s| config=/etc/security/lockcloud\.conf| config=$W/conf.$2|" \
        -e "s| ingroup lockcloud-exempt\$| ingroup $EXEMPT_GROUP|" >"$PD/services/$svc"
}

for code in $(cut -d' ' -f1 "$W/matrix" | uniq); do
    sim_ctl /_sim/reset >/dev/null
    case $code in PAM_AUTHINFO_UNAVAIL|PAM_IGNORE) outage ;; esac
    want_log=$(logged_result "$code")
    for b in $blocks; do
        name=$(head -n 1 "$W/blocks/$b")
        service_for "$b" "$code"
        grep "^$code $name[/ ]" "$W/matrix" | while read -r _ column want; do
            user=$OTHER
            case $column in */member) user=$MEMBER ;; esac
            pam_run "$svc" "$user"
            got=refused
            [ "$PAM_RC" -eq 0 ] && got=allowed
            line=$(pam_logline)
            # The module really returned CODE (or, for an exempt member, was skipped).
            case $column in
                */member) [ -z "$line" ] ;;
                *) printf '%s\n' "$line" | grep -q " result=$want_log " ;;
            esac
            r=$?
            [ "$got" = "$want" ] || r=1
            printf '%s\n' "$PAM_OUT" | grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:' && r=1
            ok $r "$b ($column) $code: $user $want (got $got)"
            [ $r -eq 0 ] || printf '%s\n' "$PAM_OUT" | sed 's/^/#   /'
            echo "$TAP_N" >"$W/tap_n"
        done
        # The loop ran in a subshell: carry its TAP count back.
        [ -f "$W/tap_n" ] && TAP_N=$(cat "$W/tap_n")
    done
done
sim_ctl /_sim/reset >/dev/null

echo "1..$TAP_N"
