/* Unit tests: path templates with hostile arguments, query encoding,
 * base-URL policy, lc_request path checks, the endpoint catalogue, and
 * the argument checks lc_call / lc_pager_new make before any I/O. */
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "pager.h"
#include "lockcloud/lockcloud.h"
#include "tap.h"
#include "url.h"

static lc_status expand(const char *tmpl, lc_query *args, char *out, size_t outlen)
{
    lc_buf b;
    lc_error e;
    lc_status st;
    lc_buf_init(&b, 0);
    lc_error_init(&e);
    st = lc_url_expand_path(&b, tmpl, args, &e);
    snprintf(out, outlen, "%s", st ? e.message : lc_buf_str(&b));
    lc_buf_free(&b);
    lc_error_clear(&e);
    return st;
}

static void test_paths(void)
{
    char out[512];
    ok(expand("/access_persons/:id", (lc_query[]){ "abc-123_X.~", NULL }, out, sizeof(out)) ==
       LC_OK && strcmp(out, "/access_persons/abc-123_X.~") == 0, "unreserved kept: %s", out);
    ok(expand("/access_persons/:access_person_id/accesses/:id",
              (lc_query[]){ "p1", "a2", NULL }, out, sizeof(out)) == LC_OK &&
       strcmp(out, "/access_persons/p1/accesses/a2") == 0, "two args in order: %s", out);
    ok(expand("/devices/:id", (lc_query[]){ "../oauth/token", NULL }, out, sizeof(out)) ==
       LC_OK && strcmp(out, "/devices/..%2Foauth%2Ftoken") == 0, "'../' escaped: %s", out);
    ok(expand("/devices/:id", (lc_query[]){ "a b?c=d&e#f%g", NULL }, out, sizeof(out)) ==
       LC_OK && strcmp(out, "/devices/a%20b%3Fc%3Dd%26e%23f%25g") == 0,
       "space ? = & # %% escaped: %s", out);
    ok(expand("/devices/:id", (lc_query[]){ "\r\n\x01\xff", NULL }, out, sizeof(out)) ==
       LC_OK && strcmp(out, "/devices/%0D%0A%01%FF") == 0, "control and 8-bit bytes escaped");
    ok(expand("/devices/:id", (lc_query[]){ "..", NULL }, out, sizeof(out)) == LC_ERR_USAGE,
       "'..' refused");
    ok(expand("/devices/:id", (lc_query[]){ ".", NULL }, out, sizeof(out)) == LC_ERR_USAGE,
       "'.' refused");
    ok(expand("/devices/:id", (lc_query[]){ "", NULL }, out, sizeof(out)) == LC_ERR_USAGE,
       "empty argument refused");
    ok(expand("/devices/:id", (lc_query[]){ NULL }, out, sizeof(out)) == LC_ERR_USAGE,
       "too few arguments: %s", out);
    ok(expand("/devices/:id", NULL, out, sizeof(out)) == LC_ERR_USAGE, "NULL args for a param");
    ok(expand("/devices", (lc_query[]){ "x", NULL }, out, sizeof(out)) == LC_ERR_USAGE,
       "too many arguments: %s", out);
    ok(expand("/devices", NULL, out, sizeof(out)) == LC_OK && strcmp(out, "/devices") == 0,
       "no params, no args");
}

static void test_query(void)
{
    lc_buf b;
    lc_error e;
    lc_buf_init(&b, 0);
    lc_error_init(&e);
    lc_buf_puts(&b, "/access_persons");
    ok(lc_url_append_query(&b, (lc_query[]){ "attributes[status][]", "current",
                                             "attributes[status][]", "up coming&x=1", NULL },
                           &e) == LC_OK &&
       strcmp(lc_buf_str(&b), "/access_persons?attributes%5Bstatus%5D%5B%5D=current"
                              "&attributes%5Bstatus%5D%5B%5D=up%20coming%26x%3D1") == 0,
       "query keys and values encoded, repeats kept: %s", lc_buf_str(&b));
    ok(lc_url_append_query(&b, (lc_query[]){ "sort", "-name", NULL }, &e) == LC_OK &&
       strstr(lc_buf_str(&b), "&sort=-name") != NULL, "appends with & after an existing query");
    ok(lc_url_append_query(&b, (lc_query[]){ "lonely", NULL }, &e) == LC_ERR_USAGE,
       "key without value refused");
    ok(lc_url_append_query(&b, (lc_query[]){ "", "v", NULL }, &e) == LC_ERR_USAGE,
       "empty key refused");
    ok(lc_url_append_query(&b, NULL, &e) == LC_OK, "NULL query is fine");
    lc_buf_free(&b);
    lc_error_clear(&e);
}

