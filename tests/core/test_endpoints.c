/* Integration: what endpoints DO beyond their shape, through lc_call
 * against the simulator's fixture data: guest status, deactivation, lock
 * state and the events it records, grants and revokes, hostile path
 * arguments, the lazy pager (several pages, status filter, error in the
 * middle), lc_request, and the 404 / 422 error mappings. That every
 * catalogue row answers in its documented shape, pages, filters and sorts
 * is test_catalogue_live.c's job, driven by the catalogue. */
#include "coretest.h"

#define CASEY   "30000000-0000-4000-8000-000000000002"
#define FRONT   "20000000-0000-4000-8000-000000000001"
#define POOL    "20000000-0000-4000-8000-000000000002"

static lc_client *client;

static cJSON *call(const char *ep, lc_query *args, lc_query *query, const char *body_json,
                   lc_status *st, lc_error *e)
{
    cJSON *body = body_json ? cJSON_Parse(body_json) : NULL;
    cJSON *out = NULL;
    *st = lc_call(client, ep, args, query, body, &out, e);
    if (*st)
        diag("%s: %s", ep, e->message);
    cJSON_Delete(body);
    return out;
}

static int data_count(const cJSON *doc)
{
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(doc, "data");
    return cJSON_IsArray(d) ? cJSON_GetArraySize(d) : -1;
}

static const char *data_type(const cJSON *doc)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "data"),
                                                      "type");
    return cJSON_IsString(t) ? t->valuestring : "";
}

