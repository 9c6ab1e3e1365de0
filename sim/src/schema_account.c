/* Attribute schemas of the account, the signed-in user, hardware catalogues (brands, models,
 * ready PIN models, smart cards), locations, groups and notifications
 * (see resources_schema.h). Orders and defaults follow the documented
 * examples of each type. */
#include "resources_schema.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define TEXT(key) {key, "null", IN(IN_TEXT)}
#define NAME {"name", "null", ATTR_REQUIRED | IN(IN_TEXT)}
#define ACTIVE {"active", "true", IN(IN_BOOL)}
#define STAMPS SCHEMA_CREATED_AT, SCHEMA_UPDATED_AT

static const attr_spec location_attrs[] = {
    NAME,
    TEXT("phone"),
    TEXT("address"),
    TEXT("address2"),
    TEXT("city"),
    TEXT("state"),
    TEXT("postal_code"),
    TEXT("country"),
    {"time_zone", "null", ATTR_REQUIRED | IN(IN_TEXT)},
    STAMPS,
};

/* "Get current account": guest times are the account's defaults. */
static const attr_spec account_attrs[] = {
    NAME,
    STAMPS,
    {"default_guest_start_time", "\"11:00:00\"", IN(IN_CLOCK)},
    {"default_guest_end_time", "\"23:00:00\"", IN(IN_CLOCK)},
    {"rental_guest_time_override", "false", 0},
    {"guest_management_enabled", "false", 0},
    {"primary_owner_id", "null", 0},
    {"owner_role_id", "null", 0},
};

static const attr_spec user_attrs[] = {
    {"name", "null", ATTR_REQUIRED},
    {"email", "null", 0},
    {"handle", "null", 0},
    STAMPS,
    {"primary_account_id", "null", ATTR_DERIVED},
    {"default_account_id", "null", ATTR_DERIVED},
};

static const attr_spec brand_attrs[] = {
    {"name", "null", ATTR_REQUIRED},
    {"vendor", "null", 0},
    {"uuid", "null", ATTR_DERIVED}, /* its id */
};

/* A model's "type" (the device type it makes) cannot be a flat fixture
 * key beside the record's own type: fixtures give it as device_type. Its
 * vendor (its brand's) shows only under /brands/:id/models, as documented. */
static const attr_spec model_attrs[] = {
    {"name", "null", ATTR_REQUIRED},
    {"number", "null", 0},
    {"type", "null", ATTR_DERIVED},
    {"capabilities", "{}", 0},
    {"vendor", "null", ATTR_RENDER | ATTR_OPTIONAL},
    {"device_type", "null", ATTR_REQUIRED | ATTR_HIDDEN},
    {"brand_id", "null", ATTR_HIDDEN},
};

static const attr_spec ready_pin_model_attrs[] = {
    {"has_long_mode", "false", 0},
    {"long_mode_hint", "null", 0},
    {"long_mode_interval", "0", 0},
    {"max_duration", "365", 0},
    {"has_hourly_granularity", "true", 0},
    {"name", "null", ATTR_REQUIRED},
    {"long_mode_start_hour", "0", 0},
    {"long_mode_end_hour", "0", 0},
    STAMPS,
};

/* "Get Schlage Engage smart cards": plain objects, not resources. */
static const attr_spec smart_card_attrs[] = {
    {"badge", "null", ATTR_REQUIRED},
    {"card_format", "\"smart\"", 0},
    {"location_id", "null", ATTR_REQUIRED},
    STAMPS,
};

static const attr_spec email_subscriber_attrs[] = {
    NAME,
    {"email", "null", ATTR_REQUIRED | IN(IN_TEXT)},
    ACTIVE,
    STAMPS,
};

static const attr_spec text_subscriber_attrs[] = {
    NAME,
    {"phone", "null", ATTR_REQUIRED | IN(IN_TEXT)},
    {"carrier", "null", ATTR_REQUIRED | IN(IN_TEXT)},
    ACTIVE,
    STAMPS,
};

/* content_type "form" or "json" (documented default "form"), url HTTPS. */
static const attr_spec webhook_attrs[] = {
    NAME,
    {"url", "null", ATTR_REQUIRED | IN(IN_TEXT)},
    {"content_type", "\"form\"", ATTR_REQUIRED | IN(IN_TEXT)},
    TEXT("secret"),
    ACTIVE,
    STAMPS,
};

