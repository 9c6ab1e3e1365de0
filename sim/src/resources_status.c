/* Access person status and the time zones behind it. A guest's starts_at and
 * ends_at carry no zone: they are wall-clock times of the location of the
 * guest's first granted accessible (device -> its location; location ->
 * itself), else of the account's default zone. Status is derived at read
 * time, so moving the simulator clock moves it. */
#include <string.h>
#include "resources.h"

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

const char *res_guest_zone(const store_data *d, const cJSON *person)
{
    const char *pid = rec_id(person);
    const cJSON *acc;
    cJSON_ArrayForEach(acc, d->accesses) {
        const char *owner = rec_str(acc, "access_person_id");
        if (!owner || !pid || strcmp(owner, pid) != 0)
            continue;
        const char *type = rec_str(acc, "accessible_type");
        const cJSON *target = res_accessible_find(d, type, rec_str(acc, "accessible_id"));
        if (!target)
            continue; /* not simulated (door group): try the next grant */
        const char *zone = strcmp(type, "location") == 0
                               ? rec_str(target, "time_zone")
                               : res_location_zone(d, rec_str(target, "location_id"));
        if (zone)
            return zone;
    }
    return d->time_zone;
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
    const char *now = local_now(c, res_guest_zone(c->d, person));
    if (!now || !starts || !ends)
        return "current";
    /* Same fixed-width format, so text order is time order. */
    if (strcmp(now, starts) < 0)
        return "upcoming";
    return strcmp(now, ends) < 0 ? "current" : "expired";
}
