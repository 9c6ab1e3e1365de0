#!/bin/sh
# `make install` into a staging DESTDIR: layout, SONAME, exported symbols,
# and a C program built only from the installed header + pkg-config file.
. "$LC_TOP/tests/lib/sim.sh"
cd "$LC_TOP" || exit 1
stage="$SIM_DIR/stage"
arch=$(cc -print-multiarch)
lib="$stage/usr/lib/$arch"

# Same compiler flags as the build under test, so nothing is rebuilt differently.
if [ -n "${LC_SANITIZED:-}" ]; then
    make -s BUILD="$LC_BUILD" OPT="$LC_SAN_OPT" SAN_FLAGS="$LC_SAN_FLAGS" \
        PREFIX=/usr DESTDIR="$stage" install >"$SIM_DIR/install.log" 2>&1
else
    make -s BUILD="$LC_BUILD" PREFIX=/usr DESTDIR="$stage" install >"$SIM_DIR/install.log" 2>&1
fi
ok $? "make install PREFIX=/usr DESTDIR=... succeeds"

test -f "$lib/liblockcloud.so.0.1.0" && test -L "$lib/liblockcloud.so.0" &&
    test -L "$lib/liblockcloud.so" && test -f "$lib/liblockcloud.a"
ok $? "shared library, its links and the static archive are in the multiarch libdir"

soname=$(objdump -p "$lib/liblockcloud.so.0.1.0" | awk '$1 == "SONAME" {print $2}')
[ "$soname" = "liblockcloud.so.0" ]
ok $? "SONAME is liblockcloud.so.0 (got '$soname')"

test -f "$stage/usr/include/lockcloud/lockcloud.h"
ok $? "public header installed"

test -f "$lib/lua/5.4/lockcloud/core.so" && test -f "$stage/usr/share/lua/5.4/lockcloud.lua"
ok $? "Lua C module and Lua module in the Lua 5.4 module dirs"

test -f "$stage/lib/$arch/security/pam_lockcloud.so"
ok $? "PAM module in /lib/<multiarch>/security"

test -x "$stage/usr/bin/lockcloud-sim"
ok $? "simulator installed"

# Only the documented entry points leave each shared object.
exports() { nm -D --defined-only "$1" | awk '$2 ~ /^[TDBRW]$/ {print $3}' | sort -u; }
bad=$(exports "$lib/liblockcloud.so.0.1.0" | grep -v '^lc_')
[ -z "$bad" ]
ok $? "liblockcloud exports only lc_* symbols${bad:+ (also: $bad)}"
bad=$(exports "$stage/lib/$arch/security/pam_lockcloud.so" | grep -v '^pam_sm_')
[ -z "$bad" ]
ok $? "pam_lockcloud.so exports only pam_sm_*${bad:+ (also: $bad)}"
bad=$(exports "$lib/lua/5.4/lockcloud/core.so" | grep -v '^luaopen_lockcloud_core$')
[ -z "$bad" ]
ok $? "Lua C module exports only luaopen_lockcloud_core${bad:+ (also: $bad)}"

# Build the embedding example against the staged install via pkg-config.
export PKG_CONFIG_PATH="$lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$stage"
flags=$(pkg-config --cflags --libs lockcloud)
ok $? "pkg-config finds lockcloud ($flags)"
# A sanitized library needs a sanitized program (ASan must load first).
san=${LC_SANITIZED:+-fsanitize=address,undefined}
cc -std=c11 -Wall -Wextra -Werror $san -o "$SIM_DIR/embed" examples/embed.c $flags 2>"$SIM_DIR/cc.log"
ok $? "examples/embed.c builds against the installed library" || sed 's/^/# /' "$SIM_DIR/cc.log"

sim_start
out=$(LD_LIBRARY_PATH="$lib" "$SIM_DIR/embed" "$SIM_URL" "$SIM_CA" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
[ $rc -eq 0 ] && echo "$out" | grep -q "Front Door"
ok $? "the installed library talks to the simulator (embed lists the Front Door)"
