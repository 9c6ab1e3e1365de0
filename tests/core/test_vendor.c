/* The vendor seam: a client picks its vendor from lc_config.vendor and
 * every request goes through that vendor's descriptor (catalogue, Accept,
 * signing, renewal, error mapping, paging).
 *
 * The simulator's request log records method, path and status but no
 * headers, so the exact request heads are read by a recorder: a plain-HTTP
 * listener on loopback (allow_http) that answers with fixed bytes. Tokens
 * still come from the real simulator's OAuth server (auth_url), so the
 * bearer in each head is checked against the token the simulator issued.
 * Behaviour against the simulator itself (signing accepted, unknown names
 * sending nothing) is checked against the simulator. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "coretest.h"
#include "transport.h"
#include "vendor.h"

#define ACCEPT_RL "application/vnd.lockstate+json; version=1"
#define MAX_EXCHANGES 4

/* ---- the recorder ---------------------------------------------------- */

typedef struct recorder {
    int fd, port;
    pthread_t thread;
    int nanswers;
    const char *answers[MAX_EXCHANGES]; /* whole HTTP answers, in order    */
    char heads[MAX_EXCHANGES][4096];    /* request heads, "\r\n\r\n" kept  */
    char bodies[MAX_EXCHANGES][1024];
    int seen;
} recorder;

/* Reads one request (head, then Content-Length bytes of body). */
static int read_request(int fd, char *head, size_t headlen, char *body, size_t bodylen)
{
    size_t n = 0, want;
    const char *end = NULL, *cl;
    while (!end && n + 1 < headlen) {
        ssize_t r = read(fd, head + n, headlen - 1 - n);
        if (r <= 0)
            return -1;
        n += (size_t)r;
        head[n] = '\0';
        end = strstr(head, "\r\n\r\n");
    }
    if (!end)
        return -1;
    end += 4;
    cl = strcasestr(head, "\r\nContent-Length: ");
    want = cl && cl < end ? strtoul(cl + 18, NULL, 10) : 0;
    if (want >= bodylen)
        return -1;
    n -= (size_t)(end - head);
    memcpy(body, end, n);
    while (n < want) {
        ssize_t r = read(fd, body + n, want - n);
        if (r <= 0)
            return -1;
        n += (size_t)r;
    }
    body[n] = '\0';
    head[end - head] = '\0';
    return 0;
}

/* One connection per answer (the answers say "Connection: close"); gives
 * up after 10 s without a connection so a broken client cannot hang us. */
static void *recorder_run(void *arg)
{
    recorder *r = arg;
    for (int i = 0; i < r->nanswers; i++) {
        struct pollfd p = { r->fd, POLLIN, 0 };
        int c;
        if (poll(&p, 1, 10000) != 1)
            break;
        c = accept(r->fd, NULL, NULL);
        if (c < 0)
            break;
        if (read_request(c, r->heads[i], sizeof(r->heads[i]), r->bodies[i],
                         sizeof(r->bodies[i])) == 0) {
            ssize_t w = write(c, r->answers[i], strlen(r->answers[i]));
            (void)w;
            r->seen++;
        }
        close(c);
    }
    return NULL;
}

static int recorder_start(recorder *r, const char *const *answers)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof(a);

    memset(r, 0, sizeof(*r));
    for (; answers[r->nanswers]; r->nanswers++)
        r->answers[r->nanswers] = answers[r->nanswers];
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    r->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (r->fd < 0 || bind(r->fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(r->fd, 4) != 0 || getsockname(r->fd, (struct sockaddr *)&a, &len) != 0 ||
        pthread_create(&r->thread, NULL, recorder_run, r) != 0) {
        if (r->fd >= 0)
            close(r->fd);
        return -1;
    }
    r->port = ntohs(a.sin_port);
    return 0;
}

/* Waits until the recorder has served its answers (or given up). */
static void recorder_stop(recorder *r)
{
    pthread_join(r->thread, NULL);
    close(r->fd);
}

