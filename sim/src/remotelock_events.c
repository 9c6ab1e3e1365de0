/* Events, the one place they are recorded: the event, a notification for
 * each active subscriber a notification subscription gives it, and a
 * webhook message for each webhook subscriber among them. A subscription
 * matches when one of its events[].event_type is the event's type without
 * "_event" and its publisher is the account, the location of the event's
 * device, or the event's publisher itself; access_person_used matches a
 * person's credential unlock (publisher: that person, the account or the
 * lock's location; with first_access only the person's first such use).
 * Also what happens at a device
 * (sim_events.h): keypad PINs, battery level and connectivity. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "remotelock.h"
#include "sim_events.h"

#define MAX_SUBSCRIBERS 256 /* distinct subscribers of one event; more are not notified */

static sim_webhook_outbox outbox;

void sim_events_set_outbox(sim_webhook_outbox fn)
{
    outbox = fn;
}

typedef struct subscribers {
    const cJSON *rec[MAX_SUBSCRIBERS];
    size_t n;
} subscribers;

static void add_subscriber(subscribers *s, const cJSON *sub)
{
    if (!sub || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec_attrs(sub), "active")))
        return;
    for (size_t i = 0; i < s->n; i++)
        if (s->rec[i] == sub)
            return;
    if (s->n < MAX_SUBSCRIBERS)
        s->rec[s->n++] = sub;
}

/* The subscription's publisher is the account, the device's location or
 * the record own_id names (the event's publisher, or its person). */
static int publishes(const cJSON *subscription, const cJSON *device, const char *own_id)
{
    const char *ptype = rec_str(subscription, "publisher_type");
    const char *pid = rec_str(subscription, "publisher_id");
    if (!ptype)
        return 0;
    if (strcmp(ptype, "account") == 0)
        return 1; /* one account per simulator */
    if (!pid)
        return 0;
    if (strcmp(ptype, "location") == 0) {
        const char *loc = rec_str(device, "location_id");
        return loc && strcmp(loc, pid) == 0;
    }
    return own_id && strcmp(own_id, pid) == 0;
}

/* An access person used a credential: an unlock naming the person with a
 * method (the keypad's "pin"; a remote unlock for a person has none). */
static int person_used(const cJSON *ev)
{
    const char *who = rec_str(ev, "associated_resource_type");
    return strcmp(rec_type(ev), "unlocked_event") == 0 && rec_str(ev, "method") && who &&
           (strcmp(who, "access_user") == 0 || strcmp(who, "access_guest") == 0);
}

/* "unlocked_event" is listed as {"event_type": "unlocked"}, a person's
 * credential unlock also as {"event_type": "access_person_used"} (with
 * "first_access": true only when first_use). */
static int subscribed(const cJSON *subscription, const cJSON *ev, const cJSON *device,
                      int first_use)
{
    const char *type = rec_type(ev);
    size_t len = strlen(type), suffix = strlen("_event");
    if (len > suffix && strcmp(type + len - suffix, "_event") == 0)
        len -= suffix;
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(rec_attrs(subscription), "events")) {
        const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "event_type"));
        if (!t)
            continue;
        if (strlen(t) == len && strncmp(t, type, len) == 0 &&
            publishes(subscription, device, rec_str(ev, "publisher_id")))
            return 1;
        if (strcmp(t, "access_person_used") == 0 && person_used(ev) &&
            (first_use || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "first_access"))) &&
            publishes(subscription, device, rec_str(ev, "associated_resource_id")))
            return 1;
    }
    return 0;
}

static void find_subscribers(store_data *d, const cJSON *ev, const cJSON *device, int first_use,
                             subscribers *out)
{
    const cJSON *subs = rl_list(d, "notification_subscribers"), *it;
    out->n = 0;
    cJSON_ArrayForEach(it, rl_list(d, "notification_subscriptions")) {
        if (subscribed(it, ev, device, first_use))
            add_subscriber(out, store_find(subs, rec_str(it, "subscriber_id")));
    }
}

static const char *device_zone(const store_data *d, const cJSON *device)
{
    const char *zone = rl_location_zone(d, rec_str(device, "location_id"));
    return zone ? zone : d->time_zone;
}