static int str_is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static void test_access_persons(lc_error *e)
{
    lc_status st;
    cJSON *doc;
    char user_id[64] = "", guest_id[64] = "";

    doc = call("access_persons.get", (lc_query[]){ CASEY, NULL }, NULL, NULL, &st, e);
    ok(st == LC_OK && str_is(doc_attr(doc, "name"), "Casey Current") &&
       str_is(data_type(doc), "access_guest") && str_is(doc_attr(doc, "status"), "current"),
       "access_persons.get: Casey Current, current guest");
    cJSON_Delete(doc);

    doc = call("access_persons.create", NULL, NULL,
               "{\"type\":\"access_user\",\"attributes\":{\"name\":\"Ann Smith\","
               "\"email\":\"ann@example.com\",\"pin\":\"4711\"}}", &st, e);
    ok(st == LC_OK && str_is(doc_attr(doc, "name"), "Ann Smith") &&
       str_is(doc_attr(doc, "status"), "current"), "access_persons.create access_user: current");
    if (doc_id(doc))
        snprintf(user_id, sizeof(user_id), "%s", doc_id(doc));
    cJSON_Delete(doc);

    doc = call("access_persons.create", NULL, NULL,
               "{\"type\":\"access_guest\",\"attributes\":{\"name\":\"Gus Guest\",\"pin\":\"5150\","
               "\"starts_at\":\"2026-03-11T15:00:00\",\"ends_at\":\"2026-03-13T11:00:00\"}}",
               &st, e);
    ok(st == LC_OK && str_is(data_type(doc), "access_guest") && doc_id(doc) &&
       str_is(doc_attr(doc, "status"), "upcoming"), "access_persons.create access_guest (upcoming)");
    if (doc_id(doc))
        snprintf(guest_id, sizeof(guest_id), "%s", doc_id(doc));
    cJSON_Delete(doc);

    doc = call("access_persons.update", (lc_query[]){ guest_id, NULL }, NULL,
               "{\"attributes\":{\"name\":\"Gus Renamed\"}}", &st, e);
    ok(st == LC_OK && str_is(doc_attr(doc, "name"), "Gus Renamed"), "access_persons.update");
    cJSON_Delete(doc);

    doc = call("access_persons.deactivate", (lc_query[]){ guest_id, NULL }, NULL, NULL, &st, e);
    ok(st == LC_OK && str_is(doc_attr(doc, "status"), "deactivated"),
       "access_persons.deactivate");
    cJSON_Delete(doc);

    doc = (cJSON *)1;
    st = lc_call(client, "access_persons.delete", (lc_query[]){ guest_id, NULL }, NULL, NULL,
                 &doc, e);
    ok(st == LC_OK && doc == NULL, "access_persons.delete: 204, *out NULL");

    lc_error_clear(e);
    st = lc_call(client, "access_persons.get", (lc_query[]){ guest_id, NULL }, NULL, NULL, &doc, e);
    ok(st == LC_ERR_API_GENERAL && e->http_status == 404 && str_is(e->api_type, "not_found") &&
       doc == NULL, "deleted person: 404 not_found (%s): %s", lc_status_name(st), e->message);

    /* 422: a guest without a name. */
    lc_error_clear(e);
    {
        cJSON *body = cJSON_Parse("{\"type\":\"access_guest\",\"attributes\":{"
                                  "\"starts_at\":\"2026-03-11T15:00:00\","
                                  "\"ends_at\":\"2026-03-13T11:00:00\",\"pin\":\"1111\"}}");
        const cJSON *first;
        st = lc_call(client, "access_persons.create", NULL, NULL, body, &doc, e);
        first = cJSON_GetArrayItem(e->api_errors, 0);
        ok(st == LC_ERR_API_RESOURCE && e->http_status == 422 && doc == NULL,
           "guest without a name: api-resource 422: %s", e->message);
        ok(cJSON_IsArray(e->api_errors) &&
           str_is(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(first, "attribute")), "name"),
           "api_errors names the attribute");
        ok(strstr(e->message, "Name can't be blank") != NULL || strstr(e->message, "name") != NULL,
           "message from full_messages");
        cJSON_Delete(body);
    }
    lc_error_clear(e);

    /* Accesses of the new user. */
    {
        char access_id[64] = "";
        doc = call("accesses.grant", (lc_query[]){ user_id, NULL }, NULL,
                   "{\"attributes\":{\"accessible_id\":\"" POOL "\",\"accessible_type\":\"lock\"}}",
                   &st, e);
        ok(st == LC_OK && doc_id(doc) && str_is(doc_attr(doc, "accessible_id"), POOL),
           "accesses.grant Pool Gate to the new user");
        if (doc_id(doc))
            snprintf(access_id, sizeof(access_id), "%s", doc_id(doc));
        cJSON_Delete(doc);

        doc = (cJSON *)1;
        st = lc_call(client, "accesses.revoke", (lc_query[]){ user_id, access_id, NULL }, NULL,
                     NULL, &doc, e);
        ok(st == LC_OK && doc == NULL, "accesses.revoke: 204");
        st = lc_call(client, "accesses.get", (lc_query[]){ user_id, access_id, NULL }, NULL,
                     NULL, &doc, e);
        ok(st != LC_OK && e->http_status == 404, "revoked access is gone (404)");
        lc_error_clear(e);
    }
    doc = call("access_persons.delete", (lc_query[]){ user_id, NULL }, NULL, NULL, &st, e);
    ok(st == LC_OK && doc == NULL, "delete the new user");
}

/* The simulator logs decoded paths: the id arrived as one segment. */
static int last_path_is(simproc *sim, const char *path)
{
    cJSON *doc = sim_requests(sim);
    const cJSON *reqs = cJSON_GetObjectItemCaseSensitive(doc, "requests");
    const cJSON *last = cJSON_GetArrayItem(reqs, cJSON_GetArraySize(reqs) - 1);
    int same = str_is(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(last, "path")), path);
    cJSON_Delete(doc);
    return same;
}

static int last_method_is(simproc *sim, const char *method)
{
    cJSON *doc = sim_requests(sim);
    const cJSON *reqs = cJSON_GetObjectItemCaseSensitive(doc, "requests");
    const cJSON *last = cJSON_GetArrayItem(reqs, cJSON_GetArraySize(reqs) - 1);
    int same = str_is(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(last, "method")),
                      method);
    cJSON_Delete(doc);
    return same;
}

