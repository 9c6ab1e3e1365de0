/* The access pipeline (core/src/access.c) end to end over HTTPS against the
 * simulator: it fetches exactly what the rule needs and nothing for a rule
 * it cannot serve, normalises the person id once for every caller, keeps
 * every failure a failure (no partial documents, never an allow), and
 * fetch + the pure evaluation decides exactly as lc_access_check does. */
#include <lockcloud/policy.h>

#include "coretest.h"

#define AVERY  "30000000-0000-4000-8000-000000000001" /* access_user, current */
#define CASEY  "30000000-0000-4000-8000-000000000002" /* guest, current       */
#define UMA    "30000000-0000-4000-8000-000000000003" /* guest, upcoming      */
#define ELI    "30000000-0000-4000-8000-000000000004" /* guest, expired       */
#define DANA   "30000000-0000-4000-8000-000000000005" /* guest, deactivated   */
#define NOBODY "30000000-0000-4000-8000-0000000000ff" /* not in the fixture   */
#define NOW ((time_t)1773144000) /* 2026-03-10T12:00:00Z, the fixture clock */
#define HARBOR "10000000-0000-4000-8000-000000000001" /* location, Harbor View */

static lc_rule guest_current;

/* The path of the latest request the simulator saw (malloc'd), or NULL. */
static char *last_path(simproc *sim)
{
    cJSON *doc = sim_requests(sim);
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(doc, "requests");
    const cJSON *last = cJSON_GetArrayItem(all, cJSON_GetArraySize(all) - 1);
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(last, "path");
    char *out = cJSON_IsString(path) ? strdup(path->valuestring) : NULL;

    cJSON_Delete(doc);
    return out;
}

static int reason_is(const lc_decision *d, const char *want)
{
    if (strcmp(d->reason, want) == 0)
        return 1;
    diag("reason was '%s', wanted '%s'", d->reason, want);
    return 0;
}

static int docs_empty(const lc_access_docs *docs)
{
    return docs->fetched == 0 && !docs->person && !docs->accesses && !docs->events &&
           !docs->devices && docs->person_id[0] == '\0';
}

static void upper(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
}

static void test_decisions(simproc *sim, lc_client *c)
{
    lc_decision d;
    lc_error e;
    lc_status st;
    int before;

    lc_error_init(&e);
    memset(&d, 0x5a, sizeof d);
    ok(lc_access_check(c, &guest_current, CASEY, NOW, &d, &e) == LC_OK && d.allow == 1 &&
       reason_is(&d, "status is current") && strcmp(d.rule, "guest_current") == 0,
       "a current guest is allowed: %s", e.message);
    lc_error_clear(&e);

    memset(&d, 0x5a, sizeof d);
    before = request_count(sim);
    ok(lc_access_check(c, &guest_current, ELI, NOW, &d, &e) == LC_OK && d.allow == 0 &&
       reason_is(&d, "status is expired") && strcmp(d.rule, "guest_current") == 0,
       "an expired guest is denied with the reason: %s", e.message);
    ok(before >= 0 && request_count(sim) == before + 1,
       "guest_current costs exactly one request (the person), token cached");
    lc_error_clear(&e);

    memset(&d, 0x5a, sizeof d);
    st = lc_access_check(c, &guest_current, NOBODY, NOW, &d, &e);
    ok(st != LC_OK && st == e.kind &&
       (e.kind == LC_ERR_API_GENERAL || e.kind == LC_ERR_API_RESOURCE || e.kind == LC_ERR_HTTP) &&
       e.http_status == 404 && strcmp(e.request, "GET /access_persons/:id") == 0,
       "an unknown person is a 404 error on \"%s\" (%s): %s", e.request,
       lc_status_name(e.kind), e.message);
    ok(d.allow == 0 && strcmp(d.rule, "guest_current") == 0 && strstr(d.reason, "no decision"),
       "... with no allow in the decision: %s", d.reason);
    lc_error_clear(&e);
}

