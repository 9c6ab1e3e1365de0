/* N GETs of one device over one kept-alive TLS connection, four clients
 * side by side against one simulator (one CA, rate limit lifted):
 *   raw     libcurl, one easy handle set up once and reused: the local
 *           ceiling (this binary, --raw mode, in its own process). Same
 *           TLS settings (the CA's bytes as CAINFO_BLOB, peer and host
 *           verified) and same request headers as lockcloud sends; it
 *           reads the body but does not parse it;
 *   lua     the Lua module (bench/keepalive.lua): c:device(id), answer
 *           parsed and converted to a table;
 *   python  python3 requests.Session, answer parsed with .json()
 *           (bench/keepalive.py; skipped without the requests package);
 *   curl    one curl process per request (TLS handshake each time; its
 *           figure per request is steady, so a round runs
 *           LC_BENCH_CURL_REQUESTS of them, default 50, which leaves
 *           time for more rounds of the others).
 * Every client but curl warms up (token, handshake) and then prints
 * "ready CPU"; it prints "done OK CPU" after N requests (CPU: its own
 * process CPU seconds, user + system). This process stamps both lines as
 * they arrive, so one clock times every client. A round runs the four
 * once, in an order rotated per round; the figures are the medians of
 * LC_BENCH_ROUNDS rounds (default 9): wall ms per request (the target),
 * and the client's own CPU ms per request, which a loaded machine
 * disturbs less (curl: its processes' CPU, from wait4). A client whose
 * answers were not all right (status, the device's id) fails the bench.
 * Prints "bench keepalive: ..." lines. */
#include <curl/curl.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "lockcloud/lockcloud.h"
#include "simproc.h"
#include "vendor.h"

#define DEVICE "20000000-0000-4000-8000-000000000001"
#define MAX_ROUNDS 15

enum { C_RAW, C_LUA, C_PYTHON, C_CURL, NCLIENTS };
static const char *const client_names[NCLIENTS] = { "raw libcurl", "lua", "python requests",
                                                    "curl per request" };

/* ---- --raw: the ceiling ------------------------------------------------ */

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct body {
    char *data;
    size_t len, cap;
} body;

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    body *b = ud;
    size_t add = size * n;

    if (b->len + add + 1 > b->cap) {
        size_t cap = (b->len + add + 1) * 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return 0;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, add);
    b->len += add;
    b->data[b->len] = '\0';
    return add;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = f ? malloc(1 << 20) : NULL;

    *len = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    if (f)
        fclose(f);
    return buf;
}

/* keepalive --raw URL CA N, token in $LC_BENCH_TOKEN. The options are
 * those transport.c sets for a GET, set once. */
static int raw_loop(const char *url, const char *ca_path, long n)
{
    const char *token = getenv("LC_BENCH_TOKEN");
    char auth[4200], accept[256];
    size_t ca_len;
    char *ca = read_file(ca_path, &ca_len);
    struct curl_slist *hdrs = NULL;
    body b = { 0 };
    long ok = 0, status = 0;
    CURL *h;

    if (!token || !ca || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 2;
    h = curl_easy_init();
    snprintf(accept, sizeof accept, "Accept: %s", lc_protocol_remotelock.flavours[0].accept);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    hdrs = curl_slist_append(hdrs, accept);
    hdrs = curl_slist_append(hdrs, auth);
    hdrs = curl_slist_append(hdrs, "Content-Type:");
    hdrs = curl_slist_append(hdrs, "Expect:");
    struct curl_blob blob = { ca, ca_len, CURL_BLOB_NOCOPY };
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
    curl_easy_setopt(h, CURLOPT_CAINFO, NULL);
    curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROXY, "");
    curl_easy_setopt(h, CURLOPT_NOPROXY, "");
    curl_easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "liblockcloud/" LOCKCLOUD_VERSION);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    for (long i = -1; i < n; i++) { /* i = -1: the warm-up */
        b.len = 0;
        if (curl_easy_perform(h) == CURLE_OK &&
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status == 200 &&
            b.len > 0 && strstr(b.data, DEVICE))
            ok++;
        if (i == -1) {
            printf("ready %.6f\n", cpu_seconds());
            fflush(stdout);
            ok = 0;
        }
    }
    printf("done %ld %.6f\n", ok, cpu_seconds());
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    curl_global_cleanup();
    free(b.data);
    free(ca);
    return 0;
}

