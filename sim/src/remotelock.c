/* The RemoteLock API as a table of resources (see engine.h). Row order is
 * fixture load order: each row may refer to the rows above it. */
#include <string.h>
#include "remotelock.h"

#define DEVICE_TYPE(t) {t, "devices", NULL}
/* What a door group holds, and what a grant may name besides a location. */
#define DOOR_TYPES                                                                            \
    DEVICE_TYPE("lock"), DEVICE_TYPE("acs_door"), DEVICE_TYPE("acs_elevator_floor"),          \
    DEVICE_TYPE("connector_lock"), DEVICE_TYPE("zwave_lock"),                                 \
    DEVICE_TYPE("schlage_home_lock"), DEVICE_TYPE("igloo_lock"), {"door_group", "groups", NULL}

const res_poly rl_accessible_types[] = {
    DOOR_TYPES,
    {"location", "locations", NULL},
    {NULL, NULL, NULL},
};

static const char *const location_types[] = {"location", NULL};
static const char *const exception_types[] = {"access_exception", NULL};
static const char *const schedule_types[] = {
    "access_schedule", "auto_lock_schedule", "lock_action_schedule", "power_plug_schedule",
    "thermostat_schedule", NULL,
};
/* Device types, and the order of their model and location links in the
 * documents (model first for these, location first for the rest). */
static const char *const device_types[] = {
    "lock", "acs_door", "acs_elevator_floor", "connector_lock", "schlage_home_lock",
    "zwave_lock", "igloo_lock", "resort_lock", "power_plug", "thermostat",
    "connector_thermostat", NULL,
};
static const char *const model_linked_first[] = {
    "lock", "acs_door", "acs_elevator_floor", "resort_lock", "power_plug", "thermostat", NULL,
};
static const char *const location_linked_first[] = {
    "connector_lock", "schlage_home_lock", "zwave_lock", "igloo_lock", "connector_thermostat",
    NULL,
};
static const char *const person_types[] = {"access_user", "access_guest", NULL};
static const char *const access_types[] = {"access_person_access", NULL};
static const char *const event_types[] = {
    "unlocked_event", "locked_event", "access_denied_event", "power_level_low_event",
    "connectivity_event", "battery_replaced_event", NULL,
};
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
    {.attr = "model_id", .link = "model", .path = "models", .link_types = model_linked_first},
    {.attr = "location_id", .target = "locations", .name_attr = "location_name",
     .link = "location", .flags = REF_CHECK},
    {.attr = "model_id", .link = "model", .path = "models",
     .link_types = location_linked_first},
    {.attr = "lock_action_schedule_id", .link = "lock_action_schedule", .path = "schedules"},
    {.attr = "auto_lock_schedule_id", .link = "auto_lock_schedule", .path = "schedules"},
    {.attr = "power_plug_schedule_id", .link = "power_plug_schedule", .path = "schedules"},
    {.attr = "thermostat_schedule_id", .link = "thermostat_schedule", .path = "schedules"},
    {.attr = "elevator_id", .link = "elevator", .path = "acs/elevators"},
    {0},
};

static const res_action device_actions[] = {
    {.name = "lock", .method = "PUT", .takes_arg = 1, .run = rl_device_lock},
    {.name = "unlock", .method = "PUT", .takes_arg = 1, .run = rl_device_unlock},
    {.name = "temporary_unlock", .method = "PUT", .takes_arg = 1,
     .run = rl_device_temporary_unlock},
    {.name = "configurability", .method = "GET", .run = rl_device_configurability},
    {.name = "configuration", .method = "GET", .run = rl_device_configuration},
    {.name = "power_on", .method = "PUT", .run = rl_device_power_on, .flavours = RES_V1},
    {.name = "power_off", .method = "PUT", .run = rl_device_power_off, .flavours = RES_V1},
    {0},
};

static const res_action person_actions[] = {
    {.name = "deactivate", .method = "PUT", .run = rl_person_deactivate},
    {.name = "import", .method = "POST", .run = rl_person_import, .collection = 1,
     .takes_text = 1},
    {.name = "email/notify", .method = "POST", .run = rl_person_email_notify},
    {.name = "allegion_tokens", .method = "POST", .run = rl_person_allegion_tokens,
     .flavours = RES_CURRENT},
    {.name = "mobile_accesses", .method = "GET", .run = rl_person_mobile_accesses,
     .flavours = RES_CURRENT},
    {.name = "mobile_credentials", .method = "GET", .run = rl_person_mobile_credentials,
     .flavours = RES_CURRENT},
    {0},
};

