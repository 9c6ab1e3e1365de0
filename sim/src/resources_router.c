/* Entry point of the resource side: splits the path and dispatches to the
 * collection handlers. A known path with an unsupported method answers 404
 * like the cloud's router does for unmatched routes (it has no 405), so
 * clients see what production would show them. */
#include <string.h>
#include "jsonapi.h"
#include "resources.h"

static const struct {
    const char *name;
    int (*route)(res_ctx *c);
} routes[] = {
    {"access_persons", persons_route},
    {"devices", devices_route},
    {"locations", locations_route},
    {"events", events_route},
    {"notifications", notifications_route},
    {"notification_subscribers", subscribers_route},
};

int res_method(const res_ctx *c, const char *m)
{
    const char *got = c->req->method;
    if (!got)
        return 0;
    if (strcmp(m, "PUT") == 0 && strcmp(got, "PATCH") == 0)
        return 1;
    return strcmp(got, m) == 0;
}

void res_method_not_allowed(res_ctx *c)
{
    jsonapi_respond_not_found(c->res);
}

int res_body_attrs(res_ctx *c, const cJSON **out)
{
    const cJSON *body = c->req->body;
    *out = NULL;
    if (!cJSON_IsObject(body)) {
        jsonapi_respond_bad_request(c->res, "The request body must be a JSON object");
        return -1;
    }
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(body, "attributes");
    if (attrs && !cJSON_IsObject(attrs)) {
        jsonapi_respond_bad_request(c->res, "\"attributes\" must be a JSON object");
        return -1;
    }
    *out = attrs;
    return 0;
}

void res_now(const res_ctx *c, char out[TZ_UTC_LEN])
{
    tz_format_utc(c->req->now, out);
}

cJSON *res_commit_update(res_ctx *c, cJSON *list, cJSON *orig, cJSON *work, int failed,
                         jsonapi_errors *e)
{
    char now[TZ_UTC_LEN];
    if (!failed && e->count > 0) {
        cJSON_Delete(work);
        jsonapi_respond_errors(c->res, e);
        return NULL;
    }
    jsonapi_errors_free(e);
    res_now(c, now);
    if (failed || !work || rec_set_str(work, "updated_at", now) ||
        !cJSON_ReplaceItemViaPointer(list, orig, work)) {
        cJSON_Delete(work);
        jsonapi_respond_internal(c->res);
        return NULL;
    }
    return work;
}

/* Splits path into c->seg; empty segments (doubled or trailing slashes)
 * are skipped. -1 when the path has too many segments or is too long. */
static int split_path(res_ctx *c, const char *path)
{
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
    return 0;
}

/* First path segment, for recognising over-long paths. */
static int first_segment_is(const char *path, const char *name)
{
    while (*path == '/')
        path++;
    size_t n = strlen(name);
    return strncmp(path, name, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

int sim_resources_handle(sim_store *store, const sim_request *req, sim_response *res)
{
    if (!res)
        return 0;
    res->status = 0;
    res->body = NULL;
    if (!store || !req || !req->path || !req->method || (req->nquery && !req->query))
        return 0;
    for (size_t i = 0; i < req->nquery; i++)
        if (!req->query[i].key)
            return 0;
    res_ctx c;
    memset(&c, 0, sizeof c);
    c.d = &store->d;
    c.req = req;
    c.res = res;
    c.base = req->base_url ? req->base_url : "";
    size_t nroutes = sizeof routes / sizeof routes[0];
    if (split_path(&c, req->path) != 0) {
        /* Too long or deep for any route: still ours if the collection is. */
        for (size_t i = 0; i < nroutes; i++) {
            if (first_segment_is(req->path, routes[i].name)) {
                jsonapi_respond_not_found(res);
                return 1;
            }
        }
        return 0;
    }
    if (c.nseg == 0)
        return 0;
    for (size_t i = 0; i < nroutes; i++)
        if (strcmp(c.seg[0], routes[i].name) == 0)
            return routes[i].route(&c);
    return 0;
}