/* Duplicate keys in the person document: the answer reads two ways. */
static void test_ambiguous(simproc *sim, lc_client *c)
{
    static const char *const bodies[] = {
        "{\"data\":{\"id\":\"" CASEY "\",\"type\":\"access_guest\",\"attributes\":"
        "{\"status\":\"current\",\"status\":\"expired\"}}}",
        "{\"data\":{\"id\":\"" CASEY "\",\"type\":\"access_guest\",\"attributes\":"
        "{\"status\":\"expired\",\"status\":\"current\"}}}",
    };
    lc_access_docs docs;
    lc_decision d;
    lc_error e;

    lc_error_init(&e);
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
        if (!ok(simproc_fault_raw(sim, &(simproc_raw){ .head = bodies[i],
                    .head_len = strlen(bodies[i]), .path = "/access_persons/" }) == 200,
                "raw duplicate-status answer armed"))
            continue;
        memset(&d, 0x5a, sizeof d);
        ok(lc_access_check(c, &guest_current, CASEY, NOW, &d, &e) == LC_ERR_PARSE &&
           (e.flags & LC_ERRF_AMBIGUOUS) && d.allow == 0 &&
           strcmp(e.request, "GET /access_persons/:id") == 0,
           "duplicate status (%s first): parse error flagged ambiguous, no allow: %s",
           i == 0 ? "current" : "expired", e.message);
        lc_error_clear(&e);
    }
    /* The same through lc_access_fetch: nothing is left to evaluate. */
    ok(simproc_fault_raw(sim, &(simproc_raw){ .head = bodies[0], .head_len = strlen(bodies[0]),
                                               .path = "/access_persons/" }) == 200 &&
       lc_access_fetch(c, &guest_current, CASEY, &docs, &e) == LC_ERR_PARSE &&
       docs_empty(&docs),
       "a failed fetch leaves no documents behind: %s", e.message);
    ok(lc_access_evaluate(&guest_current, &docs, NOW, &d) == 0 && d.allow == 0,
       "evaluating what a failed fetch left denies: %s", d.reason);
    lc_access_docs_free(&docs);
    lc_error_clear(&e);
}