/* ---- the comparison ---------------------------------------------------- */

typedef struct figure {
    double wall_ms, cpu_ms; /* per request; -1: failed, -2: skipped */
} figure;

/* Runs a client that prints "ready CPU" then "done OK CPU"; its figures
 * for the part between, wall_ms -1 when it failed or not every answer was
 * right. */
static figure timed_child(char *const argv[], long n)
{
    bench_child ch;
    char line[256];
    double t0 = 0, t1 = 0, c0 = -1, c1 = -1;
    long ok = -1;
    figure fig = { -1, -1 };

    if (bench_child_start(&ch, argv) != 0)
        return fig;
    while (bench_child_line(&ch, line, sizeof line, NULL) == 0 &&
           sscanf(line, "ready %lf", &c0) != 1)
        fprintf(stderr, "bench keepalive: %s says: %s\n", argv[0], line);
    t0 = bench_now_ms();
    if (bench_child_line(&ch, line, sizeof line, &t1) == 0)
        sscanf(line, "done %ld %lf", &ok, &c1);
    if (bench_child_wait(&ch, NULL) != 0 || ok != n || c0 < 0 || c1 < c0) {
        fprintf(stderr, "bench keepalive: %s: %ld of %ld answers right\n", argv[0], ok, n);
        return fig;
    }
    fig.wall_ms = (t1 - t0) / (double)n;
    fig.cpu_ms = (c1 - c0) * 1e3 / (double)n;
    return fig;
}

/* One curl process per request, as a shell script would do it. */
static figure curl_per_request(const char *url, const char *ca, const char *token, long n)
{
    char accept[256], auth[4200];
    char *argv[] = { "curl", "-sS", "--fail", "-o", "/dev/null", "--cacert", (char *)ca,
                     "-H", accept, "-H", auth, "-A", "liblockcloud/" LOCKCLOUD_VERSION,
                     (char *)url, NULL };
    double t0 = bench_now_ms(), cpu = 0, one;
    figure fig = { -1, -1 };

    snprintf(accept, sizeof accept, "Accept: %s", lc_protocol_remotelock.flavours[0].accept);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    for (long i = 0; i < n; i++) {
        if (bench_run_quiet(argv, &one) != 0) {
            fprintf(stderr, "bench keepalive: curl failed on request %ld\n", i + 1);
            return fig;
        }
        cpu += one;
    }
    fig.wall_ms = (bench_now_ms() - t0) / (double)n;
    fig.cpu_ms = cpu * 1e3 / (double)n;
    return fig;
}

/* A ratio of two clients as the median of its per-round values: the two
 * ran minutes apart at most, seconds apart mostly, so a machine that
 * slows down for a while shifts both sides of most rounds alike. The
 * spread (lowest and highest round) says how far one run can be trusted. */
static void print_ratio(const char *name, const double *top, const double *bottom,
                        const double *ctop, const double *cbottom, long rounds, int digits,
                        const char *target)
{
    double wr[MAX_ROUNDS], cr[MAX_ROUNDS], lo = 0, hi = 0;

    for (long r = 0; r < rounds; r++) {
        wr[r] = top[r] / bottom[r];
        cr[r] = ctop[r] / cbottom[r];
        lo = r == 0 || wr[r] < lo ? wr[r] : lo;
        hi = r == 0 || wr[r] > hi ? wr[r] : hi;
    }
    printf("bench keepalive: %s = %.*f wall (rounds %.*f..%.*f)%s%s%s, %.*f client CPU\n", name,
           digits, bench_median(wr, (size_t)rounds), digits, lo, digits, hi,
           target ? " (target " : "", target ? target : "", target ? ")" : "", digits,
           bench_median(cr, (size_t)rounds));
}

