/* Catalogue-driven conformance: every row of the RemoteLock catalogue
 * (lc_endpoint_at) is called through lc_call against a real simulator over
 * HTTPS, so a row whose path, method or flags disagree with the cloud (the
 * simulator is the oracle) fails here without a hand-written test.
 *
 * Per row:
 *  - it has a documented example in tests/spec (method and template), or
 *    is listed in undocumented[] with the reason; LC_EP_LEGACY_V1 rows are
 *    exactly those documented by LockState v1 alone, LC_EP_CURRENT_ONLY
 *    rows those documented by the current API alone (a row kept in a
 *    flavour whose document lacks it is listed in wider_than_documented[]);
 *    and every documented method and template of each seed has a row in
 *    that seed's flavour;
 *  - it is called by a client of a flavour that documents it ("current"
 *    first, else "v1");
 *  - path arguments are fixture ids (sim/fixtures/default.json, found
 *    through $LC_TOP), or ids of records this test created: rows run
 *    creates first (the body of the row's documented example, its *_id
 *    references swapped for real ones), then GETs, then updates and
 *    actions on what was created, and deletes last, deepest first;
 *  - the simulator's request log shows the row's method and concrete path
 *    with the expected status (201 for a create, 204 for a delete, else
 *    200), and the answer has the row's shape: a collection's data array
 *    and page meta, a member's data.id/type/attributes (the type among the
 *    row's types), NULL for 204;
 *  - a collection also walks through lc_pager_new page by page, honours its
 *    default sort, sorts by each of row->sorts both ways, and every query
 *    key of row->params is accepted and (id, type, status, attributes)
 *    filters what it says.
 * Rows the simulator does not serve yet are listed in not_served[]: each
 * must answer 404 today, so serving one without taking it off the list
 * fails. Behaviour beyond shape (guest status, lock state, errors, paging
 * laziness) stays in test_endpoints.c. */
#include "coretest.h"

#define PLACEHOLDER_ID "00000000-0000-4000-8000-000000000000"
#define MAX_ARGS 4
#define MAX_MADE 32

/* Rows the simulator does not serve yet (each answers 404 today). */
static const char *const not_served[] = {
    NULL,
};

/* Rows without a documented example in tests/spec, with the reason. */
static const struct {
    const char *name, *why;
} undocumented[] = {
    {NULL, NULL},
};

/* Rows kept in a flavour whose document does not have them, with the
 * reason; each checked to still be missing from that document. */
static const struct {
    const char *name, *why;
} wider_than_documented[] = {
    {"events.list", "000 documents GET /events/:id but no list; the current flavour keeps it "
                    "for watching events (catalogue_remotelock_events.c)"},
    {NULL, NULL},
};

/* Rows whose LC_EP_LEGACY_V1 flag disagrees with the documents, each
 * checked to still disagree. TODO(core): fix the row in
 * core/src/catalogue_remotelock.c, then take it off this list. */
static const struct {
    const char *name, *why;
} legacy_flag_wrong[] = {
    {NULL, NULL},
};

/* Checks that fail today for a gap of the simulator (its fixture or its
 * behaviour), not of the catalogue: the row, a piece of the check's text
 * (NULL: any check of the row) and why. Such a check is reported as a
 * skip; the row's gap must still show, so a simulator that closes it
 * makes this test say to take the entry off. */
static const struct {
    const char *name, *check, *why;
} sim_gaps[] = {
    {NULL, NULL, NULL},
};
static const char *gap_row; /* the row being exercised */
static int gap_hits[sizeof sim_gaps / sizeof sim_gaps[0]]; /* checks failed per entry */

/* The entry a failed check of gap_row falls under, or -1. */
static int gap_of(const char *text)
{
    for (size_t i = 0; gap_row && sim_gaps[i].name; i++)
        if (strcmp(sim_gaps[i].name, gap_row) == 0 &&
            (!sim_gaps[i].check || strstr(text, sim_gaps[i].check)))
            return (int)i;
    return -1;
}


__attribute__((format(printf, 2, 3)))
static int row_ok(int cond, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    int gap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (!cond && (gap = gap_of(text)) >= 0) {
        gap_hits[gap]++;
        const char *why = sim_gaps[gap].why; /* never NULL in a listed entry */
        ok(1, "%s # SKIP known simulator gap: %s", text, why ? why : "");
        return 0;
    }
    return ok(cond, "%s", text);
}
/* every check below goes through the gap list */
#define ok(...) row_ok(__VA_ARGS__)

static simproc *sim;
static lc_client *client, *client_v1;
static cJSON *fixture, *spec_current, *spec_v1;

/* Records this test created: the row's template, the concrete collection
 * path it was posted to, and the new id. */
static struct {
    char tmpl[512], coll[512], id[64], type[64];
} made[MAX_MADE];
/* The type of the documented answer's data of the row being exercised
 * ("power_plug" for power_on): path ids prefer records of that type. */
static const char *want_type;
static size_t nmade;

/* A resolved call: arguments and the concrete path they make. */
typedef struct target {
    char buf[MAX_ARGS][64];
    const char *args[MAX_ARGS + 1];
    char path[512];
} target;

