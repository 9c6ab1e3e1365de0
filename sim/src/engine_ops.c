/* The resource engine's writing side: create, update and delete with the
 * input kinds of the schema, reference checks, the row's hooks, and
 * cascades. A refused write changes nothing (see res_op_create). */
#include <stdio.h>
#include <string.h>
#include "engine.h"
#include "resources_schema.h"

#define MAX_TEXT 255
#define MAX_REF 64
#define PIN_MIN 4
#define PIN_MAX 16

static const type_spec *spec_of(const cJSON *rec)
{
    return schema_find(rec_type(rec));
}

/* ---- input ----------------------------------------------------------- */

static int blank(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

static int valid_pin(const char *s)
{
    size_t n = strlen(s);
    if (n < PIN_MIN || n > PIN_MAX)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* One input value of kind for key: stored in rec, or an error in e.
 * -1 only when out of memory. */
static int apply_value(cJSON *rec, const char *key, unsigned kind, const cJSON *v,
                       jsonapi_errors *e)
{
    char buf[TZ_LOCAL_LEN];
    const char *s = cJSON_GetStringValue(v);
    if (kind == IN_LIST) {
        cJSON *list = schema_list(spec_of(rec), v);
        if (!list) {
            jsonapi_error_add(e, key, "is invalid");
            return 0;
        }
        return rec_set(rec, key, list);
    }
    if (kind == IN_BOOL) {
        if (!cJSON_IsBool(v)) {
            jsonapi_error_add(e, key, "is invalid");
            return 0;
        }
        return rec_set(rec, key, cJSON_CreateBool(cJSON_IsTrue(v)));
    }
    if (cJSON_IsNull(v))
        return rec_set(rec, key, cJSON_CreateNull());
    int ok = s != NULL;
    switch (kind) {
    case IN_TEXT:
        if (ok && strlen(s) > MAX_TEXT) {
            jsonapi_error_add(e, key, "is too long (maximum is 255 characters)");
            return 0;
        }
        break;
    case IN_PIN: ok = ok && valid_pin(s); break;
    case IN_LOCAL: ok = ok && tz_parse_local(s, buf) == 0, s = buf; break;
    case IN_CLOCK: ok = ok && tz_parse_clock(s, buf) == 0, s = buf; break;
    case IN_REF: ok = ok && s[0] && strlen(s) <= MAX_REF; break;
    default: break;
    }
    if (!ok) {
        jsonapi_error_add(e, key, "is invalid");
        return 0;
    }
    return rec_set_str(rec, key, s);
}

/* The input attributes of a body onto rec, then the row's own input. */
static int apply_input(res_ctx *c, const res_def *def, cJSON *rec, const cJSON *attrs,
                       int creating, jsonapi_errors *e)
{
    const type_spec *t = spec_of(rec);
    int rc = t ? 0 : -1;
    for (size_t i = 0; t && i < t->nattrs; i++) {
        const attr_spec *a = &t->attrs[i];
        unsigned kind = ATTR_IN_KIND(a->flags);
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, a->key);
        if (kind != IN_NONE && v && (creating || !(a->flags & ATTR_ONCE)))
            rc |= apply_value(rec, a->key, kind, v, e);
    }
    if (!rc && def->hooks.apply)
        rc = def->hooks.apply(c, rec, attrs, e);
    return rc ? -1 : 0;
}

/* Required attributes, references, then the row's own rules. */
static void validate(res_ctx *c, const res_def *def, const cJSON *rec, jsonapi_errors *e)
{
    const type_spec *t = spec_of(rec);
    for (size_t i = 0; t && i < t->nattrs; i++) {
        const attr_spec *a = &t->attrs[i];
        if (!(a->flags & ATTR_REQUIRED) || (a->flags & (ATTR_RENDER | ATTR_DERIVED)))
            continue;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec_attrs(rec), a->key);
        if (!v || cJSON_IsNull(v) || (cJSON_IsString(v) && blank(v->valuestring)) ||
            (cJSON_IsArray(v) && !v->child))
            jsonapi_error_add(e, a->key, "can't be blank");
    }
    /* The fixture loader's rule (res_ref_check), as 422 errors. */
    for (const res_ref *ref = def->refs; ref && ref->attr; ref++) {
        switch (res_ref_check(c->d, c->api, ref, rec)) {
        case RES_REF_OK:
            break;
        case RES_REF_NO_TYPE: /* a required type is already "can't be blank" */
            if (!(res_attr_flags(rec, ref->type_attr) & ATTR_REQUIRED))
                jsonapi_error_add(e, ref->type_attr, "can't be blank");
            break;
        case RES_REF_BAD_TYPE:
            jsonapi_error_add(e, ref->type_attr, "is not included in the list");
            break;
        case RES_REF_MISSING:
            jsonapi_error_add(e, ref->error ? ref->error : ref->attr, "must exist");
            break;
        }
    }
    if (def->hooks.validate)
        def->hooks.validate(c, rec, e);
}

