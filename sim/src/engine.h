/*
 * The resource engine: an API surface is a table of resources (res_api of
 * res_def rows); generic code does routing (collections, members, nested
 * collections, actions), list/get/create/update/delete, references (checks,
 * links, names and types of what they point at, cascades), fixture loading
 * and the store. Hooks hold only behaviour a table cannot say (PIN
 * uniqueness, guest status, lock/unlock, event recording).
 *
 * Adding a resource: its attribute schema (resources_schema.c: documented
 * order, defaults, input kinds), one res_def row in the surface's table
 * (remotelock.c), hooks only for real behaviour, fixture records and tests.
 */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "sim_resources.h"
#include "store_internal.h"
#include "tz.h"
#include "jsonapi.h"

#define RES_MAX_SEGS 6
#define RES_NOW_CACHE 8

typedef struct res_def res_def;
typedef struct res_api res_api;
typedef struct res_ctx res_ctx;

/* ---- references ----------------------------------------------------- */

/* One accepted type of a polymorphic reference and where it lives:
 * resource (a row name: the record must exist with this type) or, for
 * types the simulator does not model, only the link path (ids pass). */
typedef struct res_poly {
    const char *type;
    const char *resource;  /* e.g. "devices", NULL: not modelled   */
    const char *path;      /* link collection when not modelled    */
} res_poly;

enum {
    REF_CHECK   = 1 << 0, /* the target must exist (fixtures, input); deleting
                             it clears the reference (unless KEEP_NAME)     */
    REF_CASCADE = 1 << 1, /* deleting the target deletes this record          */
    REF_KEEP_NAME = 1 << 2, /* deleting the target copies its name to name_attr */
};

/* An attribute holding the id of another record. */
typedef struct res_ref {
    const char *attr;      /* "location_id"                                   */
    const char *target;    /* row name ("locations"); NULL: poly or unmodelled */
    const res_poly *poly;  /* NULL-type-ended; the type is in type_attr        */
    const char *type_attr; /* poly: the input type; fixed: the target's type
                              (stored when ATTR_DERIVED, rendered when
                              ATTR_RENDER)                                    */
    const char *name_attr; /* the target's name (rendered, or kept on delete) */
    const char *link;      /* links[link]; NULL: no link                       */
    const char *path;      /* link collection of an unmodelled target          */
    const char *error;     /* input error attribute when missing ("accessible") */
    unsigned flags;
    const char *const *link_types; /* NULL-ended record types whose links carry
                                      it; NULL: every type (the documents
                                      order a device's model and location
                                      links by device type)                 */
} res_ref;

/* ---- actions and hooks ---------------------------------------------- */

/* The flavours (sim_flavour) a row or an action answers, as a mask; 0:
 * every flavour. A route of another flavour is no route (404). */
#define RES_FLAVOUR(f) (1u << (f))
#define RES_CURRENT RES_FLAVOUR(SIM_FLAVOUR_CURRENT)
#define RES_V1 RES_FLAVOUR(SIM_FLAVOUR_V1)

/* PUT /<row>/:id/<name>[/:arg], or /<row>/<name> for a collection action.
 * name may span segments ("email/notify"). rec is the stored record (NULL
 * for a collection action); arg may be NULL. */
typedef struct res_action {
    const char *name;
    const char *method;
    int takes_arg;  /* 1: an optional trailing path segment */
    void (*run)(res_ctx *c, cJSON *rec, const char *arg);
    unsigned flavours;  /* RES_CURRENT, RES_V1; 0: both                   */
    int collection;     /* 1: /<row>/<name>, no record                     */
    int takes_text;     /* 1: takes a non-JSON body (sim_request.text_body) */
} res_action;

