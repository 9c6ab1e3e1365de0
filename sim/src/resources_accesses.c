/* /access_persons/:access_person_id/accesses: grants of an access person to
 * a device, location or door group. Devices and locations must exist; door
 * groups are not simulated, so their ids pass through. The simulated cloud
 * syncs at once: every device of a grant counts as synced. */
#include <string.h>
#include "resources.h"
#include "resources_schema.h"

#define MAX_REF 64

static const char *const sortable[] = {"created_at", "updated_at", NULL};

/* Devices a grant reaches: the device itself, or a location's devices. */
static int devices_count(const store_data *d, const char *type, const char *id)
{
    const cJSON *target = res_accessible_find(d, type, id);
    if (!target)
        return 0;
    if (strcmp(type, "location") != 0)
        return 1;
    int n = 0;
    const cJSON *dev;
    cJSON_ArrayForEach(dev, d->devices) {
        const char *loc = rec_str(dev, "location_id");
        n += loc && strcmp(loc, id) == 0;
    }
    return n;
}

cJSON *accesses_render(res_ctx *c, const cJSON *a)
{
    const char *type = rec_str(a, "accessible_type"), *aid = rec_str(a, "accessible_id");
    const char *pid = rec_str(a, "access_person_id"), *sched = rec_str(a, "access_schedule_id");
    const cJSON *person = store_find(c->d->persons, pid);
    int n = devices_count(c->d, type, aid);
    cJSON *computed = cJSON_CreateObject();
    int rc = jsonapi_add(computed, "devices_count", cJSON_CreateNumber(n));
    rc |= jsonapi_add(computed, "devices_synced_count", cJSON_CreateNumber(n));
    rc |= jsonapi_add(computed, "devices_pending_sync_count", cJSON_CreateNumber(0));
    rc |= jsonapi_add(computed, "devices_failed_sync_count", cJSON_CreateNumber(0));
    rc |= jsonapi_add_str(computed, "accessible_name", res_accessible_name(c->d, type, aid));
    rc |= jsonapi_add_str(computed, "access_person_type", rec_type(person));
    cJSON *attrs = rc ? NULL : schema_render(schema_find(rec_type(a)), rec_attrs(a), computed, 1);
    cJSON_Delete(computed);
    cJSON *links = cJSON_CreateObject();
    rc |= jsonapi_link(links, "self", c->base, "/access_persons/%s/accesses/%s", pid, rec_id(a));
    if (sched)
        rc |= jsonapi_link(links, "access_schedule", c->base, "/schedules/%s", sched);
    rc |= jsonapi_link(links, "access_person", c->base, "/access_persons/%s", pid);
    rc |= jsonapi_link(links, "accessible", c->base, "/%s/%s", res_accessible_path(type), aid);
    if (rc || !attrs) {
        cJSON_Delete(attrs);
        cJSON_Delete(links);
        return NULL;
    }
    return jsonapi_resource(rec_type(a), rec_id(a), attrs, links, NULL);
}

static int owned_by(const cJSON *a, const char *pid)
{
    const char *owner = rec_str(a, "access_person_id");
    return owner && strcmp(owner, pid) == 0;
}

static void list(res_ctx *c, const char *pid)
{
    static const coll_opts opts = {sortable, "created_at", NULL, NULL};
    cJSON *items = cJSON_CreateArray();
    const cJSON *a;
    cJSON_ArrayForEach(a, c->d->accesses) {
        if (owned_by(a, pid) && jsonapi_append(items, accesses_render(c, a))) {
            cJSON_Delete(items);
            jsonapi_respond_internal(c->res);
            return;
        }
    }
    collection_respond(c, items, &opts);
}

/* A short string id, or NULL. */
static const char *ref(const cJSON *v)
{
    const char *s = cJSON_GetStringValue(v);
    return s && s[0] && strlen(s) <= MAX_REF ? s : NULL;
}

/* Validates and stores access_schedule_id (string or null). 0 / -1 (OOM). */
static int apply_schedule(cJSON *rec, const cJSON *attrs, jsonapi_errors *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, "access_schedule_id");
    if (!v)
        return 0;
    if (!cJSON_IsNull(v) && !ref(v)) {
        jsonapi_error_add(e, "access_schedule_id", "is invalid");
        return 0;
    }
    return rec_set(rec, "access_schedule_id", cJSON_Duplicate(v, 0));
}

static int apply_clock(cJSON *rec, const cJSON *attrs, const char *key, jsonapi_errors *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, key);
    char out[TZ_CLOCK_LEN];
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v) || tz_parse_clock(v->valuestring, out) != 0) {
        jsonapi_error_add(e, key, "is invalid");
        return 0;
    }
    return rec_set_str(rec, key, out);
}

