#!/bin/sh
# The system install path, for install.t: run only inside throwaway_root.sh.
# `make install` with an empty DESTDIR and the default PREFIX, a program built
# from the installed pkg-config file run without LD_LIBRARY_PATH, then
# `make uninstall`. Prints "PASS text" / "FAIL text" / "# note" lines.
#   system_install.sh LAYERS WORKDIR MAKE-ARGS...
# env: LC_TOP, SIM_URL, SIM_CA, CC_SAN (sanitizer flags for the program)
set -u
layers=$1 work=$2
shift 2
cd "$LC_TOP" || exit 1
arch=$(cc -print-multiarch)
check() { if [ "$1" -eq 0 ]; then echo "PASS $2"; else echo "FAIL $2"; fi; }

# A Lua module directory another package made before we came, and every
# directory under /usr/local, our state dir's and PAM's, as they were.
mkdir -p /usr/local/share/lua/5.4
dir_list() {
    find /usr/local -type d | sort
    ls -d /var/lib/lockcloud "/usr/lib/$arch/security" 2>/dev/null
}
dirs_before=$(dir_list)

make -s "$@" install >"$work/sys-install.log" 2>&1
check $? "make install (no DESTDIR, default PREFIX) succeeds as root"
ldconfig -p | grep -q "liblockcloud.so.0 .*=> /usr/local/lib/$arch/liblockcloud.so.0\$"
check $? "make install ran ldconfig: liblockcloud.so.0 is in the loader cache"
st=$(stat -c '%a %u %g' /var/lib/lockcloud 2>&1)
[ "$st" = "700 0 0" ]
check $? "state directory /var/lib/lockcloud is 0700 root:root ($st)"
grep -q '^token_file = /var/lib/lockcloud/token$' /usr/local/share/doc/lockcloud/lockcloud.conf.example
check $? "the installed example config keeps its token in the state directory"

# Built as a user would: pkg-config's default search path, no rpath, no
# LD_LIBRARY_PATH.
flags=$(pkg-config --cflags --libs lockcloud 2>&1)
cc -std=c11 -Wall -Wextra -Werror ${CC_SAN:-} -o "$work/embed-sys" examples/embed.c $flags \
    >"$work/sys-cc.log" 2>&1
check $? "examples/embed.c builds from the system pkg-config file"
out=$(env -u LD_LIBRARY_PATH "$work/embed-sys" "$SIM_URL" "$SIM_CA" 2>&1)
rc=$?
[ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q "Front Door"
check $? "embed runs without LD_LIBRARY_PATH (exit $rc)"
[ $rc -eq 0 ] || printf '%s\n' "$out" | head -n 5 | sed 's/^/# /'

make -s "$@" uninstall >"$work/sys-uninstall.log" 2>&1
check $? "make uninstall succeeds"
! ldconfig -p | grep -q liblockcloud
check $? "make uninstall ran ldconfig: liblockcloud is gone from the loader cache"

dirs_after=$(dir_list)
[ "$dirs_after" = "$dirs_before" ]
check $? "install + uninstall leave exactly the directories that were there before"
[ "$dirs_after" = "$dirs_before" ] ||
    printf '%s\n%s\n' "$dirs_before" "$dirs_after" | sort | uniq -u | sed 's/^/# changed: /'
test -d /usr/local/share/lua/5.4
check $? "a Lua directory that existed before the install survives uninstall"

# What the install/uninstall cycle left in the layers, but for the loader
# caches ldconfig rewrites. A whiteout (character device) means something
# that existed before was removed.
left=$(cd "$layers" && find usr/upper etc/upper var/upper \( ! -type d -o -name '*lockcloud*' \) \
    ! -path etc/upper/ld.so.cache ! -path var/upper/cache/ldconfig/aux-cache | sort)
[ -z "$left" ]
check $? "nothing of ours is left and nothing pre-existing was removed"
[ -z "$left" ] || printf '%s\n' "$left" | sed 's/^/# left: /'
dirs=$(cd "$layers" && find usr/upper etc/upper var/upper -mindepth 1 -type d | sort | tr '\n' ' ')
echo "# directories created or copied up, kept (shared): ${dirs:-none}"
