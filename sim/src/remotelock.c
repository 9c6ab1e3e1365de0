/* The RemoteLock API as a table of resources (see engine.h). Row order is
 * fixture load order: each row may refer to the rows above it. */
#include <string.h>
#include "remotelock.h"

#define DEVICE_TYPE(t) {t, "devices", NULL}

const res_poly rl_accessible_types[] = {
    DEVICE_TYPE("lock"), DEVICE_TYPE("acs_door"), DEVICE_TYPE("acs_elevator_floor"),
    DEVICE_TYPE("connector_lock"), DEVICE_TYPE("zwave_lock"), DEVICE_TYPE("schlage_home_lock"),
    DEVICE_TYPE("igloo_lock"),
    {"location", "locations", NULL},
    {"door_group", NULL, "groups"}, /* not simulated: ids pass through */
    {NULL, NULL, NULL},
};

static const char *const location_types[] = {"location", NULL};
static const char *const exception_types[] = {"access_exception", NULL};
static const char *const schedule_types[] = {
    "access_schedule", "auto_lock_schedule", "lock_action_schedule", "power_plug_schedule",
    "thermostat_schedule", NULL,
};
static const char *const device_types[] = {"lock", NULL};
static const char *const person_types[] = {"access_user", "access_guest", NULL};
static const char *const access_types[] = {"access_person_access", NULL};
static const char *const subscriber_types[] = {"webhook_notification_subscriber", NULL};
static const char *const event_types[] = {"unlocked_event", "locked_event", NULL};
static const char *const notification_types[] = {"notification", NULL};

static const char *const by_created_name[] = {"created_at", "name", NULL};
static const char *const by_created[] = {"created_at", NULL};

#define CRUD (OP_LIST | OP_GET | OP_CREATE | OP_UPDATE | OP_DELETE)

static const res_ref schedule_refs[] = {
    {.attr = "access_exception_id", .target = "access_exceptions", .link = "access_exception",
     .flags = REF_CHECK},
    {0},
};

static const res_ref device_refs[] = {
    {.attr = "model_id", .link = "model", .path = "models"},
    {.attr = "location_id", .target = "locations", .name_attr = "location_name",
     .link = "location", .flags = REF_CHECK},
    {.attr = "lock_action_schedule_id", .link = "lock_action_schedule", .path = "schedules"},
    {.attr = "auto_lock_schedule_id", .link = "auto_lock_schedule", .path = "schedules"},
    {0},
};

static const res_action device_actions[] = {
    {.name = "lock", .method = "PUT", .takes_arg = 1, .run = rl_device_lock},
    {.name = "unlock", .method = "PUT", .takes_arg = 1, .run = rl_device_unlock},
    {0},
};

static const res_action person_actions[] = {
    {.name = "deactivate", .method = "PUT", .run = rl_person_deactivate},
    {0},
};

static const char *const person_sorts[] = {
    "created_at", "updated_at", "name", "department", "starts_at", "ends_at", NULL,
};
static const char *const person_default_status[] = {"current", "upcoming", NULL};
static const char *const person_flags[] = {"deactivated", NULL};

#define ACCESSIBLE_REF                                                                  \
    {.attr = "accessible_id", .poly = rl_accessible_types, .type_attr = "accessible_type", \
     .name_attr = "accessible_name", .link = "accessible", .error = "accessible"}

const res_ref rl_accessible_ref = ACCESSIBLE_REF;

static const res_ref access_refs[] = {
    {.attr = "access_schedule_id", .link = "access_schedule", .path = "schedules"},
    {.attr = "access_person_id", .target = "access_persons", .type_attr = "access_person_type",
     .link = "access_person", .flags = REF_CHECK | REF_CASCADE},
    ACCESSIBLE_REF,
    {0},
};

static const res_ref event_refs[] = {
    {.attr = "publisher_id", .target = "devices", .type_attr = "publisher_type",
     .link = "publisher", .flags = REF_CHECK},
    {.attr = "associated_resource_id", .target = "access_persons",
     .type_attr = "associated_resource_type", .name_attr = "associated_resource_name",
     .link = "associated_resource", .flags = REF_CHECK | REF_KEEP_NAME},
    {0},
};

