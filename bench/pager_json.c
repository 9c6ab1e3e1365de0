/* Walking a page and JSON memory, measured side by side in one run.
 *
 *  - walk: on a tree of 20,000 items in memory, the linked walk
 *    lc_pager_next does next to indexed access (cJSON_GetArrayItem per
 *    item, O(n) each, the old way). Served pages no longer get this big:
 *    the pager refuses a page holding more items than the per_page (at
 *    most 50) it asked for, so the end-to-end walk of a 2,000- and a
 *    20,000-item page this bench used to time cannot run.
 *  - memory: the peak RSS one lc_call adds for a hostile "[0,0,0,...]"
 *    answer of 16 MiB and of 1 MiB (default cap), and of 16 MiB under a
 *    64 KiB cap (what the PAM module uses). Each runs in a fresh child with
 *    the peak counter reset, so one measurement cannot hide another. Before
 *    the value budget, the 16 MiB answer cost ~684 MB; the value budget
 *    bounds it (~60 MB at the default cap: the reader builds as it reads
 *    and stops at the budget).
 * Times are CPU seconds of this process (best of 3); wall_ms beside them.
 * Prints "bench pager_json: ..." lines. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "json_parse.h"
#include "lockcloud/lockcloud.h"
#include "simproc.h"

#define PERSON "30000000-0000-4000-8000-000000000004"

static double now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static lc_client *client(simproc *sim, size_t cap)
{
    lc_config cfg;
    lc_client *c = NULL;
    lc_error e;

    memset(&cfg, 0, sizeof(cfg));
    cfg.api_url = cfg.auth_url = simproc_url(sim);
    cfg.client_id = SIMPROC_CLIENT_ID;
    cfg.client_secret = SIMPROC_CLIENT_SECRET;
    cfg.cafile = simproc_ca(sim);
    cfg.timeout_ms = 120000;
    cfg.max_response_bytes = cap;
    lc_error_init(&e);
    if (lc_client_new(&cfg, &c, &e) != LC_OK)
        fprintf(stderr, "lc_client_new: %s\n", e.message);
    lc_error_clear(&e);
    return c;
}

/* ---- walking a page ------------------------------------------------------ */

static const char page_head[] = "{\"data\":[{\"id\":\"i\"}";
static const char page_item[] = ",{\"id\":\"i\"}";
static const char page_tail[] = "],\"meta\":{\"total_pages\":1,\"page\":1}}";

/* The same 20,000-item data array in memory: ->next walk vs indexing. */
static void bench_walk_in_memory(void)
{
    size_t n = 20000, len = 0, cap = strlen(page_head) + n * strlen(page_item) + 64;
    char *text = malloc(cap);
    cJSON *doc = NULL;
    const cJSON *data, *it;
    double t0, linked, indexed;
    long seen = 0;
    lc_error e;

    len += (size_t)snprintf(text, cap, "%s", page_head);
    for (size_t i = 1; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "%s", page_item);
    len += (size_t)snprintf(text + len, cap - len, "%s", page_tail);
    lc_error_init(&e);
    if (lc_json_parse(text, len, NULL, "the bench page", &doc, &e) != LC_OK) {
        printf("bench pager_json: walk FAILED: %s\n", e.message);
        free(text);
        return;
    }
    data = cJSON_GetObjectItemCaseSensitive(doc, "data");
    t0 = now(CLOCK_PROCESS_CPUTIME_ID);
    for (it = data->child; it; it = it->next)
        seen++;
    linked = now(CLOCK_PROCESS_CPUTIME_ID) - t0;
    t0 = now(CLOCK_PROCESS_CPUTIME_ID);
    for (int i = 0; i < cJSON_GetArraySize(data); i++)
        seen += cJSON_GetArrayItem(data, i) != NULL;
    indexed = now(CLOCK_PROCESS_CPUTIME_ID) - t0;
    printf("bench pager_json: walk of %zu items in memory linked_ms=%.3f indexed_ms=%.1f "
           "(indexing is what lc_pager_next did) seen=%ld\n", n, linked * 1e3, indexed * 1e3,
           seen);
    cJSON_Delete(doc);
    free(text);
}

/* ---- memory ------------------------------------------------------------ */

static long status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t n = strlen(field);

    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, field, n) == 0 && line[n] == ':')
            kb = strtol(line + n + 1, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

/* In a child: one lc_call answered with "[0,0,...,0]" of about `bytes`
 * bytes; prints the peak RSS that call added and how it ended. */
static void measure(simproc *sim, const char *label, size_t bytes, size_t cap)
{
    int fds[2];
    pid_t pid;
    char buf[1024] = "";
    ssize_t got;
    long times = (long)(bytes - 3) / 2;

    if (simproc_fault_raw(sim, &(simproc_raw){
            .head = "[", .head_len = 1, .middle = "0,", .middle_len = 2, .times = times,
            .tail = "0]", .tail_len = 2, .path = "/access_persons/" }) != 200 ||
        pipe(fds) != 0) {
        printf("bench pager_json: rss %s FAILED to arm\n", label);
        return;
    }
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        static const char *const args[] = { PERSON, NULL };
        lc_client *c = client(sim, cap);
        cJSON *doc = NULL;
        lc_error e;
        lc_status st;
        long base;
        int fd = open("/proc/self/clear_refs", O_WRONLY);

        /* "5" resets the peak RSS (VmHWM) to the current RSS. */
        if (fd < 0 || write(fd, "5", 1) != 1)
            _exit(3);
        close(fd);
        lc_error_init(&e);
        base = status_kb("VmRSS");
        st = lc_call(c, "access_persons.get", args, NULL, NULL, &doc, &e);
        snprintf(buf, sizeof(buf), "body=%zu cap=%zu result=%s peak_added_mb=%.1f%s%s",
                 (size_t)(3 + 2 * times), cap, lc_status_name(st),
                 (double)(status_kb("VmHWM") - base) / 1024.0, st ? " why=" : "",
                 st ? e.message : "");
        if (write(fds[1], buf, strlen(buf)) < 0)
            _exit(2);
        _exit(0);
    }
    close(fds[1]);
    got = pid > 0 ? read(fds[0], buf, sizeof(buf) - 1) : -1;
    buf[got > 0 ? got : 0] = '\0';
    close(fds[0]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    printf("bench pager_json: rss %s %s\n", label, got > 0 ? buf : "FAILED");
}

int main(void)
{
    simproc *sim = simproc_start(NULL);

    if (!sim)
        return 1;
    measure(sim, "hostile-16MiB", 16u << 20, 0);
    measure(sim, "hostile-1MiB", 1u << 20, 0);
    measure(sim, "hostile-16MiB-64KiB-cap", 16u << 20, 64u << 10);
    bench_walk_in_memory();
    return simproc_stop(sim) == 0 ? 0 : 1;
}
