/* Fuzzes the simulator's request handling: sim_resources_handle() over a
 * store loaded with sim/fixtures/default.json, with the method, path, query
 * and JSON body a client sends. The simulator is the oracle the library is
 * tested against, so a wrong answer is a finding, not only a crash.
 *
 * Input: up to MAX_REQS requests separated by NUL bytes, each
 *   METHOD SP TARGET [SP +HOURS] LF BODY
 * TARGET is path[?query], percent-decoded as the HTTP side does (the raw
 * bytes when that refuses them, so the resource side also meets bytes the
 * HTTP side never lets through); HOURS moves the clock from the fixture's;
 * BODY is JSON text (a request whose body does not parse is skipped: the
 * HTTP side answers it). Invariants:
 *  - no crash, leak or undefined behaviour (the sanitizers);
 *  - an answer is a route's (status 200, 201, 204, 400, 404 or 422 with
 *    the documented document shape, 204 with none) or no route at all
 *    (status 0, no document); never a 500;
 *  - a GET changes nothing in the store (records and sequences);
 *  - a refused request (4xx) changes nothing in the store either;
 *  - what the store remembers between requests (sorted records, kept
 *    listings, status inputs, id index) never changes an answer: every GET
 *    is answered again with those memos dropped and must be identical;
 *  - after a write that succeeded the store is still one a fixture can
 *    describe (references resolve, required values set, times in their
 *    formats): written out as a fixture, it loads. */
#include "fuzz_util.h"

#include <cjson/cJSON.h>
#include "engine.h"
#include "form.h"
#include "resources_schema.h"
#include "sim_resources.h"
#include "store_internal.h"
#include "tz.h"

#define MAX_REQS 8
#define MAX_PAIRS 300
#define BASE "https://127.0.0.1:40123"

static sim_store *loaded; /* the fixture, loaded once */
static time_t start;

static cJSON *read_fixture(const char *path)
{
    FILE *f = fopen(path, "rb");
    static char buf[1 << 20];
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return n ? cJSON_Parse(buf) : NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[256] = "";
    cJSON *fixture = read_fixture(FUZZ_SIM_FIXTURE);
    loaded = sim_store_new();
    if (!fixture || !loaded || sim_store_load(loaded, fixture, err, sizeof err) != 0 ||
        tz_parse_utc("2026-03-10T12:00:00Z", &start) != 0) {
        fprintf(stderr, "cannot load %s: %s\n", FUZZ_SIM_FIXTURE, err);
        abort();
    }
    cJSON_Delete(fixture);
    return 0;
}

/* A store as sim_store_load leaves it (no memos yet), copied from the
 * loaded one: loading the fixture for every input would cost most of
 * the run in its allocations. */
static sim_store *fresh_store(void)
{
    sim_store *s = sim_store_new();
    FZ_ASSERT(s && s->d.nlists == loaded->d.nlists);
    memcpy(s->d.time_zone, loaded->d.time_zone, sizeof s->d.time_zone);
    s->d.next_id = loaded->d.next_id;
    s->d.next_pin = loaded->d.next_pin;
    for (size_t i = 0; i < s->d.nlists; i++) {
        cJSON_Delete(s->d.lists[i]);
        s->d.lists[i] = cJSON_Duplicate(loaded->d.lists[i], 1);
        FZ_ASSERT(s->d.lists[i]);
    }
    return s;
}

/* Everything a request could change: every row's records, the
 * sequences and the account zone. */
static char *dump(const sim_store *s)
{
    size_t cap = 4096, len = 0;
    char *out = malloc(cap);
    FZ_ASSERT(out);
    len += (size_t)snprintf(out, cap, "%lu %lu %s\n", s->d.next_id, s->d.next_pin,
                            s->d.time_zone);
    for (size_t i = 0; i < s->d.nlists; i++) {
        char *t = cJSON_PrintUnformatted(s->d.lists[i]);
        FZ_ASSERT(t);
        size_t n = strlen(t);
        if (len + n + 2 > cap) {
            cap = 2 * (len + n + 2);
            out = realloc(out, cap);
            FZ_ASSERT(out);
        }
        memcpy(out + len, t, n);
        len += n;
        out[len++] = '\n';
        out[len] = '\0';
        free(t);
    }
    return out;
}

