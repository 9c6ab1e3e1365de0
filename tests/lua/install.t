#!/bin/sh
# `make install-lua LUA_VERSION=V` (the Lua part of `make install`) for every
# Lua version, under PREFIX=/usr/local and /usr into a staging DESTDIR: the
# interpreter of that version, searching only its own default package.cpath
# and package.path moved under the staging directory, must load the module
# (a module built for another version fails to load), and
# `make uninstall-lua` must leave no file and no directory it created (install-lua
# alone records the directories it created too).
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/lua/lua.sh"
cd "$LC_TOP" || exit 1

# Same compiler flags as the build under test, so nothing is rebuilt differently.
mk() {
    if [ -n "${LC_SANITIZED:-}" ]; then
        make -s BUILD="$LC_BUILD" OPT="$LC_SAN_OPT" SAN_FLAGS="$LC_SAN_FLAGS" "$@"
    else
        make -s BUILD="$LC_BUILD" "$@"
    fi
}

# Lua snippet: keep only the absolute default search templates, moved under
# $STAGE, then load the module and use it.
probe='local stage = os.getenv("STAGE")
local function move(p)
    local out = {}
    for t in p:gmatch("[^;]+") do
        if t:sub(1, 1) == "/" then out[#out + 1] = stage .. t end
    end
    return table.concat(out, ";")
end
package.cpath, package.path = move(package.cpath), move(package.path)
local lc = require "lockcloud"
assert(lc.encode(lc.decode("{\"a\":[1]}")) == "{\"a\":[1]}")
io.write(_VERSION, "\n")'

for interp in lua5.1 lua5.2 lua5.3 lua5.4 luajit; do
    v=$(lua_version_dir "$interp")
    why=$(lua_missing "$interp")
    if [ -n "$why" ]; then
        ok 0 "$interp: # SKIP $why"
        continue
    fi
    lua_use "$interp" # for LUA_PRELOAD's probe; install-lua builds what is missing
    if [ -n "$LUA_PRELOAD" ] && ! lua_run -e 'require "lockcloud"' >/dev/null 2>&1; then
        ok 0 "$interp: # SKIP does not run with the sanitizer runtime preloaded"
        continue
    fi
    for prefix in /usr/local /usr; do
        stage="$SIM_DIR/stage-$v${prefix#/usr}"
        mk PREFIX="$prefix" DESTDIR="$stage" LUA_VERSION="$v" install-lua >"$SIM_DIR/log" 2>&1
        ok $? "$interp: make install-lua LUA_VERSION=$v PREFIX=$prefix succeeds" ||
            sed 's/^/# /' "$SIM_DIR/log"
        (cd "$SIM_DIR" && env -u LUA_PATH -u LUA_CPATH -u LUA_INIT STAGE="$stage" \
            LD_PRELOAD="$LUA_PRELOAD" "$interp" -e "$probe") >"$SIM_DIR/log" 2>&1
        ok $? "$interp: loads the module installed under PREFIX=$prefix from its own search path" ||
            sed 's/^/# /' "$SIM_DIR/log"
        mk PREFIX="$prefix" DESTDIR="$stage" LUA_VERSION="$v" uninstall-lua >"$SIM_DIR/log" 2>&1
        left=$(cd "$stage" && find . -mindepth 1 | head -n 5)
        [ -z "$left" ]
        ok $? "$interp: make uninstall-lua (PREFIX=$prefix) leaves the staging directory empty${left:+ (left: $(echo $left))}"
        rm -rf "$stage"
    done
done
