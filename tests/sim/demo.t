#!/bin/sh
# examples/demo.sh, as `make demo` runs it: plain text when its output is a
# pipe or a file (item 16: no ANSI escapes), bold headings on a terminal,
# none on a terminal with NO_COLOR set. Terminals come from script(1).
: "${LC_BUILD:?run tests through tests/run.sh}"
n=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
if [ -n "${LC_SANITIZED:-}" ]; then
    echo "ok 1 - # SKIP the demo loads the Lua module into a plain lua5.4: plain builds only"
    echo "1..1"
    exit 0
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/lcdemo.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
demo="$LC_TOP/examples/demo.sh"
escapes() { tr -dc '\033' <"$1" | wc -c | tr -d ' '; }

LC_BUILD=$LC_BUILD sh "$demo" >"$dir/out" 2>"$dir/err"
rc=$?
[ "$rc" -eq 0 ] && grep -q '^== Done' "$dir/out"
ok $? "the demo runs to the end with its output in a file (status $rc)"
[ "$rc" -eq 0 ] || sed 's/^/#   /' "$dir/err" | tail -n 20
[ "$(escapes "$dir/out")" -eq 0 ]
ok $? "output to a file holds no ESC byte ($(escapes "$dir/out") found)"
LC_BUILD=$LC_BUILD sh "$demo" 2>/dev/null | cat >"$dir/piped"
[ "$(escapes "$dir/piped")" -eq 0 ] && grep -q '^== Done' "$dir/piped"
ok $? "output to a pipe holds no ESC byte either"

if ! command -v script >/dev/null 2>&1; then
    echo "ok 4 - # SKIP script(1) not installed: no terminal to test colour on"
    echo "ok 5 - # SKIP script(1) not installed"
    echo "1..5"
    exit 0
fi
# script(1) runs the demo on a fresh pseudo-terminal and copies its output.
on_tty() {
    script -q -e -c "LC_BUILD='$LC_BUILD' TERM=xterm $1 sh '$demo'" /dev/null \
        </dev/null >"$2" 2>&1
}
on_tty "" "$dir/tty"
grep -q "$(printf '\033\\[1m== Done')" "$dir/tty"
ok $? "on a terminal the headings are bold"
on_tty "NO_COLOR=1" "$dir/nocolor"
[ "$(escapes "$dir/nocolor")" -eq 0 ] && grep -q '== Done' "$dir/nocolor"
ok $? "on a terminal with NO_COLOR=1: no ESC byte"
echo "1..$n"