static const res_ref notification_refs[] = {
    {.attr = "subscriber_id", .target = "notification_subscribers",
     .type_attr = "subscriber_type", .link = "subscriber", .flags = REF_CHECK},
    {.attr = "publisher_id", .target = "devices", .link = "publisher"},
    {.attr = "event_id", .target = "events", .type_attr = "event_type", .link = "event",
     .flags = REF_CHECK},
    {0},
};

static const res_def rows[] = {
    {.name = "locations", .types = location_types, .default_type = "location",
     .ops = OP_LIST | OP_GET, .sortable = by_created_name, .default_sort = "name",
     .hooks = {.load = rl_location_load}},
    {.name = "access_exceptions", .types = exception_types, .default_type = "access_exception",
     .ops = CRUD, .sortable = by_created_name, .default_sort = "created_at"},
    {.name = "schedules", .types = schedule_types, .ops = CRUD, .refs = schedule_refs,
     .sortable = by_created_name, .default_sort = "created_at"},
    {.name = "devices", .types = device_types, .default_type = "lock",
     .ops = OP_LIST | OP_GET, .refs = device_refs, .actions = device_actions,
     .sortable = by_created_name, .default_sort = "created_at"},
    {.name = "access_persons", .types = person_types, .ops = CRUD, .actions = person_actions,
     .sortable = person_sorts, .default_sort = "created_at", .default_filter = "status",
     .default_values = person_default_status, .flags = person_flags,
     .hooks = {.compute = rl_person_compute, .computed_str = rl_person_computed_str,
               .meta = rl_person_meta,
               .may_update = rl_person_may_update, .apply = rl_person_apply,
               .validate = rl_person_validate, .load = rl_person_load,
               .list_prepare = rl_status_memo_build}},
    {.name = "accesses", .types = access_types, .default_type = "access_person_access",
     .ops = CRUD, .parent = "access_persons",
     .parent_attr = "access_person_id", .refs = access_refs, .sortable = by_created,
     .default_sort = "created_at",
     .hooks = {.compute = rl_access_compute, .validate = rl_access_validate}},
    /* GET /devices/:id/access_person_accesses: the grants naming a device. */
    {.name = "access_person_accesses", .ops = OP_LIST, .parent = "devices",
     .parent_attr = "accessible_id", .parent_type_attr = "accessible_type",
     .source = "accesses", .sortable = by_created, .default_sort = "created_at"},
    /* -- rows of the account, user, hardware catalogues, groups and
     *    notifications (their hooks: remotelock_account.c, ...) -- */
    {.name = "notification_subscribers", .types = subscriber_types, .ops = OP_LIST | OP_GET,
     .sortable = by_created_name, .default_sort = "created_at"},
    /* -- end of the account rows -- */
    /* -- rows of device types, resort/igloo/ReadyPIN guests, mobile
     *    credentials (their hooks: remotelock_devices.c, ...) -- */
    /* -- end of the device rows -- */
    /* LockState v1 "Get all events": newest first. */
    {.name = "events", .types = event_types, .ops = OP_LIST | OP_GET, .refs = event_refs,
     .sortable = (const char *const[]){"created_at", "occurred_at", NULL},
     .default_sort = "-occurred_at", .hooks = {.load = rl_event_load}},
    {.name = "notifications", .types = notification_types, .default_type = "notification",
     .ops = OP_LIST | OP_GET, .refs = notification_refs, .sortable = by_created,
     .default_sort = "created_at", .hooks = {.load = rl_notification_load}},
};

const res_api remotelock_api = {
    .name = "remotelock",
    .defs = rows,
    .ndefs = sizeof rows / sizeof rows[0],
    .types = rl_accessible_types,
    .doc = &jsonapi_doc,
};

cJSON *rl_list(const store_data *d, const char *row)
{
    return res_list(d, &remotelock_api, res_def_find(&remotelock_api, row));
}