/* Sends the rendered event to the webhook subscribers among subs. */
static void post_webhooks(res_ctx *c, const cJSON *ev, const subscribers *subs)
{
    cJSON *payload = NULL;
    for (size_t i = 0; outbox && i < subs->n; i++) {
        const cJSON *sub = subs->rec[i];
        if (strcmp(rec_type(sub), "webhook_notification_subscriber") != 0)
            continue;
        if (!payload) {
            /* A subscriber speaks no flavour: the payload is the current
             * API's event, whichever flavour the request that caused it. */
            sim_request current = *c->req;
            res_ctx cc = *c;
            current.flavour = SIM_FLAVOUR_CURRENT;
            cc.req = &current;
            cJSON *data = res_render(&cc, res_def_find(c->api, "events"), ev, 1);
            payload = cJSON_CreateObject();
            if (!data || !payload || jsonapi_add(payload, "data", data)) {
                cJSON_Delete(payload);
                return;
            }
        }
        sim_webhook_msg m = {
            .subscriber_id = rec_id(sub), .event_id = rec_id(ev), .url = rec_str(sub, "url"),
            .content_type = rec_str(sub, "content_type"), .secret = rec_str(sub, "secret"),
            .payload = payload,
        };
        outbox(&m, c->req->now);
    }
    cJSON_Delete(payload);
}

int rl_event_record(res_ctx *c, const cJSON *device, const char *type, const cJSON *person,
                    cJSON *extra, cJSON **recorded)
{
    store_data *d = c->d;
    time_t now = c->req->now;
    char ts[TZ_UTC_LEN];
    tz_format_utc(now, ts);
    cJSON *ev = res_new_record(d, type, now), *notes = cJSON_CreateArray();
    int rc = ev && notes ? 0 : -1;
    rc |= rec_set_str(ev, "time_zone", device_zone(d, device));
    rc |= rec_set_str(ev, "occurred_at", ts);
    rc |= rec_set_str(ev, "publisher_id", rec_id(device));
    rc |= rec_set_str(ev, "publisher_type", rec_type(device));
    if (person) {
        rc |= rec_set_str(ev, "associated_resource_id", rec_id(person));
        rc |= rec_set_str(ev, "associated_resource_type", rec_type(person));
    }
    const cJSON *x;
    cJSON_ArrayForEach(x, extra)
        rc |= rec_set(ev, x->string, cJSON_Duplicate(x, 1));
    cJSON_Delete(extra);
    /* The person's first credential use is stamped on the person. */
    cJSON *user = !rc && person_used(ev)
                      ? store_find(rl_list(d, "access_persons"), rec_id(person)) : NULL;
    int first_use = user && !rec_str(user, "first_used_at");
    subscribers subs = {.n = 0};
    if (!rc)
        find_subscribers(d, ev, device, first_use, &subs);
    for (size_t i = 0; !rc && i < subs.n; i++) {
        cJSON *n = res_new_record(d, "notification", now);
        rc |= rec_set_str(n, "subscriber_id", rec_id(subs.rec[i]));
        rc |= rec_set_str(n, "subscriber_type", rec_type(subs.rec[i]));
        rc |= rec_set_str(n, "publisher_id", rec_id(device));
        rc |= rec_set_str(n, "publisher_type", rec_type(device));
        rc |= rec_set_str(n, "event_id", rec_id(ev));
        rc |= rec_set_str(n, "event_type", type);
        rc |= jsonapi_append(notes, n);
    }
    if (rc || !cJSON_AddItemToArray(rl_list(d, "events"), ev)) {
        cJSON_Delete(ev);
        cJSON_Delete(notes);
        return -1;
    }
    while (notes->child) {
        cJSON *n = cJSON_DetachItemViaPointer(notes, notes->child);
        if (!cJSON_AddItemToArray(rl_list(d, "notifications"), n))
            cJSON_Delete(n);
    }
    cJSON_Delete(notes);
    if (first_use)
        rec_set_str(user, "first_used_at", ts); /* out of memory: the next use is first */
    post_webhooks(c, ev, &subs);
    if (recorded)
        *recorded = ev;
    return 0;
}

/* ---- what happens at a device ----------------------------------------- */

static void message(sim_response *res, int status, const char *text)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "message", text);
    res->status = status;
    res->body = doc;
}

/* A write outside an API request: memos expire as for one. */
static res_ctx *begin(sim_store *st, const sim_request *rq, sim_response *res)
{
    res_ctx *c = calloc(1, sizeof *c);
    if (!c) {
        message(res, 500, "out of memory");
        return NULL;
    }
    c->d = &st->d;
    c->api = st->api;
    c->req = rq;
    c->res = res;
    c->base = rq->base_url ? rq->base_url : "";
    c->d->writing = 1;
    c->d->gen++;
    return c;
}

static void end(res_ctx *c)
{
    c->d->writing = 0;
    free(c);
}

/* 200 {"data": device, "events": [each recorded event]}. */
static void answer(res_ctx *c, cJSON *dev, cJSON *const *events, size_t n)
{
    const res_def *devices = res_def_find(c->api, "devices");
    const res_def *evdef = res_def_find(c->api, "events");
    cJSON *doc = cJSON_CreateObject(), *list = cJSON_CreateArray();
    int rc = doc && list ? 0 : -1;
    for (size_t i = 0; !rc && i < n; i++)
        rc |= jsonapi_append(list, res_render(c, evdef, events[i], 1));
    rc |= jsonapi_add(doc, "data", res_render(c, devices, dev, 1));
    rc |= jsonapi_add(doc, "events", list);
    if (rc) {
        cJSON_Delete(doc);
        message(c->res, 500, "out of memory");
        return;
    }
    c->res->status = 200;
    c->res->body = doc;
}

