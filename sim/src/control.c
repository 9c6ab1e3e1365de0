/* /_sim/ control endpoints: no auth, never rate-limited, faulted or logged.
 * Bad input answers 400 {"message":...} and changes nothing. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_util.h"
#include "server.h"
#include "sim_events.h"
#include "webhooks.h"

#define MAX_ADVANCE (100.0 * 366 * 24 * 3600)
#define LATEST_CLOCK 253402300799.0 /* 9999-12-31T23:59:59Z */

static const char *const config_keys[] = {"token_ttl", "rate_limit", "rate_window", NULL};

static int is(const sim_http_req *req, const char *method, const char *path)
{
    return strcmp(req->method, method) == 0 && strcmp(req->path, path) == 0;
}

/* 1 when the JSON text holds the escape \u0000: cJSON would cut the string
 * there and silently accept what precedes it. */
static int has_nul_escape(const char *p, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (p[i] != '\\')
            continue;
        if (p[i + 1] == 'u' && i + 6 <= len && strncmp(p + i + 2, "0000", 4) == 0)
            return 1;
        i++; /* skip the escaped character (e.g. an escaped backslash) */
    }
    return 0;
}

/* Parses the body as a JSON object; NULL with r filled (400) otherwise. */
static cJSON *object_body(const sim_http_req *req, sim_reply *r)
{
    cJSON *doc = req->body_len && !memchr(req->body, '\0', req->body_len) &&
                         !has_nul_escape(req->body, req->body_len)
                     ? cJSON_ParseWithLength(req->body, req->body_len) : NULL;
    if (!cJSON_IsObject(doc)) {
        cJSON_Delete(doc);
        sim_reply_message(r, 400, "body must be a JSON object (no NUL, no \\u0000)");
        return NULL;
    }
    return doc;
}

static void clock_reply(sim_server *s, sim_reply *r)
{
    char now[32];
    sim_time_format(sim_clock_now(&s->clock), now, sizeof(now));
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "now", now);
    sim_reply_json(r, 200, doc);
}

static void post_clock(sim_server *s, const sim_http_req *req, sim_reply *r)
{
    static const char *const keys[] = {"now", "advance", NULL};
    cJSON *doc = object_body(req, r);
    if (!doc)
        return;
    const cJSON *now = cJSON_GetObjectItemCaseSensitive(doc, "now");
    const cJSON *adv = cJSON_GetObjectItemCaseSensitive(doc, "advance");
    time_t t;
    if (sim_json_unknown_key(doc, keys) || (now != NULL) == (adv != NULL)) {
        sim_reply_message(r, 400, "send either {\"now\":\"YYYY-MM-DDTHH:MM:SSZ\"} or "
                                  "{\"advance\":SECONDS}");
    } else if (now && sim_time_parse(cJSON_GetStringValue(now), &t) != 0) {
        sim_reply_message(r, 400, "\"now\" must be an ISO-8601 time with a zone, such as "
                                  "\"2026-03-10T12:00:00Z\"");
    } else if (adv && (!cJSON_IsNumber(adv) || !isfinite(adv->valuedouble) ||
                       fabs(adv->valuedouble) > MAX_ADVANCE ||
                       (double)sim_clock_now(&s->clock) + adv->valuedouble < 0 ||
                       (double)sim_clock_now(&s->clock) + adv->valuedouble > LATEST_CLOCK)) {
        sim_reply_message(r, 400, "\"advance\" must be a number of seconds keeping the "
                                  "clock within 1970..9999");
    } else {
        if (now)
            sim_clock_set(&s->clock, (double)t);
        else
            sim_clock_advance(&s->clock, adv->valuedouble);
        sim_webhooks_clock(&s->clock); /* retries due by now go out */
        clock_reply(s, r);
    }
    cJSON_Delete(doc);
}

static void config_reply(sim_server *s, sim_reply *r)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "token_ttl", (double)s->cfg.token_ttl);
    cJSON_AddNumberToObject(doc, "rate_limit", (double)s->cfg.rate_limit);
    cJSON_AddNumberToObject(doc, "rate_window", (double)s->cfg.rate_window);
    sim_reply_json(r, 200, doc);
}