static void test_devices_locations_events(simproc *sim, lc_error *e)
{
    lc_status st;
    cJSON *doc;

    doc = call("devices.unlock", (lc_query[]){ FRONT, NULL }, NULL, NULL, &st, e);
    ok(st == LC_OK && str_is(doc_attr(doc, "state"), "unlocked"), "devices.unlock");
    cJSON_Delete(doc);
    doc = call("devices.lock", (lc_query[]){ FRONT, NULL }, NULL, NULL, &st, e);
    ok(st == LC_OK && str_is(doc_attr(doc, "state"), "locked"), "devices.lock");
    cJSON_Delete(doc);

    lc_error_clear(e);
    st = lc_call(client, "devices.get", (lc_query[]){ "../oauth/token", NULL }, NULL, NULL, &doc, e);
    ok(st != LC_OK && (e->http_status == 404 || e->http_status == 400) &&
       last_path_is(sim, "/devices/../oauth/token"),
       "hostile id '../oauth/token' stays one segment under /devices/ (HTTP %ld)",
       e->http_status);
    lc_error_clear(e);
    st = lc_call(client, "devices.get", (lc_query[]){ "no such?id&x=%", NULL }, NULL, NULL, &doc, e);
    ok(st != LC_OK && e->http_status == 404, "id with ? & %% is one path segment (404)");
    lc_error_clear(e);

    doc = call("events.list", NULL, NULL, NULL, &st, e);
    ok(st == LC_OK && data_count(doc) >= 6, "events.list includes the new lock/unlock events (%d)",
       data_count(doc));
    cJSON_Delete(doc);
    doc = call("notifications.list", NULL, NULL, NULL, &st, e);
    ok(st == LC_OK && data_count(doc) >= 6, "notifications.list: one per new event too (%d)",
       data_count(doc));
    cJSON_Delete(doc);

    st = lc_request(client, "GET", "/devices?page=1&per_page=2", NULL, &doc, e);
    ok(st == LC_OK && data_count(doc) == 2, "lc_request with a raw query string");
    cJSON_Delete(doc);
    {
        cJSON *b = cJSON_Parse("{\"x\":1}");
        st = lc_request(client, "GET", "/locations", b, &doc, e);
        ok(st == LC_OK && data_count(doc) == 2 && last_method_is(sim, "GET"),
           "lc_request GET with a body stays a GET");
        cJSON_Delete(doc);
        cJSON_Delete(b);
    }
    st = lc_request(client, "PUT", "/devices/" POOL "/unlock", NULL, &doc, e);
    ok(st == LC_OK && str_is(doc_attr(doc, "state"), "unlocked"), "lc_request PUT");
    cJSON_Delete(doc);
}

static int count_path(simproc *sim, const char *prefix)
{
    cJSON *doc = sim_requests(sim);
    const cJSON *r;
    int n = 0;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "requests")) {
        const char *p = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "path"));
        n += p && strncmp(p, prefix, strlen(prefix)) == 0;
    }
    cJSON_Delete(doc);
    return n;
}

