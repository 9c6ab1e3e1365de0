# Shell helpers for tests that need a running simulator. Source it, then:
#   sim_start [extra lockcloud-sim args]   sets SIM_URL, SIM_CA, SIM_PID, SIM_DIR
#   sim_ctl PATH [JSON]                    POSTs to a /_sim/ control endpoint
#   sim_stop                               (also runs on EXIT)
#   ok COND_STATUS "description"           TAP helper: ok 0 "x" / ok 1 "x"
# Requires LC_SIM_BIN (set by tests/run.sh).

: "${LC_SIM_BIN:?run tests through tests/run.sh}"
SIM_DIR=$(mktemp -d "${TMPDIR:-/tmp}/lcsim.XXXXXX")
SIM_PID=
TAP_N=0

sim_stop() {
    if [ -n "$SIM_PID" ]; then
        kill "$SIM_PID" 2>/dev/null
        wait "$SIM_PID" 2>/dev/null
        SIM_PID=
    fi
}
_sim_cleanup() { sim_stop; rm -rf "$SIM_DIR"; }
trap _sim_cleanup EXIT
trap 'exit 1' INT TERM

sim_start() {
    SIM_CA="$SIM_DIR/ca.pem"
    rm -f "$SIM_DIR/url" "$SIM_DIR/fifo"
    mkfifo "$SIM_DIR/fifo"
    "$LC_SIM_BIN" --listen 127.0.0.1:0 --ca-out "$SIM_CA" "$@" >"$SIM_DIR/fifo" 2>"$SIM_DIR/sim.log" &
    SIM_PID=$!
    # The first line is the base URL; keep draining the rest in the background.
    exec 9<"$SIM_DIR/fifo"
    IFS= read -r SIM_URL <&9 || { echo "# simulator did not start:"; sed 's/^/# /' "$SIM_DIR/sim.log"; return 1; }
    cat <&9 >/dev/null &
    exec 9<&-
    export SIM_URL SIM_CA SIM_PID
}

sim_ctl() {
    _body=${2:-}
    [ -n "$_body" ] || _body='{}'
    curl -sS --fail-with-body --cacert "$SIM_CA" -X POST \
        -H 'Content-Type: application/json' --data "$_body" "$SIM_URL$1"
}

ok() {
    TAP_N=$((TAP_N + 1))
    if [ "$1" -eq 0 ]; then echo "ok $TAP_N - $2"; else echo "not ok $TAP_N - $2"; fi
}
