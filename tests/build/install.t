#!/bin/sh
# `make install` into a staging DESTDIR: layout, SONAME, exported symbols,
# a C program built only from the installed header + pkg-config file, and
# `make uninstall` leaving nothing of ours, not even a directory the install
# created (and only those: a directory that was there before stays). Then: a PREFIX change rebuilds
# lockcloud.pc and an install without DESTDIR runs ldconfig (throwaway
# PREFIX); as root, the real system install in a private mount namespace
# whose /usr, /etc and /var are throwaway overlays (tests/build/throwaway_root.sh).
. "$LC_TOP/tests/lib/sim.sh"
cd "$LC_TOP" || exit 1
stage="$SIM_DIR/stage"
arch=$(cc -print-multiarch)
lib="$stage/usr/lib/$arch"

# Same compiler flags as the build under test, so nothing is rebuilt differently.
if [ -n "${LC_SANITIZED:-}" ]; then
    set -- BUILD="$LC_BUILD" OPT="$LC_SAN_OPT" SAN_FLAGS="$LC_SAN_FLAGS"
else
    set -- BUILD="$LC_BUILD"
fi
# A stand-in for ldconfig that records its calls.
rec="$SIM_DIR/ldconfig.calls"
printf '#!/bin/sh\necho "ldconfig $*" >>"%s"\n' "$rec" >"$SIM_DIR/ldconfig"
chmod 0755 "$SIM_DIR/ldconfig"
: >"$rec"

make -s "$@" PREFIX=/usr DESTDIR="$stage" LDCONFIG="$SIM_DIR/ldconfig" install >"$SIM_DIR/install.log" 2>&1
ok $? "make install PREFIX=/usr DESTDIR=... succeeds"
# A second install over the first must not forget what the first created.
make -s "$@" PREFIX=/usr DESTDIR="$stage" LDCONFIG="$SIM_DIR/ldconfig" install >>"$SIM_DIR/install.log" 2>&1
ok $? "a second make install over the first succeeds"
[ ! -s "$rec" ]
ok $? "an install into DESTDIR does not run ldconfig"

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

online="$stage/lib/$arch/security/pam_lockcloud/online.so"
test -f "$online" && [ "$(stat -c %a "$online")" = 644 ]
ok $? "the module's network part in /lib/<multiarch>/security/pam_lockcloud/, 0644"
needed=$(readelf -d "$stage/lib/$arch/security/pam_lockcloud.so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
case $needed in *libcurl*|*libssl*|*libcrypto*|*libgnutls*) false ;; *libpam*) true ;; *) false ;; esac
ok $? "pam_lockcloud.so itself needs no network or crypto library (needs: $needed)"
readelf -d "$online" | grep -q 'NEEDED.*libcurl'
ok $? "the network part is the one that needs libcurl"

test -x "$stage/usr/bin/lockcloud-sim"
ok $? "simulator installed"

st=$(stat -c %a "$stage/var/lib/lockcloud" 2>&1)
[ "$st" = 700 ]
ok $? "state directory var/lib/lockcloud is created 0700 (got $st)"
grep -q '^token_file = /var/lib/lockcloud/token$' "$stage/usr/share/doc/lockcloud/lockcloud.conf.example"
ok $? "the example config keeps its token file in the state directory"
st=$(stat -c %a "$stage/var/lib/lockcloud/decisions" 2>&1)
[ "$st" = 700 ]
ok $? "decision cache directory var/lib/lockcloud/decisions is created 0700 (got $st)"
test -f "$stage/usr/share/doc/lockcloud/lockcloud.rules.example"
ok $? "the example rules file is installed beside the example config"
cmp -s LICENSE "$stage/usr/share/doc/lockcloud/LICENSE" && grep -q '^MIT License' LICENSE
ok $? "LICENSE (MIT) installed in the doc directory"
cmp -s docs/lua.md "$stage/usr/share/doc/lockcloud/lua.md"
ok $? "the Lua reference (docs/lua.md) installed in the doc directory"

# Only the documented entry points leave each shared object.
exports() { nm -D --defined-only "$1" | awk '$2 ~ /^[TDBRW]$/ {print $3}' | sort -u; }
bad=$(exports "$lib/liblockcloud.so.0.1.0" | grep -v '^lc_')
[ -z "$bad" ]
ok $? "liblockcloud exports only lc_* symbols${bad:+ (also: $bad)}"
bad=$(exports "$stage/lib/$arch/security/pam_lockcloud.so" | grep -v '^pam_sm_')
[ -z "$bad" ]
ok $? "pam_lockcloud.so exports only pam_sm_*${bad:+ (also: $bad)}"
bad=$(exports "$online" | grep -v '^lcpam_online_part$')
[ -z "$bad" ]
ok $? "its network part exports only lcpam_online_part${bad:+ (also: $bad)}"
bad=$(exports "$lib/lua/5.4/lockcloud/core.so" | grep -v '^luaopen_lockcloud_core$')
[ -z "$bad" ]
ok $? "Lua C module exports only luaopen_lockcloud_core${bad:+ (also: $bad)}"

# Build the embedding example against the staged install via pkg-config.
# (Not exported: the make runs below must see the system's pkg-config.)
flags=$(PKG_CONFIG_PATH="$lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$stage" pkg-config --cflags --libs lockcloud)
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