static const char *const person_sorts[] = {
    "created_at", "updated_at", "name", "department", "starts_at", "ends_at", NULL,
};
static const char *const person_default_status[] = {"current", "upcoming", NULL};
static const char *const person_flags[] = {"deactivated", NULL};

#define ACCESSIBLE_REF                                                                  \
    {.attr = "accessible_id", .poly = rl_accessible_types, .type_attr = "accessible_type", \
     .name_attr = "accessible_name", .link = "accessible", .error = "accessible",        \
     .flags = REF_CASCADE}

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
     .link = "publisher", .flags = REF_CHECK | REF_CASCADE},
    {.attr = "associated_resource_id", .target = "access_persons",
     .type_attr = "associated_resource_type", .name_attr = "associated_resource_name",
     .link = "associated_resource", .flags = REF_CHECK | REF_KEEP_NAME},
    {0},
};

static const res_ref notification_refs[] = {
    {.attr = "subscriber_id", .target = "notification_subscribers",
     .type_attr = "subscriber_type", .link = "subscriber", .flags = REF_CHECK | REF_CASCADE},
    {.attr = "publisher_id", .target = "devices", .link = "publisher", .flags = REF_CASCADE},
    {.attr = "event_id", .target = "events", .type_attr = "event_type", .link = "event",
     .flags = REF_CHECK},
    {0},
};

/* ---- ACS doors (v1) and the guests igloo, resort and ReadyPIN locks keep ---- */
static const char *const acs_door_types[] = {"acs_door", NULL};
static const res_action acs_door_actions[] = {
    {.name = "lock", .method = "PUT", .run = rl_device_lock},
    {.name = "unlock", .method = "PUT", .run = rl_device_unlock},
    {.name = "temporary_unlock", .method = "PUT", .run = rl_device_temporary_unlock},
    {0},
};
static const char *const igloo_guest_types[] = {"igloo_guest", NULL};
static const char *const resort_guest_types[] = {"resort_lock_guest", NULL};
static const char *const ready_pin_types[] = {"kore_ready_pin", NULL};
static const char *const guest_sorts[] = {"created_at", "name", "starts_at", "ends_at", NULL};
/* A lock's guests go with it. */
static const res_ref igloo_guest_refs[] = {
    {.attr = "igloo_lock_id", .target = "devices", .flags = REF_CHECK | REF_CASCADE},
    {0},
};
static const res_ref resort_guest_refs[] = {
    {.attr = "resort_lock_id", .target = "devices", .link = "resort_lock",
     .flags = REF_CHECK | REF_CASCADE},
    {0},
};
static const res_ref ready_pin_refs[] = {
    {.attr = "lock_id", .target = "devices", .link = "lock", .flags = REF_CHECK | REF_CASCADE},
    {0},
};
static const res_action resort_guest_actions[] = {
    {.name = "email/notify", .method = "POST", .run = rl_resort_guest_email_notify},
    {.name = "email/preview", .method = "GET", .run = rl_resort_guest_email_preview},
    {0},
};

/* ---- the account, user, catalogues, groups and notifications ---- */
static const char *const account_types[] = {"account", NULL};
static const char *const user_types[] = {"user", NULL};
static const char *const brand_types[] = {"brand", NULL};
static const char *const model_types[] = {"model", NULL};
static const char *const ready_pin_model_types[] = {"ready_pin_model", NULL};
static const char *const smart_card_types[] = {"schlage_engage_smart_card", NULL};
static const char *const subscriber_types[] = {
    "email_notification_subscriber", "text_notification_subscriber",
    "webhook_notification_subscriber", NULL,
};
static const char *const subscription_types[] = {"notification_subscription", NULL};
static const char *const group_types[] = {"door_group", NULL};
static const char *const group_item_types[] = {"door_group_item", NULL};
static const char *const group_door_types[] = {"door_group_door", NULL};
static const char *const by_number[] = {"number", NULL};

#define GROUP_MEMBER_OPS (OP_LIST | OP_GET | OP_CREATE | OP_DELETE)

static const res_ref account_refs[] = {
    {.attr = "primary_owner_id", .target = "user", .link = "primary_owner"},
    {.attr = "owner_role_id", .link = "owner_role", .path = "roles"},
    {0},
};

static const res_ref user_refs[] = {
    {.attr = "primary_account_id", .target = "account", .link = "primary_account"},
    {.attr = "default_account_id", .target = "account", .link = "default_account"},
    {0},
};