static int is_str(const cJSON *o, const char *key)
{
    return cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* A resource object: type, attributes, id, links.self. The id is a
 * string, a number (mobile credentials are numbered, as documented) or,
 * for a rendered template (an email preview), absent. */
static void check_resource(const cJSON *r)
{
    FZ_ASSERT(cJSON_IsObject(r));
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(r, "id");
    FZ_ASSERT(is_str(r, "type") && (!id || cJSON_IsString(id) || cJSON_IsNumber(id)));
    FZ_ASSERT(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(r, "attributes")));
    const cJSON *links = cJSON_GetObjectItemCaseSensitive(r, "links");
    FZ_ASSERT(cJSON_IsObject(links) && is_str(links, "self"));
    const char *self = cJSON_GetObjectItemCaseSensitive(links, "self")->valuestring;
    FZ_ASSERT(strncmp(self, BASE "/", sizeof BASE) == 0);
}

static void check_answer(int rc, const sim_response *res)
{
    FZ_ASSERT(rc == 0 || rc == 1);
    if (rc == 0) {
        FZ_ASSERT(res->status == 0 && res->body == NULL);
        return;
    }
    int st = res->status;
    FZ_ASSERT(st == 200 || st == 201 || st == 204 || st == 400 || st == 404 || st == 409 ||
              st == 422);
    if (st == 204 || (st == 200 && !res->body)) { /* 200 and no body: an email sent */
        FZ_ASSERT(res->body == NULL);
        return;
    }
    const cJSON *b = res->body;
    if (res->content_type) { /* a CSV: one raw item, sent verbatim */
        FZ_ASSERT(st == 200 && cJSON_IsRaw(b) && b->valuestring);
        return;
    }
    FZ_ASSERT(cJSON_IsObject(b));
    char *text = cJSON_PrintUnformatted(b);
    FZ_ASSERT(text);
    cJSON *again = cJSON_Parse(text);
    FZ_ASSERT(again);
    cJSON_Delete(again);
    free(text);
    if (st == 400 || st == 404 || st == 409) {
        /* A brand's models answer the documented {"error": ...}. */
        FZ_ASSERT(is_str(b, "message") || (st == 404 && is_str(b, "error")));
        return;
    }
    if (st == 422) {
        const cJSON *errs = cJSON_GetObjectItemCaseSensitive(b, "errors"), *e;
        FZ_ASSERT(cJSON_IsArray(errs) && cJSON_GetArraySize(errs) > 0);
        cJSON_ArrayForEach(e, errs) {
            const cJSON *a = cJSON_GetObjectItemCaseSensitive(e, "attribute");
            const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "messages");
            const cJSON *f = cJSON_GetObjectItemCaseSensitive(e, "full_messages");
            FZ_ASSERT(cJSON_IsString(a) || cJSON_IsNull(a));
            FZ_ASSERT(cJSON_IsArray(m) && cJSON_GetArraySize(m) > 0);
            FZ_ASSERT(cJSON_IsArray(f) && cJSON_GetArraySize(f) == cJSON_GetArraySize(m));
        }
        return;
    }
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(b, "data"), *it;
    if (!data) { /* a plain document (a connector's configuration) */
        FZ_ASSERT(st == 200);
        return;
    }
    if (cJSON_IsObject(data)) {
        if (cJSON_GetObjectItemCaseSensitive(data, "type"))
            check_resource(data);
        return; /* else a plain object (Allegion tokens) */
    }
    FZ_ASSERT(st == 200 && cJSON_IsArray(data));
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(b, "meta");
    if (!meta) { /* plain objects with ids (smart cards), documented without paging */
        cJSON_ArrayForEach(it, data)
            FZ_ASSERT(cJSON_IsObject(it) && cJSON_GetObjectItemCaseSensitive(it, "id"));
        return;
    }
    const char *const keys[] = {"page", "per_page", "total_count", "total_pages"};
    for (size_t i = 0; i < 4; i++)
        FZ_ASSERT(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(meta, keys[i])));
    double per_page = cJSON_GetObjectItemCaseSensitive(meta, "per_page")->valuedouble;
    FZ_ASSERT(per_page >= 1 && per_page <= 50 && cJSON_GetArraySize(data) <= per_page);
    cJSON_ArrayForEach(it, data)
        check_resource(it);
}

