#!/bin/sh
# The directories `make install` creates, recorded so that `make uninstall`
# removes exactly those (once empty) and never one that existed before.
# Paths are recorded without DESTDIR, so a staged manifest stays true once
# the staged tree is copied to /. An empty MANIFEST records nothing (luarocks
# tracks its own files).
#
#   install-dirs.sh create DESTDIR MANIFEST [-m MODE] DIR...
#     like `install -d [-m MODE]` on DESTDIR/DIR...; each directory it had to
#     create (a DIR or a parent, and the manifest's own) is added to MANIFEST.
#     A repeated install adds nothing and forgets nothing.
#   install-dirs.sh remove DESTDIR MANIFEST DIR...
#     after the component's files are gone: each recorded directory that is a
#     DIR or a parent of one is removed if empty, deepest first (DIRs of one
#     component only: another's empty state directory stays). MANIFEST keeps
#     what is left and goes, with its own recorded directories, once nothing
#     else is recorded.
set -eu
export LC_ALL=C # byte order: a directory sorts before what it holds
[ $# -ge 3 ] || { echo "usage: $0 create|remove DESTDIR MANIFEST [-m MODE] DIR..." >&2; exit 2; }
action=$1 dest=${2%/} manifest=$3
shift 3
# Parallel `make -j install`: one component at a time reads and writes the manifest.
[ "$action" != create ] || mkdir -p "$dest/"
[ -d "$dest/" ] || exit 0 # remove: nothing was staged there
if [ -z "${LC_INSTALL_DIRS_LOCKED:-}" ] && command -v flock >/dev/null; then
    LC_INSTALL_DIRS_LOCKED=1 exec flock "$dest/" sh "$0" "$action" "$dest" "$manifest" "$@"
fi

# mkdirs DIR: create $dest/DIR and its missing parents (0755, as install -d),
# print each one created.
mkdirs() {
    p='' old=$IFS
    IFS=/
    set -f
    for c in $1; do
        [ -n "$c" ] || continue
        p=$p/$c
        if [ ! -d "$dest$p" ]; then
            mkdir -m 0755 "$dest$p"
            printf '%s\n' "$p"
        fi
    done
    IFS=$old
    set +f
}

# Recorded directories that still exist, each once.
recorded() {
    [ -f "$dest$manifest" ] || return 0
    sort -u "$dest$manifest" | while IFS= read -r e; do
        [ -z "$e" ] || [ ! -d "$dest$e" ] || printf '%s\n' "$e"
    done
}

# under E DIR...: E is one of DIR... or a parent of one.
under() {
    e=$1
    shift
    for d in "$@"; do
        case ${d%/}/ in "$e"/*) return 0 ;; esac
    done
    return 1
}

case $action in
create)
    mode=
    if [ "${1:-}" = -m ]; then mode=$2; shift 2; fi
    for d in "$@"; do
        case $d in /*) ;; *) echo "$0: not an absolute path: $d" >&2; exit 2 ;; esac
    done
    new=$(
        for d in "$@"; do
            mkdirs "$d"
            [ -z "$mode" ] || chmod "$mode" "$dest$d"
        done
        [ -z "$manifest" ] || mkdirs "$(dirname "$manifest")"
    )
    [ -n "$manifest" ] && [ -n "$new" ] || exit 0
    printf '%s\n' "$new" >>"$dest$manifest"
    chmod 0644 "$dest$manifest"
    ;;
remove)
    [ -n "$manifest" ] && [ -f "$dest$manifest" ] || exit 0
    # Reverse order puts every directory before its parents.
    recorded | sort -r | while IFS= read -r e; do
        if under "$e" "$@"; then rmdir "$dest$e" 2>/dev/null || true; fi
    done
    mdir=$(dirname "$manifest")
    left=$(recorded)
    others=$(printf '%s\n' "$left" | while IFS= read -r e; do
        [ -z "$e" ] || under "$e" "$mdir" || printf '%s\n' "$e"
    done)
    if [ -n "$others" ]; then
        printf '%s\n' "$left" >"$dest$manifest.tmp"
        mv "$dest$manifest.tmp" "$dest$manifest"
        exit 0
    fi
    # Only the manifest's own directories are left: the manifest goes, then
    # they do (one still holding others' files is theirs now).
    rm -f "$dest$manifest"
    printf '%s\n' "$left" | sort -r | while IFS= read -r e; do
        [ -z "$e" ] || rmdir "$dest$e" 2>/dev/null || true
    done
    ;;
*)
    echo "$0: unknown action: $action" >&2
    exit 2
    ;;
esac