typedef struct res_hooks {
    /* Computed attributes (ATTR_RENDER) that are not reference names or
     * types, into computed. 0 / -1. */
    int (*compute)(res_ctx *c, const cJSON *rec, cJSON *computed);
    /* One computed string attribute without building JSON, for filters
     * that read it on every record (e.g. a person's status); NULL when
     * name is not such an attribute. */
    const char *(*computed_str)(res_ctx *c, const cJSON *rec, const char *name);
    /* The resource's "meta" (NULL: none). */
    cJSON *(*meta)(res_ctx *c, const cJSON *rec);
    /* Refuses an update before any input is read (adds to e). */
    void (*may_update)(res_ctx *c, const cJSON *rec, jsonapi_errors *e);
    /* Input beyond the schema's input kinds (e.g. generate_pin), after them.
     * -1 only when out of memory. */
    int (*apply)(res_ctx *c, cJSON *rec, const cJSON *attrs, jsonapi_errors *e);
    /* Whole-record rules after input (uniqueness, window order). */
    void (*validate)(res_ctx *c, const cJSON *rec, jsonapi_errors *e);
    /* Fixture record after the generic checks: derived values, extra
     * rules. 0, or -1 with msg. */
    int (*load)(store_data *d, cJSON *rec, char *msg, size_t msglen);
    /* Before a listing filters: builds what makes computing attributes
     * for every record cheap (kept as a store memo until records change). */
    void (*list_prepare)(res_ctx *c);
    /* Paths under the row that answer what the table cannot say (another
     * document shape, a CSV, a filter of its own), before the generic
     * routes: 1 when it answered, 0 to route generically. */
    int (*route)(res_ctx *c, const res_def *def);
} res_hooks;

/* ---- one resource --------------------------------------------------- */

enum { OP_LIST = 1, OP_GET = 2, OP_CREATE = 4, OP_UPDATE = 8, OP_DELETE = 16 };

struct res_def {
    const char *name;           /* path segment, fixture key                 */
    const char *const *types;   /* NULL-ended; create takes "type" when >1   */
    const char *default_type;   /* fixture records without "type"            */
    unsigned ops;
    const char *parent;         /* nested under /<parent>/:id/<name>          */
    const char *parent_attr;    /* attribute holding the parent id           */
    const char *parent_type_attr; /* ... and its type (records of any parent type) */
    const char *source;         /* a view: lists another row's records       */
    const res_ref *refs;        /* in link order; {NULL}-ended               */
    const res_action *actions;  /* {NULL}-ended                              */
    const char *const *sortable;
    const char *default_sort;
    const char *default_filter;  /* attribute filtered when not given...     */
    const char *const *default_values; /* ...to these values                */
    const char *const *flags;   /* top-level booleans besides attributes
                                   ("deactivated"), false by default          */
    res_hooks hooks;
    int singleton;              /* one record at /<name> (GET, PUT), linked
                                   without an id ("/account")                */
    unsigned flavours;          /* RES_CURRENT, RES_V1; 0: both (a view of
                                   one flavour: name may span segments,
                                   "acs/doors")                              */
};

/* The documents of one API surface: how a resource, a member, a page and
 * each error look (RemoteLock: JSON:API-style, jsonapi.c). Builders take
 * ownership of their cJSON arguments, also on failure. */
typedef struct res_doc {
    cJSON *(*resource)(const char *type, const char *id, cJSON *attrs, cJSON *links,
                       cJSON *meta);
    void (*data)(sim_response *res, int status, cJSON *data);
    void (*page)(sim_response *res, cJSON *data, long page, long per_page, size_t total);
    void (*not_found)(sim_response *res);
    void (*bad_request)(sim_response *res, const char *message);
    void (*internal)(sim_response *res);
    void (*invalid)(sim_response *res, jsonapi_errors *e); /* 422, releases e */
} res_doc;

/* The resource side of one API surface: its rows and its documents. */
struct res_api {
    const char *name;
    const res_def *defs;
    size_t ndefs;
    const res_poly *types;  /* every type a link may point at (poly targets) */
    const res_doc *doc;
};

/* RemoteLock's documents (jsonapi.c). */
extern const res_doc jsonapi_doc;

/* ---- request context ------------------------------------------------ */

