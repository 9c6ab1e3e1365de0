# Shared by the valgrind tests. Source it; it exits with a TAP skip when
# valgrind cannot judge this build (not installed, sanitized build, or debug
# info Debian 12's valgrind 3.19 cannot read, such as clang's DWARF 5).
#   vg_check NAME LOG CMD...   runs CMD under memcheck (definite leaks are
#                              errors), prints one TAP line via ok().
# Needs ok() from tests/lib/sim.sh.
if ! command -v valgrind >/dev/null 2>&1; then
    echo "ok 1 - # SKIP valgrind not installed"; exit 0
fi
if [ "${LC_SANITIZED:-0}" = 1 ]; then
    echo "ok 1 - # SKIP sanitized build (valgrind and ASan do not mix)"; exit 0
fi
if valgrind -q "$LC_BUILD/lockcloud-sim" --help 2>&1 >/dev/null |
        grep -Eq 'dwarf2 abbrev form|corrupted debuginfo'; then
    echo "ok 1 - # SKIP valgrind cannot read this build's debug info"; exit 0
fi

vg_check() {
    _name=$1 _log=$2; shift 2
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --log-file="$_log.vg" "$@" >"$_log" 2>&1
    _rc=$?
    if [ $_rc -eq 0 ] && [ ! -s "$_log.vg" ]; then
        ok 0 "$_name: passes under valgrind with no memory errors or definite leaks"
    else
        ok 1 "$_name: under valgrind (exit $_rc)"
        sed 's/^/# /' "$_log.vg" | head -n 40
        grep '^not ok' "$_log" | sed 's/^/# /' | head -n 10
    fi
}
