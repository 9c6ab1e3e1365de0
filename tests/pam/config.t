#!/bin/sh
# Bad configuration of every kind through the real module: each is
# PAM_SERVICE_ERR with a logged reason, never an allow, and failmode=safe
# does not turn a configuration error into PAM_IGNORE.
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
pam_prereqs
sim_start || { echo "not ok 1 - simulator did not start"; exit 1; }
pam_init
M=$PAM_MODULE
C=$PD/lockcloud.conf

# Each case: fresh good files, one change, expect "Error in service module"
# and the reason in the log; casey would otherwise be allowed.
reset_files() {
    rm -f "$C" "$PD/credentials" "$PD/map" "$PD/link" "$PD/real"
    pam_init
    pam_conf "failmode = safe"
    pam_service lc "account required $M config=$C"
    # With pam_permit behind it: only a hard error can fail this stack.
    pam_service lcpermit "account required $M config=$C" "account required $PAM_SECDIR/pam_permit.so"
}

expect_error() { # description, log pattern
    pam_expect lc casey "$E_SERVICE" "$1 -> PAM_SERVICE_ERR"
    pam_syslog_lines | grep '^<3>' | grep -q -- "$2"
    ok $? "$1: log says '$2'"
    pam_expect lcpermit casey "$E_SERVICE" "$1: not softened by failmode=safe + pam_permit"
}

reset_files
pam_expect lc casey ok "baseline: good config allows casey"

reset_files; echo "colour = blue" >>"$C"
expect_error "unknown key" "line 8: unknown key 'colour'"
reset_files; echo "failmode = secure" >>"$C"
expect_error "duplicate key" "duplicate key 'failmode'"
reset_files; pam_conf "failmode = open"
expect_error "bad failmode" "failmode must be 'secure', 'safe' or 'cached'"
reset_files; pam_conf "failmode = safe" "timeout = 0"
expect_error "timeout 0" "timeout must be whole seconds"
reset_files; pam_conf "failmode = safe" "rule = everyone"
expect_error "unknown rule" "unknown rule 'everyone'"
reset_files; sed -i "s|^api_url = https://|api_url = http://|" "$C"
expect_error "plain http api_url" "api_url must be an https:// URL"
reset_files; sed -i '/^map_file/d' "$C"
expect_error "no map_file" "map_file is required"

reset_files; chmod 0664 "$C"
expect_error "group-writable config" "is group or world writable"
reset_files; chmod 0646 "$C"
expect_error "world-writable config" "is group or world writable"
reset_files; mv "$C" "$PD/real"; ln -s "$PD/real" "$C"
expect_error "symlinked config" "is a symbolic link"
reset_files; rm -f "$C"
expect_error "missing config file" "No such file or directory"
reset_files; rm -f "$C"; mkfifo "$C"
expect_error "config is a FIFO" "not a regular file"
if [ "$(id -u)" -eq 0 ]; then
    reset_files; chown 65534 "$C"
    expect_error "config owned by another user" "not owned by root or the effective user"
    reset_files; chown 65534 "$PD/map"
    expect_error "map owned by another user" "not owned by root or the effective user"
else
    ok 0 "# SKIP ownership cases need root"
fi

reset_files; chmod 0644 "$PD/credentials"
expect_error "0644 credentials file" "must be mode 0600"
reset_files; chmod 0640 "$PD/credentials"
expect_error "0640 credentials file" "must be mode 0600"
reset_files; mv "$PD/credentials" "$PD/real"; ln -s "$PD/real" "$PD/credentials"
expect_error "symlinked credentials file" "is a symbolic link"
reset_files; printf 'client_id = lockcloud-demo-client\n' >"$PD/credentials"
expect_error "credentials without client_secret" "both required"
reset_files; printf 'client_id = x\nclient_secret = hunter2\nclient_secret = hunter3\n' >"$PD/credentials"
expect_error "duplicate client_secret" "duplicate key 'client_secret'"
printf '%s\n' "$PAM_OUT" | grep -q hunter
[ $? -ne 0 ]
ok $? "credential values never appear in messages"

reset_files; rm -f "$PD/map"
expect_error "missing map file" "No such file or directory"
reset_files; chmod 0666 "$PD/map"
expect_error "world-writable map" "is group or world writable"
reset_files; echo "mallory 30000000/../../devices" >>"$PD/map"
expect_error "hostile map id" "invalid access person id"
reset_files; echo "mallory $CASEY_ID extra" >>"$PD/map"
expect_error "map line with three fields" "expected 'user id'"
reset_files; echo "casey $ELI_ID" >>"$PD/map"
expect_error "user mapped twice" "mapped more than once"
reset_files; awk 'BEGIN { s = "x"; for (i = 0; i < 1100; i++) s = s "x"; print s " 1" }' >>"$PD/map"
expect_error "overlong map line" "longer than 1024"

# Module arguments.
reset_files
pam_service lc "account required $M config=$C failmode=safe"
pam_expect lc casey "$E_SERVICE" "unknown module argument -> PAM_SERVICE_ERR"
pam_logline | grep -q "result=error"
printf '%s\n' "$PAM_OUT" | grep -q "unknown module argument 'failmode=safe'"
ok $? "unknown module argument is logged by name"
pam_service lc "account required $M config=lockcloud.conf"
pam_expect lc casey "$E_SERVICE" "relative config= path -> PAM_SERVICE_ERR"
pam_service lc "account required $M config=$C config=$C"
pam_expect lc casey "$E_SERVICE" "config= twice -> PAM_SERVICE_ERR"
pam_service lc "account required $M config=$C debug"
pam_expect lc casey ok "debug argument accepted"
printf '%s\n' "$PAM_OUT" | grep -q "is access person $CASEY_ID (map file)"
ok $? "debug logs the mapping"

echo "1..$TAP_N"