/* Nothing is sent for a rule the pipeline cannot serve or an unusable id. */
static void test_refused_before_any_request(simproc *sim, lc_client *c)
{
    lc_rule none, unknown;
    char longid[LC_ACCESS_ID_MAX + 2];
    lc_access_docs docs;
    lc_decision d;
    lc_error e;
    int before = request_count(sim);

    lc_error_init(&e);
    memset(&none, 0, sizeof none);
    memset(&unknown, 0, sizeof unknown);
    unknown.kind = (lc_rule_kind)99;
    memset(&d, 0x5a, sizeof d);
    ok(lc_access_check(c, &none, CASEY, NOW, &d, &e) == LC_ERR_USAGE && d.allow == 0,
       "a rule that needs nothing (none): usage error: %s", e.message);
    lc_error_clear(&e);
    ok(lc_access_fetch(c, &unknown, CASEY, &docs, &e) == LC_ERR_USAGE && docs_empty(&docs),
       "an unknown rule kind: usage error, no documents: %s", e.message);
    lc_error_clear(&e);
    ok(lc_access_fetch(c, NULL, CASEY, &docs, &e) == LC_ERR_USAGE &&
       lc_access_fetch(NULL, &guest_current, CASEY, &docs, &e) == LC_ERR_USAGE &&
       lc_access_fetch(c, &guest_current, CASEY, NULL, &e) == LC_ERR_USAGE,
       "NULL rule, client or docs: usage error");
    lc_error_clear(&e);

    memset(longid, 'a', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    ok(lc_access_check(c, &guest_current, longid, NOW, &d, &e) == LC_ERR_USAGE &&
       strstr(e.message, "too long"), "a %zu-character id: usage error: %s",
       strlen(longid), e.message);
    lc_error_clear(&e);
    ok(lc_access_check(c, &guest_current, "", NOW, &d, &e) == LC_ERR_USAGE &&
       lc_access_check(c, &guest_current, NULL, NOW, &d, &e) == LC_ERR_USAGE,
       "an empty or NULL id: usage error");
    lc_error_clear(&e);
    ok(lc_access_check(c, &guest_current, CASEY "\n", NOW, &d, &e) == LC_ERR_USAGE &&
       lc_access_check(c, &guest_current, "30000000 0000", NOW, &d, &e) == LC_ERR_USAGE &&
       lc_access_check(c, &guest_current, "30000000-\xc3\xa4", NOW, &d, &e) == LC_ERR_USAGE,
       "an id with a control byte, a blank or non-ASCII: usage error");
    lc_error_clear(&e);
    ok(before >= 0 && request_count(sim) == before, "none of these sent a request");
}

static void test_id_normalised(simproc *sim, lc_client *c)
{
    char id[LC_ACCESS_ID_MAX + 1], small[8], max[LC_ACCESS_ID_MAX + 1];
    char asked[sizeof(NOBODY)];
    char *path;
    cJSON *doc = NULL;
    lc_decision d;
    lc_error e;
    lc_status st;

    lc_error_init(&e);
    ok(lc_access_id_normalize("AbC-09-fF", id, sizeof id, &e) == LC_OK &&
       strcmp(id, "abc-09-ff") == 0, "ASCII letters are lower-cased: %s", id);
    ok(lc_access_id_normalize("abcdefgh", small, sizeof small, &e) == LC_ERR_USAGE &&
       small[0] == '\0', "an id longer than the buffer: usage error, dst empty");
    memset(max, 'A', LC_ACCESS_ID_MAX);
    max[LC_ACCESS_ID_MAX] = '\0';
    ok(lc_access_id_normalize(max, id, sizeof id, &e) == LC_OK && strlen(id) == LC_ACCESS_ID_MAX &&
       id[0] == 'a', "an id of exactly %d characters is accepted", LC_ACCESS_ID_MAX);
    lc_error_clear(&e);

    /* The request carries the lower-case id. */
    snprintf(asked, sizeof asked, "%s", NOBODY);
    upper(asked);
    st = lc_access_check(c, &guest_current, asked, NOW, &d, &e);
    path = last_path(sim);
    ok(st != LC_OK && e.http_status == 404 && path &&
       strcmp(path, "/access_persons/" NOBODY) == 0,
       "%s is asked as %s", asked, path ? path : "(none)");
    free(path);
    lc_error_clear(&e);

    /* A guest the simulator made (its ids hold hex letters), asked for in
     * upper case as a map file may write it: found and allowed. */
    {
        cJSON *body = cJSON_Parse("{\"type\":\"access_guest\",\"attributes\":{\"name\":\"Cora "
                                  "Case\",\"pin\":\"8642\",\"starts_at\":\"2026-03-01T15:00:00\","
                                  "\"ends_at\":\"2026-03-30T11:00:00\"}}");
        st = lc_call(c, "access_persons.create", NULL, NULL, body, &doc, &e);
        cJSON_Delete(body);
    }
    if (ok(st == LC_OK && doc_id(doc) && strlen(doc_id(doc)) < sizeof id,
           "a current guest created: %s", e.message)) {
        snprintf(id, sizeof id, "%s", doc_id(doc));
        upper(id);
        ok(strcmp(id, doc_id(doc)) != 0 &&
           lc_access_check(c, &guest_current, id, NOW, &d, &e) == LC_OK && d.allow == 1,
           "asked for as %s: allowed (%s) %s", id, d.reason, e.message);
    }
    cJSON_Delete(doc);
    lc_error_clear(&e);
}

/* fetch, then the pure evaluation (no client), decides as lc_access_check
 * does, for every kind of person in the fixture. */
static void test_fetch_then_evaluate(simproc *sim, lc_client *c)
{
    static const char *const people[] = { AVERY, CASEY, UMA, ELI, DANA };
    int same = 1, exact = 1;
    lc_error e;

    lc_error_init(&e);
    for (size_t i = 0; i < sizeof people / sizeof *people; i++) {
        lc_access_docs docs;
        lc_decision one, two, three;
        lc_policy_input in;
        int before = request_count(sim);

        memset(&docs, 0x5a, sizeof docs); /* uninitialised docs are fine */
        if (lc_access_fetch(c, &guest_current, people[i], &docs, &e) != LC_OK) {
            diag("fetch %s: %s", people[i], e.message);
            same = 0;
            lc_error_clear(&e);
            continue;
        }
        /* Exactly the person document, one request, nothing else. */
        if (docs.fetched != LC_NEED_PERSON || !docs.person || docs.accesses || docs.events ||
            strcmp(docs.person_id, people[i]) != 0 || request_count(sim) != before + 1)
            exact = 0;
        lc_access_evaluate(&guest_current, &docs, NOW, &one);
        memset(&in, 0, sizeof in);
        in.person = docs.person;
        in.person_id = people[i];
        in.now = NOW;
        lc_policy_evaluate(&guest_current, &in, &two);
        lc_access_docs_free(&docs);
        if (lc_access_check(c, &guest_current, people[i], NOW, &three, &e) != LC_OK)
            diag("check %s: %s", people[i], e.message);
        if (one.allow != three.allow || strcmp(one.reason, three.reason) != 0 ||
            two.allow != three.allow || strcmp(two.reason, three.reason) != 0) {
            diag("%s: fetch+evaluate %d '%s', policy %d '%s', check %d '%s'", people[i],
                 one.allow, one.reason, two.allow, two.reason, three.allow, three.reason);
            same = 0;
        }
        lc_error_clear(&e);
    }
    ok(same, "fetch + lc_access_evaluate == fetch + lc_policy_evaluate == lc_access_check "
       "for owner, current, upcoming, expired, deactivated");
    ok(exact, "each fetch held exactly the person document, in one request");
}

/* The pure step on documents from elsewhere (as an offline cache will
 * load them): no client, and a missing document is a deny, not a blind
 * evaluation. */
static void test_evaluate_offline(void)
{
    lc_access_docs docs;
    lc_decision d;

    memset(&docs, 0, sizeof docs);
    docs.person = cJSON_Parse("{\"data\":{\"id\":\"" CASEY "\",\"type\":\"access_guest\","
                              "\"attributes\":{\"status\":\"current\"}}}");
    snprintf(docs.person_id, sizeof docs.person_id, "%s", CASEY);
    docs.fetched = LC_NEED_PERSON;
    ok(lc_access_evaluate(&guest_current, &docs, NOW, &d) == 1 && d.allow == 1,
       "a stored current person document allows without a client: %s", d.reason);
    docs.fetched = 0;
    ok(lc_access_evaluate(&guest_current, &docs, NOW, &d) == 0 && d.allow == 0 &&
       reason_is(&d, "a document the rule needs was not fetched"),
       "the same document not marked fetched: deny");
    docs.fetched = LC_NEED_PERSON;
    docs.person_id[0] = '\0';
    ok(lc_access_evaluate(&guest_current, &docs, NOW, &d) == 0 &&
       reason_is(&d, "document is for another person"),
       "documents without the person id they describe: deny");
    snprintf(docs.person_id, sizeof docs.person_id, "%s", ELI);
    ok(lc_access_evaluate(&guest_current, &docs, NOW, &d) == 0 &&
       reason_is(&d, "document is for another person"),
       "documents of another person: deny");
    ok(lc_access_evaluate(&guest_current, NULL, NOW, &d) == 0 && d.allow == 0 &&
       lc_access_evaluate(&guest_current, &docs, NOW, NULL) == 0,
       "NULL documents deny; NULL decision is tolerated");
    {
        lc_rule where;
        lc_rule_parse("presence=location:" HARBOR "/1h", &where, NULL);
        snprintf(docs.person_id, sizeof docs.person_id, "%s", CASEY);
        docs.events = cJSON_Parse("{\"data\":[],\"meta\":{\"total_pages\":1}}");
        docs.fetched = LC_NEED_EVENTS;
        ok(lc_access_evaluate(&where, &docs, NOW, &d) == 0 &&
           reason_is(&d, "a document the rule needs was not fetched"),
           "a location's presence without its devices document: deny");
        docs.devices = cJSON_Parse("{\"data\":[],\"meta\":{\"total_pages\":1}}");
        docs.fetched |= LC_NEED_DEVICES;
        ok(lc_access_evaluate(&where, &docs, NOW, &d) == 0 &&
           reason_is(&d, "no unlock at this location within 1h"),
           "... with it (and no unlock): the plain answer");
    }
    lc_access_docs_free(&docs);
    ok(docs_empty(&docs), "lc_access_docs_free empties the struct");
    lc_access_docs_free(&docs);
    lc_access_docs_free(NULL);
    ok(docs_empty(&docs), "freeing twice and freeing NULL are no-ops");
}

/* docs.failed: the core, not a path in the caller, says whose request
 * failed. A 404 on the person's own request pins it on the person; the
 * token endpoint's 404 (a wrong auth_url) and a refusal before any request
 * pin nothing, so no caller can read them as "no such person". */
static void test_failed_request(simproc *sim, lc_client *c)
{
    lc_access_docs docs;
    lc_client *fresh;
    lc_error e;
    lc_status st;

    lc_error_init(&e);
    st = lc_access_fetch(c, &guest_current, NOBODY, &docs, &e);
    ok(st != LC_OK && e.http_status == 404 && docs.failed == LC_NEED_PERSON && docs_empty(&docs),
       "404 on the person request: failed = LC_NEED_PERSON (%s): %s", lc_status_name(st),
       e.message);
    lc_access_docs_free(&docs);
    lc_error_clear(&e);

    st = lc_access_fetch(c, &guest_current, "bad id", &docs, &e);
    ok(st == LC_ERR_USAGE && docs.failed == 0, "a refusal before any request pins nothing");
    lc_access_docs_free(&docs);
    lc_error_clear(&e);

    /* A client without a token yet: its first request is the token's. */
    fresh = test_client(sim, NULL, NULL);
    if (!ok(fresh && sim_ctl(sim, "POST", "/_sim/fault", "{\"kind\":\"status\",\"status\":404,"
                             "\"count\":1,\"path\":\"/oauth/token\"}", NULL) == 200,
            "fresh client; token endpoint armed to answer 404")) {
        lc_client_free(fresh);
        return;
    }
    st = lc_access_fetch(fresh, &guest_current, CASEY, &docs, &e);
    ok(st != LC_OK && e.http_status == 404 && docs.failed == 0 && docs_empty(&docs),
       "404 on the token request during the person fetch: failed = 0 (%s on \"%s\")",
       lc_status_name(st), e.request);
    lc_access_docs_free(&docs);
    lc_error_clear(&e);
    lc_client_free(fresh);
}

/* ---- requirement lists against the simulator's fixture ---------------- */

#define FRONT_DOOR "20000000-0000-4000-8000-000000000001" /* lock, Harbor View   */
#define POOL_GATE  "20000000-0000-4000-8000-000000000002" /* lock, Harbor View   */
#define ALPINE     "10000000-0000-4000-8000-000000000002" /* location           */
#define ELI_GROUP  "f0000000-0000-4000-8000-000000000002" /* Eli's door group    */

/* Parses text, runs lc_access_check for id and says how many requests it
 * sent (-1: it failed). */
static int check_rule(simproc *sim, lc_client *c, const char *text, const char *id,
                      lc_decision *d)
{
    lc_rule rule;
    lc_error e;
    int before = request_count(sim), st;

    lc_error_init(&e);
    if (lc_rule_parse(text, &rule, &e) != LC_OK) {
        diag("parse '%s': %s", text, e.message);
        lc_error_clear(&e);
        return -1;
    }
    memset(d, 0x5a, sizeof *d);
    st = lc_access_check(c, &rule, id, NOW, d, &e);
    if (st != LC_OK)
        diag("'%s' for %s: %s", text, id, e.message);
    lc_error_clear(&e);
    return st == LC_OK && before >= 0 ? request_count(sim) - before : -1;
}

/* Fetches what text needs about id and hands back one document (by
 * LC_NEED_* bit; caller frees), so a test sees what the query selected:
 * the simulator's request log keeps paths without their queries. */
static cJSON *fetched(lc_client *c, const char *text, const char *id, unsigned which)
{
    lc_access_docs docs;
    lc_rule rule;
    cJSON **slot, *out = NULL;

    lc_rule_parse(text, &rule, NULL);
    if (lc_access_fetch(c, &rule, id, &docs, NULL) != LC_OK)
        return NULL;
    slot = which == LC_NEED_ACCESSES ? &docs.accesses
         : which == LC_NEED_EVENTS  ? &docs.events
         : which == LC_NEED_DEVICES ? &docs.devices : &docs.person;
    out = *slot;
    *slot = NULL;
    lc_access_docs_free(&docs);
    return out;
}

static double meta_num(const cJSON *doc, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(doc, "meta"), key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* Every item of doc's data has attribute key equal to want (type: the
 * item's type); n gets the count. */
static int all_items(const cJSON *doc, const char *key, const char *want, int *n)
{
    const cJSON *it;
    *n = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "data")) {
        const cJSON *v = strcmp(key, "type") == 0
            ? cJSON_GetObjectItemCaseSensitive(it, "type")
            : cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(it, "attributes"), key);
        if (!cJSON_IsString(v) || strcmp(v->valuestring, want) != 0)
            return 0;
        (*n)++;
    }
    return doc != NULL;
}

