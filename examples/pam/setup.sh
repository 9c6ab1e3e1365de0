#!/bin/sh
# Writes a pam_lockcloud configuration for the simulator's fixture into DIR:
#   DIR/lockcloud.conf   api_url/auth_url/cafile for the simulator
#   DIR/credentials      the fixture's demo OAuth client (mode 0600)
#   DIR/map              casey, uma, eli, dana, tess, avery -> fixture ids
#   DIR/token            token cache (created by the module, 0600)
#
#   examples/pam/setup.sh DIR SIM_URL SIM_CA [extra config lines...]
# e.g. setup.sh /tmp/lc https://127.0.0.1:40123 /tmp/ca.pem "failmode = safe"
set -eu
[ $# -ge 3 ] || { echo "usage: $0 DIR SIM_URL SIM_CA [config lines...]" >&2; exit 2; }
dir=$1 url=$2 ca=$3
shift 3
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac
case $ca in /*) ;; *) ca=$(pwd)/$ca ;; esac
umask 077
mkdir -p "$dir"
printf 'client_id = lockcloud-demo-client\nclient_secret = lockcloud-demo-secret\n' >"$dir/credentials"
chmod 0600 "$dir/credentials"
cat >"$dir/map" <<MAP
# linux user  RemoteLock access person id (sim/fixtures/README.md)
avery  30000000-0000-4000-8000-000000000001
casey  30000000-0000-4000-8000-000000000002
uma    30000000-0000-4000-8000-000000000003
eli    30000000-0000-4000-8000-000000000004
dana   30000000-0000-4000-8000-000000000005
tess   30000000-0000-4000-8000-000000000006
MAP
{
    echo "# pam_lockcloud for lockcloud-sim at $url"
    echo "api_url = $url"
    echo "auth_url = $url"
    echo "cafile = $ca"
    echo "credentials_file = $dir/credentials"
    echo "map_file = $dir/map"
    echo "token_file = $dir/token"
    for line in "$@"; do echo "$line"; done
} >"$dir/lockcloud.conf"
chmod 0644 "$dir/map" "$dir/lockcloud.conf"
