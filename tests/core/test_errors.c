/* Unit tests: status names, lc_error lifetime, and the mapping from HTTP
 * answers (status + body + headers) and OAuth answers to lc_error. */
#include <string.h>
#include <time.h>

#include "errors.h"
#include "oauth.h"
#include "tap.h"
#include "token_store.h"

/* Parses a literal token response. */
#define PARSE(lit, now, t, e) lc_oauth_parse_token(lit, strlen(lit), now, t, e)

static lc_status map(lc_error *e, long status, const char *body, long retry_after,
                     long long reset, time_t now)
{
    lc_http_answer a = { status, body, body ? strlen(body) : 0, retry_after, reset, now };
    lc_error_clear(e);
    return lc_err_from_http(e, &a, "GET /devices/:id");
}

static void test_names(void)
{
    static const struct { lc_status st; const char *name; } names[] = {
        { LC_OK, "ok" }, { LC_ERR_USAGE, "usage" }, { LC_ERR_TRANSPORT, "transport" },
        { LC_ERR_TLS, "tls" }, { LC_ERR_TIMEOUT, "timeout" }, { LC_ERR_HTTP, "http" },
        { LC_ERR_API_RESOURCE, "api-resource" }, { LC_ERR_API_GENERAL, "api-general" },
        { LC_ERR_RATE_LIMITED, "rate-limited" }, { LC_ERR_AUTH, "auth" },
        { LC_ERR_PARSE, "parse" }, { LC_ERR_NOMEM, "nomem" }, { LC_ERR_IO, "io" },
        { LC_ERR_TOO_MANY, "too-many" },
    };
    int all = 1;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        all &= strcmp(lc_status_name(names[i].st), names[i].name) == 0;
    ok(all, "lc_status_name covers every kind");
    ok(strcmp(lc_status_name((lc_status)999), "unknown") == 0, "out-of-range status is 'unknown'");
}

static void test_init_clear(void)
{
    lc_error e;
    memset(&e, 0x5a, sizeof(e));
    lc_error_init(&e);
    ok(e.kind == LC_OK && e.http_status == 0 && e.message[0] == '\0' && e.retry_after == -1 &&
       e.rate_limit_reset == 0 && e.api_errors == NULL && e.api_type[0] == '\0',
       "lc_error_init sets documented defaults");
    lc_error_init(NULL);
    lc_error_clear(NULL);
    ok(1, "init/clear accept NULL");
    /* Filling an uninitialised error must not free garbage. */
    memset(&e, 0x5a, sizeof(e));
    ok(lc_err_set(&e, LC_ERR_USAGE, "x %d", 1) == LC_ERR_USAGE && e.api_errors == NULL &&
       strcmp(e.message, "x 1") == 0, "lc_err_set overwrites an uninitialised error safely");
    ok(lc_err_set(NULL, LC_ERR_IO, "nothing") == LC_ERR_IO, "lc_err_set with NULL err returns kind");
}

static void test_rate_limit(void)
{
    lc_error e;
    time_t now = 1700000000;
    lc_error_init(&e);

    ok(map(&e, 429, "{\"message\":\"Your account has exceeded the rate limit.\"}", 17,
           now + 40, now) == LC_ERR_RATE_LIMITED && e.retry_after == 17 &&
       e.rate_limit_reset == now + 40 && e.http_status == 429,
       "429 with Retry-After: retry_after from the header, reset kept");
    ok(map(&e, 429, NULL, -1, now + 40, now) == LC_ERR_RATE_LIMITED && e.retry_after == 40,
       "429 without Retry-After: retry_after = reset - now (%ld)", e.retry_after);
    ok(map(&e, 429, NULL, -1, now - 5, now) == LC_ERR_RATE_LIMITED && e.retry_after == 0,
       "429 with a past reset: retry_after floored at 0");
    ok(map(&e, 429, "not json", -1, 0, now) == LC_ERR_RATE_LIMITED && e.retry_after == -1 &&
       e.rate_limit_reset == 0, "429 without headers: retry_after unknown (-1)");
    ok(strstr(e.message, "429") && strstr(e.message, "GET /devices/:id"),
       "rate-limit message names status and endpoint: %s", e.message);
    lc_error_clear(&e);
}