static int str_is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static const char *str_at(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

/* An item's id as text: a string, or a whole number (the documented
 * mobile credentials and smart cards have numeric ids). */
static const char *id_of(const cJSON *item)
{
    static char num[4][32];
    static int next;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
    if (cJSON_IsString(id))
        return id->valuestring;
    if (!cJSON_IsNumber(id))
        return NULL;
    next = (next + 1) % 4;
    snprintf(num[next], sizeof num[next], "%.0f", id->valuedouble);
    return num[next];
}

static int in_list(const char *const *list, const char *s)
{
    for (; list && *list; list++)
        if (strcmp(*list, s) == 0)
            return 1;
    return 0;
}

static cJSON *load_json(const char *rel)
{
    const char *top = getenv("LC_TOP");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", top && *top ? top : ".", rel);
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    long n = -1;
    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (text = malloc((size_t)n + 1)) && fread(text, 1, (size_t)n, f) == (size_t)n)
        text[n] = '\0';
    else if (text) {
        free(text);
        text = NULL;
    }
    if (f)
        fclose(f);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!ok(doc != NULL, "%s read", path))
        diag("run from the source tree or set LC_TOP to it (tests/run.sh does)");
    return doc;
}

/* ---- documented examples ------------------------------------------------ */

static const cJSON *example_in(const cJSON *spec, const lc_endpoint *ep)
{
    const cJSON *ex;
    cJSON_ArrayForEach(ex, spec)
        if (str_is(str_at(ex, "method"), ep->method) && str_is(str_at(ex, "template"), ep->path))
            return ex;
    return NULL;
}

static const cJSON *example_of(const lc_endpoint *ep)
{
    const cJSON *ex = example_in(spec_current, ep);
    return ex ? ex : example_in(spec_v1, ep);
}

static const char *undocumented_why(const char *name)
{
    for (size_t i = 0; undocumented[i].name; i++)
        if (strcmp(undocumented[i].name, name) == 0)
            return undocumented[i].why;
    return NULL;
}

static const char *wider_why(const char *name)
{
    for (size_t i = 0; wider_than_documented[i].name; i++)
        if (strcmp(wider_than_documented[i].name, name) == 0)
            return wider_than_documented[i].why;
    return NULL;
}

/* The client that calls ep: one of a flavour that documents it. */
static lc_client *client_for(const lc_endpoint *ep)
{
    return ep->flags & LC_EP_LEGACY_V1 ? client_v1 : client;
}

static void check_documented(const lc_endpoint *ep)
{
    const cJSON *cur = example_in(spec_current, ep), *v1 = example_in(spec_v1, ep);
    const char *why = undocumented_why(ep->name), *wider = wider_why(ep->name);
    if (wider) {
        int now = !(ep->flags & LC_EP_LEGACY_V1), old = !(ep->flags & LC_EP_CURRENT_ONLY);
        ok(now && old && (!cur || !v1), "%s: in both flavours, documented by %s alone (%s)%s",
           ep->name, cur ? "000" : "001", wider,
           cur && v1 ? ": now documented by both, take it off wider_than_documented[]" : "");
        return;
    }
    if (cur || v1)
        ok(((ep->flags & LC_EP_CURRENT_ONLY) != 0) == (cur && !v1),
           "%s: LC_EP_CURRENT_ONLY %s: documented by %s", ep->name,
           ep->flags & LC_EP_CURRENT_ONLY ? "set" : "unset",
           cur && v1 ? "both APIs" : cur ? "the current API alone" : "LockState v1 alone");
    if (why) {
        ok(!cur && !v1, "%s: undocumented (%s)%s", ep->name, why,
           cur || v1 ? ": now documented, take it off undocumented[]" : "");
        return;
    }
    ok(cur || v1, "%s: %s %s has a documented example", ep->name, ep->method, ep->path);
    for (size_t i = 0; legacy_flag_wrong[i].name; i++)
        if (strcmp(legacy_flag_wrong[i].name, ep->name) == 0) {
            ok(((ep->flags & LC_EP_LEGACY_V1) != 0) != !cur, "%s: known wrong flag (%s)%s", ep->name,
               legacy_flag_wrong[i].why,
               ((ep->flags & LC_EP_LEGACY_V1) != 0) == !cur ? ": fixed, take it off the list" : "");
            return;
        }
    if (cur || v1)
        ok(((ep->flags & LC_EP_LEGACY_V1) != 0) == !cur,
           "%s: LC_EP_LEGACY_V1 %s: documented by %s", ep->name,
           ep->flags & LC_EP_LEGACY_V1 ? "set" : "unset", cur ? "the current API" : "LockState v1 only");
}

/* Every documented method and template of a seed has its row, callable
 * in that seed's flavour. */
static void check_coverage(const cJSON *spec, const char *flavour)
{
    const cJSON *ex;
    size_t missing = 0, n = 0;
    cJSON_ArrayForEach(ex, spec) {
        const char *m = str_at(ex, "method"), *tmpl = str_at(ex, "template");
        const lc_endpoint *ep = NULL, *row;
        int dup = 0;
        for (const cJSON *o = spec->child; o != ex; o = o->next)
            dup |= str_is(str_at(o, "method"), m) && str_is(str_at(o, "template"), tmpl);
        if (dup)
            continue;
        n++;
        for (size_t i = 0; (row = lc_endpoint_at(i)) != NULL; i++)
            if (str_is(row->method, m) && str_is(row->path, tmpl))
                ep = row;
        if (!ep || !lc_endpoint_in_flavour(lc_vendor_find("remotelock"), ep, flavour)) {
            diag("%s %s (line %d) has no row in flavour %s", m ? m : "?", tmpl ? tmpl : "?",
                 (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(ex, "line")), flavour);
            missing++;
        }
    }
    ok(n > 0 && missing == 0, "each of the %zu documented endpoints of flavour %s has its row "
       "(%zu missing)", n, flavour, missing);
}

/* ---- ids ------------------------------------------------------------------ */

