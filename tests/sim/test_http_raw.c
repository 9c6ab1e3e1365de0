/* The "raw" fault of lockcloud-sim: exact bytes (NULs included) for API and
 * OAuth answers, status choice, counts and paths, the 64 MiB body limit,
 * bodies generated without being held in memory, strict base64 input. */
#include "http_common.h"

#define MIB (1024L * 1024)

static int fault(simproc *sim, const char *json)
{
    return sim_ctl(sim, "POST", "/_sim/fault", json, NULL);
}

/* Peak resident memory of a process in KiB (VmHWM), -1 when unknown. */
static long peak_kib(pid_t pid)
{
    char path[64], line[256];
    long kib = -1;
    snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

static void test_exact_bytes(simproc *sim, const char *token)
{
    static const char head[] = "{\"data\":{\"id\":\"x\0y\"";
    static const char middle[] = {',', ' ', '\0', '\n'};
    static const char tail[] = "}}\0trailing";
    ok(simproc_fault_raw(sim, &(simproc_raw){
           .status = 200, .head = head, .head_len = sizeof(head) - 1,
           .middle = middle, .middle_len = sizeof(middle), .times = 3,
           .tail = tail, .tail_len = sizeof(tail) - 1, .path = "/access_persons/"}) == 200,
       "arm a raw fault for /access_persons/");
    ok(status_of(sim, "GET", "/locations", token) == 200, "other paths are untouched");

    simproc_res r;
    req(sim, "GET", "/access_persons/whatever", token, NULL, &r);
    char want[128];
    size_t n = 0;
    memcpy(want + n, head, sizeof(head) - 1), n += sizeof(head) - 1;
    for (int i = 0; i < 3; i++)
        memcpy(want + n, middle, sizeof(middle)), n += sizeof(middle);
    memcpy(want + n, tail, sizeof(tail) - 1), n += sizeof(tail) - 1;
    ok(r.status == 200 && r.body_len == n && memcmp(r.body, want, n) == 0,
       "body is head + middle x 3 + tail, byte for byte with NULs (%zu of %zu bytes)",
       r.body_len, n);
    const char *ct = simproc_res_header(&r, "Content-Type");
    ok(ct && strcmp(ct, "application/json") == 0, "Content-Type: application/json");
    ok(simproc_res_header(&r, "X-RateLimit-Remaining") != NULL,
       "an API answer still carries X-RateLimit-*");
    simproc_res_free(&r);
    ok(status_of(sim, "GET", "/access_persons/whatever", token) == 404,
       "count defaults to 1: the next request gets the real answer");
}

static void test_status_count_oauth(simproc *sim, const char *token)
{
    ok(fault(sim, "{\"kind\":\"raw\",\"status\":418,\"head\":\"e30=\",\"count\":2}") == 200,
       "arm a raw 418 {} fault, count 2");
    int both = 1;
    for (int i = 0; i < 2; i++) {
        simproc_res r;
        req(sim, "GET", "/devices", token, NULL, &r);
        both &= r.status == 418 && r.body_len == 2 && memcmp(r.body, "{}", 2) == 0;
        simproc_res_free(&r);
    }
    ok(both, "both requests get 418 with body {}");
    ok(status_of(sim, "GET", "/devices", token) == 200, "then the fault is used up");

    ok(fault(sim, "{\"kind\":\"raw\",\"path\":\"/oauth/token\","
                  "\"head\":\"eyJhY2Nlc3NfdG9rZW4iOiJhAGIifQ==\"}") == 200,
       "arm a raw fault for /oauth/token (access_token with a NUL)");
    simproc_res r;
    static const char *const form_hdr[] = {
        "Content-Type: application/x-www-form-urlencoded", NULL};
    simproc_http(sim, &(simproc_req){.method = "POST", .path = "/oauth/token",
                                     .headers = form_hdr,
                                     .body = "grant_type=client_credentials&" CC_FORM}, &r);
    ok(r.status == 200 && r.body_len == 22 && memcmp(r.body, "{\"access_token\":\"a\0b\"}", 22) == 0,
       "OAuth answers are replaced too, status defaults to 200 (%ld, %zu bytes)", r.status,
       r.body_len);
    simproc_res_free(&r);

    ok(fault(sim, "{\"kind\":\"raw\",\"status\":502}") == 200, "arm a raw fault with no parts");
    req(sim, "GET", "/locations", token, NULL, &r);
    ok(r.status == 502 && r.body_len == 0, "no parts: an empty body (%ld, %zu bytes)",
       r.status, r.body_len);
    simproc_res_free(&r);

    cJSON *doc = NULL;
    fault(sim, "{\"kind\":\"raw\",\"head\":\"QQ==\",\"middle\":\"QkM=\",\"times\":5}");
    sim_ctl(sim, "GET", "/_sim/fault", NULL, &doc);
    const cJSON *f0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "faults"), 0);
    ok(str_is(f0, "kind", "raw") && num_of(f0, "status") == 200 && num_of(f0, "times") == 5 &&
           num_of(f0, "body_bytes") == 11,
       "GET /_sim/fault lists it with status, times and body_bytes");
    cJSON_Delete(doc);
    sim_ctl(sim, "DELETE", "/_sim/fault", NULL, NULL);

    /* Several armed faults matching one request: the first armed applies. */
    fault(sim, "{\"kind\":\"raw\",\"head\":\"Rmlyc3Q=\"}");
    fault(sim, "{\"kind\":\"raw\",\"head\":\"U2Vjb25k\"}");
    char got[2][16] = {"", ""};
    for (int i = 0; i < 2; i++) {
        req(sim, "GET", "/locations", token, NULL, &r);
        snprintf(got[i], sizeof(got[i]), "%s", r.body);
        simproc_res_free(&r);
    }
    ok(strcmp(got[0], "First") == 0 && strcmp(got[1], "Second") == 0,
       "two matching faults apply in the order they were armed (%s, %s)", got[0], got[1]);
}

