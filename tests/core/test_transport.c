/* Integration: the HTTPS transport against real simulators. TLS failures
 * (wrong CA, missing CA, TLS to a plain-http server), the http policy,
 * connection refused, every /_sim/fault kind, timeouts and deadlines, rate
 * limiting and connection reuse. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <limits.h>

#include "coretest.h"

static const char *SECRET = SIMPROC_CLIENT_SECRET;

static lc_status list_devices(lc_client *c, lc_error *e)
{
    cJSON *out = NULL;
    lc_status st = lc_call(c, "devices.list", NULL, NULL, NULL, &out, e);
    cJSON_Delete(out);
    return st;
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

static void test_tls(simproc *sim, simproc *other)
{
    lc_config cfg = test_config(sim, NULL, NULL);
    lc_client *c = NULL;
    lc_error e;

    lc_error_init(&e);
    cfg.cafile = simproc_ca(other);
    ok(lc_client_new(&cfg, &c, &e) == LC_OK, "client with another simulator's CA");
    ok(list_devices(c, &e) == LC_ERR_TLS && e.http_status == 0,
       "certificate from an unknown CA is tls: %s", e.message);
    ok(!strstr(e.message, SECRET), "tls message holds no secret");
    lc_client_free(c);
    c = NULL;

    /* A local configuration error, never a TLS failure (test_cafile.c). */
    cfg.cafile = "/nonexistent/ca.pem";
    ok(lc_client_new(&cfg, &c, &e) == LC_ERR_IO && !c && strstr(e.message, cfg.cafile),
       "missing CA file is io naming it, at lc_client_new: %s", e.message);

    cfg.cafile = NULL; /* system store: the throwaway CA is not in it */
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && list_devices(c, &e) == LC_ERR_TLS,
       "system CA store does not trust the simulator");
    lc_client_free(c);
    lc_error_clear(&e);
}

/* The caller's environment does not steer a request: proxy variables
 * (pointing at a closed port), NO_PROXY, .netrc (HOME) and the TLS
 * library's CA variables (naming the simulator's CA) change nothing. A
 * guard for the audit at the top of transport.c. */
static void test_environment_ignored(simproc *sim, simproc *other)
{
    static const char *const vars[] = {
        "http_proxy", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy", "NO_PROXY",
        "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE", "HOME", NULL
    };
    lc_config cfg = test_config(sim, NULL, NULL);
    lc_client *c = NULL;
    lc_error e;
    char proxy[64], netrc[600];
    FILE *f;

    snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", free_port());
    snprintf(netrc, sizeof(netrc), "%s/.netrc", simproc_dir(sim));
    f = fopen(netrc, "w");
    if (f) {
        fputs("default login intruder password intruder\n", f);
        fclose(f);
    }
    for (int i = 0; vars[i]; i++) {
        const char *v = strstr(vars[i], "roxy") ? proxy : simproc_ca(sim);
        if (!strcmp(vars[i], "NO_PROXY") || !strcmp(vars[i], "no_proxy"))
            v = "*";
        if (!strcmp(vars[i], "SSL_CERT_DIR") || !strcmp(vars[i], "HOME"))
            v = simproc_dir(sim);
        setenv(vars[i], v, 1);
    }
    lc_error_init(&e);
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && list_devices(c, &e) == LC_OK,
       "proxy variables pointing at a closed port are ignored: %s", e.message);
    lc_client_free(c);
    c = NULL;
    cfg.cafile = NULL;
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && list_devices(c, &e) == LC_ERR_TLS,
       "SSL_CERT_FILE/SSL_CERT_DIR/CURL_CA_BUNDLE naming the simulator's CA do not make "
       "the system store trust it: %s", e.message);
    lc_client_free(c);
    c = NULL;
    /* The cafile's certificates are the only anchors: nothing of the
     * system's or the environment's is added beside them. */
    cfg.cafile = simproc_ca(other);
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && list_devices(c, &e) == LC_ERR_TLS,
       "with another CA as cafile, the variables naming the server's CA add no anchor: %s",
       e.message);
    lc_client_free(c);
    for (int i = 0; vars[i]; i++)
        unsetenv(vars[i]);
    unlink(netrc);
    lc_error_clear(&e);
}

/* Host verification stays on: a server whose certificate, signed by the
 * trusted CA, does not name the address the URL gives (the simulator's
 * names 127.0.0.1, ::1 and localhost; this one listens on 127.0.0.2). */
