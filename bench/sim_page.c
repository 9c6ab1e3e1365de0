/* Cost of serving one page of access persons, at 100 and at 10,000 guests.
 *
 * Each simulator gets a generated fixture (the default fixture's OAuth
 * clients and locations, N guests: a third expired, a third current, a third
 * upcoming, granted alternately a location in Denver and one in Berlin) and
 * answers GET /access_persons?page=K&per_page=50 for pages spread over the
 * default-filtered list (current + upcoming). The figure is the median wall
 * time per request over a kept-alive TLS connection. Paging must not render
 * the whole collection, so the 10,000/100 ratio should stay near 1.
 *   walk:  consecutive pages, as a client walking the account asks them;
 *   fresh: the clock moved one second before each page (POST /_sim/clock,
 *          not timed), so nothing filtered for an earlier second is reused
 *          and every request filters all persons by their status again.
 *
 * $LC_SIM_BIN is measured; when $LC_SIM_BEFORE_BIN names another build
 * (e.g. of an older commit), it is measured in the same run and printed
 * beside it. Each answer's meta.total_count is checked against the number
 * of guests the status filter must keep, so a fast wrong answer fails.
 * Prints "bench sim_page: ..." lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "guest_fixture.h"
#include "simproc.h"

#define PER_PAGE 50
#define REQUESTS 15

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median ms per page of bin serving fixture; -1 on failure. fresh: move
 * the clock before each request. */
static double measure(const char *bin, const char *fixture, long kept, int fresh)
{
    setenv("LC_SIM_BIN", bin, 1);
    const char *args[] = {"--fixture", fixture, "--rate-limit", "1000000/60", NULL};
    simproc *sim = simproc_start(args);
    char *token = simproc_token(sim);
    double ms[REQUESTS];
    long pages = (kept + PER_PAGE - 1) / PER_PAGE;
    int bad = !token;
    for (int i = 0; i < REQUESTS && !bad; i++) {
        char path[96];
        snprintf(path, sizeof path, "/access_persons?page=%ld&per_page=%d",
                 1 + (long)i * 37 % pages, PER_PAGE);
        simproc_res r;
        if (fresh && sim_ctl(sim, "POST", "/_sim/clock", "{\"advance\":1}", NULL) != 200)
            bad = 1;
        double t0 = now_ms();
        long st = simproc_http(sim, &(simproc_req){.path = path, .bearer = token}, &r);
        ms[i] = now_ms() - t0;
        cJSON *doc = simproc_res_json(&r);
        const cJSON *total = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "meta"), "total_count");
        if (st != 200 || !cJSON_IsNumber(total) || (long)total->valuedouble != kept) {
            fprintf(stderr, "bench sim_page: %s %s: status %ld, total_count %g, want %ld\n", bin,
                    path, st, cJSON_IsNumber(total) ? total->valuedouble : -1.0, kept);
            bad = 1;
        }
        cJSON_Delete(doc);
        simproc_res_free(&r);
    }
    free(token);
    simproc_stop(sim);
    if (bad)
        return -1;
    qsort(ms, REQUESTS, sizeof ms[0], cmp_double);
    return ms[REQUESTS / 2];
}

int main(void)
{
    char dir[] = "/tmp/lc-bench-page-XXXXXX", small[64], large[64];
    const char *after = getenv("LC_SIM_BIN"), *before = getenv("LC_SIM_BEFORE_BIN");
    if (!after || !*after || !mkdtemp(dir)) {
        fprintf(stderr, "bench sim_page: needs $LC_SIM_BIN and a temp dir\n");
        return 1;
    }
    snprintf(small, sizeof small, "%s/100.json", dir);
    snprintf(large, sizeof large, "%s/10000.json", dir);
    const char *top = getenv("LC_TOP");
    long kept_small = bench_write_guest_fixture(top, small, 100, BENCH_STAYS_MIXED),
         kept_large = bench_write_guest_fixture(top, large, 10000, BENCH_STAYS_MIXED);
    int status = 0;
    if (kept_small < 0 || kept_large < 0) {
        fprintf(stderr, "bench sim_page: cannot write the fixtures\n");
        status = 1;
    }
    const char *names[] = {"before", "after"};
    const char *bins[] = {before && *before ? before : NULL, after};
    char *after_copy = strdup(after);
    bins[1] = after_copy;
    for (int b = 0; b < 2 && !status; b++) {
        if (!bins[b])
            continue;
        for (int fresh = 0; fresh < 2; fresh++) {
            double s = measure(bins[b], small, kept_small, fresh);
            double l = measure(bins[b], large, kept_large, fresh);
            if (s < 0 || l < 0) {
                status = 1;
                break;
            }
            printf("bench sim_page: %-6s %-5s page of 50: %7.2f ms at 100 guests, %7.2f ms at "
                   "10,000 (ratio %.1f)\n", names[b], fresh ? "fresh" : "walk", s, l, l / s);
        }
    }
    setenv("LC_SIM_BIN", after_copy, 1);
    free(after_copy);
    unlink(small);
    unlink(large);
    rmdir(dir);
    return status;
}