# Uninstall: a state directory holding a token stays, with the token; once
# empty it goes. Nothing of ours (file or lockcloud directory) remains.
echo token >"$stage/var/lib/lockcloud/token"
make -s "$@" PREFIX=/usr DESTDIR="$stage" uninstall >"$SIM_DIR/uninstall.log" 2>&1
ok $? "make uninstall PREFIX=/usr DESTDIR=... succeeds"
manifest="$stage/usr/share/lockcloud/installed-dirs"
[ "$(find "$stage" ! -type d | sort)" = "$(printf '%s\n' "$manifest" "$stage/var/lib/lockcloud/token" | sort)" ] &&
    grep -qx /var/lib/lockcloud "$manifest"
ok $? "uninstall keeps a state directory that holds a token, and removes every other file but the manifest that still records it"
rm -f "$stage/var/lib/lockcloud/token"
make -s "$@" PREFIX=/usr DESTDIR="$stage" uninstall >>"$SIM_DIR/uninstall.log" 2>&1
left=$(cd "$stage" && find . -mindepth 1 | sort | head -n 8 | tr '\n' ' ')
[ -d "$stage" ] && [ -z "$left" ]
ok $? "install twice + uninstall leaves the staging directory empty: every directory the installs created is gone${left:+ (left: $left)}"
grep -q '^note: kept .*/var/lib/lockcloud: it holds files' "$SIM_DIR/uninstall.log" &&
    [ "$(grep -c '^note: kept' "$SIM_DIR/uninstall.log")" -eq 1 ]
ok $? "uninstall says once that it kept the state directory because it holds files"

# A PREFIX change regenerates lockcloud.pc; an install without DESTDIR runs
# ldconfig (as root: only root can write the loader cache), and so does the
# uninstall. install-core only: a throwaway PREFIX, nothing else rebuilt.
pfx="$SIM_DIR/prefix"
make -s "$@" PREFIX="$pfx" LDCONFIG="$SIM_DIR/ldconfig" install-core >"$SIM_DIR/install-pfx.log" 2>&1
ok $? "make install-core PREFIX=<temp dir> (no DESTDIR) succeeds"
pc="$pfx/lib/$arch/pkgconfig/lockcloud.pc"
grep -qx "prefix=$pfx" "$pc" && grep -qx "libdir=$pfx/lib/$arch" "$pc"
ok $? "lockcloud.pc is regenerated for the new PREFIX ($(grep '^prefix=' "$pc" 2>&1))"
if [ "$(id -u)" -eq 0 ]; then want="ldconfig "; else want=; fi
[ "$(cat "$rec")" = "$want" ]
ok $? "install without DESTDIR runs ldconfig when root ($(cat "$rec"))"
make -s "$@" PREFIX="$pfx" LDCONFIG="$SIM_DIR/ldconfig" uninstall-core >>"$SIM_DIR/install-pfx.log" 2>&1
[ "$(cat "$rec")" = "${want:+$want
$want}" ] && [ ! -e "$pfx" ]
ok $? "uninstall runs ldconfig too and leaves nothing, not even the PREFIX directory it created"

# The real thing, as root: default PREFIX, no DESTDIR, real ldconfig, inside
# a private mount namespace whose /usr, /etc, /var are throwaway overlays.
# (Last: the default PREFIX leaves the build tree as `make all` made it.)
real_state() {
    ls -d /usr/local/lib/"$arch"/liblockcloud* /usr/local/include/lockcloud /var/lib/lockcloud \
        /lib/"$arch"/security/pam_lockcloud.so /usr/local/bin/lockcloud-sim 2>/dev/null
    ldconfig -p | grep liblockcloud
}
why=
[ "$(id -u)" -eq 0 ] || why="needs root"
[ -n "$why" ] || command -v unshare >/dev/null || why="needs unshare"
if [ -z "$why" ]; then
    before=$(real_state)
    mkdir "$SIM_DIR/layers"
    LC_TOP="$LC_TOP" SIM_URL="$SIM_URL" SIM_CA="$SIM_CA" \
        CC_SAN="${LC_SANITIZED:+-fsanitize=address,undefined}" \
        unshare --mount --propagation private \
        sh tests/build/throwaway_root.sh "$SIM_DIR/layers" \
        sh tests/build/system_install.sh "$SIM_DIR/layers" "$SIM_DIR" "$@" >"$SIM_DIR/sys.out" 2>"$SIM_DIR/sys.err"
    rc=$?
    if [ $rc -eq 3 ] || { [ $rc -ne 0 ] && ! grep -q '^PASS\|^FAIL' "$SIM_DIR/sys.out"; }; then
        why="no throwaway root here: $(head -n 1 "$SIM_DIR/sys.err")"
    else
        while IFS= read -r line; do
            case $line in
                "PASS "*) ok 0 "system install: ${line#PASS }" ;;
                "FAIL "*) ok 1 "system install: ${line#FAIL }" ;;
                *) echo "$line" ;;
            esac
        done <"$SIM_DIR/sys.out"
        [ "$(grep -c '^PASS\|^FAIL' "$SIM_DIR/sys.out")" -eq 11 ]
        ok $? "system install: every step reported"
        grep -q FAIL "$SIM_DIR/sys.out" && sed 's/^/# /' "$SIM_DIR/sys-install.log" "$SIM_DIR/sys-uninstall.log" "$SIM_DIR/sys.err" 2>/dev/null
        [ "$(real_state)" = "$before" ] && [ -z "$(ls -A "$SIM_DIR/layers")" ]
        ok $? "system install: the machine's /usr, /etc, /var and loader cache are untouched"
    fi
fi
[ -z "$why" ] || ok 0 "# SKIP system install: $why"

echo "1..$TAP_N"
