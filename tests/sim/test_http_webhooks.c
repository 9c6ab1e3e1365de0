/* Webhook deliveries of lockcloud-sim to a real HTTPS receiver in this
 * process (libmicrohttpd, a certificate from a CA made at test time by the
 * simulator's own generator, tls_cert.c): json and form bodies with
 * X-Secret, notifications, the documented retries then deactivation, the
 * 3 s deadline without stalling the API, the loopback-only rule, and the
 * events /_sim/ control makes: access_person_used (first_access) at the
 * keypad, battery_replaced from a device report. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "http_common.h"
#include "tls_cert.h"

#define D(n) "20000000-0000-4000-8000-00000000000" #n
#define P(n) "30000000-0000-4000-8000-00000000000" #n
#define L(n) "10000000-0000-4000-8000-00000000000" #n
#define HANG_S 6

/* ---- the receiver ------------------------------------------------------- */

typedef struct hit {
    char path[64], content_type[96], secret[64];
    char *body;
} hit;

static struct {
    pthread_mutex_t mu;
    hit hits[256];
    size_t n;
} rx = {.mu = PTHREAD_MUTEX_INITIALIZER};

typedef struct upload {
    char *p;
    size_t len;
} upload;

static void copy_header(struct MHD_Connection *c, const char *name, char *out, size_t len)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
    snprintf(out, len, "%s", v ? v : "");
}

/* /ok* answers 200, /fail 500, /hang sleeps past the deadline. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *size, void **state)
{
    (void)cls; (void)version; (void)method;
    upload *u = *state;
    if (!u) {
        *state = calloc(1, sizeof(upload));
        return *state ? MHD_YES : MHD_NO;
    }
    if (*size) {
        char *p = realloc(u->p, u->len + *size + 1);
        if (!p)
            return MHD_NO;
        memcpy(p + u->len, data, *size);
        u->p = p;
        u->len += *size;
        u->p[u->len] = '\0';
        *size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&rx.mu);
    if (rx.n < sizeof rx.hits / sizeof rx.hits[0]) {
        hit *h = &rx.hits[rx.n++];
        snprintf(h->path, sizeof h->path, "%s", url);
        copy_header(c, "Content-Type", h->content_type, sizeof h->content_type);
        copy_header(c, "X-Secret", h->secret, sizeof h->secret);
        h->body = strdup(u->p ? u->p : "");
    }
    pthread_mutex_unlock(&rx.mu);
    if (strcmp(url, "/hang") == 0)
        sleep(HANG_S);
    unsigned status = strcmp(url, "/fail") == 0 ? 500 : 200;
    struct MHD_Response *r = MHD_create_response_from_buffer(2, (void *)"ok",
                                                             MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static void on_done(void *cls, struct MHD_Connection *c, void **state,
                    enum MHD_RequestTerminationCode code)
{
    (void)cls; (void)c; (void)code;
    upload *u = *state;
    if (u)
        free(u->p);
    free(u);
    *state = NULL;
}

static size_t hits_at(const char *path)
{
    size_t n = 0;
    pthread_mutex_lock(&rx.mu);
    for (size_t i = 0; i < rx.n; i++)
        n += strcmp(rx.hits[i].path, path) == 0;
    pthread_mutex_unlock(&rx.mu);
    return n;
}

/* A copy of the latest hit at path (body malloc'd), or 0. */
static int last_hit(const char *path, hit *out)
{
    int found = 0;
    pthread_mutex_lock(&rx.mu);
    for (size_t i = rx.n; i-- > 0 && !found;) {
        if (strcmp(rx.hits[i].path, path) == 0) {
            *out = rx.hits[i];
            out->body = strdup(rx.hits[i].body ? rx.hits[i].body : "");
            found = 1;
        }
    }
    pthread_mutex_unlock(&rx.mu);
    return found;
}

/* ---- helpers ------------------------------------------------------------ */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *api(simproc *sim, const char *token, const char *method, const char *path,
                 const char *body, long *status)
{
    simproc_res r;
    *status = req(sim, method, path, token, body, &r);
    char *text = strdup(r.body);
    simproc_res_free(&r);
    return text;
}

/* Creates a webhook subscriber (content type ct); returns its id
 * (malloc'd) or NULL. */
