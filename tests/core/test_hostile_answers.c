/* End to end over HTTPS: a simulator playing a hostile server (the "raw"
 * fault answers exact bytes). Ambiguous answers must come back from lc_call
 * as LC_ERR_PARSE with LC_ERRF_AMBIGUOUS (a key twice, NUL or invalid UTF-8
 * in a string or key), trailing data as a plain parse
 * error, and the per-client response cap (lc_config.max_response_bytes)
 * must bound both the body and the parser's value budget. */
#include "coretest.h"

#define PERSON "30000000-0000-4000-8000-000000000004" /* Eli Expired */

static const char *const person_args[] = { PERSON, NULL };

/* Arms one raw 200 answer for GET /access_persons/:id with body text. */
static int arm(simproc *sim, int status, const char *path, const char *body)
{
    return simproc_fault_raw(sim, &(simproc_raw){
        .status = status, .head = body, .head_len = strlen(body), .path = path }) == 200;
}

static lc_status get_person(lc_client *c, cJSON **doc, lc_error *e)
{
    lc_error_clear(e);
    return lc_call(c, "access_persons.get", person_args, NULL, NULL, doc, e);
}

static void test_ambiguous(simproc *sim, lc_client *c)
{
    static const struct { const char *body, *what; int ambiguous; } cases[] = {
        { "{\"data\":{\"id\":\"" PERSON "\",\"type\":\"guest\",\"attributes\":"
          "{\"status\":\"current\",\"status\":\"expired\"}}}",
          "duplicate status, current first", 1 },
        { "{\"data\":{\"id\":\"" PERSON "\",\"type\":\"guest\",\"attributes\":"
          "{\"status\":\"current\\u0000expired\"}}}",
          "status \"current\\u0000expired\"", 1 },
        { "{\"data\":{\"id\":\"" PERSON "\",\"type\":\"guest\",\"attributes\":"
          "{\"status\\u0000x\":\"current\",\"status\":\"expired\"}}}",
          "key \"status\\u0000x\" before the real status", 1 },
        { "{\"data\":{\"id\":\"" PERSON "\\u0000x\",\"type\":\"guest\",\"attributes\":"
          "{\"status\":\"current\"}}}",
          "id with a \\u0000 suffix", 1 },
        { "{\"data\":{\"id\":\"" PERSON "\",\"type\":\"guest\",\"attributes\":"
          "{\"status\":\"expired\"}}}"
          "{\"data\":{\"id\":\"" PERSON "\",\"type\":\"guest\",\"attributes\":"
          "{\"status\":\"current\"}}}",
          "a second document appended", 0 },
        /* overlong "\xC1\xB3" is 's' to a lenient decoder: "status" twice */
        { "{\"data\":{\"id\":\"" PERSON "\",\"type\":\"guest\",\"attributes\":"
          "{\"\xC1\xB3tatus\":\"expired\",\"status\":\"current\"}}}",
          "key \"\\xC1\\xB3tatus\" (overlong 's') before the real status", 1 },
        { "{\"data\":{\"id\":\"" PERSON "\",\"type\":\"guest\",\"attributes\":"
          "{\"status\":\"current\xED\xA0\x80\"}}}",
          "status holding an encoded surrogate", 1 },
    };
    lc_error e;
    lc_error_init(&e);
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        cJSON *doc = NULL;
        lc_status st;
        if (!ok(arm(sim, 200, "/access_persons/", cases[i].body), "raw fault armed"))
            continue;
        st = get_person(c, &doc, &e);
        ok(st == LC_ERR_PARSE && !doc && e.http_status == 200 &&
           !!(e.flags & LC_ERRF_AMBIGUOUS) == cases[i].ambiguous &&
           !strstr(e.message, "current") && !strstr(e.message, "expired"),
           "%s: parse error%s, no value in the message: %s", cases[i].what,
           cases[i].ambiguous ? " flagged ambiguous" : ", not ambiguous", e.message);
        cJSON_Delete(doc);
    }
    /* The same path still answers normally afterwards. */
    {
        cJSON *doc = NULL;
        ok(get_person(c, &doc, &e) == LC_OK && doc_id(doc) && !strcmp(doc_id(doc), PERSON),
           "the next, honest answer parses: %s", e.message);
        cJSON_Delete(doc);
    }
    /* An ambiguous error body is no API body: a plain HTTP error. */
    ok(arm(sim, 422, "/access_persons/",
           "{\"errors\":[{\"attribute\":\"name\",\"messages\":[\"bad\"]}],"
           "\"errors\":[]}"), "raw 422 armed");
    ok(get_person(c, NULL, &e) == LC_ERR_HTTP && e.http_status == 422 && !e.api_errors,
       "an ambiguous error body maps to a plain HTTP error: %s", e.message);
    lc_error_clear(&e);
}

