/* Attribute schemas of the events a device reports about itself (see
 * resources_schema.h), in the order of the LockState v1 "Get all events"
 * examples (power_level_low_event, connectivity_event; battery_replaced_event,
 * a type the "Get an event" fields list, as power_level_low_event); the lock events
 * (unlocked, locked, access_denied) share the "Get an event" schema in
 * resources_schema.c. */
#include "resources_schema.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define REPORT_HEAD                       \
    {"source", "\"user\"", 0},            \
    {"status", "\"succeeded\"", 0},       \
    {"time_zone", "null", ATTR_DERIVED},  \
    {"occurred_at", "null", ATTR_REQUIRED}, \
    {"created_at", "null", 0},            \
    {"updated_at", "null", 0}

#define REPORT_PUBLISHER                   \
    {"publisher_id", "null", ATTR_REQUIRED}, \
    {"publisher_type", "null", ATTR_DERIVED}

static const attr_spec power_level_low_attrs[] = {
    REPORT_HEAD,
    {"power_level", "0", 0},
    REPORT_PUBLISHER,
};

/* Not in the v1 examples: the shape of power_level_low_event. */
static const attr_spec battery_replaced_attrs[] = {
    REPORT_HEAD,
    {"power_level", "0", 0},
    REPORT_PUBLISHER,
};

static const attr_spec connectivity_attrs[] = {
    REPORT_HEAD,
    {"connected_at", "null", 0},
    REPORT_PUBLISHER,
};

const type_spec schema_events_types[] = {
    {"power_level_low_event", power_level_low_attrs, N(power_level_low_attrs), NULL},
    {"connectivity_event", connectivity_attrs, N(connectivity_attrs), NULL},
    {"battery_replaced_event", battery_replaced_attrs, N(battery_replaced_attrs), NULL},
    {NULL, NULL, 0, NULL},
};
const size_t schema_events_ntypes = N(schema_events_types) - 1;