static char *new_subscriber(simproc *sim, const char *token, const char *url, const char *ct,
                            const char *secret)
{
    char body[1024];
    long st;
    snprintf(body, sizeof body,
             "{\"type\":\"webhook_notification_subscriber\",\"attributes\":{\"active\":true,"
             "\"name\":\"test %s\",\"url\":\"%s\",\"content_type\":\"%s\","
             "\"secret\":\"%s\"}}", ct, url, ct, secret);
    char *text = api(sim, token, "POST", "/notification_subscribers", body, &st);
    cJSON *doc = cJSON_Parse(text);
    char *id = st == 201 ? str_dup(cJSON_GetObjectItem(doc, "data"), "id") : NULL;
    if (!id)
        diag("subscriber: %ld %s", st, text);
    cJSON_Delete(doc);
    free(text);
    return id;
}

/* Subscribes the webhook subscriber sub to events of the publisher; the
 * answer's status (201: created). */
static long add_subscription(simproc *sim, const char *token, const char *sub,
                             const char *publisher_type, const char *publisher,
                             const char *events)
{
    char body[1024];
    long st;
    snprintf(body, sizeof body,
             "{\"attributes\":{\"events\":%s,\"publisher_type\":\"%s\",\"publisher_id\":\"%s\","
             "\"subscriber_type\":\"webhook_notification_subscriber\",\"subscriber_id\":\"%s\"}}",
             events, publisher_type, publisher, sub);
    char *text = api(sim, token, "POST", "/notification_subscriptions", body, &st);
    if (st != 201)
        diag("subscription: %ld %s", st, text);
    free(text);
    return st;
}

/* A webhook subscriber (content type ct) subscribed to events of the lock
 * publisher; returns the subscriber id (malloc'd) or NULL. */
static char *subscribe_with(simproc *sim, const char *token, const char *url, const char *ct,
                            const char *secret, const char *publisher, const char *events)
{
    char *id = new_subscriber(sim, token, url, ct, secret);
    if (id && add_subscription(sim, token, id, "lock", publisher, events) != 201) {
        free(id);
        id = NULL;
    }
    return id;
}

/* ... with the secret "s3cret-<ct>". */
static char *subscribe(simproc *sim, const char *token, const char *url, const char *ct,
                       const char *publisher, const char *events)
{
    char secret[64];
    snprintf(secret, sizeof secret, "s3cret-%s", ct);
    return subscribe_with(sim, token, url, ct, secret, publisher, events);
}

/* The attempts logged for subscriber (GET /_sim/webhooks), and the result
 * of the latest in *last (static storage). */
static int attempts_of(simproc *sim, const char *subscriber, const char **last)
{
    static char result[32];
    cJSON *doc = NULL;
    int n = 0;
    sim_ctl(sim, "GET", "/_sim/webhooks", NULL, &doc);
    const cJSON *a;
    result[0] = '\0';
    cJSON_ArrayForEach(a, cJSON_GetObjectItem(doc, "attempts")) {
        if (str_is(a, "subscriber_id", subscriber)) {
            n++;
            snprintf(result, sizeof result, "%s",
                     cJSON_GetStringValue(cJSON_GetObjectItem(a, "result")));
        }
    }
    cJSON_Delete(doc);
    if (last)
        *last = result;
    return n;
}

/* Waits (at most timeout s) until subscriber has at least n attempts. */
static int wait_attempts(simproc *sim, const char *subscriber, int n, double timeout)
{
    double end = now_s() + timeout;
    int got;
    while ((got = attempts_of(sim, subscriber, NULL)) < n && now_s() < end)
        usleep(20000);
    return got;
}

static cJSON *keypad(simproc *sim, const char *device, const char *pin)
{
    char body[256];
    cJSON *doc = NULL;
    snprintf(body, sizeof body, "{\"device_id\":\"%s\",\"pin\":\"%s\"}", device, pin);
    int st = sim_ctl(sim, "POST", "/_sim/keypad", body, &doc);
    if (st != 200)
        diag("keypad: %d", st);
    return doc;
}

static const char *event_id(const cJSON *keypad_answer)
{
    const cJSON *ev = cJSON_GetArrayItem(cJSON_GetObjectItem(keypad_answer, "events"), 0);
    return cJSON_GetStringValue(cJSON_GetObjectItem(ev, "id"));
}

/* ---- tests -------------------------------------------------------------- */