/* Whole answers; Content-Length is filled in by answer(). */
static char PAGE_200[512], ONE_200[512], NONE_204[512], REFUSED_401[512], TOKEN_200[512];

static void answer(char *out, size_t len, const char *status, const char *body)
{
    snprintf(out, len, "HTTP/1.1 %s\r\nContent-Type: application/json\r\nConnection: close\r\n"
             "Content-Length: %zu\r\n\r\n%s", status, strlen(body), body);
}

static void make_answers(void)
{
    answer(PAGE_200, sizeof(PAGE_200), "200 OK",
           "{\"data\":[{\"id\":\"d1\",\"type\":\"lock\"}],"
           "\"meta\":{\"page\":1,\"per_page\":50,\"total_pages\":1}}");
    answer(ONE_200, sizeof(ONE_200), "200 OK", "{\"data\":{\"id\":\"p1\",\"type\":\"x\"}}");
    answer(NONE_204, sizeof(NONE_204), "204 No Content", "");
    answer(REFUSED_401, sizeof(REFUSED_401), "401 Unauthorized",
           "{\"message\":\"token refused\"}");
    answer(TOKEN_200, sizeof(TOKEN_200), "200 OK",
           "{\"access_token\":\"tok-from-recorder\",\"token_type\":\"bearer\","
           "\"expires_in\":7200}");
}

/* ---- helpers ------------------------------------------------------------ */

static char token_path[600];

/* A client of a flavour (NULL: the default) whose API is the recorder
 * and whose OAuth server is sim. */
static lc_client *wire_client_as(simproc *sim, const recorder *r, test_log *log,
                                 const char *flavour)
{
    static char url[64];
    lc_config cfg = test_config(sim, token_path, log);
    lc_client *c = NULL;
    lc_error e;

    snprintf(url, sizeof(url), "http://127.0.0.1:%d", r->port);
    cfg.api_url = url;
    cfg.allow_http = 1;
    cfg.flavour = flavour;
    lc_error_init(&e);
    if (lc_client_new(&cfg, &c, &e) != LC_OK)
        diag("lc_client_new: %s", e.message);
    lc_error_clear(&e);
    return c;
}

static lc_client *wire_client(simproc *sim, const recorder *r, test_log *log)
{
    return wire_client_as(sim, r, log, NULL);
}

/* The head a RemoteLock request has on the wire. */
static void expected_head(char *out, size_t len, const char *request_line, int port,
                          const char *token)
{
    snprintf(out, len,
             "%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: liblockcloud/" LOCKCLOUD_VERSION
             "\r\nAccept: " ACCEPT_RL "\r\nAuthorization: Bearer %s\r\n\r\n",
             request_line, port, token ? token : "(no token)");
}

static int head_is(const recorder *r, int i, const char *want, const char *what)
{
    int same = strcmp(r->heads[i], want) == 0;
    if (!same)
        diag("%s: got\n%s\n# want\n%s", what, r->heads[i], want);
    return same;
}

/* ---- vendor selection ---------------------------------------------------- */

static void test_selection(simproc *sim)
{
    const lc_vendor *rl = lc_vendor_find("remotelock");
    static const char *const unknown[] = { "lockt", "RemoteLock", "", "remotelock ", NULL };
    lc_config cfg = test_config(sim, NULL, NULL);
    lc_client *c = NULL;
    cJSON *out = NULL;
    lc_error e;

    lc_error_init(&e);
    ok(rl && strcmp(lc_vendor_name(rl), "remotelock") == 0, "remotelock is a vendor");
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && lc_client_vendor(c) == rl,
       "lc_config.vendor NULL picks remotelock");
    lc_client_free(c);
    c = NULL;

    cfg.vendor = "remotelock";
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && lc_client_vendor(c) == rl,
       "lc_config.vendor \"remotelock\" picks remotelock");
    ok(lc_call(c, "devices.list", NULL, NULL, NULL, &out, &e) == LC_OK && out,
       "its requests are signed as the simulator expects: %s", e.message);
    cJSON_Delete(out);
    lc_client_free(c);

    for (size_t i = 0; unknown[i]; i++) {
        char quoted[64];
        c = NULL;
        cfg.vendor = unknown[i];
        snprintf(quoted, sizeof(quoted), "'%s'", unknown[i]);
        lc_error_clear(&e);
        ok(lc_client_new(&cfg, &c, &e) == LC_ERR_USAGE && !c && strstr(e.message, quoted) &&
           strstr(e.message, "vendor"),
           "vendor \"%s\" is unknown: a usage error naming it: %s", unknown[i], e.message);
    }
    lc_error_clear(&e);

    ok(lc_client_vendor(NULL) == NULL && lc_vendor_find(NULL) == NULL &&
       lc_vendor_name(NULL) == NULL && lc_vendor_endpoint_find(NULL, "devices.list") == NULL &&
       lc_vendor_endpoint_find(rl, NULL) == NULL && lc_vendor_endpoint_at(NULL, 0) == NULL,
       "vendor look-ups are NULL-safe");
}

