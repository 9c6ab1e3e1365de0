/* A burst of logins, the rate budget case: LC_BENCH_BURST_LOGINS
 * (default 1,000) logins of 100 users by LC_BENCH_BURST_WORKERS (default
 * 4) workers at once, each login a whole process (bench/lib/login/
 * pam_login: pam_start_confdir, acct_mgmt; pamtester under pam_wrapper
 * races at start when concurrent), each worker taking the users in the
 * same order (so the logins of one person meet). One fresh simulator per
 * kind:
 *   cached    cache_dir set, empty at the start, under the documented
 *             budget (120 requests a minute): every login must be allowed;
 *   uncached  no cache_dir, the budget raised so that none is refused.
 * Prints the wall time, logins/s, the logins refused and the requests
 * spent (API requests, which the account's budget counts, and token
 * requests) per kind; tests/pam/test_burst.c holds the request figure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "guest_fixture.h"
#include "simproc.h"

#define USERS 100

static long env_long(const char *name, long def, long min, long max)
{
    const char *v = getenv(name);
    long n = v && *v ? strtol(v, NULL, 10) : def;
    return n < min ? min : n > max ? max : n;
}

static int write_file(const char *path, mode_t mode, const char *text)
{
    FILE *f = fopen(path, "w");
    int bad;

    if (!f)
        return -1;
    bad = fputs(text, f) < 0;
    bad |= fclose(f) != 0;
    return bad || chmod(path, mode) != 0 ? -1 : 0;
}

/* dir: credentials, the map of the fixture's users (u<i>), the module's
 * config (with a decision cache when cached) and services/burst. */
static int write_setup(const char *dir, simproc *sim, int cached)
{
    char path[4096], text[8192];
    FILE *map;
    int bad = 0;

    snprintf(path, sizeof path, "%s/map", dir);
    if (!(map = fopen(path, "w")))
        return -1;
    for (int i = 0; i < USERS; i++)
        bad |= fprintf(map, "u%d 30000000-0000-4000-9000-%012x\n", i, i) < 0;
    bad |= fclose(map) != 0;
    bad |= chmod(path, 0644) != 0;
    snprintf(path, sizeof path, "%s/credentials", dir);
    bad |= write_file(path, 0600, "client_id = " SIMPROC_CLIENT_ID "\nclient_secret = "
                      SIMPROC_CLIENT_SECRET "\n");
    snprintf(path, sizeof path, "%s/decisions", dir);
    bad |= mkdir(path, 0700) != 0;
    snprintf(path, sizeof path, "%s/services", dir);
    bad |= mkdir(path, 0700) != 0;
    snprintf(text, sizeof text, "api_url = %s\nauth_url = %s\ncafile = %s\n"
             "credentials_file = %s/credentials\nmap_file = %s/map\ntoken_file = %s/token\n",
             simproc_url(sim), simproc_url(sim), simproc_ca(sim), dir, dir, dir);
    if (cached)
        snprintf(text + strlen(text), sizeof text - strlen(text), "cache_dir = %s/decisions\n",
                 dir);
    snprintf(path, sizeof path, "%s/lockcloud.conf", dir);
    bad |= write_file(path, 0644, text);
    snprintf(text, sizeof text, "account required %s/pam_lockcloud.so config=%s/lockcloud.conf\n",
             getenv("LC_BUILD"), dir);
    snprintf(path, sizeof path, "%s/services/burst", dir);
    bad |= write_file(path, 0644, text);
    return bad ? -1 : 0;
}

/* One worker: logins logins, users in order from u0; exits with the
 * number refused (at most 255). */
static void worker(const char *login, const char *services, long logins)
{
    long refused = 0;

    for (long j = 0; j < logins; j++) {
        char user[16];
        snprintf(user, sizeof user, "u%ld", j % USERS);
        char *argv[] = { (char *)login, (char *)services, "burst", user, NULL };
        refused += bench_run_quiet(argv, NULL) != 0;
    }
    _exit(refused > 255 ? 255 : (int)refused);
}

typedef struct burst_figures {
    double seconds;
    long refused;     /* logins not allowed (a worker's 255: at least)   */
    long api, token;  /* requests the simulator logged                   */
} burst_figures;