static void test_json_and_form(simproc *sim, const char *token, int port)
{
    char url_json[96], url_form[96];
    snprintf(url_json, sizeof url_json, "https://127.0.0.1:%d/ok-json", port);
    snprintf(url_form, sizeof url_form, "https://localhost:%d/ok-form", port);
    char *sj = subscribe(sim, token, url_json, "json", D(1), "[{\"event_type\":\"unlocked\"}]");
    char *sf = subscribe(sim, token, url_form, "form", D(1), "[{\"event_type\":\"unlocked\"}]");
    ok(sj && sf, "webhook subscribers (json, form) subscribed to unlocks of the Front Door");
    if (!sj || !sf) {
        free(sj);
        free(sf);
        return;
    }
    cJSON *ans = keypad(sim, D(1), "1002");
    const char *eid = event_id(ans);
    ok(eid != NULL, "PIN 1002 at the Front Door made an event");
    ok(wait_attempts(sim, sj, 1, 10) == 1 && wait_attempts(sim, sf, 1, 10) == 1,
       "one delivery to each subscriber");
    const char *res;
    attempts_of(sim, sj, &res);
    ok(strcmp(res, "delivered") == 0, "json delivery: %s", res);

    long st;
    char path[160];
    snprintf(path, sizeof path, "/events/%s", eid ? eid : "x");
    char *text = api(sim, token, "GET", path, NULL, &st);
    cJSON *api_doc = cJSON_Parse(text);
    free(text);
    hit h = {0};
    ok(last_hit("/ok-json", &h), "the json receiver was called");
    cJSON *got = cJSON_Parse(h.body ? h.body : "");
    ok(strcmp(h.content_type, "application/json") == 0, "Content-Type application/json (%s)",
       h.content_type);
    ok(strcmp(h.secret, "s3cret-json") == 0, "X-Secret is the subscriber's secret");
    ok(got && api_doc && cJSON_Compare(got, api_doc, 1),
       "json body is {data: event}, as GET /events/:id answers it");
    const cJSON *attrs = cJSON_GetObjectItem(cJSON_GetObjectItem(got, "data"), "attributes");
    ok(str_is(cJSON_GetObjectItem(got, "data"), "type", "unlocked_event") &&
           str_is(attrs, "associated_resource_id", P(2)) && str_is(attrs, "pin", "1002") &&
           str_is(attrs, "method", "pin") && str_is(attrs, "publisher_id", D(1)),
       "the payload names the guest, the PIN and the lock");
    cJSON_Delete(got);
    cJSON_Delete(api_doc);
    free(h.body);

    ok(last_hit("/ok-form", &h), "the form receiver was called (localhost)");
    ok(strcmp(h.content_type, "application/x-www-form-urlencoded") == 0,
       "Content-Type application/x-www-form-urlencoded (%s)", h.content_type);
    ok(strcmp(h.secret, "s3cret-form") == 0, "X-Secret of the form subscriber");
    ok(h.body && strstr(h.body, "data%5Btype%5D=unlocked_event") &&
           strstr(h.body, "data%5Battributes%5D%5Bassociated_resource_id%5D=" P(2)) &&
           strstr(h.body, "data%5Battributes%5D%5Bstatus_info%5D=&"),
       "form body: the same document as nested parameters (%.120s...)", h.body ? h.body : "");
    free(h.body);

    snprintf(path, sizeof path, "/notifications?per_page=50&sort=-created_at");
    text = api(sim, token, "GET", path, NULL, &st);
    cJSON *notes = cJSON_Parse(text);
    free(text);
    int for_event = 0;
    const cJSON *n;
    cJSON_ArrayForEach(n, cJSON_GetObjectItem(notes, "data")) {
        const cJSON *a = cJSON_GetObjectItem(n, "attributes");
        if (eid && str_is(a, "event_id", eid) &&
            (str_is(a, "subscriber_id", sj) || str_is(a, "subscriber_id", sf)))
            for_event++;
    }
    ok(for_event == 2, "a notification per subscriber for the event (%d)", for_event);
    cJSON_Delete(notes);
    cJSON_Delete(ans);

    ans = keypad(sim, D(1), "9999");
    ok(ans != NULL, "a wrong PIN at the Front Door");
    usleep(300000);
    ok(attempts_of(sim, sj, NULL) == 1, "access_denied is not among its events: no delivery");
    cJSON_Delete(ans);
    free(sj);
    free(sf);
}

/* Deliveries leave in the order their events happened: three unlocks in a
 * row (most often within one second, so due at the same time) reach one
 * subscriber first to last. The worker sends the first while the others
 * queue up behind it. */