/* A name from no vendor's catalogue sends nothing. */
static void test_unknown_endpoint(simproc *sim)
{
    lc_client *c = test_client(sim, NULL, NULL);
    lc_pager *p = NULL;
    cJSON *out = NULL;
    lc_error e;

    lc_error_init(&e);
    ctl(sim, "/_sim/reset", NULL);
    ok(lc_call(c, "nope.nothing", NULL, NULL, NULL, &out, &e) == LC_ERR_USAGE && !out &&
       strstr(e.message, "'nope.nothing'"), "lc_call of an unknown name: usage error naming it");
    lc_error_clear(&e);
    ok(lc_pager_new(c, "nope.nothing", NULL, NULL, 0, &p, &e) == LC_ERR_USAGE && !p &&
       strstr(e.message, "'nope.nothing'"), "lc_pager_new of an unknown name: usage error");
    lc_error_clear(&e);
    ok(lc_call(c, NULL, NULL, NULL, NULL, &out, &e) == LC_ERR_USAGE,
       "lc_call of a NULL name: usage error");
    lc_error_clear(&e);
    ok(request_count(sim) == 0, "nothing was sent, not even a token request");
    lc_client_free(c);
}

/* ---- on the wire ----------------------------------------------------------- */

static int no_secret(const char *text, char *const *tokens, size_t n)
{
    if (strstr(text, SIMPROC_CLIENT_SECRET))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tokens[i] && *tokens[i] && strstr(text, tokens[i]))
            return 0;
    return 1;
}

/* GET through the pager, POST with a body, PUT and DELETE without one:
 * each head exactly (Accept, Content-Type only with a body, the bearer). */
