/* Requirement lists as written in configuration (policy.h has the syntax):
 * parsed strictly into a fixed-size lc_rule, and what each needs fetched. */
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "policy_internal.h"

#define SHOWN_MAX 24 /* bytes of a bad term quoted in a message */

/* The accessible types of "Grant an access person access" (000), devices
 * first. */
static const char *const accessible_types[] = {
    "lock", "acs_door", "acs_elevator_floor", "connector_lock", "zwave_lock",
    "schlage_home_lock", "igloo_lock", "door_group", "location", NULL
};

static const struct {
    const char *name;
    unsigned bit;
} statuses[] = {
    { "current", LC_STATUS_CURRENT },
    { "upcoming", LC_STATUS_UPCOMING },
    { "deactivated", LC_STATUS_DEACTIVATED },
    { "expired", LC_STATUS_EXPIRED },
};

static const struct {
    lc_rule_kind kind;
    const char *name;
} kind_names[] = {
    { LC_RULE_GUEST_CURRENT, "guest_current" },
    { LC_RULE_TERMS, "requirements" },
    { LC_RULE_ALLOW, "allow" },
    { LC_RULE_DENY, "deny" },
};

int lc_pol_accessible_type(const char *type)
{
    for (size_t i = 0; type && accessible_types[i]; i++)
        if (strcmp(type, accessible_types[i]) == 0)
            return 1;
    return 0;
}

int lc_pol_device_type(const char *type)
{
    return lc_pol_accessible_type(type) && strcmp(type, "door_group") != 0 &&
           strcmp(type, "location") != 0;
}

const char *lc_rule_name(lc_rule_kind kind)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (kind_names[i].kind == kind)
            return kind_names[i].name;
    return "none";
}

/* A short token of a term for a message: the bytes a term is made of
 * ([A-Za-z0-9._@:,/=+-]), anything else '?', at most SHOWN_MAX of them. */
static void shown_token(char *dst, const char *term, size_t len)
{
    size_t n = len < SHOWN_MAX ? len : SHOWN_MAX;

    for (size_t i = 0; i < n; i++) {
        char c = term[i];
        int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   (c && strchr("._@:,/=+-", c));
        dst[i] = keep ? c : '?';
    }
    strcpy(dst + n, len > SHOWN_MAX ? "..." : "");
}

/* A usage error naming the term; why NULL: an unknown one (worded as the
 * module has always worded an unknown rule). */
static lc_status bad(lc_error *err, const char *term, size_t len, const char *why)
{
    char shown[SHOWN_MAX + 4];

    shown_token(shown, term, len);
    if (!why)
        return lc_err_set(err, LC_ERR_USAGE, "unknown rule '%s'", shown);
    return lc_err_set(err, LC_ERR_USAGE, "rule '%s': %s", shown, why);
}

static int parse_statuses(const char *v, size_t len, unsigned *out)
{
    *out = 0;
    while (len > 0) {
        const char *comma = memchr(v, ',', len);
        size_t n = comma ? (size_t)(comma - v) : len;
        unsigned bit = 0;

        for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
            if (strlen(statuses[i].name) == n && memcmp(statuses[i].name, v, n) == 0)
                bit = statuses[i].bit;
        if (!bit || (*out & bit))
            return -1; /* unknown, empty or given twice */
        *out |= bit;
        if (!comma)
            return 0;
        len -= n + 1;
        v += n + 1;
        if (len == 0)
            return -1; /* trailing comma */
    }
    return -1;
}

/* "TYPE:ID" into t->type/t->id. */
static const char *parse_target(const char *v, size_t len, lc_term *t)
{
    const char *colon = memchr(v, ':', len);
    char id[LC_RULE_ID_MAX + 2];
    size_t tl;

    if (!colon)
        return "expected TYPE:ID";
    tl = (size_t)(colon - v);
    if (tl == 0 || tl >= sizeof t->type)
        return "unknown accessible type";
    memcpy(t->type, v, tl);
    t->type[tl] = '\0';
    if (!lc_pol_accessible_type(t->type))
        return "unknown accessible type";
    len -= tl + 1;
    if (len == 0 || len >= sizeof id)
        return "bad id";
    memcpy(id, colon + 1, len);
    id[len] = '\0';
    if (lc_access_id_normalize(id, t->id, sizeof t->id, NULL) != LC_OK)
        return "bad id";
    return NULL;
}

/* "N[smhd]", 1 s .. LC_PRESENCE_MAX_S. */
static int parse_duration(const char *v, size_t len, long *out)
{
    long n = 0, unit;

    if (len < 2 || len > 8)
        return -1;
    for (size_t i = 0; i + 1 < len; i++) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        n = n * 10 + (v[i] - '0');
    }
    switch (v[len - 1]) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    default: return -1;
    }
    if (n <= 0 || n > LC_PRESENCE_MAX_S / unit)
        return -1;
    *out = n * unit;
    return 0;
}

