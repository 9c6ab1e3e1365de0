/* The resource engine's reading side: rows of the table, references
 * (their targets, link paths and derived types) and rendering (stored and
 * computed attributes, links, meta) through the surface's documents. */
#include <string.h>
#include "engine.h"
#include "resources_schema.h"

const res_def *res_def_find(const res_api *api, const char *name)
{
    for (size_t i = 0; name && i < api->ndefs; i++)
        if (strcmp(api->defs[i].name, name) == 0)
            return &api->defs[i];
    return NULL;
}

cJSON *res_list(const store_data *d, const res_api *api, const res_def *def)
{
    if (def && def->source)
        def = res_def_find(api, def->source);
    if (!def)
        return NULL;
    size_t i = (size_t)(def - api->defs);
    return i < d->nlists ? d->lists[i] : NULL;
}

const res_def *res_def_of_type(const res_api *api, const char *type)
{
    for (size_t i = 0; type && i < api->ndefs; i++)
        for (const char *const *t = api->defs[i].types; t && *t && !api->defs[i].source; t++)
            if (strcmp(*t, type) == 0)
                return &api->defs[i];
    return NULL;
}

void res_now(const res_ctx *c, char out[TZ_UTC_LEN])
{
    tz_format_utc(c->req->now, out);
}

static const type_spec *spec_of(const cJSON *rec)
{
    return schema_find(rec_type(rec));
}

unsigned res_attr_flags(const cJSON *rec, const char *key)
{
    const attr_spec *a = schema_attr(spec_of(rec), key);
    return a ? a->flags : 0;
}

/* ---- references ------------------------------------------------------ */

const res_poly *res_poly_find(const res_poly *p, const char *type)
{
    for (; p && p->type && type; p++)
        if (strcmp(p->type, type) == 0)
            return p;
    return NULL;
}

cJSON *res_find(store_data *d, const res_api *api, const res_def *def, const char *id)
{
    if (def && def->source)
        def = res_def_find(api, def->source);
    return def ? store_find_row(d, (size_t)(def - api->defs), id) : NULL;
}

const cJSON *res_ref_target(store_data *d, const res_api *api, const res_ref *ref,
                            const cJSON *rec)
{
    const char *id = rec_str(rec, ref->attr);
    if (!id)
        return NULL;
    if (ref->target)
        return res_find(d, api, res_def_find(api, ref->target), id);
    const char *type = ref->type_attr ? rec_str(rec, ref->type_attr) : NULL;
    const res_poly *p = res_poly_find(ref->poly, type);
    if (!p || !p->resource)
        return NULL;
    const cJSON *t = res_find(d, api, res_def_find(api, p->resource), id);
    const char *tt = rec_type(t);
    return tt && strcmp(tt, type) == 0 ? t : NULL;
}

res_ref_fault res_ref_check(store_data *d, const res_api *api, const res_ref *ref,
                            const cJSON *rec)
{
    if (!rec_str(rec, ref->attr))
        return RES_REF_OK;
    if (ref->poly) {
        const char *type = rec_str(rec, ref->type_attr);
        const res_poly *p = res_poly_find(ref->poly, type);
        if (!p)
            return type ? RES_REF_BAD_TYPE : RES_REF_NO_TYPE;
        if (!p->resource) /* not modelled: the id passes through */
            return RES_REF_OK;
    } else if (!(ref->flags & REF_CHECK)) {
        return RES_REF_OK;
    }
    return res_ref_target(d, api, ref, rec) ? RES_REF_OK : RES_REF_MISSING;
}

/* Link collection of what ref points at in rec, or NULL. */
static const char *ref_path(const res_api *api, const res_ref *ref, const cJSON *rec)
{
    if (ref->target)
        return ref->target;
    if (!ref->poly)
        return ref->path;
    const res_poly *p =
        res_poly_find(ref->poly, ref->type_attr ? rec_str(rec, ref->type_attr) : NULL);
    if (!p)
        p = res_poly_find(api->types, rec_str(rec, ref->type_attr));
    return p ? (p->resource ? p->resource : p->path) : NULL;
}

/* Stores the target's type in fixed references' derived type attributes. */
int res_fill_derived(store_data *d, const res_api *api, const res_def *def, cJSON *rec)
{
    int rc = 0;
    for (const res_ref *ref = def->refs; ref && ref->attr; ref++) {
        if (!ref->target || !ref->type_attr ||
            !(res_attr_flags(rec, ref->type_attr) & ATTR_DERIVED))
            continue;
        const cJSON *t = res_ref_target(d, api, ref, rec);
        rc |= rec_set_str(rec, ref->type_attr, t ? rec_type(t) : NULL);
    }
    return rc;
}

/* ---- rendering ------------------------------------------------------- */

cJSON *res_computed(res_ctx *c, const res_def *def, const cJSON *rec)
{
    cJSON *computed = cJSON_CreateObject();
    int rc = computed ? 0 : -1;
    for (const res_ref *ref = def->refs; !rc && ref && ref->attr; ref++) {
        const cJSON *target = NULL;
        int name = ref->name_attr && (res_attr_flags(rec, ref->name_attr) & ATTR_RENDER);
        int type = ref->target && ref->type_attr &&
                   (res_attr_flags(rec, ref->type_attr) & ATTR_RENDER);
        if (name || type)
            target = res_ref_target(c->d, c->api, ref, rec);
        if (name)
            rc |= jsonapi_add_str(computed, ref->name_attr, rec_str(target, "name"));
        if (type)
            rc |= jsonapi_add_str(computed, ref->type_attr, rec_type(target));
    }
    if (!rc && def->hooks.compute)
        rc = def->hooks.compute(c, rec, computed);
    if (rc) {
        cJSON_Delete(computed);
        return NULL;
    }
    return computed;
}