static void test_heads(simproc *sim, test_log *log, char **tok)
{
    static const char *const answers[] = { PAGE_200, ONE_200, ONE_200, NONE_204, NULL };
    static const char *const dev[] = { "d1", NULL };
    static const char *const acc[] = { "p1", "a1", NULL };
    recorder r;
    lc_client *c;
    lc_pager *p = NULL;
    const cJSON *item = NULL;
    cJSON *body = cJSON_Parse("{\"type\":\"access_user\",\"attributes\":{\"name\":\"Ann\"}}");
    cJSON *out = NULL;
    lc_error e;
    char want[2048];

    lc_error_init(&e);
    if (recorder_start(&r, answers) != 0) {
        ok(0, "recorder started");
        cJSON_Delete(body);
        return;
    }
    c = wire_client(sim, &r, log);
    ok(lc_pager_new(c, "devices.list", NULL, NULL, 80, &p, &e) == LC_OK &&
       lc_pager_next(p, &item, &e) == LC_OK && item, "pager GET answered: %s", e.message);
    lc_pager_free(p);
    ok(lc_call(c, "access_persons.create", NULL, NULL, body, &out, &e) == LC_OK,
       "POST with a body answered: %s", e.message);
    cJSON_Delete(out);
    ok(lc_call(c, "devices.unlock", dev, NULL, NULL, &out, &e) == LC_OK,
       "PUT without a body answered: %s", e.message);
    cJSON_Delete(out);
    ok(lc_call(c, "accesses.revoke", acc, NULL, NULL, &out, &e) == LC_OK && !out,
       "DELETE answered 204: %s", e.message);
    lc_client_free(c);
    recorder_stop(&r);
    cJSON_Delete(body);
    lc_error_clear(&e);

    tok[0] = token_file_field(token_path, "access_token");
    ok(r.seen == 4 && tok[0], "four requests recorded, token from the simulator");
    expected_head(want, sizeof(want), "GET /devices?page=1&per_page=50", r.port, tok[0]);
    ok(head_is(&r, 0, want, "GET"),
       "GET: the vendor's Accept, the bearer, no Content-Type; per_page capped at 50");
    /* Content-Type comes right after Accept, before the credentials. */
    snprintf(want, sizeof(want),
             "POST /access_persons HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: liblockcloud/"
             LOCKCLOUD_VERSION "\r\nAccept: " ACCEPT_RL "\r\nContent-Type: application/json\r\n"
             "Authorization: Bearer %s\r\nContent-Length: %zu\r\n\r\n",
             r.port, tok[0] ? tok[0] : "", strlen(r.bodies[1]));
    ok(head_is(&r, 1, want, "POST"), "POST: Content-Type application/json, no Expect");
    ok(strcmp(r.bodies[1], "{\"type\":\"access_user\",\"attributes\":{\"name\":\"Ann\"}}") == 0,
       "POST body as given");
    snprintf(want, sizeof(want),
             "PUT /devices/d1/unlock HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: liblockcloud/"
             LOCKCLOUD_VERSION "\r\nAccept: " ACCEPT_RL "\r\nAuthorization: Bearer %s\r\n"
             "Content-Length: 0\r\n\r\n", r.port, tok[0] ? tok[0] : "");
    ok(head_is(&r, 2, want, "PUT"), "PUT without a body: Content-Length 0, no Content-Type");
    expected_head(want, sizeof(want), "DELETE /access_persons/p1/accesses/a1", r.port, tok[0]);
    ok(head_is(&r, 3, want, "DELETE"), "DELETE without a body: no Content-Type");
}

/* Flavour v1 asks for LockState v1's media type; the CSV import travels
 * as the JSON document the API document shows, the CSV text a JSON string
 * (quotes, commas, line breaks and UTF-8 intact). */
static void test_flavour_heads(simproc *sim, test_log *log)
{
    static const char *const answers[] = { ONE_200, ONE_200, NULL };
    static const char *const dev[] = { "d1", NULL };
    static const char body_text[] =
        "{\"csv\":\"name,email\\n\\\"Smith, Ann\\\",ann@example.com\\n\u00e9,\\n\","
        "\"accessible_type\":\"door_group\",\"accessible_id\":\"g1\","
        "\"send_access_instructions\":false}";
    recorder r;
    lc_client *v1, *now;
    cJSON *body = cJSON_Parse(body_text), *out = NULL;
    char *tok, want[2048];
    lc_error e;

    lc_error_init(&e);
    if (recorder_start(&r, answers) != 0) {
        ok(0, "recorder started");
        cJSON_Delete(body);
        return;
    }
    v1 = wire_client_as(sim, &r, log, "v1");
    now = wire_client(sim, &r, log);
    ok(lc_call(v1, "devices.power_on", dev, NULL, NULL, &out, &e) == LC_OK,
       "v1: PUT power_on answered: %s", e.message);
    cJSON_Delete(out);
    ok(lc_call(now, "access_persons.import", NULL, NULL, body, &out, &e) == LC_OK,
       "current: POST import answered: %s", e.message);
    cJSON_Delete(out);
    lc_client_free(v1);
    lc_client_free(now);
    recorder_stop(&r);
    cJSON_Delete(body);
    lc_error_clear(&e);

    tok = token_file_field(token_path, "access_token");
    snprintf(want, sizeof(want),
             "PUT /devices/d1/power_on HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: "
             "liblockcloud/" LOCKCLOUD_VERSION "\r\nAccept: application/vnd.lockstate.v1+json\r\n"
             "Authorization: Bearer %s\r\nContent-Length: 0\r\n\r\n", r.port, tok ? tok : "");
    ok(r.seen == 2 && head_is(&r, 0, want, "v1 PUT"), "flavour v1: Accept application/vnd.lockstate.v1+json");
    ok(strstr(r.heads[1], "\r\nAccept: " ACCEPT_RL "\r\nContent-Type: application/json\r\n") != NULL,
       "the import: the current Accept, Content-Type application/json");
    ok(strcmp(r.bodies[1], "{\"csv\":\"name,email\\n\\\"Smith, Ann\\\",ann@example.com\\n\xc3\xa9,"
              "\\n\",\"accessible_type\":\"door_group\",\"accessible_id\":\"g1\","
              "\"send_access_instructions\":false}") == 0,
       "the import body: the CSV text as one JSON string, escapes and UTF-8 intact: %s", r.bodies[1]);
    free(tok);
}

