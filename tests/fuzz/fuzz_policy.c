/* Fuzzes the decision path of the PAM module: bytes of an answer to
 * GET /access_persons/:id -> the strict JSON reader -> lc_policy_evaluate
 * with the guest_current rule. Invariants:
 *  - allow only for an object whose data is an access person with the
 *    expected id (ASCII case ignored) and attributes.status exactly
 *    "current", and only when the document is unambiguous: no duplicate
 *    key anywhere, no NUL in any string or key (raw or \u0000), nothing
 *    after the document;
 *  - the reason is short printable ASCII.
 * The same document is also read as the person's accesses (rule
 * access=lock:LOCK, beside a current person) and as their events (rule
 * presence=lock:LOCK/1h): an allow needs a row that grants exactly that
 * lock to that person without a schedule, or a succeeded unlocked_event by
 * that person at that lock with a method. And the bytes are parsed as a
 * requirements text: a parsed rule is within its limits, a refusal leaves
 * no term and a short printable message.
 * Until the strict reader (core/src/json_parse.c) exists this target uses
 * cJSON_ParseWithLength and checks only the first invariant. */
#include <strings.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <lockcloud/policy.h>

#include "fuzz_util.h"
#ifdef LC_FUZZ_STRICT_JSON
#include "json_parse.h"
#endif

#define PERSON_ID "7f1c9a2e-2b3d-4e5f-8a9b-0c1d2e3f4a5b"

/* A real "\u0000" escape: a backslash preceded by an even number of
 * backslashes (in valid JSON backslashes occur only inside strings). */
static int has_nul_escape(const uint8_t *d, size_t n)
{
    for (size_t i = 0; i + 6 <= n; i++) {
        size_t bs = 0;
        if (d[i] != '\\' || (d[i + 1] != 'u' && d[i + 1] != 'U') ||
            memcmp(d + i + 2, "0000", 4) != 0)
            continue;
        while (bs < i && d[i - 1 - bs] == '\\')
            bs++;
        if (bs % 2 == 0)
            return 1;
    }
    return 0;
}

/* Nonzero when some object in the tree holds a key twice; *depth gets the
 * nesting depth, *count the number of values. */
static int walk(const cJSON *v, int level, int *depth, size_t *count)
{
    const cJSON *a, *b;

    (*count)++;
    if (level > *depth)
        *depth = level;
    if (cJSON_IsObject(v))
        for (a = v->child; a; a = a->next)
            for (b = a->next; b; b = b->next)
                if (a->string && b->string && strcmp(a->string, b->string) == 0)
                    return 1;
    if (cJSON_IsObject(v) || cJSON_IsArray(v))
        for (a = v->child; a; a = a->next)
            if (walk(a, level + 1, depth, count))
                return 1;
    return 0;
}

static int only_space(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return 0;
    return 1;
}

