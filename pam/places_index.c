/* The places file (format and rules in places_index.h): its config key,
 * the strict reader, the zone lookup the core's decision asks, and what a
 * login does with it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "places_index.h"
#include "lines.h"

#include "../core/src/access_id.h"
#include "../core/src/dir_chain.h"
#include "../core/src/errors.h"
#include "../core/src/json_parse.h"
#include "../core/src/policy_internal.h"
#include "../core/src/safe_file.h"
#include "../core/src/tz.h"

/* Distinct zones one login may load (a rule has at most LC_RULE_TERMS_MAX
 * access terms, each of at most LC_ZONES_MAX zones). */
#define ZONE_CACHE_MAX (LC_RULE_TERMS_MAX * LC_ZONES_MAX)

struct lcpam_places {
    cJSON *doc;
    const cJSON *schedules, *exceptions, *places;
    long long built_at;
    size_t nzones;
    struct { const char *name; lc_tz *tz; } zones[ZONE_CACHE_MAX];
};

/* ---- configuration ------------------------------------------------------ */

static const lc_option places_file_row = {
    "places_file", LC_OPT_PATH, LC_OPT_NO_FIELD, 0, 4096, 0,
    "the schedules, exceptions and time zones lockcloud sync writes (places_index.h)"
};

int lcpam_places_conf_set(char **places_file, const char *key, const char *value, char *err,
                          size_t errlen)
{
    if (strcmp(key, places_file_row.name) != 0)
        return 1;
    if (*places_file) {
        snprintf(err, errlen, "duplicate key '%s'", places_file_row.name);
        return -1;
    }
    return lcpam_option_copy(&places_file_row, value, places_file, err, errlen);
}

/* ---- reading ------------------------------------------------------------ */