/* 401: RemoteLock's renew gets a new token from the simulator and the
 * request is sent once more with it; a second 401 is final. */
static void test_renew(simproc *sim, test_log *log, char **tok)
{
    static const char *const answers[] = { REFUSED_401, PAGE_200, REFUSED_401, REFUSED_401,
                                           NULL };
    recorder r;
    lc_client *c;
    cJSON *out = NULL;
    lc_error e;
    char want[2048];

    lc_error_init(&e);
    if (recorder_start(&r, answers) != 0) {
        ok(0, "recorder started");
        return;
    }
    c = wire_client(sim, &r, log);
    ok(lc_call(c, "devices.list", NULL, NULL, NULL, &out, &e) == LC_OK && out,
       "401, renew, resend: answered: %s", e.message);
    cJSON_Delete(out);
    out = NULL;
    tok[1] = token_file_field(token_path, "access_token");
    ok(lc_call(c, "devices.list", NULL, NULL, NULL, &out, &e) == LC_ERR_AUTH && !out &&
       e.http_status == 401 && strcmp(e.request, "GET /devices") == 0,
       "401 again after the renewal: auth error on GET /devices: %s", e.message);
    tok[2] = token_file_field(token_path, "access_token");
    ok(no_secret(e.message, tok, 3) && no_secret(e.request, tok, 3) &&
       no_secret(e.api_type, tok, 3), "no token or client secret in the error");
    lc_error_clear(&e);
    lc_client_free(c);
    recorder_stop(&r);

    ok(r.seen == 4 && tok[1] && tok[2] && strcmp(tok[0] ? tok[0] : "", tok[1]) != 0 &&
       strcmp(tok[1], tok[2]) != 0, "each refusal renewed the token at the simulator");
    expected_head(want, sizeof(want), "GET /devices", r.port, tok[1]);
    ok(!strstr(r.heads[1], tok[0] ? tok[0] : "?") && head_is(&r, 1, want, "resend"),
       "the resend carries the new token, not the refused one");
    ok(strstr(log->text, "GET /devices answered HTTP 401: renewing the token") != NULL,
       "the renewal is logged");
}

/* The OAuth token request is RemoteLock's own (form credentials, JSON
 * Accept, no Authorization); the API request then carries its token. */