/* A body whose strings are not UTF-8 is the caller's error: refused before
 * anything is sent (cJSON would print the bytes as they are). */
static void test_body_not_utf8(simproc *sim, lc_client *c)
{
    cJSON *body = cJSON_CreateObject(), *data = cJSON_AddObjectToObject(body, "data");
    cJSON *attrs;
    lc_error e;
    int before;
    lc_error_init(&e);

    cJSON_AddStringToObject(data, "type", "access_guest");
    attrs = cJSON_AddObjectToObject(data, "attributes");
    cJSON_AddStringToObject(attrs, "name", "Ann \xC1\xB3mith");
    before = request_count(sim);
    ok(lc_call(c, "access_persons.create", NULL, NULL, body, NULL, &e) == LC_ERR_USAGE &&
       strstr(e.message, "not valid UTF-8") && !strstr(e.message, "Ann"),
       "lc_call with a body value that is not UTF-8: usage error: %s", e.message);
    lc_error_clear(&e);
    cJSON_DeleteItemFromObject(attrs, "name");
    cJSON_AddStringToObject(attrs, "n\xFFme", "Ann");
    ok(lc_request(c, "POST", "/access_persons", body, NULL, &e) == LC_ERR_USAGE,
       "lc_request with a body key that is not UTF-8: usage error: %s", e.message);
    ok(before >= 0 && request_count(sim) == before, "neither was sent (%d requests before)",
       before);
    cJSON_Delete(body);
    lc_error_clear(&e);
}

/* "[0,0,...,0]" of exactly n bytes (n odd, >= 3): (n - 1) / 2 zeros. */
static char *zeros(size_t n)
{
    char *s = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        s[i] = (i % 2) ? '0' : ',';
    s[0] = '[';
    s[n - 1] = ']';
    s[n] = '\0';
    return s;
}

static void test_response_cap(simproc *sim)
{
    lc_config cfg = test_config(sim, NULL, NULL);
    lc_client *c = NULL;
    lc_error e;
    char *small = zeros(3001), *large = zeros(5001);
    lc_error_init(&e);

    cfg.max_response_bytes = 4096;
    ok(lc_client_new(&cfg, &c, &e) == LC_OK, "client with a 4 KiB cap: %s", e.message);
    ok(arm(sim, 200, "/access_persons/", small) && get_person(c, NULL, &e) == LC_OK,
       "a 3001-byte answer fits a 4 KiB cap: %s", e.message);
    ok(arm(sim, 200, "/access_persons/", large) && get_person(c, NULL, &e) == LC_ERR_PARSE &&
       strstr(e.message, "too large") && strstr(e.message, "4096"),
       "a 5001-byte answer is over a 4 KiB cap: %s", e.message);
    lc_client_free(c);
    free(small);
    free(large);

    /* The value budget follows the cap: a dense 60 KB answer is within a
     * 64 KiB cap in bytes but not in values (one per 2 bytes). */
    cfg.max_response_bytes = 64 * 1024;
    c = NULL;
    large = zeros(60001);
    ok(lc_client_new(&cfg, &c, &e) == LC_OK, "client with a 64 KiB cap");
    ok(arm(sim, 200, "/access_persons/", large) && get_person(c, NULL, &e) == LC_ERR_PARSE &&
       strstr(e.message, "JSON values") && !(e.flags & LC_ERRF_AMBIGUOUS),
       "30,001 values are over the value budget of a 64 KiB cap: %s", e.message);
    lc_client_free(c);
    free(large);

    /* With the default cap the same answer parses. */
    cfg.max_response_bytes = 0;
    c = NULL;
    large = zeros(60001);
    ok(lc_client_new(&cfg, &c, &e) == LC_OK, "client with the default cap");
    ok(arm(sim, 200, "/access_persons/", large) && get_person(c, NULL, &e) == LC_OK,
       "the default cap's budget takes it: %s", e.message);
    lc_client_free(c);
    free(large);
    lc_error_clear(&e);
}