static lc_status bad(lc_error *err, const char *what)
{
    return lc_err_set(err, LC_ERR_PARSE, "%s (run lockcloud sync)", what);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* An array of resources of type type, each with a valid id, ids unique. */
static lc_status check_resources(const cJSON *arr, const char *type, const char *what,
                                 lc_error *err)
{
    const char **ids;
    const cJSON *it;
    size_t n = 0, count = (size_t)cJSON_GetArraySize(arr);
    lc_status st = LC_OK;
    char msg[96];

    if (!cJSON_IsArray(arr) || count > LCPAM_PLACES_MAX_ITEMS) {
        snprintf(msg, sizeof msg, "%s: not an array of at most %u", what, LCPAM_PLACES_MAX_ITEMS);
        return bad(err, msg);
    }
    ids = malloc((count ? count : 1) * sizeof *ids);
    if (!ids)
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    cJSON_ArrayForEach(it, arr) {
        const char *t = lc_pol_str(it, "type"), *id = lc_pol_str(it, "id");
        if (!cJSON_IsObject(it) || !t || strcmp(t, type) != 0 || !id || !lc_access_id_is_normal(id, strlen(id))) {
            snprintf(msg, sizeof msg, "%s: an item is not a %s with a valid id", what, type);
            st = bad(err, msg);
            break;
        }
        ids[n++] = id;
    }
    if (st == LC_OK && n > 1) {
        qsort(ids, n, sizeof *ids, str_cmp);
        for (size_t i = 1; i < n && st == LC_OK; i++)
            if (strcmp(ids[i - 1], ids[i]) == 0) {
                snprintf(msg, sizeof msg, "%s: an id given twice", what);
                st = bad(err, msg);
            }
    }
    free(ids);
    return st;
}

/* "TYPE:ID": an accessible type and an id. */
static int place_key_ok(const char *key)
{
    const char *colon = strchr(key, ':');
    char type[LC_RULE_TYPE_MAX];
    size_t tlen = colon ? (size_t)(colon - key) : 0;

    if (!colon || tlen == 0 || tlen >= sizeof type)
        return 0;
    memcpy(type, key, tlen);
    type[tlen] = '\0';
    return lc_pol_accessible_type(type) && lc_access_id_is_normal(colon + 1, strlen(colon + 1));
}

/* 1..LC_ZONES_MAX distinct IANA names. */
static int zone_list_ok(const cJSON *arr)
{
    const cJSON *it, *prev;
    int n = cJSON_GetArraySize(arr);

    if (!cJSON_IsArray(arr) || n < 1 || n > LC_ZONES_MAX)
        return 0;
    cJSON_ArrayForEach(it, arr) {
        if (!cJSON_IsString(it) || !lc_tz_name_ok(it->valuestring, strlen(it->valuestring)))
            return 0;
        for (prev = arr->child; prev != it; prev = prev->next)
            if (strcmp(prev->valuestring, it->valuestring) == 0)
                return 0;
    }
    return 1;
}

static lc_status check_places(const cJSON *places, lc_error *err)
{
    const cJSON *it;

    if (!cJSON_IsObject(places))
        return bad(err, "places: not an object");
    cJSON_ArrayForEach(it, places) {
        if (!place_key_ok(it->string))
            return bad(err, "places: a key is not TYPE:ID");
        if (!zone_list_ok(it))
            return bad(err, "places: a value is not a list of distinct time zone names");
    }
    return LC_OK;
}

/* Exactly the members of format 1. */
static lc_status check_top(lcpam_places *p, lc_error *err)
{
    static const char *const members[] = { "version", "built_at", "schedules", "exceptions",
                                           "places" };
    const cJSON *doc = p->doc, *v, *b, *it;
    lc_status st;

    if (!cJSON_IsObject(doc))
        return bad(err, "not a JSON object");
    cJSON_ArrayForEach(it, doc) {
        size_t k = 0;
        while (k < sizeof members / sizeof members[0] && strcmp(it->string, members[k]) != 0)
            k++;
        if (k == sizeof members / sizeof members[0])
            return bad(err, "unknown member");
    }
    p->schedules = cJSON_GetObjectItemCaseSensitive(doc, "schedules");
    p->exceptions = cJSON_GetObjectItemCaseSensitive(doc, "exceptions");
    p->places = cJSON_GetObjectItemCaseSensitive(doc, "places");
    v = cJSON_GetObjectItemCaseSensitive(doc, "version");
    b = cJSON_GetObjectItemCaseSensitive(doc, "built_at");
    if (!v || !b || !p->schedules || !p->exceptions || !p->places)
        return bad(err, "a member is missing");
    if (!cJSON_IsNumber(v) || v->valuedouble != LCPAM_PLACES_VERSION)
        return bad(err, "not format version 1");
    if (!cJSON_IsNumber(b) || b->valuedouble < 0 || b->valuedouble > 253402300799.0 ||
        b->valuedouble != (double)(long long)b->valuedouble)
        return bad(err, "built_at is not unix seconds");
    p->built_at = (long long)b->valuedouble;
    st = check_resources(p->schedules, "access_schedule", "schedules", err);
    if (st == LC_OK)
        st = check_resources(p->exceptions, "access_exception", "exceptions", err);
    if (st == LC_OK)
        st = check_places(p->places, err);
    return st;
}

lc_status lcpam_places_parse(const char *text, size_t len, lcpam_places **out, lc_error *err)
{
    lc_json_limits lim = lc_json_limits_for(LCPAM_PLACES_MAX_BYTES);
    lcpam_places *p;
    lc_status st;

    *out = NULL;
    p = calloc(1, sizeof *p);
    if (!p)
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    st = lc_json_parse(text, len, &lim, "places file", &p->doc, err);
    if (st == LC_OK)
        st = check_top(p, err);
    if (st != LC_OK) {
        lcpam_places_free(p);
        return st;
    }
    *out = p;
    return LC_OK;
}

static const lc_file_rules places_rules = {
    "places file", LCPAM_PLACES_MAX_BYTES, LC_FILE_ABSOLUTE | LC_FILE_SECRET | LC_FILE_MISSING_OK,
    LC_ERR_IO
};

lc_status lcpam_places_load(const char *path, lcpam_places **out, lc_error *err)
{
    lc_file f;
    lc_status st;
    char label[4200];

    *out = NULL;
    if (!path || path[0] != '/')
        return lc_err_set(err, LC_ERR_USAGE, "places file: not an absolute path");
    st = lc_file_read(path, &places_rules, &f, err);
    if (st != LC_OK || !f.data)
        return st;
    /* Whoever could swap a directory above it could choose the schedules. */
    snprintf(label, sizeof label, "places file %s", path);
    st = lc_dir_chain_check(label, path, NULL, err);
    if (st == LC_OK) {
        st = lcpam_places_parse(f.data, f.len, out, err);
        if (st != LC_OK && err) {
            char what[sizeof err->message];
            snprintf(what, sizeof what, "%s", err->message);
            lc_err_set(err, st, "places file %s: %s", path, what);
        }
    }
    lc_file_free(&f);
    return st;
}

void lcpam_places_free(lcpam_places *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nzones; i++)
        lc_tz_free(p->zones[i].tz);
    cJSON_Delete(p->doc);
    free(p);
}

