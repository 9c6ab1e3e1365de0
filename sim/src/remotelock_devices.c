/* Devices, grants and events: lock and unlock (also on behalf of an access
 * person) record an event (remotelock_events.c);
 * a grant counts the devices it reaches (the simulated cloud syncs at once:
 * every device counts as synced). An event made through the API has source
 * "user", status "succeeded", the location's time zone and method/pin null:
 * the reference documents no method value for remote operations. */
#include <stdio.h>
#include <string.h>
#include "remotelock.h"

static const char *device_zone(const store_data *d, const cJSON *device)
{
    const char *zone = rl_location_zone(d, rec_str(device, "location_id"));
    return zone ? zone : d->time_zone;
}

int rl_grant_reaches(const store_data *d, const cJSON *grant, const cJSON *dev)
{
    const char *type = rec_str(grant, "accessible_type"), *id = rec_str(grant, "accessible_id");
    const char *loc = rec_str(dev, "location_id");
    if (!type || !id || !res_poly_find(rl_accessible_types, rec_type(dev)))
        return 0; /* plugs and thermostats take no one's credentials */
    if (strcmp(type, "location") == 0)
        return loc && strcmp(id, loc) == 0;
    if (strcmp(type, "door_group") == 0)
        return rl_group_holds(d, id, dev);
    return strcmp(type, rec_type(dev)) == 0 && strcmp(id, rec_id(dev)) == 0;
}

/* A grant of person reaches dev (rl_grant_reaches). */
int rl_person_reaches(const store_data *d, const cJSON *person, const cJSON *dev)
{
    const char *pid = rec_id(person);
    const cJSON *a;
    cJSON_ArrayForEach(a, rl_list(d, "accesses")) {
        const char *owner = rec_str(a, "access_person_id");
        if (owner && strcmp(owner, pid) == 0 && rl_grant_reaches(d, a, dev))
            return 1;
    }
    return 0;
}

static int reaches_device(res_ctx *c, const cJSON *grant, const void *dev)
{
    return rl_grant_reaches(c->d, grant, dev);
}

void rl_device_accesses(res_ctx *c, const cJSON *dev)
{
    const res_def *grants = res_def_find(c->api, "accesses");
    res_list_respond(c, grants, res_list(c->d, c->api, grants), reaches_device, dev);
}

/* PUT /devices/:id/lock|unlock[/:access_person_id] */
static void actuate(res_ctx *c, cJSON *dev, int lock, const char *person_id)
{
    const cJSON *person = NULL;
    if (person_id) {
        person = store_find(rl_list(c->d, "access_persons"), person_id);
        /* Documented answer when the person may not use the device; a
         * guest outside the stay or a deactivated person may not. */
        if (!person || !rl_person_reaches(c->d, person, dev) ||
            strcmp(rl_person_status(c, person), "current") != 0) {
            jsonapi_respond_general(c->res, 404,
                                    "Access person does not have access to this device",
                                    "missing_access_person_device");
            return;
        }
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec_attrs(person),
                                                          "require_pin_verification"))) {
            const char *pin =
                cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c->req->body, "pin"));
            const char *want = rec_str(person, "pin");
            if (!pin || !want || strcmp(pin, want) != 0) {
                jsonapi_errors e;
                jsonapi_errors_init(&e);
                jsonapi_error_add(&e, "pin", "is invalid");
                jsonapi_respond_errors(c->res, &e);
                return;
            }
        }
    }
    char now[TZ_UTC_LEN];
    res_now(c, now);
    if (rec_set_str(dev, "state", lock ? "locked" : "unlocked") ||
        rec_set_str(dev, "updated_at", now) ||
        rl_event_record(c, dev, lock ? "locked_event" : "unlocked_event", person, NULL, NULL)) {
        jsonapi_respond_internal(c->res);
        return;
    }
    res_respond(c, res_def_find(c->api, "devices"), 200, dev);
}

void rl_device_lock(res_ctx *c, cJSON *rec, const char *arg)
{
    actuate(c, rec, 1, arg);
}

void rl_device_unlock(res_ctx *c, cJSON *rec, const char *arg)
{
    actuate(c, rec, 0, arg);
}

/* 422 with one error on the record as a whole. */
static void refuse(res_ctx *c, const char *message)
{
    jsonapi_errors e;
    jsonapi_errors_init(&e);
    jsonapi_error_add(&e, NULL, message);
    c->api->doc->invalid(c->res, &e);
}

static int type_is(const cJSON *dev, const char *type)
{
    return strcmp(rec_type(dev), type) == 0;
}

/* "Supported device API types: acs_door and connector_lock": an unlock
 * the device undoes on its own timer (not simulated: it stays unlocked
 * until locked). */