/* What the queries select (the fixture holds a locked_event and other
 * people's unlocks that must not come back). */
static void test_queries(lc_client *c)
{
    cJSON *doc;
    int n, m;

    doc = fetched(c, "access=lock:" FRONT_DOOR, CASEY, LC_NEED_ACCESSES);
    ok(doc && meta_num(doc, "per_page") == 50 && all_items(doc, "access_person_id", CASEY, &n) &&
       n == 2, "accesses: Casey's 2 grants, one page of 50");
    cJSON_Delete(doc);
    doc = fetched(c, "presence=lock:" FRONT_DOOR "/1h", CASEY, LC_NEED_EVENTS);
    ok(doc && meta_num(doc, "per_page") == 50 && all_items(doc, "type", "unlocked_event", &n) &&
       all_items(doc, "associated_resource_id", CASEY, &m) &&
       all_items(doc, "publisher_id", FRONT_DOOR, &m) && n == 1,
       "events of one device: Casey's unlocks of it only, one page of 50");
    cJSON_Delete(doc);
    doc = fetched(c, "presence=lock:" POOL_GATE "/1h", CASEY, LC_NEED_EVENTS);
    ok(doc && all_items(doc, "type", "unlocked_event", &n) && n == 0,
       "... none of another device");
    cJSON_Delete(doc);
    doc = fetched(c, "presence=location:" HARBOR "/1h", AVERY, LC_NEED_EVENTS);
    ok(doc && all_items(doc, "associated_resource_id", AVERY, &n) && n == 1,
       "events for a location: the person's unlocks anywhere");
    cJSON_Delete(doc);
    doc = fetched(c, "presence=location:" HARBOR "/1h", AVERY, LC_NEED_DEVICES);
    ok(doc && meta_num(doc, "per_page") == 50 && all_items(doc, "location_id", HARBOR, &n) && n == 5,
       "devices: Harbor View's 5, one page of 50");
    cJSON_Delete(doc);
    doc = fetched(c, "presence=location:" HARBOR "/1h presence=location:" ALPINE "/1h", AVERY,
                  LC_NEED_DEVICES);
    ok(doc && cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "data")) == 10,
       "devices of two locations in one request");
    cJSON_Delete(doc);
}

