/* Devices, grants and events: lock and unlock (also on behalf of an access
 * person) record an event and a notification for every active subscriber;
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

/* Records a device event and its notifications at the clock; person may
 * be NULL. Everything is built first, so a failure adds nothing. 0 / -1. */
static int record_event(store_data *d, const cJSON *device, const char *type,
                        const cJSON *person, time_t now)
{
    char ts[TZ_UTC_LEN];
    tz_format_utc(now, ts);
    cJSON *ev = res_new_record(d, type, now), *notes = cJSON_CreateArray();
    int rc = ev && notes ? 0 : -1;
    rc |= rec_set_str(ev, "time_zone", device_zone(d, device));
    rc |= rec_set_str(ev, "occurred_at", ts);
    rc |= rec_set_str(ev, "publisher_id", rec_id(device));
    rc |= rec_set_str(ev, "publisher_type", rec_type(device));
    rc |= rec_set_str(ev, "associated_resource_id", person ? rec_id(person) : NULL);
    rc |= rec_set_str(ev, "associated_resource_type", person ? rec_type(person) : NULL);
    const cJSON *sub;
    cJSON_ArrayForEach(sub, rl_list(d, "notification_subscribers")) {
        if (rc || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec_attrs(sub), "active")))
            continue;
        cJSON *n = res_new_record(d, "notification", now);
        rc |= rec_set_str(n, "subscriber_id", rec_id(sub));
        rc |= rec_set_str(n, "subscriber_type", rec_type(sub));
        rc |= rec_set_str(n, "publisher_id", rec_id(device));
        rc |= rec_set_str(n, "publisher_type", rec_type(device));
        rc |= rec_set_str(n, "event_id", rec_id(ev));
        rc |= rec_set_str(n, "event_type", type);
        rc |= jsonapi_append(notes, n);
    }
    if (rc || !cJSON_AddItemToArray(rl_list(d, "events"), ev)) {
        cJSON_Delete(ev);
        cJSON_Delete(notes);
        return -1;
    }
    while (notes->child) {
        cJSON *n = cJSON_DetachItemViaPointer(notes, notes->child);
        if (!cJSON_AddItemToArray(rl_list(d, "notifications"), n))
            cJSON_Delete(n);
    }
    cJSON_Delete(notes);
    return 0;
}

/* A grant of person reaches dev: the device itself or its location. */
static int person_reaches(const store_data *d, const cJSON *person, const cJSON *dev)
{
    const char *pid = rec_id(person), *did = rec_id(dev), *loc = rec_str(dev, "location_id");
    const cJSON *a;
    cJSON_ArrayForEach(a, rl_list(d, "accesses")) {
        const char *owner = rec_str(a, "access_person_id");
        const char *type = rec_str(a, "accessible_type"), *id = rec_str(a, "accessible_id");
        if (!owner || !type || !id || strcmp(owner, pid) != 0)
            continue;
        int hit = strcmp(type, "location") == 0
                      ? loc && strcmp(id, loc) == 0
                      : strcmp(type, rec_type(dev)) == 0 && strcmp(id, did) == 0;
        if (hit)
            return 1;
    }
    return 0;
}

/* PUT /devices/:id/lock|unlock[/:access_person_id] */
static void actuate(res_ctx *c, cJSON *dev, int lock, const char *person_id)
{
    const cJSON *person = NULL;
    if (person_id) {
        person = store_find(rl_list(c->d, "access_persons"), person_id);
        /* Documented answer when the person may not use the device; a
         * guest outside the stay or a deactivated person may not. */
        if (!person || !person_reaches(c->d, person, dev) ||
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
        record_event(c->d, dev, lock ? "locked_event" : "unlocked_event", person, c->req->now)) {
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

/* Devices a grant reaches: the device itself, or a location's devices. */
int rl_access_compute(res_ctx *c, const cJSON *a, cJSON *computed)
{
    const char *id = rec_str(a, "accessible_id");
    const cJSON *target = res_ref_target(c->d, c->api, &rl_accessible_ref, a);
    int n = 0;
    if (target && strcmp(rec_type(target), "location") != 0) {
        n = 1;
    } else if (target) {
        const cJSON *dev;
        cJSON_ArrayForEach(dev, rl_list(c->d, "devices")) {
            const char *loc = rec_str(dev, "location_id");
            n += loc && strcmp(loc, id) == 0;
        }
    }
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