static void grant(res_ctx *c, const cJSON *person)
{
    const cJSON *attrs;
    if (res_body_attrs(c, &attrs))
        return;
    jsonapi_errors e;
    jsonapi_errors_init(&e);
    const char *pid = rec_id(person);
    const char *type =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(attrs, "accessible_type"));
    const cJSON *idv = cJSON_GetObjectItemCaseSensitive(attrs, "accessible_id");
    const char *aid = ref(idv);
    if (!type)
        jsonapi_error_add(&e, "accessible_type", "can't be blank");
    else if (!res_accessible_type_valid(type))
        jsonapi_error_add(&e, "accessible_type", "is not included in the list");
    if (!idv || cJSON_IsNull(idv))
        jsonapi_error_add(&e, "accessible_id", "can't be blank");
    else if (!aid)
        jsonapi_error_add(&e, "accessible_id", "is invalid");
    else if (type && res_accessible_modeled(type) && !res_accessible_find(c->d, type, aid))
        jsonapi_error_add(&e, "accessible", "must exist");
    if (e.count == 0) {
        const cJSON *a;
        cJSON_ArrayForEach(a, c->d->accesses) {
            const char *t = rec_str(a, "accessible_type"), *i = rec_str(a, "accessible_id");
            if (owned_by(a, pid) && t && i && strcmp(t, type) == 0 && strcmp(i, aid) == 0) {
                jsonapi_error_add(&e, "accessible_id", "has already been taken");
                break;
            }
        }
    }
    char now[TZ_UTC_LEN], id[STORE_ID_LEN];
    res_now(c, now);
    cJSON *rec = store_record_new("", "access_person_access",
                                  schema_defaults(schema_find("access_person_access")));
    int rc = rec ? 0 : -1;
    rc |= apply_clock(rec, attrs, "guest_start_time", &e);
    rc |= apply_clock(rec, attrs, "guest_end_time", &e);
    rc |= apply_schedule(rec, attrs, &e);
    if (!rc && e.count > 0) {
        cJSON_Delete(rec);
        jsonapi_respond_errors(c->res, &e);
        return;
    }
    jsonapi_errors_free(&e);
    rc |= rec_set_str(rec, "accessible_type", type);
    rc |= rec_set_str(rec, "accessible_id", aid);
    rc |= rec_set_str(rec, "access_person_id", pid);
    rc |= rec_set_str(rec, "created_at", now);
    rc |= rec_set_str(rec, "updated_at", now);
    if (rc || store_new_id(c->d, id) || jsonapi_put(rec, "id", cJSON_CreateString(id)) ||
        !cJSON_AddItemToArray(c->d->accesses, rec)) {
        cJSON_Delete(rec);
        jsonapi_respond_internal(c->res);
        return;
    }
    jsonapi_respond_data(c->res, 201, accesses_render(c, rec));
}

/* Only the access schedule can change (documented). */
static void update(res_ctx *c, cJSON *a)
{
    const cJSON *attrs;
    if (res_body_attrs(c, &attrs))
        return;
    jsonapi_errors e;
    jsonapi_errors_init(&e);
    cJSON *work = cJSON_Duplicate(a, 1);
    int rc = work ? apply_schedule(work, attrs, &e) : -1;
    if ((work = res_commit_update(c, c->d->accesses, a, work, rc != 0, &e)))
        jsonapi_respond_data(c->res, 200, accesses_render(c, work));
}

int accesses_route(res_ctx *c)
{
    if (c->nseg > 4)
        return 0;
    int get = res_method(c, "GET"), put = res_method(c, "PUT"), post = res_method(c, "POST"),
        del = res_method(c, "DELETE");
    if (c->nseg == 3 ? !(get || post) : !(get || put || del)) {
        res_method_not_allowed(c);
        return 1;
    }
    const cJSON *person = store_find(c->d->persons, c->seg[1]);
    if (!person) {
        jsonapi_respond_not_found(c->res);
        return 1;
    }
    if (c->nseg == 3) {
        if (get)
            list(c, rec_id(person));
        else
            grant(c, person);
        return 1;
    }
    cJSON *a = store_find(c->d->accesses, c->seg[3]);
    if (!a || !owned_by(a, rec_id(person))) {
        jsonapi_respond_not_found(c->res);
        return 1;
    }
    if (get) {
        jsonapi_respond_data(c->res, 200, accesses_render(c, a));
    } else if (put) {
        update(c, a);
    } else {
        store_remove(c->d->accesses, a);
        c->res->status = 204;
    }
    return 1;
}