static void test_base_urls(void)
{
    lc_error e;
    int http = -1;
    lc_error_init(&e);
    ok(lc_url_check_base("https://api.remotelock.com", 0, &http, "api_url", &e) == LC_OK &&
       http == 0, "https accepted");
    ok(lc_url_check_base("http://api.remotelock.com", 0, &http, "api_url", &e) ==
       LC_ERR_USAGE, "http refused without allow_http: %s", e.message);
    ok(lc_url_check_base("http://api.remotelock.com", 1, &http, "api_url", &e) ==
       LC_ERR_USAGE, "http to a remote host refused even with allow_http");
    ok(lc_url_check_base("http://127.0.0.1:8080", 1, &http, "api_url", &e) == LC_OK &&
       http == 1, "http to 127.0.0.1 allowed with allow_http");
    ok(lc_url_check_base("http://127.10.0.3:8080", 1, &http, "api_url", &e) == LC_OK,
       "127.0.0.0/8 counts as loopback");
    ok(lc_url_check_base("http://[::1]:8080", 1, &http, "api_url", &e) == LC_OK, "::1 allowed");
    ok(lc_url_check_base("http://localhost:8080", 1, &http, "api_url", &e) == LC_OK,
       "localhost allowed");
    ok(lc_url_check_base("http://128.0.0.1", 1, &http, "api_url", &e) == LC_ERR_USAGE &&
       lc_url_check_base("http://127.0.0.1.evil.com", 1, &http, "api_url", &e) ==
       LC_ERR_USAGE && lc_url_check_base("http://localhost.evil.com", 1, &http, "x", &e) ==
       LC_ERR_USAGE, "look-alike hosts refused");
    ok(lc_url_check_base("ftp://127.0.0.1", 1, &http, "api_url", &e) == LC_ERR_USAGE,
       "other schemes refused");
    ok(lc_url_check_base("https://user:pw@host", 0, &http, "api_url", &e) == LC_ERR_USAGE &&
       lc_url_check_base("https://host/?q=1", 0, &http, "api_url", &e) == LC_ERR_USAGE,
       "credentials or query in a base URL refused");
    ok(lc_url_check_base("not a url", 0, &http, "api_url", &e) == LC_ERR_USAGE &&
       lc_url_check_base("", 0, &http, "api_url", &e) == LC_ERR_USAGE, "garbage refused");
    ok(!lc_url_host_is_loopback("[::2]") && lc_url_host_is_loopback("[::1]") &&
       !lc_url_host_is_loopback(NULL) && !lc_url_host_is_loopback(""),
       "loopback host predicate");

    ok(lc_url_check_path("/devices?page=2", &e) == LC_OK, "plain request path accepted");
    ok(lc_url_check_path("devices", &e) == LC_ERR_USAGE &&
       lc_url_check_path("@evil.com/x", &e) == LC_ERR_USAGE &&
       lc_url_check_path("//evil.com/x", &e) == LC_ERR_USAGE &&
       lc_url_check_path("/a b", &e) == LC_ERR_USAGE &&
       lc_url_check_path("/a\r\nHost: x", &e) == LC_ERR_USAGE &&
       lc_url_check_path(NULL, &e) == LC_ERR_USAGE,
       "request paths that could change host or inject bytes are refused");
    lc_error_clear(&e);
}

static int method_ok(const char *m)
{
    return !strcmp(m, "GET") || !strcmp(m, "POST") || !strcmp(m, "PUT") ||
           !strcmp(m, "PATCH") || !strcmp(m, "DELETE");
}