static cJSON *find_device(res_ctx *c, const char *id)
{
    cJSON *dev = id ? store_find(rl_list(c->d, "devices"), id) : NULL;
    if (!dev)
        message(c->res, 404, "no device with this id");
    return dev;
}

/* 1 when the device's type has the attribute. */
static int has_attr(const cJSON *dev, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(rec_attrs(dev), key) != NULL;
}

static int local_pin(const cJSON *dev, const char *pin)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(rec_attrs(dev), "local_pins")) {
        const char *s = cJSON_GetStringValue(p);
        if (s && strcmp(s, pin) == 0)
            return 1;
    }
    return 0;
}

/* Day of the week of a "YYYY-MM-DD" date as a schedule key (proleptic
 * Gregorian days since 1970-01-01, a Thursday). */
static const char *weekday(const char *date)
{
    static const char *const keys[] = {"thu", "fri", "sat", "sun", "mon", "tue", "wed"};
    int y = 0, m = 0, d = 0;
    if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return NULL;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    return keys[((days % 7) + 7) % 7];
}

/* A grant is in force now: it names no access schedule the simulator
 * holds, or a window of today's list of that schedule holds the wall
 * clock of the device's zone (start inclusive, end exclusive) and today
 * is in none of the date ranges of the schedule's access exception. */
static int grant_in_force(res_ctx *c, const cJSON *grant, const cJSON *dev)
{
    const cJSON *sched = store_find(rl_list(c->d, "schedules"),
                                    rec_str(grant, "access_schedule_id"));
    if (!sched || strcmp(rec_type(sched), "access_schedule") != 0)
        return 1;
    char local[TZ_LOCAL_LEN], date[11], hhmm[6];
    if (tz_local_time(device_zone(c->d, dev), c->req->now, local) != 0)
        return 0;
    snprintf(date, sizeof date, "%.10s", local);
    snprintf(hhmm, sizeof hhmm, "%.5s", local + 11);
    const cJSON *exception = store_find(rl_list(c->d, "access_exceptions"),
                                        rec_str(sched, "access_exception_id"));
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(rec_attrs(exception), "dates")) {
        const char *from = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "start_date"));
        const char *to = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "end_date"));
        if (from && to && strcmp(from, date) <= 0 && strcmp(date, to) <= 0)
            return 0;
    }
    const char *day = weekday(date);
    const cJSON *windows = day ? cJSON_GetObjectItemCaseSensitive(rec_attrs(sched), day) : NULL;
    cJSON_ArrayForEach(it, windows) {
        const char *from = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "start_time"));
        const char *to = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "end_time"));
        if (from && to && strncmp(from, hhmm, 5) <= 0 && strncmp(hhmm, to, 5) < 0)
            return 1;
    }
    return 0;
}

/* The person may open dev now: current, with a grant reaching it in force. */
static int may_open(res_ctx *c, const cJSON *person, const cJSON *dev)
{
    if (strcmp(rl_person_status(c, person), "current") != 0)
        return 0;
    const char *pid = rec_id(person);
    const cJSON *a;
    cJSON_ArrayForEach(a, rl_list(c->d, "accesses")) {
        const char *owner = rec_str(a, "access_person_id");
        if (owner && strcmp(owner, pid) == 0 && rl_grant_reaches(c->d, a, dev) &&
            grant_in_force(c, a, dev))
            return 1;
    }
    return 0;
}

void sim_keypad_pin(sim_store *st, const sim_request *rq, const char *device_id,
                    const char *pin, sim_response *res)
{
    res->status = 0;
    res->body = NULL;
    res_ctx *c = begin(st, rq, res);
    cJSON *dev = c ? find_device(c, device_id) : NULL;
    if (dev && !has_attr(dev, "state")) {
        message(res, 422, "this device type has no keypad the simulator models "
                          "(no lock state)");
        dev = NULL;
    }
    if (!dev) {
        if (c)
            end(c);
        return;
    }
    /* The person allowed in, else the first whose PIN it is (denied). */
    const cJSON *allowed = NULL, *owner = NULL, *p;
    cJSON_ArrayForEach(p, rl_list(c->d, "access_persons")) {
        const char *want = rec_str(p, "pin");
        if (!want || strcmp(want, pin) != 0)
            continue;
        if (!owner)
            owner = p;
        if (may_open(c, p, dev)) {
            allowed = p;
            break;
        }
    }
    int open = allowed || (!owner && local_pin(dev, pin));
    cJSON *extra = cJSON_CreateObject(), *ev = NULL;
    char now[TZ_UTC_LEN];
    res_now(c, now);
    int rc = extra ? 0 : -1;
    rc |= jsonapi_add_str(extra, "method", "pin");
    rc |= jsonapi_add_str(extra, "pin", pin);
    if (open)
        rc |= rec_set_str(dev, "state", "unlocked") | rec_set_str(dev, "updated_at", now);
    if (rc || rl_event_record(c, dev, open ? "unlocked_event" : "access_denied_event",
                              open ? allowed : owner, rc ? NULL : extra, &ev) != 0) {
        if (rc)
            cJSON_Delete(extra);
        message(res, 500, "out of memory");
    } else {
        answer(c, dev, &ev, 1);
    }
    end(c);
}

