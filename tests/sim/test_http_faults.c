/* Fault injection of lockcloud-sim: status, malformed, drop, latency;
 * count and path filters; OAuth is faulted, /_sim/ never; bad fault input. */
#include <curl/curl.h>

#include "http_common.h"

static int fault(simproc *sim, const char *json)
{
    return sim_ctl(sim, "POST", "/_sim/fault", json, NULL);
}

/* Number of armed faults according to GET /_sim/fault. */
static int armed(simproc *sim)
{
    cJSON *doc = NULL;
    sim_ctl(sim, "GET", "/_sim/fault", NULL, &doc);
    int n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "faults"));
    cJSON_Delete(doc);
    return n;
}

static void test_status(simproc *sim, const char *token)
{
    ok(fault(sim, "{\"kind\":\"status\",\"status\":503}") == 200, "arm a 503 status fault");
    simproc_res r;
    req(sim, "GET", "/locations", token, NULL, &r);
    cJSON *doc = simproc_res_json(&r);
    ok(r.status == 503 && str_is(doc, "message", "Simulated failure"),
       "next API request: 503 {\"message\":\"Simulated failure\"} (%ld)", r.status);
    ok(simproc_res_header(&r, "X-RateLimit-Remaining") != NULL,
       "a faulted API answer still carries X-RateLimit-*");
    cJSON_Delete(doc);
    simproc_res_free(&r);
    ok(status_of(sim, "GET", "/locations", token) == 200, "count defaults to 1: next is 200");

    ok(fault(sim, "{\"kind\":\"status\",\"status\":500,\"count\":2}") == 200, "arm count 2");
    long a = status_of(sim, "GET", "/locations", token);
    long b = status_of(sim, "GET", "/locations", token);
    long c = status_of(sim, "GET", "/locations", token);
    ok(a == 500 && b == 500 && c == 200, "count 2: two 500s then 200 (%ld %ld %ld)", a, b, c);

    ok(fault(sim, "{\"kind\":\"status\",\"status\":429}") == 200, "arm a 429 fault");
    req(sim, "GET", "/locations", token, NULL, &r);
    const char *ra = simproc_res_header(&r, "Retry-After");
    ok(r.status == 429 && ra && atoi(ra) >= 1 && strstr(r.body, "exceeded the rate limit"),
       "a 429 fault looks like the documented rate-limit answer with Retry-After");
    simproc_res_free(&r);
}

static void test_path_filter(simproc *sim, const char *token)
{
    ok(fault(sim, "{\"kind\":\"status\",\"status\":502,\"path\":\"/devices\"}") == 200,
       "arm a fault for path prefix /devices");
    ok(status_of(sim, "GET", "/locations", token) == 200, "other paths are not hit");
    ok(sim_ctl(sim, "GET", "/_sim/clock", NULL, NULL) == 200 && armed(sim) == 1,
       "control requests never consume faults");
    ok(status_of(sim, "GET", "/devices?page=1", token) == 502, "/devices?page=1 is hit: 502");
    ok(armed(sim) == 0, "the fault is used up");

    ok(fault(sim, "{\"kind\":\"status\",\"status\":503,\"path\":\"/oauth/token\"}") == 200,
       "arm a fault for /oauth/token");
    cJSON *doc = NULL;
    int st = token_req(sim, "grant_type=client_credentials&" CC_FORM, &doc);
    ok(st == 503 && str_is(doc, "message", "Simulated failure"), "OAuth requests are faulted too");
    cJSON_Delete(doc);
    char *t = simproc_token(sim);
    ok(t != NULL, "the next token request works");
    free(t);
}