/* One term (not NUL-terminated) into t; NULL or why it is wrong. */
static const char *parse_term(const char *s, size_t len, lc_term *t)
{
    static const char st[] = "status=", ac[] = "access=", pr[] = "presence=";
    const char *why;

    memset(t, 0, sizeof *t);
    if (len >= sizeof st - 1 && memcmp(s, st, sizeof st - 1) == 0) {
        t->kind = LC_TERM_STATUS;
        if (parse_statuses(s + sizeof st - 1, len - (sizeof st - 1), &t->statuses) != 0)
            return "expected status=S[,S...] with S among current, upcoming, deactivated, "
                   "expired, each once";
        return NULL;
    }
    if (len >= sizeof ac - 1 && memcmp(s, ac, sizeof ac - 1) == 0) {
        t->kind = LC_TERM_ACCESS;
        return parse_target(s + sizeof ac - 1, len - (sizeof ac - 1), t);
    }
    if (len >= sizeof pr - 1 && memcmp(s, pr, sizeof pr - 1) == 0) {
        const char *v = s + sizeof pr - 1, *slash;
        size_t vl = len - (sizeof pr - 1);

        t->kind = LC_TERM_PRESENCE;
        slash = vl ? memrchr(v, '/', vl) : NULL;
        if (!slash)
            return "expected presence=TYPE:ID/DURATION";
        why = parse_target(v, (size_t)(slash - v), t);
        if (why)
            return why;
        if (strcmp(t->type, "door_group") == 0)
            return "presence takes a device or a location";
        if (parse_duration(slash + 1, vl - (size_t)(slash - v) - 1, &t->window_s) != 0)
            return "bad duration (N then s, m, h or d; at most 30d)";
        return NULL;
    }
    return NULL; /* unknown: the caller checks t->kind */
}

static int same_target(const lc_term *a, const lc_term *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == LC_TERM_STATUS)
        return 1;
    return strcmp(a->type, b->type) == 0 && strcmp(a->id, b->id) == 0;
}

/* A word that must stand alone: allow, deny, guest_current. */
static lc_rule_kind alone_kind(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (kind_names[i].kind != LC_RULE_TERMS && strlen(kind_names[i].name) == len &&
            memcmp(kind_names[i].name, s, len) == 0)
            return kind_names[i].kind;
    return LC_RULE_NONE;
}

static lc_status parse_list(const char *text, lc_rule *out, lc_error *err)
{
    const char *p = text;
    size_t words = 0;

    for (const char *q = text; *q; q++) {
        unsigned char c = (unsigned char)*q;
        if (c != ' ' && c != '\t' && (c < 0x21 || c > 0x7e))
            return lc_err_set(err, LC_ERR_USAGE,
                              "requirements hold a control or non-ASCII byte");
    }
    for (;;) {
        const char *s;
        size_t len;
        lc_rule_kind alone;
        const char *why;

        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        s = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        len = (size_t)(p - s);
        words++;
        alone = alone_kind(s, len);
        if (alone != LC_RULE_NONE) {
            out->kind = alone;
            continue; /* checked below: it must be the only word */
        }
        if (out->nterms == LC_RULE_TERMS_MAX)
            return bad(err, s, len, "too many requirements (limit 8)");
        why = parse_term(s, len, &out->terms[out->nterms]);
        if (why || out->terms[out->nterms].kind == 0)
            return bad(err, s, len, why);
        for (unsigned i = 0; i < out->nterms; i++)
            if (same_target(&out->terms[i], &out->terms[out->nterms]))
                return bad(err, s, len, "given twice");
        out->nterms++;
    }
    if (words == 0)
        return lc_err_set(err, LC_ERR_USAGE, "no requirement given");
    if (out->kind != LC_RULE_NONE && words > 1)
        return lc_err_set(err, LC_ERR_USAGE, "requirement '%s' must stand alone",
                          lc_rule_name(out->kind));
    if (out->kind == LC_RULE_GUEST_CURRENT) {
        out->terms[0].kind = LC_TERM_STATUS;
        out->terms[0].statuses = LC_STATUS_CURRENT;
        out->nterms = 1;
    } else if (out->kind == LC_RULE_NONE) {
        out->kind = LC_RULE_TERMS;
    }
    return LC_OK;
}

lc_status lc_rule_parse(const char *text, lc_rule *out, lc_error *err)
{
    lc_status st;

    if (out)
        memset(out, 0, sizeof *out);
    if (!text || !out)
        return lc_err_set(err, LC_ERR_USAGE, "rule: missing argument");
    if (strlen(text) > LC_RULE_TEXT_MAX)
        return lc_err_set(err, LC_ERR_USAGE, "requirements are too long (limit %d bytes)",
                          LC_RULE_TEXT_MAX);
    st = parse_list(text, out, err);
    if (st != LC_OK)
        memset(out, 0, sizeof *out);
    return st;
}

static int valid_rule(const lc_rule *rule)
{
    if (!rule || rule->nterms > LC_RULE_TERMS_MAX)
        return 0;
    switch (rule->kind) {
    case LC_RULE_ALLOW:
    case LC_RULE_DENY:
        return rule->nterms == 0;
    case LC_RULE_GUEST_CURRENT:
    case LC_RULE_TERMS:
        return rule->nterms > 0;
    default:
        return 0;
    }
}

unsigned lc_rule_needs(const lc_rule *rule)
{
    unsigned need = 0;

    if (!valid_rule(rule))
        return 0;
    for (unsigned i = 0; i < rule->nterms; i++) {
        const lc_term *t = &rule->terms[i];
        switch (t->kind) {
        case LC_TERM_STATUS:
            need |= LC_NEED_PERSON;
            break;
        case LC_TERM_ACCESS:
            need |= LC_NEED_PERSON | LC_NEED_ACCESSES;
            break;
        case LC_TERM_PRESENCE:
            need |= LC_NEED_EVENTS;
            if (strcmp(t->type, "location") == 0)
                need |= LC_NEED_DEVICES;
            break;
        default:
            return 0; /* a hand-made rule with a bad term needs nothing: invalid */
        }
    }
    return need;
}
