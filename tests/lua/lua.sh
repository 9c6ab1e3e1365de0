# Shell helpers for the Lua tests (source after tests/lib/sim.sh when a
# simulator is needed). Puts tests/lua and lua/ on LUA_PATH.
#   lua_use INTERP     picks the interpreter (lua5.1 lua5.2 lua5.3 lua5.4
#                      luajit) and the C module built for it
#                      ($LC_BUILD/lua/VERSION/lockcloud/core.so); 1 when
#                      either is missing. Sourcing picks $LC_LUA or lua5.4.
#   lua_missing INTERP prints why INTERP cannot be tested here (interpreter
#                      or its headers not installed: `make all` builds every
#                      version whose headers exist), nothing when it can
#   lua_run ARGS...    runs the interpreter (with the sanitizer runtimes
#                      preloaded on a sanitized build)
: "${LC_TOP:?run tests through tests/run.sh}"
: "${LC_BUILD:?run tests through tests/run.sh}"
LUA_PATH="$LC_TOP/tests/lua/?.lua;$LC_TOP/lua/?.lua;;"
export LUA_PATH

# Interpreter -> its build directory under $LC_BUILD/lua/.
lua_version_dir() {
    case $1 in
        luajit) echo jit ;;
        lua5.[1-4]) echo "${1#lua}" ;;
        *) return 1 ;;
    esac
}

lua_use() {
    _v=$(lua_version_dir "$1") || return 1
    LUA=$1
    LUA_CPATH="$LC_BUILD/lua/$_v/?.so;;"
    export LUA_CPATH
    command -v "$LUA" >/dev/null 2>&1 && [ -f "$LC_BUILD/lua/$_v/lockcloud/core.so" ]
}
lua_use "${LC_LUA:-lua5.4}"

lua_missing() {
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "$1 not installed"
    elif ! ${PKG_CONFIG:-pkg-config} --exists "$1"; then
        echo "no headers for $1 (pkg-config $1)"
    fi
}

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