static void test_order(simproc *sim, const char *token, int port)
{
    enum { N = 3 };
    char url[96], want[N][64], got[N][64];
    size_t seen = 0;
    int made = 1;

    snprintf(url, sizeof url, "https://127.0.0.1:%d/ok-order", port);
    char *sub = subscribe(sim, token, url, "json", D(1), "[{\"event_type\":\"unlocked\"}]");
    ok(sub != NULL, "a subscriber to the Front Door's unlocks, for the order of deliveries");
    if (!sub)
        return;
    for (int i = 0; i < N; i++) {
        cJSON *ans = keypad(sim, D(1), "1002");
        const char *eid = event_id(ans);
        made &= eid != NULL;
        snprintf(want[i], sizeof want[i], "%s", eid ? eid : "?");
        cJSON_Delete(ans);
    }
    ok(made && wait_attempts(sim, sub, N, 15) == N, "three unlocks, three deliveries");
    pthread_mutex_lock(&rx.mu);
    for (size_t i = 0; i < rx.n && seen < N; i++) {
        if (strcmp(rx.hits[i].path, "/ok-order") != 0)
            continue;
        cJSON *doc = cJSON_Parse(rx.hits[i].body ? rx.hits[i].body : "");
        const char *id = cJSON_GetStringValue(
            cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "data"), "id"));
        snprintf(got[seen++], sizeof got[0], "%s", id ? id : "?");
        cJSON_Delete(doc);
    }
    pthread_mutex_unlock(&rx.mu);
    int in_order = seen == N;
    for (size_t i = 0; in_order && i < N; i++)
        in_order = strcmp(want[i], got[i]) == 0;
    ok(in_order, "delivered in the order the events happened (%s, %s, %s)", seen > 0 ? got[0] : "",
       seen > 1 ? got[1] : "", seen > 2 ? got[2] : "");
    free(sub);
}

static void test_hang(simproc *sim, const char *token, int port)
{
    char url[96];
    snprintf(url, sizeof url, "https://127.0.0.1:%d/hang", port);
    char *id = subscribe(sim, token, url, "json", D(3), "[{\"event_type\":\"locked\"}]");
    ok(id != NULL, "a subscriber whose receiver hangs");
    if (!id)
        return;
    long st;
    double t0 = now_s();
    free(api(sim, token, "PUT", "/devices/" D(3) "/lock", "{}", &st));
    ok(st == 200, "lock the Lodge Entrance: answered while the delivery runs");
    while (hits_at("/hang") == 0 && now_s() < t0 + 10)
        usleep(10000);
    ok(hits_at("/hang") == 1, "the receiver got the POST and hangs");
    double t1 = now_s();
    free(api(sim, token, "GET", "/devices/" D(1), NULL, &st));
    double took = now_s() - t1;
    ok(st == 200 && took < 2.0, "an API GET during the hang answers (%.2f s)", took);
    ok(attempts_of(sim, id, NULL) == 0, "... while the delivery is still in flight");
    const char *res;
    int n = wait_attempts(sim, id, 1, 15);
    double total = now_s() - t0;
    attempts_of(sim, id, &res);
    ok(n == 1 && strcmp(res, "timeout") == 0, "the delivery is cut: %s", res);
    ok(total >= 2.5 && total < HANG_S, "at the 3 s deadline, not later (%.2f s)", total);
    /* Its hourly retries would hang the worker for 3 s each from here on. */
    char path[160];
    snprintf(path, sizeof path, "/notification_subscribers/%s", id);
    free(api(sim, token, "PUT", path, "{\"attributes\":{\"active\":false}}", &st));
    ok(st == 200, "deactivated by the user: its retry is dropped");
    free(id);
}

