/* Hostile input never crashes lockcloud-sim: malformed JSON, wrong
 * Content-Type, oversized bodies, hostile paths and queries, garbage on
 * the socket. Each gets a clean 4xx and the server keeps serving. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "http_common.h"

static void expect(simproc *sim, const simproc_req *rq, long want, const char *what)
{
    simproc_res r;
    simproc_http(sim, rq, &r);
    ok(r.status == want && has_message(&r), "%s: %ld {message} (got %ld)", what, want, r.status);
    simproc_res_free(&r);
}

static void test_bodies(simproc *sim, const char *token)
{
    expect(sim, &(simproc_req){.method = "POST", .path = "/access_persons", .bearer = token,
                               .body = "{\"type\": \"access_guest\", "}, 400,
           "truncated JSON body");
    expect(sim, &(simproc_req){.method = "PUT", .path = "/devices/x", .bearer = token,
                               .body = "{} trailing"}, 400, "JSON with trailing garbage");
    expect(sim, &(simproc_req){.method = "PATCH", .path = "/devices/x", .bearer = token,
                               .body = "\xff\xfe{"}, 400, "binary garbage body");
    static const char *const text[] = {"Content-Type: text/plain", NULL};
    expect(sim, &(simproc_req){.method = "POST", .path = "/access_persons", .bearer = token,
                               .headers = text, .body = "{}"}, 400,
           "POST with Content-Type text/plain");
    static const char nul_body[] = "{\"a\":\"\0\"}";
    expect(sim, &(simproc_req){.method = "POST", .path = "/access_persons", .bearer = token,
                               .body = nul_body, .body_len = sizeof(nul_body) - 1}, 400,
           "JSON with a raw NUL byte");

    /* Deep nesting must not exhaust the stack. */
    size_t depth = 200000;
    char *deep = malloc(depth + 1);
    memset(deep, '[', depth);
    deep[depth] = '\0';
    expect(sim, &(simproc_req){.method = "POST", .path = "/access_persons", .bearer = token,
                               .body = deep}, 400, "200000 nested arrays");
    expect(sim, &(simproc_req){.method = "POST", .path = "/_sim/fixture", .body = deep}, 400,
           "200000 nested arrays as a fixture");
    free(deep);

    /* 2 MiB: refused from Content-Length before it is read. */
    size_t big = 2 * 1024 * 1024;
    char *huge = malloc(big + 1);
    memset(huge, ' ', big);
    huge[0] = '{';
    huge[big - 1] = '}';
    huge[big] = '\0';
    expect(sim, &(simproc_req){.method = "POST", .path = "/access_persons", .bearer = token,
                               .body = huge}, 413, "2 MiB body");
    static const char *const chunked[] = {"Transfer-Encoding: chunked", NULL};
    expect(sim, &(simproc_req){.method = "POST", .path = "/access_persons", .bearer = token,
                               .headers = chunked, .body = huge}, 413,
           "2 MiB chunked body (no Content-Length)");
    /* Just under the 1 MiB cap: read and handed on, not refused. */
    size_t fits = 1000 * 1000;
    huge[fits - 1] = '}';
    huge[fits] = '\0';
    simproc_res r;
    simproc_http(sim, &(simproc_req){.method = "POST", .path = "/access_persons",
                                     .bearer = token, .body = huge}, &r);
    ok(r.status >= 200 && r.status != 413 && r.status < 500,
       "a 1 MB JSON body is accepted for processing (%ld)", r.status);
    simproc_res_free(&r);
    free(huge);
    ok(status_of(sim, "GET", "/locations", token) == 200, "still serving after big bodies");
}