static void test_malformed_and_drop(simproc *sim, const char *token)
{
    ok(fault(sim, "{\"kind\":\"malformed\"}") == 200, "arm a malformed fault");
    simproc_res r;
    req(sim, "GET", "/locations", token, NULL, &r);
    cJSON *doc = simproc_res_json(&r);
    const char *ct = simproc_res_header(&r, "Content-Type");
    ok(r.status == 200 && doc == NULL && r.body_len > 0 && ct &&
           strcmp(ct, "application/json") == 0,
       "malformed: 200 application/json whose body is not JSON (%s)", r.body);
    cJSON_Delete(doc);
    simproc_res_free(&r);

    ok(fault(sim, "{\"kind\":\"drop\"}") == 200, "arm a drop fault");
    long s = simproc_http(sim, &(simproc_req){.path = "/locations", .bearer = token,
                                              .fresh_connection = 1}, &r);
    ok(s == 0 && (r.curl_code == CURLE_GOT_NOTHING || r.curl_code == CURLE_RECV_ERROR),
       "drop on a new connection: no HTTP response at all (curl: %s)",
       curl_easy_strerror((CURLcode)r.curl_code));
    simproc_res_free(&r);
    ok(status_of(sim, "GET", "/locations", token) == 200, "the next request works again");

    /* libcurl silently retries a request once when a REUSED connection
     * closes without answering, so a single drop is invisible there. */
    status_of(sim, "GET", "/locations", token); /* make sure a connection is open */
    ok(fault(sim, "{\"kind\":\"drop\"}") == 200, "arm one drop");
    ok(status_of(sim, "GET", "/locations", token) == 200,
       "drop on a reused connection: libcurl's transparent retry gets 200");
    ok(fault(sim, "{\"kind\":\"drop\",\"count\":2,\"path\":\"/oauth/\"}") == 200,
       "arm two drops for OAuth");
    ok(token_req(sim, "grant_type=client_credentials&" CC_FORM, NULL) == -1,
       "count 2 defeats the retry: the token request gets no answer");

    /* The request log records the drop as status 0. */
    sim_ctl(sim, "GET", "/_sim/requests", NULL, &doc);
    const cJSON *reqs = cJSON_GetObjectItemCaseSensitive(doc, "requests");
    int drops = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, reqs)
        drops += num_of(it, "status") == 0;
    ok(drops == 4, "/_sim/requests lists the 4 dropped requests with status 0 (%d)", drops);
    cJSON_Delete(doc);

    /* A drop comes after the whole request was read (the body included):
     * what a server that acted on a POST and died looks like, which the
     * core's no-resend test relies on. */
    static const char body[] = "{\"type\":\"access_guest\",\"attributes\":{\"name\":\"D\"}}";
    ok(fault(sim, "{\"kind\":\"drop\",\"path\":\"/access_persons\"}") == 200, "arm a POST drop");
    s = simproc_http(sim, &(simproc_req){.method = "POST", .path = "/access_persons",
                                         .bearer = token, .body = body,
                                         .fresh_connection = 1}, &r);
    simproc_res_free(&r);
    sim_ctl(sim, "GET", "/_sim/requests", NULL, &doc);
    reqs = cJSON_GetObjectItemCaseSensitive(doc, "requests");
    it = cJSON_GetArrayItem(reqs, cJSON_GetArraySize(reqs) - 1);
    ok(s == 0 && str_is(it, "method", "POST") && str_is(it, "path", "/access_persons") &&
           num_of(it, "status") == 0,
       "a dropped POST was read whole and logged before the close (status 0)");
    cJSON_Delete(doc);
}

static void test_latency(simproc *sim, const char *token)
{
    ok(fault(sim, "{\"kind\":\"latency\",\"ms\":300}") == 200, "arm a 300 ms latency fault");
    simproc_res r;
    req(sim, "GET", "/locations", token, NULL, &r);
    ok(r.status == 200 && strstr(r.body, "\"data\""), "latency: the request still succeeds");
    ok(r.seconds >= 0.25, "latency: it took at least the delay (%.3f s)", r.seconds);
    simproc_res_free(&r);
}

static void test_bad_input(simproc *sim)
{
    static const struct { const char *body; const char *what; } bad[] = {
        {"{\"kind\":\"explode\"}", "unknown kind"},
        {"{}", "missing kind"},
        {"{\"kind\":\"status\"}", "status without status"},
        {"{\"kind\":\"status\",\"status\":200}", "status 200"},
        {"{\"kind\":\"status\",\"status\":600}", "status 600"},
        {"{\"kind\":\"status\",\"status\":\"503\"}", "status as a string"},
        {"{\"kind\":\"latency\"}", "latency without ms"},
        {"{\"kind\":\"latency\",\"ms\":-1}", "negative latency"},
        {"{\"kind\":\"latency\",\"ms\":999999}", "latency over the cap"},
        {"{\"kind\":\"drop\",\"count\":0}", "count 0"},
        {"{\"kind\":\"drop\",\"count\":1.5}", "fractional count"},
        {"{\"kind\":\"drop\",\"path\":\"devices\"}", "path without a leading /"},
        {"{\"kind\":\"drop\",\"path\":7}", "path as a number"},
        {"{\"kind\":\"drop\",\"ms\":5}", "ms on a drop fault"},
        {"{\"kind\":\"drop\",\"colour\":\"red\"}", "unknown field"},
        {"[\"drop\"]", "an array"},
        {"{\"kind\":\"drop\"", "truncated JSON"},
        {"", "empty body"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        simproc_res r;
        simproc_http(sim, &(simproc_req){.method = "POST", .path = "/_sim/fault",
                                         .body = bad[i].body}, &r);
        ok(r.status == 400 && has_message(&r), "fault with %s: 400 {message} (%ld)",
           bad[i].what, r.status);
        simproc_res_free(&r);
    }
    ok(armed(sim) == 0, "rejected faults arm nothing");
    fault(sim, "{\"kind\":\"drop\",\"count\":5}");
    fault(sim, "{\"kind\":\"latency\",\"ms\":1}");
    ok(armed(sim) == 2, "GET /_sim/fault lists armed faults");
    ok(sim_ctl(sim, "DELETE", "/_sim/fault", NULL, NULL) == 200 && armed(sim) == 0,
       "DELETE /_sim/fault disarms everything");
    fault(sim, "{\"kind\":\"drop\"}");
    sim_ctl(sim, "POST", "/_sim/reset", NULL, NULL);
    ok(armed(sim) == 0, "/_sim/reset disarms faults");
}

int main(void)
{
    simproc *sim = start_or_die(NULL);
    char *token = simproc_token(sim);
    test_status(sim, token);
    test_path_filter(sim, token);
    test_malformed_and_drop(sim, token);
    test_latency(sim, token);
    test_bad_input(sim);
    free(token);
    ok(simproc_stop(sim) == 0, "simulator exits cleanly");
    return tap_done();
}