static void test_retries(simproc *sim, const char *token, int port)
{
    char url[96], path[160];
    snprintf(url, sizeof url, "https://127.0.0.1:%d/fail", port);
    char *id = subscribe(sim, token, url, "json", D(2), "[{\"event_type\":\"unlocked\"}]");
    ok(id != NULL, "a subscriber whose receiver answers 500");
    if (!id)
        return;
    cJSON_Delete(keypad(sim, D(2), "1001"));
    const char *res;
    ok(wait_attempts(sim, id, 1, 10) == 1, "first attempt");
    attempts_of(sim, id, &res);
    ok(strcmp(res, "failed") == 0 && hits_at("/fail") == 1, "... failed with 500 (%s)", res);
    sim_ctl(sim, "POST", "/_sim/clock", "{\"advance\":1800}", NULL);
    usleep(300000);
    ok(attempts_of(sim, id, NULL) == 1, "no retry before an hour");
    sim_ctl(sim, "POST", "/_sim/clock", "{\"advance\":1800}", NULL);
    ok(wait_attempts(sim, id, 2, 10) == 2 && hits_at("/fail") == 2, "retried after an hour");

    long st;
    snprintf(path, sizeof path, "/notification_subscribers/%s", id);
    char *text = api(sim, token, "GET", path, NULL, &st);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    const cJSON *active = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "data"), "attributes"), "active");
    ok(cJSON_IsTrue(active), "still active while retrying");
    cJSON_Delete(doc);

    sim_ctl(sim, "POST", "/_sim/clock", "{\"advance\":255600}", NULL); /* 71 more hours */
    char *fresh = simproc_token(sim); /* the old token expired with the clock */
    int n = wait_attempts(sim, id, 73, 60);
    ok(n == 73 && hits_at("/fail") == 73, "every hour for 72 hours: 1 + 72 attempts (%d, %zu)",
       n, hits_at("/fail"));
    double end = now_s() + 10;
    int inactive = 0;
    while (!inactive && now_s() < end) {
        text = api(sim, fresh, "GET", path, NULL, &st);
        doc = cJSON_Parse(text);
        free(text);
        active = cJSON_GetObjectItem(
            cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "data"), "attributes"), "active");
        inactive = cJSON_IsFalse(active);
        cJSON_Delete(doc);
        if (!inactive)
            usleep(20000);
    }
    ok(inactive, "then the subscriber is deactivated");
    sim_ctl(sim, "POST", "/_sim/clock", "{\"advance\":86400}", NULL);
    usleep(300000);
    ok(attempts_of(sim, id, NULL) == 73, "no attempt after the last retry");

    cJSON *ans = keypad(sim, D(2), "1001");
    usleep(300000);
    ok(ans && attempts_of(sim, id, NULL) == 73 && hits_at("/fail") == 73,
       "a deactivated subscriber gets no new events");
    cJSON_Delete(ans);
    free(fresh);
    free(id);
}

static void test_refused(simproc *sim, int port)
{
    char *token = simproc_token(sim);
    char plain[96], evil[96];
    snprintf(plain, sizeof plain, "http://127.0.0.1:%d/ok-plain", port);
    snprintf(evil, sizeof evil, "https://127.0.0.1:%d/ok-evil", port);
    static const char *const far[] = {"https://192.0.2.10/hook", "https://example.com/hook",
                                      "https://[2001:db8::1]/hook", "https://127.0.0.1.nip.io/x"};
    char *ids[5] = {0};
    for (size_t i = 0; i < 4; i++)
        ids[i] = subscribe(sim, token, far[i], "json", D(1), "[{\"event_type\":\"locked\"}]");
    ids[4] = subscribe(sim, token, plain, "json", D(1), "[{\"event_type\":\"locked\"}]");
    /* The resource side refuses such a secret (422); the worker's own
     * refusal stays behind it. */
    char *evil_id = subscribe_with(sim, token, evil, "json", "a\\r\\nX-Evil: 1", D(1),
                                   "[{\"event_type\":\"locked\"}]");
    ok(!evil_id, "a secret with a line break: refused at creation");
    free(evil_id);
    long st;
    free(api(sim, token, "PUT", "/devices/" D(1) "/lock", "{}", &st));
    ok(st == 200, "lock the Front Door (subscribers on other hosts)");
    for (size_t i = 0; i < 5; i++) {
        const char *res = "";
        int n = ids[i] ? wait_attempts(sim, ids[i], 1, 10) : 0;
        if (ids[i])
            attempts_of(sim, ids[i], &res);
        ok(n == 1 && strcmp(res, "refused") == 0, "%s: refused, never contacted (%s)",
           i < 4 ? far[i] : "http:// without --webhook-http", res);
    }
    sim_ctl(sim, "POST", "/_sim/clock", "{\"advance\":7200}", NULL);
    usleep(300000);
    int again = 0;
    for (size_t i = 0; i < 5; i++)
        again += ids[i] ? attempts_of(sim, ids[i], NULL) : 0;
    ok(again == 5 && hits_at("/ok-plain") == 0 && hits_at("/ok-evil") == 0,
       "refused messages are not retried");
    for (size_t i = 0; i < 5; i++)
        free(ids[i]);
    free(token);
}