/* Runs the burst against sim with dir's services; 0 on success. */
static int burst(const char *login, const char *dir, simproc *sim, long logins, long workers,
                 burst_figures *f)
{
    char services[4096];
    pid_t pids[64];
    cJSON *doc = NULL;
    const cJSON *r;
    double t0;
    int broken = 0;

    memset(f, 0, sizeof *f);
    snprintf(services, sizeof services, "%s/services", dir);
    t0 = bench_now_ms();
    for (long w = 0; w < workers; w++) {
        /* the remainder goes to the first workers */
        long share = logins / workers + (w < logins % workers);
        if ((pids[w] = fork()) == 0)
            worker(login, services, share);
        if (pids[w] < 0) {
            workers = w;
            broken = 1;
        }
    }
    for (long w = 0; w < workers; w++) {
        int st = 0;
        waitpid(pids[w], &st, 0);
        if (!WIFEXITED(st))
            broken = 1;
        else
            f->refused += WEXITSTATUS(st);
    }
    f->seconds = (bench_now_ms() - t0) / 1000.0;
    if (sim_ctl(sim, "GET", "/_sim/requests", NULL, &doc) != 200)
        broken = 1;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(doc, "requests")) {
        const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(r, "path"));
        if (path && strcmp(path, "/oauth/token") == 0)
            f->token++;
        else
            f->api++;
    }
    cJSON_Delete(doc);
    return broken ? -1 : 0;
}

int main(void)
{
    static const char *const kinds[2] = { "cached", "uncached" };
    long logins = env_long("LC_BENCH_BURST_LOGINS", 1000, 1, 100000);
    long workers = env_long("LC_BENCH_BURST_WORKERS", 4, 1, 64);
    const char *top = getenv("LC_TOP"), *build = getenv("LC_BUILD");
    char dir[] = "/tmp/lc-bench-burst-XXXXXX", fixture[96], cmd[128], login[4096];
    burst_figures f[2];
    int status = 0;

    if (!top || !build) {
        fprintf(stderr, "bench pam_burst: run through scripts/bench.sh\n");
        return 1;
    }
    snprintf(login, sizeof login, "%s/bench-tools/pam_login", build);
    if (access(login, X_OK) != 0) {
        fprintf(stderr, "bench pam_burst: %s not built (make benches)\n", login);
        return 1;
    }
    if (!mkdtemp(dir))
        return 1;
    /* no fixture clock: the guests are current at the host's time, which
     * the module's cache reads */
    snprintf(fixture, sizeof fixture, "%s/fixture.json", dir);
    if (bench_write_guest_fixture(top, fixture, USERS, BENCH_STAYS_NOW) != USERS)
        status = 1;
    for (int k = 0; k < 2 && !status; k++) {
        const char *args[] = { "--fixture", fixture, "--rate-limit",
                               k == 0 ? "120/60" : "1000000/60", NULL };
        simproc *sim = simproc_start(args);
        char sub[64];

        snprintf(sub, sizeof sub, "%s/%s", dir, kinds[k]);
        if (!sim || mkdir(sub, 0700) != 0 || write_setup(sub, sim, k == 0) != 0 ||
            burst(login, sub, sim, logins, workers, &f[k]) != 0) {
            fprintf(stderr, "bench pam_burst: %s: no simulator, setup or worker\n", kinds[k]);
            status = 1;
        }
        simproc_stop(sim);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        status = 1;
    if (status)
        return 1;
    for (int k = 0; k < 2; k++)
        printf("bench pam_burst: %-8s %ld logins of %d users, %ld workers: %6.2f s, %6.1f logins/s,"
               " %ld refused, %ld API requests + %ld token%s\n", kinds[k], logins, USERS, workers,
               f[k].seconds, (double)logins / f[k].seconds, f[k].refused, f[k].api, f[k].token,
               k == 0 ? " (target <= ~100 API, 0 refused)" : "");
    printf("bench pam_burst: the cache spends %.1fx fewer API requests, at %.2fx the logins/s\n",
           (double)f[1].api / (double)(f[0].api ? f[0].api : 1), f[1].seconds / f[0].seconds);
    return 0;
}