/* Decoded copy of s[0..n) as the HTTP side decodes it, or the raw bytes. */
static char *decode(const char *s, size_t n, int plus_space)
{
    char *d = sim_url_decode(s, n, plus_space);
    return d ? d : strndup(s, n);
}

typedef struct parsed {
    char method[16];
    char *path, *raw_path;
    sim_kv q[MAX_PAIRS];
    size_t nq;
    cJSON *body;
    long hours;
} parsed;

static void parsed_free(parsed *p)
{
    free(p->path);
    free(p->raw_path);
    for (size_t i = 0; i < p->nq; i++) {
        free((char *)p->q[i].key);
        free((char *)p->q[i].value);
    }
    cJSON_Delete(p->body);
}

/* One request of the input; 0, or -1 when it is not one the HTTP side
 * would pass on (no method, or a body that is not JSON). */
static int parse(const char *s, size_t n, parsed *p)
{
    memset(p, 0, sizeof *p);
    const char *nl = memchr(s, '\n', n), *end = nl ? nl : s + n;
    const char *sp = memchr(s, ' ', (size_t)(end - s));
    if (!sp || sp == s || (size_t)(sp - s) >= sizeof p->method)
        return -1;
    memcpy(p->method, s, (size_t)(sp - s));
    const char *target = sp + 1;
    const char *tend = memchr(target, ' ', (size_t)(end - target));
    for (const char *h = tend && tend + 1 < end && tend[1] == '+' ? tend + 2 : end;
         h < end && *h >= '0' && *h <= '9' && p->hours < 100000; h++)
        p->hours = p->hours * 10 + (*h - '0');
    if (!tend)
        tend = end;
    const char *qm = memchr(target, '?', (size_t)(tend - target));
    size_t plen = (size_t)((qm ? qm : tend) - target);
    /* Decodable: passed as the HTTP side passes it (decoded and as sent);
     * else the raw bytes as a literal path. */
    p->path = sim_url_decode(target, plen, 0);
    if (p->path)
        p->raw_path = strndup(target, plen);
    else
        p->path = strndup(target, plen);
    for (const char *q = qm ? qm + 1 : tend; q < tend && p->nq < MAX_PAIRS;) {
        const char *amp = memchr(q, '&', (size_t)(tend - q)), *pe = amp ? amp : tend;
        const char *eq = memchr(q, '=', (size_t)(pe - q));
        if (pe > q) {
            p->q[p->nq].key = decode(q, (size_t)((eq ? eq : pe) - q), 1);
            p->q[p->nq].value = eq ? decode(eq + 1, (size_t)(pe - eq - 1), 1) : strdup("");
            p->nq++;
        }
        q = pe + 1;
    }
    if (nl && (size_t)(nl + 1 - s) < n) {
        const char *body = nl + 1, *jend = NULL;
        size_t blen = n - (size_t)(body - s);
        p->body = cJSON_ParseWithLengthOpts(body, blen, &jend, 0);
        while (p->body && jend < body + blen && strchr(" \t\r\n", *jend))
            jend++;
        if (!p->body || jend != body + blen)
            return -1;
    }
    return 0;
}

static int call(sim_store *s, const parsed *p, sim_response *res, char **printed)
{
    sim_request rq = {p->method, p->path, p->q, p->nq, p->body, BASE,
                      start + (time_t)p->hours * 3600, p->raw_path,
                      SIM_FLAVOUR_CURRENT, NULL, 0};
    res->status = -1;
    res->body = NULL;
    int rc = sim_resources_handle(s, &rq, res);
    check_answer(rc, res);
    *printed = res->body ? cJSON_PrintUnformatted(res->body) : strdup("");
    FZ_ASSERT(*printed);
    return rc;
}

