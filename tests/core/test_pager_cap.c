/* Integration: the pager at the API's 10,000-resource cap (page * per_page
 * <= 10,000). The simulator's raw fault answers every page request with
 * the same page of 50 items and the meta we choose, so a collection of any
 * size costs 200 small answers: when more items exist than the cap lets a
 * query list, the pager hands out the first 10,000 and then returns
 * LC_ERR_TOO_MANY telling the caller to narrow the query, every time it is
 * asked again and without sending anything; a collection of exactly
 * 10,000 ends normally. A hostile server claiming per_page 1 and ignoring
 * "page" gets the same: the pager always asks per_page itself and counts
 * items, and a page larger than asked for is LC_ERR_PARSE. */
#include "coretest.h"

#define ITEM "{\"type\":\"access_guest\",\"id\":\"g\",\"attributes\":{}}"

/* The next `count` requests under /access_persons are answered with 50
 * items, meta.per_page = claimed and meta.total_pages = total_pages. */
static int arm_pages_claiming(simproc *sim, long count, long total_pages, long claimed)
{
    char tail[256];

    snprintf(tail, sizeof tail, ITEM "],\"meta\":{\"page\":1,\"per_page\":%ld,"
             "\"total_pages\":%ld,\"total_count\":%ld}}", claimed, total_pages,
             total_pages * 50);
    return simproc_fault_raw(sim, &(simproc_raw){
        .head = "{\"data\":[", .head_len = 9,
        .middle = ITEM ",", .middle_len = strlen(ITEM ","), .times = 49,
        .tail = tail, .tail_len = strlen(tail),
        .path = "/access_persons", .count = count });
}

static int arm_pages(simproc *sim, long count, long total_pages)
{
    return arm_pages_claiming(sim, count, total_pages, 50);
}

/* GET /access_persons requests the simulator answered 200. */
static int pages_served(simproc *sim)
{
    cJSON *doc = sim_requests(sim);
    const cJSON *r;
    int n = 0;

    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "requests")) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(r, "path");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(r, "status");
        n += cJSON_IsString(p) && !strcmp(p->valuestring, "/access_persons") &&
             cJSON_IsNumber(s) && s->valueint == 200;
    }
    cJSON_Delete(doc);
    return n;
}

/* Walks the pager to its end or first error; *n gets the items. */
static lc_status walk(lc_pager *p, long long *n, lc_error *e)
{
    const cJSON *item;
    lc_status st;

    *n = 0;
    while ((st = lc_pager_next(p, &item, e)) == LC_OK && item)
        (*n)++;
    return st;
}

static void test_over_cap(simproc *sim, lc_client *c, int per_page)
{
    lc_pager *p = NULL;
    lc_error e;
    long long n = 0, items;
    long page;
    int sent;
    const cJSON *item = NULL;
    lc_status st;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    ok(arm_pages(sim, 1000, 1000) == 200, "pages of a 50,000-item collection armed");
    ok(lc_pager_new(c, "access_persons.list", NULL, NULL, per_page, &p, &e) == LC_OK,
       "pager, per_page %d", per_page);
    st = walk(p, &n, &e);
    ok(st == LC_ERR_TOO_MANY && n == 10000 && !strcmp(lc_status_name(st), "too-many"),
       "per_page %d: the first 10,000 items, then too-many (%lld): %s", per_page, n, e.message);
    ok(strstr(e.message, "narrow the query with filters") &&
       !strcmp(e.request, "GET /access_persons"),
       "the error tells the caller to narrow the query and names the request (%s)",
       e.request);
    ok(pages_served(sim) == 200, "200 pages were fetched, no page 201 (%d)", pages_served(sim));
    sent = request_count(sim);
    ok(lc_pager_next(p, &item, &e) == LC_ERR_TOO_MANY && !item && request_count(sim) == sent,
       "asked again: the same error, nothing sent, never a silent end");
    lc_pager_position(p, &items, &page);
    ok(items == 10000 && page == 201, "position: 10,000 items handed out, page 201 next "
       "(%lld, %ld)", items, page);
    lc_pager_free(p);
    sim_ctl(sim, "DELETE", "/_sim/fault", NULL, NULL);
    lc_error_clear(&e);
}

static void test_at_cap(simproc *sim, lc_client *c)
{
    lc_pager *p = NULL;
    lc_error e;
    long long n = 0;
    lc_status st;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    ok(arm_pages(sim, 1000, 200) == 200, "pages of a 10,000-item collection armed");
    ok(lc_pager_new(c, "access_persons.list", NULL, NULL, 50, &p, &e) == LC_OK, "pager");
    st = walk(p, &n, &e);
    ok(st == LC_OK && n == 10000, "exactly 10,000 items: the walk ends normally (%lld): %s", n,
       st ? e.message : "");
    lc_pager_free(p);
    sim_ctl(sim, "DELETE", "/_sim/fault", NULL, NULL);
    lc_error_clear(&e);
}

