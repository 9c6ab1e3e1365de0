/* Pure access-rule evaluation: documents + clock in, decision out. No I/O,
 * no clock reads, no allocation. Every malformed input is a deny. */
#include <stdio.h>
#include <string.h>

#include <lockcloud/policy.h>

#include "errors.h"
#include "text.h"

#define RULE_GUEST_CURRENT "guest_current"

static const struct {
    const char *name;
    lc_rule_kind kind;
    unsigned needs;
} rules[] = {
    { RULE_GUEST_CURRENT, LC_RULE_GUEST_CURRENT, LC_NEED_PERSON },
};

#define NRULES (sizeof rules / sizeof rules[0])

/* Copies at most max bytes of s into dst through the core's sanitizer as
 * a name ([A-Za-z0-9._@-], anything else '?'), so document values cannot
 * inject into logs. */
static void safe_copy(char *dst, size_t dstlen, const char *s, size_t max)
{
    size_t n = strlen(s);

    lc_text_sanitize_n(dst, dstlen, s, n < max ? n : max, LC_TEXT_NAME);
}

static int decide(lc_decision *out, int allow, const char *reason)
{
    out->allow = allow;
    snprintf(out->reason, sizeof out->reason, "%s", reason);
    return allow;
}

const char *lc_rule_name(lc_rule_kind kind)
{
    for (size_t i = 0; i < NRULES; i++)
        if (rules[i].kind == kind)
            return rules[i].name;
    return "none";
}

lc_status lc_rule_parse(const char *text, lc_rule *out, lc_error *err)
{
    char shown[48];

    if (out)
        memset(out, 0, sizeof *out);
    if (!text || !out)
        return lc_err_set(err, LC_ERR_USAGE, "rule: missing argument");
    for (size_t i = 0; i < NRULES; i++) {
        if (strcmp(text, rules[i].name) == 0) {
            out->kind = rules[i].kind;
            return LC_OK;
        }
    }
    safe_copy(shown, sizeof shown, text, 40);
    return lc_err_set(err, LC_ERR_USAGE, "unknown rule '%s'%s", shown,
                      strlen(text) > 40 ? "..." : "");
}

unsigned lc_rule_needs(const lc_rule *rule)
{
    if (!rule)
        return 0;
    for (size_t i = 0; i < NRULES; i++)
        if (rules[i].kind == rule->kind)
            return rules[i].needs;
    return 0;
}

/* Returns data of a single-resource document, or NULL with a deny reason. */
static const cJSON *resource_of(const cJSON *doc, lc_decision *out)
{
    const cJSON *data;

    if (!doc) {
        decide(out, 0, "no document");
        return NULL;
    }
    if (!cJSON_IsObject(doc)) {
        decide(out, 0, "document is not an object");
        return NULL;
    }
    data = cJSON_GetObjectItemCaseSensitive(doc, "data");
    if (!data || cJSON_IsNull(data)) {
        decide(out, 0, "document has no data");
        return NULL;
    }
    if (!cJSON_IsObject(data)) {
        decide(out, 0, "data is not a single resource");
        return NULL;
    }
    return data;
}

int lc_policy_guest_current(const cJSON *person, time_t now, lc_decision *out)
{
    const cJSON *data, *type, *attrs, *status;
    char shown[40];

    (void)now; /* the cloud derives status from its own clock */
    if (!out)
        return 0;
    out->rule = RULE_GUEST_CURRENT;
    data = resource_of(person, out);
    if (!data)
        return 0;
    type = cJSON_GetObjectItemCaseSensitive(data, "type");
    if (!cJSON_IsString(type) || !type->valuestring)
        return decide(out, 0, "resource type missing");
    if (strcmp(type->valuestring, "access_guest") != 0 &&
        strcmp(type->valuestring, "access_user") != 0)
        return decide(out, 0, "resource is not an access person");
    attrs = cJSON_GetObjectItemCaseSensitive(data, "attributes");
    if (!cJSON_IsObject(attrs))
        return decide(out, 0, "attributes missing");
    status = cJSON_GetObjectItemCaseSensitive(attrs, "status");
    if (!status || cJSON_IsNull(status))
        return decide(out, 0, "status missing");
    if (!cJSON_IsString(status) || !status->valuestring)
        return decide(out, 0, "status is not a string");
    if (status->valuestring[0] == '\0')
        return decide(out, 0, "status is empty");
    if (strcmp(status->valuestring, "current") == 0)
        return decide(out, 1, "status is current");
    safe_copy(shown, sizeof shown, status->valuestring, 32);
    snprintf(out->reason, sizeof out->reason, "status is %s%s", shown,
             strlen(status->valuestring) > 32 ? "..." : "");
    out->allow = 0;
    return 0;
}

/* Ids are hex: equal regardless of ASCII case (a map may hold upper case,
 * the cloud writes lower case). No locale: an id is never a word. */
static int same_id(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
        char y = (*b >= 'A' && *b <= 'Z') ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}

/* The document must describe the person we asked about. */
static int id_matches(const cJSON *doc, const char *want, lc_decision *out)
{
    const cJSON *data, *id;

    data = resource_of(doc, out);
    if (!data)
        return 0;
    id = cJSON_GetObjectItemCaseSensitive(data, "id");
    if (!cJSON_IsString(id) || !id->valuestring) {
        decide(out, 0, "resource id missing");
        return 0;
    }
    if (!same_id(id->valuestring, want)) {
        decide(out, 0, "document is for another person");
        return 0;
    }
    return 1;
}

int lc_policy_evaluate(const lc_rule *rule, const lc_policy_input *in,
                       lc_decision *out)
{
    if (!out)
        return 0;
    out->rule = lc_rule_name(rule ? rule->kind : LC_RULE_NONE);
    out->allow = 0;
    out->reason[0] = '\0';
    if (!rule || !in)
        return decide(out, 0, "no rule or input");
    switch (rule->kind) {
    case LC_RULE_GUEST_CURRENT:
        if (in->person_id && !id_matches(in->person, in->person_id, out))
            return 0;
        return lc_policy_guest_current(in->person, in->now, out);
    case LC_RULE_NONE:
    default:
        return decide(out, 0, "no valid rule configured");
    }
}
