# Shell helpers for the Lua tests (source after tests/lib/sim.sh when a
# simulator is needed). Sets LUA (default lua5.4; LC_LUA overrides, e.g. for
# other Lua versions) and puts tests/lua on LUA_PATH for tap.lua/simenv.lua.
# run_lua FILE...: runs each test file, returns non-zero if any failed.
: "${LC_TOP:?run tests through tests/run.sh}"
LUA=${LC_LUA:-lua5.4}
LUA_PATH="$LC_TOP/tests/lua/?.lua;${LUA_PATH:-;}"
export LUA_PATH

# A sanitized core.so needs the sanitizer runtimes loaded first into the
# (unsanitized) interpreter.
if [ -n "${LC_SANITIZED:-}" ]; then
    _rt=
    for _lib in libasan.so libubsan.so; do
        _p=$(${CC:-cc} -print-file-name=$_lib 2>/dev/null)
        [ -f "$_p" ] && _rt="$_rt $_p"
    done
    LD_PRELOAD="${_rt# }"
    export LD_PRELOAD
fi

run_lua() {
    _rc=0
    for _f in "$@"; do
        "$LUA" "$LC_TOP/tests/lua/$_f" || _rc=1
    done
    return $_rc
}