/* typed: only records of want_type. */
static const char *made_id(const char *tmpl, const char *coll, int typed)
{
    for (size_t i = nmade; i-- > 0;)
        if (strcmp(made[i].tmpl, tmpl) == 0 && (!coll || strcmp(made[i].coll, coll) == 0) &&
            (!typed || str_is(made[i].type, want_type)))
            return made[i].id;
    return NULL;
}

/* A record's field name, or one ending in _name (a group item's
 * door_group_id is its group_id). */
static const char *field_named(const cJSON *rec, const char *name)
{
    const cJSON *f;
    size_t nl = strlen(name);
    cJSON_ArrayForEach(f, rec) {
        size_t fl = strlen(f->string);
        if (strcmp(f->string, name) == 0 ||
            (fl > nl && f->string[fl - nl - 1] == '_' && strcmp(f->string + fl - nl, name) == 0))
            return cJSON_GetStringValue(f);
    }
    return NULL;
}

/* The first fixture record of collection name whose fields named like the
 * earlier path parameters (access_person_id ...) hold their values (typed:
 * and of want_type). */
static const char *fixture_typed(const char *name, char names[][64], const char *const *vals,
                                 size_t n, int typed)
{
    const cJSON *rec;
    cJSON_ArrayForEach(rec, cJSON_GetObjectItemCaseSensitive(fixture, name)) {
        int match = !typed || str_is(str_at(rec, "type"), want_type);
        for (size_t i = 0; i < n; i++)
            if (strcmp(names[i], "id") != 0 && !str_is(field_named(rec, names[i]), vals[i]))
                match = 0;
        if (match && str_at(rec, "id"))
            return str_at(rec, "id");
    }
    return NULL;
}

static const char *fixture_id(const char *name, char names[][64], const char *const *vals, size_t n)
{
    return fixture_typed(name, names, vals, n, 0);
}

/* A record of a type, for a reference a body makes: one this test created,
 * else the fixture's (typed records in any collection, or the collection
 * named by the type: "account"). */
static const char *typed_id(const char *type)
{
    const cJSON *coll, *rec;
    char plural[80];
    for (size_t i = nmade; type && i-- > 0;)
        if (str_is(made[i].type, type))
            return made[i].id;
    cJSON_ArrayForEach(coll, fixture) {
        if (!cJSON_IsArray(coll))
            continue;
        cJSON_ArrayForEach(rec, coll)
            if (str_is(str_at(rec, "type"), type) && str_at(rec, "id"))
                return str_at(rec, "id");
    }
    snprintf(plural, sizeof plural, "%ss", type ? type : "");
    for (const char *name = type; name; name = name == type ? plural : NULL) {
        rec = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(fixture, name), 0);
        if (str_at(rec, "id"))
            return str_at(rec, "id");
    }
    return NULL;
}

/* /devices/:id/.../:access_person_id acts for a person on a device: a
 * fixture access grants them one (of want_type when one exists). */
static void person_with_access(const lc_endpoint *ep, target *t)
{
    const cJSON *acc, *pick = NULL;
    if (strncmp(ep->path, "/devices/:id/", 13) != 0 || !strstr(ep->path, ":access_person_id"))
        return;
    for (int typed = 1; typed >= 0 && !pick; typed--)
        cJSON_ArrayForEach(acc, cJSON_GetObjectItemCaseSensitive(fixture, "accesses")) {
            const char *dev = str_at(acc, "accessible_id"), *type = NULL;
            const cJSON *d;
            cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(fixture, "devices"))
                if (str_is(str_at(d, "id"), dev))
                    type = str_at(d, "type");
            if (!pick && type && (!typed || str_is(type, want_type)))
                pick = acc;
        }
    if (!pick)
        return;
    snprintf(t->buf[0], sizeof t->buf[0], "%s", str_at(pick, "accessible_id"));
    snprintf(t->buf[1], sizeof t->buf[1], "%s", str_at(pick, "access_person_id"));
    snprintf(t->path, sizeof t->path, "%s", ep->path);
    char *slot = strstr(t->path, ":id");
    char rest[512];
    snprintf(rest, sizeof rest, "%s", slot + 3);
    snprintf(slot, sizeof t->path - (size_t)(slot - t->path), "%s%s", t->buf[0], rest);
    slot = strstr(t->path, ":access_person_id");
    snprintf(rest, sizeof rest, "%s", slot + 17);
    snprintf(slot, sizeof t->path - (size_t)(slot - t->path), "%s%s", t->buf[1], rest);
}

/* Rows that need a record of one type the documented answer does not
 * name (it has no data), with why. */
static const struct {
    const char *name, *type;
} row_type[] = {
    {"devices.configurability", "connector_lock"}, /* connector devices have one (000) */
    {"devices.configuration", "connector_lock"},
    {NULL, NULL},
};

/* Fills t for ep: ":id" is a record of the collection the path names so
 * far, ":x_id" one of /xs. With use_made, records this test created come
 * first (updates and deletes never touch the fixture's own records). */
