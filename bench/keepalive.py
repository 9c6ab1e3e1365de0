"""python3 requests.Session side of bench/keepalive.c.

keepalive.py URL CAFILE DEVICE_ID N; token in $LC_BENCH_TOKEN, Accept in
$LC_BENCH_ACCEPT. One warm-up GET (TLS handshake), "ready CPU", N GETs over the
session's kept-alive connection, each answer parsed, "done OK CPU" (CPU:
time.process_time(), this process's CPU seconds)."""
import os
import sys
import time

import requests

url, ca, device, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
s = requests.Session()
s.verify = ca
s.trust_env = False  # no proxies or .netrc from the environment, as lockcloud
s.headers.update({"Accept": os.environ["LC_BENCH_ACCEPT"],
                  "Authorization": "Bearer " + os.environ["LC_BENCH_TOKEN"]})
s.get(url).raise_for_status()
print("ready %.6f" % time.process_time(), flush=True)
ok = 0
for _ in range(n):
    r = s.get(url)
    if r.status_code == 200 and r.json()["data"]["id"] == device:
        ok += 1
print("done %d %.6f" % (ok, time.process_time()), flush=True)
