/* The RemoteLock catalogue: API coverage is data. One row per documented
 * endpoint carries everything the core and the bindings need (see
 * lc_endpoint in lockcloud.h); the Lua methods are generated from it.
 * Names are "<resource>.<action>"; summaries follow the API document;
 * query keys and sorts follow each endpoint's parameter table and the
 * reference's "Filtering" section (id[] and attributes[...] filters apply
 * to every collection). */
#include "vendor.h"

#define COLL  (LC_EP_COLLECTION | LC_EP_IDEMPOTENT)
#define GET   LC_EP_IDEMPOTENT
#define PUTB  (LC_EP_BODY | LC_EP_IDEMPOTENT)
#define PUT0  LC_EP_IDEMPOTENT
#define POSTB LC_EP_BODY
#define DEL   (LC_EP_NO_CONTENT | LC_EP_IDEMPOTENT)

/* ---- query keys ---------------------------------------------------------- */
#define P_ID    { "id", LC_PARAM_LIST }
#define P_ATTRS { "attributes", LC_PARAM_NESTED }
#define P_TYPE  { "type", LC_PARAM_LIST }
#define P_SORT  { "sort", LC_PARAM_SORT }
#define P_END   { NULL, 0 }

static const lc_param q_filter[] = { P_ID, P_ATTRS, P_END };
static const lc_param q_sorted[] = { P_SORT, P_ID, P_ATTRS, P_END };
static const lc_param q_typed[] = { P_TYPE, P_SORT, P_ID, P_ATTRS, P_END };
static const lc_param q_accesses[] = {
    P_ID, P_ATTRS, { "guest_management_enabled", LC_PARAM_SCALAR }, P_END
};
static const lc_param q_persons[] = {
    P_TYPE, { "status", LC_PARAM_STATUS }, P_SORT, P_ID, P_ATTRS, P_END
};

/* ---- sorts and types ----------------------------------------------------- */
static const char *const s_name[] = { "created_at", "name", NULL };
static const char *const s_persons[] = {
    "created_at", "updated_at", "name", "department", "starts_at", "ends_at", NULL
};
static const char *const s_events[] = { "created_at", "occurred_at", NULL };

static const char *const t_persons[] = { "access_user", "access_guest", NULL };
static const char *const t_schedules[] = {
    "access_schedule", "auto_lock_schedule", "lock_action_schedule",
    "power_plug_schedule", "thermostat_schedule", NULL
};

/* Row shapes. LIST(name, path, binding, params, sorts, default, types, summary) */
#define LIST_F(f, n, p, b, q, s, d, t, sum) { n, "GET", p, f, sum, b, LC_BODY_NONE, q, s, d, t }
#define LIST(n, p, b, q, s, d, t, sum) LIST_F(COLL, n, p, b, q, s, d, t, sum)
#define SHOW(n, p, b, sum)              { n, "GET", p, GET, sum, b, LC_BODY_NONE, NULL, NULL, NULL, NULL }
#define WRITE(n, m, p, f, st, b, t, sum) { n, m, p, f, sum, b, st, NULL, NULL, NULL, t }
#define ACTION(n, m, p, f, b, sum)      { n, m, p, f, sum, b, LC_BODY_NONE, NULL, NULL, NULL, NULL }