static void resolve(const lc_endpoint *ep, int use_made, target *t)
{
    char tmpl[512], prefix[512] = "", names[MAX_ARGS][64];
    size_t n = 0, len = 0;
    snprintf(tmpl, sizeof tmpl, "%s", ep->path);
    memset(t, 0, sizeof *t);
    for (char *save = NULL, *seg = strtok_r(tmpl, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        if (seg[0] == ':' && n < MAX_ARGS) {
            char coll_tmpl[512], coll[64];
            const char *id = NULL;
            if (strcmp(prefix, "/acs/doors") == 0) {
                /* LockState v1's ACS doors are the acs_door devices */
                snprintf(coll_tmpl, sizeof coll_tmpl, "/devices");
                snprintf(coll, sizeof coll, "devices");
                want_type = "acs_door";
            } else if (strcmp(seg, ":id") == 0) {
                const char *last = strrchr(prefix, '/');
                snprintf(coll_tmpl, sizeof coll_tmpl, "%s", prefix);
                snprintf(coll, sizeof coll, "%s", last ? last + 1 : "");
            } else {
                size_t sl = strlen(seg);
                snprintf(coll, sizeof coll, "%.*ss", (int)(sl > 4 ? sl - 4 : 0), seg + 1);
                snprintf(coll_tmpl, sizeof coll_tmpl, "/%s", coll);
            }
            /* of the documented answer's type first: made, then fixture */
            const char *in = strcmp(seg, ":id") == 0 ? t->path : NULL;
            for (int typed = 1; typed >= 0 && !id; typed--) {
                if (use_made)
                    id = made_id(coll_tmpl, in, typed);
                if (!id)
                    id = fixture_typed(coll, names, t->args, n, typed);
            }
            snprintf(names[n], sizeof names[n], "%s", seg + 1);
            snprintf(t->buf[n], sizeof t->buf[n], "%s", id ? id : PLACEHOLDER_ID);
            t->args[n] = t->buf[n];
            n++;
            len += (size_t)snprintf(t->path + len, sizeof t->path - len, "/%s", t->buf[n - 1]);
        } else {
            len += (size_t)snprintf(t->path + len, sizeof t->path - len, "/%s", seg);
        }
        size_t pl = strlen(prefix);
        snprintf(prefix + pl, sizeof prefix - pl, "/%s", seg);
    }
    t->args[n] = NULL;
    person_with_access(ep, t);
}

/* Two artifacts of the published document, not of the API: e-mail
 * addresses its web page obfuscated ("[email protected]"), and times
 * printed as "2026-03-03 00:11:40 UTC" where the parameter table asks for
 * ISO 8601 without a zone. */
#define DOC_EMAIL "[email\xc2\xa0protected]"

static void undo_doc_artifacts(cJSON *obj)
{
    cJSON *a;
    cJSON_ArrayForEach(a, obj) {
        const char *v = cJSON_GetStringValue(a), *hit;
        size_t n = v ? strlen(v) : 0;
        if (v && (hit = strstr(v, DOC_EMAIL)) != NULL) {
            /* every occurrence (the CSV import holds several) */
            char fixed[4096];
            size_t len = 0;
            for (; hit && len < sizeof fixed; v = hit + sizeof DOC_EMAIL - 1, hit = strstr(v, DOC_EMAIL))
                len += (size_t)snprintf(fixed + len, sizeof fixed - len, "%.*sa%zu@example.com",
                                        (int)(hit - v), v, len);
            if (len < sizeof fixed)
                snprintf(fixed + len, sizeof fixed - len, "%s", v);
            cJSON_SetValuestring(a, fixed);
        } else if (n == 23 && strcmp(v + 19, " UTC") == 0 && v[10] == ' ') {
            char iso[20];
            snprintf(iso, sizeof iso, "%.10sT%.8s", v, v + 11);
            cJSON_SetValuestring(a, iso);
        }
    }
}

/* The body of ep's documented example, its references made real:
 * accessible_id becomes a fixture lock, x_id a record created here or in
 * the fixture's /xs; a reference to nothing the simulator holds is dropped. */
static cJSON *example_body(const lc_endpoint *ep)
{
    const cJSON *ex = example_of(ep);
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(ex, "body");
    if (!(ep->flags & LC_EP_BODY))
        return NULL;
    if (!ok(cJSON_IsObject(body), "%s: the documented example has a request body", ep->name))
        return cJSON_CreateObject();
    cJSON *copy = cJSON_Duplicate(body, 1);
    cJSON *attrs = cJSON_GetObjectItemCaseSensitive(copy, "attributes");
    undo_doc_artifacts(attrs ? attrs : copy);
    /* a document body (the CSV import) holds its references at the top */
    if (!cJSON_IsObject(attrs))
        attrs = copy;
    cJSON *a = attrs ? attrs->child : NULL;
    while (a) {
        cJSON *next = a->next;
        size_t kl = strlen(a->string);
        char type_key[96], type_name[96];
        snprintf(type_key, sizeof type_key, "%.*s_type", (int)(kl > 3 ? kl - 3 : 0), a->string);
        snprintf(type_name, sizeof type_name, "%.*s", (int)(kl > 3 ? kl - 3 : 0), a->string);
        cJSON *type = cJSON_GetObjectItemCaseSensitive(attrs, type_key);
        const char *typed = kl > 3 && strcmp(a->string + kl - 3, "_id") == 0 && cJSON_IsString(a)
            ? (cJSON_IsString(type) ? typed_id(type->valuestring)
               : kl >= 7 && strcmp(a->string + kl - 7, "lock_id") == 0 ? typed_id(type_name) : NULL)
            : NULL;
        if (typed) {
            /* x_id beside x_type (accessible, item, subscriber ...), or a
             * lock of the type its name says (igloo_lock_id) */
            cJSON_SetValuestring(a, typed);
        } else if (strcmp(a->string, "accessible_id") == 0) {
            const char *lock = fixture_id("devices", NULL, NULL, 0);
            cJSON_SetValuestring(a, lock ? lock : PLACEHOLDER_ID);
            if (cJSON_IsString(type))
                cJSON_SetValuestring(type, "lock"); /* in place: next may be it */
            else
                cJSON_AddStringToObject(attrs, "accessible_type", "lock");
        } else if (kl > 3 && strcmp(a->string + kl - 3, "_id") == 0 && cJSON_IsString(a)) {
            char coll[64], coll_tmpl[80];
            snprintf(coll, sizeof coll, "%.*ss", (int)(kl - 3), a->string);
            snprintf(coll_tmpl, sizeof coll_tmpl, "/%s", coll);
            const char *id = made_id(coll_tmpl, NULL, 0);
            id = id ? id : fixture_id(coll, NULL, NULL, 0);
            if (id)
                cJSON_SetValuestring(a, id);
            else
                cJSON_Delete(cJSON_DetachItemViaPointer(attrs, a));
        }
        a = next;
    }
    return copy;
}

/* ---- what the simulator saw --------------------------------------------- */

/* The last request the simulator logged matches method, path and status. */
static int last_request_is(const char *method, const char *path, int status, char *why, size_t whylen)
{
    cJSON *doc = sim_requests(sim);
    const cJSON *reqs = cJSON_GetObjectItemCaseSensitive(doc, "requests");
    const cJSON *last = cJSON_GetArrayItem(reqs, cJSON_GetArraySize(reqs) - 1);
    const char *m = str_at(last, "method"), *p = str_at(last, "path");
    int st = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(last, "status"));
    int same = str_is(m, method) && str_is(p, path) && st == status;
    snprintf(why, whylen, "%s %s -> %d", m ? m : "?", p ? p : "?", st);
    cJSON_Delete(doc);
    return same;
}

