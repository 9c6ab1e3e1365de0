/* Whole PAM logins, as an admin's machine runs them: one pamtester process
 * per login (acct_mgmt, under pam_wrapper so the service files live in a
 * private directory), against one simulator, side by side:
 *   floor       the empty stack (pam_permit): process start, libpam;
 *   ours cold   pam_lockcloud.so without a token file: every login gets
 *               an access token, then the person;
 *   ours warm   with a token file (already holding a token): one request;
 *   ours cached with a decision cache holding a fresh record: no request;
 *   exec cold   pam_exec running bench/lib/pam_exec_check.sh, which does
 *               the same check with curl + jq (token, then the person);
 *   exec warm   the same with a token fetched once and kept in a file.
 * Each at 100 and at 10,000 access persons (a generated fixture, and a map
 * of as many users). A round runs LC_BENCH_LOGINS logins (default 20) of
 * each kind, in an order rotated per round; the figure is the median over
 * LC_BENCH_ROUNDS rounds (default 5) of ms per login, wall clock, and every
 * login must succeed (the users are current guests) or the bench fails.
 * Prints "bench pam_exec: ..." lines; skips (with the reason) where
 * pamtester, pam_wrapper, curl or jq is missing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "child.h"
#include "guest_fixture.h"
#include "simproc.h"

#define MAX_ROUNDS 15
#define SECURITY_DIR "/lib/x86_64-linux-gnu/security"
#define WRAPPER_LIB "/usr/lib/x86_64-linux-gnu/libpam_wrapper.so"

enum { K_FLOOR, K_OURS_COLD, K_OURS_WARM, K_OURS_CACHED, K_EXEC_COLD, K_EXEC_WARM, NKINDS };
static const char *const kind_names[NKINDS] = { "floor (pam_permit)", "ours cold", "ours warm",
                                                "ours cached", "curl+jq cold", "curl+jq warm" };
static const char *const services[NKINDS] = { "floor", "ours_cold", "ours_warm", "ours_cached",
                                              "exec_cold", "exec_warm" };

static long env_long(const char *name, long def, long min, long max)
{
    const char *v = getenv(name);
    long n = v && *v ? strtol(v, NULL, 10) : def;
    return n < min ? min : n > max ? max : n;
}

static int write_file(const char *dir, const char *name, mode_t mode, const char *text)
{
    char path[4096];
    FILE *f;
    int bad;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    if (!f)
        return -1;
    bad = fputs(text, f) < 0;
    bad |= fclose(f) != 0;
    return bad || chmod(path, mode) != 0 ? -1 : 0;
}

static const char *person_id(char *buf, size_t len, long i)
{
    snprintf(buf, len, "30000000-0000-4000-9000-%012lx", (unsigned long)i);
    return buf;
}

/* dir: the map of n users (u0 ... u<n-1>), the module's two configs, the
 * curl+jq script's files and the five service files. */
