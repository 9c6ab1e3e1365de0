/* /_sim/ control endpoints of lockcloud-sim: clock, config, fixture, reset,
 * request log with connection ids, bad control input, keypad PIN entry and
 * device reports (battery, connectivity). */
#include "http_common.h"

static void expect_400(simproc *sim, const char *method, const char *path, const char *body,
                       const char *what)
{
    simproc_res r;
    simproc_http(sim, &(simproc_req){.method = method, .path = path, .body = body}, &r);
    ok(r.status == 400 && has_message(&r), "%s: 400 {message} (%ld %s)", what, r.status, r.body);
    simproc_res_free(&r);
}

static char *clock_now(simproc *sim)
{
    cJSON *doc = NULL;
    sim_ctl(sim, "GET", "/_sim/clock", NULL, &doc);
    char *now = str_dup(doc, "now");
    cJSON_Delete(doc);
    return now;
}

static void test_clock(simproc *sim)
{
    char *now = clock_now(sim);
    ok(now && strncmp(now, "2026-03-10T12:0", 15) == 0 && now[19] == 'Z' && !now[20],
       "GET /_sim/clock starts at the fixture clock (%s)", now ? now : "?");
    free(now);
    cJSON *doc = NULL;
    int st = sim_ctl(sim, "POST", "/_sim/clock", "{\"now\":\"2026-04-02T08:30:00Z\"}", &doc);
    ok(st == 200 && str_is(doc, "now", "2026-04-02T08:30:00Z"), "POST {now} sets the clock");
    cJSON_Delete(doc);
    st = sim_ctl(sim, "POST", "/_sim/clock", "{\"advance\":86400}", &doc);
    ok(st == 200 && str_is(doc, "now", "2026-04-03T08:30:00Z"), "POST {advance:86400}");
    cJSON_Delete(doc);
    st = sim_ctl(sim, "POST", "/_sim/clock", "{\"advance\":-3600}", &doc);
    ok(st == 200 && str_is(doc, "now", "2026-04-03T07:30:00Z"), "negative advance goes back");
    cJSON_Delete(doc);
    st = sim_ctl(sim, "POST", "/_sim/clock", "{\"now\":\"2026-04-02T10:30:00+02:00\"}", &doc);
    ok(st == 200 && str_is(doc, "now", "2026-04-02T08:30:00Z"), "an offset is converted to UTC");
    cJSON_Delete(doc);

    static const char *const bad[] = {
        "{}", "{\"now\":\"2026-04-02T08:30:00Z\",\"advance\":1}", "{\"now\":\"yesterday\"}",
        "{\"now\":\"2026-04-02T08:30:00\"}", "{\"now\":\"2026-02-30T08:30:00Z\"}",
        "{\"now\":\"2026-04-02T25:30:00Z\"}", "{\"now\":\"2026-04-02T08:30:00Zjunk\"}",
        "{\"now\":42}", "{\"advance\":\"60\"}", "{\"advance\":1e300}", "{\"advance\":-1e11}",
        "{\"speed\":2}", "\"now\"", "{\"advance\":",
        /* "now" keeps the clock within 1970..9999 just like "advance" */
        "{\"now\":\"9999-12-31T23:59:59-12:00\"}", "{\"now\":\"1970-01-01T00:00:00+01:00\"}",
        NULL};
    for (size_t i = 0; bad[i]; i++) {
        char what[160];
        snprintf(what, sizeof(what), "POST /_sim/clock %s", bad[i]);
        expect_400(sim, "POST", "/_sim/clock", bad[i], what);
    }
    now = clock_now(sim);
    ok(now && strncmp(now, "2026-04-02T08:3", 15) == 0, "bad clock input changed nothing (%s)",
       now ? now : "?");
    free(now);
}

