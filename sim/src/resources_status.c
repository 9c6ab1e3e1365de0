/* Access person status and the time zones behind it. A guest's starts_at and
 * ends_at carry no zone: they are wall-clock times of the location of the
 * guest's first granted accessible (device -> its location; location ->
 * itself), else of the account's default zone. Status is derived at read
 * time, so moving the simulator clock moves it. */
#include <stdlib.h>
#include <string.h>
#include "resources.h"

struct res_zone_entry {
    const char *person_id;
    const char *zone;
    size_t order; /* grant order: the first grant decides */
};

static const char *const device_types[] = {
    "acs_door", "acs_elevator_floor", "lock", "connector_lock", "zwave_lock",
    "schlage_home_lock", "igloo_lock", NULL,
};

static int is_device_type(const char *type)
{
    for (size_t i = 0; type && device_types[i]; i++)
        if (strcmp(type, device_types[i]) == 0)
            return 1;
    return 0;
}

int res_accessible_type_valid(const char *type)
{
    return type && (is_device_type(type) || strcmp(type, "door_group") == 0 ||
                    strcmp(type, "location") == 0);
}

int res_accessible_modeled(const char *type)
{
    /* Door groups are not simulated: their ids pass through unchecked. */
    return res_accessible_type_valid(type) && strcmp(type, "door_group") != 0;
}

const char *res_accessible_path(const char *type)
{
    if (type && strcmp(type, "location") == 0)
        return "locations";
    if (type && strcmp(type, "door_group") == 0)
        return "groups";
    return "devices";
}

cJSON *res_accessible_find(const store_data *d, const char *type, const char *id)
{
    if (!type)
        return NULL;
    if (strcmp(type, "location") == 0)
        return store_find(d->locations, id);
    if (is_device_type(type)) {
        cJSON *dev = store_find(d->devices, id);
        const char *dt = rec_type(dev);
        return dt && strcmp(dt, type) == 0 ? dev : NULL;
    }
    return NULL;
}

const char *res_accessible_name(const store_data *d, const char *type, const char *id)
{
    return rec_str(res_accessible_find(d, type, id), "name");
}

const char *res_location_zone(const store_data *d, const char *location_id)
{
    return rec_str(store_find(d->locations, location_id), "time_zone");
}

const char *res_device_zone(const store_data *d, const cJSON *device)
{
    const char *zone = res_location_zone(d, rec_str(device, "location_id"));
    return zone ? zone : d->time_zone;
}

/* Zone of the location behind one grant, or NULL when not simulated. */
static const char *grant_zone(const store_data *d, const cJSON *acc)
{
    const char *type = rec_str(acc, "accessible_type");
    const cJSON *target = res_accessible_find(d, type, rec_str(acc, "accessible_id"));
    if (!target)
        return NULL; /* not simulated (door group): the next grant decides */
    return strcmp(type, "location") == 0 ? rec_str(target, "time_zone")
                                         : res_location_zone(d, rec_str(target, "location_id"));
}

static int zone_entry_cmp(const void *a, const void *b)
{
    const struct res_zone_entry *x = a, *y = b;
    int r = strcmp(x->person_id, y->person_id);
    return r ? r : (x->order > y->order) - (x->order < y->order);
}

void res_zone_index_build(res_ctx *c)
{
    size_t n = (size_t)cJSON_GetArraySize(c->d->accesses), k = 0;
    struct res_zone_entry *v = n ? malloc(n * sizeof *v) : NULL;
    if (!v)
        return;
    const cJSON *acc;
    cJSON_ArrayForEach(acc, c->d->accesses) {
        const char *pid = rec_str(acc, "access_person_id"), *zone = grant_zone(c->d, acc);
        if (pid && zone) {
            v[k].person_id = pid;
            v[k].zone = zone;
            v[k].order = k;
            k++;
        }
    }
    qsort(v, k, sizeof *v, zone_entry_cmp);
    c->zones = v;
    c->nzones = k;
}

void res_zone_index_free(res_ctx *c)
{
    free(c->zones);
    c->zones = NULL;
    c->nzones = 0;
}

/* First entry of pid in the sorted index (lowest grant order), or NULL. */
static const char *indexed_zone(const res_ctx *c, const char *pid)
{
    size_t lo = 0, hi = c->nzones;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->zones[mid].person_id, pid) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->nzones && strcmp(c->zones[lo].person_id, pid) == 0 ? c->zones[lo].zone : NULL;
}

const char *res_guest_zone(const res_ctx *c, const cJSON *person)
{
    const char *pid = rec_id(person), *zone = NULL;
    if (!pid)
        return c->d->time_zone;
    if (c->zones) {
        zone = indexed_zone(c, pid);
    } else {
        const cJSON *acc;
        cJSON_ArrayForEach(acc, c->d->accesses) {
            const char *owner = rec_str(acc, "access_person_id");
            if (owner && strcmp(owner, pid) == 0 && (zone = grant_zone(c->d, acc)))
                break;
        }
    }
    return zone ? zone : c->d->time_zone;
}

int res_person_deactivated(const cJSON *person)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(person, "deactivated"));
}

/* Wall-clock now in zone, cached for the request. NULL on failure. */
static const char *local_now(res_ctx *c, const char *zone)
{
    for (size_t i = 0; i < c->n_now; i++)
        if (strcmp(c->now_cache[i].zone, zone) == 0)
            return c->now_cache[i].local;
    size_t slot = c->n_now < RES_NOW_CACHE ? c->n_now++ : RES_NOW_CACHE - 1;
    if (strlen(zone) >= sizeof c->now_cache[slot].zone ||
        tz_local_time(zone, c->req->now, c->now_cache[slot].local) != 0) {
        c->now_cache[slot].zone[0] = '\0';
        return NULL;
    }
    strcpy(c->now_cache[slot].zone, zone);
    return c->now_cache[slot].local;
}

const char *res_person_status(res_ctx *c, const cJSON *person)
{
    if (res_person_deactivated(person))
        return "deactivated";
    const char *type = rec_type(person);
    if (!type || strcmp(type, "access_guest") != 0)
        return "current";
    const char *starts = rec_str(person, "starts_at");
    const char *ends = rec_str(person, "ends_at");
    const char *now = local_now(c, res_guest_zone(c, person));
    /* A stay that cannot be placed on the wall clock is never "current"
     * (fail closed: PAM logins hang on this). In practice that is a local
     * year past 9999, which is after every storable ends_at. */
    if (!now || !starts || !ends)
        return "expired";
    /* Same fixed-width format, so text order is time order. */
    if (strcmp(now, starts) < 0)
        return "upcoming";
    return strcmp(now, ends) < 0 ? "current" : "expired";
}
