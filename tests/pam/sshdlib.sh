# A real OpenSSH server on loopback for the PAM tests, run under
# pam_wrapper so that it reads its PAM stack from a directory of ours.
# Source after tests/lib/sim.sh and tests/pam/pamlib.sh:
#   sshd_prereqs              skips the test (TAP) where it cannot run
#   sshd_setup                $SSHD_DIR: host and client keys, known_hosts,
#                             sshd_config, a PAM service dir
#   sshd_user NAME            as root: creates a test user (removed on
#                             exit); both: authorises the test key for NAME
#   sshd_start                starts sshd on a free 127.0.0.1 port ($SSHD_PORT)
#   ssh_login USER COMMAND    real ssh client; sets SSH_RC, SSH_OUT, SSH_ERR
#                             and SSH_LOG (what sshd logged meanwhile,
#                             pam_syslog lines included)
#   sshd_log_wait PATTERN     waits (bounded) until sshd has logged a line
#                             matching PATTERN since the last ssh_login
# Cleanup (sshd, users, files) runs on exit, on failure too.

# sshd's PAM service name is its program name (OpenSSH's SSHD_PAM_SERVICE
# defaults to __progname, which Debian leaves alone): sshd runs through a
# symbolic link with this name, so it never uses the "sshd" service.
SSHD_SERVICE=lockcloud-test-sshd
SSHD_BIN=${SSHD_BIN:-$(command -v sshd 2>/dev/null || echo /usr/sbin/sshd)}
SSHD_DIR=
SSHD_PID=
SSHD_USERS=
# As root, sshd runs as in production (privilege separation, a switch to the
# user); unprivileged, it can log in only the user running it.
SSHD_ROOT=0
[ "$(id -u)" -eq 0 ] && SSHD_ROOT=1

sshd_prereqs() {
    _skip() { echo "ok 1 - # SKIP $*"; exit 0; }
    [ -x "$SSHD_BIN" ] || _skip "no sshd (install openssh-server: scripts/install-deps.sh)"
    for _p in ssh ssh-keygen; do
        command -v "$_p" >/dev/null 2>&1 || _skip "$_p not installed"
    done
    if [ "$SSHD_ROOT" = 1 ]; then
        for _p in useradd userdel; do
            command -v "$_p" >/dev/null 2>&1 || _skip "$_p not installed"
        done
    else
        # Unprivileged, sshd logs in only the user running it, through that
        # user's login shell.
        _sh=$(getent passwd "$(id -un)" | cut -d: -f7)
        case $_sh in
            */nologin|*/false|'') _skip "not root, and $(id -un)'s login shell (${_sh:-none}) runs no command" ;;
        esac
    fi
    [ -f "$PAM_WRAPPER_LIB" ] || _skip "libpam_wrapper not installed"
    [ -f "$PAM_MODULE" ] || { echo "not ok 1 - $PAM_MODULE not built (make pam)"; exit 1; }
}

# pam_wrapper copies the service dir into /tmp/pam.X in every process that
# loads it; sshd's processes end with _exit(), which leaves them behind. Each
# is named in sshd's log; remove those whose owner has exited (what
# pam_wrapper itself does to stale ones it comes across), giving a session
# that is still closing a moment to end.
_sshd_wrapper_dirs_cleanup() {
    _deadline=$(( $(date +%s) + 3 ))
    sed -n "s|.*copy_confdir: Copy config files from $SSHD_DIR/services to \(/tmp/pam\..\)\$|\1|p" \
        "$SSHD_DIR/sshd.log" 2>/dev/null | sort -u | while read -r _d; do
        _pid=$(cat "$_d/pid" 2>/dev/null) || continue
        case $_pid in ''|*[!0-9]*) continue ;; esac
        while kill -0 "$_pid" 2>/dev/null && [ "$(date +%s)" -lt "$_deadline" ]; do sleep 0.05; done
        kill -0 "$_pid" 2>/dev/null || rm -rf "$_d"
    done
}

_sshd_cleanup() {
    if [ -n "$SSHD_PID" ]; then
        kill "$SSHD_PID" 2>/dev/null
        wait "$SSHD_PID" 2>/dev/null
        SSHD_PID=
    fi
    [ "$SSHD_ROOT" = 1 ] && for _u in $SSHD_USERS; do userdel -f "$_u" 2>/dev/null; done
    SSHD_USERS=
    if [ -n "$SSHD_DIR" ]; then
        _sshd_wrapper_dirs_cleanup
        rm -rf "$SSHD_DIR"
    fi
}
trap '_sshd_cleanup; _sim_cleanup' EXIT

sshd_setup() {
    SSHD_DIR=$(mktemp -d "${TMPDIR:-/tmp}/lcsshd.XXXXXX") || return 1
    # sshd reads authorized keys as the user logging in: let it through.
    chmod 0711 "$SSHD_DIR"
    mkdir "$SSHD_DIR/keys" "$SSHD_DIR/services"
    chmod 0755 "$SSHD_DIR/keys"
    ssh-keygen -q -t ed25519 -N '' -C lockcloud-test-host -f "$SSHD_DIR/host_key" || return 1
    ssh-keygen -q -t ed25519 -N '' -C lockcloud-test-client -f "$SSHD_DIR/client_key" || return 1
    ln -s "$SSHD_BIN" "$SSHD_DIR/$SSHD_SERVICE"
    # The privilege separation directory the packaged service creates at
    # boot; sshd refuses to start as root without it.
    [ "$SSHD_ROOT" = 0 ] || [ -d /run/sshd ] || mkdir -m 0755 /run/sshd
}

