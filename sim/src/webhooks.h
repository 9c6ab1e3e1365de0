/* Webhook deliveries (docs/SIMULATOR.md, "Webhooks"): the resource side
 * posts one message per webhook subscriber of an event; a worker thread
 * sends it as an HTTPS POST (3 s deadline, certificate verified, loopback
 * targets only) and retries a failed message every hour of simulator time
 * for 72 hours, then asks for the subscriber to be deactivated. The worker
 * never touches the store: the server applies its decisions on its own
 * thread (sim_webhooks_sync), so request handling never waits for a
 * receiver. Without sim_webhooks_start (store tests, fuzzing) the
 * resource side has no outbox and posts nothing. */
#ifndef SIM_WEBHOOKS_H
#define SIM_WEBHOOKS_H

#include <stddef.h>
#include <time.h>
#include <cjson/cJSON.h>

#include "clock.h"
#include "sim_events.h"
#include "sim_resources.h"

/* Starts the worker and makes it the resource side's outbox
 * (sim_events_set_outbox). cafile: CA bundle receivers are verified
 * against (NULL: the system's); allow_http: http:// receivers too (tests
 * only). 0, or -1 with err. */
int sim_webhooks_start(const char *cafile, int allow_http, const sim_clock *clock,
                       char *err, size_t errlen);
/* Stops the worker (an attempt in flight is cut at once), unhooks the
 * outbox and frees all. */
void sim_webhooks_stop(void);

/* The outbox: queues a message at simulator time now (the resource side,
 * on the server's thread). Dropped (and logged) when the queue is full. */
void sim_webhooks_post(const sim_webhook_msg *m, time_t now);
/* The server's clock moved or was set: retries follow it. */
void sim_webhooks_clock(const sim_clock *clock);
/* Server thread, before each request: deactivates the subscribers whose
 * messages failed for 72 hours (sim_subscriber_deactivate) and drops the
 * queued messages of inactive or deleted subscribers. */
void sim_webhooks_sync(sim_store *store, time_t now);
/* Drops queued messages, the attempt log and pending decisions
 * (/_sim/reset, /_sim/fixture). */
void sim_webhooks_reset(void);
/* {"queued": N (retries waiting included), "sending": bool, "attempts":
 * [...]}: every attempt since the last reset, oldest first (the latest
 * 1,000). */
cJSON *sim_webhooks_to_json(void);

/* Form bodies: the document as Rails-style nested parameters
 * (data[attributes][pin]=1234; arrays as key[]; null as an empty value).
 * malloc'd, or NULL. */
char *sim_webhook_form(const cJSON *doc);

#endif
