/* The account's own records beyond the table: a location's input rules and
 * when one may be deleted, and the signed-in user's links to the account. */
#include <stdio.h>
#include <string.h>
#include "remotelock.h"
#include "resources_schema.h"

/* The create parameters name "attributes[address_2]" while the documents
 * answer "address2": both are taken (the documented answer key wins). */
int rl_location_apply(res_ctx *c, cJSON *rec, const cJSON *attrs, jsonapi_errors *e)
{
    const cJSON *alias = cJSON_GetObjectItemCaseSensitive(attrs, "address_2");
    (void)c;
    if (!alias || cJSON_GetObjectItemCaseSensitive(attrs, "address2"))
        return 0;
    if (!cJSON_IsNull(alias) && !cJSON_IsString(alias)) {
        jsonapi_error_add(e, "address_2", "is invalid");
        return 0;
    }
    return rec_set(rec, "address2", cJSON_Duplicate(alias, 0));
}

void rl_location_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e)
{
    const char *zone = rec_str(rec, "time_zone");
    (void)c;
    if (zone && zone[0] && !tz_zone_valid(zone))
        jsonapi_error_add(e, "time_zone", "is not included in the list");
}

/* 1 when a record of another row holds a required reference to loc that
 * a delete could neither cascade nor clear (a device's location_id). */
static int location_in_use(res_ctx *c, const cJSON *loc)
{
    for (size_t i = 0; i < c->api->ndefs; i++) {
        const res_def *o = &c->api->defs[i];
        const cJSON *rec;
        for (const res_ref *ref = o->refs; !o->source && ref && ref->attr; ref++) {
            if (ref->flags & REF_CASCADE)
                continue;
            cJSON_ArrayForEach(rec, res_list(c->d, c->api, o)) {
                if ((res_attr_flags(rec, ref->attr) & ATTR_REQUIRED) &&
                    res_ref_target(c->d, c->api, ref, rec) == loc)
                    return 1;
            }
        }
    }
    return 0;
}

/* DELETE /locations/:id of a location that still has devices: 422, as
 * the store never holds a device without its location. Its grants and
 * subscriptions go with it (their references cascade). */
int rl_location_route(res_ctx *c, const res_def *def)
{
    if (c->nseg != 2 || strcmp(c->req->method, "DELETE") != 0)
        return 0;
    const cJSON *loc = res_find(c->d, c->api, def, c->seg[1]);
    if (!loc || !location_in_use(c, loc))
        return 0;
    jsonapi_errors e;
    jsonapi_errors_init(&e);
    jsonapi_error_add(&e, NULL, "Cannot delete record because dependent devices exist");
    c->api->doc->invalid(c->res, &e);
    return 1;
}

/* A singleton row (account, user) holds one record: a fixture's second
 * would never be answered. */
static int only_one(store_data *d, const char *row, char *msg, size_t msglen)
{
    if (cJSON_GetArraySize(rl_list(d, row)) <= 1)
        return 0;
    snprintf(msg, msglen, "a fixture has one %s", row);
    return -1;
}

int rl_account_load(store_data *d, cJSON *rec, char *msg, size_t msglen)
{
    (void)rec;
    return only_one(d, "account", msg, msglen);
}

/* The user's account links name the account of the fixture. */
int rl_user_load(store_data *d, cJSON *rec, char *msg, size_t msglen)
{
    const cJSON *accounts = rl_list(d, "account");
    const char *id = accounts && accounts->child ? rec_id(accounts->child) : NULL;
    if (only_one(d, "user", msg, msglen))
        return -1;
    if (rec_set_str(rec, "primary_account_id", id) || rec_set_str(rec, "default_account_id", id)) {
        snprintf(msg, msglen, "out of memory");
        return -1;
    }
    return 0;
}