static void test_requirements(simproc *sim, lc_client *c)
{
    lc_decision d;

    ok(check_rule(sim, c, "allow", CASEY, &d) == 0 && d.allow == 1 &&
       check_rule(sim, c, "deny", CASEY, &d) == 0 && d.allow == 0,
       "allow and deny send no request");

    ok(check_rule(sim, c, "status=current access=lock:" FRONT_DOOR, CASEY, &d) == 2 && d.allow == 1 &&
       reason_is(&d, "status is current; access to this door now"),
       "Casey's lock grant: allowed in 2 requests");
    ok(d.valid_until > NOW && d.valid_until <= (time_t)1773486000,
       "valid until no later than the stay's end (2026-03-14 11:00 local)");
    ok(check_rule(sim, c, "access=lock:" FRONT_DOOR, CASEY, &d) == 2 && d.allow == 1,
       "access alone also reads the person (2 requests)");
    ok(check_rule(sim, c, "access=location:" HARBOR, CASEY, &d) == 2 && d.allow == 0 &&
       reason_is(&d, "no access to this location now"), "Casey holds no location grant");
    ok(check_rule(sim, c, "access=location:" HARBOR, AVERY, &d) == 2 && d.allow == 1,
       "Avery's location grant allows");
    ok(check_rule(sim, c, "access=lock:" POOL_GATE, AVERY, &d) == 2 && d.allow == 0,
       "a location grant does not count for a lock in it");
    ok(check_rule(sim, c, "access=lock:" FRONT_DOOR, ELI, &d) == 2 && d.allow == 0 &&
       reason_is(&d, "your stay ended on 2026-02-05 11:00"),
       "Eli's grant outlived his stay: denied with the stay's end");
    ok(check_rule(sim, c, "access=door_group:" ELI_GROUP, ELI, &d) == 2 && d.allow == 0,
       "... also through his door group");
    ok(check_rule(sim, c, "status=current,upcoming access=lock:" FRONT_DOOR, UMA, &d) == 2 &&
       d.allow == 0 && reason_is(&d, "your stay starts on 2026-04-01 15:00"),
       "Uma's status is allowed but her access is not effective yet");

    /* Avery unlocked the Pool Gate at 09:30Z; NOW is 12:00Z. */
    ok(check_rule(sim, c, "presence=lock:" POOL_GATE "/3h", AVERY, &d) == 1 && d.allow == 1 &&
       d.valid_until == (time_t)1773135000 + 3 * 3600,
       "Avery's unlock 2.5 h ago: presence within 3h, in 1 request, until it is 3 h old");
    ok(check_rule(sim, c, "presence=lock:" POOL_GATE "/2h", AVERY, &d) == 1 && d.allow == 0 &&
       reason_is(&d, "no unlock of this door within 2h"), "not within 2h");
    ok(check_rule(sim, c, "presence=lock:" FRONT_DOOR "/1d", AVERY, &d) == 1 && d.allow == 0,
       "not at the front door");
    ok(check_rule(sim, c, "presence=location:" HARBOR "/3h", AVERY, &d) == 2 && d.allow == 1 &&
       reason_is(&d, "unlock at this location within 3h"),
       "any door of Harbor View within 3h: 2 requests (its devices, the events)");
    ok(check_rule(sim, c, "presence=location:" ALPINE "/3h", AVERY, &d) == 2 && d.allow == 0,
       "none at Alpine Lodge");
    ok(check_rule(sim, c, "status=current presence=lock:" FRONT_DOOR "/2d", CASEY, &d) == 2 &&
       d.allow == 1, "Casey's keypad unlock 38 h ago: within 2d, status current, 2 requests");
    ok(check_rule(sim, c, "status=current presence=lock:" FRONT_DOOR "/1d", CASEY, &d) == 2 &&
       d.allow == 0 && reason_is(&d, "no unlock of this door within 1d"), "not within 1d");
    ok(check_rule(sim, c, "presence=lock:" FRONT_DOOR "/2d presence=location:" HARBOR "/2d",
                  CASEY, &d) == 2 && d.allow == 1,
       "two presence terms: one events request without a device filter");
    ok(check_rule(sim, c, "presence=lock:" FRONT_DOOR "/2d", ELI, &d) == 1 && d.allow == 0,
       "Casey's unlock is not Eli's");
    ok(check_rule(sim, c, "status=current access=lock:" FRONT_DOOR " presence=location:" HARBOR "/2d",
                  CASEY, &d) == 4 && d.allow == 1,
       "all three kinds: 4 requests (person, accesses, devices, events)");
}