static void test_hostname(void)
{
    simproc *sim = simproc_start((const char *[]){ "--listen", "127.0.0.2:0", NULL });
    lc_config cfg;
    lc_client *c = NULL;
    lc_error e;

    lc_error_init(&e);
    if (!sim) {
        ok(0, "simulator on 127.0.0.2 started");
        return;
    }
    cfg = test_config(sim, NULL, NULL);
    ok(strstr(cfg.api_url, "://127.0.0.2:") != NULL, "simulator at %s", cfg.api_url);
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && list_devices(c, &e) == LC_ERR_TLS &&
       e.http_status == 0, "its CA trusted, a certificate not naming the host is tls: %s",
       e.message);
    lc_client_free(c);
    lc_error_clear(&e);
    ok(simproc_stop(sim) == 0, "simulator on 127.0.0.2 exited cleanly");
}

static void test_http_policy(simproc *plain)
{
    lc_config cfg = test_config(plain, NULL, NULL);
    lc_client *c = NULL;
    lc_error e;
    char url[256];

    lc_error_init(&e);
    cfg.cafile = NULL;
    ok(lc_client_new(&cfg, &c, &e) == LC_ERR_USAGE && c == NULL,
       "http URL refused without allow_http: %s", e.message);
    cfg.allow_http = 1;
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && list_devices(c, &e) == LC_OK,
       "allow_http + loopback http simulator works");
    lc_client_free(c);
    c = NULL;

    /* https:// to a plain-http server: the handshake fails. */
    snprintf(url, sizeof(url), "https://%s", strstr(simproc_url(plain), "://") + 3);
    cfg.api_url = cfg.auth_url = url;
    cfg.allow_http = 0;
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && list_devices(c, &e) == LC_ERR_TLS,
       "TLS to a plain-http server is tls: %s", e.message);
    lc_client_free(c);
    lc_error_clear(&e);
}

static void test_refused(simproc *sim)
{
    lc_config cfg = test_config(sim, NULL, NULL);
    lc_client *c = NULL;
    lc_error e;
    char url[64];

    lc_error_init(&e);
    snprintf(url, sizeof(url), "https://127.0.0.1:%d", free_port());
    cfg.api_url = cfg.auth_url = url;
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && list_devices(c, &e) == LC_ERR_TRANSPORT &&
       e.http_status == 0, "connection refused is transport: %s", e.message);
    ok(strcmp(e.request, "POST /oauth/token") == 0, "it names the request (\"%s\")", e.request);
    lc_client_free(c);
    lc_error_clear(&e);
}

static void test_faults(simproc *sim)
{
    lc_config cfg = test_config(sim, NULL, NULL);
    lc_client *c = NULL;
    lc_error e;
    cJSON *out = NULL;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    cfg.timeout_ms = 700;
    /* Each fault as the transport reports it: no resends (test_retry.c). */
    cfg.max_retries = LC_OFF;
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && lc_auth_client_credentials(c, &e) == LC_OK,
       "client with a token");

    ctl(sim, "/_sim/fault", "{\"kind\":\"latency\",\"ms\":3000,\"count\":1,\"path\":\"/devices\"}");
    ok(list_devices(c, &e) == LC_ERR_TIMEOUT && e.http_status == 0 &&
       strcmp(e.request, "GET /devices") == 0,
       "latency beyond timeout_ms is timeout on \"%s\": %s", e.request, e.message);

    ctl(sim, "/_sim/fault", "{\"kind\":\"latency\",\"ms\":100,\"count\":1,\"path\":\"/devices\"}");
    ok(list_devices(c, &e) == LC_OK, "latency within timeout_ms succeeds");

    ctl(sim, "/_sim/fault", "{\"kind\":\"status\",\"status\":500,\"count\":1,\"path\":\"/devices\"}");
    ok(list_devices(c, &e) == LC_ERR_HTTP && e.http_status == 500 &&
       strstr(e.message, "GET /devices"), "status 500 is http 500: %s", e.message);

    ctl(sim, "/_sim/fault", "{\"kind\":\"status\",\"status\":503,\"count\":1}");
    ok(list_devices(c, &e) == LC_ERR_HTTP && e.http_status == 503, "status 503 is http 503");

    ctl(sim, "/_sim/fault", "{\"kind\":\"status\",\"status\":502,\"count\":1}");
    ok(lc_call(c, "devices.get", (lc_query[]){ "20000000-0000-4000-8000-000000000001", NULL },
               NULL, NULL, &out, &e) == LC_ERR_HTTP && e.http_status == 502 && out == NULL &&
       strstr(e.message, "GET /devices/:id"), "message names the path template: %s",
       e.message);

    ctl(sim, "/_sim/fault", "{\"kind\":\"malformed\",\"count\":1,\"path\":\"/devices\"}");
    ok(list_devices(c, &e) == LC_ERR_PARSE && e.http_status == 200,
       "malformed body is parse: %s", e.message);

    /* libcurl re-sends a request once on a fresh connection when a reused
     * keep-alive connection closes without any answer (the usual stale
     * connection case), so one drop is absorbed and two surface. */
    ctl(sim, "/_sim/fault", "{\"kind\":\"drop\",\"count\":2,\"path\":\"/devices\"}");
    ok(list_devices(c, &e) == LC_ERR_TRANSPORT && e.http_status == 0,
       "dropped connection is transport: %s", e.message);
    ok(list_devices(c, &e) == LC_OK, "faults are used up: the next call works");
    ctl(sim, "/_sim/fault", "{\"kind\":\"drop\",\"count\":1,\"path\":\"/devices\"}");
    ok(list_devices(c, &e) == LC_OK,
       "a single drop on a reused connection is retried on a new one");

    /* Faults on the OAuth server surface from the on-demand token fetch. */
    lc_client_free(c);
    c = NULL;
    ctl(sim, "/_sim/fault", "{\"kind\":\"status\",\"status\":500,\"count\":1,\"path\":\"/oauth\"}");
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && list_devices(c, &e) == LC_ERR_AUTH &&
       e.http_status == 500 && strcmp(e.request, "POST /oauth/token") == 0,
       "OAuth server 500 is auth on POST /oauth/token: %s", e.message);
    ctl(sim, "/_sim/fault", "{\"kind\":\"malformed\",\"count\":1,\"path\":\"/oauth\"}");
    ok(list_devices(c, &e) == LC_ERR_PARSE, "malformed token response is parse: %s", e.message);
    ok(list_devices(c, &e) == LC_OK, "then a token is obtained");
    lc_client_free(c);
    c = NULL;
    ctl(sim, "/_sim/fault", "{\"kind\":\"drop\",\"count\":1,\"path\":\"/oauth\"}");
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && list_devices(c, &e) == LC_ERR_TRANSPORT,
       "a drop on a fresh connection is transport: %s", e.message);
    lc_client_free(c);
    lc_error_clear(&e);
}