long long lcpam_places_built_at(const lcpam_places *p)
{
    return p ? p->built_at : 0;
}

const cJSON *lcpam_places_schedules(const lcpam_places *p)
{
    return p ? p->schedules : NULL;
}

const cJSON *lcpam_places_exceptions(const lcpam_places *p)
{
    return p ? p->exceptions : NULL;
}

/* The zone named, loaded once per places object; NULL when it cannot be. */
static const lc_tz *zone_named(lcpam_places *p, const char *name)
{
    lc_error err;
    lc_tz *tz;

    for (size_t i = 0; i < p->nzones; i++)
        if (strcmp(p->zones[i].name, name) == 0)
            return p->zones[i].tz;
    if (p->nzones == ZONE_CACHE_MAX)
        return NULL;
    lc_error_init(&err);
    tz = lc_tz_load(name, &err);
    lc_error_clear(&err);
    if (!tz)
        return NULL;
    p->zones[p->nzones].name = name; /* lives in p->doc */
    p->zones[p->nzones].tz = tz;
    return p->zones[p->nzones++].tz;
}

size_t lcpam_places_zones(void *places, const char *type, const char *id,
                          const struct lc_tz **zones, size_t max)
{
    lcpam_places *p = places;
    char key[LC_RULE_TYPE_MAX + 1 + LC_ACCESS_ID_MAX + 1];
    const cJSON *list, *it;
    size_t n = 0;
    int len;

    if (!p || !type || !id || !zones)
        return 0;
    len = snprintf(key, sizeof key, "%s:%s", type, id);
    if (len < 0 || (size_t)len >= sizeof key)
        return 0;
    for (char *c = strchr(key, ':'); *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    list = cJSON_GetObjectItemCaseSensitive(p->places, key);
    cJSON_ArrayForEach(it, list) {
        const lc_tz *tz = zone_named(p, it->valuestring);
        if (!tz || n == max)
            return 0; /* a zone we cannot read: the schedule cannot be told */
        zones[n++] = tz;
    }
    return n;
}

/* ---- a login ------------------------------------------------------------ */

/* Whether an access in docs names an access schedule: only then is the
 * file worth reading. */
static int names_a_schedule(const lc_access_docs *docs)
{
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(docs->accesses, "data"), *row;

    cJSON_ArrayForEach(row, rows) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(row, "attributes");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(a, "access_schedule_id");
        if (s && !cJSON_IsNull(s))
            return 1;
    }
    return 0;
}

lc_status lcpam_places_lend(const char *path, lc_access_docs *docs, lcpam_places **out,
                            lc_error *err)
{
    lcpam_places *p = NULL;
    lc_status st;

    *out = NULL;
    if (!path || !docs || !names_a_schedule(docs))
        return LC_OK;
    st = lcpam_places_load(path, &p, err);
    if (st != LC_OK)
        return st;
    if (!p)
        return lc_err_set(err, LC_ERR_IO, "places file %s is missing: run lockcloud sync", path);
    docs->schedules = p->schedules;
    docs->exceptions = p->exceptions;
    docs->zones_of = lcpam_places_zones;
    docs->zones_userdata = p;
    *out = p;
    return LC_OK;
}

int lcpam_places_release(lcpam_places *p, const lc_decision *d)
{
    size_t n = sizeof LC_REASON_RUN_SYNC - 1, len = d ? strlen(d->reason) : 0;
    int lacking = p && len >= n && strcmp(d->reason + len - n, LC_REASON_RUN_SYNC) == 0;

    lcpam_places_free(p);
    return lacking;
}
