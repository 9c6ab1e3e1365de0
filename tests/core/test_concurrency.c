/* Integration: several processes share one token file and rotate the
 * refresh token at the same time. The file lock + re-read protocol must
 * never leave a dead refresh token behind, and no process may ever present
 * a refresh token that was already used (the simulator would answer
 * invalid_grant). */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "coretest.h"

#define NPROC 4
#define ROUNDS 12

static char tokfile[512];

/* Child: ROUNDS explicit refreshes, each followed by an API call. Exit
 * status = number of failures. */
static int child_refresh(const simproc *sim)
{
    lc_client *c = test_client(sim, tokfile, NULL);
    lc_error e;
    int fails = 0;

    lc_error_init(&e);
    if (!c)
        return 100;
    for (int i = 0; i < ROUNDS; i++) {
        cJSON *out = NULL;
        if (lc_auth_refresh(c, &e) != LC_OK) {
            fprintf(stderr, "child %d refresh: %s\n", (int)getpid(), e.message);
            fails++;
        }
        /* Another process may rotate (and revoke our access token) between
         * our refresh and this call: the library must cope by adopting. */
        if (lc_call(c, "devices.list", NULL, NULL, NULL, &out, &e) != LC_OK &&
            !(e.kind == LC_ERR_AUTH && e.http_status == 403)) {
            fprintf(stderr, "child %d call: %s\n", (int)getpid(), e.message);
            fails++;
        }
        cJSON_Delete(out);
    }
    lc_client_free(c);
    lc_error_clear(&e);
    return fails;
}

/* Child: API calls only; the parent expires tokens by moving the clock, so
 * every child hits 403 at about the same time and renews. */
static int child_calls(const simproc *sim)
{
    lc_client *c = test_client(sim, tokfile, NULL);
    lc_error e;
    int fails = 0;

    lc_error_init(&e);
    if (!c)
        return 100;
    for (int i = 0; i < 40; i++) {
        cJSON *out = NULL;
        if (lc_call(c, "devices.list", NULL, NULL, NULL, &out, &e) != LC_OK) {
            /* A clock jump between renewal and retry can expire the new
             * token too; anything else (invalid_grant above all) is a bug. */
            if (!(e.kind == LC_ERR_AUTH && e.http_status == 403)) {
                fprintf(stderr, "child %d call: %s (%s)\n", (int)getpid(), e.message,
                        e.api_type);
                fails++;
            }
        }
        cJSON_Delete(out);
        nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
    }
    lc_client_free(c);
    lc_error_clear(&e);
    return fails;
}

/* Forks NPROC children running fn; while they run, the parent optionally
 * moves the simulator clock past the token lifetime a few times. Returns
 * the number of children that failed. */
static int run_children(simproc *sim, int (*fn)(const simproc *), int jumps)
{
    pid_t pids[NPROC];
    int failures = 0;

    fflush(stdout);
    fflush(stderr);
    for (int i = 0; i < NPROC; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            int f = fn(sim);
            _exit(f > 255 ? 255 : f);
        }
    }
    for (int j = 0; j < jumps; j++) {
        nanosleep(&(struct timespec){ 0, 150 * 1000 * 1000 }, NULL);
        ctl(sim, "/_sim/clock", "{\"advance\":7300}");
    }
    for (int i = 0; i < NPROC; i++) {
        int st = 0;
        if (pids[i] < 0 || waitpid(pids[i], &st, 0) < 0 || !WIFEXITED(st) ||
            WEXITSTATUS(st) != 0) {
            diag("child %d: %s %d", i, WIFEXITED(st) ? "failures" : "signal",
                 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
            failures++;
        }
    }
    return failures;
}

/* Counts POST /oauth/token answers by status. */
static void token_requests(simproc *sim, int *good, int *bad)
{
    cJSON *doc = sim_requests(sim);
    const cJSON *r;
    *good = *bad = 0;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "requests")) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(r, "path");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(r, "status");
        if (!cJSON_IsString(p) || strcmp(p->valuestring, "/oauth/token") != 0)
            continue;
        if (cJSON_IsNumber(s) && s->valueint == 200)
            (*good)++;
        else
            (*bad)++;
    }
    cJSON_Delete(doc);
}

/* A fresh client on the file can still refresh: the stored refresh token
 * is alive. */
static void check_file_alive(simproc *sim, const char *when)
{
    lc_client *c = test_client(sim, tokfile, NULL);
    lc_error e;
    cJSON *out = NULL;
    lc_error_init(&e);
    ok(c && lc_auth_refresh(c, &e) == LC_OK, "%s: a fresh client can still refresh (%s)", when,
       e.message);
    ok(lc_call(c, "devices.list", NULL, NULL, NULL, &out, &e) == LC_OK,
       "%s: and call the API", when);
    cJSON_Delete(out);
    lc_client_free(c);
    lc_error_clear(&e);
}

int main(void)
{
    simproc *sim = simproc_start(NULL);
    lc_client *c;
    lc_error e;
    int good, bad;

    if (!sim) {
        ok(0, "simulator started");
        return tap_done();
    }
    lc_error_init(&e);
    snprintf(tokfile, sizeof(tokfile), "%s/shared-tokens.json", simproc_dir(sim));
    ctl(sim, "/_sim/config", "{\"rate_limit\":100000}");
    c = test_client(sim, tokfile, NULL);
    ok(c && lc_auth_exchange_code(c, SIMPROC_AUTH_CODE, SIMPROC_REDIRECT_URI, &e) == LC_OK,
       "authorization_code tokens in the shared file");
    lc_client_free(c);

    ok(run_children(sim, child_refresh, 0) == 0,
       "%d processes x %d simultaneous refreshes: no failure", NPROC, ROUNDS);
    token_requests(sim, &good, &bad);
    ok(bad == 0, "no token request was refused (%d refused)", bad);
    ok(good == 1 + NPROC * ROUNDS, "every refresh rotated exactly once (%d grants)", good);
    check_file_alive(sim, "after concurrent refreshes");

    {
        int before = good + 1; /* check_file_alive refreshed once more */
        ok(run_children(sim, child_calls, 6) == 0,
           "%d processes renewing expired tokens together: no failure", NPROC);
        token_requests(sim, &good, &bad);
        ok(bad == 0, "still no refused token request (%d)", bad);
        ok(good - before < NPROC * 6,
           "processes adopted each other's renewals (%d grants for 6 expiries x %d processes)",
           good - before, NPROC);
    }
    check_file_alive(sim, "after concurrent renewals");

    ok(simproc_stop(sim) == 0, "simulator exited cleanly");
    lc_error_clear(&e);
    return tap_done();
}