void rl_device_temporary_unlock(res_ctx *c, cJSON *rec, const char *arg)
{
    if (!type_is(rec, "acs_door") && !type_is(rec, "connector_lock")) {
        refuse(c, "Temporary unlock is not supported by this device");
        return;
    }
    actuate(c, rec, 0, arg);
}

/* LockState v1 power plugs: switch "on"; the documents show no event. */
static void power(res_ctx *c, cJSON *rec, int on)
{
    char now[TZ_UTC_LEN];
    if (!type_is(rec, "power_plug")) {
        refuse(c, "Only power plugs can be powered on or off");
        return;
    }
    res_now(c, now);
    if (rec_set(rec, "on", cJSON_CreateBool(on)) || rec_set_str(rec, "updated_at", now)) {
        c->api->doc->internal(c->res);
        return;
    }
    res_respond(c, res_def_find(c->api, "devices"), 200, rec);
}

void rl_device_power_on(res_ctx *c, cJSON *rec, const char *arg)
{
    (void)arg;
    power(c, rec, 1);
}

void rl_device_power_off(res_ctx *c, cJSON *rec, const char *arg)
{
    (void)arg;
    power(c, rec, 0);
}

/* Devices a grant reaches (rl_grant_reaches). */
int rl_access_compute(res_ctx *c, const cJSON *a, cJSON *computed)
{
    int n = 0;
    const cJSON *dev;
    if (res_ref_target(c->d, c->api, &rl_accessible_ref, a))
        cJSON_ArrayForEach(dev, rl_list(c->d, "devices"))
            n += rl_grant_reaches(c->d, a, dev);
    int rc = jsonapi_add(computed, "devices_count", cJSON_CreateNumber(n));
    rc |= jsonapi_add(computed, "devices_synced_count", cJSON_CreateNumber(n));
    rc |= jsonapi_add(computed, "devices_pending_sync_count", cJSON_CreateNumber(0));
    rc |= jsonapi_add(computed, "devices_failed_sync_count", cJSON_CreateNumber(0));
    return rc;
}

/* One grant per person and accessible. */
void rl_access_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e)
{
    const char *pid = rec_str(rec, "access_person_id"), *type = rec_str(rec, "accessible_type");
    const char *aid = rec_str(rec, "accessible_id");
    if (e->count || !pid || !type || !aid)
        return;
    const cJSON *a;
    cJSON_ArrayForEach(a, rl_list(c->d, "accesses")) {
        const char *o = rec_str(a, "access_person_id"), *t = rec_str(a, "accessible_type");
        const char *i = rec_str(a, "accessible_id");
        if (a != rec && strcmp(rec_id(a), rec_id(rec)) != 0 && o && t && i &&
            strcmp(o, pid) == 0 && strcmp(t, type) == 0 && strcmp(i, aid) == 0) {
            jsonapi_error_add(e, "accessible_id", "has already been taken");
            return;
        }
    }
}

int rl_event_load(store_data *d, cJSON *rec, char *msg, size_t msglen)
{
    const char *occurred = rec_str(rec, "occurred_at");
    time_t t;
    if (!occurred || tz_parse_utc(occurred, &t) != 0) {
        snprintf(msg, msglen, "occurred_at \"%.40s\" is not a UTC timestamp "
                              "(YYYY-MM-DDTHH:MM:SSZ)", occurred ? occurred : "");
        return -1;
    }
    const cJSON *dev = store_find(rl_list(d, "devices"), rec_str(rec, "publisher_id"));
    int rc = rec_set_str(rec, "time_zone", device_zone(d, dev));
    if (!rec_str(rec, "created_at"))
        rc |= rec_set_str(rec, "created_at", occurred);
    if (!rec_str(rec, "updated_at"))
        rc |= rec_set_str(rec, "updated_at", rec_str(rec, "created_at"));
    if (rc)
        snprintf(msg, msglen, "out of memory");
    return rc ? -1 : 0;
}

/* A notification's publisher and times come from its event. */
int rl_notification_load(store_data *d, cJSON *rec, char *msg, size_t msglen)
{
    const cJSON *ev = store_find(rl_list(d, "events"), rec_str(rec, "event_id"));
    int rc = rec_set_str(rec, "publisher_id", rec_str(ev, "publisher_id"));
    rc |= rec_set_str(rec, "publisher_type", rec_str(ev, "publisher_type"));
    if (!rec_str(rec, "created_at"))
        rc |= rec_set_str(rec, "created_at", rec_str(ev, "created_at"));
    if (!rec_str(rec, "updated_at"))
        rc |= rec_set_str(rec, "updated_at", rec_str(rec, "created_at"));
    if (rc)
        snprintf(msg, msglen, "out of memory");
    return rc ? -1 : 0;
}