static void test_deadline(simproc *sim)
{
    lc_config cfg = test_config(sim, NULL, NULL);
    lc_client *c = NULL;
    lc_error e;
    long long t0;
    int before;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && list_devices(c, &e) == LC_OK, "client ready");

    ctl(sim, "/_sim/fault", "{\"kind\":\"latency\",\"ms\":4000,\"count\":1,\"path\":\"/devices\"}");
    lc_client_set_deadline_ms(c, 400);
    t0 = mono_ms();
    ok(list_devices(c, &e) == LC_ERR_TIMEOUT && strstr(e.message, "deadline"),
       "deadline shorter than the latency is timeout: %s", e.message);
    ok(mono_ms() - t0 < 3500, "deadline cut the request short (%lld ms)",
       mono_ms() - t0);

    before = request_count(sim);
    lc_client_set_deadline_ms(c, -1);
    ok(list_devices(c, &e) == LC_ERR_TIMEOUT, "past deadline is timeout");
    ok(request_count(sim) == before, "nothing was sent past the deadline");

    lc_client_set_deadline_ms(c, 0);
    ok(list_devices(c, &e) == LC_OK, "clearing the deadline restores service");
    lc_client_set_deadline_ms(c, 10000);
    ok(list_devices(c, &e) == LC_OK, "a generous deadline does not interfere");
    /* now + LONG_MAX must not overflow (signed overflow, then "expired") */
    lc_client_set_deadline_ms(c, LONG_MAX);
    ok(list_devices(c, &e) == LC_OK, "a huge deadline is no deadline: %s", e.message);
    lc_client_set_deadline_ms(c, LONG_MIN);
    ok(list_devices(c, &e) == LC_ERR_TIMEOUT, "a huge negative deadline is already expired");
    lc_client_free(c);

    /* One deadline covers the token request and the API request together:
     * each is slower than half of it, both fit in timeout_ms. */
    ctl(sim, "/_sim/fault", "{\"kind\":\"latency\",\"ms\":1500,\"count\":1,\"path\":\"/oauth\"}");
    ctl(sim, "/_sim/fault", "{\"kind\":\"latency\",\"ms\":1500,\"count\":1,\"path\":\"/devices\"}");
    c = test_client(sim, NULL, NULL);
    lc_client_set_deadline_ms(c, 2500);
    ok(c && list_devices(c, &e) == LC_ERR_TIMEOUT && strstr(e.message, "deadline") &&
       strcmp(e.request, "GET /devices") == 0,
       "token request + API request past one deadline is timeout on the second: %s",
       e.message);
    sim_ctl(sim, "DELETE", "/_sim/fault", NULL, NULL);
    lc_client_free(c);
    lc_error_clear(&e);
}