/* The v1 view rec is shown through, or NULL: a current request, or a type
 * v1 documents nowhere (shown as in the current API). */
static const v1_view *v1_view_of(const res_ctx *c, const cJSON *rec)
{
    return c->req->flavour == SIM_FLAVOUR_V1 ? schema_v1_find(rec_type(rec)) : NULL;
}

static cJSON *render_attrs(res_ctx *c, const res_def *def, const cJSON *rec, int single,
                           const v1_view *v1)
{
    const type_spec *t = spec_of(rec);
    cJSON *computed = t ? res_computed(c, def, rec) : NULL;
    cJSON *attrs = !computed ? NULL
                   : v1      ? schema_render_v1(t, v1, rec_attrs(rec), computed, single)
                             : schema_render(t, rec_attrs(rec), computed, single);
    cJSON_Delete(computed);
    return attrs;
}

/* 1 when ref links for records of rec's type (res_ref.link_types). */
static int links_type(const res_ref *ref, const cJSON *rec)
{
    for (const char *const *t = ref->link_types; t && *t; t++)
        if (strcmp(*t, rec_type(rec)) == 0)
            return 1;
    return !ref->link_types;
}

/* Where a v1 request sees records of type linked ("acs/doors"), or NULL:
 * where the current API links them. */
static const char *v1_collection(const res_ctx *c, const char *type)
{
    const v1_view *v = c->req->flavour == SIM_FLAVOUR_V1 ? schema_v1_find(type) : NULL;
    return v ? v->collection : NULL;
}

static int render_links(res_ctx *c, const res_def *def, const cJSON *rec, const v1_view *v1,
                        cJSON *links)
{
    int rc;
    const res_def *parent = res_def_find(c->api, def->parent);
    if (def->singleton)
        rc = jsonapi_link(links, "self", c->base, "/%s", def->name);
    else if (v1 && v1->collection)
        rc = jsonapi_link(links, "self", c->base, "/%s/%s", v1->collection, rec_id(rec));
    else if (parent && !def->source)
        rc = jsonapi_link(links, "self", c->base, "/%s/%s/%s/%s", parent->name,
                          rec_str(rec, def->parent_attr), def->name, rec_id(rec));
    else
        rc = jsonapi_link(links, "self", c->base, "/%s/%s", def->name, rec_id(rec));
    for (const res_ref *ref = def->refs; !rc && ref && ref->attr; ref++) {
        /* v1 links only what its attributes show (a lock has no auto-lock
         * schedule there). */
        if (!links_type(ref, rec) || (v1 && !schema_v1_shows(v1, ref->attr)))
            continue;
        const char *id = rec_str(rec, ref->attr), *path = ref_path(c->api, ref, rec);
        const char *v1_path = ref->type_attr ? v1_collection(c, rec_str(rec, ref->type_attr)) : NULL;
        const res_def *target = res_def_find(c->api, path);
        if (ref->link && id && path && target && target->singleton)
            rc |= jsonapi_link(links, ref->link, c->base, "/%s", path);
        else if (ref->link && id && path)
            rc |= jsonapi_link(links, ref->link, c->base, "/%s/%s", v1_path ? v1_path : path, id);
    }
    return rc;
}

/* meta with only the keys v1 shows (NULL when none is left). */
static cJSON *v1_meta(const v1_view *v1, cJSON *meta)
{
    for (cJSON *k = meta ? meta->child : NULL, *next; v1 && v1->meta && k; k = next) {
        next = k->next;
        size_t i = 0;
        while (v1->meta[i] && strcmp(v1->meta[i], k->string) != 0)
            i++;
        if (!v1->meta[i])
            cJSON_Delete(cJSON_DetachItemViaPointer(meta, k));
    }
    if (meta && !meta->child) {
        cJSON_Delete(meta);
        return NULL;
    }
    return meta;
}

cJSON *res_render(res_ctx *c, const res_def *def, const cJSON *rec, int single)
{
    if (def->source)
        def = res_def_find(c->api, def->source);
    const v1_view *v1 = v1_view_of(c, rec);
    cJSON *attrs = render_attrs(c, def, rec, single, v1);
    cJSON *links = cJSON_CreateObject();
    cJSON *meta = def->hooks.meta ? def->hooks.meta(c, rec) : NULL;
    if (!attrs || !links || render_links(c, def, rec, v1, links) ||
        (def->hooks.meta && !meta)) {
        cJSON_Delete(attrs);
        cJSON_Delete(links);
        cJSON_Delete(meta);
        return NULL;
    }
    return c->api->doc->resource(rec_type(rec), rec_id(rec), attrs, links, v1_meta(v1, meta));
}

void res_respond(res_ctx *c, const res_def *def, int status, const cJSON *rec)
{
    c->api->doc->data(c->res, status, res_render(c, def, rec, 1));
}