static void test_pager(simproc *sim, lc_error *e)
{
    static lc_query filter[] = { "attributes[status][]", "current", "attributes[status][]",
                                 "upcoming", NULL };
    lc_pager *p = NULL;
    const cJSON *item;
    lc_status st;
    int n = 0, statuses_ok = 1, before, expected;
    char seen[16][64];
    cJSON *all;

    /* How many match, asked in one page. */
    all = call("access_persons.list", NULL,
               (lc_query[]){ "attributes[status][]", "current", "attributes[status][]",
                             "upcoming", "per_page", "50", NULL }, NULL, &st, e);
    expected = data_count(all);
    cJSON_Delete(all);
    ok(expected >= 3, "%d people are current or upcoming", expected);

    before = count_path(sim, "/access_persons");
    ok(lc_pager_new(client, "access_persons.list", NULL, filter, 2, &p, e) == LC_OK,
       "pager with per_page 2 and a status filter");
    ok(count_path(sim, "/access_persons") == before, "creating the pager fetches nothing");
    ok(lc_pager_meta(p) == NULL, "no meta before the first page");
    while ((st = lc_pager_next(p, &item, e)) == LC_OK && item) {
        const char *status;
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(item, "attributes");
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "id"));
        status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "status"));
        statuses_ok &= str_is(status, "current") || str_is(status, "upcoming");
        for (int i = 0; i < n && i < 16; i++)
            statuses_ok &= !str_is(seen[i], id);
        if (n < 16 && id)
            snprintf(seen[n], sizeof(seen[n]), "%s", id);
        n++;
    }
    ok(st == LC_OK && n == expected, "pager yielded every match once (%d of %d)", n, expected);
    ok(statuses_ok, "only current/upcoming people, no duplicates");
    ok(count_path(sim, "/access_persons") - before == (expected + 1) / 2,
       "fetched %d pages lazily for %d items", count_path(sim, "/access_persons") - before,
       expected);
    {
        const cJSON *meta = lc_pager_meta(p);
        ok(meta && cJSON_GetObjectItemCaseSensitive(meta, "per_page") &&
           cJSON_GetObjectItemCaseSensitive(meta, "per_page")->valueint == 2,
           "lc_pager_meta: per_page 2");
    }
    ok(lc_pager_next(p, &item, e) == LC_OK && item == NULL, "stays at the end");
    lc_pager_free(p);

    /* An error between pages propagates; the pager stays usable. */
    p = NULL;
    n = 0;
    ok(lc_pager_new(client, "access_persons.list", NULL, filter, 2, &p, e) == LC_OK, "new pager");
    for (int i = 0; i < 2 && lc_pager_next(p, &item, e) == LC_OK && item; i++)
        n++;
    /* a 4xx: an answer no resend would change (a 5xx is retried) */
    ctl(sim, "/_sim/fault", "{\"kind\":\"status\",\"status\":409,\"count\":1,"
                            "\"path\":\"/access_persons\"}");
    st = lc_pager_next(p, &item, e);
    ok(st != LC_OK && e->http_status == 409 && item == NULL,
       "a failing page fetch returns the error: %s", e->message);
    while ((st = lc_pager_next(p, &item, e)) == LC_OK && item)
        n++;
    ok(st == LC_OK && n == expected, "after the error the pager continues (%d of %d)", n,
       expected);
    lc_pager_free(p);

    /* Default per_page and other collections. */
    p = NULL;
    n = 0;
    ok(lc_pager_new(client, "devices.list", NULL, NULL, 0, &p, e) == LC_OK, "devices pager");
    while ((st = lc_pager_next(p, &item, e)) == LC_OK && item)
        n++;
    {
        const cJSON *meta = lc_pager_meta(p);
        int total = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(meta, "total_count"));
        ok(st == LC_OK && n >= 3 && n == total,
           "devices pager with the API's default per_page (%d of %d)", n, total);
    }
    lc_pager_free(p);
    lc_error_clear(e);
}

/* ---- CSV answers (door group access search) ------------------------------ */

#define GROUP "f0000000-0000-4000-8000-000000000001"
#define CSV_PATH "/groups/" GROUP "/door_group_accesses/search.csv"

static int csv_fault(simproc *sim, const void *head, size_t len, const void *middle,
                     size_t mlen, long times)
{
    return simproc_fault_raw(sim, &(simproc_raw){ .head = head, .head_len = len,
                                                  .middle = middle, .middle_len = mlen,
                                                  .times = times, .path = CSV_PATH });
}

/* lc_call hands a CSV answer back as a string (not parsed: it is no JSON),
 * lc_call_raw as bytes, NULs included; the client's answer cap holds for
 * both; an error answer is still read as the API's error. */