static void test_config(simproc *sim)
{
    cJSON *doc = NULL;
    int st = sim_ctl(sim, "GET", "/_sim/config", NULL, &doc);
    ok(st == 200 && num_of(doc, "token_ttl") == 7200 && num_of(doc, "rate_limit") == 120 &&
           num_of(doc, "rate_window") == 60,
       "GET /_sim/config shows the defaults 7200, 120/60");
    cJSON_Delete(doc);
    st = sim_ctl(sim, "POST", "/_sim/config", "{\"rate_limit\":50}", &doc);
    ok(st == 200 && num_of(doc, "rate_limit") == 50 && num_of(doc, "token_ttl") == 7200,
       "POST a subset changes only that setting");
    cJSON_Delete(doc);
    static const char *const bad[] = {
        "{\"rate_limit\":0}", "{\"rate_limit\":-1}", "{\"rate_limit\":2.5}",
        "{\"rate_limit\":\"10\"}", "{\"rate_window\":0}", "{\"token_ttl\":0}",
        "{\"token_ttl\":null}", "{\"token_ttl\":60,\"ratelimit\":5}", "[]", "nonsense", NULL};
    for (size_t i = 0; bad[i]; i++) {
        char what[160];
        snprintf(what, sizeof(what), "POST /_sim/config %s", bad[i]);
        expect_400(sim, "POST", "/_sim/config", bad[i], what);
    }
    sim_ctl(sim, "GET", "/_sim/config", NULL, &doc);
    ok(num_of(doc, "token_ttl") == 7200 && num_of(doc, "rate_limit") == 50,
       "rejected config changed nothing (a valid key next to a bad one included)");
    cJSON_Delete(doc);
}

static void test_fixture(simproc *sim)
{
    char *token = simproc_token(sim);
    static const char *const bad[] = {
        "[]", "{\"clock\":\"noon\"}", "{\"oauth\":[]}",
        "{\"clock\":\"9999-12-31T23:59:59-12:00\"}",
        "{\"oauth\":{\"clients\":[{\"client_id\":\"x\"}]}}",
        "{\"oauth\":{\"clients\":[],\"authorization_codes\":[{\"code\":\"c\"}]}}", "{", NULL};
    for (size_t i = 0; bad[i]; i++) {
        char what[160];
        snprintf(what, sizeof(what), "POST /_sim/fixture %s", bad[i]);
        expect_400(sim, "POST", "/_sim/fixture", bad[i], what);
    }
    ok(status_of(sim, "GET", "/locations", token) == 200,
       "a rejected fixture changes nothing (tokens still valid)");

    /* A fixture with its own OAuth client and clock. */
    int st = sim_ctl(sim, "POST", "/_sim/fixture",
                     "{\"clock\":\"2030-01-01T00:00:00Z\",\"oauth\":{\"clients\":"
                     "[{\"client_id\":\"other\",\"client_secret\":\"s3cret\"}]}}", NULL);
    ok(st == 200, "POST /_sim/fixture with a new client and clock: 200 (%d)", st);
    ok(status_of(sim, "GET", "/locations", token) == 403, "loading a fixture resets tokens");
    char *now = clock_now(sim);
    ok(now && strncmp(now, "2030-01-01T00:00:0", 18) == 0, "the fixture clock applies (%s)",
       now ? now : "?");
    free(now);
    ok(token_req(sim, "grant_type=client_credentials&" CC_FORM, NULL) == 401,
       "the demo client is gone");
    ok(token_req(sim, "grant_type=client_credentials&client_id=other&client_secret=s3cret",
                 NULL) == 200, "the fixture's client works");

    ok(sim_ctl(sim, "POST", "/_sim/reset", NULL, NULL) == 200, "POST /_sim/reset: 200");
    now = clock_now(sim);
    ok(now && strncmp(now, "2026-03-10T12:0", 15) == 0, "reset restores the start clock");
    free(now);
    cJSON *doc = NULL;
    sim_ctl(sim, "GET", "/_sim/config", NULL, &doc);
    ok(num_of(doc, "rate_limit") == 120, "reset restores the config");
    cJSON_Delete(doc);
    free(token);
    token = simproc_token(sim);
    ok(token != NULL, "reset restores the demo client");
    free(token);
}