static void post_config(sim_server *s, const sim_http_req *req, sim_reply *r)
{
    cJSON *doc = object_body(req, r);
    if (!doc)
        return;
    sim_config c = s->cfg;
    const cJSON *ttl = cJSON_GetObjectItemCaseSensitive(doc, "token_ttl");
    const cJSON *lim = cJSON_GetObjectItemCaseSensitive(doc, "rate_limit");
    const cJSON *win = cJSON_GetObjectItemCaseSensitive(doc, "rate_window");
    const char *unknown = sim_json_unknown_key(doc, config_keys);
    char msg[128];
    if (unknown) {
        snprintf(msg, sizeof(msg), "unknown config key \"%.40s\" (token_ttl, rate_limit, "
                                   "rate_window)", unknown);
        sim_reply_message(r, 400, msg);
    } else if (ttl && !sim_json_int(ttl, 1, 10L * 365 * 24 * 3600, &c.token_ttl)) {
        sim_reply_message(r, 400, "\"token_ttl\" must be an integer number of seconds >= 1");
    } else if (lim && !sim_json_int(lim, 1, 1000000, &c.rate_limit)) {
        sim_reply_message(r, 400, "\"rate_limit\" must be an integer from 1 to 1000000");
    } else if (win && !sim_json_int(win, 1, 86400, &c.rate_window)) {
        sim_reply_message(r, 400, "\"rate_window\" must be an integer from 1 to 86400 seconds");
    } else {
        s->cfg = c;
        if (lim || win) /* new limits start a fresh window */
            sim_surfaces_rate_configure(s);
        config_reply(s, r);
    }
    cJSON_Delete(doc);
}

static void post_fault(sim_server *s, const sim_http_req *req, sim_reply *r)
{
    cJSON *doc = object_body(req, r);
    if (!doc)
        return;
    char err[160];
    if (sim_faults_add_json(&s->faults, doc, err, sizeof(err)) != 0)
        sim_reply_message(r, 400, err);
    else
        sim_reply_json(r, 200, sim_faults_to_json(&s->faults));
    cJSON_Delete(doc);
}

static void post_fixture(sim_server *s, const sim_http_req *req, sim_reply *r)
{
    cJSON *doc = object_body(req, r);
    if (!doc)
        return;
    char err[256];
    if (sim_fixture_apply(s, doc, err, sizeof(err)) != 0) {
        sim_reply_message(r, 400, err);
    } else {
        sim_webhooks_reset();
        sim_webhooks_clock(&s->clock);
        sim_reply_json(r, 200, cJSON_CreateObject());
    }
    cJSON_Delete(doc);
}

static void post_reset(sim_server *s, sim_reply *r)
{
    char err[256];
    sim_webhooks_reset();
    if (sim_server_reset(s, err, sizeof(err)) != 0) {
        sim_reply_message(r, 500, err);
    } else {
        sim_webhooks_clock(&s->clock);
        sim_reply_json(r, 200, cJSON_CreateObject());
    }
}

/* A request of the resource side at the clock, with RemoteLock's links. */
static sim_request device_request(sim_server *s)
{
    return (sim_request){.method = "POST", .path = "/_sim/", .base_url = s->base_url,
                         .now = sim_clock_now(&s->clock)};
}

static void resource_reply(sim_reply *r, sim_response *res)
{
    if (res->status < 100 || res->status > 599) {
        cJSON_Delete(res->body);
        sim_reply_message(r, 500, "no answer from the resource side");
    } else {
        sim_reply_json(r, res->status, res->body);
    }
}

/* A string field of at most max bytes, or NULL. */
static const char *short_string(const cJSON *doc, const char *key, size_t max)
{
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, key));
    return v && *v && strlen(v) <= max ? v : NULL;
}

