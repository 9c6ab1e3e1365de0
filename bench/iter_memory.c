/* Peak memory of iterating every access person, at 100 and at 10,000
 * (LC_BENCH_PERSONS overrides the larger count), from C (lc_pager_next)
 * and from Lua (for p in c:access_persons()). Iteration is lazy, page by
 * page, so the peak should not grow with the collection: target 10,000 /
 * 100 <= 1.1 for each.
 *
 * Each simulator gets a generated fixture: the default fixture's OAuth
 * clients, clock, time zone and locations, and N guests whose stays hold
 * the fixture clock, so the default listing (current and upcoming) has
 * all N; each guest has an access to one of two locations. Each client
 * runs in a fresh process (this binary with --iterate, or lua5.4
 * bench/iter_memory.lua), counts the persons it was given (a short count
 * fails the bench) and reports its peak RSS after the loop (VmHWM, see
 * peak_kb): the whole process, interpreter and libraries included, as an
 * operator would see it.
 * Prints "bench iter_memory: ..." lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "child.h"
#include "guest_fixture.h"
#include "lockcloud/lockcloud.h"
#include "simproc.h"


/* ---- --iterate: the C client ------------------------------------------- */

/* The peak RSS of this process image: VmHWM, which starts afresh at exec.
 * Not getrusage's ru_maxrss: Linux carries it across exec, and a child
 * spawned by a parent holding a 10,000-guest fixture would start at the
 * parent's peak. */
static long peak_kb(void)
{
    char line[256];
    long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");

    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

static int iterate(const char *url, const char *ca)
{
    lc_config cfg;
    lc_client *c = NULL;
    lc_pager *p = NULL;
    const cJSON *item = NULL;
    lc_error e;
    long n = 0;

    memset(&cfg, 0, sizeof cfg);
    cfg.api_url = cfg.auth_url = url;
    cfg.client_id = SIMPROC_CLIENT_ID;
    cfg.client_secret = SIMPROC_CLIENT_SECRET;
    cfg.cafile = ca;
    lc_error_init(&e);
    if (lc_client_new(&cfg, &c, &e) != LC_OK ||
        lc_pager_new(c, "access_persons.list", NULL, NULL, 50, &p, &e) != LC_OK) {
        fprintf(stderr, "bench iter_memory: %s\n", e.message);
        lc_client_free(c);
        return 1;
    }
    while (lc_pager_next(p, &item, &e) == LC_OK && item)
        n++;
    if (e.kind != LC_OK)
        fprintf(stderr, "bench iter_memory: C pager stopped after %ld: %s\n", n, e.message);
    lc_pager_free(p);
    lc_client_free(c);
    lc_error_clear(&e);
    printf("count %ld maxrss_kb %ld\n", n, peak_kb());
    return 0;
}

/* ---- the comparison ---------------------------------------------------- */

/* Runs one client; its peak RSS in KiB, -1 on failure or a short count. */
static long peak_of(char *const argv[], long want)
{
    bench_child ch;
    char line[256] = "";
    long count = -1, kb = -1;

    if (bench_child_start(&ch, argv) != 0)
        return -1;
    if (bench_child_line(&ch, line, sizeof line, NULL) == 0)
        sscanf(line, "count %ld maxrss_kb %ld", &count, &kb);
    if (bench_child_wait(&ch, NULL) != 0 || count != want) {
        fprintf(stderr, "bench iter_memory: %s iterated %ld of %ld persons\n", argv[0], count,
                want);
        return -1;
    }
    return kb;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--iterate") == 0)
        return iterate(argv[2], argv[3]);

    const char *top = getenv("LC_TOP"), *build = getenv("LC_BUILD");
    const char *lua = getenv("LC_BENCH_LUA"), *big = getenv("LC_BENCH_PERSONS");
    long sizes[2] = { 100, big && *big ? strtol(big, NULL, 10) : 10000 };
    char dir[] = "/tmp/lc-bench-iter-XXXXXX", fixture[2][128], self[4096], script[4096];
    char env[8192], fixture_arg[160];
    long kb[2][2]; /* [C, Lua][small, large] */
    int status = 0;

    if (!top || !build || !mkdtemp(dir)) {
        fprintf(stderr, "bench iter_memory: run through scripts/bench.sh\n");
        return 1;
    }
    if (!lua || !*lua)
        lua = "lua5.4";
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    self[sl > 0 ? sl : 0] = '\0';
    snprintf(script, sizeof script, "%s/bench/iter_memory.lua", top);
    snprintf(env, sizeof env, "%s/lua/5.4/?.so;;", build);
    setenv("LUA_CPATH", env, 1);
    snprintf(env, sizeof env, "%s/lua/?.lua;;", top);
    setenv("LUA_PATH", env, 1);

    for (int s = 0; s < 2 && !status; s++) {
        snprintf(fixture[s], sizeof fixture[s], "%s/%ld.json", dir, sizes[s]);
        if (bench_write_guest_fixture(top, fixture[s], sizes[s], BENCH_STAYS_CURRENT) != sizes[s]) {
            fprintf(stderr, "bench iter_memory: cannot write %s\n", fixture[s]);
            status = 1;
            break;
        }
        snprintf(fixture_arg, sizeof fixture_arg, "%s", fixture[s]);
        const char *sim_args[] = { "--fixture", fixture_arg, "--rate-limit", "1000000/60", NULL };
        simproc *sim = simproc_start(sim_args);
        if (!sim) {
            status = 1;
            break;
        }
        char *url = (char *)simproc_url(sim), *ca = (char *)simproc_ca(sim);
        char *c_argv[] = { self, "--iterate", url, ca, NULL };
        char *lua_argv[] = { (char *)lua, script, url, ca, NULL };
        kb[0][s] = peak_of(c_argv, sizes[s]);
        kb[1][s] = peak_of(lua_argv, sizes[s]);
        simproc_stop(sim);
        if (kb[0][s] < 0 || kb[1][s] < 0)
            status = 1;
    }
    for (int s = 0; s < 2; s++)
        unlink(fixture[s]);
    rmdir(dir);
    if (status)
        return 1;
    static const char *const names[] = { "C (lc_pager_next)", "Lua (c:access_persons())" };
    for (int k = 0; k < 2; k++)
        printf("bench iter_memory: %-24s peak RSS %6ld KiB at %ld persons, %6ld KiB at %ld: "
               "ratio %.3f (target <= 1.1)\n", names[k], kb[k][0], sizes[0], kb[k][1],
               sizes[1], (double)kb[k][1] / (double)kb[k][0]);
    return 0;
}