static void test_csv_answers(simproc *sim, lc_error *e)
{
    static const char csv[] = "name,email,device\r\n\"Smith, Ann\",ann@example.com,Front "
                              "door\r\n\"Gus \"\"G\"\"\",,\xc3\xa9tage\r\n";
    static const char nul[] = "a,b\n\0,c\n";
    lc_query group[] = { GROUP, NULL };
    lc_raw_answer raw = { NULL, 0 };
    cJSON *out = NULL;
    lc_status st;

    ok(csv_fault(sim, csv, strlen(csv), NULL, 0, 0) == 200, "CSV answer armed");
    st = lc_call(client, "door_group_accesses.search", group, NULL, NULL, &out, e);
    ok(st == LC_OK && cJSON_IsString(out) && strcmp(out->valuestring, csv) == 0,
       "lc_call: the CSV text as a string, byte for byte: %s", st ? e->message : "");
    ok(last_path_is(sim, CSV_PATH) && last_method_is(sim, "GET"), "GET %s sent", CSV_PATH);
    cJSON_Delete(out);
    out = NULL;
    lc_error_clear(e);

    ok(csv_fault(sim, nul, sizeof nul - 1, NULL, 0, 0) == 200, "CSV answer with a NUL armed");
    st = lc_call_raw(client, "door_group_accesses.search", group, NULL, NULL, &raw, e);
    ok(st == LC_OK && raw.len == sizeof nul - 1 && memcmp(raw.data, nul, raw.len) == 0 &&
       raw.data[raw.len] == '\0', "lc_call_raw: every byte, NUL included (%zu)", raw.len);
    lc_raw_answer_free(&raw);
    ok(raw.data == NULL && raw.len == 0, "lc_raw_answer_free empties it");
    lc_raw_answer_free(&raw);
    lc_raw_answer_free(NULL);
    lc_error_clear(e);

    ok(csv_fault(sim, nul, sizeof nul - 1, NULL, 0, 0) == 200, "CSV answer with a NUL armed");
    st = lc_call(client, "door_group_accesses.search", group, NULL, NULL, &out, e);
    ok(st == LC_ERR_PARSE && !out && strstr(e->message, "NUL") &&
       strstr(e->request, "search.csv"), "lc_call refuses a NUL it cannot carry: %s",
       e->message);
    lc_error_clear(e);

    /* over the default 16 MiB cap: "response too large", nothing handed back */
    ok(csv_fault(sim, "h\n", 2, "0123456789abcdef,x\n", 19, 1000000) == 200,
       "19 MB CSV answer armed");
    raw = (lc_raw_answer){ NULL, 0 };
    st = lc_call_raw(client, "door_group_accesses.search", group, NULL, NULL, &raw, e);
    ok(st == LC_ERR_PARSE && !raw.data && raw.len == 0 && strstr(e->message, "too large"),
       "a CSV answer over max_response_bytes fails: %s", e->message);
    lc_error_clear(e);

    /* an error answer is the API's error, not text */
    static const char not_found[] = "{\"message\":\"Not found\"}";
    ok(simproc_fault_raw(sim, &(simproc_raw){ .status = 404, .head = not_found,
                                              .head_len = sizeof not_found - 1,
                                              .path = CSV_PATH }) == 200,
       "404 armed");
    st = lc_call(client, "door_group_accesses.search", group, NULL, NULL, &out, e);
    ok(st != LC_OK && !out && e->http_status == 404, "a 404 stays an error (%s)",
       lc_status_name(st));
    lc_error_clear(e);

    st = lc_call_raw(client, "nope.nothing", NULL, NULL, NULL, &raw, e);
    ok(st == LC_ERR_USAGE && !raw.data && strstr(e->message, "nope.nothing"),
       "lc_call_raw of an unknown name: usage error");
    lc_error_clear(e);
    ok(lc_call_raw(client, "door_group_accesses.search", group, NULL, NULL, NULL, e) ==
       LC_ERR_USAGE, "lc_call_raw without out: usage error");
    lc_error_clear(e);
}

/* ---- flavours ------------------------------------------------------------- */

static lc_client *flavoured_client(simproc *sim, const char *flavour, lc_error *e)
{
    lc_config cfg = test_config(sim, NULL, NULL);
    lc_client *c = NULL;
    cfg.flavour = flavour;
    if (lc_client_new(&cfg, &c, e) != LC_OK)
        diag("lc_client_new (flavour %s): %s", flavour ? flavour : "NULL", e->message);
    return c;
}

/* A row outside the client's flavour is a usage error naming the flavour
 * that documents it, before anything is sent; rows of both pass. */