static const res_ref model_refs[] = {
    {.attr = "brand_id", .target = "brands", .flags = REF_CHECK},
    {0},
};

static const res_ref smart_card_refs[] = {
    {.attr = "location_id", .target = "locations", .flags = REF_CHECK},
    {0},
};

static const res_poly subscriber_poly[] = {
    {"email_notification_subscriber", "notification_subscribers", NULL},
    {"text_notification_subscriber", "notification_subscribers", NULL},
    {"webhook_notification_subscriber", "notification_subscribers", NULL},
    {NULL, NULL, NULL},
};

/* "attributes[publisher_type]" of a subscription; ReadyPINs, thermostats
 * and the other device kinds live in rows below or nowhere yet: their ids
 * are checked once their row stores them (a device of that type). */
static const res_poly publisher_poly[] = {
    {"account", "account", NULL},
    {"location", "locations", NULL},
    {"access_user", "access_persons", NULL},
    {"access_guest", "access_persons", NULL},
    {"kore_ready_pin", NULL, "kore_ready_pins"},
    DEVICE_TYPE("lock"), DEVICE_TYPE("thermostat"), DEVICE_TYPE("power_plug"),
    DEVICE_TYPE("acs_door"), DEVICE_TYPE("acs_controller"), DEVICE_TYPE("acs_elevator"),
    DEVICE_TYPE("acs_elevator_floor"), DEVICE_TYPE("connector_lock"), DEVICE_TYPE("zwave_lock"),
    DEVICE_TYPE("schlage_home_lock"), DEVICE_TYPE("igloo_lock"),
    DEVICE_TYPE("connector_thermostat"), DEVICE_TYPE("connector_sensor"),
    {NULL, NULL, NULL},
};

static const res_ref subscription_refs[] = {
    {.attr = "subscriber_id", .poly = subscriber_poly, .type_attr = "subscriber_type",
     .link = "subscriber", .error = "subscriber", .flags = REF_CASCADE},
    {.attr = "publisher_id", .poly = publisher_poly, .type_attr = "publisher_type",
     .link = "publisher", .error = "publisher", .flags = REF_CASCADE},
    {0},
};

static const res_poly door_poly[] = {DOOR_TYPES, {NULL, NULL, NULL}};

/* A member of a door group: "item" (current API) or "door" (v1). */
#define GROUP_MEMBER_REFS(what)                                                       \
    {.attr = what "_id", .poly = door_poly, .type_attr = what "_type", .link = what,    \
     .error = what, .flags = REF_CASCADE},                                            \
    {.attr = "door_group_id", .target = "groups", .link = "door_group",                \
     .flags = REF_CHECK | REF_CASCADE},                                               \
    {0}
static const res_ref group_item_refs[] = {GROUP_MEMBER_REFS("item")};
static const res_ref group_door_refs[] = {GROUP_MEMBER_REFS("door")};

