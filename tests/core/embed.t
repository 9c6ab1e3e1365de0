#!/bin/sh
# The C embedding example (examples/embed.c, built through the pkg-config
# file) lists the simulator's devices and unlocks one over HTTPS.
. "$LC_TOP/tests/lib/sim.sh"
embed="$LC_BUILD/examples/embed"

if [ ! -x "$embed" ]; then
    echo "not ok 1 - $embed was not built (make examples)"
    exit 1
fi
sim_start || { echo "not ok 1 - simulator started"; exit 1; }

out=$(LOCKCLOUD_CLIENT_ID=lockcloud-demo-client LOCKCLOUD_CLIENT_SECRET=lockcloud-demo-secret \
      "$embed" --url "$SIM_URL" --ca "$SIM_CA" 2>"$SIM_DIR/embed.err")
ok $? "embed exits 0"
echo "$out" | sed 's/^/# /'
echo "$out" | grep -q 'Front Door'; ok $? "lists the Front Door"
echo "$out" | grep -q 'Lodge Entrance'; ok $? "lists the Lodge Entrance"
echo "$out" | grep -q '^unlocked 20000000-0000-4000-8000-000000000001: state unlocked'
ok $? "unlocks the first lock"

LOCKCLOUD_CLIENT_ID=lockcloud-demo-client LOCKCLOUD_CLIENT_SECRET=lockcloud-demo-secret \
    "$embed" --url "$SIM_URL" --ca "$SIM_CA" 20000000-0000-4000-8000-000000000003 \
    >"$SIM_DIR/out2" 2>&1
ok $? "unlocks a lock given by id"
grep -q 'unlocked 20000000-0000-4000-8000-000000000003' "$SIM_DIR/out2"; ok $? "the named lock"

LOCKCLOUD_CLIENT_ID=lockcloud-demo-client LOCKCLOUD_CLIENT_SECRET=wrong-secret-value \
    "$embed" --url "$SIM_URL" --ca "$SIM_CA" >"$SIM_DIR/out3" 2>&1
[ $? -eq 1 ]; ok $? "a wrong secret fails with status 1"
grep -q 'invalid_client' "$SIM_DIR/out3"; ok $? "and says why"
! grep -q 'wrong-secret-value' "$SIM_DIR/out3"; ok $? "without printing the secret"

"$embed" --url "$SIM_URL" >/dev/null 2>&1
[ $? -eq 2 ]; ok $? "missing credentials is a usage error"
# Install into a staging root and build the example the way a user would,
# with only the installed header, library and pkg-config file.
stage="$SIM_DIR/stage"
if make -s -C "$LC_TOP" BUILD="$LC_BUILD" install-core DESTDIR="$stage" PREFIX=/usr/local \
        >"$SIM_DIR/install.log" 2>&1; then
    pcdir=$(dirname "$(find "$stage" -name lockcloud.pc | head -n 1)")
    export PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$stage"
    # A sanitized library needs the sanitizer runtime in the program too.
    san=
    [ -n "${LC_SANITIZED:-}" ] && san="-fsanitize=address,undefined"
    cc -std=c11 -Wall -Wextra -Werror $san "$LC_TOP/examples/embed.c" \
        $(pkg-config --cflags --libs lockcloud) -o "$SIM_DIR/embed-installed" \
        >"$SIM_DIR/cc.log" 2>&1
    ok $? "embed.c builds against the installed pkg-config file"
    libdir=$(pkg-config --variable=libdir lockcloud) # sysroot already applied
    LD_LIBRARY_PATH="$libdir" LOCKCLOUD_CLIENT_ID=lockcloud-demo-client \
        LOCKCLOUD_CLIENT_SECRET=lockcloud-demo-secret \
        "$SIM_DIR/embed-installed" --url "$SIM_URL" --ca "$SIM_CA" >/dev/null 2>&1
    ok $? "and runs against the installed shared library"
    unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
else
    sed 's/^/# /' "$SIM_DIR/install.log"
    ok 1 "make install-core into a staging root"
fi
echo "1..$TAP_N"
