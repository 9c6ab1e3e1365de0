/* LockState v1's view of each resource type (see resources_schema.h): the
 * attributes the 001 document's examples show for the type, in their order
 * and under v1's names. The store and the current schemas stay the same;
 * a v1 request only sees its records through these lists (engine_render.c),
 * so a write through either flavour is seen by both. Types v1 documents
 * nowhere (connector and igloo locks, ReadyPINs, ...) keep the current
 * shape. */
#include <string.h>
#include "resources_schema.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define A(key) {key, NULL}
#define STAMPS A("created_at"), A("updated_at")
/* v1 calls a guest's booking source rental_source (current: guest_source). */
#define RENTAL_SOURCE {"rental_source", "guest_source"}

/* "Get all access persons": users and guests, the PIN before the
 * department, none of the current credential flags. */
#define PERSON                                                                        \
    A("name"), A("email"), A("phone"), A("pin"), A("card_number"), A("department"), \
        A("status"), RENTAL_SOURCE, STAMPS
static const v1_attr user[] = {PERSON};
static const v1_attr guest[] = {PERSON, A("starts_at"), A("ends_at")};
static const char *const person_meta[] = {"restricted_actions", NULL};

static const v1_attr access[] = {
    A("guest_start_time"), A("guest_end_time"), A("devices_count"),
    A("devices_synced_count"), A("devices_pending_sync_count"),
    A("devices_failed_sync_count"), A("accessible_type"), STAMPS, A("access_schedule_id"),
    A("access_person_id"), A("access_person_type"), A("accessible_id"),
};

static const v1_attr account[] = {
    A("name"), STAMPS, A("default_guest_start_time"), A("default_guest_end_time"),
    A("rental_guest_time_override"), A("primary_owner_id"), A("owner_role_id"),
};
static const v1_attr user_account[] = {
    A("name"), A("email"), A("handle"), STAMPS, A("primary_account_id"),
    A("default_account_id"),
};

/* Devices: no location name, model number or connectivity flag. */
#define WIFI_DEVICE                                                               \
    A("name"), A("heartbeat_interval"), A("wifi_level"), A("signal_quality"),     \
        A("connected"), A("alive"), A("power_source"), A("connected_at"),         \
        A("serial_number")
static const v1_attr lock[] = {
    WIFI_DEVICE, A("wake_wifi"), A("muted"), A("auto_lock"), A("auto_lock_timeout"),
    A("programming_code"), A("state"), A("power_level"), STAMPS,
    A("default_guest_start_time"), A("default_guest_end_time"), A("local_pins"),
    A("model_id"), A("location_id"), A("lock_action_schedule_id"),
};
static const v1_attr thermostat[] = {
    WIFI_DEVICE, A("current_mode"), A("target_mode"), A("fan_mode"), A("hold"),
    A("temperature"), A("target_temperature"), A("unit"), A("humidity"), A("energy_saver"),
    A("scheduled_target_temperature"), A("desired_target_temperature"), STAMPS,
    A("model_id"), A("location_id"), A("thermostat_schedule_id"),
};
static const v1_attr power_plug[] = {
    WIFI_DEVICE, A("on"), A("voltage"), A("power"), A("power_factor"), A("current"),
    A("frequency"), A("total_power"), A("occupied"), A("model_id"), A("location_id"),
    A("power_plug_schedule_id"),
};
static const v1_attr resort_lock[] = {
    A("name"), A("default_guest_start_time"), A("default_guest_end_time"), STAMPS,
    A("serial_number"), A("model_id"), A("location_id"),
};
static const v1_attr acs_door[] = {
    A("name"), A("state"), A("connected"), STAMPS, A("location_id"),
};
static const v1_attr resort_lock_guest[] = {
    A("name"), A("email"), A("pin"), A("starts_at"), A("ends_at"), A("one_time_access"),
    RENTAL_SOURCE, STAMPS, A("resort_lock_id"),
};
static const v1_attr model[] = {A("number"), A("type"), A("capabilities")};

/* Events: "Get all events" and "Get an event". A card's serial number is
 * not modelled. The lock events share unlocked_event's keys, as in the
 * current schema. */