static void test_catalogue(void)
{
    const char *required[] = {
        "access_persons.list", "access_persons.get", "access_persons.create",
        "access_persons.update", "access_persons.deactivate", "access_persons.delete",
        "accesses.list", "accesses.get", "accesses.grant", "accesses.update", "accesses.revoke",
        "devices.list", "devices.get", "devices.lock", "devices.unlock", "locations.list",
        "locations.get", "events.list", "events.get", "notifications.list",
    };
    int found = 1, sane = 1, unique = 1;
    size_t n = 0;
    const lc_endpoint *ep;

    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        found &= lc_endpoint_find(required[i]) != NULL;
    ok(found, "every slice endpoint is in the catalogue");
    for (; (ep = lc_endpoint_at(n)) != NULL; n++) {
        int body = !!(ep->flags & LC_EP_BODY);
        sane &= ep->name && ep->path[0] == '/' && method_ok(ep->method) && ep->summary &&
                *ep->summary && (!body || strcmp(ep->method, "GET") != 0) &&
                (!(ep->flags & LC_EP_COLLECTION) || strcmp(ep->method, "GET") == 0) &&
                (!(ep->flags & LC_EP_NO_CONTENT) || strcmp(ep->method, "DELETE") == 0);
        for (size_t j = 0; j < n; j++)
            unique &= strcmp(lc_endpoint_at(j)->name, ep->name) != 0;
        sane &= lc_endpoint_find(ep->name) == ep;
    }
    ok(n >= 20, "catalogue has %zu rows", n);
    ok(sane, "rows are consistent (method, path, flags, summary)");
    ok(unique, "names are unique");
    ep = lc_endpoint_find("accesses.revoke");
    ok(ep && !strcmp(ep->method, "DELETE") &&
       !strcmp(ep->path, "/access_persons/:access_person_id/accesses/:id") &&
       ep->flags == (LC_EP_NO_CONTENT | LC_EP_IDEMPOTENT), "accesses.revoke row");
    ep = lc_endpoint_find("devices.list");
    ok(ep && ep->flags == (LC_EP_COLLECTION | LC_EP_IDEMPOTENT) && !strcmp(ep->path, "/devices"), "devices.list row");
    ok(lc_endpoint_find("nope.nothing") == NULL && lc_endpoint_find(NULL) == NULL,
       "unknown names give NULL");
}