/* The notifications recorded for subscriber (at once, unlike deliveries). */
static int notes_of(simproc *sim, const char *token, const char *subscriber)
{
    char path[192];
    long st;
    snprintf(path, sizeof path, "/notifications?per_page=50&attributes[subscriber_id]=%s",
             subscriber);
    char *text = api(sim, token, "GET", path, NULL, &st);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    int n = st == 200 ? cJSON_GetArraySize(cJSON_GetObjectItem(doc, "data")) : -1;
    cJSON_Delete(doc);
    return n;
}

/* The event type of a /_sim/ answer's only event, "none", or "many". */
static const char *only_event(const cJSON *answer)
{
    const cJSON *list = cJSON_GetObjectItem(answer, "events");
    if (cJSON_GetArraySize(list) != 1)
        return cJSON_GetArraySize(list) ? "many" : "none";
    const char *t = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(list, 0), "type"));
    return t ? t : "none";
}

/* 1 when the latest body at path is {data: event}, as GET /events/:id
 * answers it, an event of type naming who (associated_resource_id, NULL:
 * none) and publisher. */
static int delivered_event(simproc *sim, const char *token, const char *path, const char *eid,
                           const char *type, const char *who, const char *publisher)
{
    char get[160];
    long st;
    hit h = {0};
    snprintf(get, sizeof get, "/events/%s", eid ? eid : "x");
    char *text = api(sim, token, "GET", get, NULL, &st);
    cJSON *want = cJSON_Parse(text), *got = NULL;
    free(text);
    if (last_hit(path, &h))
        got = cJSON_Parse(h.body);
    free(h.body);
    const cJSON *data = cJSON_GetObjectItem(got, "data");
    const cJSON *attrs = cJSON_GetObjectItem(data, "attributes");
    int good = st == 200 && got && cJSON_Compare(got, want, 1) && str_is(data, "type", type) &&
               str_is(attrs, "publisher_id", publisher) &&
               (who ? str_is(attrs, "associated_resource_id", who)
                    : !cJSON_GetStringValue(cJSON_GetObjectItem(attrs, "associated_resource_id")));
    cJSON_Delete(want);
    cJSON_Delete(got);
    return good;
}

/* access_person_used: the person's PIN opening a lock at the keypad, for
 * a subscription to the person (every use, or first_access: the first
 * only) and one to the lock's location; not another person's PIN, not a
 * refused one. */