/* A server claiming per_page 1 and 999,999 pages, answering 50 items to
 * every request whatever its page: the pager asks per_page=50 itself, so
 * it still stops after 10,000 items and 200 requests (it used to trust
 * the claim: 10,000 requests, 500,000 items). */
static void test_lying_per_page(simproc *sim, lc_client *c)
{
    lc_pager *p = NULL;
    lc_error e;
    long long n = 0;
    lc_status st;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    ok(arm_pages_claiming(sim, 100000, 999999, 1) == 200, "a server claiming per_page 1 armed");
    ok(lc_pager_new(c, "access_persons.list", NULL, NULL, 0, &p, &e) == LC_OK, "pager");
    st = walk(p, &n, &e);
    ok(st == LC_ERR_TOO_MANY && n == 10000 && pages_served(sim) == 200,
       "claimed per_page 1: 10,000 items from 200 requests, then too-many (%lld items, %d "
       "requests): %s", n, pages_served(sim), e.message);
    lc_pager_free(p);
    sim_ctl(sim, "DELETE", "/_sim/fault", NULL, NULL);
    lc_error_clear(&e);
}

/* Asked for 10 a page, answered 50: a protocol error on the first page,
 * nothing handed out (else 10,000 pages of 50 would pass the page cap). */
static void test_page_too_big(simproc *sim, lc_client *c)
{
    lc_pager *p = NULL;
    lc_error e;
    long long n = 0;
    lc_status st;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    ok(arm_pages(sim, 10, 1000) == 200, "pages of 50 armed");
    ok(lc_pager_new(c, "access_persons.list", NULL, NULL, 10, &p, &e) == LC_OK, "pager, 10");
    st = walk(p, &n, &e);
    ok(st == LC_ERR_PARSE && n == 0 && strstr(e.message, "more than the 10 asked for") &&
       pages_served(sim) == 1, "50 items for per_page 10: parse error, nothing handed out "
       "(%lld): %s", n, e.message);
    lc_pager_free(p);
    sim_ctl(sim, "DELETE", "/_sim/fault", NULL, NULL);
    lc_error_clear(&e);
}

/* An answer without meta is not paged, so it is the only page: its items
 * are handed out, but never more than 10,000 (counted, not assumed). */
static void test_unpaged_over_cap(simproc *sim, lc_client *c)
{
    lc_pager *p = NULL;
    lc_error e;
    long long n = 0;
    lc_status st;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    ok(simproc_fault_raw(sim, &(simproc_raw){
        .head = "{\"data\":[", .head_len = 9, .middle = ITEM ",", .middle_len = strlen(ITEM ","),
        .times = 10000, .tail = ITEM "]}", .tail_len = strlen(ITEM "]}"),
        .path = "/access_persons", .count = 1 }) == 200, "one unpaged answer of 10,001 armed");
    ok(lc_pager_new(c, "access_persons.list", NULL, NULL, 0, &p, &e) == LC_OK, "pager");
    st = walk(p, &n, &e);
    ok(st == LC_ERR_TOO_MANY && n == 10000, "10,000 items, then too-many (%lld): %s", n,
       e.message);
    lc_pager_free(p);
    sim_ctl(sim, "DELETE", "/_sim/fault", NULL, NULL);
    lc_error_clear(&e);
}

/* Every page request says per_page, 0 asking for the most (50): the
 * simulator's default is 25, and its meta echoes what it served. */
static void test_per_page_sent(simproc *sim, lc_client *c)
{
    lc_pager *p = NULL;
    lc_error e;
    const cJSON *item = NULL, *pp;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    ok(lc_pager_new(c, "devices.list", NULL, NULL, 0, &p, &e) == LC_OK &&
       lc_pager_next(p, &item, &e) == LC_OK && item, "a page of devices: %s", e.message);
    pp = cJSON_GetObjectItemCaseSensitive(lc_pager_meta(p), "per_page");
    ok(cJSON_IsNumber(pp) && pp->valueint == 50, "per_page 0 asks for 50 (served %d)",
       cJSON_IsNumber(pp) ? pp->valueint : -1);
    lc_pager_free(p);
    lc_error_clear(&e);
}

int main(void)
{
    simproc *sim = simproc_start((const char *[]){ "--rate-limit", "100000/60", NULL });
    lc_client *c;

    if (!sim) {
        ok(0, "simulator started");
        return tap_done();
    }
    c = test_client(sim, NULL, NULL);
    test_over_cap(sim, c, 50);
    test_over_cap(sim, c, 0); /* the most, 50 */
    test_at_cap(sim, c);
    test_lying_per_page(sim, c);
    test_page_too_big(sim, c);
    test_unpaged_over_cap(sim, c);
    test_per_page_sent(sim, c);
    lc_client_free(c);
    ok(simproc_stop(sim) == 0, "simulator exited cleanly");
    return tap_done();
}