static void test_oauth_head(simproc *sim, test_log *log)
{
    static const char *const answers[] = { TOKEN_200, NONE_204, NULL };
    static const char *const dev[] = { "d1", NULL };
    static const char form[] = "grant_type=client_credentials&client_id=" SIMPROC_CLIENT_ID
                               "&client_secret=" SIMPROC_CLIENT_SECRET;
    char url[64], want[2048];
    lc_config cfg = test_config(sim, NULL, log);
    recorder r;
    lc_client *c = NULL;
    cJSON *out = NULL;
    lc_error e;

    lc_error_init(&e);
    if (recorder_start(&r, answers) != 0) {
        ok(0, "recorder started");
        return;
    }
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", r.port);
    cfg.api_url = cfg.auth_url = url;
    cfg.allow_http = 1;
    ok(lc_client_new(&cfg, &c, &e) == LC_OK &&
       lc_call(c, "devices.lock", dev, NULL, NULL, &out, &e) == LC_OK,
       "token from the recorder, then the call: %s", e.message);
    lc_error_clear(&e);
    lc_client_free(c);
    recorder_stop(&r);
    snprintf(want, sizeof(want),
             "POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: liblockcloud/"
             LOCKCLOUD_VERSION "\r\nAccept: application/json\r\n"
             "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n",
             r.port, strlen(form));
    ok(r.seen == 2 && head_is(&r, 0, want, "token") && strcmp(r.bodies[0], form) == 0,
       "token request: JSON Accept, form body with the client credentials, no bearer");
    snprintf(want, sizeof(want),
             "PUT /devices/d1/lock HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: liblockcloud/"
             LOCKCLOUD_VERSION "\r\nAccept: " ACCEPT_RL "\r\n"
             "Authorization: Bearer tok-from-recorder\r\nContent-Length: 0\r\n\r\n", r.port);
    ok(head_is(&r, 1, want, "lock"), "the API request carries that token");
}

/* The transport sends header lines as given, but never one that could
 * smuggle a second header, and never names the value. */
static void test_header_injection(simproc *sim)
{
    static const char *const answers[] = { NONE_204, NULL };
    static const lc_http_header bad[] = { { "X-Token", "abc\r\nX-Evil: 1" } };
    static const lc_http_header bad_name[] = { { "X Token", "abc" } };
    static const lc_http_header good[] = { { "X-Good", "yes" } };
    char url[64];
    recorder r;
    lc_client *c;
    lc_http_resp resp;
    lc_http_req req;
    lc_error e;

    lc_error_init(&e);
    lc_http_resp_init(&resp);
    if (recorder_start(&r, answers) != 0) {
        ok(0, "recorder started");
        return;
    }
    c = wire_client(sim, &r, NULL);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/x", r.port);
    req = (lc_http_req){ .method = "GET", .url = url, .what = "GET /x",
                         .headers = bad, .nheaders = 1 };
    ok(lc_http_perform(c, &req, &resp, &e) == LC_ERR_USAGE && !strstr(e.message, "abc") &&
       strstr(e.message, "X-Token"), "a value with CR LF is refused, the name given: %s",
       e.message);
    req.headers = bad_name;
    lc_error_clear(&e);
    ok(lc_http_perform(c, &req, &resp, &e) == LC_ERR_USAGE, "a name that is no token is refused");
    req.headers = good;
    lc_error_clear(&e);
    ok(lc_http_perform(c, &req, &resp, &e) == LC_OK && resp.status == 204,
       "a valid header is sent: %s", e.message);
    lc_error_clear(&e);
    lc_http_resp_free(&resp);
    lc_client_free(c);
    recorder_stop(&r);
    ok(r.seen == 1 && strstr(r.heads[0], "\r\nX-Good: yes\r\n") && !strstr(r.heads[0], "Evil"),
       "only the valid request reached the server");

    /* The User-Agent line is libcurl's, outside the header list: a C
     * caller's CR LF in it must not reach the wire either. */
    {
        lc_config cfg = test_config(sim, NULL, NULL);
        lc_client *ua = NULL;

        cfg.user_agent = "me/1\r\nX-Evil: 1";
        ok(lc_client_new(&cfg, &ua, &e) == LC_ERR_USAGE && !ua && !strstr(e.message, "Evil") &&
           strstr(e.message, "user_agent"), "a user_agent with CR LF is refused: %s", e.message);
        lc_error_clear(&e);
        lc_client_free(ua);
    }
}

/* Rate-limit headers are the vendor's: the transport reads none of them
 * unless the request carries the vendor's reader (lc_protocol.rate_header),
 * while Retry-After is HTTP's and read for every request. Values a hostile
 * server sends out of range or in another form leave the last known ones. */