/* The body's "attributes" object (NULL when absent); 400 and -1 when the
 * body or its attributes are not objects. */
static int body_attrs(res_ctx *c, const cJSON **out)
{
    const cJSON *body = c->req->body;
    *out = NULL;
    if (!cJSON_IsObject(body)) {
        c->api->doc->bad_request(c->res, "The request body must be a JSON object");
        return -1;
    }
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(body, "attributes");
    if (attrs && !cJSON_IsObject(attrs)) {
        c->api->doc->bad_request(c->res, "\"attributes\" must be a JSON object");
        return -1;
    }
    *out = attrs;
    return 0;
}

/* The type of a created record: the body's "type" when the row has several. */
static const char *create_type(const res_ctx *c, const res_def *def)
{
    if (!def->types || !def->types[0])
        return NULL;
    if (!def->types[1])
        return def->types[0];
    const char *want =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c->req->body, "type"));
    for (const char *const *t = def->types; want && *t; t++)
        if (strcmp(*t, want) == 0)
            return *t;
    return NULL;
}

cJSON *res_new_record(store_data *d, const char *type, time_t now)
{
    char ts[TZ_UTC_LEN], id[STORE_ID_LEN];
    const type_spec *t = schema_find(type);
    tz_format_utc(now, ts);
    if (!t || store_new_id(d, id))
        return NULL;
    cJSON *rec = store_record_new(id, type, schema_defaults(t));
    if (rec && (rec_set_str(rec, "created_at", ts) || rec_set_str(rec, "updated_at", ts))) {
        cJSON_Delete(rec);
        return NULL;
    }
    return rec;
}

void res_op_create(res_ctx *c, const res_def *def, const cJSON *parent)
{
    const cJSON *attrs;
    if (body_attrs(c, &attrs))
        return;
    jsonapi_errors e;
    jsonapi_errors_init(&e);
    const char *type = create_type(c, def);
    if (!type) {
        jsonapi_error_add(&e, "type", "is not included in the list");
        c->api->doc->invalid(c->res, &e);
        return;
    }
    char now[TZ_UTC_LEN], id[STORE_ID_LEN];
    res_now(c, now);
    /* The id is assigned only once the record is valid, and a refusal
     * rewinds the credential sequence a hook may have drawn from, so
     * refused requests leave both sequences alone. */
    unsigned long pin_mark = c->d->next_pin;
    cJSON *rec = store_record_new("", type, schema_defaults(schema_find(type)));
    int rc = rec ? 0 : -1;
    for (const char *const *f = def->flags; !rc && f && *f; f++)
        rc |= jsonapi_add(rec, *f, cJSON_CreateFalse());
    rc |= rec_set_str(rec, "created_at", now);
    rc |= rec_set_str(rec, "updated_at", now);
    if (parent && def->parent_attr)
        rc |= rec_set_str(rec, def->parent_attr, rec_id(parent));
    if (!rc)
        rc = apply_input(c, def, rec, attrs, 1, &e);
    if (!rc && e.count == 0)
        validate(c, def, rec, &e);
    if (!rc && e.count > 0) {
        cJSON_Delete(rec);
        c->d->next_pin = pin_mark;
        c->api->doc->invalid(c->res, &e);
        return;
    }
    jsonapi_errors_free(&e);
    if (rc || res_fill_derived(c->d, c->api, def, rec) || store_new_id(c->d, id) ||
        jsonapi_put(rec, "id", cJSON_CreateString(id)) ||
        !cJSON_AddItemToArray(res_list(c->d, c->api, def), rec)) {
        cJSON_Delete(rec);
        c->d->next_pin = pin_mark;
        c->api->doc->internal(c->res);
        return;
    }
    res_respond(c, def, 201, rec);
}

