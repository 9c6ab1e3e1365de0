/* Hooks of the RemoteLock table (remotelock.c): only behaviour the table
 * cannot say. */
#ifndef SIM_REMOTELOCK_H
#define SIM_REMOTELOCK_H

#include "engine.h"

/* The stored list of a RemoteLock row ("access_persons", ...). */
cJSON *rl_list(const store_data *d, const char *row);

/* Access persons (remotelock_persons.c) and their status
 * (remotelock_status.c). */
int rl_person_compute(res_ctx *c, const cJSON *rec, cJSON *computed);
const char *rl_person_computed_str(res_ctx *c, const cJSON *rec, const char *name);
cJSON *rl_person_meta(res_ctx *c, const cJSON *rec);
void rl_person_may_update(res_ctx *c, const cJSON *rec, jsonapi_errors *e);
int rl_person_apply(res_ctx *c, cJSON *rec, const cJSON *attrs, jsonapi_errors *e);
void rl_person_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e);
int rl_person_load(store_data *d, cJSON *rec, char *msg, size_t msglen);
void rl_person_deactivate(res_ctx *c, cJSON *rec, const char *arg);
int rl_person_deactivated(const cJSON *person);
/* "current", "upcoming", "expired" or "deactivated". */
const char *rl_person_status(res_ctx *c, const cJSON *person);
/* Memo of every person's status inputs (zone of the first grant, stay),
 * so a listing computes status for 10,000 persons cheaply. */
void rl_status_memo_build(res_ctx *c);
/* Zone of a location id, or NULL. */
const char *rl_location_zone(const store_data *d, const char *location_id);
int rl_location_load(store_data *d, cJSON *rec, char *msg, size_t msglen);

/* Devices, accesses, events (remotelock_devices.c). */
void rl_device_lock(res_ctx *c, cJSON *rec, const char *arg);
void rl_device_unlock(res_ctx *c, cJSON *rec, const char *arg);
int rl_access_compute(res_ctx *c, const cJSON *rec, cJSON *computed);
void rl_access_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e);
int rl_event_load(store_data *d, cJSON *rec, char *msg, size_t msglen);
int rl_notification_load(store_data *d, cJSON *rec, char *msg, size_t msglen);

/* The accessible types of a grant and the rows that hold them, and the
 * grant's reference to its accessible (the table's own row entry). */
extern const res_poly rl_accessible_types[];
extern const res_ref rl_accessible_ref;

#endif
