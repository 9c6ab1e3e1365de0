/* Integration: rate-limit pacing (core/src/pacing.h) against the
 * simulator's fixed-window limiter (X-RateLimit-Limit/Remaining/Reset,
 * Retry-After on 429). A long job under a small limit gets no 429 at all;
 * a 429 caused by another client of the account is waited out and the
 * request sent again (a POST too: a 429 was not acted on); with the wait
 * off, too long for max_rate_wait or past the deadline, the 429 comes
 * back at once with retry_after. Rate windows are real time, so windows
 * here are seconds long; no timing is asserted but generous bounds. */
#include <limits.h>
#include <unistd.h>

#include "coretest.h"
#include "pacing.h"
#include "transport.h"
#include "vendor.h"

#define PERSON "30000000-0000-4000-8000-000000000002"
#define GUEST "{\"type\":\"access_guest\",\"attributes\":{\"name\":\"Rita Retry\"," \
              "\"pin\":\"6160\",\"starts_at\":\"2026-03-11T15:00:00\"," \
              "\"ends_at\":\"2026-03-13T11:00:00\"}}"

/* Requests logged for method and path, and how many were answered 429. */
static int logged(simproc *sim, const char *method, const char *path, int *limited)
{
    cJSON *doc = sim_requests(sim);
    const cJSON *r;
    int n = 0;

    *limited = 0;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "requests")) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(r, "method");
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(r, "path");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(r, "status");
        if (cJSON_IsString(m) && cJSON_IsString(p) && !strcmp(m->valuestring, method) &&
            (!path || !strcmp(p->valuestring, path))) {
            n++;
            *limited += cJSON_IsNumber(s) && s->valueint == 429;
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

static void set_limit(simproc *sim, int limit, int window)
{
    char body[96];
    snprintf(body, sizeof(body), "{\"rate_limit\":%d,\"rate_window\":%d}", limit, window);
    ctl(sim, "/_sim/config", body);
}

static lc_client *new_client(simproc *sim, test_log *log, long max_rate_wait_ms)
{
    lc_config cfg = test_config(sim, NULL, log);
    lc_client *c = NULL;
    lc_error e;

    cfg.max_rate_wait_ms = max_rate_wait_ms;
    lc_error_init(&e);
    if (lc_client_new(&cfg, &c, &e) != LC_OK || lc_auth_client_credentials(c, &e) != LC_OK)
        diag("client: %s", e.message);
    lc_error_clear(&e);
    return c;
}

static lc_status get_person(lc_client *c, lc_error *e)
{
    cJSON *out = NULL;
    lc_status st = lc_call(c, "access_persons.get", (lc_query[]){ PERSON, NULL }, NULL, NULL,
                           &out, e);
    cJSON_Delete(out);
    return st;
}

/* Another client of the account (its own token) uses up the current
 * window, until it is answered 429 with at least min_left seconds of the
 * window to go; 1 when done. */
static int exhaust_window(simproc *sim, long min_left)
{
    char *token = simproc_token(sim);
    int done = 0;

    for (int round = 0; token && !done && round < 3; round++) {
        for (int i = 0; i < 200; i++) {
            simproc_res r;
            long status = simproc_http(sim, &(simproc_req){ .path = "/locations",
                                                            .bearer = token }, &r);
            const char *reset = simproc_res_header(&r, "X-RateLimit-Reset");
            long long left = reset ? atoll(reset) - (long long)time(NULL) : 0;
            simproc_res_free(&r);
            if (status == 429 && left >= min_left) {
                done = 1;
                break;
            }
            if (status == 429) {
                /* Too close to the reset: wait for the next window. */
                sleep((unsigned)(left > 0 ? left : 0) + 1);
                break;
            }
        }
    }
    free(token);
    return done;
}

static void test_long_job(simproc *sim)
{
    test_log log = { .len = 0 };
    lc_client *c;
    lc_error e;
    lc_status st = LC_OK;
    int i, n, limited;
    long long t0 = mono_ms();

    ctl(sim, "/_sim/reset", NULL);
    set_limit(sim, 5, 2);
    lc_error_init(&e);
    c = new_client(sim, &log, 0);
    for (i = 0; i < 17 && (st = get_person(c, &e)) == LC_OK; i++)
        ;
    ok(i == 17 && st == LC_OK, "17 GETs under a 5 per 2 s limit all succeed (%d): %s", i,
       st ? e.message : "");
    n = logged(sim, "GET", NULL, &limited);
    ok(n == 17 && limited == 0, "the simulator saw 17 GETs and answered no 429 (%d, %d)", n,
       limited);
    ok(count_lines(&log, "is used up: waiting") >= 3,
       "the client waited for the window's reset, one INFO line each:\n%s", log.text);
    ok(mono_ms() - t0 < 60000, "within a generous bound (%lld ms)", mono_ms() - t0);
    lc_client_free(c);
    lc_error_clear(&e);
}

/* Another client took the window: the 429 is waited out, then the request
 * is sent again, a POST included (a 429 was not acted on). */
static void test_429_waited(simproc *sim)
{
    test_log log = { .len = 0 };
    lc_client *c;
    lc_error e;
    cJSON *body, *out = NULL;
    int n, limited;

    ctl(sim, "/_sim/reset", NULL);
    set_limit(sim, 3, 4);
    lc_error_init(&e);
    c = new_client(sim, &log, 0);
    ok(exhaust_window(sim, 1), "another client used up the window");
    ok(get_person(c, &e) == LC_OK, "a GET answered 429 is sent again after the reset: %s",
       e.message);
    n = logged(sim, "GET", "/access_persons/" PERSON, &limited);
    ok(n == 2 && limited == 1, "the simulator saw it twice, the first answered 429 (%d, %d)",
       n, limited);
    ok(count_lines(&log, "answered HTTP 429: waiting") == 1,
       "one INFO line for the wait:\n%s", log.text);

    ok(exhaust_window(sim, 1), "another client used up the window again");
    body = cJSON_Parse(GUEST);
    ok(lc_call(c, "access_persons.create", NULL, NULL, body, &out, &e) == LC_OK &&
       doc_id(out), "a POST answered 429 is sent again after the reset: %s", e.message);
    n = logged(sim, "POST", "/access_persons", &limited);
    ok(n == 2 && limited == 1, "the simulator saw the POST twice, the first answered 429 "
       "(%d, %d)", n, limited);
    cJSON_Delete(body);
    cJSON_Delete(out);

    /* A 429 with only Retry-After (the simulator's status fault). */
    ctl(sim, "/_sim/fault", "{\"kind\":\"status\",\"status\":429,\"retry_after\":1,\"count\":1,"
                            "\"path\":\"/access_persons/\"}");
    set_limit(sim, 1000, 60);
    ok(get_person(c, &e) == LC_OK, "a 429 with Retry-After: 1 is waited out: %s", e.message);
    lc_client_free(c);
    lc_error_clear(&e);
}

/* When the wait may not be made the 429 is returned at once, with when
 * to come back, and only one request was sent. */
static void test_429_returned(simproc *sim)
{
    test_log log = { .len = 0 };
    lc_client *c;
    lc_error e;
    long long t0;
    int n, limited;

    ctl(sim, "/_sim/reset", NULL);
    set_limit(sim, 3, 60);
    lc_error_init(&e);

    c = new_client(sim, &log, LC_OFF);
    ok(exhaust_window(sim, 10), "another client used up a 60 s window");
    t0 = mono_ms();
    ok(get_person(c, &e) == LC_ERR_RATE_LIMITED && e.http_status == 429,
       "max_rate_wait LC_OFF: rate-limited at once: %s", e.message);
    ok(e.retry_after > 0 && e.retry_after <= 60 && e.rate_limit_reset > 0,
       "the error keeps retry_after %ld and the reset %lld", e.retry_after, e.rate_limit_reset);
    n = logged(sim, "GET", "/access_persons/" PERSON, &limited);
    ok(n == 1 && limited == 1, "one request was sent (%d)", n);
    lc_client_free(c);

    c = new_client(sim, &log, 2000);
    log.len = 0;
    log.text[0] = '\0';
    ok(get_person(c, &e) == LC_ERR_RATE_LIMITED && e.retry_after > 2,
       "a wait over max_rate_wait (2 s) is not begun: %s", e.message);
    ok(strstr(log.text, "not waiting") && strstr(log.text, "max_rate_wait"),
       "a WARN line says why:\n%s", log.text);
    lc_client_free(c);

    c = new_client(sim, &log, 0);
    lc_client_set_deadline_ms(c, 3000);
    log.len = 0;
    log.text[0] = '\0';
    ok(get_person(c, &e) == LC_ERR_RATE_LIMITED, "a wait past the deadline is not begun: %s",
       e.message);
    ok(strstr(log.text, "deadline") != NULL, "the WARN line names the deadline:\n%s",
       log.text);
    ok(mono_ms() - t0 < 20000, "none of them waited for the 60 s window (%lld ms)",
       mono_ms() - t0);
    lc_client_free(c);
    lc_error_clear(&e);
}

/* Header values a hostile server may send, from the vendor's reader and
 * the transport's Retry-After to the wait: none overflows (the sanitized
 * build aborts on signed overflow), a reset over a year away is unknown
 * and a Retry-After is at most a year. */
static void test_hostile_headers(long long now)
{
    static const char huge[] = "9223372036854775807", far[] = "9300000000000000";
    static const char date[] = " 06 Nov 2147483647 08:49:37 GMT\r\n";
    const long long year_ms = LC_PACE_MAX_AHEAD_S * 1000;
    lc_rate_limit rl = { -1, -1, 0 };
    lc_client c;
    lc_http_resp r;
    long ra;

    memset(&c, 0, sizeof c);
    lc_protocol_remotelock.rate_header(&rl, "X-RateLimit-Reset", 17, huge, strlen(huge));
    ok(rl.reset == 9223372036854775807LL, "the reader keeps a huge reset as given");
    c.rl_remaining = 0;
    c.rl_reset = rl.reset;
    ok(lc_pace_before_ms(&c, now) == 0, "Remaining 0, reset 2^63-1: unknown, no wait");
    c.rl_reset = now / 1000 + LC_PACE_MAX_AHEAD_S;
    ok(lc_pace_before_ms(&c, now) == year_ms + 50, "a reset a year away is still waited for");

    lc_http_resp_init(&r);
    r.rate_reset = 9300000000000000LL;
    ok(lc_pace_after_429_ms(&r, now) == LC_PACE_UNKNOWN_MS,
       "429 with reset %s: unknown, %lld ms", far, lc_pace_after_429_ms(&r, now));
    r.rate_reset = 9223372036854775807LL;
    r.retry_after = LONG_MAX;
    ok(lc_pace_after_429_ms(&r, now) == year_ms, "429 with every value at its maximum: "
       "a year, which max_rate_wait refuses (%lld)", lc_pace_after_429_ms(&r, now));

    ra = lc_http_retry_after(date, strlen(date));
    ok(ra >= -1 && ra <= LC_PACE_MAX_AHEAD_S, "Retry-After: a date in year 2^31-1 is at most "
       "a year (%ld)", ra);
    r.retry_after = ra;
    r.rate_reset = 0;
    ok(lc_pace_after_429_ms(&r, now) <= year_ms, "and its wait too");
    ra = lc_http_retry_after(" Fri, 31 Dec 9999 23:59:59 GMT", 30);
    ok(ra == LC_PACE_MAX_AHEAD_S, "a date in year 9999: a year (%ld)", ra);
    ra = lc_http_retry_after(huge, strlen(huge));
    ok(ra == LC_PACE_MAX_AHEAD_S, "seconds 2^63-1: a year (%ld)", ra);
}

/* The arithmetic alone (pacing.h), on a clock passed in. */
static void test_arithmetic(void)
{
    const long long now = 1800000000000LL; /* ms */
    lc_client c;
    lc_http_resp r;

    memset(&c, 0, sizeof c);
    c.rl_remaining = 0;
    c.rl_reset = now / 1000 + 10;
    ok(lc_pace_before_ms(&c, now) == 10050, "window used up: wait for the reset + 50 ms");
    c.rl_remaining = 1;
    ok(lc_pace_before_ms(&c, now) == 0, "one request left: no wait");
    c.rl_remaining = -1;
    ok(lc_pace_before_ms(&c, now) == 0, "nothing known: no wait");
    c.rl_remaining = 0;
    c.rl_reset = now / 1000 - 1;
    ok(lc_pace_before_ms(&c, now) == 0, "a reset already past: no wait");

    lc_http_resp_init(&r);
    r.retry_after = 5;
    r.rate_reset = now / 1000 + 10;
    ok(lc_pace_after_429_ms(&r, now) == 5000, "429: Retry-After when it is sooner");
    r.retry_after = 30;
    ok(lc_pace_after_429_ms(&r, now) == 10050, "429: the reset when it is sooner");
    r.rate_reset = now / 1000 - 5;
    ok(lc_pace_after_429_ms(&r, now) == 30000, "429: a reset already past says nothing");
    r.retry_after = 0;
    r.rate_reset = 0;
    ok(lc_pace_after_429_ms(&r, now) == 50, "429: Retry-After 0 still waits the margin");
    r.retry_after = -1;
    ok(lc_pace_after_429_ms(&r, now) == 1000, "429 saying nothing: 1 s");

    test_hostile_headers(now);

    c.max_rate_wait_ms = 0;
    ok(lc_pace_refusal(&c, 0, 1) && strstr(lc_pace_refusal(&c, 0, 1), "off"),
       "max_rate_wait off: no wait");
    c.max_rate_wait_ms = 120000;
    ok(lc_pace_refusal(&c, 0, 60000) == NULL, "a wait within max_rate_wait may begin");
    ok(lc_pace_refusal(&c, 100000, 30000) && strstr(lc_pace_refusal(&c, 100000, 30000), "left"),
       "every wait of the call counts against max_rate_wait");
    lc_client_set_deadline_ms(&c, 2000);
    ok(lc_pace_refusal(&c, 0, 5000) && strstr(lc_pace_refusal(&c, 0, 5000), "deadline"),
       "no wait passes the deadline");
}

int main(void)
{
    simproc *sim = simproc_start(NULL);

    if (!sim) {
        ok(0, "simulator started");
        return tap_done();
    }
    test_arithmetic();
    test_long_job(sim);
    test_429_waited(sim);
    test_429_returned(sim);
    ok(simproc_stop(sim) == 0, "simulator exited cleanly");
    return tap_done();
}