static int write_setup(const char *dir, const char *script, simproc *sim, long n,
                       const char *token)
{
    char line[8192], id[48], svc[4096];
    const char *url = simproc_url(sim), *ca = simproc_ca(sim);
    FILE *map;
    int bad = 0;

    snprintf(line, sizeof line, "%s/map", dir);
    if (!(map = fopen(line, "w")))
        return -1;
    for (long i = 0; i < n; i++)
        bad |= fprintf(map, "u%ld %s\n", i, person_id(id, sizeof id, i)) < 0;
    bad |= fclose(map) != 0;
    bad |= chmod(line, 0644) != 0;
    snprintf(line, sizeof line, "cp '%s' '%s/ca.pem'", ca, dir);
    bad |= system(line) != 0;
    bad |= write_file(dir, "credentials", 0600, "client_id = lockcloud-demo-client\n"
                      "client_secret = lockcloud-demo-secret\n");
    bad |= write_file(dir, "token_form", 0600, "grant_type=client_credentials&client_id="
                      "lockcloud-demo-client&client_secret=lockcloud-demo-secret");
    bad |= write_file(dir, "url", 0644, url);
    bad |= write_file(dir, "curl_token", 0600, token);
    /* cold: no token file; warm: a token file; cached: and a decision cache */
    static const char *const conf_names[3] = { "cold", "warm", "cached" };
    for (int k = 0; k < 3; k++) {
        snprintf(line, sizeof line, "api_url = %s\nauth_url = %s\ncafile = %s/ca.pem\n"
                 "credentials_file = %s/credentials\nmap_file = %s/map\n", url, url, dir, dir, dir);
        if (k >= 1)
            snprintf(line + strlen(line), sizeof line - strlen(line),
                     "token_file = %s/state/token\n", dir);
        if (k == 2)
            snprintf(line + strlen(line), sizeof line - strlen(line),
                     "cache_dir = %s/state/decisions\n", dir);
        snprintf(svc, sizeof svc, "%s.conf", conf_names[k]);
        bad |= write_file(dir, svc, 0644, line);
    }
    snprintf(line, sizeof line, "%s/state", dir);
    bad |= mkdir(line, 0700) != 0;
    snprintf(line, sizeof line, "%s/state/decisions", dir);
    bad |= mkdir(line, 0700) != 0;
    snprintf(svc, sizeof svc, "%s/services", dir);
    bad |= mkdir(svc, 0700) != 0;
    const char *lines[NKINDS] = { "account required " SECURITY_DIR "/pam_permit.so\n" };
    char ours[3][8192], exec[2][8192];
    for (int k = 0; k < 3; k++)
        snprintf(ours[k], sizeof ours[k], "account required %s config=%s/%s.conf\n",
                 getenv("LC_BENCH_PAM_MODULE"), dir, conf_names[k]);
    for (int warm = 0; warm < 2; warm++) {
        snprintf(exec[warm], sizeof exec[warm],
                 "account required " SECURITY_DIR "/pam_exec.so quiet /bin/sh %s %s %s\n", script, dir,
                 warm ? "warm" : "cold");
    }
    lines[K_OURS_COLD] = ours[0];
    lines[K_OURS_WARM] = ours[1];
    lines[K_OURS_CACHED] = ours[2];
    lines[K_EXEC_COLD] = exec[0];
    lines[K_EXEC_WARM] = exec[1];
    for (int k = 0; k < NKINDS; k++) {
        snprintf(line, sizeof line, "services/%s", services[k]);
        bad |= write_file(dir, line, 0644, lines[k]);
    }
    return bad ? -1 : 0;
}

/* ms per login of `logins` logins of one kind; -1 when one failed. Only
 * pamtester runs under pam_wrapper (services from dir/services). */
static double logins_ms(const char *dir, int kind, long logins, long n)
{
    char user[32], services_dir[96];
    double t0, ms;

    snprintf(services_dir, sizeof services_dir, "%s/services", dir);
    setenv("PAM_WRAPPER_SERVICE_DIR", services_dir, 1);
    setenv("PAM_WRAPPER", "1", 1);
    setenv("LD_PRELOAD", WRAPPER_LIB, 1);
    t0 = bench_now_ms();

    for (long i = 0; i < logins; i++) {
        /* spread over the map: the last users cost as much as the first */
        snprintf(user, sizeof user, "u%ld", (i * 7919) % n);
        char *argv[] = { "pamtester", (char *)services[kind], user, "acct_mgmt", NULL };
        int rc = bench_run_quiet(argv, NULL);
        if (rc != 0) {
            fprintf(stderr, "bench pam_exec: %s login of %s failed (exit %d)\n",
                    kind_names[kind], user, rc);
            t0 = -1;
            break;
        }
    }
    ms = t0 < 0 ? -1 : (bench_now_ms() - t0) / (double)logins;
    unsetenv("LD_PRELOAD");
    unsetenv("PAM_WRAPPER");
    unsetenv("PAM_WRAPPER_SERVICE_DIR");
    return ms;
}

static int have(const char *what)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", what);
    return system(cmd) == 0;
}

