# Helpers for the PAM integration tests. Source after tests/lib/sim.sh:
#   pam_init                      config dir in $PD (0700): creds (0600), map
#   pam_conf [extra lines...]     (re)writes $PD/lockcloud.conf for $SIM_URL
#   pam_service NAME LINE...      writes a service file into $PD/services
#   pam_run SERVICE USER [OP]     pamtester under pam_wrapper; sets PAM_RC and
#                                 PAM_OUT (stdout+stderr, incl. syslog lines)
#   pam_expect SERVICE USER WANT "description"
#                                 WANT: "ok" (success) or the pam_strerror
#                                 text pamtester prints, e.g. "Permission denied"
# Real libpam, real module, real simulator: nothing is mocked.

PAM_MODULE="$LC_BUILD/pam_lockcloud.so"
_arch=$(cc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
PAM_WRAPPER_LIB=${PAM_WRAPPER_LIB:-/usr/lib/$_arch/libpam_wrapper.so}
PAM_SECDIR=/lib/$_arch/security

# pam_strerror() texts pamtester prints for the codes we assert.
E_PERM="Permission denied"
E_USER="User not known to the underlying authentication module"
E_UNAVAIL="Authentication service cannot retrieve authentication info"
E_SERVICE="Error in service module"
E_AUTH="Authentication failure"

CASEY_ID=30000000-0000-4000-8000-000000000002
UMA_ID=30000000-0000-4000-8000-000000000003
ELI_ID=30000000-0000-4000-8000-000000000004
DANA_ID=30000000-0000-4000-8000-000000000005
AVERY_ID=30000000-0000-4000-8000-000000000001
GHOST_ID=30000000-0000-4000-8000-0000000000ff

pam_prereqs() {
    for _p in pamtester nm; do
        command -v "$_p" >/dev/null 2>&1 || { echo "ok 1 - # SKIP $_p not installed"; exit 0; }
    done
    [ -f "$PAM_WRAPPER_LIB" ] || { echo "ok 1 - # SKIP libpam_wrapper not installed"; exit 0; }
    [ -f "$PAM_MODULE" ] || { echo "not ok 1 - $PAM_MODULE not built (make pam)"; exit 1; }
}

pam_init() {
    PD="$SIM_DIR/pam"
    mkdir -p "$PD/services"
    chmod 0700 "$PD"
    printf 'client_id = lockcloud-demo-client\nclient_secret = lockcloud-demo-secret\n' >"$PD/credentials"
    chmod 0600 "$PD/credentials"
    cat >"$PD/map" <<EOF
# linux user   access person (sim/fixtures ids)
avery  $AVERY_ID
casey  $CASEY_ID
uma    $UMA_ID
eli    $ELI_ID
dana   $DANA_ID
ghost  $GHOST_ID
EOF
    chmod 0644 "$PD/map"
}

# Extra lines ("failmode = safe", "timeout = 2") are appended verbatim.
# Writes $CONF when set, else $PD/lockcloud.conf.
pam_conf() {
    {
        echo "# written by $(basename "$0")"
        echo "api_url = $SIM_URL"
        echo "auth_url = $SIM_URL"
        echo "cafile = ${CAFILE:-$SIM_CA}"
        echo "credentials_file = ${CREDS:-$PD/credentials}"
        echo "map_file = $PD/map"
        for _l in "$@"; do echo "$_l"; done
    } >"${CONF:-$PD/lockcloud.conf}"
    chmod 0644 "${CONF:-$PD/lockcloud.conf}"
}

pam_service() {
    _name=$1; shift
    : >"$PD/services/$_name"
    for _l in "$@"; do echo "$_l" >>"$PD/services/$_name"; done
}

# A sanitized module (make sanitize) is dlopen()ed by an unsanitized
# pamtester: the ASan runtime must be preloaded first, and pam_wrapper's
# RTLD_DEEPBIND must be off (see pam_wrapper(1)).
PAM_PRELOAD=$PAM_WRAPPER_LIB
if [ "${LC_SANITIZED:-0}" = 1 ]; then
    _asan=$(${CC:-cc} -print-file-name=libasan.so)
    PAM_PRELOAD="$_asan $PAM_WRAPPER_LIB"
    export LC_PRELOAD_FIRST="$_asan"   # for examples/pam/check.sh
    export PAM_WRAPPER_DISABLE_DEEPBIND=1
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
fi

pam_run() {
    PAM_OUT=$(PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$PD/services" PAM_WRAPPER_DEBUGLEVEL=2 \
        LD_PRELOAD="$PAM_PRELOAD" pamtester -v "$1" "$2" "${3:-acct_mgmt}" 2>&1)
    PAM_RC=$?
}

# pam_wrapper prints each pam_syslog message on stderr as
# "PWRAP_...SYSLOG(<prio>): <message>" (without the pam_syslog prefix).
pam_syslog_lines() {
    printf '%s\n' "$PAM_OUT" | sed -n 's/^PWRAP_[A-Z]*\[.*\] - SYSLOG(\([0-9]\)): /<\1>/p' |
        grep -v '_pam_init_handlers'
}

# The decision line our module logged, as "<prio>user=...".
pam_logline() {
    pam_syslog_lines | grep -E '^<[0-9]>user=[^ ]* service=[^ ]* rule=' | tail -n 1
}

pam_expect() {
    pam_run "$1" "$2" "${5:-acct_mgmt}"
    if [ "$3" = ok ]; then
        [ "$PAM_RC" -eq 0 ]
    else
        [ "$PAM_RC" -ne 0 ] && printf '%s\n' "$PAM_OUT" | grep -q "^pamtester: $3\$"
    fi
    _r=$?
    # A sanitizer report fails the check whatever the PAM result was.
    if printf '%s\n' "$PAM_OUT" | grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:'; then
        _r=1
    fi
    ok $_r "$4"; [ -n "${PAM_DEBUG_LOG:-}" ] && pam_logline | sed "s|^|#   |"
    [ $_r -eq 0 ] || printf '%s\n' "$PAM_OUT" | sed 's/^/#   /'
    return $_r
}
