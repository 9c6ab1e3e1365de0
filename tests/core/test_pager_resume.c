/* Integration: a pager that returned an error resumes where it stopped.
 * A collection is walked once cleanly, then again with a different
 * failure before each page (429, timeout, a dropped connection, a 5xx;
 * the client neither waits nor retries, so each one reaches the caller):
 * every failure hands out nothing and leaves the position alone, the next
 * lc_pager_next asks for the failed page again, and the resumed walk
 * yields exactly the clean walk's items, in order, none lost or twice. */
#include "coretest.h"

#define MAX_ITEMS 64

typedef struct walk {
    char ids[MAX_ITEMS][64];
    int n;
} walk;

static void add(walk *w, const cJSON *item)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
    if (w->n < MAX_ITEMS)
        snprintf(w->ids[w->n++], sizeof w->ids[0], "%s", cJSON_IsString(id) ? id->valuestring : "?");
}

static const char *const faults[] = {
    "{\"kind\":\"status\",\"status\":429,\"count\":1,\"path\":\"/access_persons\"}",
    "{\"kind\":\"latency\",\"ms\":1500,\"count\":1,\"path\":\"/access_persons\"}",
    "{\"kind\":\"drop\",\"count\":2,\"path\":\"/access_persons\"}",
    "{\"kind\":\"status\",\"status\":503,\"count\":1,\"path\":\"/access_persons\"}",
};
static const lc_status kinds[] = { LC_ERR_RATE_LIMITED, LC_ERR_TIMEOUT, LC_ERR_TRANSPORT,
                                   LC_ERR_HTTP };
#define NFAULTS (sizeof faults / sizeof faults[0])

/* Every person of the fixture, whatever its status. */
static lc_query everyone[] = { "attributes[status][]", "current", "attributes[status][]",
                               "upcoming", "attributes[status][]", "expired",
                               "attributes[status][]", "deactivated", NULL };

int main(void)
{
    simproc *sim = simproc_start((const char *[]){ "--rate-limit", "100000/60", NULL });
    lc_config cfg = test_config(sim, NULL, NULL);
    lc_client *c = NULL;
    lc_pager *p = NULL;
    const cJSON *item;
    walk clean = { .n = 0 }, resumed = { .n = 0 };
    lc_error e;
    lc_status st;
    size_t failed = 0, as_expected = 0, kept_place = 0;
    int same = 1;

    if (!sim) {
        ok(0, "simulator started");
        return tap_done();
    }
    lc_error_init(&e);
    cfg.timeout_ms = 1000;
    cfg.max_retries = LC_OFF;
    cfg.max_rate_wait_ms = LC_OFF;
    ok(lc_client_new(&cfg, &c, &e) == LC_OK, "client that neither retries nor waits");

    ok(lc_pager_new(c, "access_persons.list", NULL, everyone, 1, &p, &e) == LC_OK, "clean pager");
    while ((st = lc_pager_next(p, &item, &e)) == LC_OK && item)
        add(&clean, item);
    lc_pager_free(p);
    p = NULL;
    ok(st == LC_OK && clean.n >= (int)NFAULTS + 1, "clean walk, one item a page (%d items)",
       clean.n);

    ok(lc_pager_new(c, "access_persons.list", NULL, everyone, 1, &p, &e) == LC_OK,
       "pager to resume");
    for (;;) {
        long long items_before, items_after;
        long page_before, page_after;

        if (resumed.n >= 1 && failed < NFAULTS && failed < (size_t)resumed.n) {
            ctl(sim, "/_sim/fault", faults[failed]);
            lc_pager_position(p, &items_before, &page_before);
            st = lc_pager_next(p, &item, &e);
            lc_pager_position(p, &items_after, &page_after);
            as_expected += st == kinds[failed] && item == NULL;
            if (st != kinds[failed])
                diag("fault %zu: %s (%s)", failed, lc_status_name(st), e.message);
            kept_place += items_after == items_before && page_after == page_before &&
                          items_before == resumed.n;
            failed++;
            if (st == LC_ERR_RATE_LIMITED && failed == 1)
                ok(e.retry_after >= 0, "the 429 tells when to come back (%ld s)", e.retry_after);
            continue; /* resume: simply ask again */
        }
        st = lc_pager_next(p, &item, &e);
        if (st != LC_OK || !item)
            break;
        add(&resumed, item);
    }
    ok(failed == NFAULTS && as_expected == NFAULTS,
       "each failure reached the caller as its kind (%zu of %zu)", as_expected, NFAULTS);
    ok(kept_place == NFAULTS, "no failure moved the position (%zu of %zu)", kept_place, NFAULTS);
    ok(st == LC_OK, "the resumed walk ended normally: %s", st ? e.message : "");
    for (int i = 0; i < clean.n && i < resumed.n; i++)
        same &= !strcmp(clean.ids[i], resumed.ids[i]);
    ok(same && resumed.n == clean.n,
       "the resumed walk yields the clean walk's items in order, none lost or repeated "
       "(%d of %d)", resumed.n, clean.n);
    lc_pager_free(p);
    lc_client_free(c);
    lc_error_clear(&e);
    ok(simproc_stop(sim) == 0, "simulator exited cleanly");
    return tap_done();
}
