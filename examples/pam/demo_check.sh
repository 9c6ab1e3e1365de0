#!/bin/sh
# For `make demo`: configure pam_lockcloud for the running simulator in DIR
# and ask it about each USER. Needs SIM_URL and SIM_CA in the environment
# (LC_BUILD optional). A denial is a result, not a failure: exits 0 when
# every check produced a decision, 1 on a setup or service error.
#   examples/pam/demo_check.sh DIR USER...
set -u
[ $# -ge 2 ] || { echo "usage: $0 DIR USER..." >&2; exit 2; }
: "${SIM_URL:?SIM_URL not set}" "${SIM_CA:?SIM_CA not set}"
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
shift
sh "$here/setup.sh" "$dir" "$SIM_URL" "$SIM_CA" || exit 1
echo "config: $dir/lockcloud.conf (credentials 0600, map of fixture guests)"
status=0
for user in "$@"; do
    out=$(sh "$here/check.sh" "$user" "$dir")
    rc=$?
    printf '%s\n' "$out"
    # 0 allowed; 1 with "Permission denied" is a policy decision; else trouble.
    if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q -- '-> DENIED (Permission denied)'; then
        status=1
    fi
done
exit $status