/* The store written out as a fixture: each row's records, flat, with
 * what a fixture gives (no derived or computed attributes). A reference
 * that keeps its target's name (an event's person) may outlive it, as
 * documented: written out as null, as a fixture cannot express it. */
static cJSON *as_fixture(sim_store *s)
{
    const res_api *api = s->api;
    cJSON *fx = cJSON_CreateObject();
    FZ_ASSERT(fx && cJSON_AddStringToObject(fx, "time_zone", s->d.time_zone));
    for (size_t i = 0; i < api->ndefs; i++) {
        const res_def *def = &api->defs[i];
        if (def->source)
            continue;
        cJSON *arr = cJSON_AddArrayToObject(fx, def->name), *rec;
        FZ_ASSERT(arr);
        cJSON_ArrayForEach(rec, s->d.lists[i]) {
            cJSON *out = cJSON_CreateObject(), *a;
            FZ_ASSERT(out && cJSON_AddStringToObject(out, "id", rec_id(rec)) &&
                      cJSON_AddStringToObject(out, "type", rec_type(rec)));
            for (const char *const *f = def->flags; f && *f; f++)
                FZ_ASSERT(cJSON_AddBoolToObject(
                    out, *f, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, *f))));
            cJSON_ArrayForEach(a, rec_attrs(rec)) {
                if (res_attr_flags(rec, a->string) & (ATTR_DERIVED | ATTR_RENDER))
                    continue;
                cJSON *v = cJSON_Duplicate(a, 1);
                for (const res_ref *ref = def->refs; ref && ref->attr; ref++)
                    if ((ref->flags & REF_KEEP_NAME) && strcmp(ref->attr, a->string) == 0 &&
                        !res_ref_target(&s->d, api, ref, rec)) {
                        cJSON_Delete(v);
                        v = cJSON_CreateNull();
                    }
                FZ_ASSERT(v);
                cJSON_AddItemToObject(out, a->string, v);
            }
            cJSON_AddItemToArray(arr, out);
        }
    }
    return fx;
}

static void check_loadable(sim_store *s, const parsed *p, int status)
{
    char err[256] = "";
    cJSON *fx = as_fixture(s);
    sim_store *again = sim_store_new();
    FZ_ASSERT(again);
    if (sim_store_load(again, fx, err, sizeof err) != 0) {
        fprintf(stderr, "invariant violated: after %s %s (status %d) the store is no "
                        "fixture: %s\n", p->method, p->path, status, err);
        abort();
    }
    sim_store_free(again);
    cJSON_Delete(fx);
}

static void run(sim_store *s, const parsed *p)
{
    int get = strcmp(p->method, "GET") == 0;
    char *before = dump(s), *text, *again;
    sim_response res;
    int rc = call(s, p, &res, &text);
    char *after = dump(s);
    if (get || (rc == 1 && res.status >= 400)) {
        if (strcmp(before, after) != 0) {
            fprintf(stderr, "invariant violated: %s %s (status %d) changed the store\n",
                    p->method, p->path, res.status);
            abort();
        }
    }
    cJSON_Delete(res.body);
    if (!get && rc == 1 && res.status < 300)
        check_loadable(s, p, res.status);
    if (get) {
        /* The same GET with every memo dropped (a new store generation). */
        s->d.gen++;
        sim_response res2;
        int rc2 = call(s, p, &res2, &again);
        cJSON_Delete(res2.body);
        if (rc2 != rc || strcmp(text, again) != 0) {
            fprintf(stderr, "invariant violated: GET %s answered differently without "
                            "memos:\n%s\n%s\n", p->path, text, again);
            abort();
        }
        free(again);
    }
    free(text);
    free(before);
    free(after);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    sim_store *s = fresh_store();
    const char *p = (const char *)data, *end = p + size;
    for (int n = 0; n < MAX_REQS && p < end; n++) {
        const char *nul = memchr(p, '\0', (size_t)(end - p)), *stop = nul ? nul : end;
        parsed req;
        if (parse(p, (size_t)(stop - p), &req) == 0)
            run(s, &req);
        parsed_free(&req);
        p = stop + 1;
    }
    sim_store_free(s);
    return 0;
}