# As root, a new user: its own login shell, no home (sshd starts it in /),
# the default group; a name already taken is an error, never reused. useradd
# fails while another one holds the passwd lock: a few tries.
_sshd_useradd() {
    if id "$1" >/dev/null 2>&1; then echo "# user $1 exists already"; return 1; fi
    SSHD_USERS="$SSHD_USERS $1"
    for _try in 1 2 3 4 5; do
        useradd -M -N -d / -s /bin/sh -c "lockcloud sshd.t" "$1" && return 0
        sleep 0.2
    done
    return 1
}

sshd_user() {
    case " $SSHD_USERS " in *" $1 "*) return 0 ;; esac
    if [ "$SSHD_ROOT" = 1 ]; then
        _sshd_useradd "$1" || return 1
    else
        SSHD_USERS="$SSHD_USERS $1"
    fi
    cp "$SSHD_DIR/client_key.pub" "$SSHD_DIR/keys/$1"
    chmod 0644 "$SSHD_DIR/keys/$1"
}

# Test-only: nothing of /etc/ssh is read (-f), public keys only (PAM auth
# never runs: sshd runs PAM's account and session groups for key logins),
# only the test users. StrictModes is off because the key files lie under
# $TMPDIR, which is world-writable.
_sshd_config() {
    cat >"$SSHD_DIR/sshd_config" <<EOF
ListenAddress 127.0.0.1:$1
HostKey $SSHD_DIR/host_key
PidFile $SSHD_DIR/sshd.pid
UsePAM yes
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile $SSHD_DIR/keys/%u
StrictModes no
AllowUsers $SSHD_USERS
PermitRootLogin no
PermitTTY no
X11Forwarding no
AllowTcpForwarding no
AllowAgentForwarding no
PrintMotd no
PrintLastLog no
UseDNS no
LogLevel VERBOSE
EOF
    printf '[127.0.0.1]:%s %s\n' "$1" "$(cut -d' ' -f1,2 "$SSHD_DIR/host_key.pub")" >"$SSHD_DIR/known_hosts"
}

# A sanitized module runs with the ASan runtime preloaded (PAM_PRELOAD, as
# for pamtester), but without LeakSanitizer: its exit-time scan ptrace()s,
# which the seccomp sandbox of sshd's pre-auth process answers with SIGSYS.
# Leaks are the pamtester tests' and valgrind.t's to find.
SSHD_ASAN_OPTIONS=
[ "${LC_SANITIZED:-0}" = 1 ] && SSHD_ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

# A random high port; when it is taken sshd exits ("Cannot bind any
# address") and the next one is tried. Waits for sshd's own "Server
# listening" line (bounded), not for a fixed time.
sshd_start() {
    for _try in 1 2 3 4 5; do
        SSHD_PORT=$(( $(od -An -N2 -tu2 /dev/urandom) % 30000 + 30000 ))
        _sshd_config "$SSHD_PORT"
        # -D: stay in the foreground (our child, killed on exit); -e: log to
        # stderr, where pam_wrapper also writes pam_syslog lines.
        PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$SSHD_DIR/services" PAM_WRAPPER_DEBUGLEVEL=2 \
            ASAN_OPTIONS=$SSHD_ASAN_OPTIONS LD_PRELOAD="$PAM_PRELOAD" "$SSHD_DIR/$SSHD_SERVICE" -D -e -f "$SSHD_DIR/sshd_config" \
            </dev/null >>"$SSHD_DIR/sshd.log" 2>&1 &
        SSHD_PID=$!
        _deadline=$(( $(date +%s) + 15 ))
        while [ "$(date +%s)" -le "$_deadline" ]; do
            grep -q "Server listening on 127.0.0.1 port $SSHD_PORT\." "$SSHD_DIR/sshd.log" && return 0
            kill -0 "$SSHD_PID" 2>/dev/null || break
            sleep 0.05
        done
        kill "$SSHD_PID" 2>/dev/null
        wait "$SSHD_PID" 2>/dev/null
        SSHD_PID=
        grep -q "port $SSHD_PORT.*Address already in use" "$SSHD_DIR/sshd.log" || break
    done
    echo "# sshd did not start:"
    sed 's/^/#   /' "$SSHD_DIR/sshd.log"
    return 1
}

ssh_login() {
    _mark=$(wc -c <"$SSHD_DIR/sshd.log")
    SSH_OUT=$(timeout 30 ssh -F /dev/null -n -p "$SSHD_PORT" -i "$SSHD_DIR/client_key" \
        -o BatchMode=yes -o IdentitiesOnly=yes -o IdentityAgent=none \
        -o PreferredAuthentications=publickey -o StrictHostKeyChecking=yes \
        -o UserKnownHostsFile="$SSHD_DIR/known_hosts" -o GlobalKnownHostsFile=/dev/null \
        -o ConnectTimeout=10 -o LogLevel=INFO \
        "$1@127.0.0.1" "$2" 2>"$SSHD_DIR/ssh.err")
    SSH_RC=$?
    SSH_ERR=$(cat "$SSHD_DIR/ssh.err")
    SSH_LOG=$(tail -c +"$((_mark + 1))" "$SSHD_DIR/sshd.log")
}

# Waits (bounded) until sshd has logged a line matching the grep -E PATTERN
# since the last ssh_login: a refused session's last lines travel from its
# unprivileged process through the monitor and can land after the client
# has seen the connection close.
sshd_log_wait() {
    _deadline=$(( $(date +%s) + 5 ))
    while :; do
        SSH_LOG=$(tail -c +"$((_mark + 1))" "$SSHD_DIR/sshd.log")
        printf '%s\n' "$SSH_LOG" | grep -Eq "$1" && return 0
        [ "$(date +%s)" -lt "$_deadline" ] || return 1
        sleep 0.05
    done
}