static void test_flavours(simproc *sim, lc_error *e)
{
    static const char *const unknown[] = { "V1", "", "lockstate", "current ", NULL };
    lc_client *v1 = flavoured_client(sim, "v1", e), *now = flavoured_client(sim, NULL, e);
    lc_query dev[] = { FRONT, NULL }, two[] = { FRONT, CASEY, NULL };
    lc_pager *p = NULL;
    cJSON *out = NULL;
    int before = count_path(sim, "/");
    lc_status st;

    lc_error_clear(e);
    ok(v1 && now && strcmp(lc_client_flavour(v1), "v1") == 0 &&
       strcmp(lc_client_flavour(now), "current") == 0 && lc_client_flavour(NULL) == NULL,
       "lc_config.flavour: \"v1\"; NULL is \"current\"");
    st = lc_call(now, "devices.power_on", dev, NULL, NULL, &out, e);
    ok(st == LC_ERR_USAGE && !out && strstr(e->message, "devices.power_on") &&
       strstr(e->message, "flavour \"v1\"") && strstr(e->message, "LockState v1") &&
       strstr(e->message, "speaks flavour \"current\""),
       "a v1-only row on a current client: usage error naming v1: %s", e->message);
    lc_error_clear(e);
    st = lc_pager_new(now, "acs_doors.list", NULL, NULL, 0, &p, e);
    ok(st == LC_ERR_USAGE && !p && strstr(e->message, "flavour \"v1\""),
       "lc_pager_new of a v1-only collection on a current client: usage error");
    lc_error_clear(e);
    st = lc_call(v1, "devices.lock_for", two, NULL, NULL, &out, e);
    ok(st == LC_ERR_USAGE && !out && strstr(e->message, "flavour \"current\"") &&
       strstr(e->message, "current RemoteLock API"),
       "a current-only row on a v1 client: usage error naming current: %s", e->message);
    lc_error_clear(e);
    st = lc_pager_new(v1, "group_items.list", (lc_query[]){ GROUP, NULL }, NULL, 0, &p, e);
    ok(st == LC_ERR_USAGE && !p, "lc_pager_new of a current-only collection on a v1 client");
    lc_error_clear(e);
    st = lc_call_raw(v1, "door_group_accesses.search", (lc_query[]){ GROUP, NULL }, NULL, NULL,
                     &(lc_raw_answer){ NULL, 0 }, e);
    ok(st == LC_ERR_USAGE, "lc_call_raw checks the flavour too");
    lc_error_clear(e);
    ok(count_path(sim, "/") == before, "none of them sent a request, not even for a token");

    st = lc_call(v1, "devices.get", dev, NULL, NULL, &out, e);
    ok(st == LC_OK && out, "a row of both flavours answers a v1 client: %s", st ? e->message : "");
    cJSON_Delete(out);
    lc_error_clear(e);

    for (size_t i = 0; unknown[i]; i++) {
        lc_config cfg = test_config(sim, NULL, NULL);
        lc_client *c = NULL;
        char quoted[64];
        cfg.flavour = unknown[i];
        snprintf(quoted, sizeof quoted, "'%s'", unknown[i]);
        ok(lc_client_new(&cfg, &c, e) == LC_ERR_USAGE && !c && strstr(e->message, quoted) &&
           strstr(e->message, "\"current\", \"v1\""),
           "flavour \"%s\" is unknown: a usage error listing the flavours: %s", unknown[i],
           e->message);
        lc_error_clear(e);
    }
    lc_client_free(v1);
    lc_client_free(now);
}

int main(void)
{
    simproc *sim = simproc_start(NULL);
    lc_error e;

    if (!sim) {
        ok(0, "simulator started");
        return tap_done();
    }
    lc_error_init(&e);
    ctl(sim, "/_sim/config", "{\"rate_limit\":100000}");
    client = test_client(sim, NULL, NULL);
    ok(client != NULL, "client");
    test_access_persons(&e);
    test_devices_locations_events(sim, &e);
    test_pager(sim, &e);
    test_csv_answers(sim, &e);
    test_flavours(sim, &e);
    lc_client_free(client);
    lc_error_clear(&e);
    ok(simproc_stop(sim) == 0, "simulator exited cleanly");
    return tap_done();
}