static void test_reuse(simproc *sim)
{
    lc_client *c;
    lc_error e;
    cJSON *doc;
    const cJSON *reqs, *r;
    char *first = NULL;
    int n = 0, same = 1;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    c = test_client(sim, NULL, NULL);
    for (int i = 0; i < 4; i++)
        if (list_devices(c, &e) != LC_OK)
            diag("call %d: %s", i, e.message);
    lc_call(c, "devices.get", (lc_query[]){ "20000000-0000-4000-8000-000000000002", NULL },
            NULL, NULL, NULL, &e);
    doc = sim_requests(sim);
    reqs = cJSON_GetObjectItemCaseSensitive(doc, "requests");
    cJSON_ArrayForEach(r, reqs) {
        char *id = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(r, "connection"));
        if (!first)
            first = id ? strdup(id) : NULL;
        same &= id && first && strcmp(id, first) == 0 && strcmp(id, "null") != 0;
        free(id);
        n++;
    }
    ok(n == 6, "token request + 5 API requests recorded (%d)", n);
    ok(same && first, "all of them used one TCP connection (one TLS handshake): %s",
       first ? first : "none");
    free(first);
    cJSON_Delete(doc);
    lc_client_free(c);
    lc_error_clear(&e);
}

static void test_rate_limit(simproc *sim)
{
    lc_config cfg = test_config(sim, NULL, NULL);
    lc_client *c = NULL;
    lc_error e;
    lc_status st = LC_OK;
    long limit, remaining;
    long long reset;
    int i;

    ctl(sim, "/_sim/reset", NULL);
    ctl(sim, "/_sim/config", "{\"rate_limit\":3,\"rate_window\":60}");
    lc_error_init(&e);
    /* The 429 as the API answers it: no waiting (test_pacing.c). */
    cfg.max_rate_wait_ms = LC_OFF;
    if (lc_client_new(&cfg, &c, &e) != LC_OK)
        diag("lc_client_new: %s", e.message);
    ok(list_devices(c, &e) == LC_OK, "first call within the limit");
    lc_client_rate_limit(c, &limit, &remaining, &reset);
    ok(limit == 3 && remaining >= 0 && remaining < 3 && reset > 0,
       "lc_client_rate_limit reports the headers (limit %ld, remaining %ld, reset %lld)",
       limit, remaining, reset);
    for (i = 0; i < 10 && (st = list_devices(c, &e)) == LC_OK; i++)
        ;
    ok(st == LC_ERR_RATE_LIMITED && e.http_status == 429, "past the limit: rate-limited: %s",
       e.message);
    ok(e.retry_after >= 0 && e.retry_after <= 61, "retry_after %ld s", e.retry_after);
    ok(e.rate_limit_reset > 0, "rate_limit_reset %lld", e.rate_limit_reset);
    lc_client_rate_limit(c, &limit, &remaining, &reset);
    ok(remaining == 0 && reset > 0, "remaining 0 after the 429");
    lc_client_free(c);
    lc_error_clear(&e);
    ctl(sim, "/_sim/reset", NULL);
}

static void test_no_secrets_logged(simproc *sim)
{
    test_log log = { .len = 0 };
    lc_client *c;
    lc_error e;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    c = test_client(sim, NULL, &log);
    list_devices(c, &e);
    ctl(sim, "/_sim/clock", "{\"advance\":7300}");
    list_devices(c, &e);
    lc_auth_revoke(c, &e);
    ok(log.len > 0, "the library logged through the callback (%zu bytes)", log.len);
    ok(!strstr(log.text, SECRET) && !strstr(log.text, "Bearer "),
       "no client secret or bearer token in the log");
    lc_client_free(c);
    lc_error_clear(&e);
}

int main(void)
{
    simproc *sim = simproc_start(NULL);
    simproc *other = simproc_start(NULL);
    simproc *plain = simproc_start((const char *[]){ "--http", NULL });

    if (!sim || !other || !plain) {
        ok(0, "simulators started");
        simproc_stop(sim);
        simproc_stop(other);
        simproc_stop(plain);
        return tap_done();
    }
    test_tls(sim, other);
    test_environment_ignored(sim, other);
    test_hostname();
    test_http_policy(plain);
    test_refused(sim);
    test_faults(sim);
    test_deadline(sim);
    test_reuse(sim);
    test_rate_limit(sim);
    test_no_secrets_logged(sim);
    ok(simproc_stop(plain) == 0 && simproc_stop(other) == 0 && simproc_stop(sim) == 0,
       "simulators exited cleanly");
    return tap_done();
}