static void test_requests(simproc *sim)
{
    sim_ctl(sim, "POST", "/_sim/reset", NULL, NULL);
    char *token = simproc_token(sim);   /* connection A (kept alive) */
    status_of(sim, "GET", "/locations?page=1", token);
    simproc_res r;
    simproc_http(sim, &(simproc_req){.path = "/devices", .bearer = token,
                                     .fresh_connection = 1}, &r); /* connection B */
    simproc_res_free(&r);
    status_of(sim, "DELETE", "/nowhere", token);  /* back on connection A */
    cJSON *doc = NULL;
    int st = sim_ctl(sim, "GET", "/_sim/requests", NULL, &doc);
    const cJSON *reqs = cJSON_GetObjectItemCaseSensitive(doc, "requests");
    ok(st == 200 && cJSON_GetArraySize(reqs) == 4,
       "GET /_sim/requests lists the 4 API/OAuth requests since reset, not control ones (%d)",
       cJSON_GetArraySize(reqs));
    const cJSON *e0 = cJSON_GetArrayItem(reqs, 0), *e1 = cJSON_GetArrayItem(reqs, 1);
    const cJSON *e2 = cJSON_GetArrayItem(reqs, 2), *e3 = cJSON_GetArrayItem(reqs, 3);
    ok(str_is(e0, "method", "POST") && str_is(e0, "path", "/oauth/token") &&
           num_of(e0, "status") == 200,
       "entry 1: POST /oauth/token 200");
    ok(str_is(e1, "method", "GET") && str_is(e1, "path", "/locations") &&
           num_of(e1, "status") == 200,
       "entry 2: GET /locations 200 (path without query)");
    ok(str_is(e3, "method", "DELETE") && num_of(e3, "status") == 404, "entry 4: DELETE 404");
    double c0 = num_of(e0, "connection"), c1 = num_of(e1, "connection");
    double c2 = num_of(e2, "connection"), c3 = num_of(e3, "connection");
    ok(c0 > 0 && c0 == c1, "a kept-alive connection keeps its id (%.0f %.0f)", c0, c1);
    ok(c2 > 0 && c2 != c1, "a fresh connection gets a new id (%.0f)", c2);
    ok(c3 == c1, "the kept-alive connection is reused afterwards (%.0f)", c3);
    cJSON_Delete(doc);
    sim_ctl(sim, "POST", "/_sim/reset", NULL, NULL);
    sim_ctl(sim, "GET", "/_sim/requests", NULL, &doc);
    ok(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "requests")) == 0,
       "reset empties the request log");
    cJSON_Delete(doc);
    free(token);
}

static void test_routing(simproc *sim)
{
    simproc_res r;
    req(sim, "GET", "/_sim/nothing", NULL, NULL, &r);
    ok(r.status == 404 && has_message(&r), "unknown control endpoint: 404 {message}");
    simproc_res_free(&r);
    req(sim, "GET", "/_sim/reset", NULL, NULL, &r);
    ok(r.status == 405 && has_message(&r), "GET /_sim/reset: 405 {message}");
    simproc_res_free(&r);
    req(sim, "PUT", "/_sim/clock", NULL, "{}", &r);
    ok(r.status == 405, "PUT /_sim/clock: 405");
    simproc_res_free(&r);
}

#define DEV(n) "20000000-0000-4000-8000-00000000000" #n
#define PERSON(n) "30000000-0000-4000-8000-00000000000" #n

/* POST a control body; the answer's first event (NULL: none) and device. */
static int control_post(simproc *sim, const char *path, const char *body, cJSON **doc,
                        const cJSON **event, const cJSON **device)
{
    *doc = NULL;
    int st = sim_ctl(sim, "POST", path, body, doc);
    *event = cJSON_GetArrayItem(cJSON_GetObjectItem(*doc, "events"), 0);
    *device = cJSON_GetObjectItem(cJSON_GetObjectItem(*doc, "data"), "attributes");
    return st;
}

static const cJSON *attrs_of(const cJSON *resource)
{
    return cJSON_GetObjectItem(resource, "attributes");
}

/* The device as GET /devices/:id answers it (attributes), into *doc. */
static const cJSON *device_now(simproc *sim, const char *token, const char *id, cJSON **doc)
{
    char path[96];
    simproc_res r;
    snprintf(path, sizeof path, "/devices/%s", id);
    req(sim, "GET", path, token, NULL, &r);
    *doc = simproc_res_json(&r);
    simproc_res_free(&r);
    return attrs_of(cJSON_GetObjectItem(*doc, "data"));
}

