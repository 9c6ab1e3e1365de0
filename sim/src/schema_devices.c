/* Attribute schemas of devices of every documented type, and the guests of igloo, resort
 * lock and ReadyPIN locks, mobile accesses and credentials
 * (see resources_schema.h). Orders and defaults follow the documented
 * examples of each type. Device settings the input kinds cannot check
 * (numbers, enumerations, local PINs, a connector's configuration) are
 * read by the devices row's apply hook (remotelock_devices.c). */
#include "resources_schema.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define CREATED SCHEMA_CREATED_AT
#define UPDATED SCHEMA_UPDATED_AT
/* Types whose documents show no timestamps still keep them (sorting). */
#define CREATED_HIDDEN {"created_at", "\"2026-03-01T00:00:00Z\"", ATTR_HIDDEN}
#define UPDATED_HIDDEN {"updated_at", "\"2026-03-01T00:00:00Z\"", ATTR_HIDDEN}

/* What every device takes: a name and a location (register and update),
 * a model on registration. */
#define NAME {"name", "null", ATTR_REQUIRED | IN(IN_TEXT)}
#define LOCATION_NAME {"location_name", "null", ATTR_RENDER}
#define LOCATION_ID {"location_id", "null", ATTR_REQUIRED | IN(IN_REF)}
#define MODEL_ID {"model_id", "null", ATTR_ONCE | IN(IN_REF)}
/* Registered by serial number (lock, resort lock, power plug, thermostat):
 * required on registration (remotelock_device_settings.c), not in a
 * fixture. */
#define SERIAL_REQUIRED {"serial_number", "null", IN(IN_TEXT)}
#define SCHEDULE(key) {key, "null", ATTR_OPTIONAL | IN(IN_REF)}
/* A connector's settings (GET /devices/:id/configuration). */
#define CONFIGURATION {"configuration", "{}", ATTR_HIDDEN}

/* The Wi-Fi devices' connection figures (lock, power plug, thermostat). */
#define WIFI_DEVICE(power_source)                      \
    NAME,                                              \
    {"heartbeat_interval", "1200", 0},                 \
    {"wifi_level", "0", 0},                            \
    {"signal_quality", "3", 0},                        \
    {"connected", "true", 0},                          \
    {"alive", "true", 0},                              \
    {"power_source", power_source, 0},                 \
    {"connected_at", "null", 0},                       \
    LOCATION_NAME,                                     \
    {"model_number", "null", 0},                       \
    SERIAL_REQUIRED,                                   \
    {"connectivity_enabled", "true", 0}

/* "Get a device" example of a lock (OpenEdge/LS series). */
static const attr_spec lock_attrs[] = {
    NAME,
    {"heartbeat_interval", "1200", 0},
    {"wifi_level", "0", 0},
    {"signal_quality", "3", 0},
    {"connected", "true", 0},
    {"alive", "true", 0},
    {"power_source", "\"alkaline_battery\"", 0},
    {"connected_at", "null", 0},
    LOCATION_NAME,
    {"model_number", "\"LS-DB500i\"", 0},
    SERIAL_REQUIRED,
    {"connectivity_enabled", "true", 0},
    {"algorithmic_pin_enabled", "true", 0},
    {"auto_lock", "true", IN(IN_BOOL)},
    {"auto_lock_timeout", "20", 0},
    CREATED,
    {"default_guest_end_time", "null", IN(IN_CLOCK)},
    {"default_guest_start_time", "null", IN(IN_CLOCK)},
    {"local_pins", "[\"1234\"]", 0},
    {"mac_address", "null", 0},
    {"manual_auto_lock_timeout", "0", 0},
    {"muted", "false", IN(IN_BOOL)},
    {"nfc", "\"no_nfc\"", 0},
    {"smd", "\"1100\"", 0},
    {"no_enter_code", "false", 0},
    {"online_auto_lock", "false", 0},
    {"power_level", "100", 0},
    {"programming_code", "\"123456\"", IN(IN_TEXT)},
    {"state", "\"locked\"", 0},
    UPDATED,
    {"wake_wifi", "\"user_action\"", 0},
    {"wifi_enabled", "true", 0},
    MODEL_ID,
    LOCATION_ID,
    SCHEDULE("lock_action_schedule_id"),
    SCHEDULE("auto_lock_schedule_id"),
};

static const attr_spec acs_door_attrs[] = {
    {"connectivity_enabled", "true", 0},
    NAME,
    {"state", "\"locked\"", 0},
    {"connected", "true", 0},
    {"model_number", "\"Mercury\"", 0},
    CREATED,
    UPDATED,
    LOCATION_NAME,
    MODEL_ID,
    LOCATION_ID,
    SCHEDULE("lock_action_schedule_id"),
    SCHEDULE("auto_lock_schedule_id"),
};