static void post_keypad(sim_server *s, const sim_http_req *req, sim_reply *r)
{
    static const char *const keys[] = {"device_id", "pin", NULL};
    cJSON *doc = object_body(req, r);
    if (!doc)
        return;
    const char *device = short_string(doc, "device_id", 256);
    const char *pin = short_string(doc, "pin", 64);
    if (sim_json_unknown_key(doc, keys) || !device || !pin) {
        sim_reply_message(r, 400, "send {\"device_id\":ID, \"pin\":\"1234\"}");
    } else {
        sim_request rq = device_request(s);
        sim_response res = {0};
        sim_keypad_pin(s->store, &rq, device, pin, &res);
        resource_reply(r, &res);
    }
    cJSON_Delete(doc);
}

static void post_device(sim_server *s, const sim_http_req *req, sim_reply *r)
{
    static const char *const keys[] = {"device_id", "power_level", "connected", "alive", NULL};
    cJSON *doc = object_body(req, r);
    if (!doc)
        return;
    const char *device = short_string(doc, "device_id", 256);
    const cJSON *level = cJSON_GetObjectItemCaseSensitive(doc, "power_level");
    const cJSON *conn = cJSON_GetObjectItemCaseSensitive(doc, "connected");
    const cJSON *alive = cJSON_GetObjectItemCaseSensitive(doc, "alive");
    long pct;
    if (sim_json_unknown_key(doc, keys) || !device || (!level && !conn && !alive)) {
        sim_reply_message(r, 400, "send {\"device_id\":ID} with any of \"power_level\", "
                                  "\"connected\", \"alive\"");
    } else if (level && !sim_json_int(level, 0, 100, &pct)) {
        sim_reply_message(r, 400, "\"power_level\" must be an integer from 0 to 100");
    } else if ((conn && !cJSON_IsBool(conn)) || (alive && !cJSON_IsBool(alive))) {
        sim_reply_message(r, 400, "\"connected\" and \"alive\" must be true or false");
    } else {
        sim_request rq = device_request(s);
        sim_response res = {0};
        sim_device_report(s->store, &rq, device, doc, &res);
        resource_reply(r, &res);
    }
    cJSON_Delete(doc);
}

void sim_control_handle(sim_server *s, const sim_http_req *req, sim_reply *r)
{
    static const char *const paths[] = {"/_sim/reset", "/_sim/fixture", "/_sim/clock",
                                        "/_sim/fault", "/_sim/config", "/_sim/requests",
                                        "/_sim/keypad", "/_sim/device", "/_sim/webhooks", NULL};
    if (is(req, "POST", "/_sim/reset"))
        post_reset(s, r);
    else if (is(req, "POST", "/_sim/fixture"))
        post_fixture(s, req, r);
    else if (is(req, "GET", "/_sim/clock"))
        clock_reply(s, r);
    else if (is(req, "POST", "/_sim/clock"))
        post_clock(s, req, r);
    else if (is(req, "GET", "/_sim/fault"))
        sim_reply_json(r, 200, sim_faults_to_json(&s->faults));
    else if (is(req, "POST", "/_sim/fault"))
        post_fault(s, req, r);
    else if (is(req, "DELETE", "/_sim/fault")) {
        sim_faults_clear(&s->faults);
        sim_reply_json(r, 200, sim_faults_to_json(&s->faults));
    } else if (is(req, "GET", "/_sim/config"))
        config_reply(s, r);
    else if (is(req, "POST", "/_sim/config"))
        post_config(s, req, r);
    else if (is(req, "GET", "/_sim/requests"))
        sim_reply_json(r, 200, sim_reqlog_to_json(&s->log));
    else if (is(req, "POST", "/_sim/keypad"))
        post_keypad(s, req, r);
    else if (is(req, "POST", "/_sim/device"))
        post_device(s, req, r);
    else if (is(req, "GET", "/_sim/webhooks"))
        sim_reply_json(r, 200, sim_webhooks_to_json());
    else {
        size_t i = 0;
        while (paths[i] && strcmp(paths[i], req->path) != 0)
            i++;
        if (paths[i])
            sim_reply_message(r, 405, "Method not allowed for this control endpoint");
        else
            sim_reply_message(r, 404, "Not found: unknown control endpoint");
    }
}