static void test_resource(void)
{
    lc_error e;
    const char *body =
        "{\"attributes\":{\"name\":\"\"},\"errors\":[{\"attribute\":\"name\","
        "\"messages\":[\"is empty\"],\"full_messages\":[\"name is empty\"]},"
        "{\"attribute\":null,\"messages\":[\"other\"],\"full_messages\":[\"other\"]}]}";
    lc_error_init(&e);
    ok(map(&e, 422, body, -1, 0, 0) == LC_ERR_API_RESOURCE && e.http_status == 422,
       "422 with errors[] is api-resource");
    ok(strstr(e.message, "name is empty") != NULL, "message from first full_messages: %s",
       e.message);
    ok(cJSON_IsArray(e.api_errors) && cJSON_GetArraySize(e.api_errors) == 2,
       "api_errors is a copy of the errors array");
    lc_error_clear(&e);
    ok(e.api_errors == NULL && e.kind == LC_OK, "lc_error_clear frees api_errors");

    ok(map(&e, 422, "{\"errors\":[{\"attribute\":\"x\",\"messages\":[\"bad\"]}]}", -1, 0, 0) ==
       LC_ERR_API_RESOURCE && strstr(e.message, "bad"),
       "falls back to messages[] without full_messages");
    ok(map(&e, 409, "{\"errors\":[]}", -1, 0, 0) == LC_ERR_HTTP,
       "empty errors[] is not a resource error");
    lc_error_clear(&e);
}

static void test_general_and_http(void)
{
    lc_error e;
    lc_error_init(&e);
    ok(map(&e, 402, "{\"message\":\"Please create a subscription\","
                    "\"type\":\"billing_subscription_required\"}", -1, 0, 0) ==
       LC_ERR_API_GENERAL && strcmp(e.api_type, "billing_subscription_required") == 0 &&
       strstr(e.message, "Please create a subscription") && e.http_status == 402,
       "type+message is api-general with api_type");
    ok(map(&e, 404, "{\"message\":\"Not found\"}", -1, 0, 0) == LC_ERR_HTTP &&
       e.http_status == 404 && strstr(e.message, "404") && strstr(e.message, "GET /devices/:id"),
       "404 without type is http: %s", e.message);
    ok(!strcmp(e.request, "GET /devices/:id"), "the error names the request (\"%s\")", e.request);
    ok(map(&e, 429, NULL, -1, 0, 0) == LC_ERR_RATE_LIMITED && !strcmp(e.request, "GET /devices/:id"),
       "a 429 names the request too");
    ok(map(&e, 400, "{\"errors\":[{\"attribute\":\"name\",\"messages\":[\"blank\"]}]}", -1, 0,
           0) == LC_ERR_API_RESOURCE && !strcmp(e.request, "GET /devices/:id"),
       "so does a resource error");
    ok(map(&e, 500, "<html>oops</html>", -1, 0, 0) == LC_ERR_HTTP && e.http_status == 500,
       "500 with a non-JSON body is http");
    ok(map(&e, 503, NULL, -1, 0, 0) == LC_ERR_HTTP && e.http_status == 503, "503 is http");
    ok(map(&e, 401, NULL, -1, 0, 0) == LC_ERR_AUTH && e.http_status == 401, "401 is auth");
    ok(map(&e, 403, "{\"message\":\"Expired/Invalid token\",\"type\":\"invalid_token\"}", -1,
           0, 0) == LC_ERR_AUTH && strcmp(e.api_type, "invalid_token") == 0,
       "403 is auth, api_type kept");
    /* A body that echoes secrets never reaches the message. */
    ok(map(&e, 500, "{\"access_token\":\"SECRET-TOKEN\",\"refresh_token\":\"SECRET-R\"}", -1, 0,
           0) == LC_ERR_HTTP && !strstr(e.message, "SECRET"),
       "response bodies are not copied into messages");
    ok(map(&e, 500, "{\"message\":\"line1\\nline2\\u0007\"}", -1, 0, 0) == LC_ERR_HTTP &&
       !strchr(e.message, '\n') && !strchr(e.message, '\a'),
       "control characters in server text are neutralised");
    {
        char big[4000];
        memset(big, 'a', sizeof(big));
        memcpy(big, "{\"message\":\"", 12);
        memcpy(big + sizeof(big) - 3, "\"}", 3);
        ok(map(&e, 500, big, -1, 0, 0) == LC_ERR_HTTP && strlen(e.message) < sizeof(e.message),
           "huge server messages are truncated");
    }
    ok(map(&e, 500, "{\"message\":", -1, 0, 0) == LC_ERR_HTTP, "truncated JSON body is http");
    lc_error_clear(&e);
}

