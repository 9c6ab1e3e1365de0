/* Pure access-rule evaluation: documents + clock in, decision out. No I/O,
 * no clock reads, no allocation. Every malformed input is a deny. This file:
 * the rule as a whole, the person document and the status requirement;
 * policy_access.c and policy_presence.c hold the other two. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy_internal.h"
#include "text.h"

#define SHOWN_MAX 32 /* bytes of a document value quoted in a reason */

int lc_pol_set(lc_pol_result *r, int holds, const char *fmt, ...)
{
    va_list ap;

    r->holds = holds;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof r->reason, fmt, ap);
    va_end(ap);
    return holds;
}

void lc_pol_sooner(lc_pol_result *r, time_t t)
{
    if (t != 0 && (r->next == 0 || t < r->next))
        r->next = t;
}

int lc_pol_same_id(const char *a, const char *b)
{
    /* ASCII only: no locale may change an id. */
    for (; *a && *b; a++, b++) {
        char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
        char y = (*b >= 'A' && *b <= 'Z') ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}

const char *lc_pol_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A document value as a name ([A-Za-z0-9._@-], else '?'), cut to SHOWN_MAX
 * with "..." so it cannot inject into logs or a user's terminal. */
static void shown_value(char *dst, size_t dstlen, const char *s)
{
    size_t n = strlen(s), cut = dstlen > 4 ? dstlen - 4 : 0;

    if (cut > SHOWN_MAX)
        cut = SHOWN_MAX;
    lc_text_sanitize_n(dst, dstlen, s, n < cut ? n : cut, LC_TEXT_NAME);
    if (n > cut)
        strcat(dst, "...");
}

const cJSON *lc_pol_collection(const cJSON *doc, int *more)
{
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(doc, "data");
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(doc, "meta");
    const cJSON *pages = cJSON_GetObjectItemCaseSensitive(meta, "total_pages");
    const cJSON *per = cJSON_GetObjectItemCaseSensitive(meta, "per_page");

    *more = 1;
    if (!cJSON_IsObject(doc) || !cJSON_IsArray(data))
        return NULL;
    if (cJSON_IsNumber(pages) && pages->valuedouble <= 1)
        *more = 0;
    else if (!cJSON_IsNumber(pages) && cJSON_IsNumber(per) &&
             cJSON_GetArraySize(data) < per->valueint)
        *more = 0;
    return data;
}

/* data of a single-resource document, or NULL with a deny reason. */
static const cJSON *resource_of(const cJSON *doc, lc_pol_result *r)
{
    const cJSON *data;

    if (!doc)
        return lc_pol_set(r, 0, "no document"), NULL;
    if (!cJSON_IsObject(doc))
        return lc_pol_set(r, 0, "document is not an object"), NULL;
    data = cJSON_GetObjectItemCaseSensitive(doc, "data");
    if (!data || cJSON_IsNull(data))
        return lc_pol_set(r, 0, "document has no data"), NULL;
    if (!cJSON_IsObject(data))
        return lc_pol_set(r, 0, "data is not a single resource"), NULL;
    return data;
}

/* The access person in doc (want_id: NULL, or the id it must carry). */
static const cJSON *person_attrs(const cJSON *doc, const char *want_id, const char **ptype,
                                 lc_pol_result *r)
{
    const cJSON *data = resource_of(doc, r), *attrs;
    const char *type, *id;

    if (!data)
        return NULL;
    if (want_id) {
        id = lc_pol_str(data, "id");
        if (!id)
            return lc_pol_set(r, 0, "resource id missing"), NULL;
        if (!lc_pol_same_id(id, want_id))
            return lc_pol_set(r, 0, "document is for another person"), NULL;
    }
    type = lc_pol_str(data, "type");
    if (!type)
        return lc_pol_set(r, 0, "resource type missing"), NULL;
    if (strcmp(type, "access_guest") != 0 && strcmp(type, "access_user") != 0)
        return lc_pol_set(r, 0, "resource is not an access person"), NULL;
    attrs = cJSON_GetObjectItemCaseSensitive(data, "attributes");
    if (!cJSON_IsObject(attrs))
        return lc_pol_set(r, 0, "attributes missing"), NULL;
    if (ptype)
        *ptype = type;
    return attrs;
}

const cJSON *lc_pol_person(const lc_policy_input *in, const char **type, lc_pol_result *r)
{
    return person_attrs(in->person, in->person_id, type, r);
}

/* A guest's stay bound (starts_at/ends_at) if it reads as a time. */
static int stay_time(const cJSON *attrs, const char *key, lc_pol_time *t)
{
    return lc_pol_time_parse(lc_pol_str(attrs, key), t) == 0;
}

/* The status of attrs against the set statuses. legacy keeps the historic
 * "status is X" reasons of "guest_current". */
static int status_of(const cJSON *attrs, const char *type, unsigned set, int legacy,
                     lc_pol_result *r)
{
    static const struct {
        const char *name;
        unsigned bit;
        const char *bound; /* the stay time at which it changes next */
    } known[] = {
        { "current", LC_STATUS_CURRENT, "ends_at" },
        { "upcoming", LC_STATUS_UPCOMING, "starts_at" },
        { "deactivated", LC_STATUS_DEACTIVATED, NULL },
        { "expired", LC_STATUS_EXPIRED, NULL },
    };
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(attrs, "status");
    const char *s;
    char shown[SHOWN_MAX + 4], when[24];
    lc_pol_time t;

    if (!status || cJSON_IsNull(status))
        return lc_pol_set(r, 0, "status missing");
    if (!cJSON_IsString(status) || !status->valuestring)
        return lc_pol_set(r, 0, "status is not a string");
    s = status->valuestring;
    if (s[0] == '\0')
        return lc_pol_set(r, 0, "status is empty");
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(s, known[i].name) != 0)
            continue;
        if (known[i].bound && stay_time(attrs, known[i].bound, &t))
            lc_pol_sooner(r, (time_t)t.earliest);
        else if (known[i].bound && (cJSON_GetObjectItemCaseSensitive(attrs, known[i].bound) ||
                                    (type && strcmp(type, "access_guest") == 0)))
            /* a stay whose bound cannot be read may change at any moment:
             * no cache may keep this decision (or stand in with it) */
            lc_pol_sooner(r, 1);
        if (set & known[i].bit)
            return lc_pol_set(r, 1, "status is %s", s);
        if (legacy)
            return lc_pol_set(r, 0, "status is %s", s);
        if (known[i].bit == LC_STATUS_EXPIRED && stay_time(attrs, "ends_at", &t)) {
            lc_pol_time_show(&t, when, sizeof when);
            return lc_pol_set(r, 0, "your stay ended on %s", when);
        }
        if (known[i].bit == LC_STATUS_UPCOMING && stay_time(attrs, "starts_at", &t)) {
            lc_pol_time_show(&t, when, sizeof when);
            return lc_pol_set(r, 0, "your stay starts on %s", when);
        }
        if (known[i].bit == LC_STATUS_DEACTIVATED)
            return lc_pol_set(r, 0, "your access was deactivated");
        return lc_pol_set(r, 0, "status is %s", s);
    }
    r->next = 0;
    shown_value(shown, sizeof shown, s);
    return lc_pol_set(r, 0, "status is %s", shown);
}