/* ---- shapes ----------------------------------------------------------------- */

/* The documented example's answer: its shape is what the row must answer
 * (a document without data: configuration; none: 204 or an empty 200; a
 * list without meta: not paged). */
static const cJSON *documented_answer(const lc_endpoint *ep)
{
    return cJSON_GetObjectItemCaseSensitive(example_of(ep), "response");
}

static int member_ok(const lc_endpoint *ep, const cJSON *item, char *why, size_t whylen)
{
    const char *id = id_of(item), *type = str_at(item, "type");
    /* a rendered document (the e-mail preview) has no id of its own */
    const cJSON *doc_data = cJSON_GetObjectItemCaseSensitive(documented_answer(ep), "data");
    if (cJSON_IsObject(doc_data) && !cJSON_GetObjectItemCaseSensitive(doc_data, "id"))
        id = "none documented";
    if (!id || !*id || !type || !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(item, "attributes"))) {
        snprintf(why, whylen, "no id, type or attributes");
        return 0;
    }
    if (ep->types && !in_list(ep->types, type)) {
        snprintf(why, whylen, "type %s is not among the row's types", type);
        return 0;
    }
    return 1;
}


static int shape_ok(const lc_endpoint *ep, const cJSON *doc, char *why, size_t whylen)
{
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(doc, "data");
    const cJSON *want = documented_answer(ep);
    snprintf(why, whylen, "ok");
    if ((ep->flags & LC_EP_NO_CONTENT) || (example_of(ep) && cJSON_IsNull(want))) {
        snprintf(why, whylen, "%s", doc ? "a body" : "no body");
        return doc == NULL;
    }
    if (ep->flags & LC_EP_CSV_ANSWER) {
        snprintf(why, whylen, "%s", cJSON_IsString(doc) ? "CSV text" : "no text");
        return cJSON_IsString(doc);
    }
    if (cJSON_IsObject(want) && !cJSON_GetObjectItemCaseSensitive(want, "data")) {
        snprintf(why, whylen, "%s", cJSON_IsObject(doc) ? "a document" : "no document");
        return cJSON_IsObject(doc);
    }
    /* JSON:API members (id, type, attributes) unless the documented ones
     * are plain objects (Allegion tokens, Schlage Engage smart cards) */
    const cJSON *wdata = cJSON_GetObjectItemCaseSensitive(want, "data");
    const cJSON *wmember = cJSON_IsArray(wdata) ? cJSON_GetArrayItem(wdata, 0) : wdata;
    int jsonapi = !cJSON_IsObject(wmember) ||
                  cJSON_GetObjectItemCaseSensitive(wmember, "attributes") != NULL;
    if (!(ep->flags & LC_EP_COLLECTION))
        return cJSON_IsObject(data) && (!jsonapi || member_ok(ep, data, why, whylen));
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(doc, "meta"), *item;
    static const char *const page_keys[] = {"page", "per_page", "total_pages", "total_count", NULL};
    int paged = !cJSON_IsObject(want) || cJSON_GetObjectItemCaseSensitive(want, "meta");
    for (size_t i = 0; paged && page_keys[i]; i++)
        if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(meta, page_keys[i]))) {
            snprintf(why, whylen, "meta.%s missing", page_keys[i]);
            return 0;
        }
    if (!cJSON_IsArray(data)) {
        snprintf(why, whylen, "data is no array");
        return 0;
    }
    cJSON_ArrayForEach(item, data)
        if (jsonapi && !member_ok(ep, item, why, whylen))
            return 0;
    return 1;
}

static int expected_status(const lc_endpoint *ep)
{
    int documented = (int)cJSON_GetNumberValue(
        cJSON_GetObjectItemCaseSensitive(example_of(ep), "status"));
    if (documented >= 200 && documented <= 299)
        return documented;
    if (ep->flags & LC_EP_NO_CONTENT)
        return 204;
    return strcmp(ep->method, "POST") == 0 ? 201 : 200;
}

