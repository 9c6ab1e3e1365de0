/* Door groups beyond the table: one walk over a group's members (groups
 * inside it followed) for what a grant reaches, its zone and cycles; a
 * member added twice is a duplicate resource (409, "POST Duplicate
 * resource" of the status code table); the group's routes beyond the
 * table (the accesses CSV: remotelock_group_csv.c). */
#include <stdio.h>
#include <string.h>
#include "remotelock.h"

/* The attribute of a member record of type ("door_group_item": current
 * API, "door_group_door": LockState v1) for what ("id", "type"):
 * "item_id", "door_type", ... */
static const char *member_attr(const char *type, const char *what, char *out, size_t n)
{
    snprintf(out, n, "%s_%s", strcmp(type, "door_group_door") == 0 ? "door" : "item", what);
    return out;
}

/* The member rows of a group: current items, then v1 doors. */
static const char *const member_rows[] = {"items", "doors"};

/* Calls visit on each member of group gid, depth first through groups
 * inside it (each group once: a walk never loops, whatever the store
 * holds) until visit answers non-zero, which the walk returns. */
typedef int (*member_fn)(const store_data *d, const char *type, const char *id, void *arg);

#define MAX_WALK 64 /* groups one walk enters */

typedef struct walk {
    const char *seen[MAX_WALK];
    size_t nseen;
} walk;

static int walk_group(const store_data *d, walk *w, const char *gid, member_fn visit, void *arg)
{
    for (size_t i = 0; i < w->nseen; i++)
        if (strcmp(w->seen[i], gid) == 0)
            return 0;
    if (w->nseen == MAX_WALK)
        return 0;
    w->seen[w->nseen++] = gid;
    for (size_t r = 0; r < sizeof member_rows / sizeof member_rows[0]; r++) {
        const cJSON *m;
        cJSON_ArrayForEach(m, rl_list(d, member_rows[r])) {
            char id_key[16], type_key[16];
            const char *g = rec_str(m, "door_group_id");
            const char *id = rec_str(m, member_attr(rec_type(m), "id", id_key, sizeof id_key));
            const char *type =
                rec_str(m, member_attr(rec_type(m), "type", type_key, sizeof type_key));
            if (!g || !id || !type || strcmp(g, gid) != 0)
                continue;
            int rc = visit(d, type, id, arg);
            if (!rc && strcmp(type, "door_group") == 0)
                rc = walk_group(d, w, id, visit, arg);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int is_group(const store_data *d, const char *type, const char *id, void *arg)
{
    (void)d;
    return strcmp(type, "door_group") == 0 && strcmp(id, (const char *)arg) == 0;
}

/* A group never holds itself, directly or through groups inside it. */
void rl_group_member_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e)
{
    char id_key[16], type_key[16];
    const char *id = rec_str(rec, member_attr(rec_type(rec), "id", id_key, sizeof id_key));
    const char *type = rec_str(rec, member_attr(rec_type(rec), "type", type_key, sizeof type_key));
    const char *group = rec_str(rec, "door_group_id");
    walk w = {.nseen = 0};
    if (!id || !type || !group || strcmp(type, "door_group") != 0)
        return;
    if (strcmp(id, group) == 0 || walk_group(c->d, &w, id, is_group, (void *)group))
        jsonapi_error_add(e, strcmp(rec_type(rec), "door_group_door") == 0 ? "door" : "item",
                          "can't hold the door group itself");
}

static int is_device(const store_data *d, const char *type, const char *id, void *arg)
{
    const cJSON *dev = arg;
    (void)d;
    return strcmp(type, rec_type(dev)) == 0 && strcmp(id, rec_id(dev)) == 0;
}

int rl_group_holds(const store_data *d, const char *group_id, const cJSON *dev)
{
    walk w = {.nseen = 0};
    return group_id && walk_group(d, &w, group_id, is_device, (void *)dev);
}

/* The zone of the first member device (in member order, groups inside
 * followed) that has a location. */
static int zone_of(const store_data *d, const char *type, const char *id, void *arg)
{
    const cJSON *dev = strcmp(type, "door_group") == 0 ? NULL : store_find(rl_list(d, "devices"), id);
    const char *zone = dev ? rl_location_zone(d, rec_str(dev, "location_id")) : NULL;
    *(const char **)arg = zone;
    return zone != NULL;
}

const char *rl_group_zone(const store_data *d, const cJSON *group)
{
    const char *zone = NULL;
    walk w = {.nseen = 0};
    walk_group(d, &w, rec_id(group), zone_of, &zone);
    return zone;
}

/* POST /groups/:id/<items|doors> of a member the group already holds. */
static int duplicate_member(res_ctx *c, const cJSON *group, const res_def *member)
{
    char id_key[16], type_key[16];
    const char *mtype = member->default_type;
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(c->req->body, "attributes");
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
        attrs, member_attr(mtype, "id", id_key, sizeof id_key)));
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
        attrs, member_attr(mtype, "type", type_key, sizeof type_key)));
    const cJSON *rec;
    if (!id || !type)
        return 0;
    cJSON_ArrayForEach(rec, res_list(c->d, c->api, member)) {
        const char *g = rec_str(rec, "door_group_id"), *i = rec_str(rec, id_key);
        const char *t = rec_str(rec, type_key);
        if (g && i && t && strcmp(g, rec_id(group)) == 0 && strcmp(i, id) == 0 &&
            strcmp(t, type) == 0)
            return 1;
    }
    return 0;
}

int rl_group_route(res_ctx *c, const res_def *def)
{
    if (c->nseg < 3)
        return 0;
    const cJSON *group = res_find(c->d, c->api, def, c->seg[1]);
    if (c->nseg == 4 && strcmp(c->seg[2], "door_group_accesses") == 0 &&
        strcmp(c->seg[3], "search.csv") == 0) {
        if (group && strcmp(c->req->method, "GET") == 0)
            rl_group_accesses_csv(c, group);
        else
            c->api->doc->not_found(c->res);
        return 1;
    }
    const res_def *member = res_def_find(c->api, c->seg[2]);
    if (c->nseg != 3 || !group || !member || !member->parent || !member->default_type ||
        strcmp(member->parent, def->name) != 0 || strcmp(c->req->method, "POST") != 0 ||
        (member->flavours && !(member->flavours & RES_FLAVOUR(c->req->flavour))) ||
        !duplicate_member(c, group, member))
        return 0;
    jsonapi_respond_general(c->res, 409, "Duplicate resource", "duplicate_resource");
    return 1;
}