/* A failed events request: nothing is evaluated, and the core says whose
 * request it was. */
static void test_events_failure(simproc *sim, lc_client *c)
{
    lc_access_docs docs;
    lc_rule rule;
    lc_error e;
    lc_status st;

    lc_error_init(&e);
    lc_rule_parse("status=current presence=lock:" FRONT_DOOR "/1h", &rule, NULL);
    if (!ok(sim_ctl(sim, "POST", "/_sim/fault", "{\"kind\":\"status\",\"status\":404,"
                    "\"count\":1,\"path\":\"/events\"}", NULL) == 200, "events armed to answer 404"))
        return;
    st = lc_access_fetch(c, &rule, CASEY, &docs, &e);
    ok(st != LC_OK && docs.failed == LC_NEED_EVENTS && docs_empty(&docs),
       "a 404 on the events: failed = LC_NEED_EVENTS (not the person), the person fetched "
       "before is freed (%s)", lc_status_name(st));
    lc_access_docs_free(&docs);
    lc_error_clear(&e);
}

int main(void)
{
    simproc *sim = simproc_start(NULL);
    lc_client *c;

    if (!sim)
        return 1;
    lc_rule_parse("guest_current", &guest_current, NULL);
    c = test_client(sim, NULL, NULL);
    if (!c) {
        simproc_stop(sim);
        return 1;
    }
    test_decisions(sim, c);
    test_ambiguous(sim, c);
    test_refused_before_any_request(sim, c);
    test_id_normalised(sim, c);
    test_fetch_then_evaluate(sim, c);
    test_failed_request(sim, c);
    test_requirements(sim, c);
    test_queries(c);
    test_events_failure(sim, c);
    test_evaluate_offline();
    lc_client_free(c);
    ok(simproc_stop(sim) == 0, "simulator exits cleanly");
    return tap_done();
}