static cJSON *one_attr(const char *key, cJSON *value)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !value || jsonapi_add(o, key, value)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

void sim_device_report(sim_store *st, const sim_request *rq, const char *device_id,
                       const cJSON *changes, sim_response *res)
{
    res->status = 0;
    res->body = NULL;
    res_ctx *c = begin(st, rq, res);
    cJSON *dev = c ? find_device(c, device_id) : NULL;
    if (!dev) {
        if (c)
            end(c);
        return;
    }
    const cJSON *level = cJSON_GetObjectItemCaseSensitive(changes, "power_level");
    const cJSON *conn = cJSON_GetObjectItemCaseSensitive(changes, "connected");
    const cJSON *alive = cJSON_GetObjectItemCaseSensitive(changes, "alive");
    if ((level && !has_attr(dev, "power_level")) || (conn && !has_attr(dev, "connected")) ||
        (alive && !has_attr(dev, "alive"))) {
        message(res, 422, "this device type reports no such attribute");
        end(c);
        return;
    }
    const cJSON *attrs = rec_attrs(dev);
    double old_level = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(attrs, "power_level"));
    int was_connected = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(attrs, "connected"));
    char now[TZ_UTC_LEN];
    res_now(c, now);
    cJSON *events[2];
    size_t n = 0;
    int rc = rec_set_str(dev, "updated_at", now);
    if (level) {
        rc |= rec_set(dev, "power_level", cJSON_CreateNumber(level->valuedouble));
        /* Low and replaced exclude each other: at most one of the two. */
        const char *change = NULL;
        if (level->valuedouble < SIM_POWER_LEVEL_LOW && !(old_level < SIM_POWER_LEVEL_LOW))
            change = "power_level_low_event";
        else if (old_level < SIM_POWER_LEVEL_LOW && level->valuedouble >= SIM_POWER_LEVEL_REPLACED)
            change = "battery_replaced_event";
        if (!rc && change)
            rc |= rl_event_record(c, dev, change, NULL,
                                  one_attr("power_level", cJSON_CreateNumber(level->valuedouble)),
                                  &events[n++]);
    }
    if (alive)
        rc |= rec_set(dev, "alive", cJSON_CreateBool(cJSON_IsTrue(alive)));
    if (conn && cJSON_IsTrue(conn) != was_connected) {
        rc |= rec_set(dev, "connected", cJSON_CreateBool(cJSON_IsTrue(conn)));
        if (cJSON_IsTrue(conn))
            rc |= rec_set_str(dev, "connected_at", now);
        const char *at = rec_str(dev, "connected_at");
        if (!rc)
            rc |= rl_event_record(c, dev, "connectivity_event", NULL,
                                  one_attr("connected_at", at ? cJSON_CreateString(at)
                                                              : cJSON_CreateNull()),
                                  &events[n++]);
    }
    if (rc)
        message(res, 500, "out of memory");
    else
        answer(c, dev, events, n);
    end(c);
}

int sim_subscriber_active(sim_store *st, const char *subscriber_id)
{
    const cJSON *sub = store_find(rl_list(&st->d, "notification_subscribers"), subscriber_id);
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec_attrs(sub), "active"));
}

void sim_subscriber_deactivate(sim_store *st, const char *subscriber_id, time_t now)
{
    sim_request rq = {.method = "PUT", .path = "/", .now = now};
    sim_response res = {0};
    res_ctx *c = begin(st, &rq, &res);
    if (!c)
        return;
    cJSON *sub = store_find(rl_list(c->d, "notification_subscribers"), subscriber_id);
    char ts[TZ_UTC_LEN];
    res_now(c, ts);
    if (sub && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec_attrs(sub), "active"))) {
        rec_set(sub, "active", cJSON_CreateFalse());
        rec_set_str(sub, "updated_at", ts);
    }
    end(c);
    cJSON_Delete(res.body);
}