void res_op_update(res_ctx *c, const res_def *def, cJSON *rec)
{
    const cJSON *attrs;
    if (body_attrs(c, &attrs))
        return;
    jsonapi_errors e;
    jsonapi_errors_init(&e);
    if (def->hooks.may_update)
        def->hooks.may_update(c, rec, &e);
    if (e.count > 0) {
        c->api->doc->invalid(c->res, &e);
        return;
    }
    /* Work on a copy so a refused update changes nothing (nor the
     * credential sequence, as for create). */
    cJSON *work = cJSON_Duplicate(rec, 1);
    unsigned long pin_mark = c->d->next_pin;
    char now[TZ_UTC_LEN];
    res_now(c, now);
    int rc = work ? apply_input(c, def, work, attrs, 0, &e) : -1;
    if (!rc && e.count == 0)
        validate(c, def, work, &e);
    if (!rc && e.count > 0) {
        cJSON_Delete(work);
        c->d->next_pin = pin_mark;
        c->api->doc->invalid(c->res, &e);
        return;
    }
    jsonapi_errors_free(&e);
    if (rc || rec_set_str(work, "updated_at", now) ||
        !cJSON_ReplaceItemViaPointer(res_list(c->d, c->api, def), rec, work)) {
        cJSON_Delete(work);
        c->d->next_pin = pin_mark;
        c->api->doc->internal(c->res);
        return;
    }
    res_respond(c, def, 200, work);
}

/* 1 when ref of a record of other points at rec (of row def). */
static int points_at(const res_def *def, const res_ref *ref, const cJSON *other,
                     const cJSON *rec)
{
    const char *id = rec_str(other, ref->attr);
    if (!id || strcmp(id, rec_id(rec)) != 0)
        return 0;
    if (ref->target)
        return strcmp(ref->target, def->name) == 0;
    const res_poly *p =
        res_poly_find(ref->poly, ref->type_attr ? rec_str(other, ref->type_attr) : NULL);
    return p && p->resource && strcmp(p->resource, def->name) == 0;
}

void res_op_delete(res_ctx *c, const res_def *def, cJSON *rec)
{
    for (size_t i = 0; i < c->api->ndefs; i++) {
        const res_def *o = &c->api->defs[i];
        cJSON *list = o->source ? NULL : res_list(c->d, c->api, o);
        cJSON *it = list ? list->child : NULL;
        while (it) {
            cJSON *next = it->next;
            int drop = 0;
            for (const res_ref *ref = o->refs; ref && ref->attr; ref++) {
                if (!points_at(def, ref, it, rec))
                    continue;
                if (ref->flags & REF_CASCADE)
                    drop = 1;
                /* Documented for events: the name is kept once the
                 * associated resource is deleted. */
                if ((ref->flags & REF_KEEP_NAME) && ref->name_attr)
                    rec_set_str(it, ref->name_attr, rec_str(rec, "name"));
                /* Otherwise a checked reference never dangles (as a
                 * fixture's cannot): it is cleared, so the record keeps
                 * taking updates and links nothing missing. */
                else if (ref->flags & REF_CHECK)
                    rec_set_str(it, ref->attr, NULL);
            }
            if (drop)
                store_remove(list, it);
            it = next;
        }
    }
    store_remove(res_list(c->d, c->api, def), rec);
    c->res->status = 204;
    c->res->body = NULL;
}