/* lc_call, then the request log and the status; the answer or NULL. */
static cJSON *call(const lc_endpoint *ep, const target *t, lc_query *query, const cJSON *body,
                   const char *what, lc_status *st)
{
    lc_error e;
    cJSON *out = NULL;
    char why[300];
    lc_error_init(&e);
    *st = lc_call(client_for(ep), ep->name, t->args, query, body, &out, &e);
    if (*st != LC_OK)
        diag("%s %s: %s", ep->name, what, e.message);
    int seen = last_request_is(ep->method, t->path, expected_status(ep), why, sizeof why);
    ok(*st == LC_OK && seen,
       "%s%s%s: %s %s answered %d (%s)", ep->name, *what ? " " : "", what, ep->method, t->path,
       expected_status(ep), why);
    lc_error_clear(&e);
    return out;
}

/* ---- collections -------------------------------------------------------- */

static const cJSON *attr_of(const cJSON *item, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(item, "attributes"), name);
}

/* Sign of a - b for two present, non-null values of one kind; 2 when
 * they cannot be compared. */
static int cmp_values(const cJSON *a, const cJSON *b)
{
    if (cJSON_IsString(a) && cJSON_IsString(b)) {
        int c = strcmp(a->valuestring, b->valuestring);
        return (c > 0) - (c < 0);
    }
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
        return (a->valuedouble > b->valuedouble) - (a->valuedouble < b->valuedouble);
    return 2;
}

/* Items ordered by attribute name (descending when desc); counts the
 * distinct values seen, so a check over one value is noticed. */
static int ordered_by(const cJSON *data, const char *name, int desc, int *distinct)
{
    const cJSON *prev = NULL, *item;
    *distinct = 0;
    cJSON_ArrayForEach(item, data) {
        const cJSON *v = attr_of(item, name);
        if (!v || cJSON_IsNull(v))
            continue;
        if (prev) {
            int c = cmp_values(prev, v);
            if (c == 2 || (desc ? c < 0 : c > 0))
                return 0;
            *distinct += c != 0;
        } else {
            *distinct = 1;
        }
        prev = v;
    }
    return 1;
}

/* A list call with query plus per_page=50 (the whole fixture collection). */
static cJSON *list_with(const lc_endpoint *ep, const target *t, const char *key, const char *value,
                        const char *what)
{
    lc_query q[] = {key, value, "per_page", "50", NULL};
    lc_status st;
    return call(ep, t, key ? q : q + 2, NULL, what, &st);
}

/* key attributes[...] filters an attribute (a credential's attribute
 * "type" is not its resource type); id[] and type[] the member's own. */
static int all_items(const cJSON *doc, const char *key, const char *field, const char *value,
                     int *n)
{
    const cJSON *item;
    int own = strncmp(key, "attributes[", 11) != 0;
    *n = 0;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(doc, "data")) {
        const char *v = own && strcmp(field, "id") == 0 ? id_of(item)
                        : own && strcmp(field, "type") == 0
                            ? str_at(item, field)
                            : cJSON_GetStringValue(attr_of(item, field));
        if (!str_is(v, value))
            return 0;
        (*n)++;
    }
    return *n > 0;
}

static void check_sort(const lc_endpoint *ep, const target *t, const char *attr, int desc)
{
    char value[80], what[100];
    int distinct = 0;
    snprintf(value, sizeof value, "%s%s", desc ? "-" : "", attr);
    snprintf(what, sizeof what, "sort=%s", value);
    cJSON *doc = list_with(ep, t, "sort", value, what);
    int sorted = ordered_by(cJSON_GetObjectItemCaseSensitive(doc, "data"), attr, desc, &distinct);
    ok(sorted && distinct >= 2, "%s: sort=%s orders the items (%d distinct values)", ep->name, value,
       distinct);
    cJSON_Delete(doc);
}

/* Filter key=value must answer only items whose field is value. */
static void check_filter(const lc_endpoint *ep, const target *t, const char *key, const char *field,
                         const char *value)
{
    char what[160];
    int n = 0;
    snprintf(what, sizeof what, "%s=%s", key, value ? value : "?");
    if (!ok(value != NULL, "%s: an item with a %s to filter on", ep->name, field))
        return;
    cJSON *doc = list_with(ep, t, key, value, what);
    int only = all_items(doc, key, field, value, &n);
    ok(only, "%s: %s answers only items with %s %s (%d)", ep->name, what, field, value, n);
    cJSON_Delete(doc);
}

/* An attribute worth filtering on: an association id if the item has one,
 * else its first string attribute. */
static const char *filter_attr(const cJSON *item, const char **value)
{
    const cJSON *a, *first = NULL;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(item, "attributes")) {
        size_t kl = strlen(a->string);
        if (!cJSON_IsString(a))
            continue;
        if (kl > 3 && strcmp(a->string + kl - 3, "_id") == 0) {
            *value = a->valuestring;
            return a->string;
        }
        if (!first)
            first = a;
    }
    *value = first ? first->valuestring : NULL;
    return first ? first->string : "a string attribute";
}

/* A nested key other than attributes (models' capabilities[...]): filter
 * by a sub-key the first item's attribute of that name holds as true or
 * a string; every item answered holds the same. */
