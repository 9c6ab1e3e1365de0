#!/bin/sh
# `make demo`: start the simulator with a CA made for this run, walk a guest
# through its lifecycle in Lua, then ask the PAM module about a current and an
# expired guest. Leaves nothing running and nothing behind.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${LC_BUILD:-$top/build}
work=$(mktemp -d "${TMPDIR:-/tmp}/lockcloud-demo.XXXXXX")
sim_pid=
cleanup() {
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Bold headings only on a terminal that wants them (https://no-color.org):
# piped or redirected output stays plain text.
bold= plain=
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ] && [ "${TERM:-dumb}" != dumb ]; then
    bold=$(printf '\033[1m') plain=$(printf '\033[0m')
fi
say() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

say "Starting lockcloud-sim (HTTPS, throwaway CA)"
mkfifo "$work/out"
"$build/lockcloud-sim" --listen 127.0.0.1:0 --ca-out "$work/ca.pem" >"$work/out" 2>"$work/sim.log" &
sim_pid=$!
exec 3<"$work/out"
IFS= read -r SIM_URL <&3 || { cat "$work/sim.log" >&2; exit 1; }
cat <&3 >/dev/null &
exec 3<&-
SIM_CA="$work/ca.pem"
export SIM_URL SIM_CA
echo "simulator at $SIM_URL, CA $SIM_CA"

say "Guest lifecycle (examples/guest_lifecycle.lua)"
LUA_PATH="$top/lua/?.lua;;" LUA_CPATH="$build/lua/5.4/?.so;;" \
    lua5.4 "$top/examples/guest_lifecycle.lua"

say "PAM account check (pam_lockcloud.so through real libpam)"
LC_BUILD="$build" sh "$top/examples/pam/demo_check.sh" "$work/pam" casey eli

say "Done: simulator stopped, temporary files removed"
