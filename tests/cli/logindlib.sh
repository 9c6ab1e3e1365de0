# A private bus with python-dbusmock's logind for the sweep's tests. Source
# after tests/lib/sim.sh (it uses SIM_DIR and its EXIT trap):
#   logind_prereqs            "ok 1 - # SKIP" and exit without dbus-daemon
#                             or python3-dbusmock
#   logind_start              a bus and a mock logind on it; exports
#                             DBUS_SYSTEM_BUS_ADDRESS (sd_bus_open_system
#                             and dbusmock both follow it)
#   logind_stop               (also on EXIT)
#   logind ARGS...            tests/cli/logind_mock.py (add, ended, clear)

LOGIND_PY=
LOGIND_BUS_PID=
LOGIND_MOCK_PID=

logind_prereqs() {
    command -v dbus-daemon >/dev/null 2>&1 ||
        { echo "ok 1 - # SKIP dbus-daemon not installed (package dbus)"; exit 0; }
    # Debian's python3-dbusmock is for the system interpreter, which a
    # python3 earlier in PATH (a virtualenv, pyenv) may not be.
    for _py in /usr/bin/python3 python3; do
        if "$_py" -c 'import dbusmock, dbus' >/dev/null 2>&1; then LOGIND_PY=$_py; break; fi
    done
    [ -n "$LOGIND_PY" ] || { echo "ok 1 - # SKIP python3-dbusmock not installed"; exit 0; }
}

logind_stop() {
    for _p in $LOGIND_MOCK_PID $LOGIND_BUS_PID; do
        kill "$_p" 2>/dev/null
    done
    [ -z "$LOGIND_MOCK_PID" ] || wait "$LOGIND_MOCK_PID" 2>/dev/null
    LOGIND_MOCK_PID= LOGIND_BUS_PID=
}

logind_start() {
    cat >"$SIM_DIR/bus.conf" <<EOC
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$SIM_DIR/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOC
    LOGIND_BUS_PID=$(dbus-daemon --config-file="$SIM_DIR/bus.conf" --fork --print-pid) ||
        return 1
    DBUS_SYSTEM_BUS_ADDRESS="unix:path=$SIM_DIR/bus"
    export DBUS_SYSTEM_BUS_ADDRESS
    "$LOGIND_PY" -m dbusmock --system --template logind >"$SIM_DIR/dbusmock.log" 2>&1 &
    LOGIND_MOCK_PID=$!
    logind wait || { sed 's/^/# dbusmock: /' "$SIM_DIR/dbusmock.log"; return 1; }
}

logind() {
    "$LOGIND_PY" "$LC_TOP/tests/cli/logind_mock.py" "$@"
}
