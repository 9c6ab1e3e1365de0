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
/* 1 when a grant of person reaches the device: itself or its location. */
int rl_person_reaches(const store_data *d, const cJSON *person, const cJSON *device);

/* Records an event of device at the clock (remotelock_events.c): with
 * person as associated resource (NULL: none) and the attributes of extra
 * (consumed, may be NULL), the notifications of the subscriptions it
 * matches and their webhook messages. *recorded (may be NULL) gets the
 * stored event. Everything is built first, so a failure adds nothing.
 * 0 / -1. */
int rl_event_record(res_ctx *c, const cJSON *device, const char *type, const cJSON *person,
                    cJSON *extra, cJSON **recorded);

/* Locations (remotelock_account.c): input, deletion of one in use. */
int rl_location_apply(res_ctx *c, cJSON *rec, const cJSON *attrs, jsonapi_errors *e);
void rl_location_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e);
int rl_location_route(res_ctx *c, const res_def *def);
/* The account and the signed-in user (remotelock_account.c). */
int rl_account_load(store_data *d, cJSON *rec, char *msg, size_t msglen);
int rl_user_load(store_data *d, cJSON *rec, char *msg, size_t msglen);

/* Hardware catalogues (remotelock_catalogue.c). */
int rl_brand_load(store_data *d, cJSON *rec, char *msg, size_t msglen);
int rl_brand_route(res_ctx *c, const res_def *def);
int rl_model_load(store_data *d, cJSON *rec, char *msg, size_t msglen);
int rl_model_compute(res_ctx *c, const cJSON *rec, cJSON *computed);
int rl_model_route(res_ctx *c, const res_def *def);
int rl_smart_cards_route(res_ctx *c, const res_def *def);

/* Notification subscribers and subscriptions (remotelock_notifications.c). */
void rl_subscriber_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e);
void rl_subscription_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e);

/* Door groups (remotelock_groups.c): members, the accesses CSV. */
int rl_group_route(res_ctx *c, const res_def *def);
/* Answers the group's accesses CSV (remotelock_group_csv.c). */
void rl_group_accesses_csv(res_ctx *c, const cJSON *group);
void rl_group_member_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e);
/* 1 when dev is a member of group group_id, directly or through the
 * groups inside it (current items or v1 doors). */
int rl_group_holds(const store_data *d, const char *group_id, const cJSON *dev);
/* The time zone of a group's first member device with a location (groups
 * inside it followed), or NULL. */
const char *rl_group_zone(const store_data *d, const cJSON *group);

/* Devices beyond lock/unlock: temporary unlock, v1 power plugs
 * (remotelock_devices.c); registration by type, settings, a connector's
 * configuration (remotelock_device_settings.c). */
void rl_device_temporary_unlock(res_ctx *c, cJSON *rec, const char *arg);
void rl_device_power_on(res_ctx *c, cJSON *rec, const char *arg);
void rl_device_power_off(res_ctx *c, cJSON *rec, const char *arg);
int rl_device_route(res_ctx *c, const res_def *def);
int rl_device_apply(res_ctx *c, cJSON *rec, const cJSON *attrs, jsonapi_errors *e);
void rl_device_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e);
int rl_device_load(store_data *d, cJSON *rec, char *msg, size_t msglen);
void rl_device_configurability(res_ctx *c, cJSON *rec, const char *arg);
void rl_device_configuration(res_ctx *c, cJSON *rec, const char *arg);
/* A grant reaches dev: names it, its location or a door group holding it. */
int rl_grant_reaches(const store_data *d, const cJSON *grant, const cJSON *dev);
/* GET <device>/access_person_accesses: every grant that reaches it. */
void rl_device_accesses(res_ctx *c, const cJSON *dev);

/* Guests kept by igloo, resort and KORE ReadyPIN locks
 * (remotelock_guests.c), their instruction emails (remotelock_email.c). */
int rl_lock_guest_compute(res_ctx *c, const cJSON *rec, cJSON *computed);
const char *rl_lock_guest_computed_str(res_ctx *c, const cJSON *rec, const char *name);
int rl_lock_guest_apply(res_ctx *c, cJSON *rec, const cJSON *attrs, jsonapi_errors *e);
void rl_lock_guest_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e);
int rl_lock_guest_load(store_data *d, cJSON *rec, char *msg, size_t msglen);
void rl_ready_pin_may_update(res_ctx *c, const cJSON *rec, jsonapi_errors *e);
int rl_ready_pin_route(res_ctx *c, const res_def *def);
void rl_person_email_notify(res_ctx *c, cJSON *rec, const char *arg);
void rl_resort_guest_email_notify(res_ctx *c, cJSON *rec, const char *arg);
void rl_resort_guest_email_preview(res_ctx *c, cJSON *rec, const char *arg);

/* A person's mobile accesses, credentials and Allegion tokens
 * (remotelock_mobile.c); the CSV import (remotelock_import.c). */
void rl_person_mobile_accesses(res_ctx *c, cJSON *rec, const char *arg);
void rl_person_mobile_credentials(res_ctx *c, cJSON *rec, const char *arg);
void rl_person_allegion_tokens(res_ctx *c, cJSON *rec, const char *arg);
void rl_person_import(res_ctx *c, cJSON *rec, const char *arg);

/* The accessible types of a grant and the rows that hold them, and the
 * grant's reference to its accessible (the table's own row entry). */
extern const res_poly rl_accessible_types[];
extern const res_ref rl_accessible_ref;

#endif
