/* /devices: list, show, lock and unlock (also on behalf of an access person),
 * and the accesses granted to a device. Locking or unlocking records an
 * event and notifications (resources_events.c). */
#include <string.h>
#include "resources.h"
#include "resources_schema.h"

static const char *const sortable[] = {"created_at", "name", NULL};

cJSON *devices_render(res_ctx *c, const cJSON *dev)
{
    const char *loc_id = rec_str(dev, "location_id"), *model = rec_str(dev, "model_id");
    cJSON *computed = cJSON_CreateObject();
    int rc = jsonapi_add_str(computed, "location_name",
                             rec_str(store_find(c->d->locations, loc_id), "name"));
    cJSON *attrs =
        rc ? NULL : schema_render(schema_find(rec_type(dev)), rec_attrs(dev), computed, 1);
    cJSON_Delete(computed);
    cJSON *links = cJSON_CreateObject();
    rc |= jsonapi_link(links, "self", c->base, "/devices/%s", rec_id(dev));
    if (model)
        rc |= jsonapi_link(links, "model", c->base, "/models/%s", model);
    rc |= jsonapi_link(links, "location", c->base, "/locations/%s", loc_id);
    static const struct {
        const char *attr, *link;
    } schedules[] = {
        {"lock_action_schedule_id", "lock_action_schedule"},
        {"auto_lock_schedule_id", "auto_lock_schedule"},
    };
    for (size_t i = 0; i < sizeof schedules / sizeof schedules[0]; i++) {
        const char *s = rec_str(dev, schedules[i].attr);
        if (s)
            rc |= jsonapi_link(links, schedules[i].link, c->base, "/schedules/%s", s);
    }
    if (rc || !attrs) {
        cJSON_Delete(attrs);
        cJSON_Delete(links);
        return NULL;
    }
    return jsonapi_resource(rec_type(dev), rec_id(dev), attrs, links, NULL);
}

static void list(res_ctx *c)
{
    static const coll_opts opts = {sortable, "created_at", NULL, NULL};
    cJSON *items = cJSON_CreateArray();
    const cJSON *dev;
    cJSON_ArrayForEach(dev, c->d->devices) {
        if (jsonapi_append(items, devices_render(c, dev))) {
            cJSON_Delete(items);
            jsonapi_respond_internal(c->res);
            return;
        }
    }
    collection_respond(c, items, &opts);
}

/* A grant of person reaches dev: the device itself or its location. */
static int person_reaches(const store_data *d, const cJSON *person, const cJSON *dev)
{
    const char *pid = rec_id(person), *did = rec_id(dev), *loc = rec_str(dev, "location_id");
    const cJSON *a;
    cJSON_ArrayForEach(a, d->accesses) {
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
        person = store_find(c->d->persons, person_id);
        /* Documented answer when the person may not use the device; a
         * guest outside the stay or a deactivated person may not. */
        if (!person || !person_reaches(c->d, person, dev) ||
            strcmp(res_person_status(c, person), "current") != 0) {
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
        events_record(c->d, dev, lock ? "locked_event" : "unlocked_event", person, c->req->now)) {
        jsonapi_respond_internal(c->res);
        return;
    }
    jsonapi_respond_data(c->res, 200, devices_render(c, dev));
}

/* GET /devices/:id/access_person_accesses: grants naming this device. */
static void device_accesses(res_ctx *c, const cJSON *dev)
{
    static const char *const sort_keys[] = {"created_at", NULL};
    static const coll_opts opts = {sort_keys, "created_at", NULL, NULL};
    cJSON *items = cJSON_CreateArray();
    const cJSON *a;
    cJSON_ArrayForEach(a, c->d->accesses) {
        const char *id = rec_str(a, "accessible_id"), *type = rec_str(a, "accessible_type");
        if (!id || !type || strcmp(id, rec_id(dev)) != 0 || strcmp(type, rec_type(dev)) != 0)
            continue;
        if (jsonapi_append(items, accesses_render(c, a))) {
            cJSON_Delete(items);
            jsonapi_respond_internal(c->res);
            return;
        }
    }
    collection_respond(c, items, &opts);
}

int devices_route(res_ctx *c)
{
    if (c->nseg > 4)
        return 0;
    const char *action = c->nseg >= 3 ? c->seg[2] : NULL;
    int lock = action && strcmp(action, "lock") == 0;
    int unlock = action && strcmp(action, "unlock") == 0;
    int accesses = action && strcmp(action, "access_person_accesses") == 0;
    if (action && !lock && !unlock && !accesses)
        return 0;
    if (c->nseg == 4 && !lock && !unlock)
        return 0;
    if (c->nseg == 1) {
        if (res_method(c, "GET"))
            list(c);
        else
            res_method_not_allowed(c);
        return 1;
    }
    if (!res_method(c, (lock || unlock) ? "PUT" : "GET")) {
        res_method_not_allowed(c);
        return 1;
    }
    cJSON *dev = store_find(c->d->devices, c->seg[1]);
    if (!dev)
        jsonapi_respond_not_found(c->res);
    else if (lock || unlock)
        actuate(c, dev, lock, c->nseg == 4 ? c->seg[3] : NULL);
    else if (accesses)
        device_accesses(c, dev);
    else
        jsonapi_respond_data(c->res, 200, devices_render(c, dev));
    return 1;
}