static const attr_spec acs_elevator_floor_attrs[] = {
    {"connectivity_enabled", "true", 0},
    NAME,
    {"state", "\"locked\"", 0},
    {"number", "1", 0},
    {"model_number", "\"MercuryElevatorFloor\"", 0},
    CREATED,
    UPDATED,
    {"connected", "true", 0},
    LOCATION_NAME,
    MODEL_ID,
    LOCATION_ID,
    {"elevator_id", "null", 0},
};

static const attr_spec connector_lock_attrs[] = {
    {"connectivity_enabled", "true", 0},
    {"connected", "true", 0},
    {"connected_at", "null", 0},
    {"alive", "true", 0},
    NAME,
    {"power_level", "100", 0},
    {"serial_number", "null", IN(IN_TEXT)},
    {"signal_quality", "4", 0},
    {"state", "\"locked\"", 0},
    {"pending_physical_sync", "false", 0},
    {"model_number", "\"SchlageControl\"", 0},
    CREATED,
    UPDATED,
    LOCATION_NAME,
    LOCATION_ID,
    MODEL_ID,
    SCHEDULE("lock_action_schedule_id"),
    SCHEDULE("auto_lock_schedule_id"),
    CONFIGURATION,
};

static const attr_spec schlage_home_lock_attrs[] = {
    {"connectivity_enabled", "true", 0},
    NAME,
    {"state", "\"locked\"", 0},
    {"alive", "true", 0},
    {"connected", "true", 0},
    {"connected_at", "null", 0},
    {"power_level", "100", 0},
    {"integration_status", "\"connected\"", 0},
    {"integration_id", "null", 0},
    {"model_number", "\"SchlageEncode\"", 0},
    CREATED,
    UPDATED,
    LOCATION_NAME,
    {"serial_number", "null", IN(IN_TEXT)},
    LOCATION_ID,
    MODEL_ID,
};

static const attr_spec zwave_lock_attrs[] = {
    {"connectivity_enabled", "true", 0},
    NAME,
    {"state", "\"locked\"", 0},
    {"connected", "true", 0},
    {"power_level", "100", 0},
    {"protocol", "\"\"", 0},
    {"model_number", "\"ZWaveLock\"", 0},
    CREATED,
    UPDATED,
    LOCATION_NAME,
    LOCATION_ID,
    MODEL_ID,
};

static const attr_spec igloo_lock_attrs[] = {
    {"connectivity_enabled", "true", 0},
    NAME,
    {"model_number", "\"IglooLock\"", 0},
    LOCATION_NAME,
    {"integration_status", "\"connected\"", 0},
    {"integration_id", "null", 0},
    {"state", "\"locked\"", 0},
    {"pending_state", "null", 0},
    {"connected_at", "null", 0},
    {"alive", "true", 0},
    LOCATION_ID,
    MODEL_ID,
    CREATED_HIDDEN,
    UPDATED_HIDDEN,
};

static const attr_spec resort_lock_attrs[] = {
    NAME,
    {"default_guest_start_time", "null", IN(IN_CLOCK)},
    {"default_guest_end_time", "null", IN(IN_CLOCK)},
    {"model_number", "\"RL-4000\"", 0},
    CREATED,
    UPDATED,
    LOCATION_NAME,
    SERIAL_REQUIRED,
    MODEL_ID,
    LOCATION_ID,
};

static const attr_spec power_plug_attrs[] = {
    WIFI_DEVICE("\"hardwire\""),
    {"on", "false", 0},
    {"voltage", "120.0", 0},
    {"power", "0", 0},
    {"power_factor", "0", 0},
    {"current", "0", 0},
    {"frequency", "60.0", 0},
    {"total_power", "0", 0},
    {"occupied", "false", 0},
    MODEL_ID,
    LOCATION_ID,
    SCHEDULE("power_plug_schedule_id"),
    CREATED_HIDDEN,
    UPDATED_HIDDEN,
};

static const attr_spec thermostat_attrs[] = {
    WIFI_DEVICE("\"hardwire\""),
    {"current_mode", "\"off\"", 0},
    {"target_mode", "\"auto\"", 0},
    {"fan_mode", "\"auto\"", 0},
    {"hold", "false", 0},
    {"temperature", "70.0", 0},
    {"target_temperature", "70.0", 0},
    {"unit", "\"F\"", 0},
    {"humidity", "40", 0},
    {"energy_saver", "false", 0},
    {"scheduled_target_temperature", "70.0", 0},
    {"desired_target_temperature", "70.0", 0},
    CREATED,
    UPDATED,
    MODEL_ID,
    LOCATION_ID,
    SCHEDULE("thermostat_schedule_id"),
};

