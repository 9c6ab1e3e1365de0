/* Fixture loading. A fixture record is flat: "id", "type" and the
 * non-default attributes, e.g. {"id": "...", "type": "lock", "name": "Front
 * Door", "location_id": "..."}; values the store derives (a notification's
 * publisher, an event's time zone, ...) come from the records they point at.
 * Everything is validated: a bad fixture is refused with a message naming
 * the record, and the caller keeps its previous data. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsonapi.h"
#include "resources.h"
#include "resources_schema.h"

#define MAX_ID 64

typedef struct loader {
    store_data *d;
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

/* The record's "type", or dflt when absent; NULL (error set) when not a string. */
static const char *type_of(loader *l, const cJSON *in, const char *dflt)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(in, "type");
    if (!t)
        return dflt;
    if (!cJSON_IsString(t)) {
        fail(l, "\"type\" must be a string");
        return NULL;
    }
    return t->valuestring;
}

static int need(loader *l, const cJSON *found, const char *what, const char *id)
{
    return found ? 0 : fail(l, "unknown %s id %.64s", what, id ? id : "(none)");
}

static int load_location(loader *l, const cJSON *in)
{
    const char *type = type_of(l, in, "location");
    if (!type)
        return -1;
    if (strcmp(type, "location") != 0)
        return fail(l, "type must be \"location\"");
    cJSON *rec = add_record(l, l->d->locations, in, type, NULL);
    if (!rec)
        return -1;
    const char *zone = rec_str(rec, "time_zone");
    return tz_zone_valid(zone) ? 0 : fail(l, "unknown time_zone \"%.64s\"", zone);
}

static int load_device(loader *l, const cJSON *in)
{
    const char *type = type_of(l, in, "lock");
    if (!type)
        return -1;
    if (strcmp(type, "lock") != 0)
        return fail(l, "only devices of type \"lock\" are simulated");
    cJSON *rec = add_record(l, l->d->devices, in, type, NULL);
    if (!rec)
        return -1;
    const char *loc = rec_str(rec, "location_id");
    return need(l, store_find(l->d->locations, loc), "location", loc);
}

static int load_person(loader *l, const cJSON *in)
{
    static const char *const skip[] = {"deactivated", NULL};
    const char *type = type_of(l, in, NULL);
    if (!type || (strcmp(type, "access_user") != 0 && strcmp(type, "access_guest") != 0))
        return fail(l, "type must be \"access_user\" or \"access_guest\"");
    const cJSON *deact = cJSON_GetObjectItemCaseSensitive(in, "deactivated");
    if (deact && !cJSON_IsBool(deact))
        return fail(l, "\"deactivated\" must be a boolean");
    cJSON *rec = add_record(l, l->d->persons, in, type, skip);
    if (!rec || jsonapi_add(rec, "deactivated", cJSON_CreateBool(cJSON_IsTrue(deact))))
        return rec ? fail(l, "out of memory") : -1;
    if (strcmp(type, "access_guest") != 0)
        return 0;
    char starts[TZ_LOCAL_LEN], ends[TZ_LOCAL_LEN];
    if (tz_parse_local(rec_str(rec, "starts_at"), starts) ||
        tz_parse_local(rec_str(rec, "ends_at"), ends))
        return fail(l, "starts_at/ends_at must be local ISO 8601 times (YYYY-MM-DDTHH:MM:SS)");
    if (strcmp(ends, starts) <= 0)
        return fail(l, "ends_at must be after starts_at");
    if (rec_set_str(rec, "starts_at", starts) || rec_set_str(rec, "ends_at", ends))
        return fail(l, "out of memory");
    return 0;
}

static int check_clock(loader *l, cJSON *rec, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec_attrs(rec), key);
    char out[TZ_CLOCK_LEN];
    if (cJSON_IsNull(v))
        return 0;
    if (tz_parse_clock(cJSON_GetStringValue(v), out) != 0)
        return fail(l, "%s must be HH:MM or HH:MM:SS", key);
    return rec_set_str(rec, key, out) ? fail(l, "out of memory") : 0;
}

static int load_access(loader *l, const cJSON *in)
{
    const char *type = type_of(l, in, "access_person_access");
    if (!type)
        return -1;
    if (strcmp(type, "access_person_access") != 0)
        return fail(l, "type must be \"access_person_access\"");
    cJSON *rec = add_record(l, l->d->accesses, in, type, NULL);
    if (!rec)
        return -1;
    const char *pid = rec_str(rec, "access_person_id");
    const char *atype = rec_str(rec, "accessible_type");
    const char *aid = rec_str(rec, "accessible_id");
    if (need(l, store_find(l->d->persons, pid), "access person", pid))
        return -1;
    if (!res_accessible_type_valid(atype))
        return fail(l, "unsupported accessible_type \"%.40s\"", atype ? atype : "");
    if (res_accessible_modeled(atype) && need(l, res_accessible_find(l->d, atype, aid), atype, aid))
        return -1;
    return check_clock(l, rec, "guest_start_time") || check_clock(l, rec, "guest_end_time")
               ? -1 : 0;
}

static int load_subscriber(loader *l, const cJSON *in)
{
    const char *type = type_of(l, in, NULL);
    if (!type || strcmp(type, "webhook_notification_subscriber") != 0)
        return fail(l, "type must be \"webhook_notification_subscriber\"");
    return add_record(l, l->d->subscribers, in, type, NULL) ? 0 : -1;
}

