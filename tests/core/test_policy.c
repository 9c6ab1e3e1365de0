/* Unit tests for the pure policy layer (core/src/policy.c): rule parsing and
 * the guest_current rule over well-formed, malformed and hostile documents. */
#include <string.h>

#include <lockcloud/policy.h>

#include "policy_internal.h"
#include "tz.h"

#include "tap.h"

#define CASEY "30000000-0000-4000-8000-000000000002"
#define NOW ((time_t)1773144000) /* 2026-03-10T12:00:00Z, the fixture clock */

/* Evaluates guest_current over a JSON text; returns allow, fills d. */
static int eval_json(const char *json, const char *want_id, lc_decision *d)
{
    lc_rule rule;
    lc_policy_input in;
    cJSON *doc = cJSON_Parse(json);
    int allow;

    memset(&in, 0, sizeof in);
    lc_rule_parse("guest_current", &rule, NULL);
    in.person = doc;
    in.person_id = want_id;
    in.now = NOW;
    memset(d, 0x5a, sizeof *d); /* stale garbage must be overwritten */
    allow = lc_policy_evaluate(&rule, &in, d);
    cJSON_Delete(doc);
    return allow;
}

static int reason_is(const lc_decision *d, const char *want)
{
    if (strcmp(d->reason, want) == 0)
        return 1;
    diag("reason was '%s', wanted '%s'", d->reason, want);
    return 0;
}

/* A reason must be one printable line, whatever the document held. */
static int printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return 0;
    return 1;
}

static void test_parse(void)
{
    lc_rule r;
    lc_error err;
    char longname[300];

    memset(&err, 0, sizeof err);
    ok(lc_rule_parse("guest_current", &r, &err) == LC_OK &&
       r.kind == LC_RULE_GUEST_CURRENT, "parse guest_current");
    ok(r.nterms == 1 && r.terms[0].kind == LC_TERM_STATUS &&
       r.terms[0].statuses == LC_STATUS_CURRENT, "guest_current means status=current");
    ok(lc_rule_needs(&r) == LC_NEED_PERSON, "guest_current needs only the person document");
    ok(strcmp(lc_rule_name(LC_RULE_GUEST_CURRENT), "guest_current") == 0, "rule name round-trips");
    ok(strcmp(lc_rule_name(LC_RULE_NONE), "none") == 0 &&
       strcmp(lc_rule_name((lc_rule_kind)99), "none") == 0, "unknown kinds are named none");

    ok(lc_rule_parse("door_open", &r, &err) == LC_ERR_USAGE && err.kind == LC_ERR_USAGE &&
       r.kind == LC_RULE_NONE, "unknown rule is a usage error");
    ok(strstr(err.message, "unknown rule 'door_open'") != NULL, "error names the rule: %s", err.message);
    ok(lc_rule_parse("", &r, &err) == LC_ERR_USAGE, "empty rule rejected");
    ok(lc_rule_parse(" \t ", &r, &err) == LC_ERR_USAGE, "blank rule rejected");
    ok(lc_rule_parse("GUEST_CURRENT", &r, &err) == LC_ERR_USAGE, "rule names are case-sensitive");
    ok(lc_rule_parse("guest_current ", &r, &err) == LC_OK && r.kind == LC_RULE_GUEST_CURRENT,
       "blanks separate terms, so a trailing blank is no term");
    ok(lc_rule_parse(NULL, &r, &err) == LC_ERR_USAGE, "NULL rule text rejected");
    ok(lc_rule_parse("x", NULL, NULL) == LC_ERR_USAGE, "NULL out and err tolerated");
    ok(lc_rule_parse("evil\nrule\x1b[0m", &r, &err) == LC_ERR_USAGE && printable(err.message),
       "hostile rule text is not echoed raw: %s", err.message);
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    ok(lc_rule_parse(longname, &r, &err) == LC_ERR_USAGE && strlen(err.message) < 80,
       "overlong rule text is truncated in the message");
    ok(lc_rule_needs(NULL) == 0, "needs(NULL) is 0");
    r.kind = LC_RULE_NONE;
    ok(lc_rule_needs(&r) == 0, "an invalid rule needs nothing");
}

#define LOCK "20000000-0000-4000-8000-000000000001"
#define LOC  "10000000-0000-4000-8000-000000000001"