static void test_person_used(simproc *sim, const char *token, int port)
{
    static const char *const paths[] = {"/ok-used", "/ok-used-first", "/ok-used-loc"};
    char *ids[3], url[96];
    for (size_t i = 0; i < 3; i++) {
        snprintf(url, sizeof url, "https://127.0.0.1:%d%s", port, paths[i]);
        ids[i] = new_subscriber(sim, token, url, "json", "s3cret");
    }
    int subscribed =
        ids[0] && ids[1] && ids[2] &&
        add_subscription(sim, token, ids[0], "access_user", P(1),
                         "[{\"event_type\":\"access_person_used\"}]") == 201 &&
        add_subscription(sim, token, ids[1], "access_user", P(1),
                         "[{\"event_type\":\"access_person_used\",\"first_access\":true}]") ==
            201 &&
        add_subscription(sim, token, ids[2], "location", L(1),
                         "[{\"event_type\":\"access_person_used\"}]") == 201;
    ok(subscribed, "subscribed to access_person_used of the user (every use, first_access) "
                   "and of the Main location");
    if (!subscribed)
        goto out;
    ok(add_subscription(sim, token, ids[0], "access_user", P(1),
                        "[{\"event_type\":\"access_person_created\",\"first_access\":true}]") ==
               422 &&
           add_subscription(sim, token, ids[0], "access_user", P(1),
                            "[{\"event_type\":\"access_person_used\",\"first_access\":1}]") ==
               422,
       "first_access: a boolean of access_person_used only (else 422)");
    long st;
    char *text = api(sim, token, "GET", "/notification_subscriptions?per_page=50", NULL, &st);
    cJSON *subs = cJSON_Parse(text);
    free(text);
    int shown = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(subs, "data")) {
        const cJSON *a = cJSON_GetObjectItem(s, "attributes");
        const cJSON *ev = cJSON_GetArrayItem(cJSON_GetObjectItem(a, "events"), 0);
        shown += str_is(a, "subscriber_id", ids[1]) &&
                 cJSON_IsTrue(cJSON_GetObjectItem(ev, "first_access"));
    }
    cJSON_Delete(subs);
    ok(shown == 1, "the subscription keeps first_access: true");

    cJSON *ans = keypad(sim, D(1), "1002");
    ok(!strcmp(only_event(ans), "unlocked_event") && notes_of(sim, token, ids[2]) == 1 &&
           notes_of(sim, token, ids[0]) == 0 && notes_of(sim, token, ids[1]) == 0,
       "another person's PIN: only the location's subscriber is notified");
    cJSON_Delete(ans);
    ans = keypad(sim, D(3), "1001");
    ok(!strcmp(only_event(ans), "access_denied_event") && notes_of(sim, token, ids[0]) == 0 &&
           notes_of(sim, token, ids[1]) == 0,
       "the user's PIN refused at a lock out of reach: not a use (%s)", only_event(ans));
    cJSON_Delete(ans);
    free(api(sim, token, "PUT", "/devices/" D(1) "/unlock/" P(1), NULL, &st));
    ok(st == 200 && notes_of(sim, token, ids[0]) == 0 && notes_of(sim, token, ids[1]) == 0,
       "a remote unlock for the user (no credential): not a use (%ld)", st);
    ok(wait_attempts(sim, ids[2], 1, 10) == 1 && attempts_of(sim, ids[0], NULL) == 0 &&
           attempts_of(sim, ids[1], NULL) == 0,
       "so far one delivery, to the location's subscriber");

    ans = keypad(sim, D(1), "1001");
    const char *eid = event_id(ans);
    ok(!strcmp(only_event(ans), "unlocked_event") && notes_of(sim, token, ids[0]) == 1 &&
           notes_of(sim, token, ids[1]) == 1 && notes_of(sim, token, ids[2]) == 2,
       "the user's PIN opens the Front Door: every access_person_used subscriber is notified");
    ok(wait_attempts(sim, ids[2], 2, 10) == 2 && wait_attempts(sim, ids[0], 1, 10) == 1 &&
           wait_attempts(sim, ids[1], 1, 10) == 1,
       "and gets a POST");
    ok(delivered_event(sim, token, "/ok-used", eid, "unlocked_event", P(1), D(1)) &&
           delivered_event(sim, token, "/ok-used-first", eid, "unlocked_event", P(1), D(1)),
       "the payload is the unlock, as GET /events/:id answers it");
    cJSON_Delete(ans);

    ans = keypad(sim, D(2), "1001");
    ok(!strcmp(only_event(ans), "unlocked_event") && notes_of(sim, token, ids[0]) == 2 &&
           notes_of(sim, token, ids[1]) == 1,
       "a second use (another lock): first_access is not notified again");
    int sent = wait_attempts(sim, ids[2], 3, 10) == 3 && wait_attempts(sim, ids[0], 2, 10) == 2;
    usleep(300000); /* the worker's order among one event's messages is not fixed */
    ok(sent && attempts_of(sim, ids[1], NULL) == 1, "nor sent");
    cJSON_Delete(ans);
out:
    for (size_t i = 0; i < 3; i++)
        free(ids[i]);
}

static cJSON *report_level(simproc *sim, const char *device, int level)
{
    char body[160];
    cJSON *doc = NULL;
    snprintf(body, sizeof body, "{\"device_id\":\"%s\",\"power_level\":%d}", device, level);
    if (sim_ctl(sim, "POST", "/_sim/device", body, &doc) != 200)
        diag("device report %d refused", level);
    return doc;
}

/* battery_replaced: a device's level rising from low (below 20) to 80 or
 * more, and no other change. */
