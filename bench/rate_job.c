/* A long job under a small rate limit: N GETs from the Lua module, as a
 * script would write them (no sleeps of its own), against a simulator
 * started with --rate-limit L/W (LC_BENCH_RATE="N L W", default
 * "600 20 5"). The client is expected to pace itself from X-RateLimit-*
 * so that the job gets no 429 and ends close to the theoretical minimum.
 *
 * Theoretical minimum. The simulator's limiter (sim/src/ratelimit.c) is a
 * fixed window: the first counted request opens a window at its epoch
 * second s (a whole second), the window admits L requests and ends at
 * s + W; the next request at or after that end opens the next window. N
 * requests need K = ceil(N/L) windows, and window k opens no earlier than
 * the end of window k-1, so the last one opens no earlier than
 * s0 + (K-1)*W. With the first request sent at t0 = s0 + f (0 <= f < 1),
 * the job takes at least
 *     T_min = (ceil(N/L) - 1) * W - f          (= ceil(N/L - 1) * W - f)
 * e.g. 600 requests at 20 per 5 s: 29 * 5 = 145 s. The bench starts the
 * job just after a whole second (the child waits for "go" on its stdin),
 * so f is a few ms, and reports elapsed / T_min (target <= 1.02) and the
 * 429 answers the simulator logged (GET /_sim/requests; target 0). A job
 * that ends early because its calls were refused says so: that client
 * does not pace.
 * Prints "bench rate_job: ..." lines. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "simproc.h"

/* Sleeps until just after the next whole epoch second; returns the
 * fraction of a second (f) at which it woke. */
static double sleep_to_second(void)
{
    struct timespec now;

    clock_gettime(CLOCK_REALTIME, &now);
    struct timespec wait = { 0, 1000000000L - now.tv_nsec };
    nanosleep(&wait, NULL);
    clock_gettime(CLOCK_REALTIME, &now);
    return (double)now.tv_nsec / 1e9;
}

/* The API answers the simulator logged (OAuth excluded) and the 429s
 * among them; -1 on failure. */
static int count_answers(simproc *sim, long *total, long *refused)
{
    cJSON *doc = NULL;
    const cJSON *r;

    *total = *refused = 0;
    if (sim_ctl(sim, "GET", "/_sim/requests", NULL, &doc) != 200) {
        cJSON_Delete(doc);
        return -1;
    }
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(doc, "requests")) {
        const cJSON *path = cJSON_GetObjectItem(r, "path");
        const cJSON *status = cJSON_GetObjectItem(r, "status");
        if (cJSON_IsString(path) && strncmp(path->valuestring, "/oauth/", 7) == 0)
            continue;
        (*total)++;
        *refused += cJSON_IsNumber(status) && status->valuedouble == 429;
    }
    cJSON_Delete(doc);
    return 0;
}

int main(void)
{
    const char *top = getenv("LC_TOP"), *build = getenv("LC_BUILD");
    const char *rate = getenv("LC_BENCH_RATE"), *lua = getenv("LC_BENCH_LUA");
    long n = 600, limit = 20, window = 5, ok = -1, failed = -1, total, refused;
    char script[4096], env[8192], nstr[32], limit_arg[64], line[256];
    double f, t0, t1 = 0;
    bench_child ch;

    if (!top || !build) {
        fprintf(stderr, "bench rate_job: run through scripts/bench.sh\n");
        return 1;
    }
    if (rate && *rate && (sscanf(rate, "%ld %ld %ld", &n, &limit, &window) != 3 || n < 1 ||
                          limit < 1 || window < 1)) {
        fprintf(stderr, "bench rate_job: LC_BENCH_RATE must be \"N L W\"\n");
        return 1;
    }
    if (!lua || !*lua)
        lua = "lua5.4";
    snprintf(script, sizeof script, "%s/bench/rate_job.lua", top);
    snprintf(env, sizeof env, "%s/lua/5.4/?.so;;", build);
    setenv("LUA_CPATH", env, 1);
    snprintf(env, sizeof env, "%s/lua/?.lua;;", top);
    setenv("LUA_PATH", env, 1);
    snprintf(nstr, sizeof nstr, "%ld", n);
    snprintf(limit_arg, sizeof limit_arg, "%ld/%ld", limit, window);

    const char *sim_args[] = { "--rate-limit", limit_arg, NULL };
    simproc *sim = simproc_start(sim_args);
    if (!sim)
        return 1;
    char *argv[] = { (char *)lua, script, (char *)simproc_url(sim), (char *)simproc_ca(sim),
                     nstr, NULL };
    if (bench_child_start(&ch, argv) != 0 || bench_child_line(&ch, line, sizeof line, NULL) ||
        strcmp(line, "ready") != 0) {
        fprintf(stderr, "bench rate_job: the Lua job did not start\n");
        bench_child_wait(&ch, NULL);
        simproc_stop(sim);
        return 1;
    }
    f = sleep_to_second();
    t0 = bench_now_ms();
    bench_child_say(&ch, "go");
    if (bench_child_line(&ch, line, sizeof line, &t1) == 0)
        sscanf(line, "done %ld %ld", &ok, &failed);
    int child_status = bench_child_wait(&ch, NULL);
    int counted = count_answers(sim, &total, &refused);
    simproc_stop(sim);
    if (child_status != 0 || ok < 0 || counted != 0) {
        fprintf(stderr, "bench rate_job: the job failed (exit %d, line '%s')\n", child_status,
                line);
        return 1;
    }

    double elapsed = (t1 - t0) / 1e3;
    double t_min = (double)((n + limit - 1) / limit - 1) * (double)window - f;
    printf("bench rate_job: %ld requests at %ld per %ld s: %ld answered, %ld failed, "
           "%ld x 429 logged of %ld\n", n, limit, window, ok, failed, refused, total);
    if (t_min > 0)
        printf("bench rate_job: elapsed %.2f s, theoretical minimum %.2f s "
               "((ceil(N/L) - 1) * W - %.3f), ratio %.3f (target <= 1.02, 0 x 429)%s\n",
               elapsed, t_min, f, elapsed / t_min,
               ok < n ? "; the client does not pace: calls were refused" : "");
    else
        printf("bench rate_job: elapsed %.2f s (one window: no minimum)\n", elapsed);
    return 0;
}