int lc_pol_status(const lc_term *t, const lc_policy_input *in, int legacy, lc_pol_result *r)
{
    const char *type = NULL;
    const cJSON *attrs = lc_pol_person(in, &type, r);

    if (!attrs)
        return 0;
    return status_of(attrs, type, t->statuses, legacy, r);
}

int lc_policy_guest_current(const cJSON *person, time_t now, lc_decision *out)
{
    lc_pol_result r;
    const cJSON *attrs;
    const char *type = NULL;

    (void)now; /* the cloud derives status from its own clock */
    if (!out)
        return 0;
    memset(&r, 0, sizeof r);
    attrs = person_attrs(person, NULL, &type, &r);
    if (attrs)
        status_of(attrs, type, LC_STATUS_CURRENT, 1, &r);
    out->rule = lc_rule_name(LC_RULE_GUEST_CURRENT);
    out->allow = r.holds;
    out->valid_until = r.next;
    snprintf(out->reason, sizeof out->reason, "%s", r.reason);
    return out->allow;
}

static int deny(lc_decision *out, const char *reason)
{
    out->allow = 0;
    out->valid_until = 0;
    snprintf(out->reason, sizeof out->reason, "%s", reason);
    return 0;
}

/* Appends "; part" (or part) to out->reason, cut to fit. */
static void add_reason(lc_decision *out, const char *part)
{
    size_t used = strlen(out->reason);

    snprintf(out->reason + used, sizeof out->reason - used, "%s%s", used ? "; " : "", part);
}

int lc_policy_evaluate(const lc_rule *rule, const lc_policy_input *in, lc_decision *out)
{
    int first_failure = 1;

    if (!out)
        return 0;
    memset(out, 0, sizeof *out);
    out->rule = lc_rule_name(rule ? rule->kind : LC_RULE_NONE);
    if (!rule || !in)
        return deny(out, "no rule or input");
    if (rule->kind == LC_RULE_ALLOW && rule->nterms == 0) {
        snprintf(out->reason, sizeof out->reason, "allowed by rule");
        return out->allow = 1;
    }
    if (rule->kind == LC_RULE_DENY && rule->nterms == 0)
        return deny(out, "denied by rule");
    if (lc_rule_needs(rule) == 0)
        return deny(out, "no valid rule configured");
    /* Every term is evaluated, so valid_until covers all of them; the
     * reason is the first failing term's, or what each one found. */
    out->allow = 1;
    for (unsigned i = 0; i < rule->nterms; i++) {
        const lc_term *t = &rule->terms[i];
        lc_pol_result r;
        time_t next;

        memset(&r, 0, sizeof r);
        if (t->kind == LC_TERM_STATUS)
            lc_pol_status(t, in, rule->kind == LC_RULE_GUEST_CURRENT, &r);
        else if (t->kind == LC_TERM_ACCESS)
            lc_pol_access(t, in, &r);
        else
            lc_pol_presence(t, in, &r);
        next = r.next;
        if (next != 0 && (out->valid_until == 0 || next < out->valid_until))
            out->valid_until = next;
        if (r.holds && out->allow) {
            add_reason(out, r.reason);
        } else if (!r.holds && first_failure) {
            out->allow = 0;
            first_failure = 0;
            snprintf(out->reason, sizeof out->reason, "%s", r.reason);
        }
    }
    return out->allow;
}