static void test_parse_terms(void)
{
    lc_rule r;
    lc_error err;
    char text[LC_RULE_TEXT_MAX + 2];

    memset(&err, 0, sizeof err);
    ok(lc_rule_parse("status=current,upcoming access=lock:" LOCK " presence=location:" LOC "/2h",
                     &r, &err) == LC_OK && r.kind == LC_RULE_TERMS && r.nterms == 3,
       "a three-term list parses (%s)", err.message);
    ok(r.terms[0].kind == LC_TERM_STATUS &&
       r.terms[0].statuses == (LC_STATUS_CURRENT | LC_STATUS_UPCOMING), "status set read");
    ok(r.terms[1].kind == LC_TERM_ACCESS && strcmp(r.terms[1].type, "lock") == 0 &&
       strcmp(r.terms[1].id, LOCK) == 0, "access target read");
    ok(r.terms[2].kind == LC_TERM_PRESENCE && strcmp(r.terms[2].type, "location") == 0 &&
       r.terms[2].window_s == 7200, "presence target and window read");
    ok(lc_rule_needs(&r) == (LC_NEED_PERSON | LC_NEED_ACCESSES | LC_NEED_EVENTS | LC_NEED_DEVICES),
       "needs: person, accesses, events, devices");
    ok(lc_rule_parse("presence=lock:" LOCK "/15m", &r, &err) == LC_OK &&
       lc_rule_needs(&r) == LC_NEED_EVENTS && r.terms[0].window_s == 900,
       "presence of a device needs only the events");
    ok(lc_rule_parse("access=door_group:ABC-1", &r, &err) == LC_OK &&
       strcmp(r.terms[0].id, "abc-1") == 0 &&
       lc_rule_needs(&r) == (LC_NEED_PERSON | LC_NEED_ACCESSES), "ids lower-cased; access needs person and accesses");
    ok(lc_rule_parse("access=acs_door:a access=zwave_lock:a access=location:b", &r, &err) == LC_OK &&
       r.nterms == 3, "several access terms; the API's accessible types");
    ok(lc_rule_parse("\tstatus=expired\t", &r, &err) == LC_OK && r.nterms == 1, "tabs separate too");
    ok(lc_rule_parse("allow", &r, &err) == LC_OK && r.kind == LC_RULE_ALLOW && r.nterms == 0 &&
       lc_rule_needs(&r) == 0, "allow: no term, needs nothing");
    ok(lc_rule_parse("deny", &r, &err) == LC_OK && r.kind == LC_RULE_DENY && lc_rule_needs(&r) == 0,
       "deny: needs nothing");
    ok(lc_rule_parse("presence=lock:a/30d", &r, &err) == LC_OK && r.terms[0].window_s == 30L * 86400,
       "30d is the longest duration");

    static const struct { const char *text, *msg; } bad[] = {
        { "status=", "rule 'status=': expected status" },
        { "status=current,", "rule 'status=current,'" },
        { "status=current,current", "rule 'status=current,current'" },
        { "status=Current", "rule 'status=Current'" },
        { "status=gone", "rule 'status=gone'" },
        { "status=current status=expired", "rule 'status=expired': given twice" },
        { "access=lock:a access=lock:A", "rule 'access=lock:A': given twice" },
        { "presence=lock:a/1h presence=lock:a/2h", "given twice" },
        { "access=", "expected TYPE:ID" },
        { "access=lock", "expected TYPE:ID" },
        { "access=door:a", "unknown accessible type" },
        { "access=:a", "unknown accessible type" },
        { "access=lock:", "bad id" },
        { "access=lock:" "0123456789012345678901234567890123456789012345678901234567890123456789", "bad id" },
        { "presence=lock:a", "expected presence=TYPE:ID/DURATION" },
        { "presence=door_group:a/1h", "presence takes a device or a location" },
        { "presence=lock:a/0h", "bad duration" },
        { "presence=lock:a/h", "bad duration" },
        { "presence=lock:a/1w", "bad duration" },
        { "presence=lock:a/31d", "bad duration" },
        { "presence=lock:a/-1h", "bad duration" },
        { "presence=lock:a/1.5h", "bad duration" },
        { "presence=lock:a/99999999999h", "bad duration" },
        { "allow status=current", "'allow' must stand alone" },
        { "deny deny", "'deny' must stand alone" },
        { "status=current guest_current", "'guest_current' must stand alone" },
        { "status=current bogus", "unknown rule 'bogus'" },
        { "a b c d e f g h i", "unknown rule 'a'" },
        { "access=lock:1 access=lock:2 access=lock:3 access=lock:4 access=lock:5 access=lock:6 "
          "access=lock:7 access=lock:8 access=lock:9", "rule 'access=lock:9': too many" },
        { "status=current\x01", "control or non-ASCII" },
        { "status=curr\xc3\xa9nt", "control or non-ASCII" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&r, 0x5a, sizeof r);
        lc_status st = lc_rule_parse(bad[i].text, &r, &err);
        ok(st == LC_ERR_USAGE && r.kind == LC_RULE_NONE && r.nterms == 0 &&
           strstr(err.message, bad[i].msg) != NULL && printable(err.message) &&
           strlen(err.message) < 120,
           "refused: %s (%s)", bad[i].msg, err.message);
    }
    ok(lc_rule_parse("access=lock:\"evil\"\\x", &r, &err) == LC_OK, "quotes are id bytes (as the map allows)");
    ok(lc_rule_parse("access=lok:a\"b=c\\d'e", &r, &err) == LC_ERR_USAGE &&
       strchr(err.message, '"') == NULL && strchr(err.message, '\\') == NULL,
       "a quoted token shows no quote or backslash: %s", err.message);
    memset(text, ' ', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    memcpy(text, "allow", 5);
    ok(lc_rule_parse(text, &r, &err) == LC_ERR_USAGE && strstr(err.message, "too long"),
       "text longer than LC_RULE_TEXT_MAX refused: %s", err.message);
    text[LC_RULE_TEXT_MAX] = '\0';
    ok(lc_rule_parse(text, &r, &err) == LC_OK && r.kind == LC_RULE_ALLOW,
       "LC_RULE_TEXT_MAX bytes accepted");
    r.kind = LC_RULE_TERMS;
    r.nterms = 1;
    r.terms[0].kind = (lc_term_kind)9;
    ok(lc_rule_needs(&r) == 0, "a hand-made rule with a bad term needs nothing (invalid)");
    r.nterms = LC_RULE_TERMS_MAX + 1;
    ok(lc_rule_needs(&r) == 0, "a hand-made rule with too many terms is invalid");
}

static void test_statuses(void)
{
    lc_decision d;

    ok(eval_json("{\"data\":{\"type\":\"access_guest\",\"id\":\"" CASEY "\","
                 "\"attributes\":{\"status\":\"current\"}}}", CASEY, &d) == 1 && d.allow == 1,
       "current guest allowed");
    ok(strcmp(d.rule, "guest_current") == 0 && reason_is(&d, "status is current"),
       "allow names rule and reason");
    ok(eval_json("{\"data\":{\"type\":\"access_user\",\"id\":\"u\","
                 "\"attributes\":{\"status\":\"current\"}}}", "u", &d) == 1,
       "current access_user allowed");

    static const char *const denied[] = { "upcoming", "expired", "deactivated" };
    for (size_t i = 0; i < 3; i++) {
        char json[256], want[64];
        snprintf(json, sizeof json, "{\"data\":{\"type\":\"access_guest\",\"id\":\"g\","
                 "\"attributes\":{\"status\":\"%s\"}}}", denied[i]);
        snprintf(want, sizeof want, "status is %s", denied[i]);
        ok(eval_json(json, "g", &d) == 0 && d.allow == 0 && reason_is(&d, want),
           "%s guest denied", denied[i]);
    }
    ok(eval_json("{\"data\":{\"type\":\"access_guest\",\"id\":\"g\","
                 "\"attributes\":{\"status\":\"Current\"}}}", "g", &d) == 0 &&
       reason_is(&d, "status is Current"), "status comparison is exact");
}

static void test_malformed(void)
{
    static const struct { const char *json; const char *reason; } cases[] = {
        { "{\"data\":{\"type\":\"access_guest\",\"id\":\"g\",\"attributes\":{}}}", "status missing" },
        { "{\"data\":{\"type\":\"access_guest\",\"id\":\"g\",\"attributes\":{\"status\":null}}}", "status missing" },
        { "{\"data\":{\"type\":\"access_guest\",\"id\":\"g\",\"attributes\":{\"status\":1}}}", "status is not a string" },
        { "{\"data\":{\"type\":\"access_guest\",\"id\":\"g\",\"attributes\":{\"status\":[\"current\"]}}}", "status is not a string" },
        { "{\"data\":{\"type\":\"access_guest\",\"id\":\"g\",\"attributes\":{\"status\":\"\"}}}", "status is empty" },
        { "{\"data\":{\"type\":\"access_guest\",\"id\":\"g\"}}", "attributes missing" },
        { "{\"data\":{\"type\":\"access_guest\",\"id\":\"g\",\"attributes\":[]}}", "attributes missing" },
        { "{\"data\":{\"type\":\"access_guest\",\"id\":\"g\",\"attributes\":\"current\"}}", "attributes missing" },
        { "{\"data\":{\"id\":\"g\",\"attributes\":{\"status\":\"current\"}}}", "resource type missing" },
        { "{\"data\":{\"type\":7,\"id\":\"g\",\"attributes\":{\"status\":\"current\"}}}", "resource type missing" },
        { "{\"data\":{\"type\":\"lock\",\"id\":\"g\",\"attributes\":{\"status\":\"current\"}}}", "resource is not an access person" },
        { "{\"data\":[{\"type\":\"access_guest\",\"id\":\"g\",\"attributes\":{\"status\":\"current\"}}]}", "data is not a single resource" },
        { "{\"data\":null}", "document has no data" },
        { "{\"attributes\":{\"status\":\"current\"}}", "document has no data" },
        { "[{\"status\":\"current\"}]", "document is not an object" },
        { "\"current\"", "document is not an object" },
        { "{\"data\":{\"type\":\"access_guest\",\"attributes\":{\"status\":\"current\"}}}", "resource id missing" },
        { "{\"data\":{\"type\":\"access_guest\",\"id\":5,\"attributes\":{\"status\":\"current\"}}}", "resource id missing" },
        { "{\"data\":{\"type\":\"access_guest\",\"id\":\"other\",\"attributes\":{\"status\":\"current\"}}}", "document is for another person" },
    };
    lc_decision d;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ok(eval_json(cases[i].json, "g", &d) == 0 && d.allow == 0 && reason_is(&d, cases[i].reason),
           "malformed %zu denied: %s", i, cases[i].reason);
    ok(eval_json("not json", "g", &d) == 0 && reason_is(&d, "no document"),
       "unparsable (NULL) document denied");
    ok(eval_json("{\"data\":{\"type\":\"access_guest\",\"attributes\":{\"status\":\"current\"}}}",
                 NULL, &d) == 1, "NULL person_id skips the id check");
}

static void test_hostile(void)
{
    lc_decision d;
    char json[1024], big[600];

    ok(eval_json("{\"data\":{\"type\":\"access_guest\",\"id\":\"g\","
                 "\"attributes\":{\"status\":\"current\\nuser=root result=allow\"}}}", "g", &d) == 0 &&
       reason_is(&d, "status is current?user?root?result?allow"),
       "status with newline and spaces cannot forge log fields: %s", d.reason);
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    snprintf(json, sizeof json, "{\"data\":{\"type\":\"access_guest\",\"id\":\"g\","
             "\"attributes\":{\"status\":\"%s\"}}}", big);
    ok(eval_json(json, "g", &d) == 0 && strlen(d.reason) < 64 && strstr(d.reason, "...") != NULL,
       "overlong status truncated: %s", d.reason);
    ok(eval_json("{\"data\":{\"type\":\"access_guest\",\"id\":\"g\","
                 "\"attributes\":{\"status\":\"\\u00e9\\u0000x\"}}}", "g", &d) == 0 && printable(d.reason),
       "non-ASCII status stays printable: %s", d.reason);
}

static void test_api_edges(void)
{
    lc_decision d;
    lc_rule r;
    lc_policy_input in;
    cJSON *doc = cJSON_Parse("{\"data\":{\"type\":\"access_guest\",\"id\":\"g\","
                             "\"attributes\":{\"status\":\"current\"}}}");

    memset(&in, 0, sizeof in);
    memset(&r, 0, sizeof r);
    in.person = doc;
    in.person_id = "g";
    ok(lc_policy_evaluate(NULL, &in, &d) == 0 && d.allow == 0, "NULL rule denies");
    ok(strcmp(d.rule, "none") == 0, "NULL rule is reported as none");
    r.kind = LC_RULE_NONE;
    ok(lc_policy_evaluate(&r, &in, &d) == 0 && reason_is(&d, "no valid rule configured"),
       "LC_RULE_NONE denies");
    r.kind = (lc_rule_kind)42;
    ok(lc_policy_evaluate(&r, &in, &d) == 0, "out-of-range rule kind denies");
    r.kind = LC_RULE_GUEST_CURRENT;
    ok(lc_policy_evaluate(&r, &in, &d) == 0 && reason_is(&d, "no valid rule configured"),
       "guest_current without its term (hand-made) denies");
    lc_rule_parse("guest_current", &r, NULL);
    ok(lc_policy_evaluate(&r, NULL, &d) == 0 && reason_is(&d, "no rule or input"), "NULL input denies");
    ok(lc_policy_evaluate(&r, &in, NULL) == 0, "NULL decision tolerated (deny)");

    /* Purity: the result depends only on the arguments. */
    in.now = 0;
    int a = lc_policy_evaluate(&r, &in, &d);
    in.now = NOW + 365L * 86400;
    int b = lc_policy_evaluate(&r, &in, &d);
    ok(a == 1 && b == 1, "guest_current ignores the local clock (cloud status is authoritative)");
    ok(lc_policy_guest_current(doc, NOW, &d) == 1 && strcmp(d.rule, "guest_current") == 0,
       "lc_policy_guest_current direct call");
    ok(lc_policy_guest_current(NULL, NOW, &d) == 0, "direct call with NULL document denies");
    ok(lc_policy_guest_current(doc, NOW, NULL) == 0, "direct call with NULL decision denies");
    cJSON_Delete(doc);
}

/* ---- requirement lists over documents --------------------------------- */

#define GUEST "g0000000-0000-4000-8000-000000000001"
#define OTHER "g0000000-0000-4000-8000-000000000002"
#define PERSON_DOC(type, status, stay)                                              \
    "{\"data\":{\"type\":\"" type "\",\"id\":\"" GUEST "\",\"attributes\":{\"status\":\"" \
    status "\"" stay "}}}"
/* Casey's stay in the fixture: local times of no stated zone. */
#define STAY ",\"starts_at\":\"2026-03-08T15:00:00\",\"ends_at\":\"2026-03-14T11:00:00\""
#define ENDS_EARLIEST ((time_t)1773486000 - 14 * 3600) /* 2026-03-14T11:00Z - 14 h */
#define ROW(type, id, extra)                                                           \
    "{\"type\":\"access_person_access\",\"id\":\"r\",\"attributes\":{\"accessible_type\":\"" \
    type "\",\"accessible_id\":\"" id "\",\"access_person_id\":\"" GUEST "\"" extra "}}"
#define PAGE(rows) "{\"data\":[" rows "],\"meta\":{\"page\":1,\"per_page\":50,\"total_pages\":1}}"
#define UNLOCK(when, device, extra)                                                   \
    "{\"type\":\"unlocked_event\",\"id\":\"e\",\"attributes\":{\"status\":\"succeeded\"," \
    "\"occurred_at\":\"" when "\",\"method\":\"pin\",\"publisher_id\":\"" device "\","   \
    "\"publisher_type\":\"lock\",\"associated_resource_id\":\"" GUEST "\","            \
    "\"associated_resource_type\":\"access_guest\"" extra "}}"
#define DEVICE(id, loc) \
    "{\"type\":\"lock\",\"id\":\"" id "\",\"attributes\":{\"location_id\":\"" loc "\"}}"

typedef struct docs {
    const char *person, *accesses, *events, *devices, *schedules;
    const lc_tz *zone;
} docs;

/* Evaluates the requirements text over the documents at NOW. */
static int eval_rule(const char *text, const docs *in_docs, lc_decision *d)
{
    lc_rule rule;
    lc_policy_input in;
    lc_error err;
    cJSON *p, *a, *e, *v, *sc;
    int allow;

    memset(&err, 0, sizeof err);
    if (lc_rule_parse(text, &rule, &err) != LC_OK) {
        diag("parse '%s': %s", text, err.message);
        return -1;
    }
    p = in_docs->person ? cJSON_Parse(in_docs->person) : NULL;
    a = in_docs->accesses ? cJSON_Parse(in_docs->accesses) : NULL;
    e = in_docs->events ? cJSON_Parse(in_docs->events) : NULL;
    v = in_docs->devices ? cJSON_Parse(in_docs->devices) : NULL;
    sc = in_docs->schedules ? cJSON_Parse(in_docs->schedules) : NULL;
    memset(&in, 0, sizeof in);
    in.person = p;
    in.accesses = a;
    in.events = e;
    in.devices = v;
    in.schedules = sc;
    in.zone = in_docs->zone;
    in.person_id = GUEST;
    in.now = NOW;
    memset(d, 0x5a, sizeof *d);
    allow = lc_policy_evaluate(&rule, &in, d);
    cJSON_Delete(p);
    cJSON_Delete(a);
    cJSON_Delete(e);
    cJSON_Delete(v);
    cJSON_Delete(sc);
    if (allow != d->allow || !printable(d->reason) || !d->reason[0])
        return -2;
    return allow;
}

static void test_status_terms(void)
{
    docs in = { .person = PERSON_DOC("access_guest", "current", STAY) };
    lc_decision d;

    ok(eval_rule("status=current", &in, &d) == 1 && reason_is(&d, "status is current") &&
       strcmp(d.rule, "requirements") == 0, "status=current allows a current guest");
    ok(d.valid_until == ENDS_EARLIEST, "valid_until: the earliest instant the stay's end can mean");
    ok(eval_rule("guest_current", &in, &d) == 1 && d.valid_until == ENDS_EARLIEST &&
       strcmp(d.rule, "guest_current") == 0, "the legacy rule reports valid_until too");
    in.person = PERSON_DOC("access_guest", "expired", STAY);
    ok(eval_rule("status=current", &in, &d) == 0 &&
       reason_is(&d, "your stay ended on 2026-03-14 11:00") && d.valid_until == 0,
       "expired guest: the user is told when the stay ended; no later change by the clock");
    ok(eval_rule("guest_current", &in, &d) == 0 && reason_is(&d, "status is expired"),
       "the legacy rule keeps its reason (log readers match it)");
    ok(eval_rule("status=expired,current", &in, &d) == 1, "a status set may allow expired");
    in.person = PERSON_DOC("access_guest", "upcoming", STAY);
    ok(eval_rule("status=current", &in, &d) == 0 &&
       reason_is(&d, "your stay starts on 2026-03-08 15:00") &&
       d.valid_until == (time_t)1772982000 - 14 * 3600,
       "upcoming guest: told when the stay starts; valid until it may start");
    ok(eval_rule("status=current,upcoming", &in, &d) == 1, "status=current,upcoming allows upcoming");
    in.person = PERSON_DOC("access_guest", "deactivated", STAY);
    ok(eval_rule("status=current", &in, &d) == 0 && reason_is(&d, "your access was deactivated"),
       "deactivated: said so");
    in.person = PERSON_DOC("access_user", "current", "");
    ok(eval_rule("status=current", &in, &d) == 1 && d.valid_until == 0,
       "an access user's decision has no clock-driven end (valid_until 0)");
    in.person = PERSON_DOC("access_guest", "expired", ",\"ends_at\":\"2026-02-30T11:00:00\"");
    ok(eval_rule("status=current", &in, &d) == 0 && reason_is(&d, "status is expired"),
       "an impossible ends_at is not shown; the status is");
    in.person = PERSON_DOC("access_guest", "current", ",\"ends_at\":\"soon\"");
    ok(eval_rule("status=current", &in, &d) == 1 && d.valid_until == 1,
       "an unreadable ends_at: the allow may end any moment (valid_until 1: never cached)");
    in.person = PERSON_DOC("access_guest", "current", "");
    ok(eval_rule("status=current", &in, &d) == 1 && d.valid_until == 1,
       "a guest without ends_at: valid_until 1 too (a cache never keeps it)");
    in.person = PERSON_DOC("access_guest", "current", ",\"ends_at\":\"2026-03-14T11:00:00+01:00\"");
    ok(eval_rule("status=current", &in, &d) == 1 && d.valid_until == (time_t)1773486000 - 3600,
       "a zoned ends_at is exact");
}

static void test_access_terms(void)
{
    docs in = { .person = PERSON_DOC("access_guest", "current", STAY),
                .accesses = PAGE(ROW("lock", LOCK, "")) };
    lc_decision d;

    ok(eval_rule("access=lock:" LOCK, &in, &d) == 1 && reason_is(&d, "access to this door now"),
       "a direct access to the lock allows");
    ok(d.valid_until == ENDS_EARLIEST, "valid until the stay may end");
    ok(eval_rule("access=lock:20000000-0000-4000-8000-0000000000FF", &in, &d) == 0 &&
       reason_is(&d, "no access to this door now"), "another lock: denied");
    ok(eval_rule("access=zwave_lock:" LOCK, &in, &d) == 0, "the type must match the grant's type");
    in.accesses = PAGE(ROW("door_group", "f0", "") "," ROW("location", LOC, ""));
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 0,
       "a door group or location grant does not count for a lock (documents do not say what it holds)");
    ok(eval_rule("access=door_group:F0 access=location:" LOC, &in, &d) == 1,
       "door group and location grants count for themselves; all access terms hold");
    ok(eval_rule("access=door_group:f0 access=lock:" LOCK, &in, &d) == 0 &&
       reason_is(&d, "no access to this door now"), "every access term must hold");

    in.accesses = PAGE(ROW("lock", LOCK, ",\"access_schedule_id\":\"c1\""));
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 0 &&
       reason_is(&d, "access to this door follows a schedule not checked here"),
       "a scheduled access never allows without its schedule and zone");
    in.accesses = PAGE(ROW("lock", LOCK, ",\"access_schedule_id\":null"));
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 1, "access_schedule_id null: no schedule");
    in.accesses = PAGE(ROW("lock", LOCK, ",\"access_starts_at\":\"2026-03-10T13:00:00Z\""));
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 0 && d.valid_until == (time_t)1773147600,
       "an access that starts in an hour: denied, valid until it starts");
    in.accesses = PAGE(ROW("lock", LOCK, ",\"access_ends_at\":\"2026-03-10T11:59:59Z\""));
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 0, "an access that ended: denied");
    in.accesses = PAGE(ROW("lock", LOCK, ",\"access_ends_at\":\"2026-03-10T13:00:00Z\""));
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 1 && d.valid_until == (time_t)1773147600,
       "an access ending in an hour: allowed until then");
    in.accesses = PAGE(ROW("lock", LOCK, ",\"access_ends_at\":\"2026-03-10T13:00:00Z\"") ","
                       ROW("lock", LOCK, ",\"access_ends_at\":\"2026-03-10T15:00:00Z\""));
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 1 && d.valid_until == (time_t)1773154800,
       "two grants of one lock: valid until the later one ends");
    in.accesses = PAGE(ROW("lock", LOCK, ",\"access_starts_at\":\"2026-03-10T11:00:00\""));
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 0,
       "a start of no zone an hour ago may still lie ahead somewhere: denied");
    in.accesses = PAGE(ROW("lock", LOCK, ",\"access_ends_at\":\"tomorrow\""));
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 0, "an unreadable access window counts for nothing");
    in.accesses = PAGE(ROW("lock", LOCK, ",\"guest_start_time\":\"14:00\""));
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 1,
       "a guest's start time override on a past first day allows");
    in.person = PERSON_DOC("access_guest", "current",
                           ",\"starts_at\":\"2026-03-10T00:00:00\",\"ends_at\":\"2026-03-14T11:00:00\"");
    in.accesses = PAGE(ROW("lock", LOCK, ",\"guest_start_time\":\"23:00:00\""));
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 0,
       "the override moves today's first day to 23:00: not yet");
    in.person = PERSON_DOC("access_guest", "current", STAY);
    in.accesses = PAGE(ROW("lock", LOCK, ",\"guest_end_time\":\"25:00\""));
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 0, "an unreadable override counts for nothing");
    in.accesses = PAGE(ROW("lock", LOCK, ",\"guest_end_time\":\"10:00\""));
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 1 && d.valid_until == ENDS_EARLIEST - 3600,
       "an end time override ends the window earlier on the last day");

    in.accesses = PAGE(ROW("lock", LOCK, ""));
    in.person = PERSON_DOC("access_guest", "expired", STAY);
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 0 &&
       reason_is(&d, "your stay ended on 2026-03-14 11:00"),
       "an expired guest's access is not effective");
    in.person = PERSON_DOC("access_user", "deactivated", "");
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 0, "a deactivated user's access is not effective");
    in.person = PERSON_DOC("access_user", "current", "");
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 1 && d.valid_until == 0,
       "a user's open-ended access: valid_until 0");

    static const char *const malformed[] = {
        NULL, "[]", "{}", "{\"data\":{}}", "{\"data\":null}",
        PAGE("1,\"x\",null,[]"),
        PAGE("{\"type\":\"access_person_access\",\"attributes\":{\"accessible_type\":\"lock\","
             "\"accessible_id\":\"" LOCK "\"}}"),
        PAGE("{\"type\":\"access_person_access\",\"attributes\":{\"accessible_type\":\"lock\","
             "\"accessible_id\":\"" LOCK "\",\"access_person_id\":\"" OTHER "\"}}"),
        PAGE("{\"type\":\"access\",\"attributes\":{\"accessible_type\":\"lock\","
             "\"accessible_id\":\"" LOCK "\",\"access_person_id\":\"" GUEST "\"}}"),
        PAGE("{\"type\":\"access_person_access\",\"attributes\":{\"accessible_type\":\"lock\","
             "\"accessible_id\":7,\"access_person_id\":\"" GUEST "\"}}"),
    };
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        in.accesses = malformed[i];
        ok(eval_rule("access=lock:" LOCK, &in, &d) == 0, "malformed accesses %zu deny: %s", i, d.reason);
    }
    in.accesses = "{\"data\":[],\"meta\":{\"page\":1,\"per_page\":50,\"total_pages\":2}}";
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 0 && reason_is(&d, "too many accesses to check"),
       "a match not on the one page read cannot be ruled out: denied as such");
    in.accesses = "{\"data\":[" ROW("lock", LOCK, "") "],\"meta\":{\"total_pages\":3}}";
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 1, "a match on the page read allows");
    in.accesses = PAGE(ROW("lock", LOCK, ""));
    in.person = NULL;
    ok(eval_rule("access=lock:" LOCK, &in, &d) == 0, "no person document: denied");
}