static int load_event(loader *l, const cJSON *in)
{
    const char *type = type_of(l, in, NULL);
    if (!type || (strcmp(type, "unlocked_event") != 0 && strcmp(type, "locked_event") != 0))
        return fail(l, "type must be \"unlocked_event\" or \"locked_event\"");
    cJSON *rec = add_record(l, l->d->events, in, type, NULL);
    if (!rec)
        return -1;
    const char *dev_id = rec_str(rec, "publisher_id");
    const cJSON *dev = store_find(l->d->devices, dev_id);
    if (need(l, dev, "device", dev_id) || check_utc(l, rec, "occurred_at"))
        return -1;
    const char *occurred = rec_str(rec, "occurred_at");
    const char *person_id = rec_str(rec, "associated_resource_id");
    const cJSON *person = store_find(l->d->persons, person_id);
    if (person_id && need(l, person, "access person", person_id))
        return -1;
    int rc = rec_set_str(rec, "time_zone", res_device_zone(l->d, dev));
    rc |= rec_set_str(rec, "publisher_type", rec_type(dev));
    rc |= rec_set_str(rec, "associated_resource_type", person ? rec_type(person) : NULL);
    if (!rec_str(rec, "created_at"))
        rc |= rec_set_str(rec, "created_at", occurred);
    if (!rec_str(rec, "updated_at"))
        rc |= rec_set_str(rec, "updated_at", rec_str(rec, "created_at"));
    return rc ? fail(l, "out of memory") : 0;
}

static int load_notification(loader *l, const cJSON *in)
{
    const char *type = type_of(l, in, "notification");
    if (!type)
        return -1;
    if (strcmp(type, "notification") != 0)
        return fail(l, "type must be \"notification\"");
    cJSON *rec = add_record(l, l->d->notifications, in, type, NULL);
    if (!rec)
        return -1;
    const char *ev_id = rec_str(rec, "event_id"), *sub_id = rec_str(rec, "subscriber_id");
    const cJSON *ev = store_find(l->d->events, ev_id);
    const cJSON *sub = store_find(l->d->subscribers, sub_id);
    if (need(l, ev, "event", ev_id) || need(l, sub, "notification subscriber", sub_id))
        return -1;
    int rc = rec_set_str(rec, "subscriber_type", rec_type(sub));
    rc |= rec_set_str(rec, "publisher_id", rec_str(ev, "publisher_id"));
    rc |= rec_set_str(rec, "publisher_type", rec_str(ev, "publisher_type"));
    rc |= rec_set_str(rec, "event_type", rec_type(ev));
    if (!rec_str(rec, "created_at"))
        rc |= rec_set_str(rec, "created_at", rec_str(ev, "created_at"));
    if (!rec_str(rec, "updated_at"))
        rc |= rec_set_str(rec, "updated_at", rec_str(rec, "created_at"));
    return rc ? fail(l, "out of memory") : 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Ids are unique across all collections (one sort instead of a scan per
 * record, so large fixtures load in O(n log n)). */
static int check_unique_ids(loader *l)
{
    const cJSON *lists[] = {l->d->locations, l->d->devices,       l->d->persons,
                            l->d->accesses,  l->d->subscribers,   l->d->events,
                            l->d->notifications};
    size_t n = 0, k = 0;
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        n += (size_t)cJSON_GetArraySize(lists[i]);
    if (n < 2)
        return 0;
    const char **ids = malloc(n * sizeof *ids);
    if (!ids)
        return fail(l, "out of memory");
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
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

typedef int (*load_fn)(loader *l, const cJSON *in);

static int load_section(loader *l, const cJSON *fixture, const char *key, load_fn fn)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(fixture, key);
    l->section = NULL;
    if (!arr)
        return 0;
    if (!cJSON_IsArray(arr))
        return fail(l, "\"%s\" must be an array", key);
    l->section = key;
    l->index = 0;
    const cJSON *in;
    cJSON_ArrayForEach(in, arr) {
        if (!cJSON_IsObject(in))
            return fail(l, "must be an object");
        if (fn(l, in))
            return -1;
        l->index++;
    }
    l->section = NULL;
    return 0;
}

int store_load_fixture(store_data *d, const cJSON *fixture, char *err, size_t errlen)
{
    loader l = {d, err, errlen, NULL, 0};
    if (!cJSON_IsObject(fixture))
        return fail(&l, "the document must be a JSON object");
    const cJSON *tz = cJSON_GetObjectItemCaseSensitive(fixture, "time_zone");
    if (tz) {
        if (!cJSON_IsString(tz) || !tz_zone_valid(tz->valuestring))
            return fail(&l, "\"time_zone\" must name a known time zone");
        snprintf(d->time_zone, sizeof d->time_zone, "%s", tz->valuestring);
    }
    /* Order matters: each section may refer to the ones before it. */
    static const struct {
        const char *key;
        load_fn fn;
    } sections[] = {
        {"locations", load_location},
        {"devices", load_device},
        {"access_persons", load_person},
        {"accesses", load_access},
        {"notification_subscribers", load_subscriber},
        {"events", load_event},
        {"notifications", load_notification},
    };
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (load_section(&l, fixture, sections[i].key, sections[i].fn))
            return -1;
    return check_unique_ids(&l);
}
