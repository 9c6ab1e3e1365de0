/* Integration: which failed requests are sent again (core/src/retry.h),
 * against a real simulator. Idempotent calls (GET, PUT, DELETE) are sent
 * again after 5xx answers, timeouts and dropped connections, a bounded
 * number of times and never past the deadline; a POST is never sent
 * twice once it may have reached the server, not even by libcurl's silent
 * resend on a reused keep-alive connection (the simulator's "drop" fault
 * reads the whole request, then closes without answering: exactly what a
 * server that acted on it and died looks like). The simulator's request
 * log is the witness: it counts what arrived. No timing is asserted but
 * generous bounds. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "coretest.h"
#include "retry.h"

#define PERSON "30000000-0000-4000-8000-000000000002"
#define GUEST "{\"type\":\"access_guest\",\"attributes\":{\"name\":\"Gus Guest\"," \
              "\"pin\":\"5150\",\"starts_at\":\"2026-03-11T15:00:00\"," \
              "\"ends_at\":\"2026-03-13T11:00:00\"}}"

/* Requests the simulator logged with this method and path (status 0: it
 * dropped the connection without answering). */
static int logged(simproc *sim, const char *method, const char *path, int *dropped)
{
    cJSON *doc = sim_requests(sim);
    const cJSON *r;
    int n = 0;

    if (dropped)
        *dropped = 0;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "requests")) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(r, "method");
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(r, "path");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(r, "status");
        if (cJSON_IsString(m) && cJSON_IsString(p) && !strcmp(m->valuestring, method) &&
            !strcmp(p->valuestring, path)) {
            n++;
            if (dropped && cJSON_IsNumber(s) && s->valueint == 0)
                (*dropped)++;
        }
    }
    cJSON_Delete(doc);
    return doc ? n : -1;
}