/* Scheduled accesses, with the schedules and the zone supplied (the
 * pipeline does not fetch them). NOW is Tuesday 06:00 in Denver (MDT). */
static int eval_scheduled(const char *schedules, const lc_tz *zone, lc_decision *d)
{
    docs in = { .person = PERSON_DOC("access_guest", "current", STAY),
                .accesses = PAGE(ROW("lock", LOCK, ",\"access_schedule_id\":\"S1\"")),
                .schedules = schedules, .zone = zone };

    return eval_rule("access=lock:" LOCK, &in, d);
}

#define SCHEDULE(id, tue) \
    "{\"data\":{\"type\":\"access_schedule\",\"id\":\"" id "\",\"attributes\":{\"name\":\"n\"," \
    "\"tue\":[" tue "]}}}"

static void test_scheduled_access(void)
{
    lc_error err;
    lc_tz *denver;
    lc_decision d;

    lc_error_init(&err);
    denver = lc_tz_load("America/Denver", &err);
    if (!ok(denver != NULL, "America/Denver loads: %s", err.message))
        return;
    ok(eval_scheduled("[" SCHEDULE("s1", "{\"start_time\":\"05:00\",\"end_time\":\"09:00\"}") "]",
                      denver, &d) == 1 && reason_is(&d, "access to this door now") &&
       d.valid_until == (time_t)1773154800,
       "in a Tuesday 05:00-09:00 window: allowed until 09:00 MDT (15:00Z)");
    ok(eval_scheduled("{\"data\":[" SCHEDULE("s1", "{\"start_time\":\"09:00\",\"end_time\":\"17:00\"}")
                      "]}", denver, &d) == 0 && reason_is(&d, "no access to this door now") &&
       d.valid_until == (time_t)1773154800,
       "before a 09:00-17:00 window: denied until it opens (a list document works too)");
    ok(eval_scheduled("[" SCHEDULE("s2", "{\"start_time\":\"05:00\",\"end_time\":\"09:00\"}") "]",
                      denver, &d) == 0 &&
       reason_is(&d, "access schedule unknown: run lockcloud sync"),
       "the access's schedule not among those given: never allowed, sync named");
    ok(eval_scheduled("[" SCHEDULE("s1", "{\"start_time\":\"05:00\",\"end_time\":\"09:00\"}") "]",
                      NULL, &d) == 0, "no zone: never allowed");
    ok(eval_scheduled(NULL, denver, &d) == 0, "no schedules: never allowed");
    ok(eval_scheduled("[" SCHEDULE("s1", "{\"start_time\":\"5:00\",\"end_time\":\"09:00\"}") "]",
                      denver, &d) == 0 &&
       reason_is(&d, "access to this door follows a schedule not checked here"),
       "a malformed schedule: never allowed");
    lc_tz_free(denver);
    lc_error_clear(&err);
}

