/* Fixture loading, driven by the API table: each row's section in table
 * order (a section may refer to the ones before it). A fixture record is
 * flat: "id", "type" and the non-default attributes, e.g. {"id": "...",
 * "type": "lock", "name": "Front Door", "location_id": "..."}; values the
 * store derives (a notification's publisher, an event's time zone, ...)
 * come from the records they point at. Everything is validated: a bad
 * fixture is refused with a message naming the record, and the caller
 * keeps its previous data. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine.h"
#include "jsonapi.h"
#include "resources_schema.h"

#define MAX_ID 64

typedef struct loader {
    store_data *d;
    const res_api *api;
    char *err;
    size_t errlen;
    const char *section;
    int index;
} loader;

__attribute__((format(printf, 2, 3)))
static int fail(loader *l, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (l->section)
        snprintf(l->err, l->errlen, "fixture %s[%d]: %s", l->section, l->index, msg);
    else
        snprintf(l->err, l->errlen, "fixture: %s", msg);
    return -1;
}

static int check_utc(loader *l, const cJSON *rec, const char *key)
{
    const char *s = rec_str(rec, key);
    time_t t;
    if (s && tz_parse_utc(s, &t) != 0)
        return fail(l, "%s \"%.40s\" is not a UTC timestamp (YYYY-MM-DDTHH:MM:SSZ)", key, s);
    return 0;
}

/* Expands one fixture object into a record appended to list. */
static cJSON *add_record(loader *l, cJSON *list, const cJSON *in, const char *type,
                         const char *const *skip)
{
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(in, "id"));
    if (!id || !id[0] || strlen(id) > MAX_ID) {
        fail(l, "\"id\" must be a non-empty string of at most %d characters", MAX_ID);
        return NULL;
    }
    const type_spec *t = schema_find(type);
    if (!t) {
        fail(l, "unsupported type \"%.40s\"", type);
        return NULL;
    }
    char msg[200];
    cJSON *attrs = schema_expand(t, in, skip, msg, sizeof msg);
    if (!attrs) {
        fail(l, "%s", msg);
        return NULL;
    }
    cJSON *rec = store_record_new(id, type, attrs);
    if (jsonapi_append(list, rec)) {
        fail(l, "out of memory");
        return NULL;
    }
    if (check_utc(l, rec, "created_at") || check_utc(l, rec, "updated_at"))
        return NULL;
    return rec;
}

/* The record's type: given, or the row's default; one the row stores. */
static const char *type_of(loader *l, const res_def *def, const cJSON *in)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(in, "type");
    const char *type = t ? cJSON_GetStringValue(t) : def->default_type;
    for (const char *const *k = def->types; type && k && *k; k++)
        if (strcmp(*k, type) == 0)
            return type;
    char list[160] = "";
    size_t n = 0;
    for (const char *const *k = def->types; k && *k && n < sizeof list; k++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s\"%s\"", n ? " or " : "", *k);
    fail(l, "type must be %s", list);
    return NULL;
}

/* Local times, clock times and lists in the stored format. */
static int normalise_times(loader *l, cJSON *rec)
{
    const type_spec *t = schema_find(rec_type(rec));
    for (size_t i = 0; t && i < t->nattrs; i++) {
        unsigned kind = ATTR_IN_KIND(t->attrs[i].flags);
        const char *key = t->attrs[i].key, *v = rec_str(rec, key);
        char out[TZ_LOCAL_LEN];
        if (kind == IN_LIST) {
            cJSON *list = schema_list(t, cJSON_GetObjectItem(rec_attrs(rec), key));
            if (!list)
                return fail(l, "%s must be a list of objects of the documented shape", key);
            if (rec_set(rec, key, list))
                return fail(l, "out of memory");
            continue;
        }
        if (!v || (kind != IN_LOCAL && kind != IN_CLOCK))
            continue;
        if (kind == IN_LOCAL && tz_parse_local(v, out) != 0)
            return fail(l, "%s must be a local ISO 8601 time (YYYY-MM-DDTHH:MM:SS)", key);
        if (kind == IN_CLOCK && tz_parse_clock(v, out) != 0)
            return fail(l, "%s must be HH:MM or HH:MM:SS", key);
        if (rec_set_str(rec, key, out))
            return fail(l, "out of memory");
    }
    return 0;
}