/* Usage errors are caught before any connection: the URL points nowhere. */
static void test_call_usage(void)
{
    lc_config cfg;
    lc_client *c = NULL;
    lc_error e;
    cJSON *out = (cJSON *)&out, *body = cJSON_CreateObject();
    lc_pager *p = (lc_pager *)&p;

    memset(&cfg, 0, sizeof(cfg));
    cfg.api_url = "https://127.0.0.1:9/";
    cfg.auth_url = "https://127.0.0.1:9";
    lc_error_init(&e);
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && c, "client without credentials created");

    ok(lc_call(c, "nope.nothing", NULL, NULL, NULL, &out, &e) == LC_ERR_USAGE && out == NULL,
       "unknown endpoint is usage, *out NULL: %s", e.message);
    ok(lc_call(c, "access_persons.create", NULL, NULL, NULL, NULL, &e) == LC_ERR_USAGE,
       "BODY endpoint without body is usage");
    ok(lc_call(c, "devices.list", NULL, NULL, body, NULL, &e) == LC_ERR_USAGE,
       "body on a bodiless endpoint is usage");
    ok(lc_call(c, "devices.get", NULL, NULL, NULL, NULL, &e) == LC_ERR_USAGE,
       "missing path argument is usage");
    ok(lc_call(c, "devices.get", (lc_query[]){ "a", "b", NULL }, NULL, NULL, NULL, &e) ==
       LC_ERR_USAGE, "extra path argument is usage");
    ok(lc_call(c, "devices.list", NULL, (lc_query[]){ "k", NULL }, NULL, NULL, &e) ==
       LC_ERR_USAGE, "odd query array is usage");
    ok(lc_call(NULL, "devices.list", NULL, NULL, NULL, NULL, &e) == LC_ERR_USAGE,
       "NULL client is usage");
    ok(lc_request(c, "get", "/devices", NULL, NULL, &e) == LC_ERR_USAGE &&
       lc_request(c, "GET", "devices", NULL, NULL, &e) == LC_ERR_USAGE &&
       lc_request(c, "GET", "@evil/x", NULL, NULL, &e) == LC_ERR_USAGE &&
       lc_request(c, NULL, "/x", NULL, NULL, &e) == LC_ERR_USAGE,
       "lc_request refuses bad methods and paths");
    ok(lc_pager_new(c, "devices.get", (lc_query[]){ "x", NULL }, NULL, 2, &p, &e) ==
       LC_ERR_USAGE && p == NULL, "pager on a member endpoint is usage");
    ok(lc_pager_new(c, "devices.list", NULL, (lc_query[]){ "page", "3", NULL }, 2, &p, &e) ==
       LC_ERR_USAGE, "pager refuses a caller-set page");
    ok(lc_pager_new(c, "devices.list", NULL, NULL, -1, &p, &e) == LC_ERR_USAGE,
       "negative per_page is usage");
    ok(lc_pager_new(c, "devices.list", NULL, NULL, 500, &p, &e) == LC_OK && p, "pager created");
    lc_pager_free(p);
    lc_pager_free(NULL);
    /* No credentials: the first real request fails with auth, before I/O. */
    ok(lc_call(c, "devices.list", NULL, NULL, NULL, &out, &e) == LC_ERR_AUTH &&
       strstr(e.message, "no credentials"), "no credentials is auth: %s", e.message);
    ok(lc_auth_client_credentials(c, &e) == LC_ERR_USAGE,
       "explicit client_credentials without id/secret is usage");
    ok(lc_auth_exchange_code(c, "", NULL, &e) == LC_ERR_USAGE, "empty code is usage");
    {
        long l, r;
        long long reset;
        lc_client_rate_limit(c, &l, &r, &reset);
        ok(l == -1 && r == -1 && reset == 0, "rate limit unknown before any answer");
    }
    lc_client_free(c);
    lc_client_free(NULL);

    cfg.api_url = "http://api.remotelock.com";
    ok(lc_client_new(&cfg, &c, &e) == LC_ERR_USAGE && c == NULL,
       "http api_url refused at lc_client_new: %s", e.message);
    cfg.allow_http = 1;
    ok(lc_client_new(&cfg, &c, &e) == LC_ERR_USAGE && c == NULL,
       "allow_http does not allow a remote host");
    cfg.api_url = "http://127.0.0.1:9";
    ok(lc_client_new(&cfg, &c, &e) == LC_OK, "allow_http with a loopback host accepted");
    lc_client_free(c);
    c = NULL;
    cfg.timeout_ms = -5;
    ok(lc_client_new(&cfg, &c, &e) == LC_ERR_USAGE, "negative timeout is usage");
    ok(lc_client_new(NULL, &c, &e) == LC_ERR_USAGE && lc_client_new(&cfg, NULL, &e) ==
       LC_ERR_USAGE, "NULL arguments are usage");
    cJSON_Delete(body);
    lc_error_clear(&e);
}

static void test_page_cap(void)
{
    ok(lc_page_within_cap(200, 50) && !lc_page_within_cap(201, 50),
       "per_page 50: page 200 allowed, 201 not (10,000 resources)");
    ok(lc_page_within_cap(400, 25) && !lc_page_within_cap(401, 25), "per_page 25: 400 pages");
    ok(lc_page_within_cap(10000, 1) && !lc_page_within_cap(10001, 1), "per_page 1: 10,000 pages");
    ok(lc_page_within_cap(3, 7) && !lc_page_within_cap(1429, 7), "per_page 7: 1428 pages");
    ok(!lc_page_within_cap(1, 0) && !lc_page_within_cap(1, -1),
       "no per_page: no page (the pager always sets it)");
}

int main(void)
{
    test_page_cap();
    test_paths();
    test_query();
    test_base_urls();
    test_catalogue();
    test_call_usage();
    return tap_done();
}
