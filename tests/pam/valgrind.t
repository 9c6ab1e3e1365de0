#!/bin/sh
# The module under valgrind (memcheck, definite leaks are errors) through
# pamtester + pam_wrapper: allow, deny, unknown user, 404, fault, timeout,
# config error. Complements `make sanitize` in the ordinary build.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
. "$LC_TOP/tests/lib/valgrind.sh"
# pam_wrapper keeps its service copies in /tmp/pam.X and, under valgrind,
# does not remove them at exit: remove the ones this test's pamtester runs
# left (new since the start, their pid gone), never another run's.
pam_dirs_before=$(ls -d /tmp/pam.? 2>/dev/null)
pam_wrapper_tidy() {
    for _d in /tmp/pam.?; do
        [ -d "$_d" ] || continue
        case " $(echo $pam_dirs_before) " in *" $_d "*) continue ;; esac
        _p=$(cat "$_d/pid" 2>/dev/null)
        [ -n "$_p" ] && kill -0 "$_p" 2>/dev/null && continue
        rm -rf "$_d"
    done
}
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
pam_conf "timeout = 60"   # a budget, not an assertion: valgrind on a loaded machine is slow
CONF=$PD/bad.conf pam_conf "colour = blue"
pam_service lc "account required $PAM_MODULE config=$PD/lockcloud.conf"
pam_service bad "account required $PAM_MODULE config=$PD/bad.conf"

# vg SERVICE USER WANT DESCRIPTION: like pam_expect, under valgrind.
vg() {
    PAM_OUT=$(PAM_WRAPPER=1 PAM_WRAPPER_DISABLE_DEEPBIND=1 PAM_WRAPPER_SERVICE_DIR="$PD/services" \
        LD_PRELOAD="$PAM_WRAPPER_LIB" valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
        --error-exitcode=99 pamtester "$1" "$2" acct_mgmt 2>&1)
    PAM_RC=$?
    if [ "$3" = ok ]; then [ "$PAM_RC" -eq 0 ]; else
        [ "$PAM_RC" -ne 99 ] && [ "$PAM_RC" -ne 0 ] && printf '%s\n' "$PAM_OUT" | grep -q "^pamtester: $3\$"
    fi
    _r=$?
    printf '%s\n' "$PAM_OUT" | grep -q '^==[0-9]*==' && _r=1
    ok $_r "valgrind clean: $4"
    [ $_r -eq 0 ] || printf '%s\n' "$PAM_OUT" | sed 's/^/#   /' | head -n 60
}

# Debian 12's valgrind 3.19 cannot read clang's DWARF 5 (forms strx/addrx);
# that is a tool limit, not a finding: skip with the reason.
vg_probe=$(PAM_WRAPPER=1 PAM_WRAPPER_DISABLE_DEEPBIND=1 PAM_WRAPPER_SERVICE_DIR="$PD/services" \
    LD_PRELOAD="$PAM_WRAPPER_LIB" valgrind -q pamtester lc nobody acct_mgmt 2>&1)
if printf '%s\n' "$vg_probe" | grep -Eq 'unhandled dwarf2 abbrev form|Possibly corrupted debuginfo'; then
    echo "ok 1 - # SKIP this valgrind cannot read the module's debug info (clang DWARF 5)"
    pam_wrapper_tidy
    exit 0
fi

vg lc casey ok "current guest allowed"
vg lc eli "$E_PERM" "expired guest denied"
vg lc nobody "$E_USER" "unmapped user"
vg lc ghost "$E_PERM" "404 person"
sim_ctl /_sim/fault '{"kind":"status","status":500,"count":5,"path":"/access_persons"}' >/dev/null
vg lc casey "$E_UNAVAIL" "5xx fault"
sim_ctl /_sim/reset >/dev/null
sim_ctl /_sim/fault '{"kind":"malformed","count":5,"path":"/access_persons"}' >/dev/null
vg lc casey "$E_UNAVAIL" "malformed body"
sim_ctl /_sim/reset >/dev/null
vg bad casey "$E_SERVICE" "config error"
sim_stop
vg lc casey "$E_UNAVAIL" "simulator gone"
pam_wrapper_tidy
left=$(for _d in /tmp/pam.?; do [ -d "$_d" ] || continue
    case " $(echo $pam_dirs_before) " in *" $_d "*) ;; *) echo "$_d" ;; esac; done)
[ -z "$left" ]; ok $? "no pam_wrapper directory left in /tmp${left:+ (left: $(echo $left))}"

echo "1..$TAP_N"
