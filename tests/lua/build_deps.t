#!/bin/sh
# Every project header a lockcloud.core object includes (as the compiler
# reports it, per Lua version) is a prerequisite of that object in make's
# rules: otherwise changing it (core/src/json_print.h, included by module.c)
# rebuilds liblockcloud.a but relinks the Lua module from stale objects.
# Reads make's rule database (make -pq): nothing is built or touched.
. "$LC_TOP/tests/lib/sim.sh"
cd "$LC_TOP" || exit 1

db=$(mktemp) || exit 1
trap 'rm -f "$db"' EXIT
make -pq BUILD="$LC_BUILD" >"$db" 2>/dev/null

checked=0
for dir in "$LC_BUILD"/lua/*/; do
    v=$(basename "$dir")
    [ -f "$dir/obj/cflags" ] || continue
    flags=$(cat "$dir/obj/cflags")
    # the pattern rule make uses for this version's objects
    rule=$(awk -v t="$LC_BUILD/lua/$v/obj/%.o:" 'index($0, t) == 1 { print; exit }' "$db")
    if [ -z "$rule" ]; then
        ok 1 "lua $v: make has a rule for its objects"
        continue
    fi
    missing=
    for src in lua/src/*.c; do
        # project headers only (system and Lua/cJSON headers are not ours)
        for h in $($flags -MM "$src" | tr -d '\\' | tr ' ' '\n' | grep -E '^(lua|core)/.*\.h$'); do
            case " ${rule#*:} " in
                *" $h "*) ;;
                *) missing="$missing $(basename "$src"):$h" ;;
            esac
        done
    done
    [ -z "$missing" ]; ok $? "lua $v: every project header its objects include is a prerequisite${missing:+ (missing:$missing)}"
    checked=$((checked + 1))
done
[ "$checked" -gt 0 ]; ok $? "checked at least one Lua version's build ($checked)"
echo "1..$TAP_N"