static const res_def rows[] = {
    {.name = "locations", .types = location_types, .default_type = "location",
     .ops = CRUD, .sortable = by_created_name, .default_sort = "name",
     .hooks = {.apply = rl_location_apply, .validate = rl_location_validate,
               .load = rl_location_load, .route = rl_location_route}},
    {.name = "access_exceptions", .types = exception_types, .default_type = "access_exception",
     .ops = CRUD, .sortable = by_created_name, .default_sort = "created_at"},
    {.name = "schedules", .types = schedule_types, .ops = CRUD, .refs = schedule_refs,
     .sortable = by_created_name, .default_sort = "created_at"},
    {.name = "devices", .types = device_types, .default_type = "lock", .ops = CRUD,
     .refs = device_refs, .actions = device_actions, .sortable = by_created_name,
     .default_sort = "created_at",
     /* GET /devices/:id/access_person_accesses: its route hook (every
      * grant that reaches the device: itself, its location, a group). */
     .hooks = {.apply = rl_device_apply, .validate = rl_device_validate,
               .load = rl_device_load, .route = rl_device_route}},
    /* Door groups: before the grants that name them. */
    {.name = "groups", .types = group_types, .default_type = "door_group", .ops = CRUD,
     .sortable = by_created_name, .default_sort = "created_at",
     .hooks = {.route = rl_group_route}},
    {.name = "items", .types = group_item_types, .default_type = "door_group_item",
     .ops = GROUP_MEMBER_OPS, .parent = "groups", .parent_attr = "door_group_id",
     .refs = group_item_refs, .sortable = by_created, .default_sort = "created_at",
     .hooks = {.validate = rl_group_member_validate}, .flavours = RES_CURRENT},
    {.name = "doors", .types = group_door_types, .default_type = "door_group_door",
     .ops = GROUP_MEMBER_OPS, .parent = "groups", .parent_attr = "door_group_id",
     .refs = group_door_refs, .sortable = by_created, .default_sort = "created_at",
     .hooks = {.validate = rl_group_member_validate}, .flavours = RES_V1},
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
    /* -- rows of the account, user, hardware catalogues, groups and
     *    notifications (their hooks: remotelock_account.c, ...) -- */
    {.name = "account", .types = account_types, .default_type = "account",
     .ops = OP_GET | OP_UPDATE, .singleton = 1, .refs = account_refs,
     .hooks = {.load = rl_account_load}},
    {.name = "user", .types = user_types, .default_type = "user", .ops = OP_GET,
     .singleton = 1, .refs = user_refs, .hooks = {.load = rl_user_load}},
    {.name = "brands", .types = brand_types, .default_type = "brand", .ops = OP_LIST | OP_GET,
     .hooks = {.load = rl_brand_load, .route = rl_brand_route}},
    {.name = "models", .types = model_types, .default_type = "model", .ops = OP_LIST | OP_GET,
     .refs = model_refs, .sortable = by_number,
     .hooks = {.compute = rl_model_compute, .load = rl_model_load, .route = rl_model_route}},
    /* GET /brands/:brand_id/models */
    {.name = "models", .ops = OP_LIST, .parent = "brands", .parent_attr = "brand_id",
     .source = "models", .sortable = by_number},
    {.name = "ready_pin_models", .types = ready_pin_model_types,
     .default_type = "ready_pin_model", .ops = OP_LIST | OP_GET},
    /* Plain objects, not resources: answered by its route hook only. */
    {.name = "connector_brands/schlage-engage/smart-cards", .types = smart_card_types,
     .default_type = "schlage_engage_smart_card", .refs = smart_card_refs,
     .hooks = {.route = rl_smart_cards_route}},
    {.name = "notification_subscribers", .types = subscriber_types, .ops = CRUD,
     .sortable = by_created_name, .default_sort = "created_at",
     .hooks = {.validate = rl_subscriber_validate}},
    {.name = "notification_subscriptions", .types = subscription_types,
     .default_type = "notification_subscription", .ops = CRUD, .refs = subscription_refs,
     .sortable = by_created, .default_sort = "created_at",
     .hooks = {.validate = rl_subscription_validate}},
    /* -- end of the account rows -- */
    /* -- rows of device types, resort/igloo/ReadyPIN guests, mobile
     *    credentials (their hooks: remotelock_devices.c, ...) -- */
    /* LockState v1 "ACS doors": the acs_door devices. */
    {.name = "acs/doors", .types = acs_door_types, .ops = OP_LIST | OP_GET, .source = "devices",
     .actions = acs_door_actions, .sortable = by_created_name, .default_sort = "created_at",
     .hooks = {.route = rl_device_route}, .flavours = RES_V1},
    {.name = "igloo_guests", .types = igloo_guest_types, .default_type = "igloo_guest",
     .ops = CRUD, .refs = igloo_guest_refs, .sortable = guest_sorts,
     .default_sort = "created_at",
     .hooks = {.apply = rl_lock_guest_apply, .validate = rl_lock_guest_validate,
               .load = rl_lock_guest_load}},
    {.name = "resort_lock_guests", .types = resort_guest_types,
     .default_type = "resort_lock_guest", .ops = CRUD, .refs = resort_guest_refs,
     .actions = resort_guest_actions, .sortable = guest_sorts, .default_sort = "created_at",
     .hooks = {.compute = rl_lock_guest_compute, .computed_str = rl_lock_guest_computed_str,
               .apply = rl_lock_guest_apply, .validate = rl_lock_guest_validate,
               .load = rl_lock_guest_load}},
    {.name = "kore_ready_pins", .types = ready_pin_types, .default_type = "kore_ready_pin",
     .ops = CRUD, .refs = ready_pin_refs, .sortable = guest_sorts, .default_sort = "created_at",
     .hooks = {.compute = rl_lock_guest_compute, .computed_str = rl_lock_guest_computed_str,
               .may_update = rl_ready_pin_may_update, .apply = rl_lock_guest_apply,
               .validate = rl_lock_guest_validate, .load = rl_lock_guest_load,
               .route = rl_ready_pin_route}},
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