static const char *str_at(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Independent statement of what an allow requires. */
static void check_allow(const cJSON *doc, const char *want_id)
{
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(doc, "data");
    const char *type, *id, *status;

    FZ_ASSERT(cJSON_IsObject(doc) && cJSON_IsObject(d));
    type = str_at(d, "type");
    FZ_ASSERT(type && (strcmp(type, "access_guest") == 0 || strcmp(type, "access_user") == 0));
    status = str_at(cJSON_GetObjectItemCaseSensitive(d, "attributes"), "status");
    FZ_ASSERT(status && strcmp(status, "current") == 0);
    if (want_id) {
        id = str_at(d, "id");
        FZ_ASSERT(id && strcasecmp(id, want_id) == 0); /* ids: hex, any case */
    }
}

static void check_reason(const lc_decision *dec)
{
    fz_check_text(dec->reason, sizeof dec->reason);
    FZ_ASSERT(dec->reason[0] != '\0');
    for (const char *p = dec->reason; *p; p++)
        FZ_ASSERT((unsigned char)*p < 0x80);
}

#define LOCK_ID "20000000-0000-4000-8000-000000000001"
#define FUZZ_NOW 1773144000 /* 2026-03-10T12:00:00Z */

static const cJSON *attrs_of(const cJSON *item)
{
    return cJSON_GetObjectItemCaseSensitive(item, "attributes");
}

/* Independent statement of an access allow: a grant of exactly the lock. */
static void check_access_allow(const cJSON *doc)
{
    const cJSON *it;
    int found = 0;

    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "data")) {
        const char *t = str_at(it, "type"), *at = str_at(attrs_of(it), "accessible_type");
        const char *id = str_at(attrs_of(it), "accessible_id");
        const char *who = str_at(attrs_of(it), "access_person_id");
        const cJSON *sched = cJSON_GetObjectItemCaseSensitive(attrs_of(it), "access_schedule_id");
        if (t && strcmp(t, "access_person_access") == 0 && at && strcmp(at, "lock") == 0 && id &&
            strcasecmp(id, LOCK_ID) == 0 && who && strcasecmp(who, PERSON_ID) == 0 &&
            (!sched || cJSON_IsNull(sched)))
            found = 1;
    }
    FZ_ASSERT(found);
}

/* Independent statement of a presence allow: an unlock of the lock by them. */
static void check_presence_allow(const cJSON *doc, const lc_decision *dec)
{
    const cJSON *it;
    int found = 0;

    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "data")) {
        const cJSON *a = attrs_of(it);
        const char *t = str_at(it, "type"), *st = str_at(a, "status"), *m = str_at(a, "method");
        const char *pub = str_at(a, "publisher_id"), *who = str_at(a, "associated_resource_id");
        if (t && strcmp(t, "unlocked_event") == 0 && st && strcmp(st, "succeeded") == 0 && m &&
            m[0] && pub && strcasecmp(pub, LOCK_ID) == 0 && who && strcasecmp(who, PERSON_ID) == 0)
            found = 1;
    }
    FZ_ASSERT(found);
    /* Never valid past the hour, nor from before the unlock could count. */
    FZ_ASSERT(dec->valid_until > FUZZ_NOW && dec->valid_until <= FUZZ_NOW + 3600 + 300);
}

/* The bytes as a requirements text. */
static void check_rule_text(const uint8_t *data, size_t size)
{
    char *text = fz_cstr(data, size);
    lc_rule rule;
    lc_error err;

    lc_error_init(&err);
    if (lc_rule_parse(text, &rule, &err) == LC_OK) {
        FZ_ASSERT(strlen(text) <= LC_RULE_TEXT_MAX && rule.nterms <= LC_RULE_TERMS_MAX);
        FZ_ASSERT(rule.kind != LC_RULE_NONE);
        FZ_ASSERT((rule.kind == LC_RULE_ALLOW || rule.kind == LC_RULE_DENY) == (rule.nterms == 0));
        FZ_ASSERT(rule.nterms == 0 || lc_rule_needs(&rule) != 0);
        for (unsigned i = 0; i < rule.nterms; i++) {
            const lc_term *t = &rule.terms[i];
            if (t->kind == LC_TERM_STATUS) {
                FZ_ASSERT(t->statuses != 0 && t->statuses < 16);
                continue;
            }
            FZ_ASSERT(t->kind == LC_TERM_ACCESS || t->kind == LC_TERM_PRESENCE);
            FZ_ASSERT(t->id[0] && strlen(t->id) <= LC_RULE_ID_MAX);
            for (const char *p = t->id; *p; p++)
                FZ_ASSERT(*p > 0x20 && *p < 0x7f && !(*p >= 'A' && *p <= 'Z'));
            FZ_ASSERT(t->kind == LC_TERM_ACCESS ||
                      (t->window_s > 0 && t->window_s <= LC_PRESENCE_MAX_S));
        }
    } else {
        FZ_ASSERT(rule.kind == LC_RULE_NONE && rule.nterms == 0);
        fz_check_text(err.message, sizeof err.message);
        FZ_ASSERT(strlen(err.message) < 160);
    }
    lc_error_clear(&err);
    free(text);
}