/* The pager walks one large page completely and in order: an unpaged
 * answer (no meta) of 10,000 items, the most it hands out (a paged one is
 * at most per_page). */
static void test_large_page(simproc *sim, lc_client *c)
{
    enum { N = 10000 };
    static const char head[] = "{\"data\":[{\"id\":\"first\"}";
    static const char middle[] = ",{\"id\":\"x\"}";
    static const char tail[] = ",{\"id\":\"last\"}]}";
    lc_pager *p = NULL;
    const cJSON *item;
    lc_error e;
    long n = 0;
    int order_ok = 1;
    lc_error_init(&e);

    ok(simproc_fault_raw(sim, &(simproc_raw){
           .head = head, .head_len = strlen(head), .middle = middle,
           .middle_len = strlen(middle), .times = N - 2, .tail = tail,
           .tail_len = strlen(tail), .path = "/access_persons" }) == 200,
       "raw page of %d items armed", N);
    ok(lc_pager_new(c, "access_persons.list", NULL, NULL, 0, &p, &e) == LC_OK, "pager");
    for (;;) {
        const cJSON *id;
        if (lc_pager_next(p, &item, &e) != LC_OK || !item)
            break;
        id = cJSON_GetObjectItemCaseSensitive(item, "id");
        if (!cJSON_IsString(id) ||
            strcmp(id->valuestring, n == 0 ? "first" : n == N - 1 ? "last" : "x") != 0)
            order_ok = 0;
        n++;
    }
    ok(n == N && order_ok && e.kind == LC_OK,
       "the pager yields all %ld of %d items in order: %s", n, N, e.message);
    lc_pager_free(p);
    lc_error_clear(&e);
}

/* A page without a "data" array is a parse error that, like every error
 * made from a request's answer, names the request (lc_error.request). */
static void test_page_without_data(simproc *sim, lc_client *c)
{
    lc_pager *p = NULL;
    const cJSON *item = NULL;
    lc_error e;
    lc_error_init(&e);

    ok(arm(sim, 200, "/access_persons", "{\"data\":{\"id\":\"x\"}}") &&
       lc_pager_new(c, "access_persons.list", NULL, NULL, 0, &p, &e) == LC_OK &&
       lc_pager_next(p, &item, &e) == LC_ERR_PARSE && !item &&
       strcmp(e.request, "GET /access_persons") == 0,
       "a page whose data is no array is parse naming \"%s\": %s", e.request, e.message);
    lc_pager_free(p);
    lc_error_clear(&e);
}

int main(void)
{
    simproc *sim = simproc_start(NULL);
    lc_client *c;

    if (!sim)
        return 1;
    c = test_client(sim, NULL, NULL);
    if (!c) {
        simproc_stop(sim);
        return 1;
    }
    test_ambiguous(sim, c);
    test_body_not_utf8(sim, c);
    test_response_cap(sim);
    test_large_page(sim, c);
    test_page_without_data(sim, c);
    lc_client_free(c);
    ok(simproc_stop(sim) == 0, "simulator exits cleanly");
    return tap_done();
}