/* The event types a subscription may list ("Get an event", type). */
static const char *const event_types[] = {
    "access_person_used", "access_person_created", "access_person_updated",
    "access_person_deleted", "acs_door_opened", "acs_door_closed", "acs_door_held_open",
    "lock_requested", "unlock_requested", "temporary_unlock_requested",
    "temporary_unlock_timeout", "access_person_synced", "access_person_sync_failed",
    "access_guest_late_sync", "reset", "ready_pin_sync_failed", "unlocked", "locked",
    "access_denied", "jammed", "connectivity", "power_level_low", "battery_replaced",
    "temperature_changed", "humidity_changed", "outdoor_temperature_changed",
    "outdoor_humidity_changed", "relay_enabled", "relay_disabled", "door_action_held_open",
    "door_action_forced_open", "door_action_tamper_detected", "door_action_tamper_cleared",
    "ble_mapp_connected", "power_level_restored", "power_level_critical",
    "power_level_critical_restored", "alarm_triggered", "alarm_resolved",
    "kore_ready_pin_used", "unlockedlocked",
    "acs_requested_to_exit", /* LockState v1 */
    NULL,
};
/* first_access: access_person_used only (remotelock_notifications.c). */
static const elem_field event_fields[] = {
    {"event_type", IN_ENUM, event_types},
    {"first_access", IN_BOOL | ELEM_OPTIONAL, NULL},
};
static const elem_shape event_list = {event_fields, N(event_fields), NULL, NULL, 0};

static const attr_spec subscription_attrs[] = {
    {"events", "[]", ATTR_REQUIRED | IN(IN_LIST)},
    STAMPS,
    {"subscriber_id", "null", ATTR_REQUIRED | IN(IN_REF)},
    {"subscriber_type", "null", ATTR_REQUIRED | IN(IN_TYPE)},
    {"publisher_id", "null", ATTR_REQUIRED | IN(IN_REF)},
    {"publisher_type", "null", ATTR_REQUIRED | IN(IN_TYPE)},
};

static const attr_spec door_group_attrs[] = {NAME, STAMPS};

/* A member of a door group: "item" in the current API, "door" in v1. */
#define GROUP_MEMBER(what)                                                      \
    STAMPS,                                                                     \
    {what "_id", "null", ATTR_REQUIRED | ATTR_ONCE | IN(IN_REF)},               \
    {what "_type", "null", ATTR_REQUIRED | ATTR_ONCE | IN(IN_TYPE)},            \
    {"door_group_id", "null", ATTR_REQUIRED}
static const attr_spec group_item_attrs[] = {GROUP_MEMBER("item")};
static const attr_spec group_door_attrs[] = {GROUP_MEMBER("door")};

const type_spec schema_account_types[] = {
    {"location", location_attrs, N(location_attrs), NULL},
    {"account", account_attrs, N(account_attrs), NULL},
    {"user", user_attrs, N(user_attrs), NULL},
    {"brand", brand_attrs, N(brand_attrs), NULL},
    {"model", model_attrs, N(model_attrs), NULL},
    {"ready_pin_model", ready_pin_model_attrs, N(ready_pin_model_attrs), NULL},
    {"schlage_engage_smart_card", smart_card_attrs, N(smart_card_attrs), NULL},
    {"email_notification_subscriber", email_subscriber_attrs, N(email_subscriber_attrs), NULL},
    {"text_notification_subscriber", text_subscriber_attrs, N(text_subscriber_attrs), NULL},
    {"webhook_notification_subscriber", webhook_attrs, N(webhook_attrs), NULL},
    {"notification_subscription", subscription_attrs, N(subscription_attrs), &event_list},
    {"door_group", door_group_attrs, N(door_group_attrs), NULL},
    {"door_group_item", group_item_attrs, N(group_item_attrs), NULL},
    {"door_group_door", group_door_attrs, N(group_door_attrs), NULL},
    {NULL, NULL, 0, NULL},
};
const size_t schema_account_ntypes = N(schema_account_types) - 1;