static long env_long(const char *name, long def, long min, long max)
{
    const char *v = getenv(name);
    long n = v && *v ? strtol(v, NULL, 10) : def;
    return n < min ? min : n > max ? max : n;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--raw") == 0)
        return raw_loop(argv[2], argv[3], strtol(argv[4], NULL, 10));

    long n = env_long("LC_BENCH_REQUESTS", 500, 1, 100000);
    long rounds = env_long("LC_BENCH_ROUNDS", 9, 1, MAX_ROUNDS);
    long curl_n = env_long("LC_BENCH_CURL_REQUESTS", 50, 1, 100000);
    const char *top = getenv("LC_TOP"), *build = getenv("LC_BUILD");
    static const char *const pythons[] = { "python3", "/usr/bin/python3", NULL };
    const char *python = getenv("LC_BENCH_PYTHON");
    const char *lua = getenv("LC_BENCH_LUA");
    const char *sim_args[] = { "--rate-limit", "100000/60", NULL };
    char url[512], nstr[32], self[4096], script_lua[4096], script_py[4096], env[8192];
    double wall[NCLIENTS][MAX_ROUNDS], cpu[NCLIENTS][MAX_ROUNDS], med[NCLIENTS], cmed[NCLIENTS];
    int status = 0;

    if (!top || !build) {
        fprintf(stderr, "bench keepalive: run through scripts/bench.sh\n");
        return 1;
    }
    if (!python || !*python)
        python = bench_find_interpreter(pythons, "import requests");
    if (!lua || !*lua)
        lua = "lua5.4";
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    self[sl > 0 ? sl : 0] = '\0';
    snprintf(script_lua, sizeof script_lua, "%s/bench/keepalive.lua", top);
    snprintf(script_py, sizeof script_py, "%s/bench/keepalive.py", top);
    snprintf(env, sizeof env, "%s/lua/5.4/?.so;;", build);
    setenv("LUA_CPATH", env, 1);
    snprintf(env, sizeof env, "%s/lua/?.lua;;", top);
    setenv("LUA_PATH", env, 1);
    setenv("LC_BENCH_ACCEPT", lc_protocol_remotelock.flavours[0].accept, 1);
    snprintf(nstr, sizeof nstr, "%ld", n);

    simproc *sim = simproc_start(sim_args);
    char *token = simproc_token(sim);
    if (!sim || !token) {
        fprintf(stderr, "bench keepalive: no simulator or token\n");
        free(token);
        simproc_stop(sim);
        return 1;
    }
    setenv("LC_BENCH_TOKEN", token, 1);
    snprintf(url, sizeof url, "%s/devices/%s", simproc_url(sim), DEVICE);
    const char *ca = simproc_ca(sim), *base = simproc_url(sim);

    for (long r = 0; r < rounds && !status; r++) {
        for (int k = 0; k < NCLIENTS && !status; k++) {
            int which = (int)((k + r) % NCLIENTS);
            figure v = { -2, -2 }; /* skipped */
            if (which == C_RAW) {
                char *a[] = { self, "--raw", url, (char *)ca, nstr, NULL };
                v = timed_child(a, n);
            } else if (which == C_LUA) {
                char *a[] = { (char *)lua, script_lua, (char *)base, (char *)ca, DEVICE, nstr,
                              NULL };
                v = timed_child(a, n);
            } else if (which == C_PYTHON && python) {
                char *a[] = { (char *)python, script_py, url, (char *)ca, DEVICE, nstr, NULL };
                v = timed_child(a, n);
            } else if (which == C_CURL) {
                v = curl_per_request(url, ca, token, curl_n);
            }
            if (v.wall_ms == -1)
                status = 1;
            wall[which][r] = v.wall_ms;
            cpu[which][r] = v.cpu_ms;
        }
    }
    free(token);
    simproc_stop(sim);
    if (status)
        return 1;
    for (int k = 0; k < NCLIENTS; k++) {
        med[k] = wall[k][0] == -2 ? -1 : bench_median(wall[k], (size_t)rounds);
        cmed[k] = wall[k][0] == -2 ? -1 : bench_median(cpu[k], (size_t)rounds);
        if (med[k] < 0)
            printf("bench keepalive: %-16s skipped (no python3 with the requests package)\n",
                   client_names[k]);
        else
            printf("bench keepalive: %-16s %8.3f ms/request wall, %8.3f ms/request client CPU "
                   "(medians of %ld rounds of %ld)\n", client_names[k], med[k], cmed[k], rounds,
                   k == C_CURL ? curl_n : n);
    }
    print_ratio("lua / raw libcurl", wall[C_LUA], wall[C_RAW], cpu[C_LUA], cpu[C_RAW], rounds, 2,
                "<= 1.15");
    if (med[C_PYTHON] > 0)
        print_ratio("python requests / lua", wall[C_PYTHON], wall[C_LUA], cpu[C_PYTHON],
                    cpu[C_LUA], rounds, 1, ">= 6");
    print_ratio("curl per request / lua", wall[C_CURL], wall[C_LUA], cpu[C_CURL], cpu[C_LUA],
                rounds, 0, NULL);
    return 0;
}
