/* /locations: list (default sort: name ascending, as documented) and show. */
#include "resources.h"
#include "resources_schema.h"

static const char *const sortable[] = {"created_at", "name", NULL};

cJSON *locations_render(res_ctx *c, const cJSON *loc)
{
    cJSON *attrs = schema_render(schema_find(rec_type(loc)), rec_attrs(loc), NULL, 1);
    cJSON *links = cJSON_CreateObject();
    if (!attrs || jsonapi_link(links, "self", c->base, "/locations/%s", rec_id(loc))) {
        cJSON_Delete(attrs);
        cJSON_Delete(links);
        return NULL;
    }
    return jsonapi_resource(rec_type(loc), rec_id(loc), attrs, links, NULL);
}

int locations_route(res_ctx *c)
{
    static const coll_opts opts = {sortable, "name", NULL, NULL};
    if (c->nseg > 2)
        return 0;
    if (!res_method(c, "GET")) {
        res_method_not_allowed(c);
        return 1;
    }
    if (c->nseg == 2) {
        const cJSON *loc = store_find(c->d->locations, c->seg[1]);
        if (loc)
            jsonapi_respond_data(c->res, 200, locations_render(c, loc));
        else
            jsonapi_respond_not_found(c->res);
        return 1;
    }
    cJSON *items = cJSON_CreateArray();
    const cJSON *loc;
    cJSON_ArrayForEach(loc, c->d->locations) {
        if (jsonapi_append(items, locations_render(c, loc))) {
            cJSON_Delete(items);
            jsonapi_respond_internal(c->res);
            return 1;
        }
    }
    collection_respond(c, items, &opts);
    return 1;
}