static void check_nested(const lc_endpoint *ep, const target *t, const char *name,
                         const cJSON *first)
{
    const cJSON *sub, *item;
    char key[160], value[80] = "";
    int n = 0, only = 1;
    cJSON_ArrayForEach(sub, attr_of(first, name))
        if (cJSON_IsTrue(sub) || cJSON_IsString(sub))
            break;
    if (!ok(sub != NULL, "%s: the first item has a %s sub-key to filter on", ep->name, name))
        return;
    snprintf(key, sizeof key, "%s[%s]", name, sub->string);
    snprintf(value, sizeof value, "%s", cJSON_IsTrue(sub) ? "true" : sub->valuestring);
    cJSON *doc = list_with(ep, t, key, value, key);
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(doc, "data")) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(attr_of(item, name), sub->string);
        only &= cJSON_IsTrue(v) || str_is(cJSON_GetStringValue(v), value);
        n++;
    }
    ok(only && n > 0, "%s: %s=%s answers only items with it (%d)", ep->name, key, value, n);
    cJSON_Delete(doc);
}

static void check_param(const lc_endpoint *ep, const target *t, const lc_param *p, const cJSON *first)
{
    const char *value = NULL;
    const cJSON *item;
    char key[96];
    switch (p->kind) {
    case LC_PARAM_SORT:
        for (const char *const *s = ep->sorts; s && *s; s++) {
            check_sort(ep, t, *s, 0);
            check_sort(ep, t, *s, 1);
        }
        break;
    case LC_PARAM_LIST:
        snprintf(key, sizeof key, "%s[]", p->name);
        if (strcmp(p->name, "id") == 0 || strcmp(p->name, "type") == 0)
            check_filter(ep, t, key, p->name,
                         strcmp(p->name, "id") == 0 ? id_of(first) : str_at(first, p->name));
        else
            ok(0, "%s: no check for list key %s (teach this test)", ep->name, p->name);
        for (const char *const *ty = ep->types; strcmp(p->name, "type") == 0 && ty && *ty; ty++) {
            int only = 1;
            cJSON *doc = list_with(ep, t, key, *ty, *ty);
            cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(doc, "data"))
                only &= str_is(str_at(item, "type"), *ty);
            ok(only, "%s: %s=%s answers only %s items", ep->name, key, *ty, *ty);
            cJSON_Delete(doc);
        }
        break;
    case LC_PARAM_STATUS:
        snprintf(key, sizeof key, "attributes[%s][]", p->name);
        check_filter(ep, t, key, p->name, cJSON_GetStringValue(attr_of(first, p->name)));
        break;
    case LC_PARAM_NESTED: {
        if (strcmp(p->name, "attributes") != 0) {
            check_nested(ep, t, p->name, first);
            break;
        }
        const char *attr = filter_attr(first, &value);
        snprintf(key, sizeof key, "%s[%s]", p->name, attr);
        check_filter(ep, t, key, attr, value);
        break;
    }
    case LC_PARAM_SCALAR: {
        char what[96];
        snprintf(what, sizeof what, "%s=true accepted", p->name);
        cJSON_Delete(list_with(ep, t, p->name, "true", what));
        break;
    }
    default:
        ok(0, "%s: query key %s has an unknown kind %d", ep->name, p->name, (int)p->kind);
    }
}

static void exercise_collection(const lc_endpoint *ep, const target *t, const cJSON *doc)
{
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(doc, "meta");
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "data"), 0);
    int total = meta ? (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(meta, "total_count"))
                     : cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "data")); /* not paged */
    if (!ok(first != NULL && total >= 1, "%s: the fixture gives it items to check (%d)", ep->name, total))
        return;

    /* The pager walks every item once, two per page. */
    lc_pager *pg = NULL;
    lc_error e;
    const cJSON *item;
    lc_status st;
    int n = 0, unique = 1;
    char seen[64][64];
    lc_error_init(&e);
    st = lc_pager_new(client_for(ep), ep->name, t->args, NULL, 2, &pg, &e);
    while (st == LC_OK && (st = lc_pager_next(pg, &item, &e)) == LC_OK && item) {
        const char *id = id_of(item);
        for (int i = 0; i < n && i < 64; i++)
            unique &= !str_is(seen[i], id);
        if (n < 64)
            snprintf(seen[n], sizeof seen[n], "%s", id ? id : "");
        n++;
    }
    const cJSON *pmeta = lc_pager_meta(pg);
    ok(st == LC_OK && n == total && unique &&
       (!meta || cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(pmeta, "per_page")) == 2),
       "%s: lc_pager yields all %d items once, 2 per page (%d) %s", ep->name, total, n,
       st == LC_OK ? "" : e.message);
    lc_pager_free(pg);
    lc_error_clear(&e);

    if (ep->default_sort) {
        int desc = ep->default_sort[0] == '-', distinct = 0;
        cJSON *all = list_with(ep, t, NULL, NULL, "whole collection");
        ok(ordered_by(cJSON_GetObjectItemCaseSensitive(all, "data"), ep->default_sort + desc, desc,
                      &distinct),
           "%s: ordered by the default sort %s", ep->name, ep->default_sort);
        cJSON_Delete(all);
    }
    for (const lc_param *p = ep->params; p && p->name; p++)
        check_param(ep, t, p, first);
}

/* ---- rows ------------------------------------------------------------------- */