/* Every reference holds (res_ref_check), else the record is refused. */
static int check_refs(loader *l, const res_def *def, const cJSON *rec)
{
    for (const res_ref *ref = def->refs; ref && ref->attr; ref++) {
        const char *type = ref->poly ? rec_str(rec, ref->type_attr) : ref->target;
        switch (res_ref_check(l->d, l->api, ref, rec)) {
        case RES_REF_OK:
            break;
        case RES_REF_NO_TYPE:
        case RES_REF_BAD_TYPE:
            return fail(l, "unsupported %s \"%.40s\"", ref->type_attr, type ? type : "");
        case RES_REF_MISSING:
            return fail(l, "unknown %s id %.64s", type, rec_str(rec, ref->attr));
        }
    }
    return 0;
}

static int load_record(loader *l, const res_def *def, cJSON *list, const cJSON *in)
{
    const char *type = type_of(l, def, in);
    if (!type)
        return -1;
    for (const char *const *f = def->flags; f && *f; f++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(in, *f);
        if (v && !cJSON_IsBool(v))
            return fail(l, "\"%s\" must be a boolean", *f);
    }
    cJSON *rec = add_record(l, list, in, type, def->flags);
    if (!rec)
        return -1;
    store_row_added(l->d, (size_t)(def - l->api->defs), rec);
    for (const char *const *f = def->flags; f && *f; f++)
        if (jsonapi_add(rec, *f, cJSON_CreateBool(cJSON_IsTrue(
                                     cJSON_GetObjectItemCaseSensitive(in, *f)))))
            return fail(l, "out of memory");
    if (normalise_times(l, rec) || check_refs(l, def, rec))
        return -1;
    if (res_fill_derived(l->d, l->api, def, rec))
        return fail(l, "out of memory");
    char msg[200] = "";
    if (def->hooks.load && def->hooks.load(l->d, rec, msg, sizeof msg))
        return fail(l, "%s", msg);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Ids are unique across all collections (one sort instead of a scan per
 * record, so large fixtures load in O(n log n)). */
static int check_unique_ids(loader *l)
{
    cJSON *const *lists = l->d->lists;
    size_t n = 0, k = 0;
    for (size_t i = 0; i < l->d->nlists; i++)
        n += (size_t)cJSON_GetArraySize(lists[i]);
    if (n < 2)
        return 0;
    const char **ids = malloc(n * sizeof *ids);
    if (!ids)
        return fail(l, "out of memory");
    for (size_t i = 0; i < l->d->nlists; i++) {
        const cJSON *rec;
        cJSON_ArrayForEach(rec, lists[i]) ids[k++] = rec_id(rec);
    }
    qsort(ids, n, sizeof *ids, cmp_str);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(ids[i - 1], ids[i]) == 0) {
            fail(l, "duplicate id %.64s", ids[i]);
            free(ids);
            return -1;
        }
    }
    free(ids);
    return 0;
}

static int load_section(loader *l, const cJSON *fixture, const res_def *def)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(fixture, def->name);
    l->section = NULL;
    if (!arr)
        return 0;
    if (!cJSON_IsArray(arr))
        return fail(l, "\"%s\" must be an array", def->name);
    l->section = def->name;
    l->index = 0;
    cJSON *list = res_list(l->d, l->api, def);
    const cJSON *in;
    cJSON_ArrayForEach(in, arr) {
        if (!cJSON_IsObject(in))
            return fail(l, "must be an object");
        if (load_record(l, def, list, in))
            return -1;
        l->index++;
    }
    l->section = NULL;
    return 0;
}

int res_load_fixture(store_data *d, const res_api *api, const cJSON *fixture, char *err,
                     size_t errlen)
{
    loader l = {d, api, err, errlen, NULL, 0};
    if (!cJSON_IsObject(fixture))
        return fail(&l, "the document must be a JSON object");
    const cJSON *tz = cJSON_GetObjectItemCaseSensitive(fixture, "time_zone");
    if (tz) {
        if (!cJSON_IsString(tz) || !tz_zone_valid(tz->valuestring))
            return fail(&l, "\"time_zone\" must name a known time zone");
        snprintf(d->time_zone, sizeof d->time_zone, "%s", tz->valuestring);
    }
    /* Table order: each section may refer to the ones before it. */
    for (size_t i = 0; i < api->ndefs; i++)
        if (!api->defs[i].source && load_section(&l, fixture, &api->defs[i]))
            return -1;
    return check_unique_ids(&l);
}
