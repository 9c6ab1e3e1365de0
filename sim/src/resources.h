/*
 * Private interface of the resource handlers (resources_*.c): the request
 * context, the route handlers and the helpers they share.
 */
#ifndef SIM_RESOURCES_PRIV_H
#define SIM_RESOURCES_PRIV_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "sim_resources.h"
#include "store_internal.h"
#include "tz.h"
#include "jsonapi.h"

#define RES_MAX_SEGS 6
#define RES_NOW_CACHE 8

typedef struct res_ctx {
    store_data *d;
    const sim_request *req;
    sim_response *res;
    const char *base;              /* req->base_url, never NULL */
    char segbuf[512];              /* path split in place        */
    const char *seg[RES_MAX_SEGS];
    size_t nseg;
    /* Wall-clock "now" per zone, computed once per request. */
    struct {
        char zone[TZ_NAME_MAX];
        char local[TZ_LOCAL_LEN];
    } now_cache[RES_NOW_CACHE];
    size_t n_now;
    /* Optional index person id -> zone of the first grant, built by
     * res_zone_index_build for listings (NULL: scan the accesses). Points
     * into the store, so it lives only while nothing is modified. */
    struct res_zone_entry *zones;
    size_t nzones;
} res_ctx;

/* Route handlers: return 1 when the path belongs to them (response set). */
int persons_route(res_ctx *c);
int accesses_route(res_ctx *c);
int devices_route(res_ctx *c);
int locations_route(res_ctx *c);
int events_route(res_ctx *c);
int notifications_route(res_ctx *c);
int subscribers_route(res_ctx *c);

/* Answer for a known path with an unsupported method. */
void res_method_not_allowed(res_ctx *c);
/* True when the request method is m ("PUT" also matches PATCH). */
int res_method(const res_ctx *c, const char *m);

/* The request body's "attributes" object in *out (NULL when absent).
 * Answers 400 and returns -1 when the body is not a JSON object or its
 * attributes are not an object. */
int res_body_attrs(res_ctx *c, const cJSON **out);
/* The simulator clock as "YYYY-MM-DDTHH:MM:SSZ". */
void res_now(const res_ctx *c, char out[TZ_UTC_LEN]);
/* Finishes an update made on work, a copy of orig (an item of list), so a
 * refused update changes nothing. failed: applying the input failed
 * internally. Validation errors in e answer 422; otherwise work gets
 * updated_at and replaces orig. Returns the stored record, or NULL when an
 * answer was already given (work is freed then). Frees e's contents. */
cJSON *res_commit_update(res_ctx *c, cJSON *list, cJSON *orig, cJSON *work, int failed,
                         jsonapi_errors *e);

/* Access person input (resources_person_input.c). person_apply copies the
 * permitted attributes of a create/update body onto rec (a working copy),
 * collecting type/format errors; person_validate checks the result as a
 * whole (required fields, window order, PIN uniqueness). -1 only when out
 * of memory. */
int person_apply(res_ctx *c, cJSON *rec, const cJSON *attrs, jsonapi_errors *e);
void person_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e);

/* Collections (resources_collection.c). items: rendered resources in store
 * order, consumed. Applies id/type/attributes filters, sort and pagination
 * from the query and answers 200, or 400 for bad parameters. */
typedef struct coll_opts {
    const char *const *sortable;  /* NULL-ended attribute names           */
    const char *default_sort;     /* e.g. "created_at", "-occurred_at"    */
    const char *default_attr;     /* attribute filtered when not given... */
    const char *const *default_values; /* ...to these values (NULL-ended) */
} coll_opts;
void collection_respond(res_ctx *c, cJSON *items, const coll_opts *o);

typedef cJSON *(*render_fn)(res_ctx *c, const cJSON *rec);
/* A read-only resource: GET /<name> (collection, options o) and
 * GET /<name>/:id, each record rendered by fn. Returns 0 for deeper paths. */
int res_read_only_route(res_ctx *c, const cJSON *list, render_fn fn, const coll_opts *o);

/* Status and time zones (resources_status.c). */
const char *res_location_zone(const store_data *d, const char *location_id);
const char *res_device_zone(const store_data *d, const cJSON *device);
const char *res_guest_zone(const res_ctx *c, const cJSON *person);
/* Builds / frees c->zones so that listing N guests costs O(N log N), not
 * O(N * accesses). Failure to build just leaves the slow path. */
void res_zone_index_build(res_ctx *c);
void res_zone_index_free(res_ctx *c);
/* "current", "upcoming", "expired" or "deactivated". */
const char *res_person_status(res_ctx *c, const cJSON *person);
int res_person_deactivated(const cJSON *person);

/* Renderers shared between handlers. NULL on allocation failure. */
cJSON *persons_render(res_ctx *c, const cJSON *person, int single);
cJSON *accesses_render(res_ctx *c, const cJSON *access);
cJSON *devices_render(res_ctx *c, const cJSON *device);
cJSON *locations_render(res_ctx *c, const cJSON *location);
cJSON *events_render(res_ctx *c, const cJSON *event);

/* Records a device event (and a notification for every active subscriber)
 * at the simulator clock. person may be NULL. 0 / -1. */
int events_record(store_data *d, const cJSON *device, const char *type,
                  const cJSON *person, time_t now);

/* Name of an accessible for access rendering, or NULL. */
const char *res_accessible_name(const store_data *d, const char *type, const char *id);
/* Link collection for an accessible type ("devices", "locations", "groups"). */
const char *res_accessible_path(const char *type);
/* 1 when type is a grantable accessible type. */
int res_accessible_type_valid(const char *type);
/* 1 when accessible_type is one the store models (ids must then exist). */
int res_accessible_modeled(const char *type);
/* The modeled accessible record, or NULL. */
cJSON *res_accessible_find(const store_data *d, const char *type, const char *id);

#endif