static void test_paths(simproc *sim, const char *token)
{
    static const struct { const char *path; long want; const char *what; } cases[] = {
        {"/devices%00/x", 400, "%00 in the path"},
        {"/devices/%00", 400, "%00 as an id"},
        {"/../../etc/passwd", 400, "../ traversal"},
        {"/devices/%2e%2e/locations", 400, "encoded .. segment"},
        {"/devices/./x", 400, ". segment"},
        {"/devices/%zz", 400, "broken percent-escape"},
        {"/devices/%4", 400, "truncated percent-escape"},
        {"/devices/%0d%0aX-Injected:%20yes", 400, "encoded CR LF"},
        {"/devices?attributes[x]=%00", 400, "%00 in a query value"},
        {"/devices?a=%G1", 400, "broken escape in the query"},
        {"/no/such/thing", 404, "unknown route"},
        {"/devices/%E2%98%83", 404, "non-ASCII id"},
        /* An escaped slash stays inside its segment: the id of a person,
         * not the person's grants or an action (the cloud's router
         * splits before it decodes). */
        {"/access_persons/30000000-0000-4000-8000-000000000001%2Faccesses", 404,
         "escaped slash: an id, not the nested grants"},
        {"/access_persons%2F30000000-0000-4000-8000-000000000001", 404,
         "escaped slash: a collection name, not a member"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        simproc_res r;
        simproc_http(sim, &(simproc_req){.path = cases[i].path, .bearer = token}, &r);
        ok(r.status == cases[i].want && has_message(&r), "%s: %ld (got %ld)", cases[i].what,
           cases[i].want, r.status);
        ok(simproc_res_header(&r, "X-Injected") == NULL || cases[i].want != 400,
           "%s: nothing leaks into the headers", cases[i].what);
        simproc_res_free(&r);
    }
    /* Very long targets: our limit (414) and libmicrohttpd's own. */
    char *path = malloc(40001);
    path[0] = '/';
    memset(path + 1, 'a', 39999);
    path[40000] = '\0';
    path[3000] = '\0';
    simproc_res r;
    simproc_http(sim, &(simproc_req){.path = path, .bearer = token}, &r);
    ok(r.status == 414, "3000-character path: 414 (%ld)", r.status);
    simproc_res_free(&r);
    path[3000] = 'a';
    simproc_http(sim, &(simproc_req){.path = path, .bearer = token, .fresh_connection = 1}, &r);
    ok(r.status >= 400 && r.status < 500, "40000-character path: a clean 4xx (%ld)", r.status);
    simproc_res_free(&r);
    free(path);
    /* Many query pairs. */
    char *q = malloc(8 * 400 + 16);
    strcpy(q, "/locations?");
    for (int i = 0; i < 400; i++)
        strcat(q, "a=1&");
    expect(sim, &(simproc_req){.path = q, .bearer = token}, 400, "400 query pairs");
    free(q);
    expect(sim, &(simproc_req){.method = "BREW", .path = "/locations", .bearer = token}, 405,
           "unknown method BREW");
    ok(status_of(sim, "GET", "/locations?page=1&per_page=5", token) == 200,
       "still serving after hostile paths");
}

/* Sends raw bytes to the --http simulator and reads whatever comes back. */
static void raw_exchange(const char *url, const char *data, size_t len, char *out, size_t outlen)
{
    out[0] = '\0';
    int port = atoi(strrchr(url, ':') + 1);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {2, 0}; /* cut-off requests get no answer */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
        if (len && write(fd, data, len) < 0)
            diag("write failed");
        shutdown(fd, SHUT_WR);
        size_t n = 0;
        ssize_t got;
        while (n + 1 < outlen && (got = read(fd, out + n, outlen - 1 - n)) > 0)
            n += (size_t)got;
        out[n] = '\0';
    }
    close(fd);
}

static void test_raw_socket(void)
{
    static const char *const args[] = {"--http", NULL};
    simproc *sim = start_or_die(args);
    char out[4096];
    raw_exchange(simproc_url(sim), "GARBAGE\r\n\r\n", 11, out, sizeof(out));
    ok(strncmp(out, "HTTP/1.1 400", 12) == 0 || out[0] == '\0',
       "a garbage request line: 400 or closed (%.12s)", out);
    raw_exchange(simproc_url(sim), "GET /_sim/clock HTTP/1.1\r\nHost: x\r\n", 35, out,
                 sizeof(out));
    ok(sim_ctl(sim, "GET", "/_sim/clock", NULL, NULL) == 200,
       "a request cut off mid-headers: server still serving");
    static const char binary[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\x00\x00";
    raw_exchange(simproc_url(sim), binary, sizeof(binary) - 1, out, sizeof(out));
    ok(strncmp(out, "HTTP/1.1 200", 12) != 0 &&
           sim_ctl(sim, "GET", "/_sim/clock", NULL, NULL) == 200,
       "binary (TLS hello) bytes on the HTTP port: refused, server still serving");
    raw_exchange(simproc_url(sim), "", 0, out, sizeof(out));
    static const char absolute[] = "GET http://example.com/locations HTTP/1.1\r\nHost: x\r\n"
                                   "Connection: close\r\n\r\n";
    raw_exchange(simproc_url(sim), absolute, sizeof(absolute) - 1, out, sizeof(out));
    ok(strncmp(out, "HTTP/1.1 400", 12) == 0, "an absolute-form target: 400 (%.12s)", out);
    static const char lying[] = "POST /oauth/token HTTP/1.1\r\nHost: x\r\n"
                                "Content-Length: 999999999999999999999\r\n\r\nabc";
    raw_exchange(simproc_url(sim), lying, sizeof(lying) - 1, out, sizeof(out));
    ok(strncmp(out, "HTTP/1.1 4", 10) == 0, "an absurd Content-Length: 4xx (%.12s)", out);
    static const char early[] = "POST /oauth/token HTTP/1.1\r\nHost: x\r\n"
                                "Content-Length: 100\r\n\r\ngrant_type=";
    raw_exchange(simproc_url(sim), early, sizeof(early) - 1, out, sizeof(out));
    ok(strncmp(out, "HTTP/1.1 200", 12) != 0 &&
           sim_ctl(sim, "GET", "/_sim/clock", NULL, NULL) == 200,
       "a body shorter than its Content-Length: no answer, server still serving");
    ok(simproc_stop(sim) == 0, "--http simulator exits cleanly (no leak or crash reported)");
}

int main(void)
{
    simproc *sim = start_or_die(NULL);
    char *token = simproc_token(sim);
    test_bodies(sim, token);
    test_paths(sim, token);
    free(token);
    ok(simproc_stop(sim) == 0, "simulator exits cleanly");
    test_raw_socket();
    return tap_done();
}
