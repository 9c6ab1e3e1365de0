/* What happens at a device, as operators' tests make it happen (/_sim/
 * control, control.c), and the webhook worker's decisions (webhooks.c):
 * the resource side (remotelock_events.c) records the events the cloud
 * would, with their notifications and webhook messages. Each call fills
 * res as sim_resources_handle does (body owned by the caller): 200 with
 * {"data": device, "events": [...]}, 404 or 422 {"message": ...}. */
#ifndef SIM_EVENTS_H
#define SIM_EVENTS_H

#include <time.h>
#include <cjson/cJSON.h>

#include "sim_resources.h"

/* What a webhook subscriber receives for one event. */
typedef struct sim_webhook_msg {
    const char *subscriber_id;
    const char *event_id;
    const char *url;
    const char *content_type; /* "json" or "form" (anything else: form) */
    const char *secret;       /* X-Secret, or NULL: no header */
    const cJSON *payload;     /* {"data": event}; the outbox copies it */
} sim_webhook_msg;

/* Where webhook messages go, on the server's thread (webhooks.c hooks its
 * queue in at start); NULL, the default: nowhere. */
typedef void (*sim_webhook_outbox)(const sim_webhook_msg *m, time_t now);
void sim_events_set_outbox(sim_webhook_outbox outbox);

/* Below this battery percentage a device reports power_level_low. */
#define SIM_POWER_LEVEL_LOW 20
/* From a low level to at least this one, the battery was replaced (the
 * documentation gives no rule: a fresh battery reads high). */
#define SIM_POWER_LEVEL_REPLACED 80

/* A PIN typed at the keypad of a device: an unlocked_event (the person as
 * associated resource; the device unlocks) when the PIN is a person's who
 * is current now with a grant reaching the device that is in force (its
 * access schedule, in the device's zone, minus its access exception), or
 * one of the device's local_pins; else an access_denied_event (with the
 * PIN's person when there is one). rq gives the clock and the base URL of
 * links. */
void sim_keypad_pin(sim_store *st, const sim_request *rq, const char *device_id,
                    const char *pin, sim_response *res);

/* State a device reports: any of power_level (integer 0..100), connected
 * and alive (booleans), already type-checked. Falling below
 * SIM_POWER_LEVEL_LOW records power_level_low_event, rising from below it
 * to SIM_POWER_LEVEL_REPLACED or more battery_replaced_event; a change of
 * connected records connectivity_event (coming online sets connected_at). */
void sim_device_report(sim_store *st, const sim_request *rq, const char *device_id,
                       const cJSON *changes, sim_response *res);

/* 1 when the subscriber exists and is active (its messages may go out). */
int sim_subscriber_active(sim_store *st, const char *subscriber_id);

/* The documented webhook deactivation: active false (no-op when gone). */
void sim_subscriber_deactivate(sim_store *st, const char *subscriber_id, time_t now);

#endif
