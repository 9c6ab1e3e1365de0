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
    return res_read_only_route(c, c->d->locations, locations_render, &opts);
}