static const lc_endpoint catalogue[] = {
    /* access exceptions (holidays an access schedule skips) */
    LIST("access_exceptions.list", "/access_exceptions", "access_exceptions", q_sorted, s_name,
         "created_at", NULL, "Get all access exceptions"),
    SHOW("access_exceptions.get", "/access_exceptions/:id", "access_exception",
         "Get an access exception"),
    WRITE("access_exceptions.create", "POST", "/access_exceptions", POSTB, LC_BODY_ATTRIBUTES,
          "create_access_exception", NULL, "Create an access exception"),
    WRITE("access_exceptions.update", "PUT", "/access_exceptions/:id", PUTB, LC_BODY_ATTRIBUTES,
          "update_access_exception", NULL, "Update an access exception"),
    ACTION("access_exceptions.delete", "DELETE", "/access_exceptions/:id", DEL,
           "delete_access_exception", "Delete an access exception"),

    /* access persons (users and guests) */
    LIST("access_persons.list", "/access_persons", "access_persons", q_persons, s_persons,
         "created_at", t_persons, "Get all access persons (filter by type and status)"),
    SHOW("access_persons.get", "/access_persons/:id", "access_person", "Get an access person"),
    WRITE("access_persons.create", "POST", "/access_persons", POSTB, LC_BODY_TYPED,
          "create_access_person", t_persons, "Create an access user or access guest"),
    WRITE("access_persons.update", "PUT", "/access_persons/:id", PUTB, LC_BODY_ATTRIBUTES,
          "update_access_person", NULL, "Update an access user or access guest"),
    ACTION("access_persons.deactivate", "PUT", "/access_persons/:id/deactivate", PUT0,
           "deactivate_access_person", "Deactivates an access person"),
    ACTION("access_persons.delete", "DELETE", "/access_persons/:id", DEL,
           "delete_access_person", "Delete an access person"),

    /* an access person's accesses */
    LIST("accesses.list", "/access_persons/:access_person_id/accesses", "accesses", q_accesses,
         NULL, NULL, NULL, "Get all of an access person's accesses"),
    SHOW("accesses.get", "/access_persons/:access_person_id/accesses/:id", "access",
         "Get an access person's access"),
    WRITE("accesses.grant", "POST", "/access_persons/:access_person_id/accesses", POSTB,
          LC_BODY_ATTRIBUTES, "grant_access", NULL, "Grant an access person access"),
    WRITE("accesses.update", "PUT", "/access_persons/:access_person_id/accesses/:id", PUTB,
          LC_BODY_ATTRIBUTES, "update_access", NULL, "Update an access person's access"),
    ACTION("accesses.revoke", "DELETE", "/access_persons/:access_person_id/accesses/:id", DEL,
           "revoke_access", "Revoke an access person's access"),

    /* devices */
    LIST("devices.list", "/devices", "devices", q_typed, s_name, "created_at", NULL,
         "Returns all device types (homogeneous)"),
    SHOW("devices.get", "/devices/:id", "device", "Get a device"),
    ACTION("devices.lock", "PUT", "/devices/:id/lock", PUT0, "lock", "Lock a lock"),
    ACTION("devices.unlock", "PUT", "/devices/:id/unlock", PUT0, "unlock", "Unlock a lock"),

    /* locations */
    LIST("locations.list", "/locations", "locations", q_sorted, s_name, "name", NULL,
         "Get all locations"),
    SHOW("locations.get", "/locations/:id", "location", "Get a location"),

    /* events and notifications */
    LIST_F(COLL | LC_EP_LEGACY_V1, "events.list", "/events", "events", q_typed, s_events,
           "-occurred_at", NULL, "Get all events"),
    SHOW("events.get", "/events/:id", "event", "Get an event"),
    LIST("notifications.list", "/notifications", "notifications", q_filter, NULL, NULL, NULL,
         "Get all notifications"),

    /* schedules: access, auto lock, lock action, power plug, thermostat */
    LIST("schedules.list", "/schedules", "schedules", q_typed, s_name, "created_at",
         t_schedules, "Get all schedule types (homogeneous)"),
    SHOW("schedules.get", "/schedules/:id", "schedule", "Get a schedule"),
    WRITE("schedules.create", "POST", "/schedules", POSTB, LC_BODY_TYPED, "create_schedule",
          t_schedules, "Create a schedule (access, auto lock, lock action, power plug, thermostat)"),
    WRITE("schedules.update", "PUT", "/schedules/:id", PUTB, LC_BODY_ATTRIBUTES,
          "update_schedule", NULL, "Update a schedule"),
    ACTION("schedules.delete", "DELETE", "/schedules/:id", DEL, "delete_schedule",
           "Delete a schedule"),
};

const lc_vendor lc_vendor_remotelock = {
    .name = "remotelock",
    .catalogue = catalogue,
    .ncatalogue = sizeof catalogue / sizeof catalogue[0],
    .protocol = &lc_protocol_remotelock,
};
