# Shell helpers for the Lua tests (source after tests/lib/sim.sh when a
# simulator is needed). Puts tests/lua on LUA_PATH for tap.lua/simenv.lua.
#   lua_run ARGS...    runs the interpreter ($LC_LUA, default lua5.4)
#   run_lua FILE...    runs each tests/lua/FILE, non-zero if any failed
: "${LC_TOP:?run tests through tests/run.sh}"
LUA=${LC_LUA:-lua5.4}
LUA_PATH="$LC_TOP/tests/lua/?.lua;${LUA_PATH:-;}"
export LUA_PATH

# A sanitized core.so needs the sanitizer runtimes loaded first into the
# (unsanitized) interpreter, and only there: not into curl or the simulator.
LUA_PRELOAD=
if [ -n "${LC_SANITIZED:-}" ]; then
    for _lib in libasan.so libubsan.so; do
        _p=$(${CC:-cc} -print-file-name=$_lib 2>/dev/null)
        [ -f "$_p" ] && LUA_PRELOAD="${LUA_PRELOAD:+$LUA_PRELOAD }$_p"
    done
fi

lua_run() {
    if [ -n "$LUA_PRELOAD" ]; then
        LD_PRELOAD="$LUA_PRELOAD" "$LUA" "$@"
    else
        "$LUA" "$@"
    fi
}

run_lua() {
    _rc=0
    for _f in "$@"; do
        lua_run "$LC_TOP/tests/lua/$_f" || _rc=1
    done
    return $_rc
}