static const attr_spec connector_thermostat_attrs[] = {
    {"connectivity_enabled", "true", 0},
    {"connected", "true", 0},
    {"connected_at", "null", 0},
    {"alive", "true", 0},
    NAME,
    {"serial_number", "null", IN(IN_TEXT)},
    {"model_number", "\"Resideo\"", 0},
    {"power_level", "null", 0},
    {"temperature", "null", 0},
    {"outdoor_temperature", "null", 0},
    {"temperature_unit", "null", 0},
    {"outdoor_temperature_unit", "null", 0},
    {"humidity", "null", 0},
    {"outdoor_humidity", "null", 0},
    {"fan_status", "null", 0},
    {"fan_mode", "null", 0},
    {"system_mode", "null", 0},
    {"cool_set_point", "null", 0},
    {"heat_set_point", "null", 0},
    {"cool_set_point_status", "null", 0},
    {"heat_set_point_status", "null", 0},
    CREATED,
    UPDATED,
    LOCATION_NAME,
    LOCATION_ID,
    MODEL_ID,
    CONFIGURATION,
};

/* Guests of a lock kind that keeps its own guest list. Stays are in whole
 * hours, read by the hook (remotelock_guests.c), which also takes the
 * documented "2026-03-03 00:11:40 UTC" spelling. */
#define STAY(key) {key, "null", ATTR_REQUIRED | ATTR_ONCE}
static const attr_spec igloo_guest_attrs[] = {
    {"name", "null", ATTR_REQUIRED | IN(IN_TEXT)},
    {"email", "null", IN(IN_TEXT)},
    STAY("starts_at"),
    STAY("ends_at"),
    {"igloo_lock_id", "null", ATTR_REQUIRED | ATTR_ONCE | IN(IN_REF)},
    {"igloo_mobile_credentials_enabled", "false", IN(IN_BOOL)},
    CREATED,
    UPDATED,
    {"code", "null", IN(IN_PIN)},
    {"pin", "null", 0},
};

static const attr_spec resort_lock_guest_attrs[] = {
    {"name", "null", ATTR_REQUIRED | IN(IN_TEXT)},
    {"email", "null", IN(IN_TEXT)},
    STAY("starts_at"),
    STAY("ends_at"),
    {"one_time_access", "false", ATTR_ONCE | IN(IN_BOOL)},
    {"status", "null", ATTR_RENDER},
    {"source", "null", 0},
    {"guest_source", "null", 0},
    CREATED,
    UPDATED,
    {"pin", "null", 0},
    {"resort_lock_id", "null", ATTR_REQUIRED | ATTR_ONCE | IN(IN_REF)},
};

static const attr_spec kore_ready_pin_attrs[] = {
    {"uuid", "null", ATTR_RENDER},
    {"name", "null", ATTR_REQUIRED | IN(IN_TEXT)},
    {"email", "null", IN(IN_TEXT)},
    STAY("starts_at"),
    STAY("ends_at"),
    {"status", "null", ATTR_RENDER},
    {"source", "null", 0},
    CREATED,
    UPDATED,
    {"pin", "null", 0},
    {"lock_id", "null", ATTR_REQUIRED | ATTR_ONCE | IN(IN_REF)},
};

const type_spec schema_devices_types[] = {
    {"lock", lock_attrs, N(lock_attrs), NULL},
    {"acs_door", acs_door_attrs, N(acs_door_attrs), NULL},
    {"acs_elevator_floor", acs_elevator_floor_attrs, N(acs_elevator_floor_attrs), NULL},
    {"connector_lock", connector_lock_attrs, N(connector_lock_attrs), NULL},
    {"schlage_home_lock", schlage_home_lock_attrs, N(schlage_home_lock_attrs), NULL},
    {"zwave_lock", zwave_lock_attrs, N(zwave_lock_attrs), NULL},
    {"igloo_lock", igloo_lock_attrs, N(igloo_lock_attrs), NULL},
    {"resort_lock", resort_lock_attrs, N(resort_lock_attrs), NULL},
    {"power_plug", power_plug_attrs, N(power_plug_attrs), NULL},
    {"thermostat", thermostat_attrs, N(thermostat_attrs), NULL},
    {"connector_thermostat", connector_thermostat_attrs, N(connector_thermostat_attrs), NULL},
    {"igloo_guest", igloo_guest_attrs, N(igloo_guest_attrs), NULL},
    {"resort_lock_guest", resort_lock_guest_attrs, N(resort_lock_guest_attrs), NULL},
    {"kore_ready_pin", kore_ready_pin_attrs, N(kore_ready_pin_attrs), NULL},
    {NULL, NULL, 0, NULL},
};
const size_t schema_devices_ntypes = N(schema_devices_types) - 1;