/* doc as accesses, then as events, of a current person. */
static void check_requirements(const cJSON *doc)
{
    static const char person_json[] =
        "{\"data\":{\"type\":\"access_guest\",\"id\":\"" PERSON_ID "\",\"attributes\":"
        "{\"status\":\"current\",\"starts_at\":\"2026-03-01T15:00:00\","
        "\"ends_at\":\"2026-03-20T11:00:00\"}}}";
    cJSON *person = cJSON_Parse(person_json);
    lc_rule access, presence;
    lc_decision dec;

    FZ_ASSERT(person);
    FZ_ASSERT(lc_rule_parse("access=lock:" LOCK_ID, &access, NULL) == LC_OK);
    FZ_ASSERT(lc_rule_parse("presence=lock:" LOCK_ID "/1h", &presence, NULL) == LC_OK);
    {
        lc_policy_input in = { .person = person, .accesses = doc, .person_id = PERSON_ID,
                               .now = FUZZ_NOW };
        if (lc_policy_evaluate(&access, &in, &dec))
            check_access_allow(doc);
        check_reason(&dec);
    }
    {
        lc_policy_input in = { .events = doc, .person_id = PERSON_ID, .now = FUZZ_NOW };
        if (lc_policy_evaluate(&presence, &in, &dec))
            check_presence_allow(doc, &dec);
        check_reason(&dec);
    }
    cJSON_Delete(person);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const ids[] = { PERSON_ID, NULL };
    lc_rule rule;
    cJSON *doc = NULL;

    FZ_ASSERT(lc_rule_parse("guest_current", &rule, NULL) == LC_OK);
    check_rule_text(data, size);
#ifdef LC_FUZZ_STRICT_JSON
    {
        lc_error err;
        lc_json_limits lim = lc_json_limits_for(64 * 1024);
        const char *end = NULL;
        cJSON *loose;
        int depth = 0;
        size_t count = 0;

        lc_error_init(&err);
        if (lc_json_parse((const char *)data, size, &lim, "the answer to GET /access_persons/:id",
                          &doc, &err) != LC_OK) {
            FZ_ASSERT(doc == NULL);
            FZ_ASSERT(err.kind == LC_ERR_PARSE || err.kind == LC_ERR_NOMEM);
            fz_check_text(err.message, sizeof err.message);
            lc_error_clear(&err);
            return 0;
        }
        /* The strict reader's contract, checked from outside. */
        FZ_ASSERT(doc != NULL);
        FZ_ASSERT(size <= lim.max_bytes);
        FZ_ASSERT(!memchr(data, '\0', size));
        FZ_ASSERT(!has_nul_escape(data, size));
        FZ_ASSERT(!walk(doc, 1, &depth, &count));
        FZ_ASSERT(depth <= lim.max_depth + 1 && count <= lim.max_values);
        /* cJSON must see the same single document, with nothing after it. */
        loose = cJSON_ParseWithLengthOpts((const char *)data, size, &end, 0);
        FZ_ASSERT(loose != NULL && end && only_space(end, (const char *)data + size));
        cJSON_Delete(loose);
    }
#else
    (void)has_nul_escape;
    (void)walk;
    (void)only_space;
    doc = cJSON_ParseWithLength((const char *)data, size);
#endif
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        lc_policy_input in = { .person = doc, .person_id = ids[i], .now = 1700000000 };
        lc_decision dec;

        memset(&dec, 0, sizeof dec);
        if (lc_policy_evaluate(&rule, &in, &dec)) {
            FZ_ASSERT(dec.allow == 1);
            check_allow(doc, ids[i]);
        } else {
            FZ_ASSERT(dec.allow == 0);
        }
        check_reason(&dec);
    }
    check_requirements(doc);
    cJSON_Delete(doc);
    return 0;
}