static int count_lines(const test_log *log, const char *needle)
{
    int n = 0;
    for (const char *p = log->text; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* A client with a token and a connection the next request reuses. */
static lc_client *ready_client(simproc *sim, test_log *log, int max_retries)
{
    lc_config cfg = test_config(sim, NULL, log);
    lc_client *c = NULL;
    lc_error e;
    cJSON *out = NULL;

    cfg.max_retries = max_retries;
    lc_error_init(&e);
    if (lc_client_new(&cfg, &c, &e) != LC_OK ||
        lc_call(c, "devices.list", NULL, NULL, NULL, &out, &e) != LC_OK)
        diag("client not ready: %s", e.message);
    cJSON_Delete(out);
    lc_error_clear(&e);
    if (log)
        log->len = 0, log->text[0] = '\0';
    return c;
}

/* /_sim/reset forgets tokens and the request log: one call renews the
 * client's token (a 403 and a resend) on another path, so the counts of
 * the path under test start clean, and leaves a kept-alive connection. */
static void reset_warm(simproc *sim, lc_client *c, test_log *log)
{
    cJSON *out = NULL;

    ctl(sim, "/_sim/reset", NULL);
    lc_call(c, "devices.list", NULL, NULL, NULL, &out, NULL);
    cJSON_Delete(out);
    if (log)
        log->len = 0, log->text[0] = '\0';
}

static lc_status get_person(lc_client *c, lc_error *e)
{
    cJSON *out = NULL;
    lc_status st = lc_call(c, "access_persons.get", (lc_query[]){ PERSON, NULL }, NULL, NULL,
                           &out, e);
    cJSON_Delete(out);
    return st;
}

static lc_status create_guest(lc_client *c, lc_error *e)
{
    cJSON *body = cJSON_Parse(GUEST), *out = NULL;
    lc_status st = lc_call(c, "access_persons.create", NULL, NULL, body, &out, e);
    cJSON_Delete(body);
    cJSON_Delete(out);
    return st;
}

static void test_idempotent_retried(simproc *sim)
{
    test_log log = { .len = 0 };
    lc_client *c;
    lc_error e;
    int n;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    c = ready_client(sim, &log, 0);
    ctl(sim, "/_sim/fault", "{\"kind\":\"status\",\"status\":503,\"count\":1,"
                            "\"path\":\"/access_persons/\"}");
    ok(get_person(c, &e) == LC_OK, "GET after one 503 is sent again and succeeds: %s",
       e.message);
    n = logged(sim, "GET", "/access_persons/" PERSON, NULL);
    ok(n == 2, "the simulator saw the GET twice (%d)", n);
    ok(count_lines(&log, "sending it again") == 1 && strstr(log.text, "1 GET /access_persons/:id"),
       "one WARN line for the resend, naming the request:\n%s", log.text);

    reset_warm(sim, c, &log);
    ctl(sim, "/_sim/fault", "{\"kind\":\"status\",\"status\":500,\"count\":10,"
                            "\"path\":\"/access_persons/\"}");
    ok(get_person(c, &e) == LC_ERR_HTTP && e.http_status == 500,
       "a lasting 500 is returned after the retries: %s", e.message);
    n = logged(sim, "GET", "/access_persons/" PERSON, NULL);
    ok(n == 3, "default max_retries 2: sent three times (%d)", n);
    sim_ctl(sim, "DELETE", "/_sim/fault", NULL, NULL);

    /* 4xx answers are final. */
    reset_warm(sim, c, &log);
    ctl(sim, "/_sim/fault", "{\"kind\":\"status\",\"status\":404,\"count\":5,"
                            "\"path\":\"/access_persons/\"}");
    ok(get_person(c, &e) == LC_ERR_HTTP && e.http_status == 404 &&
       logged(sim, "GET", "/access_persons/" PERSON, NULL) == 1, "a 404 is not sent again");
    sim_ctl(sim, "DELETE", "/_sim/fault", NULL, NULL);

    /* A PUT is idempotent too. */
    reset_warm(sim, c, &log);
    ctl(sim, "/_sim/fault", "{\"kind\":\"status\",\"status\":502,\"count\":1,"
                            "\"path\":\"/access_persons/\"}");
    {
        cJSON *body = cJSON_Parse("{\"attributes\":{\"name\":\"Casey Current-Smith\"}}");
        cJSON *out = NULL;
        lc_status st = lc_call(c, "access_persons.update", (lc_query[]){ PERSON, NULL }, NULL,
                               body, &out, &e);
        ok(st == LC_OK && logged(sim, "PUT", "/access_persons/" PERSON, NULL) == 2,
           "a PUT after a 502 is sent again: %s", e.message);
        cJSON_Delete(body);
        cJSON_Delete(out);
    }
    lc_client_free(c);

    ctl(sim, "/_sim/reset", NULL);
    c = ready_client(sim, NULL, LC_OFF);
    ctl(sim, "/_sim/fault", "{\"kind\":\"status\",\"status\":503,\"count\":1,"
                            "\"path\":\"/access_persons/\"}");
    ok(get_person(c, &e) == LC_ERR_HTTP && e.http_status == 503 &&
       logged(sim, "GET", "/access_persons/" PERSON, NULL) == 1,
       "max_retries LC_OFF: the 503 is returned, nothing sent again");
    lc_client_free(c);
    lc_error_clear(&e);
}

/* A POST is acted on by the server: one that failed after it may have
 * arrived is never sent again. */
static void test_post_not_retried(simproc *sim)
{
    test_log log = { .len = 0 };
    lc_client *c;
    lc_error e;
    int n, dropped;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    c = ready_client(sim, &log, 0);
    ctl(sim, "/_sim/fault", "{\"kind\":\"status\",\"status\":500,\"count\":1,"
                            "\"path\":\"/access_persons\"}");
    ok(create_guest(c, &e) == LC_ERR_HTTP && e.http_status == 500,
       "a POST answered 500 is returned: %s", e.message);
    n = logged(sim, "POST", "/access_persons", NULL);
    ok(n == 1, "the simulator saw the POST once (%d)", n);

    /* The connection is kept alive from the previous calls: the server reads
     * the POST and closes without answering. libcurl would silently send it
     * again on a new connection. */
    ctl(sim, "/_sim/reset", NULL);
    lc_client_free(c);
    c = ready_client(sim, &log, 0);
    ctl(sim, "/_sim/fault", "{\"kind\":\"drop\",\"count\":1,\"path\":\"/access_persons\"}");
    ok(create_guest(c, &e) == LC_ERR_TRANSPORT && e.http_status == 0 &&
       strstr(e.message, "may have reached the server") && strstr(e.message, "not sent again") &&
       !strcmp(e.request, "POST /access_persons"),
       "a POST on a reused connection closed without an answer is a transport error "
       "saying so: %s", e.message);
    n = logged(sim, "POST", "/access_persons", &dropped);
    ok(n == 1 && dropped == 1, "the simulator saw exactly one POST (%d, %d dropped)", n, dropped);
    ok(strstr(log.text, "is not sent again") != NULL, "a WARN line says it was not sent "
       "again:\n%s", log.text);
    ok(create_guest(c, &e) == LC_OK && logged(sim, "POST", "/access_persons", NULL) == 2,
       "the client works on: the next POST is sent once and succeeds: %s", e.message);

    /* Without a body too (the pre-request guard, not only the body's). */
    ctl(sim, "/_sim/reset", NULL);
    lc_client_free(c);
    c = ready_client(sim, NULL, 0);
    ctl(sim, "/_sim/fault", "{\"kind\":\"drop\",\"count\":1,\"path\":\"/access_persons\"}");
    ok(lc_request(c, "POST", "/access_persons", NULL, NULL, &e) == LC_ERR_TRANSPORT &&
       strstr(e.message, "may have reached the server"),
       "a bodiless POST (lc_request) is not resent either: %s", e.message);
    n = logged(sim, "POST", "/access_persons", &dropped);
    ok(n == 1 && dropped == 1, "the simulator saw exactly one bodiless POST (%d)", n);

    /* A PATCH is not idempotent either: its body takes the read-once path
     * and arrives whole. */
    {
        cJSON *body = cJSON_Parse("{\"attributes\":{\"name\":\"Casey Patched\"}}"), *out = NULL;
        ok(lc_request(c, "PATCH", "/access_persons/" PERSON, body, &out, &e) == LC_OK &&
           doc_attr(out, "name") && !strcmp(doc_attr(out, "name"), "Casey Patched") &&
           logged(sim, "PATCH", "/access_persons/" PERSON, NULL) == 1,
           "a PATCH body is sent once, whole: %s", e.message);
        cJSON_Delete(body);
        cJSON_Delete(out);
    }

    /* A GET in the same situation is sent again and succeeds. */
    ctl(sim, "/_sim/reset", NULL);
    lc_client_free(c);
    c = ready_client(sim, NULL, 0);
    ctl(sim, "/_sim/fault", "{\"kind\":\"drop\",\"count\":3,\"path\":\"/access_persons/\"}");
    ok(get_person(c, &e) == LC_OK, "a GET dropped three times on a reused connection is sent "
       "again and succeeds: %s", e.message);
    n = logged(sim, "GET", "/access_persons/" PERSON, &dropped);
    ok(n == 4 && dropped == 3, "the simulator saw it four times, three dropped (%d, %d)", n,
       dropped);
    lc_client_free(c);
    lc_error_clear(&e);
}

static int free_port(void)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/* A request that never left (connection refused) may be sent again even
 * when it is a POST: nothing reached a server. */
static void test_never_sent(simproc *sim)
{
    test_log log = { .len = 0 };
    lc_config cfg = test_config(sim, NULL, &log);
    lc_client *c = NULL;
    lc_error e;
    char url[64];

    lc_error_init(&e);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", free_port());
    cfg.api_url = url;
    cfg.allow_http = 1;
    cfg.max_retries = 1;
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && lc_auth_client_credentials(c, &e) == LC_OK,
       "client with a token, its API on a closed port");
    log.len = 0;
    log.text[0] = '\0';
    ok(create_guest(c, &e) == LC_ERR_TRANSPORT && e.http_status == 0,
       "POST to a closed port is transport: %s", e.message);
    ok(count_lines(&log, "sending it again") == 1,
       "it was tried again once (nothing had left):\n%s", log.text);
    lc_client_free(c);
    lc_error_clear(&e);
}

/* A timeout is retried for a GET; the single-threaded simulator sleeps
 * through the latency, then serves the resend. */
static void test_timeout_retried(simproc *sim)
{
    lc_config cfg = test_config(sim, NULL, NULL);
    lc_client *c = NULL;
    lc_error e;
    int n;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    cfg.timeout_ms = 1000;
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && lc_auth_client_credentials(c, &e) == LC_OK,
       "client with a 1 s timeout");
    ctl(sim, "/_sim/fault", "{\"kind\":\"latency\",\"ms\":1300,\"count\":1,"
                            "\"path\":\"/access_persons/\"}");
    ok(get_person(c, &e) == LC_OK, "a GET that timed out is sent again and succeeds: %s",
       e.message);
    n = logged(sim, "GET", "/access_persons/" PERSON, NULL);
    ok(n >= 2, "the simulator saw it at least twice (%d)", n);
    lc_client_free(c);
    lc_error_clear(&e);
}

