/* /access_persons: list, show, create, update, deactivate, delete.
 * Deactivated and expired persons carry meta.restricted_actions ["update"]
 * as in the documented status-filter example. Only deactivated ones refuse
 * updates: extending an expired guest's stay is the documented way to give
 * access back (update example: a new ends_at). */
#include <string.h>
#include "resources.h"
#include "resources_schema.h"

static const char *const sortable[] = {
    "created_at", "updated_at", "name", "department", "starts_at", "ends_at", NULL,
};
static const char *const default_status[] = {"current", "upcoming", NULL};

cJSON *persons_render(res_ctx *c, const cJSON *p, int single)
{
    const type_spec *t = schema_find(rec_type(p));
    const char *status = res_person_status(c, p);
    cJSON *computed = cJSON_CreateObject();
    if (!t || jsonapi_add_str(computed, "status", status)) {
        cJSON_Delete(computed);
        return NULL;
    }
    cJSON *attrs = schema_render(t, rec_attrs(p), computed, single);
    cJSON_Delete(computed);
    cJSON *links = cJSON_CreateObject(), *meta = cJSON_CreateObject();
    cJSON *restricted = cJSON_CreateArray();
    int rc = jsonapi_link(links, "self", c->base, "/access_persons/%s", rec_id(p));
    rc |= jsonapi_append(restricted, cJSON_CreateString("url_credential"));
    rc |= jsonapi_add(meta, "restricted_attributes", restricted);
    if (strcmp(status, "deactivated") == 0 || strcmp(status, "expired") == 0) {
        cJSON *actions = cJSON_CreateArray();
        rc |= jsonapi_append(actions, cJSON_CreateString("update"));
        rc |= jsonapi_add(meta, "restricted_actions", actions);
    }
    if (rc) {
        cJSON_Delete(attrs);
        cJSON_Delete(links);
        cJSON_Delete(meta);
        return NULL;
    }
    return jsonapi_resource(rec_type(p), rec_id(p), attrs, links, meta);
}

static void respond_person(res_ctx *c, int status, const cJSON *p)
{
    jsonapi_respond_data(c->res, status, persons_render(c, p, 1));
}

static void list(res_ctx *c)
{
    static const coll_opts opts = {sortable, "created_at", "status", default_status};
    cJSON *items = cJSON_CreateArray();
    const cJSON *p;
    res_zone_index_build(c);
    cJSON_ArrayForEach(p, c->d->persons) {
        if (jsonapi_append(items, persons_render(c, p, 0))) {
            res_zone_index_free(c);
            cJSON_Delete(items);
            jsonapi_respond_internal(c->res);
            return;
        }
    }
    res_zone_index_free(c);
    collection_respond(c, items, &opts);
}

static void create(res_ctx *c)
{
    const cJSON *attrs;
    if (res_body_attrs(c, &attrs))
        return;
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c->req->body, "type"));
    jsonapi_errors e;
    jsonapi_errors_init(&e);
    if (!type || (strcmp(type, "access_user") != 0 && strcmp(type, "access_guest") != 0)) {
        jsonapi_error_add(&e, "type", "is not included in the list");
        jsonapi_respond_errors(c->res, &e);
        return;
    }
    char now[TZ_UTC_LEN], id[STORE_ID_LEN];
    res_now(c, now);
    /* The id is assigned only once the person is valid, so refused
     * requests leave the id sequence alone. */
    cJSON *rec = store_record_new("", type, schema_defaults(schema_find(type)));
    int rc = rec ? 0 : -1;
    rc |= jsonapi_add(rec, "deactivated", cJSON_CreateFalse());
    rc |= rec_set_str(rec, "created_at", now);
    rc |= rec_set_str(rec, "updated_at", now);
    rc |= person_apply(c, rec, attrs, &e);
    if (!rc && e.count == 0)
        person_validate(c, rec, &e);
    if (!rc && e.count > 0) {
        cJSON_Delete(rec);
        jsonapi_respond_errors(c->res, &e);
        return;
    }
    jsonapi_errors_free(&e);
    if (rc || store_new_id(c->d, id) ||
        jsonapi_put(rec, "id", cJSON_CreateString(id)) ||
        !cJSON_AddItemToArray(c->d->persons, rec)) {
        cJSON_Delete(rec);
        jsonapi_respond_internal(c->res);
        return;
    }
    respond_person(c, 201, rec);
}

static void update(res_ctx *c, cJSON *p)
{
    const cJSON *attrs;
    if (res_body_attrs(c, &attrs))
        return;
    jsonapi_errors e;
    jsonapi_errors_init(&e);
    if (res_person_deactivated(p)) {
        jsonapi_error_add(&e, NULL, "A deactivated access person cannot be updated");
        jsonapi_respond_errors(c->res, &e);
        return;
    }
    /* Work on a copy so a refused update changes nothing. */
    cJSON *work = cJSON_Duplicate(p, 1);
    int rc = work ? person_apply(c, work, attrs, &e) : -1;
    if (!rc && e.count == 0)
        person_validate(c, work, &e);
    if ((work = res_commit_update(c, c->d->persons, p, work, rc != 0, &e)))
        respond_person(c, 200, work);
}

static void deactivate(res_ctx *c, cJSON *p)
{
    char now[TZ_UTC_LEN];
    res_now(c, now);
    if (!res_person_deactivated(p)) {
        if (jsonapi_put(p, "deactivated", cJSON_CreateTrue()) ||
            rec_set_str(p, "updated_at", now)) {
            jsonapi_respond_internal(c->res);
            return;
        }
    }
    respond_person(c, 200, p);
}

static void destroy(res_ctx *c, cJSON *p)
{
    const char *id = rec_id(p), *name = rec_str(p, "name");
    cJSON *acc = c->d->accesses ? c->d->accesses->child : NULL;
    while (acc) {
        cJSON *next = acc->next;
        const char *owner = rec_str(acc, "access_person_id");
        if (owner && strcmp(owner, id) == 0)
            store_remove(c->d->accesses, acc);
        acc = next;
    }
    /* Documented: associated_resource_name is filled once the associated
     * resource is deleted. */
    cJSON *ev;
    cJSON_ArrayForEach(ev, c->d->events) {
        const char *assoc = rec_str(ev, "associated_resource_id");
        if (assoc && strcmp(assoc, id) == 0)
            rec_set_str(ev, "associated_resource_name", name);
    }
    store_remove(c->d->persons, p);
    c->res->status = 204;
    c->res->body = NULL;
}

int persons_route(res_ctx *c)
{
    if (c->nseg >= 3 && strcmp(c->seg[2], "accesses") == 0)
        return accesses_route(c);
    if (c->nseg > 3 || (c->nseg == 3 && strcmp(c->seg[2], "deactivate") != 0))
        return 0;
    if (c->nseg == 1) {
        if (res_method(c, "GET"))
            list(c);
        else if (res_method(c, "POST"))
            create(c);
        else
            res_method_not_allowed(c);
        return 1;
    }
    cJSON *p = store_find(c->d->persons, c->seg[1]);
    int get = res_method(c, "GET"), put = res_method(c, "PUT"), del = res_method(c, "DELETE");
    if (c->nseg == 3 ? !put : !(get || put || del)) {
        res_method_not_allowed(c);
        return 1;
    }
    if (!p) {
        jsonapi_respond_not_found(c->res);
        return 1;
    }
    if (c->nseg == 3)
        deactivate(c, p);
    else if (get)
        respond_person(c, 200, p);
    else if (put)
        update(c, p);
    else
        destroy(c, p);
    return 1;
}