static void test_keypad(simproc *sim)
{
    sim_ctl(sim, "POST", "/_sim/reset", NULL, NULL);
    char *token = simproc_token(sim);
    cJSON *doc, *dev_doc;
    const cJSON *ev, *dev;
    int st = control_post(sim, "/_sim/keypad",
                          "{\"device_id\":\"" DEV(1) "\",\"pin\":\"1002\"}", &doc, &ev, &dev);
    const cJSON *a = attrs_of(ev);
    ok(st == 200 && str_is(ev, "type", "unlocked_event") &&
           str_is(a, "associated_resource_id", PERSON(2)) &&
           str_is(a, "associated_resource_type", "access_guest") && str_is(a, "method", "pin") &&
           str_is(a, "pin", "1002") && str_is(a, "publisher_id", DEV(1)) &&
           str_is(a, "occurred_at", "2026-03-10T12:00:00Z"),
       "current guest's PIN at her lock: unlocked_event naming her");
    ok(str_is(dev, "state", "unlocked"), "... and the lock is unlocked");
    char path[96];
    snprintf(path, sizeof path, "/events/%s", cJSON_GetStringValue(cJSON_GetObjectItem(ev, "id")));
    ok(status_of(sim, "GET", path, token) == 200, "the event is in GET /events/:id");
    cJSON_Delete(doc);
    ok(str_is(device_now(sim, token, DEV(1), &dev_doc), "state", "unlocked"),
       "GET /devices/:id shows it unlocked");
    cJSON_Delete(dev_doc);

    static const struct {
        const char *device, *pin, *person, *why;
    } denied[] = {
        {DEV(1), "1004", PERSON(4), "expired guest"},
        {DEV(1), "1003", PERSON(3), "upcoming guest"},
        {DEV(1), "1005", PERSON(5), "deactivated guest"},
        {DEV(3), "1001", PERSON(1), "user without a grant at this lock"},
        {DEV(1), "9999", NULL, "unknown PIN"},
    };
    for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++) {
        char body[160];
        snprintf(body, sizeof body, "{\"device_id\":\"%s\",\"pin\":\"%s\"}", denied[i].device,
                 denied[i].pin);
        st = control_post(sim, "/_sim/keypad", body, &doc, &ev, &dev);
        a = attrs_of(ev);
        int who = denied[i].person ? str_is(a, "associated_resource_id", denied[i].person)
                                   : cJSON_IsNull(cJSON_GetObjectItem(a, "associated_resource_id"));
        ok(st == 200 && str_is(ev, "type", "access_denied_event") && who &&
               str_is(a, "pin", denied[i].pin) && str_is(a, "method", "pin"),
           "%s: access_denied_event", denied[i].why);
        cJSON_Delete(doc);
    }
    st = control_post(sim, "/_sim/keypad", "{\"device_id\":\"" DEV(3) "\",\"pin\":\"1234\"}",
                      &doc, &ev, &dev);
    ok(st == 200 && str_is(ev, "type", "unlocked_event") &&
           cJSON_IsNull(cJSON_GetObjectItem(attrs_of(ev), "associated_resource_id")),
       "one of the lock's local_pins: unlocked_event without a person");
    cJSON_Delete(doc);
    st = sim_ctl(sim, "POST", "/_sim/keypad", "{\"device_id\":\"nope\",\"pin\":\"1002\"}", NULL);
    ok(st == 404, "unknown device: 404");
    st = sim_ctl(sim, "POST", "/_sim/keypad", "{\"device_id\":\"" DEV(6) "\",\"pin\":\"1002\"}",
                 NULL);
    ok(st == 422, "a power plug has no keypad: 422");
    static const char *const bad[] = {
        "{\"device_id\":\"" DEV(1) "\"}", "{\"pin\":\"1002\"}",
        "{\"device_id\":\"" DEV(1) "\",\"pin\":1002}",
        "{\"device_id\":\"" DEV(1) "\",\"pin\":\"1002\",\"card\":\"x\"}", NULL};
    for (size_t i = 0; bad[i]; i++)
        expect_400(sim, "POST", "/_sim/keypad", bad[i], bad[i]);
    free(token);
}