#define EVENT_HEAD A("source"), A("status"), A("time_zone"), A("occurred_at"), STAMPS
static const v1_attr lock_event[] = {
    EVENT_HEAD, A("associated_resource_name"), A("status_info"), A("method"), A("card"),
    A("pin"), {"smart_card_serial_number", V1_UNHELD}, A("publisher_id"),
    A("publisher_type"), A("associated_resource_id"), A("associated_resource_type"),
};
static const v1_attr power_level_low_event[] = {
    EVENT_HEAD, A("power_level"), A("publisher_id"), A("publisher_type"),
};
static const v1_attr connectivity_event[] = {
    EVENT_HEAD, A("connected_at"), A("publisher_id"), A("publisher_type"),
};

/* As in the current API. */
static const v1_attr exception[] = {A("name"), A("dates"), STAMPS};
/* No access exception on a schedule (v1 takes one on create but never
 * shows it). */
static const v1_attr schedule[] = {
    A("name"), A("mon"), A("tue"), A("wed"), A("thu"), A("fri"), A("sat"), A("sun"), STAMPS,
};
static const v1_attr door_group[] = {A("name"), STAMPS};
static const v1_attr door_group_door[] = {
    STAMPS, A("door_id"), A("door_type"), A("door_group_id"),
};
static const v1_attr location[] = {
    A("name"), A("phone"), A("address"), A("address2"), A("city"), A("state"),
    A("postal_code"), A("country"), A("time_zone"), STAMPS,
};
static const v1_attr text_subscriber[] = {
    A("name"), A("phone"), A("carrier"), A("active"), STAMPS,
};
static const v1_attr webhook_subscriber[] = {
    A("name"), A("url"), A("content_type"), A("secret"), A("active"), STAMPS,
};
static const v1_attr email_subscriber[] = {A("name"), A("email"), A("active"), STAMPS};
static const v1_attr subscription[] = {
    A("events"), STAMPS, A("subscriber_id"), A("subscriber_type"), A("publisher_id"),
    A("publisher_type"),
};
static const v1_attr notification[] = {
    STAMPS, A("subscriber_id"), A("subscriber_type"), A("publisher_id"), A("publisher_type"),
    A("event_id"), A("event_type"),
};

#define VIEW(type, attrs) {type, attrs, N(attrs), NULL, NULL}
const v1_view schema_v1_views[] = {
    {"access_user", user, N(user), person_meta, NULL},
    {"access_guest", guest, N(guest), person_meta, NULL},
    VIEW("access_person_access", access),
    VIEW("account", account),
    VIEW("user", user_account),
    VIEW("lock", lock),
    VIEW("thermostat", thermostat),
    VIEW("power_plug", power_plug),
    VIEW("resort_lock", resort_lock),
    /* "Get all ACS doors": linked at /acs/doors/:id, also from grants and
     * from the devices list. */
    {"acs_door", acs_door, N(acs_door), NULL, "acs/doors"},
    VIEW("resort_lock_guest", resort_lock_guest),
    VIEW("model", model),
    VIEW("unlocked_event", lock_event),
    VIEW("locked_event", lock_event),
    VIEW("access_denied_event", lock_event),
    VIEW("power_level_low_event", power_level_low_event),
    VIEW("connectivity_event", connectivity_event),
    VIEW("access_exception", exception),
    VIEW("access_schedule", schedule),
    VIEW("auto_lock_schedule", schedule),
    VIEW("lock_action_schedule", schedule),
    VIEW("power_plug_schedule", schedule),
    VIEW("thermostat_schedule", schedule),
    VIEW("door_group", door_group),
    VIEW("door_group_door", door_group_door),
    VIEW("location", location),
    VIEW("text_notification_subscriber", text_subscriber),
    VIEW("webhook_notification_subscriber", webhook_subscriber),
    VIEW("email_notification_subscriber", email_subscriber),
    VIEW("notification_subscription", subscription),
    VIEW("notification", notification),
    {NULL, NULL, 0, NULL, NULL},
};
const size_t schema_v1_nviews = N(schema_v1_views) - 1;

const v1_view *schema_v1_find(const char *type)
{
    for (size_t i = 0; type && i < schema_v1_nviews; i++)
        if (strcmp(schema_v1_views[i].type, type) == 0)
            return &schema_v1_views[i];
    return NULL;
}

int schema_v1_shows(const v1_view *v, const char *key)
{
    for (size_t i = 0; v && key && i < v->nattrs; i++)
        if (strcmp(v->attrs[i].from ? v->attrs[i].from : v->attrs[i].key, key) == 0)
            return 1;
    return 0;
}
