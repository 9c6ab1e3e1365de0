/* RemoteLock rows: devices of every type (register, update, lock, unlock,
 * temporary unlock, for an access person, power plugs, connector
 * configuration), LockState v1's ACS doors, and the brands and models
 * devices are registered with. */
#include "catalogue_remotelock.h"

static const lc_param q_models[] = {
    P_SORT, { "capabilities", LC_PARAM_NESTED }, P_ID, P_ATTRS, P_END
};
static const char *const s_models[] = { "number", NULL };

#define Q_FILTER lc_rl_q_filter
#define PIN_BODY LC_BODY_DOCUMENT /* {pin = "..."} when require_pin_verification, else {} */

static const lc_endpoint rows[] = {
    /* devices: locks, thermostats, power plugs, ACS doors, connector and
     * resort locks ... (one collection, typed items) */
    LIST("devices.list", "/devices", "devices", lc_rl_q_typed, lc_rl_s_name, "created_at", NULL,
         "Returns all device types (homogeneous)"),
    SHOW("devices.get", "/devices/:id", "device", "Get a device"),
    WRITE("devices.register", "POST", "/devices", POSTB, LC_BODY_ATTRIBUTES, "register_device",
          NULL, "Register a device (its model and serial number say which type)"),
    WRITE("devices.update", "PUT", "/devices/:id", PUTB, LC_BODY_ATTRIBUTES, "update_device",
          NULL, "Update a device (name, location, settings, configuration)"),
    ACTION("devices.deregister", "DELETE", "/devices/:id", DEL, "deregister_device",
           "Deregister a device"),
    ACTION("devices.lock", "PUT", "/devices/:id/lock", PUT0, "lock", "Lock a lock"),
    ACTION("devices.unlock", "PUT", "/devices/:id/unlock", PUT0, "unlock", "Unlock a lock"),
    ACTION("devices.temporary_unlock", "PUT", "/devices/:id/temporary_unlock", PUT0 | NOW,
           "temporary_unlock", "Temporarily unlock a device (ACS door, connector lock)"),
    ACTION("devices.lock_for", "PUT", "/devices/:id/lock/:access_person_id", PUT0 | NOW,
           "lock_for", "Lock a device for an access person"),
    WRITE("devices.unlock_for", "PUT", "/devices/:id/unlock/:access_person_id", PUTB | NOW,
          PIN_BODY, "unlock_for", NULL,
          "Unlock a device for an access person (after checking its access)"),
    WRITE("devices.temporary_unlock_for", "PUT", "/devices/:id/temporary_unlock/:access_person_id",
          PUTB | NOW, PIN_BODY, "temporary_unlock_for", NULL,
          "Temporarily unlock a device after checking an access person's access"),
    ACTION("devices.power_on", "PUT", "/devices/:id/power_on", PUT0 | V1, "power_on",
           "Power on a power plug"),
    ACTION("devices.power_off", "PUT", "/devices/:id/power_off", PUT0 | V1, "power_off",
           "Power off a power plug"),
    LIST("devices.accesses", "/devices/:id/access_person_accesses", "device_accesses", Q_FILTER,
         NULL, NULL, NULL, "Access person accesses of a device (filter by access_person_type)"),
    SHOW_F(NOW, "devices.configurability", "/devices/:id/configurability",
           "device_configurability", "Get the configuration schema of a connector device"),
    SHOW_F(NOW, "devices.configuration", "/devices/:id/configuration", "device_configuration",
           "Get the configuration of a connector device"),

    /* LockState v1 ACS doors */
    LIST_F(V1, "acs_doors.list", "/acs/doors", "acs_doors", lc_rl_q_sorted, lc_rl_s_name,
           "created_at", NULL, "Get all ACS doors"),
    SHOW_F(V1, "acs_doors.get", "/acs/doors/:id", "acs_door", "Get an ACS door"),
    ACTION("acs_doors.lock", "PUT", "/acs/doors/:id/lock", PUT0 | V1, "lock_acs_door",
           "Lock an ACS door"),
    ACTION("acs_doors.unlock", "PUT", "/acs/doors/:id/unlock", PUT0 | V1, "unlock_acs_door",
           "Unlock an ACS door"),
    ACTION("acs_doors.temporary_unlock", "PUT", "/acs/doors/:id/temporary_unlock", PUT0 | V1,
           "temporary_unlock_acs_door", "Temporarily unlock an ACS door"),
    LIST_F(V1, "acs_doors.accesses", "/acs/doors/:id/access_person_accesses",
           "acs_door_accesses", Q_FILTER, NULL, NULL, NULL,
           "Access person accesses of an ACS door (filter by access_person_type)"),

    /* brands and models */
    LIST_F(NOW, "brands.list", "/brands", "brands", Q_FILTER, NULL, NULL, NULL,
           "Returns all brands"),
    LIST_F(NOW, "brands.models", "/brands/:brand_id/models", "brand_models", Q_FILTER, NULL,
           NULL, NULL, "Returns the models of a brand"),
    LIST("models.list", "/models", "models", q_models, s_models, NULL, NULL,
         "Get all models (filter by capabilities)"),
    SHOW("models.get", "/models/:id", "model", "Get a model"),
    LIST_F(NOW, "ready_pin_models.list", "/ready_pin_models", "ready_pin_models", Q_FILTER,
           NULL, NULL, NULL, "Get all ready PIN models"),
};

const lc_catalogue_part lc_rl_part_devices = PART(rows);