/* The type of the event a PIN makes at a device at a given time. */
static int keypad_at(simproc *sim, const char *when, const char *device, const char *pin,
                     const char *want)
{
    char body[160];
    snprintf(body, sizeof body, "{\"now\":\"%s\"}", when);
    sim_ctl(sim, "POST", "/_sim/clock", body, NULL);
    snprintf(body, sizeof body, "{\"device_id\":\"%s\",\"pin\":\"%s\"}", device, pin);
    cJSON *doc;
    const cJSON *ev, *dev;
    int st = control_post(sim, "/_sim/keypad", body, &doc, &ev, &dev);
    int ok_type = st == 200 && str_is(ev, "type", want);
    cJSON_Delete(doc);
    return ok_type;
}

/* A grant with an access schedule opens only within its windows (in the
 * lock's zone) and never on its access exception's dates. */
static void test_keypad_schedule(simproc *sim)
{
    sim_ctl(sim, "POST", "/_sim/reset", NULL, NULL);
    char *token = simproc_token(sim);
    simproc_res r;
    req(sim, "POST", "/access_persons", token,
        "{\"type\":\"access_user\",\"attributes\":{\"name\":\"Cleo Cleaner\","
        "\"pin\":\"2468\"}}", &r);
    cJSON *doc = simproc_res_json(&r);
    char *id = str_dup(cJSON_GetObjectItem(doc, "data"), "id");
    cJSON_Delete(doc);
    simproc_res_free(&r);
    char path[160];
    snprintf(path, sizeof path, "/access_persons/%s/accesses", id ? id : "x");
    long st = req(sim, "POST", path, token,
                  "{\"attributes\":{\"accessible_type\":\"lock\",\"accessible_id\":\"" DEV(1)
                  "\",\"access_schedule_id\":\"c0000000-0000-4000-8000-000000000001\"}}", &r);
    simproc_res_free(&r);
    ok(id && st == 201, "a user whose grant on the Front Door follows the cleaning schedule");
    ok(keypad_at(sim, "2026-03-10T12:00:00Z", DEV(1), "2468", "access_denied_event"),
       "Tuesday 06:00 in Denver: no window, denied");
    ok(keypad_at(sim, "2026-03-11T16:00:00Z", DEV(1), "2468", "unlocked_event"),
       "Wednesday 10:00 (09:00-17:00): unlocked");
    ok(keypad_at(sim, "2026-03-11T23:00:00Z", DEV(1), "2468", "access_denied_event"),
       "Wednesday 17:00: the window has ended, denied");
    sim_ctl(sim, "POST", "/_sim/clock", "{\"now\":\"2026-03-10T12:00:00Z\"}", NULL);
    free(token);
    token = simproc_token(sim);
    st = req(sim, "PUT", "/schedules/c0000000-0000-4000-8000-000000000001", token,
             "{\"attributes\":{\"access_exception_id\":\"b0000000-0000-4000-8000-000000000001\"}}",
             &r);
    simproc_res_free(&r);
    ok(st == 200, "the schedule takes the Thanksgiving/Christmas exception");
    ok(keypad_at(sim, "2026-11-27T17:00:00Z", DEV(1), "2468", "access_denied_event"),
       "Friday 10:00 on an exception date: denied");
    ok(keypad_at(sim, "2026-12-04T17:00:00Z", DEV(1), "2468", "unlocked_event"),
       "the Friday after, 10:00: unlocked");
    free(id);
    free(token);
}