int main(void)
{
    static const long sizes[2] = { 100, 10000 };
    long logins = env_long("LC_BENCH_LOGINS", 20, 1, 10000);
    long rounds = env_long("LC_BENCH_ROUNDS", 5, 1, MAX_ROUNDS);
    const char *top = getenv("LC_TOP"), *build = getenv("LC_BUILD");
    char dir[] = "/tmp/lc-bench-pam-XXXXXX", script[4096], module[4096];
    double med[2][NKINDS], ms[NKINDS][MAX_ROUNDS];
    int status = 0;

    if (!top || !build) {
        fprintf(stderr, "bench pam_exec: run through scripts/bench.sh\n");
        return 1;
    }
    for (const char *const *t = (const char *const[]){ "pamtester", "curl", "jq", NULL }; *t; t++)
        if (!have(*t)) {
            printf("bench pam_exec: skipped (%s not installed)\n", *t);
            return 0;
        }
    if (access(WRAPPER_LIB, R_OK) != 0 || access(SECURITY_DIR "/pam_exec.so", R_OK) != 0) {
        printf("bench pam_exec: skipped (no pam_wrapper or pam_exec)\n");
        return 0;
    }
    snprintf(script, sizeof script, "%s/bench/lib/pam_exec_check.sh", top);
    snprintf(module, sizeof module, "%s/pam_lockcloud.so", build);
    setenv("LC_BENCH_PAM_MODULE", module, 1);
    if (!mkdtemp(dir))
        return 1;

    for (int s = 0; s < 2 && !status; s++) {
        char fixture[96], fixture_arg[96];
        snprintf(fixture, sizeof fixture, "%s/fixture-%ld.json", dir, sizes[s]);
        if (bench_write_guest_fixture(top, fixture, sizes[s], BENCH_STAYS_NOW) != sizes[s]) {
            status = 1;
            break;
        }
        snprintf(fixture_arg, sizeof fixture_arg, "%s", fixture);
        const char *sim_args[] = { "--fixture", fixture_arg, "--rate-limit", "1000000/60", NULL };
        simproc *sim = simproc_start(sim_args);
        char *token = simproc_token(sim);
        char sub[64], cmd[128];
        snprintf(sub, sizeof sub, "%s/%ld", dir, sizes[s]);
        if (!sim || !token || mkdir(sub, 0700) != 0 ||
            write_setup(sub, script, sim, sizes[s], token) != 0) {
            fprintf(stderr, "bench pam_exec: no simulator, token or setup\n");
            status = 1;
        }
        /* warm-up: the module's token file gets its token, the decision
         * cache a record for every user the rounds log in */
        if (!status && (logins_ms(sub, K_OURS_WARM, 1, sizes[s]) < 0 ||
                        logins_ms(sub, K_OURS_CACHED, logins, sizes[s]) < 0))
            status = 1;
        for (long r = 0; r < rounds && !status; r++)
            for (int k = 0; k < NKINDS && !status; k++) {
                int which = (int)((k + r) % NKINDS);
                ms[which][r] = logins_ms(sub, which, logins, sizes[s]);
                if (ms[which][r] < 0)
                    status = 1;
            }
        for (int k = 0; k < NKINDS && !status; k++)
            med[s][k] = bench_median(ms[k], (size_t)rounds);
        free(token);
        simproc_stop(sim);
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", sub);
        if (system(cmd) != 0)
            status = 1;
    }
    rmdir(dir);
    if (status)
        return 1;
    for (int s = 0; s < 2; s++)
        for (int k = 0; k < NKINDS; k++)
            printf("bench pam_exec: persons=%-5ld %-18s %7.2f ms/login (median of %ld rounds of %ld)\n",
                   sizes[s], kind_names[k], med[s][k], rounds, logins);
    for (int s = 0; s < 2; s++) {
        printf("bench pam_exec: persons=%-5ld curl+jq / ours: cold %.1fx (target >= 5), warm %.1fx;"
               " ours above the floor: cold %.1f ms, warm %.1f ms\n", sizes[s],
               med[s][K_EXEC_COLD] / med[s][K_OURS_COLD], med[s][K_EXEC_WARM] / med[s][K_OURS_WARM],
               med[s][K_OURS_COLD] - med[s][K_FLOOR], med[s][K_OURS_WARM] - med[s][K_FLOOR]);
    }
    for (int s = 0; s < 2; s++)
        printf("bench pam_exec: persons=%-5ld a cached decision adds %.1f ms to the floor "
               "(target <= 2)\n", sizes[s], med[s][K_OURS_CACHED] - med[s][K_FLOOR]);
    printf("bench pam_exec: ours warm at 10,000 / at 100 persons: %.2f, cached: %.2f (target ~1)\n",
           med[1][K_OURS_WARM] / med[0][K_OURS_WARM], med[1][K_OURS_CACHED] / med[0][K_OURS_CACHED]);
    return 0;
}
