/* Entry point of the resource side: routes a path through the API table.
 *   /<row>                      list (GET), create (POST)
 *   /<row>/:id                  get (GET), update (PUT/PATCH), delete (DELETE)
 *   /<row>/<action>             a collection action of the row
 *   /<row>/:id/<action>[/:arg]  an action of the row
 *   /<row>/:id/<child>[/:id]    a row nested under <row> (or a view)
 * Row and action names may span segments ("acs/doors", "email/notify").
 * Rows and actions of another flavour than the request's (sim_flavour:
 * current or LockState v1) are no route. A known path with a method its
 * row does not take answers 404, as the cloud's router does (it has no
 * 405). Any other shape is not a route. */
#include <stdlib.h>
#include <string.h>
#include "engine.h"
#include "form.h"

/* True when the request method is m ("PUT" also matches PATCH). */
static int method_is(const res_ctx *c, const char *m)
{
    const char *got = c->req->method;
    if (strcmp(m, "PUT") == 0 && strcmp(got, "PATCH") == 0)
        return 1;
    return strcmp(got, m) == 0;
}

/* Splits the path into c->seg; empty segments (doubled or trailing
 * slashes) are skipped. The path as sent is split first and each segment
 * decoded on its own, so "/access_persons/P%2Faccesses" names the person
 * "P/accesses" (404), never the grants of P. -1 when the path has too many
 * segments, is too long or has a bad escape. */
static int split_path(res_ctx *c)
{
    const char *path = c->req->raw_path ? c->req->raw_path : c->req->path;
    size_t len = strlen(path);
    if (len >= sizeof c->segbuf)
        return -1;
    memcpy(c->segbuf, path, len + 1);
    c->nseg = 0;
    for (char *p = c->segbuf; *p;) {
        while (*p == '/')
            *p++ = '\0';
        if (!*p)
            break;
        if (c->nseg == RES_MAX_SEGS)
            return -1;
        c->seg[c->nseg++] = p;
        while (*p && *p != '/')
            p++;
    }
    for (size_t i = 0; c->req->raw_path && i < c->nseg; i++) {
        char *seg = (char *)c->seg[i], *plain = sim_url_decode(seg, strlen(seg), 0);
        if (!plain)
            return -1;
        strcpy(seg, plain); /* decoding never lengthens */
        free(plain);
    }
    return 0;
}

static int in_flavour(const res_ctx *c, unsigned flavours)
{
    return !flavours || (flavours & RES_FLAVOUR(c->req->flavour));
}

/* How many segments from seg[at] the name spells ("acs/doors": 2), or 0. */
static size_t spells(const res_ctx *c, size_t at, const char *name)
{
    size_t n = 0;
    for (const char *p = name; at + n < c->nseg; n++) {
        size_t len = strcspn(p, "/");
        if (strlen(c->seg[at + n]) != len || strncmp(c->seg[at + n], p, len) != 0)
            return 0;
        if (!p[len])
            return n + 1;
        p += len + 1;
    }
    return 0;
}

/* The top row the path starts with; *nseg: the segments its name takes. */
static const res_def *top_row(const res_ctx *c, size_t *nseg)
{
    for (size_t i = 0; i < c->api->ndefs; i++) {
        const res_def *d = &c->api->defs[i];
        size_t n = d->parent || !in_flavour(c, d->flavours) ? 0 : spells(c, 0, d->name);
        if (n) {
            *nseg = n;
            return d;
        }
    }
    return NULL;
}

/* 1 when a top row of the request's flavour starts with this segment. */
static int first_segment_is_row(const res_ctx *c, const char *seg, size_t len)
{
    for (size_t i = 0; i < c->api->ndefs; i++) {
        const res_def *d = &c->api->defs[i];
        if (!d->parent && in_flavour(c, d->flavours) && strcspn(d->name, "/") == len &&
            strncmp(d->name, seg, len) == 0)
            return 1;
    }
    return 0;
}

static const res_def *child_row(const res_ctx *c, const res_def *parent, const char *name)
{
    for (size_t i = 0; i < c->api->ndefs; i++) {
        const res_def *d = &c->api->defs[i];
        if (d->parent && strcmp(d->parent, parent->name) == 0 && strcmp(d->name, name) == 0 &&
            in_flavour(c, d->flavours))
            return d;
    }
    return NULL;
}

/* A view with types lists only its source's records of those types. */
static int of_view(const res_def *def, const cJSON *rec)
{
    if (!def->source || !def->types)
        return 1;
    for (const char *const *t = def->types; *t; t++)
        if (strcmp(*t, rec_type(rec)) == 0)
            return 1;
    return 0;
}

/* A record of a nested row belongs to its parent record. */
typedef struct owner {
    const res_def *def;
    const cJSON *parent;
} owner;

static int owned(res_ctx *c, const cJSON *rec, const void *arg)
{
    const owner *o = arg;
    (void)c;
    if (!of_view(o->def, rec))
        return 0;
    if (!o->parent)
        return 1;
    const char *pid = rec_str(rec, o->def->parent_attr);
    if (!pid || strcmp(pid, rec_id(o->parent)) != 0)
        return 0;
    const char *ptype = o->def->parent_type_attr ? rec_str(rec, o->def->parent_type_attr) : NULL;
    return !o->def->parent_type_attr || (ptype && strcmp(ptype, rec_type(o->parent)) == 0);
}

/* Collection or member of def (below parent when nested); seg[at] is the
 * row's segment. Returns 0 when the shape is not a route. */