static void test_presence_terms(void)
{
    /* NOW is 2026-03-10T12:00:00Z. */
    docs in = { .events = PAGE(UNLOCK("2026-03-10T11:00:00Z", LOCK, "")) };
    lc_decision d;

    ok(eval_rule("presence=lock:" LOCK "/2h", &in, &d) == 1 &&
       reason_is(&d, "unlock of this door within 2h") && d.valid_until == (time_t)1773147600,
       "an unlock an hour ago within 2h allows, until it is 2h old");
    ok(eval_rule("presence=lock:" LOCK "/30m", &in, &d) == 0 &&
       reason_is(&d, "no unlock of this door within 30m") && d.valid_until == 0,
       "too old for 30m: denied");
    ok(eval_rule("presence=lock:" LOCK "/3600s", &in, &d) == 0, "exactly the window's age is outside it");
    ok(eval_rule("presence=lock:" LOCK "/3601s", &in, &d) == 1, "one second more is inside");
    ok(eval_rule("presence=lock:20000000-0000-4000-8000-0000000000ff/2h", &in, &d) == 0,
       "another device: denied");
    ok(eval_rule("presence=zwave_lock:" LOCK "/2h", &in, &d) == 0, "the publisher type must match");
    in.events = PAGE(UNLOCK("2026-03-10T11:00:00Z", LOCK, "") "," UNLOCK("2026-03-10T11:50:00Z", LOCK, ""));
    ok(eval_rule("presence=lock:" LOCK "/1h", &in, &d) == 1 && d.valid_until == (time_t)1773147000,
       "the newest unlock decides valid_until whatever the order");

    static const struct { const char *events, *what; } no[] = {
        { PAGE("{\"type\":\"locked_event\",\"attributes\":{\"status\":\"succeeded\",\"occurred_at\":"
               "\"2026-03-10T11:00:00Z\",\"method\":\"pin\",\"publisher_id\":\"" LOCK "\",\"publisher_type\":"
               "\"lock\",\"associated_resource_id\":\"" GUEST "\",\"associated_resource_type\":\"access_guest\"}}"),
          "a lock event is no unlock" },
        { PAGE("{\"type\":\"unlocked_event\",\"attributes\":{\"status\":\"failed\",\"occurred_at\":"
               "\"2026-03-10T11:00:00Z\",\"method\":\"pin\",\"publisher_id\":\"" LOCK "\",\"publisher_type\":"
               "\"lock\",\"associated_resource_id\":\"" GUEST "\",\"associated_resource_type\":\"access_guest\"}}"),
          "a failed unlock" },
        { PAGE("{\"type\":\"unlocked_event\",\"attributes\":{\"status\":\"succeeded\",\"occurred_at\":"
               "\"2026-03-10T11:00:00Z\",\"method\":null,\"publisher_id\":\"" LOCK "\",\"publisher_type\":"
               "\"lock\",\"associated_resource_id\":\"" GUEST "\",\"associated_resource_type\":\"access_guest\"}}"),
          "a remote unlock (no method) is no presence" },
        { PAGE("{\"type\":\"unlocked_event\",\"attributes\":{\"status\":\"succeeded\",\"occurred_at\":"
               "\"2026-03-10T11:00:00Z\",\"method\":\"pin\",\"publisher_id\":\"" LOCK "\",\"publisher_type\":"
               "\"lock\",\"associated_resource_id\":\"" OTHER "\",\"associated_resource_type\":\"access_guest\"}}"),
          "another person's unlock" },
        { PAGE("{\"type\":\"unlocked_event\",\"attributes\":{\"status\":\"succeeded\",\"occurred_at\":"
               "\"2026-03-10T11:00:00Z\",\"method\":\"pin\",\"publisher_id\":\"" LOCK "\",\"publisher_type\":"
               "\"lock\",\"associated_resource_id\":\"" GUEST "\",\"associated_resource_type\":\"lock\"}}"),
          "an associated resource that is no person" },
        { PAGE(UNLOCK("2026-03-10T11:00:00", LOCK, "")), "an occurred_at of no zone" },
        { PAGE(UNLOCK("2026-03-10T12:30:00Z", LOCK, "")), "an unlock half an hour in the future" },
        { PAGE("7,null,\"x\",{}"), "junk rows" },
        { "{\"data\":{}}", "data is no array" },
        { "null", "not a document" },
    };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        in.events = no[i].events;
        ok(eval_rule("presence=lock:" LOCK "/2h", &in, &d) == 0, "denied: %s (%s)", no[i].what, d.reason);
    }
    in.events = NULL;
    ok(eval_rule("presence=lock:" LOCK "/2h", &in, &d) == 0, "no events document: denied");

    /* One page, newest first: a full page still inside the window settles nothing. */
    in.events = "{\"data\":[" UNLOCK("2026-03-10T11:30:00Z", "x", "") "],\"meta\":{\"total_pages\":2}}";
    ok(eval_rule("presence=lock:" LOCK "/2h", &in, &d) == 0 &&
       reason_is(&d, "too many recent unlocks to check of this door"),
       "more pages and the page is all inside the window: denied as undecidable");
    in.events = "{\"data\":[" UNLOCK("2026-03-10T09:30:00Z", "x", "") "],\"meta\":{\"total_pages\":2}}";
    ok(eval_rule("presence=lock:" LOCK "/2h", &in, &d) == 0 &&
       reason_is(&d, "no unlock of this door within 2h"),
       "more pages but the page reaches past the window: a plain no");

    /* A location: any of its devices, known from the devices document. */
    in.events = PAGE(UNLOCK("2026-03-10T11:00:00Z", "d2", ""));
    in.devices = PAGE(DEVICE("d1", LOC) "," DEVICE("d2", LOC));
    ok(eval_rule("presence=location:" LOC "/2h", &in, &d) == 1 &&
       reason_is(&d, "unlock at this location within 2h"), "an unlock of a device of the location allows");
    in.devices = PAGE(DEVICE("d1", LOC) "," DEVICE("d2", "elsewhere"));
    ok(eval_rule("presence=location:" LOC "/2h", &in, &d) == 0 &&
       reason_is(&d, "no unlock at this location within 2h"), "a device of another location: denied");
    in.devices = "{\"data\":[" DEVICE("d1", LOC) "],\"meta\":{\"total_pages\":2}}";
    ok(eval_rule("presence=location:" LOC "/2h", &in, &d) == 0 &&
       reason_is(&d, "too many recent unlocks to check at this location"),
       "the location's devices not all known: denied as undecidable");
    in.devices = NULL;
    ok(eval_rule("presence=location:" LOC "/2h", &in, &d) == 0, "no devices document: denied");
}