/* Exactly 64 MiB ("[" + "0,0," x 16777215 + " 0]") is served in full and
 * not held in memory; one byte more is refused. */
static void test_big_body(simproc *sim, const char *token)
{
    ok(fault(sim, "{\"kind\":\"raw\",\"head\":\"Ww==\",\"middle\":\"MCwwLA==\","
                  "\"times\":16777215,\"tail\":\"ICAwXQ==\"}") == 400,
       "64 MiB + 1 byte: refused with 400");
    ok(fault(sim, "{\"kind\":\"raw\",\"middle\":\"MA==\",\"times\":20000001}") == 400,
       "times over 20,000,000: refused with 400");
    ok(fault(sim, "{\"kind\":\"raw\",\"middle\":\"\",\"times\":20000000}") == 200,
       "times 20,000,000 of an empty middle: accepted");
    simproc_res r;
    req(sim, "GET", "/locations", token, NULL, &r);
    ok(r.status == 200 && r.body_len == 0, "... and answers an empty body");
    simproc_res_free(&r);

    long before = peak_kib(simproc_pid(sim));
    ok(fault(sim, "{\"kind\":\"raw\",\"head\":\"Ww==\",\"middle\":\"MCwwLA==\","
                  "\"times\":16777215,\"tail\":\"IDBd\"}") == 200,
       "exactly 64 MiB: accepted");
    simproc_http(sim, &(simproc_req){.path = "/locations", .bearer = token,
                                     .timeout_ms = 120000}, &r);
    int pattern = r.status == 200 && r.body_len == 64 * MIB && r.body[0] == '[' &&
                  memcmp(r.body + r.body_len - 3, " 0]", 3) == 0;
    for (size_t i = 1; pattern && i + 3 < r.body_len; i += 4)
        pattern = memcmp(r.body + i, "0,0,", 4) == 0;
    ok(pattern, "the 64 MiB body arrives whole and exact (%zu bytes)", r.body_len);
    simproc_res_free(&r);
    long after = peak_kib(simproc_pid(sim));
    /* ASan's quarantine keeps freed TLS buffers resident: no measure there. */
    if (getenv("LC_SANITIZED"))
        skip("peak memory is not meaningful under ASan");
    else
        ok(before > 0 && after - before < 16 * 1024,
           "the simulator's peak memory grew by less than 16 MiB while sending it (%ld KiB)",
           after - before);
}

