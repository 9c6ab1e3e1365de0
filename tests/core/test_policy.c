/* Unit tests for the pure policy layer (core/src/policy.c): rule parsing and
 * the guest_current rule over well-formed, malformed and hostile documents. */
#include <string.h>

#include <lockcloud/policy.h>

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
    ok(r.target_id[0] == '\0' && r.window_s == 0, "guest_current has no target or window");
    ok(lc_rule_needs(&r) == LC_NEED_PERSON, "guest_current needs only the person document");
    ok(strcmp(lc_rule_name(LC_RULE_GUEST_CURRENT), "guest_current") == 0, "rule name round-trips");
    ok(strcmp(lc_rule_name(LC_RULE_NONE), "none") == 0 &&
       strcmp(lc_rule_name((lc_rule_kind)99), "none") == 0, "unknown kinds are named none");

    ok(lc_rule_parse("door_open", &r, &err) == LC_ERR_USAGE && err.kind == LC_ERR_USAGE &&
       r.kind == LC_RULE_NONE, "unknown rule is a usage error");
    ok(strstr(err.message, "unknown rule 'door_open'") != NULL, "error names the rule: %s", err.message);
    ok(lc_rule_parse("", &r, &err) == LC_ERR_USAGE, "empty rule rejected");
    ok(lc_rule_parse("GUEST_CURRENT", &r, &err) == LC_ERR_USAGE, "rule names are case-sensitive");
    ok(lc_rule_parse("guest_current ", &r, &err) == LC_ERR_USAGE, "trailing space is not trimmed here");
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

int main(void)
{
    test_parse();
    test_statuses();
    test_malformed();
    test_hostile();
    test_api_edges();
    return tap_done();
}
