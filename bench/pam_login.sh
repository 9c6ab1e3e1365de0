#!/bin/sh
# One whole PAM login (pamtester -> libpam -> pam_lockcloud.so -> HTTPS to
# the simulator, token cached in a token file) with a 6-user map and with a
# 100,006-user map, interleaved so both see the same machine load. Shows
# what share of a login the map costs at 100,000 users: the map is read and
# validated on every login, and must not be the bottleneck.
# Prints "bench pam_login: map_users=N ms_per_login=X" and the ratio.
set -u
: "${LC_TOP:?run through scripts/bench.sh}"
. "$LC_TOP/tests/lib/sim.sh"
. "$LC_TOP/tests/pam/pamlib.sh"
ROUNDS=${LC_BENCH_ROUNDS:-20}
command -v pamtester >/dev/null || { echo "bench pam_login: skipped (no pamtester)"; exit 0; }
# Every login is an API request: lift the documented 120/minute.
sim_start --rate-limit 1000000/60 || exit 1
pam_init
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "user%06d %08x-0000-4000-8000-%012x\n", i, i, i }' \
    >"$PD/bigmap"
cat "$PD/map" >>"$PD/bigmap"
chmod 0644 "$PD/bigmap"
CONF=$PD/small.conf pam_conf "token_file = $PD/token"
CONF=$PD/big.conf pam_conf "token_file = $PD/token"
sed -i "s|^map_file = .*|map_file = $PD/bigmap|" "$PD/big.conf"
pam_service small "account required $PAM_MODULE config=$PD/small.conf"
pam_service big "account required $PAM_MODULE config=$PD/big.conf"
pam_run small casey   # warm up: the first login obtains the token
[ "$PAM_RC" -eq 0 ] || { echo "bench pam_login: warm-up login failed: $PAM_OUT"; exit 1; }

ms() { echo $(( $(date +%s%N) / 1000000 )); }
small_ms=0 big_ms=0
i=0
while [ $i -lt "$ROUNDS" ]; do
    for svc in small big; do
        t0=$(ms)
        pam_run $svc casey
        t1=$(ms)
        [ "$PAM_RC" -eq 0 ] || { echo "bench pam_login: $svc login failed: $PAM_OUT"; exit 1; }
        if [ $svc = small ]; then small_ms=$((small_ms + t1 - t0)); else big_ms=$((big_ms + t1 - t0)); fi
    done
    i=$((i + 1))
done
echo "bench pam_login: map_users=6 ms_per_login=$((small_ms / ROUNDS)) rounds=$ROUNDS"
echo "bench pam_login: map_users=100006 ms_per_login=$((big_ms / ROUNDS)) rounds=$ROUNDS"
awk -v a="$small_ms" -v b="$big_ms" 'BEGIN { printf "bench pam_login: ratio_100k_to_6=%.2f\n", b / a }'
