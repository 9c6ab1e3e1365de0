#!/bin/sh
# Asks pam_lockcloud.so whether USER may log in, through real libpam:
# pamtester runs "acct_mgmt" under pam_wrapper against a throwaway service
#   account required <module> config=<CONFIG>
# so nothing under /etc/pam.d is touched and no root is needed (the config
# files must be owned by root or by you).
#
#   examples/pam/check.sh USER CONFIG
#     CONFIG   a lockcloud.conf, or a directory holding one
#   env: LC_PAM_MODULE (default $LC_BUILD/pam_lockcloud.so, LC_BUILD default
#        ./build), PAM_WRAPPER_LIB (default: the multiarch libpam_wrapper.so),
#        LC_PRELOAD_FIRST (preloaded before pam_wrapper, e.g. libasan.so for
#        a sanitized module)
#
# Prints the decision, the module's message and its syslog line:
#   lockcloud PAM: casey -> ALLOWED
#   lockcloud PAM: eli -> DENIED (Permission denied)
# Exit status: 0 allowed, 1 refused (any PAM failure), 2 usage or setup error.
set -u
[ $# -eq 2 ] || { echo "usage: $0 USER CONFIG" >&2; exit 2; }
user=$1 config=$2
[ -d "$config" ] && config=$config/lockcloud.conf
case $config in /*) ;; *) config=$(pwd)/$config ;; esac
top=$(cd "$(dirname "$0")/../.." && pwd)
module=${LC_PAM_MODULE:-${LC_BUILD:-$top/build}/pam_lockcloud.so}
case $module in /*) ;; *) module=$(pwd)/$module ;; esac
if [ -z "${PAM_WRAPPER_LIB:-}" ]; then
    arch=$(cc -print-multiarch 2>/dev/null || dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
    PAM_WRAPPER_LIB=/usr/lib/$arch/libpam_wrapper.so
fi
for f in "$module" "$PAM_WRAPPER_LIB" "$config"; do
    [ -e "$f" ] || { echo "$0: $f not found" >&2; exit 2; }
done
command -v pamtester >/dev/null || { echo "$0: pamtester not installed" >&2; exit 2; }

svc=$(mktemp -d "${TMPDIR:-/tmp}/lockcloud-pam.XXXXXX") || exit 2
trap 'rm -rf "$svc"' EXIT
echo "account required $module config=$config" >"$svc/lockcloud-check"

out=$(PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$svc" PAM_WRAPPER_DEBUGLEVEL=2 \
      LD_PRELOAD="${LC_PRELOAD_FIRST:+$LC_PRELOAD_FIRST }$PAM_WRAPPER_LIB" pamtester lockcloud-check "$user" acct_mgmt 2>&1)
rc=$?

if [ $rc -eq 0 ]; then
    echo "lockcloud PAM: $user -> ALLOWED"
else
    why=$(printf '%s\n' "$out" | sed -n 's/^pamtester: //p' | tail -n 1)
    echo "lockcloud PAM: $user -> DENIED (${why:-pamtester exit $rc})"
fi
# What the user sees (pam_error) and what syslog gets (via pam_wrapper).
printf '%s\n' "$out" | grep '^lockcloud:' | sed 's/^/  message: /'
printf '%s\n' "$out" | grep 'SYSLOG([0-9]): ' | grep -v '_pam_init_handlers' |
    sed 's/.*SYSLOG([0-9]): /  syslog:  /'
[ $rc -eq 0 ] && exit 0
exit 1
