/* /events, /notifications and /notification_subscribers (read-only), and the
 * recording of device events. An event made through the API (lock/unlock)
 * has source "user", status "succeeded", the location's time zone, and
 * method/pin null: the reference documents no method value for remote
 * operations, so the simulator claims none. */
#include <string.h>
#include "resources.h"
#include "resources_schema.h"

static cJSON *render_simple(res_ctx *c, const cJSON *rec, const char *path, cJSON *links)
{
    cJSON *attrs = schema_render(schema_find(rec_type(rec)), rec_attrs(rec), NULL, 1);
    if (!links || jsonapi_link(links, "self", c->base, "/%s/%s", path, rec_id(rec)) || !attrs) {
        cJSON_Delete(attrs);
        cJSON_Delete(links);
        return NULL;
    }
    return jsonapi_resource(rec_type(rec), rec_id(rec), attrs, links, NULL);
}

/* Collection path for a publisher/associated resource type. */
static const char *path_for(const char *type)
{
    if (type && (strcmp(type, "access_user") == 0 || strcmp(type, "access_guest") == 0))
        return "access_persons";
    return "devices";
}

cJSON *events_render(res_ctx *c, const cJSON *ev)
{
    cJSON *links = cJSON_CreateObject();
    const char *assoc = rec_str(ev, "associated_resource_id");
    int rc = jsonapi_link(links, "self", c->base, "/events/%s", rec_id(ev));
    rc |= jsonapi_link(links, "publisher", c->base, "/%s/%s",
                       path_for(rec_str(ev, "publisher_type")), rec_str(ev, "publisher_id"));
    if (assoc)
        rc |= jsonapi_link(links, "associated_resource", c->base, "/%s/%s",
                           path_for(rec_str(ev, "associated_resource_type")), assoc);
    cJSON *attrs = schema_render(schema_find(rec_type(ev)), rec_attrs(ev), NULL, 1);
    if (rc || !attrs) {
        cJSON_Delete(attrs);
        cJSON_Delete(links);
        return NULL;
    }
    return jsonapi_resource(rec_type(ev), rec_id(ev), attrs, links, NULL);
}

static cJSON *notification_render(res_ctx *c, const cJSON *n)
{
    cJSON *links = cJSON_CreateObject();
    int rc = jsonapi_link(links, "self", c->base, "/notifications/%s", rec_id(n));
    rc |= jsonapi_link(links, "subscriber", c->base, "/notification_subscribers/%s",
                       rec_str(n, "subscriber_id"));
    rc |= jsonapi_link(links, "publisher", c->base, "/%s/%s",
                       path_for(rec_str(n, "publisher_type")), rec_str(n, "publisher_id"));
    rc |= jsonapi_link(links, "event", c->base, "/events/%s", rec_str(n, "event_id"));
    cJSON *attrs = schema_render(schema_find(rec_type(n)), rec_attrs(n), NULL, 1);
    if (rc || !attrs) {
        cJSON_Delete(attrs);
        cJSON_Delete(links);
        return NULL;
    }
    return jsonapi_resource(rec_type(n), rec_id(n), attrs, links, NULL);
}

static cJSON *subscriber_render(res_ctx *c, const cJSON *s)
{
    return render_simple(c, s, "notification_subscribers", cJSON_CreateObject());
}

int events_route(res_ctx *c)
{
    /* LockState v1 "Get all events": default sort occurred_at descending. */
    static const char *const sortable[] = {"created_at", "occurred_at", NULL};
    static const coll_opts opts = {sortable, "-occurred_at", NULL, NULL};
    return res_read_only_route(c, c->d->events, events_render, &opts);
}

int notifications_route(res_ctx *c)
{
    static const char *const sortable[] = {"created_at", NULL};
    static const coll_opts opts = {sortable, "created_at", NULL, NULL};
    return res_read_only_route(c, c->d->notifications, notification_render, &opts);
}

int subscribers_route(res_ctx *c)
{
    static const char *const sortable[] = {"created_at", "name", NULL};
    static const coll_opts opts = {sortable, "created_at", NULL, NULL};
    return res_read_only_route(c, c->d->subscribers, subscriber_render, &opts);
}

/* A new record of type with defaults and the given timestamps. */
static cJSON *new_record(store_data *d, const char *type, const char *now)
{
    char id[STORE_ID_LEN];
    if (store_new_id(d, id))
        return NULL;
    cJSON *rec = store_record_new(id, type, schema_defaults(schema_find(type)));
    if (rec && (rec_set_str(rec, "created_at", now) || rec_set_str(rec, "updated_at", now))) {
        cJSON_Delete(rec);
        return NULL;
    }
    return rec;
}

int events_record(store_data *d, const cJSON *device, const char *type, const cJSON *person,
                  time_t now)
{
    char ts[TZ_UTC_LEN];
    tz_format_utc(now, ts);
    /* Build everything first, then publish, so a failure adds nothing. */
    cJSON *ev = new_record(d, type, ts);
    cJSON *notes = cJSON_CreateArray();
    int rc = ev && notes ? 0 : -1;
    rc |= rec_set_str(ev, "time_zone", res_device_zone(d, device));
    rc |= rec_set_str(ev, "occurred_at", ts);
    rc |= rec_set_str(ev, "publisher_id", rec_id(device));
    rc |= rec_set_str(ev, "publisher_type", rec_type(device));
    rc |= rec_set_str(ev, "associated_resource_id", person ? rec_id(person) : NULL);
    rc |= rec_set_str(ev, "associated_resource_type", person ? rec_type(person) : NULL);
    const cJSON *sub;
    cJSON_ArrayForEach(sub, d->subscribers) {
        if (rc || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec_attrs(sub), "active")))
            continue;
        cJSON *n = new_record(d, "notification", ts);
        rc |= rec_set_str(n, "subscriber_id", rec_id(sub));
        rc |= rec_set_str(n, "subscriber_type", rec_type(sub));
        rc |= rec_set_str(n, "publisher_id", rec_id(device));
        rc |= rec_set_str(n, "publisher_type", rec_type(device));
        rc |= rec_set_str(n, "event_id", rec_id(ev));
        rc |= rec_set_str(n, "event_type", type);
        rc |= jsonapi_append(notes, n);
    }
    if (rc || !cJSON_AddItemToArray(d->events, ev)) {
        cJSON_Delete(ev);
        cJSON_Delete(notes);
        return -1;
    }
    while (notes->child) {
        cJSON *n = cJSON_DetachItemViaPointer(notes, notes->child);
        if (!cJSON_AddItemToArray(d->notifications, n))
            cJSON_Delete(n);
    }
    cJSON_Delete(notes);
    return 0;
}