struct res_ctx {
    store_data *d;
    const res_api *api;
    const sim_request *req;
    sim_response *res;
    const char *base;              /* req->base_url, never NULL */
    char segbuf[512];              /* path split in place        */
    const char *seg[RES_MAX_SEGS];
    size_t nseg;
    struct {
        char zone[TZ_NAME_MAX];
        char local[TZ_LOCAL_LEN];
        long long number;          /* local as YYYYMMDDHHMMSS */
    } now_cache[RES_NOW_CACHE];    /* wall-clock now per zone    */
    size_t n_now;
};

/* ---- engine services for hooks and surfaces ------------------------- */

const res_def *res_def_find(const res_api *api, const char *name);
/* The stored list of a row (a view's source list). */
cJSON *res_list(const store_data *d, const res_api *api, const res_def *def);
/* Row storing records of this type, or NULL. */
const res_def *res_def_of_type(const res_api *api, const char *type);

/* Rows, references and rendering (engine_render.c). */
/* The rendered resource object; single: a member answer (not a list). */
cJSON *res_render(res_ctx *c, const res_def *def, const cJSON *rec, int single);
/* Its computed attributes only (what filters and sorts read of them). */
cJSON *res_computed(res_ctx *c, const res_def *def, const cJSON *rec);
/* The schema flags of an attribute of rec's type (0: not in its schema). */
unsigned res_attr_flags(const cJSON *rec, const char *key);
/* The entry of type in a NULL-type-ended list, or NULL. */
const res_poly *res_poly_find(const res_poly *p, const char *type);
/* The record of a row with this id, or NULL (hash index while no request
 * writes). */
cJSON *res_find(store_data *d, const res_api *api, const res_def *def, const char *id);
/* The record ref of rec points at, when modelled and present. */
const cJSON *res_ref_target(store_data *d, const res_api *api, const res_ref *ref,
                            const cJSON *rec);
/* Why a reference does not hold. */
typedef enum res_ref_fault {
    RES_REF_OK,
    RES_REF_NO_TYPE,  /* polymorphic: an id but no type                  */
    RES_REF_BAD_TYPE, /* polymorphic: a type not in ref->poly            */
    RES_REF_MISSING,  /* checked: no record with that id (and type)      */
} res_ref_fault;
/* Whether ref of rec holds: the one rule for fixtures (engine_load.c) and
 * API input (engine_ops.c), so a store the API wrote always loads again
 * as a fixture. An unset reference holds (a required one is the schema's
 * concern); a polymorphic one needs a listed type and, when that type is
 * modelled, its target; a fixed one with REF_CHECK needs its target. */
res_ref_fault res_ref_check(store_data *d, const res_api *api, const res_ref *ref,
                            const cJSON *rec);
/* Sets the derived type attributes of fixed references. 0 / -1. */
int res_fill_derived(store_data *d, const res_api *api, const res_def *def, cJSON *rec);
/* Answers {data: rendered rec} with status. */
void res_respond(res_ctx *c, const res_def *def, int status, const cJSON *rec);
/* A fresh record of type at the clock, with an id. NULL on failure. */
cJSON *res_new_record(store_data *d, const char *type, time_t now);
void res_now(const res_ctx *c, char out[TZ_UTC_LEN]);

/* Collections (engine_list.c): filters, sorts and one page of the records
 * in list that pass keep (NULL: all), rendered by def. */
typedef int (*res_keep_fn)(res_ctx *c, const cJSON *rec, const void *arg);
void res_list_respond(res_ctx *c, const res_def *def, const cJSON *list, res_keep_fn keep,
                      const void *arg);
/* Operations (engine_ops.c). */
void res_op_create(res_ctx *c, const res_def *def, const cJSON *parent);
void res_op_update(res_ctx *c, const res_def *def, cJSON *rec);
void res_op_delete(res_ctx *c, const res_def *def, cJSON *rec);

/* Fixture loading (engine_load.c). */
int res_load_fixture(store_data *d, const res_api *api, const cJSON *fixture, char *err,
                     size_t errlen);

/* The RemoteLock table (remotelock.c). */
extern const res_api remotelock_api;

#endif