static void test_device_report(simproc *sim)
{
    sim_ctl(sim, "POST", "/_sim/reset", NULL, NULL);
    char *token = simproc_token(sim);
    cJSON *doc, *dev_doc;
    const cJSON *ev, *dev;
    int st = control_post(sim, "/_sim/device",
                          "{\"device_id\":\"" DEV(1) "\",\"power_level\":15}", &doc, &ev, &dev);
    ok(st == 200 && str_is(ev, "type", "power_level_low_event") &&
           num_of(attrs_of(ev), "power_level") == 15 &&
           str_is(attrs_of(ev), "publisher_id", DEV(1)),
       "battery 85 -> 15: power_level_low_event");
    cJSON_Delete(doc);
    const cJSON *a = device_now(sim, token, DEV(1), &dev_doc);
    ok(num_of(a, "power_level") == 15, "GET /devices/:id shows power_level 15");
    cJSON_Delete(dev_doc);
    st = control_post(sim, "/_sim/device", "{\"device_id\":\"" DEV(1) "\",\"power_level\":10}",
                      &doc, &ev, &dev);
    ok(st == 200 && !ev && num_of(dev, "power_level") == 10, "already low: no second event");
    cJSON_Delete(doc);

    st = control_post(sim, "/_sim/device", "{\"device_id\":\"" DEV(2) "\",\"connected\":false}",
                      &doc, &ev, &dev);
    ok(st == 200 && str_is(ev, "type", "connectivity_event") &&
           str_is(attrs_of(ev), "connected_at", "2026-03-10T11:20:00Z"),
       "going offline: connectivity_event (last connected_at)");
    cJSON_Delete(doc);
    a = device_now(sim, token, DEV(2), &dev_doc);
    ok(cJSON_IsFalse(cJSON_GetObjectItem(a, "connected")), "GET /devices/:id: connected false");
    cJSON_Delete(dev_doc);
    sim_ctl(sim, "POST", "/_sim/clock", "{\"advance\":600}", NULL);
    st = control_post(sim, "/_sim/device",
                      "{\"device_id\":\"" DEV(2) "\",\"connected\":true,\"alive\":false}", &doc,
                      &ev, &dev);
    ok(st == 200 && str_is(ev, "type", "connectivity_event") &&
           str_is(attrs_of(ev), "connected_at", "2026-03-10T12:10:00Z"),
       "back online: connectivity_event, connected_at now");
    cJSON_Delete(doc);
    a = device_now(sim, token, DEV(2), &dev_doc);
    ok(cJSON_IsTrue(cJSON_GetObjectItem(a, "connected")) &&
           cJSON_IsFalse(cJSON_GetObjectItem(a, "alive")) &&
           str_is(a, "connected_at", "2026-03-10T12:10:00Z"),
       "GET /devices/:id: connected, not alive, connected_at");
    cJSON_Delete(dev_doc);

    simproc_res r;
    req(sim, "GET", "/events?type=power_level_low_event", token, NULL, &r);
    cJSON *list = simproc_res_json(&r);
    simproc_res_free(&r);
    ok(cJSON_GetArraySize(cJSON_GetObjectItem(list, "data")) == 1,
       "GET /events lists the power_level_low_event");
    cJSON_Delete(list);

    static const char *const bad[] = {
        "{\"device_id\":\"" DEV(1) "\"}", "{\"device_id\":\"" DEV(1) "\",\"power_level\":101}",
        "{\"device_id\":\"" DEV(1) "\",\"power_level\":-1}",
        "{\"device_id\":\"" DEV(1) "\",\"power_level\":5.5}",
        "{\"device_id\":\"" DEV(1) "\",\"connected\":1}",
        "{\"device_id\":\"" DEV(1) "\",\"wifi\":true}", NULL};
    for (size_t i = 0; bad[i]; i++)
        expect_400(sim, "POST", "/_sim/device", bad[i], bad[i]);
    st = sim_ctl(sim, "POST", "/_sim/device", "{\"device_id\":\"nope\",\"alive\":true}", NULL);
    ok(st == 404, "unknown device: 404");
    free(token);
}

int main(void)
{
    simproc *sim = start_or_die(NULL);
    test_clock(sim);
    test_config(sim);
    test_fixture(sim);
    test_requests(sim);
    test_routing(sim);
    test_keypad(sim);
    test_keypad_schedule(sim);
    test_device_report(sim);
    ok(simproc_stop(sim) == 0, "simulator exits cleanly");
    return tap_done();
}