static void exercise(const lc_endpoint *ep)
{
    const char *method = ep->method;
    int get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
    target t;
    lc_status st;
    char why[200] = "the call failed";
    want_type = str_at(cJSON_GetObjectItemCaseSensitive(documented_answer(ep), "data"), "type");
    for (size_t i = 0; row_type[i].name; i++)
        if (strcmp(row_type[i].name, ep->name) == 0)
            want_type = row_type[i].type;
    resolve(ep, !get, &t);
    cJSON *body = example_body(ep);

    if (in_list(not_served, ep->name)) {
        lc_error e;
        cJSON *out = NULL;
        lc_error_init(&e);
        st = lc_call(client_for(ep), ep->name, t.args, NULL, body, &out, &e);
        ok(st != LC_OK && e.http_status == 404,
           "%s: %s %s not served yet (TODO: take it off not_served[] once the simulator serves it): "
           "HTTP %ld", ep->name, method, t.path, e.http_status);
        cJSON_Delete(out);
        cJSON_Delete(body);
        lc_error_clear(&e);
        return;
    }
    cJSON *doc = call(ep, &t, NULL, body, "", &st);
    ok(st == LC_OK && shape_ok(ep, doc, why, sizeof why), "%s: answer has the row's shape (%s)",
       ep->name, why);
    if (post && st == LC_OK && str_at(cJSON_GetObjectItemCaseSensitive(doc, "data"), "id") &&
        nmade < MAX_MADE) {
        snprintf(made[nmade].tmpl, sizeof made[nmade].tmpl, "%s", ep->path);
        snprintf(made[nmade].coll, sizeof made[nmade].coll, "%s", t.path);
        snprintf(made[nmade].id, sizeof made[nmade].id, "%s",
                 str_at(cJSON_GetObjectItemCaseSensitive(doc, "data"), "id"));
        const char *type = str_at(cJSON_GetObjectItemCaseSensitive(doc, "data"), "type");
        snprintf(made[nmade].type, sizeof made[nmade].type, "%s", type ? type : "");
        nmade++;
        if (ep->body == LC_BODY_TYPED)
            ok(str_is(str_at(cJSON_GetObjectItemCaseSensitive(doc, "data"), "type"), str_at(body, "type")),
               "%s: created the type the body named", ep->name);
    }
    if (st == LC_OK && (ep->flags & LC_EP_COLLECTION))
        exercise_collection(ep, &t, doc);
    cJSON_Delete(doc);
    cJSON_Delete(body);
}

/* Creates first (so collections also hold records with the documented
 * example's values, enough to see each sort order), then GETs, then
 * updates and actions, then deletes (deepest first, so a nested record
 * goes before its parent). */
static int phase(const lc_endpoint *ep)
{
    if (strcmp(ep->method, "POST") == 0)
        return 0;
    if (strcmp(ep->method, "GET") == 0)
        return 1;
    if (strcmp(ep->method, "DELETE") != 0)
        return 2;
    return 3 + (int)(MAX_ARGS - lc_endpoint_path_params(ep));
}

int main(void)
{
    const lc_endpoint *ep;
    size_t rows = 0;
    fixture = load_json("sim/fixtures/default.json");
    spec_current = load_json("tests/spec/remotelock.json");
    spec_v1 = load_json("tests/spec/lockstate_v1.json");
    sim = simproc_start(NULL);
    if (!ok(sim != NULL, "simulator started") || !fixture || !spec_current || !spec_v1) {
        simproc_stop(sim);
        cJSON_Delete(fixture);
        cJSON_Delete(spec_current);
        cJSON_Delete(spec_v1);
        return tap_done();
    }
    ctl(sim, "/_sim/config", "{\"rate_limit\":100000}");
    client = test_client(sim, NULL, NULL);
    {
        lc_config cfg = test_config(sim, NULL, NULL);
        lc_error e;
        lc_error_init(&e);
        cfg.flavour = "v1";
        if (lc_client_new(&cfg, &client_v1, &e) != LC_OK)
            diag("v1 client: %s", e.message);
        lc_error_clear(&e);
    }
    ok(client != NULL && client_v1 != NULL, "clients of flavour current and v1");
    check_coverage(spec_current, "current");
    check_coverage(spec_v1, "v1");
    for (size_t i = 0; wider_than_documented[i].name; i++)
        ok(lc_endpoint_find(wider_than_documented[i].name) != NULL,
           "wider_than_documented[] names the row %s", wider_than_documented[i].name);

    for (const char *const *n = not_served; *n; n++)
        ok(lc_endpoint_find(*n) != NULL, "not_served[] names the row %s", *n);
    for (size_t i = 0; undocumented[i].name; i++)
        ok(lc_endpoint_find(undocumented[i].name) != NULL, "undocumented[] names the row %s",
           undocumented[i].name);
    for (size_t i = 0; legacy_flag_wrong[i].name; i++)
        ok(lc_endpoint_find(legacy_flag_wrong[i].name) != NULL, "legacy_flag_wrong[] names the row %s",
           legacy_flag_wrong[i].name);
    for (rows = 0; (ep = lc_endpoint_at(rows)) != NULL; rows++)
        check_documented(ep);
    for (int ph = 0; ph <= 3 + MAX_ARGS; ph++)
        for (size_t i = 0; (ep = lc_endpoint_at(i)) != NULL; i++)
            if (phase(ep) == ph) {
                gap_row = ep->name;
                exercise(ep);
                gap_row = NULL;
            }
    for (size_t i = 0; sim_gaps[i].name; i++) {
        ok(lc_endpoint_find(sim_gaps[i].name) != NULL, "sim_gaps[] names the row %s",
           sim_gaps[i].name);
        ok(gap_hits[i] > 0, "%s: its known simulator gap (%s) still shows (take it off "
           "sim_gaps[] once the simulator closes it)", sim_gaps[i].name,
           sim_gaps[i].why ? sim_gaps[i].why : "");
    }
    ok(rows > 0, "%zu catalogue rows exercised, %zu records created", rows, nmade);

    lc_client_free(client);
    lc_client_free(client_v1);
    ok(simproc_stop(sim) == 0, "simulator exited cleanly");
    cJSON_Delete(fixture);
    cJSON_Delete(spec_current);
    cJSON_Delete(spec_v1);
    return tap_done();
}
