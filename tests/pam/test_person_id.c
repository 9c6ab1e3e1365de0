/* The person id the module asks about and the one the answer carries are
 * hex: equal whatever their ASCII case (issue 5, item 9), and still never
 * equal to another id, a prefix or an extension of it. */
#include <stdio.h>
#include <string.h>
#include <lockcloud/policy.h>

#include "tap.h"

static int allowed(const char *doc_id, const char *want)
{
    char text[256];
    lc_policy_input in;
    lc_decision d;
    lc_rule rule;
    cJSON *doc;
    int r;

    snprintf(text, sizeof text, "{\"data\":{\"type\":\"access_guest\",\"id\":\"%s\","
             "\"attributes\":{\"status\":\"current\"}}}", doc_id);
    doc = cJSON_Parse(text);
    lc_rule_parse("guest_current", &rule, NULL);
    memset(&in, 0, sizeof in);
    in.person = doc;
    in.person_id = want;
    r = lc_policy_evaluate(&rule, &in, &d);
    cJSON_Delete(doc);
    return r;
}

int main(void)
{
    const char *lower = "3000000a-0000-4000-8000-0000000000bc";

    ok(allowed(lower, lower), "same id: allowed");
    ok(allowed(lower, "3000000A-0000-4000-8000-0000000000BC"), "asked in upper case, answered in lower: allowed");
    ok(allowed("3000000A-0000-4000-8000-0000000000BC", lower), "answered in upper case: allowed");
    ok(!allowed(lower, "3000000a-0000-4000-8000-0000000000bd"), "another id: denied");
    ok(!allowed(lower, "3000000a-0000-4000-8000-0000000000b"), "a prefix of the id: denied");
    ok(!allowed("3000000a-0000-4000-8000-0000000000b", lower), "answer id a prefix of ours: denied");
    ok(!allowed(lower, "3000000a-0000-4000-8000-0000000000bcx"), "an extension of the id: denied");
    /* '@' and '`' differ by the case bit only: not letters, not equal. */
    ok(!allowed("3000000@-0000-4000-8000-0000000000bc", "3000000`-0000-4000-8000-0000000000bc"),
       "only letters fold: '@' is not '`'");
    return tap_done();
}
