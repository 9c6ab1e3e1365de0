#!/bin/sh
# make install-cli into a staging DESTDIR: the command in sbin, runnable
# there; its man page in man1 naming the installed state directory and
# rendering without warnings; uninstall-cli leaving nothing it created.
. "$LC_TOP/tests/lib/sim.sh"
cd "$LC_TOP" || exit 1
stage="$SIM_DIR/stage"
if [ -n "${LC_SANITIZED:-}" ]; then
    set -- BUILD="$LC_BUILD" OPT="$LC_SAN_OPT" SAN_FLAGS="$LC_SAN_FLAGS"
else
    set -- BUILD="$LC_BUILD"
fi

make -s "$@" PREFIX=/usr DESTDIR="$stage" install-cli >"$SIM_DIR/install.log" 2>&1
ok $? "make install-cli PREFIX=/usr DESTDIR=... succeeds"
[ "$(stat -c %a "$stage/usr/sbin/lockcloud" 2>&1)" = 755 ] && [ ! -e "$stage/usr/bin/lockcloud" ]
ok $? "lockcloud is installed in sbin, mode 0755"
"$stage/usr/sbin/lockcloud" --version | grep -q '^lockcloud [0-9]'
ok $? "the installed command runs"
man1="$stage/usr/share/man/man1/lockcloud.1"
grep -q '^\.TH LOCKCLOUD 1' "$man1" && grep -q '/var/lib/lockcloud/identity.index' "$man1"
ok $? "the man page is in man1 and names the state directory"
if command -v man >/dev/null 2>&1; then
    w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l --warnings "$man1" 2>&1 >/dev/null)
    [ -z "$w" ]
    ok $? "the man page renders without warnings${w:+ ($w)}"
    missing=
    for s in NAME SYNOPSIS SUBCOMMANDS OPTIONS CONFIGURATION "EXIT STATUS" FILES EXAMPLES; do
        grep -q "^\.SH \"*$s\"*\$" "$man1" || missing="$missing $s"
    done
    [ -z "$missing" ]
    ok $? "the man page has every section (NAME ... EXAMPLES)${missing:+, missing:$missing}"
else
    echo "ok $((TAP_N += 1)) - # SKIP man not installed"
    echo "ok $((TAP_N += 1)) - # SKIP man not installed"
fi
make -s "$@" PREFIX=/usr DESTDIR="$stage" uninstall-cli >>"$SIM_DIR/install.log" 2>&1
[ $? -eq 0 ] && [ -z "$(find "$stage" -mindepth 1 2>/dev/null)" ]
ok $? "make uninstall-cli leaves nothing${stage:+: $(find "$stage" -mindepth 1 2>/dev/null | head -n 3 | tr '\n' ' ')}"
echo "1..$TAP_N"