static void test_battery(simproc *sim, const char *token, int port)
{
    static const struct {
        int level;
        const char *event; /* the answer's only event, or "none" */
        const char *what;
    } steps[] = {
        {90, "none", "60 -> 90: high to higher"},
        {15, "power_level_low_event", "90 -> 15: low"},
        {10, "none", "15 -> 10: low to low"},
        {50, "none", "10 -> 50: not to 80"},
        {5, "power_level_low_event", "50 -> 5: low again"},
        {95, "battery_replaced_event", "5 -> 95: replaced"},
        {100, "none", "95 -> 100: high to higher"},
    };
    char url[96];
    snprintf(url, sizeof url, "https://127.0.0.1:%d/ok-battery", port);
    char *id = subscribe(sim, token, url, "json", D(2), "[{\"event_type\":\"battery_replaced\"}]");
    ok(id != NULL, "subscribed to battery_replaced of the Pool Gate (level 60)");
    if (!id)
        return;
    char *eid = NULL;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        cJSON *ans = report_level(sim, D(2), steps[i].level);
        int replaced = !strcmp(steps[i].event, "battery_replaced_event");
        ok(!strcmp(only_event(ans), steps[i].event) && notes_of(sim, token, id) == (eid || replaced),
           "%s: %s", steps[i].what, only_event(ans));
        if (replaced && !eid)
            eid = str_dup(cJSON_GetArrayItem(cJSON_GetObjectItem(ans, "events"), 0), "id");
        cJSON_Delete(ans);
    }
    ok(wait_attempts(sim, id, 1, 10) == 1 &&
           delivered_event(sim, token, "/ok-battery", eid, "battery_replaced_event", NULL, D(2)),
       "one POST: the battery_replaced_event, as GET /events/:id answers it");
    hit h = {0};
    cJSON *got = last_hit("/ok-battery", &h) ? cJSON_Parse(h.body) : NULL;
    free(h.body);
    ok(num_of(cJSON_GetObjectItem(cJSON_GetObjectItem(got, "data"), "attributes"),
              "power_level") == 95,
       "it carries the new power_level");
    cJSON_Delete(got);
    usleep(300000);
    ok(attempts_of(sim, id, NULL) == 1, "no later delivery");
    free(eid);
    free(id);
}

/* With --webhook-http a plain http:// receiver on loopback gets messages. */
static void test_plain_http(const char *ca)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL,
        on_request, NULL, MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_NOTIFY_COMPLETED, on_done,
        NULL, MHD_OPTION_END);
    const union MHD_DaemonInfo *info = d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)
                                         : NULL;
    ok(info && info->port, "plain HTTP receiver");
    if (!info || !info->port) {
        if (d)
            MHD_stop_daemon(d);
        return;
    }
    const char *args[] = {"--webhook-cafile", ca, "--webhook-http", NULL};
    simproc *sim = start_or_die(args);
    char *token = simproc_token(sim), url[96];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/ok-http", info->port);
    char *id = subscribe(sim, token, url, "json", D(1), "[{\"event_type\":\"unlocked\"}]");
    cJSON_Delete(keypad(sim, D(1), "1002"));
    const char *res = "";
    int n = id ? wait_attempts(sim, id, 1, 10) : 0;
    if (id)
        attempts_of(sim, id, &res);
    ok(n == 1 && strcmp(res, "delivered") == 0 && hits_at("/ok-http") == 1,
       "--webhook-http: delivered over http:// to loopback (%s)", res);
    free(id);
    free(token);
    ok(simproc_stop(sim) == 0, "that simulator stops cleanly too");
    MHD_stop_daemon(d);
}

int main(void)
{
    char dir[] = "/tmp/lcwebhook.XXXXXX", ca[64], err[256];
    sim_tls tls = {0};
    if (!mkdtemp(dir)) {
        ok(0, "temp dir");
        return tap_done();
    }
    snprintf(ca, sizeof ca, "%s/ca.pem", dir);
    if (sim_tls_generate(&tls, ca, err, sizeof err) != 0) {
        ok(0, "receiver certificate: %s", err);
        return tap_done();
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_TLS, 0, NULL,
        NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_NOTIFY_COMPLETED,
        on_done, NULL, MHD_OPTION_HTTPS_MEM_CERT, tls.cert_pem, MHD_OPTION_HTTPS_MEM_KEY,
        tls.key_pem, MHD_OPTION_END);
    const union MHD_DaemonInfo *info = d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)
                                         : NULL;
    ok(info && info->port, "HTTPS receiver on 127.0.0.1:%d", info ? info->port : 0);
    if (!info || !info->port)
        return tap_done();
    int port = info->port;

    const char *args[] = {"--webhook-cafile", ca, NULL};
    simproc *sim = start_or_die(args);
    char *token = simproc_token(sim);
    test_person_used(sim, token, port); /* first: the user's first use is its own */
    test_battery(sim, token, port);
    test_json_and_form(sim, token, port);
    test_order(sim, token, port);
    test_hang(sim, token, port);
    test_retries(sim, token, port);
    test_refused(sim, port);
    free(token);
    ok(simproc_stop(sim) == 0, "the simulator stops cleanly with its worker");
    test_plain_http(ca);

    MHD_stop_daemon(d);
    sim_tls_free(&tls);
    for (size_t i = 0; i < rx.n; i++)
        free(rx.hits[i].body);
    unlink(ca);
    rmdir(dir);
    return tap_done();
}
