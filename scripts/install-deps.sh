#!/bin/sh
# Installs the Debian 12 packages lockcloud needs to build, test and demo.
# Does nothing when they are all present; otherwise needs root (or sudo).
set -eu

PACKAGES="build-essential clang pkg-config ca-certificates curl openssl tzdata
libcurl4-openssl-dev libcjson-dev libssl-dev libpam0g-dev libmicrohttpd-dev
liblua5.4-dev lua5.4 liblua5.3-dev lua5.3 liblua5.2-dev lua5.2
liblua5.1-0-dev lua5.1 libluajit-5.1-dev luajit libclang-rt-14-dev
pamtester libpam-wrapper valgrind binutils util-linux time
openssh-server openssh-client
libsystemd-dev python3-dbusmock dbus"

missing=
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "installing:$missing"
if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