static void test_rate_headers(simproc *sim)
{
#define RL_HEAD(extra) "HTTP/1.1 204 No Content\r\n" extra "Connection: close\r\n" \
                       "Content-Length: 0\r\n\r\n"
    static const char *const answers[] = {
        RL_HEAD("X-RateLimit-Limit: 7\r\nX-RateLimit-Remaining: 5\r\n"
                "X-RateLimit-Reset: 4102444800\r\nRetry-After: 30\r\n"),
        RL_HEAD("x-ratelimit-limit: 7\r\nX-RATELIMIT-REMAINING:\t5 \r\n"
                "X-RateLimit-Reset: 4102444800\r\n"),
        RL_HEAD("X-RateLimit-Limit: 99999999999999999999999\r\nX-RateLimit-Remaining: +4\r\n"
                "X-RateLimit-Reset: 1e9\r\nX-RateLimit-Limit-Extra: 3\r\n"),
        NULL,
    };
#undef RL_HEAD
    char url[64];
    recorder r;
    lc_client *c;
    lc_http_resp resp;
    lc_http_req req;
    lc_error e;
    long limit, remaining;
    long long reset;

    lc_error_init(&e);
    lc_http_resp_init(&resp);
    if (recorder_start(&r, answers) != 0) {
        ok(0, "recorder started");
        return;
    }
    c = wire_client(sim, &r, NULL);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/x", r.port);
    req = (lc_http_req){ .method = "GET", .url = url, .what = "GET /x" };

    ok(lc_http_perform(c, &req, &resp, &e) == LC_OK && resp.retry_after == 30,
       "Retry-After is read without a vendor reader (%ld)", resp.retry_after);
    lc_client_rate_limit(c, &limit, &remaining, &reset);
    ok(limit == -1 && remaining == -1 && reset == 0 && resp.rate_reset == 0,
       "without a vendor reader X-RateLimit-* mean nothing (limit %ld, remaining %ld, "
       "reset %lld)", limit, remaining, reset);

    req.rate_header = lc_protocol_remotelock.rate_header;
    ok(lc_http_perform(c, &req, &resp, &e) == LC_OK && resp.retry_after == -1,
       "a second answer without Retry-After: unknown (%ld)", resp.retry_after);
    lc_client_rate_limit(c, &limit, &remaining, &reset);
    ok(limit == 7 && remaining == 5 && reset == 4102444800LL && resp.rate_reset == reset,
       "RemoteLock's reader: names in any case, blanks around values (limit %ld, "
       "remaining %ld, reset %lld)", limit, remaining, reset);

    ok(lc_http_perform(c, &req, &resp, &e) == LC_OK && resp.rate_reset == 0,
       "a malformed reset is no reset (%lld)", resp.rate_reset);
    lc_client_rate_limit(c, &limit, &remaining, &reset);
    ok(limit == 7 && remaining == 5 && reset == 4102444800LL,
       "overlong, signed, exponent and unknown-name values keep the last known ones "
       "(limit %ld, remaining %ld, reset %lld)", limit, remaining, reset);
    lc_error_clear(&e);
    lc_http_resp_free(&resp);
    lc_client_free(c);
    recorder_stop(&r);
}

int main(void)
{
    simproc *sim = simproc_start(NULL);
    test_log log = { .len = 0 };
    char *tok[4] = { NULL, NULL, NULL, NULL };

    if (!sim)
        return 1;
    make_answers();
    snprintf(token_path, sizeof(token_path), "%s/vendor-tokens.json", simproc_dir(sim));
    test_selection(sim);
    test_unknown_endpoint(sim);
    test_heads(sim, &log, tok);
    test_flavour_heads(sim, &log);
    test_renew(sim, &log, tok);
    test_oauth_head(sim, &log);
    test_header_injection(sim);
    test_rate_headers(sim);
    tok[3] = strdup("tok-from-recorder");
    ok(log.len > 0 && no_secret(log.text, tok, 4),
       "no token or client secret in any log line");
    for (size_t i = 0; i < 4; i++)
        free(tok[i]);
    unlink(token_path);
    {
        char lock[640];
        snprintf(lock, sizeof(lock), "%s.lock", token_path);
        unlink(lock);
    }
    simproc_stop(sim);
    return tap_done();
}