static void test_oauth(void)
{
    lc_error e;
    lc_tokens t = { NULL, NULL, NULL, 0 };
    const char *b1 = "{\"error\":\"invalid_grant\",\"error_description\":\"The provided "
                     "authorization grant is invalid\"}";
    lc_error_init(&e);
    ok(lc_oauth_map_error(400, b1, strlen(b1), -1, 0, "POST /oauth/token", &e) == LC_ERR_AUTH &&
       strcmp(e.api_type, "invalid_grant") == 0 && e.http_status == 400,
       "OAuth invalid_grant is auth with api_type");
    ok(lc_oauth_map_error(401, "{\"error\":\"invalid_client\"}", 26, -1, 0, "POST /oauth/token",
                          &e) == LC_ERR_AUTH && strcmp(e.api_type, "invalid_client") == 0,
       "OAuth invalid_client is auth");
    /* Any other non-2xx answer of the authorisation server is auth too: a
     * wrong auth_url's 404 must never read as an API "not found". */
    ok(lc_oauth_map_error(503, "{\"message\":\"down\"}", 18, -1, 0, "POST /oauth/token", &e) ==
       LC_ERR_AUTH && e.http_status == 503 && !strcmp(e.request, "POST /oauth/token"),
       "OAuth 503 is auth naming the request: %s", e.message);
    ok(lc_oauth_map_error(404, "{\"message\":\"Not found\",\"type\":\"not_found\"}", 41, -1, 0,
                          "POST /oauth/token", &e) == LC_ERR_AUTH && e.http_status == 404 &&
       strstr(e.message, "authorisation server answered HTTP 404 on POST /oauth/token"),
       "OAuth 404 with an API-looking body is auth: %s", e.message);
    ok(lc_oauth_map_error(302, NULL, 0, -1, 0, "POST /oauth/revoke", &e) == LC_ERR_AUTH &&
       !strcmp(e.request, "POST /oauth/revoke"), "OAuth 302 (no redirects followed) is auth");
    ok(lc_oauth_map_error(429, "{\"message\":\"slow down\"}", 24, 3, 0, "POST /oauth/token",
                          &e) == LC_ERR_RATE_LIMITED && e.retry_after == 3 &&
       !strcmp(e.request, "POST /oauth/token"), "OAuth 429 stays rate-limited");
    ok(lc_oauth_map_error(400, b1, strlen(b1), -1, 0, "POST /oauth/token", &e) == LC_ERR_AUTH &&
       !strcmp(e.request, "POST /oauth/token"), "OAuth invalid_grant names the request");

    ok(PARSE("{\"access_token\":\"A\",\"token_type\":\"bearer\",\"expires_in\":7200,"
                            "\"refresh_token\":\"R\",\"created_at\":1}", 1000, &t, &e) == LC_OK &&
       strcmp(t.access, "A") == 0 && strcmp(t.refresh, "R") == 0 && t.expires_at == 8200,
       "token response parsed; expires_at = now + expires_in");
    ok(PARSE("{\"access_token\":\"B\",\"expires_in\":7200}", 0, &t, &e) ==
       LC_OK && strcmp(t.access, "B") == 0 && t.refresh == NULL,
       "client_credentials response without refresh token");
    ok(PARSE("{\"token_type\":\"Bearer\"}", 0, &t, &e) == LC_ERR_PARSE &&
       strcmp(t.access, "B") == 0, "missing access_token is parse; tokens unchanged");
    ok(PARSE("{\"access_token\":\"C\",\"token_type\":\"mac\"}", 0, &t, &e) ==
       LC_ERR_PARSE, "non-bearer token type refused");
    ok(PARSE("{\"access_token\":\"D\\r\\nX-Evil: 1\",\"token_type\":\"bearer\"}", 0, &t, &e) ==
       LC_ERR_PARSE && strcmp(t.access, "B") == 0,
       "access token with CR LF refused (no header injection): %s", e.message);
    ok(PARSE("{\"access_token\":\"E\",\"refresh_token\":\"R R\"}", 0, &t, &e) ==
       LC_ERR_PARSE, "refresh token with a space refused");
    ok(PARSE("{\"access_tok", 0, &t, &e) == LC_ERR_PARSE,
       "truncated token response is parse");
    ok(!strstr(e.message, "access_tok"), "parse message does not echo the body");

    /* One token size limit for the answer and the token file. */
    {
        static char body[2 * LC_TOKEN_MAX + 64];
        int n = snprintf(body, sizeof(body), "{\"access_token\":\"%0*d\"}", LC_TOKEN_MAX, 0);
        ok(lc_oauth_parse_token(body, (size_t)n, 0, &t, &e) == LC_OK &&
           strlen(t.access) == LC_TOKEN_MAX, "a %d-byte access token is accepted", LC_TOKEN_MAX);
        n = snprintf(body, sizeof(body), "{\"access_token\":\"%0*d\"}", LC_TOKEN_MAX + 1, 0);
        ok(lc_oauth_parse_token(body, (size_t)n, 0, &t, &e) == LC_ERR_PARSE &&
           strstr(e.message, "over 4096 bytes") && strlen(t.access) == LC_TOKEN_MAX,
           "one byte more is refused at parse: %s", e.message);
        n = snprintf(body, sizeof(body), "{\"access_token\":\"A\",\"refresh_token\":\"%0*d\"}",
                     LC_TOKEN_MAX + 1, 0);
        ok(lc_oauth_parse_token(body, (size_t)n, 0, &t, &e) == LC_ERR_PARSE,
           "an oversized refresh token is refused at parse");
    }
    lc_tokens_free(&t);
    lc_error_clear(&e);
}

int main(void)
{
    test_names();
    test_init_clear();
    test_rate_limit();
    test_resource();
    test_general_and_http();
    test_oauth();
    return tap_done();
}