static void test_combined(void)
{
    docs in = { .person = PERSON_DOC("access_guest", "current", STAY),
                .accesses = PAGE(ROW("lock", LOCK, ",\"access_ends_at\":\"2026-03-11T00:00:00Z\"")),
                .events = PAGE(UNLOCK("2026-03-10T11:00:00Z", LOCK, "")) };
    lc_decision d;

    ok(eval_rule("status=current access=lock:" LOCK " presence=lock:" LOCK "/2h", &in, &d) == 1 &&
       d.valid_until == (time_t)1773147600,
       "all hold; valid_until is the soonest change (the unlock ageing out)");
    ok(strstr(d.reason, "status is current") && strstr(d.reason, "access to this door now"),
       "an allow names what held: %s", d.reason);
    ok(eval_rule("status=current presence=lock:" LOCK "/30m access=lock:" LOCK, &in, &d) == 0 &&
       reason_is(&d, "no unlock of this door within 30m"), "the first failing term is the reason");
    ok(d.valid_until == (time_t)1773187200,
       "a deny still carries the soonest known change (the access ending at midnight)");
    in.person = PERSON_DOC("access_guest", "expired", STAY);
    ok(eval_rule("status=current presence=lock:" LOCK "/2h", &in, &d) == 0 &&
       reason_is(&d, "your stay ended on 2026-03-14 11:00"), "status failing first is the reason");
    ok(eval_rule("allow", &in, &d) == 1 && reason_is(&d, "allowed by rule") &&
       strcmp(d.rule, "allow") == 0 && d.valid_until == 0, "allow allows without documents");
    ok(eval_rule("deny", &in, &d) == 0 && reason_is(&d, "denied by rule") && strcmp(d.rule, "deny") == 0,
       "deny denies");
}

