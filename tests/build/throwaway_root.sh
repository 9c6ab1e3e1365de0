#!/bin/sh
# Runs a command with /usr, /etc and /var behind throwaway overlay layers,
# so a real `make install` (empty DESTDIR, real ldconfig) writes only into
# a tmpfs that vanishes with the mount namespace. Run it under
#   unshare --mount --propagation private sh throwaway_root.sh TMPFS CMD...
# TMPFS: an empty directory; the layers live in a tmpfs mounted there, and
# TMPFS/<dir>/upper holds what CMD changed under /<dir>. Exits 3 before
# running CMD if any layer is not in place.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 TMPFS CMD..." >&2; exit 2; }
layers=$1
shift
# Only a private namespace may go on: a mount here must never reach the host.
[ "$(findmnt -n -o PROPAGATION /)" = private ] || { echo "$0: / is not private" >&2; exit 3; }
mount -t tmpfs -o mode=0700 lc-throwaway "$layers"
for d in usr etc var; do
    mkdir -p "$layers/$d/upper" "$layers/$d/work"
    mount -t overlay lc-throwaway \
        -o "lowerdir=/$d,upperdir=$layers/$d/upper,workdir=$layers/$d/work" "/$d"
    [ "$(findmnt -n -o FSTYPE --target "/$d")" = overlay ] || { echo "$0: /$d not overlaid" >&2; exit 3; }
done
# /lib and /sbin must lead into /usr (merged /usr), or writes there would be real.
for l in /lib /sbin; do
    case $(readlink -f "$l") in /usr/*) ;; *) echo "$0: $l is not under /usr" >&2; exit 3 ;; esac
done
exec "$@"