static void test_bad_input(simproc *sim)
{
    static const struct { const char *body; const char *what; } bad[] = {
        {"{\"kind\":\"raw\",\"head\":\"QUJD=\"}", "length not a multiple of 4"},
        {"{\"kind\":\"raw\",\"head\":\"QUJ\"}", "missing padding"},
        {"{\"kind\":\"raw\",\"head\":\"QU JD\"}", "a space"},
        {"{\"kind\":\"raw\",\"head\":\"QUJD\\n\"}", "a newline"},
        {"{\"kind\":\"raw\",\"head\":\"QUJ=\"}", "non-zero bits under the padding"},
        {"{\"kind\":\"raw\",\"head\":\"QR==\"}", "non-zero bits under double padding"},
        {"{\"kind\":\"raw\",\"head\":\"Q===\"}", "three pad characters"},
        {"{\"kind\":\"raw\",\"head\":\"QQ=A\"}", "padding in the middle"},
        {"{\"kind\":\"raw\",\"head\":\"QQ==QUJD\"}", "padding before more data"},
        {"{\"kind\":\"raw\",\"middle\":\"-_-_\"}", "the URL-safe alphabet"},
        {"{\"kind\":\"raw\",\"tail\":5}", "a number"},
        {"{\"kind\":\"raw\",\"head\":\"QUJD\\u0000QUJD\"}", "an escaped NUL in the string"},
        {"{\"kind\":\"raw\",\"times\":-1}", "negative times"},
        {"{\"kind\":\"raw\",\"times\":1.5}", "fractional times"},
        {"{\"kind\":\"raw\",\"status\":199}", "status 199"},
        {"{\"kind\":\"raw\",\"status\":600}", "status 600"},
        {"{\"kind\":\"raw\",\"retry_after\":3}", "retry_after"},
        {"{\"kind\":\"drop\",\"head\":\"QUJD\"}", "head on a drop fault"},
        {"{\"kind\":\"status\",\"status\":500,\"times\":2}", "times on a status fault"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        simproc_res r;
        simproc_http(sim, &(simproc_req){.method = "POST", .path = "/_sim/fault",
                                         .body = bad[i].body}, &r);
        ok(r.status == 400 && has_message(&r), "raw fault with %s: 400 {message} (%ld)",
           bad[i].what, r.status);
        simproc_res_free(&r);
    }
    cJSON *doc = NULL;
    sim_ctl(sim, "GET", "/_sim/fault", NULL, &doc);
    ok(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "faults")) == 0,
       "rejected faults arm nothing");
    cJSON_Delete(doc);
    /* JSON text \\u0000 is a backslash and "u0000", not a NUL. */
    ok(fault(sim, "{\"kind\":\"raw\",\"path\":\"/a\\\\u0000\"}") == 200,
       "an escaped backslash before u0000 is no NUL: accepted");
    sim_ctl(sim, "DELETE", "/_sim/fault", NULL, NULL);
}

int main(void)
{
    simproc *sim = start_or_die(NULL);
    char *token = simproc_token(sim);
    test_exact_bytes(sim, token);
    test_status_count_oauth(sim, token);
    test_bad_input(sim);
    test_big_body(sim, token);
    fault(sim, "{\"kind\":\"raw\",\"head\":\"QUJD\",\"count\":3}");
    ok(simproc_stop(sim) == 0, "simulator exits cleanly with a raw fault still armed");
    free(token);
    return tap_done();
}