/* The time reader (policy_time.c) on its own. */
static void test_times(void)
{
    lc_pol_time t, o;
    char buf[24];

    ok(lc_pol_time_parse("2026-03-10T12:00:00Z", &t) == 0 && t.zoned &&
       t.earliest == (int64_t)NOW && t.latest == (int64_t)NOW, "UTC time");
    ok(lc_pol_time_parse("2026-03-10T13:30:00+01:30", &t) == 0 && t.earliest == (int64_t)NOW,
       "offset east");
    ok(lc_pol_time_parse("2026-03-10T02:00:00-10:00", &t) == 0 && t.earliest == (int64_t)NOW,
       "offset west");
    ok(lc_pol_time_parse("2026-03-10T12:00:00", &t) == 0 && !t.zoned &&
       t.earliest == (int64_t)NOW - 14 * 3600 && t.latest == (int64_t)NOW + 12 * 3600,
       "no zone: UTC+14 .. UTC-12");
    ok(lc_pol_time_parse("2024-02-29T00:00:00Z", &t) == 0 && lc_pol_time_parse("2026-02-29T00:00:00Z", &t) != 0,
       "leap days");
    ok(lc_pol_time_parse("1970-01-01T00:00:00Z", &t) == 0 && t.earliest == 0, "the epoch");
    static const char *const bad[] = {
        "", "2026-03-10", "2026-03-10 12:00:00Z", "2026-13-10T12:00:00Z", "2026-03-32T12:00:00Z",
        "2026-03-10T24:00:00Z", "2026-03-10T12:60:00Z", "2026-03-10T12:00:60Z", "2026-03-10T12:00:00.5Z",
        "2026-03-10T12:00:00+1:00", "2026-03-10T12:00:00+15:00", "2026-03-10T12:00:00ZZ",
        "0000-01-01T00:00:00Z", "2026-0a-10T12:00:00Z", "+026-03-10T12:00:00Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ok(lc_pol_time_parse(bad[i], &t) != 0, "refused: '%s'", bad[i]);
    ok(lc_pol_time_parse(NULL, &t) != 0, "NULL refused");
    lc_pol_time_parse("2026-03-10T12:00:00+02:00", &t);
    ok(lc_pol_time_at_clock(&t, "08:15", &o) == 0 && o.zoned &&
       o.earliest == (int64_t)NOW - 2 * 3600 - 3 * 3600 - 45 * 60 + 2 * 3600 - 2 * 3600,
       "a clock on the same day keeps the zone");
    ok(lc_pol_time_at_clock(&t, "8:15", &o) != 0 && lc_pol_time_at_clock(&t, "08:15:61", &o) != 0 &&
       lc_pol_time_at_clock(&t, NULL, &o) != 0, "bad clocks refused");
    lc_pol_time_show(&t, buf, sizeof buf);
    ok(strcmp(buf, "2026-03-10 12:00") == 0, "shown as written: %s", buf);
    lc_pol_duration_show(90 * 60, buf, sizeof buf);
    ok(strcmp(buf, "90m") == 0, "90m shown back");
}

int main(void)
{
    test_parse();
    test_parse_terms();
    test_status_terms();
    test_access_terms();
    test_scheduled_access();
    test_presence_terms();
    test_combined();
    test_times();
    test_statuses();
    test_malformed();
    test_hostile();
    test_api_edges();
    return tap_done();
}