static int collection_or_member(res_ctx *c, const res_def *def, const cJSON *parent, size_t at)
{
    cJSON *list = res_list(c->d, c->api, def);
    owner o = {def, parent};
    if (c->req->text_body) { /* only actions document non-JSON bodies */
        c->api->doc->bad_request(c->res, "Content-Type must be application/json");
        return 1;
    }
    if (c->nseg == at + 1) {
        if ((def->ops & OP_LIST) && method_is(c, "GET"))
            res_list_respond(c, def, list, parent || def->source ? owned : NULL, &o);
        else if ((def->ops & OP_CREATE) && method_is(c, "POST"))
            res_op_create(c, def, parent);
        else
            c->api->doc->not_found(c->res);
        return 1;
    }
    if (!(def->ops & (OP_GET | OP_UPDATE | OP_DELETE)))
        return 0;
    int get = (def->ops & OP_GET) && method_is(c, "GET");
    int put = (def->ops & OP_UPDATE) && method_is(c, "PUT");
    int del = (def->ops & OP_DELETE) && method_is(c, "DELETE");
    cJSON *rec = res_find(c->d, c->api, def, c->seg[at + 1]);
    if (!(get || put || del) || !rec || !owned(c, rec, &o))
        c->api->doc->not_found(c->res);
    else if (get)
        res_respond(c, def, 200, rec);
    else if (put)
        res_op_update(c, def, rec);
    else
        res_op_delete(c, def, rec);
    return 1;
}

/* The action of top named from seg[at] (1: a collection action, 2: a
 * member's), in the request's flavour; *n: the segments of its name. */
static const res_action *find_action(const res_ctx *c, const res_def *top, size_t at,
                                     size_t *n)
{
    for (const res_action *a = top->actions; a && a->name; a++) {
        if (!a->collection != (at == 2) || !in_flavour(c, a->flavours))
            continue;
        size_t k = spells(c, at, a->name);
        if (k && c->nseg <= at + k + (a->takes_arg != 0)) {
            *n = k;
            return a;
        }
    }
    return NULL;
}

/* /<row> of a singleton: its one record (GET, PUT), else 404. */
static int singleton(res_ctx *c, const res_def *top)
{
    cJSON *list = res_list(c->d, c->api, top);
    cJSON *rec = list ? list->child : NULL;
    if (c->nseg != 1)
        return 0;
    if (rec && (top->ops & OP_GET) && method_is(c, "GET"))
        res_respond(c, top, 200, rec);
    else if (rec && (top->ops & OP_UPDATE) && method_is(c, "PUT"))
        res_op_update(c, top, rec);
    else
        c->api->doc->not_found(c->res);
    return 1;
}

static int route(res_ctx *c, const res_def *top)
{
    if (top->hooks.route && top->hooks.route(c, top))
        return 1;
    if (top->singleton)
        return singleton(c, top);
    size_t n = 0;
    cJSON *rec = NULL;
    const res_action *a = c->nseg >= 2 ? find_action(c, top, 1, &n) : NULL;
    if (!a && c->nseg <= 2)
        return collection_or_member(c, top, NULL, 0);
    if (!a) {
        rec = res_find(c->d, c->api, top, c->seg[1]);
        if (rec && !of_view(top, rec))
            rec = NULL;
        a = find_action(c, top, 2, &n);
    }
    if (a) {
        size_t at = a->collection ? 1 : 2;
        if (!method_is(c, a->method) || (!a->collection && !rec))
            c->api->doc->not_found(c->res);
        else if (c->req->text_body && !a->takes_text)
            c->api->doc->bad_request(c->res, "Content-Type must be application/json");
        else
            a->run(c, rec, c->nseg == at + n + 1 ? c->seg[at + n] : NULL);
        return 1;
    }
    const res_def *child = child_row(c, top, c->seg[2]);
    if (!child || c->nseg > 4)
        return 0;
    if (!rec) {
        /* Still a route: answer 404 as for a known path. */
        if (c->nseg == 4 && !(child->ops & (OP_GET | OP_UPDATE | OP_DELETE)))
            return 0;
        c->api->doc->not_found(c->res);
        return 1;
    }
    return collection_or_member(c, child, rec, 2);
}

int sim_resources_handle(sim_store *store, const sim_request *req, sim_response *res)
{
    if (!res)
        return 0;
    res->status = 0;
    res->body = NULL;
    res->content_type = NULL;
    if (!store || !req || !req->path || !req->method || (req->nquery && !req->query))
        return 0;
    for (size_t i = 0; i < req->nquery; i++)
        if (!req->query[i].key)
            return 0;
    res_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return 0;
    c->d = &store->d;
    c->api = store->api;
    c->req = req;
    c->res = res;
    c->base = req->base_url ? req->base_url : "";
    /* Anything but GET may change records: memos derived from them expire. */
    c->d->writing = strcmp(req->method, "GET") != 0;
    if (c->d->writing)
        c->d->gen++;
    int rc = 0;
    if (split_path(c) != 0) {
        /* Too long or deep for any route: still ours if the collection is. */
        const char *p = req->path + strspn(req->path, "/");
        if (first_segment_is_row(c, p, strcspn(p, "/"))) {
            c->api->doc->not_found(res);
            rc = 1;
        }
    } else if (c->nseg > 0) {
        size_t skip = 0;
        const res_def *top = top_row(c, &skip);
        if (top) {
            /* A name of several segments ("acs/doors") reads as one. */
            memmove(&c->seg[1], &c->seg[skip], (c->nseg - skip) * sizeof c->seg[0]);
            c->nseg -= skip - 1;
            rc = route(c, top);
        }
    }
    c->d->writing = 0;
    free(c);
    return rc;
}
