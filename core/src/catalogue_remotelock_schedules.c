/* RemoteLock rows: schedules (access, auto lock, lock action, power plug,
 * thermostat) and the access exceptions (holidays) an access schedule
 * skips. */
#include "catalogue_remotelock.h"

static const char *const t_schedules[] = {
    "access_schedule", "auto_lock_schedule", "lock_action_schedule",
    "power_plug_schedule", "thermostat_schedule", NULL
};

static const lc_endpoint rows[] = {
    /* access exceptions (holidays an access schedule skips) */
    LIST("access_exceptions.list", "/access_exceptions", "access_exceptions", lc_rl_q_sorted,
         lc_rl_s_name, "created_at", NULL, "Get all access exceptions"),
    SHOW("access_exceptions.get", "/access_exceptions/:id", "access_exception",
         "Get an access exception"),
    WRITE("access_exceptions.create", "POST", "/access_exceptions", POSTB, LC_BODY_ATTRIBUTES,
          "create_access_exception", NULL, "Create an access exception"),
    WRITE("access_exceptions.update", "PUT", "/access_exceptions/:id", PUTB, LC_BODY_ATTRIBUTES,
          "update_access_exception", NULL, "Update an access exception"),
    ACTION("access_exceptions.delete", "DELETE", "/access_exceptions/:id", DEL,
           "delete_access_exception", "Delete an access exception"),

    /* schedules: access, auto lock, lock action, power plug, thermostat */
    LIST("schedules.list", "/schedules", "schedules", lc_rl_q_typed, lc_rl_s_name, "created_at",
         t_schedules, "Get all schedule types (homogeneous)"),
    SHOW("schedules.get", "/schedules/:id", "schedule", "Get a schedule"),
    WRITE("schedules.create", "POST", "/schedules", POSTB, LC_BODY_TYPED, "create_schedule",
          t_schedules, "Create a schedule (access, auto lock, lock action, power plug, thermostat)"),
    WRITE("schedules.update", "PUT", "/schedules/:id", PUTB, LC_BODY_ATTRIBUTES,
          "update_schedule", NULL, "Update a schedule"),
    ACTION("schedules.delete", "DELETE", "/schedules/:id", DEL, "delete_schedule",
           "Delete a schedule"),
};

const lc_catalogue_part lc_rl_part_schedules = PART(rows);
