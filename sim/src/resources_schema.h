/*
 * Attribute schemas of the simulated resource types: the documented key
 * order, the default of every attribute, and which ones the store derives or
 * computes at read time. Records keep every stored attribute in this order,
 * so fixtures can stay compact while responses match the documentation.
 */
#ifndef SIM_RESOURCES_SCHEMA_H
#define SIM_RESOURCES_SCHEMA_H

#include <stddef.h>
#include <cjson/cJSON.h>

enum {
    ATTR_REQUIRED = 1 << 0, /* a fixture record must give a non-null value   */
    ATTR_DERIVED  = 1 << 1, /* stored, but set by the store, never from input */
    ATTR_RENDER   = 1 << 2, /* computed for each response, never stored       */
    ATTR_OPTIONAL = 1 << 3, /* left out of responses while null               */
    ATTR_SINGLE   = 1 << 4, /* only in single-resource responses              */
    ATTR_ONCE     = 1 << 5, /* input taken on create only                      */
    ATTR_HIDDEN   = 1 << 6, /* stored (fixtures, input) but never rendered: a
                               relation the documents do not show            */
};

/* Input kinds (bits 8..11 of flags, IN(kind)): which attributes a create
 * or update body may set, and how their values are checked. None: the
 * attribute is ignored in input, as the API ignores undocumented ones. */
enum {
    IN_NONE,
    IN_TEXT,  /* string of at most 255 bytes, or null                      */
    IN_BOOL,  /* true / false                                              */
    IN_PIN,   /* 4 to 16 digits, or null                                   */
    IN_LOCAL, /* local ISO 8601 time (stored "YYYY-MM-DDTHH:MM:SS"), or null */
    IN_CLOCK, /* "HH:MM[:SS]" (stored "HH:MM:SS"), or null                 */
    IN_REF,   /* an id: non-empty string of at most 64 bytes, or null      */
    IN_TYPE,  /* a type name, checked by the reference that uses it        */
    IN_LIST,  /* an array of objects of the type's element shape (below)   */
    /* Kinds of element fields only: */
    IN_DATE,   /* "YYYY-MM-DD"                                             */
    IN_HHMM,   /* "HH:MM"                                                  */
    IN_NUMBER, /* a JSON number                                            */
    IN_ENUM,   /* one of the field's strings                               */
};
#define IN(kind) ((unsigned)(kind) << 8)
#define ATTR_IN_KIND(flags) (((flags) >> 8) & 0xfu)

typedef struct attr_spec {
    const char *key;
    const char *dflt; /* JSON text of the default value */
    unsigned flags;
} attr_spec;

/* The timestamps of a resource, shared by every schema table. */
#define SCHEMA_CREATED_AT {"created_at", "\"2026-03-01T00:00:00Z\"", 0}
#define SCHEMA_UPDATED_AT {"updated_at", "\"2026-03-01T00:00:00Z\"", 0}

/* One field of a list element, e.g. {"start_time": "08:00"}. */
typedef struct elem_field {
    const char *key;
    unsigned kind;             /* IN_HHMM, IN_DATE, IN_BOOL, IN_NUMBER, IN_ENUM */
    const char *const *one_of; /* IN_ENUM: the accepted strings, NULL-ended */
} elem_field;
/* Or'ed into an elem_field's kind: the field may be left out (not stored). */
#define ELEM_OPTIONAL 0x100u

/* The objects of a type's IN_LIST attributes (schedule days, exception
 * dates): every field required unless optional, stored in this order; field `to` must not
 * come before field `from` (nor equal it when strict). */
typedef struct elem_shape {
    const elem_field *fields;
    size_t nfields;
    const char *from, *to;
    int strict;
} elem_shape;

typedef struct type_spec {
    const char *type;
    const attr_spec *attrs;
    size_t nattrs;
    const elem_shape *elems; /* shape of its IN_LIST attributes, or NULL */
} type_spec;

/* The schema tables besides resources_schema.c's own: the account, user,
 * hardware catalogues, groups, locations and notifications
 * (schema_account.c); devices of every type and the guests of igloo,
 * resort and ReadyPIN locks, mobile credentials (schema_devices.c). */
extern const type_spec schema_account_types[];
extern const size_t schema_account_ntypes;
extern const type_spec schema_devices_types[];
extern const size_t schema_devices_ntypes;
/* Device reports: battery level and connectivity events (schema_events.c). */
extern const type_spec schema_events_types[];
extern const size_t schema_events_ntypes;

/* Schema of a resource type ("lock", "access_guest", ...), or NULL. */
const type_spec *schema_find(const char *type);
/* The attribute key of t (NULL-safe), or NULL. */
const attr_spec *schema_attr(const type_spec *t, const char *key);

/* Builds the stored attributes of a record from a flat fixture object:
 * documented order, defaults filled in, derived ones set to their default
 * for the caller to fill. Keys "id", "type" and those in skip (NULL-ended,
 * may be NULL) are not attributes. Unknown, derived or mistyped keys and
 * missing required ones are errors. Returns the object, or NULL with err. */
cJSON *schema_expand(const type_spec *t, const cJSON *input, const char *const *skip,
                     char *err, size_t errlen);

/* A valid IN_LIST value of t, normalised (fields in shape order, nothing
 * else), or NULL when v is not one. */
cJSON *schema_list(const type_spec *t, const cJSON *v);

/* Every stored attribute at its default, in documented order (the start
 * of a resource created through the API). NULL on allocation failure. */
cJSON *schema_defaults(const type_spec *t);

/* The "attributes" object of a response: stored values in documented
 * order, computed ones taken from computed (missing means null). */
cJSON *schema_render(const type_spec *t, const cJSON *attrs, const cJSON *computed,
                     int single);

/* LockState v1's view of a resource type (schema_v1.c): the attributes
 * the 001 document shows for it, in its order and under its names, over
 * the same stored record. */
typedef struct v1_attr {
    const char *key;  /* v1's name                                        */
    const char *from; /* the schema attribute shown; NULL: key itself;
                         V1_UNHELD: a value the simulator does not hold
                         (always null)                                    */
} v1_attr;
#define V1_UNHELD ""

typedef struct v1_view {
    const char *type;
    const v1_attr *attrs;
    size_t nattrs;
    const char *const *meta; /* meta keys v1 shows (NULL-ended); NULL: all */
    const char *collection;  /* v1 links records of this type under it
                                ("acs/doors"); NULL: their row's           */
} v1_view;

/* Every type the 001 document shows (NULL-type-ended). */
extern const v1_view schema_v1_views[];
extern const size_t schema_v1_nviews;
/* The v1 view of type, or NULL when v1 documents no such type (v1 then
 * answers it in the current shape). */
const v1_view *schema_v1_find(const char *type);
/* 1 when v shows the schema attribute key (under any name). */
int schema_v1_shows(const v1_view *v, const char *key);
/* schema_render as v1 shows it: v's attributes, each by the rules of the
 * schema attribute it shows (optional, single, computed). */
cJSON *schema_render_v1(const type_spec *t, const v1_view *v, const cJSON *attrs,
                        const cJSON *computed, int single);

#endif