/* No pause is begun that would pass the deadline. */
static void test_deadline(simproc *sim)
{
    lc_client *c;
    lc_error e;
    long long t0;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    c = ready_client(sim, NULL, 10);
    ctl(sim, "/_sim/fault", "{\"kind\":\"status\",\"status\":503,\"count\":100,"
                            "\"path\":\"/access_persons/\"}");
    lc_client_set_deadline_ms(c, 300);
    t0 = mono_ms();
    ok(get_person(c, &e) == LC_ERR_HTTP && e.http_status == 503,
       "a lasting 503 under a 300 ms deadline ends as the 503: %s", e.message);
    ok(mono_ms() - t0 < 3000, "within the deadline, not ten retries later (%lld ms)",
       mono_ms() - t0);
    sim_ctl(sim, "DELETE", "/_sim/fault", NULL, NULL);
    lc_client_free(c);
    lc_error_clear(&e);
}

/* The decisions alone (retry.h), without a server. */
static void test_decisions(void)
{
    lc_client c;
    lc_http_resp r;
    lc_api_req get = { .method = "GET", .what = "GET /x", .flags = LC_EP_IDEMPOTENT };
    lc_api_req post = { .method = "POST", .what = "POST /x" };
    long long lo[4] = { 125, 250, 500, 4000 }, hi[4] = { 250, 500, 1000, 8000 };
    int n_of[4] = { 1, 2, 3, 10 }, in_range = 1, varied = 0;

    memset(&c, 0, sizeof c);
    c.rng = 42;
    lc_http_resp_init(&r);
    r.maybe_sent = 1;
    ok(lc_retry_worth(&get, LC_ERR_TRANSPORT, &r) && lc_retry_worth(&get, LC_ERR_TIMEOUT, &r) &&
       !lc_retry_worth(&post, LC_ERR_TRANSPORT, &r) && !lc_retry_worth(&post, LC_ERR_TIMEOUT, &r),
       "after a failure that may have reached the server: GET again, POST not");
    r.maybe_sent = 0;
    ok(lc_retry_worth(&post, LC_ERR_TRANSPORT, &r) && lc_retry_worth(&post, LC_ERR_TIMEOUT, &r),
       "a POST that never left may be sent again");
    ok(!lc_retry_worth(&get, LC_ERR_TLS, &r) && !lc_retry_worth(&get, LC_ERR_PARSE, &r) &&
       !lc_retry_worth(&get, LC_ERR_USAGE, &r) && !lc_retry_worth(&get, LC_ERR_NOMEM, &r),
       "TLS, parse (answer too large), usage and memory failures are final");
    r.status = 503;
    ok(lc_retry_worth(&get, LC_OK, &r) && !lc_retry_worth(&post, LC_OK, &r),
       "a 503: GET again, POST not");
    r.status = 501;
    ok(!lc_retry_worth(&get, LC_OK, &r), "501 is final");
    r.status = 404;
    ok(!lc_retry_worth(&get, LC_OK, &r), "404 is final");
    r.status = 429;
    ok(!lc_retry_worth(&get, LC_OK, &r), "429 is pacing's, not a retry");
    ok(lc_method_idempotent("GET") && lc_method_idempotent("PUT") &&
       lc_method_idempotent("DELETE") && lc_method_idempotent("HEAD") &&
       !lc_method_idempotent("POST") && !lc_method_idempotent("PATCH") &&
       !lc_method_idempotent(NULL), "RFC 9110's idempotent methods");
    for (int k = 0; k < 4; k++) {
        long long first = lc_retry_pause_ms(&c, n_of[k]);
        for (int i = 0; i < 200; i++) {
            long long ms = lc_retry_pause_ms(&c, n_of[k]);
            in_range &= ms >= lo[k] && ms <= hi[k];
            varied |= ms != first;
        }
    }
    ok(in_range, "pauses double from 250 ms to at most 8 s, over the upper half of each");
    ok(varied, "pauses are jittered");
}

int main(void)
{
    /* No rate limit in the way: /_sim/reset keeps the command line's. */
    simproc *sim = simproc_start((const char *[]){ "--rate-limit", "100000/60", NULL });

    if (!sim) {
        ok(0, "simulator started");
        return tap_done();
    }
    test_decisions();
    test_idempotent_retried(sim);
    test_post_not_retried(sim);
    test_never_sent(sim);
    test_timeout_retried(sim);
    test_deadline(sim);
    ok(simproc_stop(sim) == 0, "simulator exited cleanly");
    return tap_done();
}
