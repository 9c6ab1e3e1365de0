/* OAuth server and bearer checks of lockcloud-sim, over real HTTPS. */
#include "http_common.h"

#define CODE_FORM "grant_type=authorization_code&code=" SIMPROC_AUTH_CODE \
                  "&redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob&" CC_FORM

static void test_client_credentials(simproc *sim)
{
    cJSON *doc;
    int st = token_req(sim, "grant_type=client_credentials&" CC_FORM, &doc);
    const cJSON *tok = cJSON_GetObjectItemCaseSensitive(doc, "access_token");
    ok(st == 200 && cJSON_IsString(tok) && strlen(tok->valuestring) >= 32,
       "client_credentials: 200 with an access token (status %d)", st);
    ok(str_is(doc, "token_type", "Bearer") && num_of(doc, "expires_in") == 7200,
       "client_credentials: token_type Bearer, expires_in 7200 (the default TTL)");
    ok(!cJSON_GetObjectItemCaseSensitive(doc, "refresh_token"),
       "client_credentials: no refresh token, as documented");
    /* created_at is the simulator clock: 2026-03-10T12:00:00Z = 1773144000. */
    double created = num_of(doc, "created_at");
    ok(created >= 1773144000 && created < 1773144000 + 600,
       "client_credentials: created_at follows the simulator clock (%.0f)", created);
    char *token = str_dup(doc, "access_token");
    cJSON_Delete(doc);
    ok(status_of(sim, "GET", "/locations", token) == 200, "the access token opens the API");
    free(token);

    /* HTTP Basic client authentication (RFC 6749 2.3.1) works too. */
    static const char *const basic[] = {
        "Content-Type: application/x-www-form-urlencoded",
        /* base64("lockcloud-demo-client:lockcloud-demo-secret") */
        "Authorization: Basic bG9ja2Nsb3VkLWRlbW8tY2xpZW50OmxvY2tjbG91ZC1kZW1vLXNlY3JldA==",
        NULL};
    simproc_res r;
    simproc_http(sim, &(simproc_req){.method = "POST", .path = "/oauth/token",
                                     .headers = basic, .body = "grant_type=client_credentials"},
                 &r);
    ok(r.status == 200 && strstr(r.body, "access_token"),
       "client_credentials with HTTP Basic client authentication: 200 (%ld)", r.status);
    const char *cache = simproc_res_header(&r, "Cache-Control");
    ok(cache && strcmp(cache, "no-store") == 0, "token answers carry Cache-Control: no-store");
    simproc_res_free(&r);
}

static void test_code_and_refresh(simproc *sim)
{
    cJSON *doc;
    int st = token_req(sim, "grant_type=authorization_code&code=" SIMPROC_AUTH_CODE
                            "&redirect_uri=http%3A%2F%2Fevil.example%2F&" CC_FORM, &doc);
    ok(oauth_err(st, doc, 400, "invalid_grant"),
       "authorization_code with a different redirect_uri: 400 invalid_grant (%d)", st);
    cJSON_Delete(doc);

    st = token_req(sim, CODE_FORM, &doc);
    char *access1 = str_dup(doc, "access_token");
    char *refresh1 = str_dup(doc, "refresh_token");
    ok(st == 200 && access1 && refresh1 && str_is(doc, "token_type", "Bearer"),
       "authorization_code (after a failed attempt): 200 with access and refresh token (%d)",
       st);
    cJSON_Delete(doc);

    st = token_req(sim, CODE_FORM, &doc);
    ok(oauth_err(st, doc, 400, "invalid_grant"),
       "authorization code is single use: second exchange 400 invalid_grant (%d)", st);
    cJSON_Delete(doc);

    st = token_req(sim, "grant_type=authorization_code&code=no-such-code"
                        "&redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob&" CC_FORM, &doc);
    ok(oauth_err(st, doc, 400, "invalid_grant"), "unknown code: 400 invalid_grant");
    cJSON_Delete(doc);

    st = token_req(sim, "grant_type=authorization_code&" CC_FORM, &doc);
    ok(oauth_err(st, doc, 400, "invalid_request"), "missing code: 400 invalid_request");
    cJSON_Delete(doc);

    /* Rotation: every use returns a new refresh token and kills the old one. */
    char form[512];
    snprintf(form, sizeof(form), "grant_type=refresh_token&refresh_token=%s&" CC_FORM,
             refresh1 ? refresh1 : "");
    st = token_req(sim, form, &doc);
    char *access2 = str_dup(doc, "access_token");
    char *refresh2 = str_dup(doc, "refresh_token");
    ok(st == 200 && access2 && refresh2 && strcmp(access2, access1 ? access1 : "") != 0 &&
           strcmp(refresh2, refresh1 ? refresh1 : "") != 0,
       "refresh_token: 200 with a new access token and a new refresh token (%d)", st);
    cJSON_Delete(doc);

    st = token_req(sim, form, &doc);
    ok(oauth_err(st, doc, 400, "invalid_grant"),
       "the old refresh token is dead after rotation: 400 invalid_grant (%d)", st);
    cJSON_Delete(doc);

    ok(status_of(sim, "GET", "/locations", access1) == 200,
       "the previous access token stays valid until it expires");
    ok(status_of(sim, "GET", "/locations", access2) == 200, "the new access token works");

    /* Another client cannot use this refresh token. */
    snprintf(form, sizeof(form), "grant_type=refresh_token&refresh_token=%s"
             "&client_id=" SIMPROC_CLIENT_ID "&client_secret=wrong", refresh2 ? refresh2 : "");
    st = token_req(sim, form, &doc);
    ok(oauth_err(st, doc, 401, "invalid_client"), "refresh with a wrong secret: 401 invalid_client");
    cJSON_Delete(doc);

    st = token_req(sim, "grant_type=refresh_token&" CC_FORM, &doc);
    ok(oauth_err(st, doc, 400, "invalid_request"), "missing refresh_token: 400 invalid_request");
    cJSON_Delete(doc);

    /* Revoking the refresh token ends the grant: refresh fails, access token too. */
    snprintf(form, sizeof(form), "token=%s&" CC_FORM, refresh2 ? refresh2 : "");
    simproc_res r;
    static const char *const form_ct[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    simproc_http(sim, &(simproc_req){.method = "POST", .path = "/oauth/revoke",
                                     .headers = form_ct, .body = form}, &r);
    ok(r.status == 200 && strcmp(r.body, "{}") == 0, "revoke refresh token: 200 {} (%ld %s)",
       r.status, r.body);
    simproc_res_free(&r);
    snprintf(form, sizeof(form), "grant_type=refresh_token&refresh_token=%s&" CC_FORM,
             refresh2 ? refresh2 : "");
    st = token_req(sim, form, &doc);
    ok(oauth_err(st, doc, 400, "invalid_grant"), "revoked refresh token: 400 invalid_grant");
    cJSON_Delete(doc);
    ok(status_of(sim, "GET", "/locations", access2) == 403,
       "revoking the refresh token also revokes its access token");

    /* /_sim/reset re-arms the fixture code. */
    ok(sim_ctl(sim, "POST", "/_sim/reset", NULL, NULL) == 200, "POST /_sim/reset");
    st = token_req(sim, CODE_FORM, &doc);
    ok(st == 200, "the authorization code works again after /_sim/reset (%d)", st);
    cJSON_Delete(doc);
    ok(status_of(sim, "GET", "/locations", access1) == 403, "reset forgets every token");
    free(access1);
    free(refresh1);
    free(access2);
    free(refresh2);
}

static void test_errors(simproc *sim)
{
    cJSON *doc;
    int st = token_req(sim, "grant_type=client_credentials&client_id=nobody&client_secret=x",
                       &doc);
    ok(oauth_err(st, doc, 401, "invalid_client"), "unknown client: 401 invalid_client (%d)", st);
    cJSON_Delete(doc);
    st = token_req(sim, "grant_type=client_credentials&client_id=" SIMPROC_CLIENT_ID
                        "&client_secret=lockcloud-demo-secreT", &doc);
    ok(oauth_err(st, doc, 401, "invalid_client"), "wrong secret: 401 invalid_client");
    cJSON_Delete(doc);
    st = token_req(sim, "grant_type=client_credentials", &doc);
    ok(oauth_err(st, doc, 401, "invalid_client"), "no client credentials: 401 invalid_client");
    cJSON_Delete(doc);
    st = token_req(sim, "grant_type=password&username=a&password=b&" CC_FORM, &doc);
    ok(oauth_err(st, doc, 400, "unsupported_grant_type"),
       "password grant: 400 unsupported_grant_type (%d)", st);
    cJSON_Delete(doc);
    st = token_req(sim, CC_FORM, &doc);
    ok(oauth_err(st, doc, 400, "invalid_request"), "missing grant_type: 400 invalid_request");
    cJSON_Delete(doc);
    st = token_req(sim, "grant_type=client_credentials&grant_type=client_credentials&" CC_FORM,
                   &doc);
    ok(oauth_err(st, doc, 400, "invalid_request"), "repeated parameter: 400 invalid_request");
    cJSON_Delete(doc);
    st = token_req(sim, "grant_type=client_credentials%00&" CC_FORM, &doc);
    ok(oauth_err(st, doc, 400, "invalid_request"), "%%00 in a parameter: 400 invalid_request");
    cJSON_Delete(doc);
    st = token_req(sim, "grant_type=client_credentials&client_id=%zz", &doc);
    ok(oauth_err(st, doc, 400, "invalid_request"), "broken percent-escape: 400 invalid_request");
    cJSON_Delete(doc);

    simproc_res r;
    static const char *const xml[] = {"Content-Type: text/xml", NULL};
    simproc_http(sim, &(simproc_req){.method = "POST", .path = "/oauth/token", .headers = xml,
                                     .body = "<grant/>"}, &r);
    ok(r.status == 400 && strstr(r.body, "invalid_request"),
       "unsupported Content-Type: 400 invalid_request (%ld)", r.status);
    simproc_res_free(&r);
    ok(status_of(sim, "GET", "/oauth/token", NULL) == 405, "GET /oauth/token: 405");
    ok(status_of(sim, "POST", "/oauth/nothing", NULL) == 404, "unknown /oauth/ path: 404");

    /* Revoke: unknown tokens are fine (RFC 7009), missing token is not. */
    static const char *const form_ct[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    simproc_http(sim, &(simproc_req){.method = "POST", .path = "/oauth/revoke",
                                     .headers = form_ct, .body = "token=unknown"}, &r);
    ok(r.status == 200, "revoke of an unknown token: 200 (%ld)", r.status);
    simproc_res_free(&r);
    simproc_http(sim, &(simproc_req){.method = "POST", .path = "/oauth/revoke",
                                     .headers = form_ct, .body = CC_FORM}, &r);
    ok(r.status == 400 && strstr(r.body, "invalid_request"), "revoke without token: 400");
    simproc_res_free(&r);
    simproc_http(sim, &(simproc_req){.method = "POST", .path = "/oauth/revoke",
                                     .headers = form_ct,
                                     .body = "token=x&client_id=nobody&client_secret=x"}, &r);
    ok(r.status == 401 && strstr(r.body, "invalid_client"), "revoke with a bad client: 401");
    simproc_res_free(&r);
}

static void test_bearer(simproc *sim)
{
    simproc_res r;
    req(sim, "GET", "/locations", NULL, NULL, &r);
    ok(r.status == 401 && has_message(&r), "no Authorization header: 401 {message} (%ld)",
       r.status);
    simproc_res_free(&r);
    static const char *const basic[] = {"Authorization: Basic Zm9vOmJhcg==", NULL};
    simproc_http(sim, &(simproc_req){.path = "/locations", .headers = basic}, &r);
    ok(r.status == 401, "Basic instead of Bearer: 401 (%ld)", r.status);
    simproc_res_free(&r);
    static const char *const empty[] = {"Authorization: Bearer ", NULL};
    simproc_http(sim, &(simproc_req){.path = "/locations", .headers = empty}, &r);
    ok(r.status == 401, "empty Bearer token: 401 (%ld)", r.status);
    simproc_res_free(&r);

    req(sim, "GET", "/locations", "not-a-token", NULL, &r);
    cJSON *doc = simproc_res_json(&r);
    ok(r.status == 403 && str_is(doc, "type", "invalid_token") &&
           str_is(doc, "message", "The access token is invalid or has expired"),
       "unknown token: 403 invalid_token (%ld)", r.status);
    cJSON_Delete(doc);
    simproc_res_free(&r);

    /* Expiry follows the simulator clock. */
    char *token = simproc_token(sim);
    ok(status_of(sim, "GET", "/locations", token) == 200, "fresh token: 200");
    sim_ctl(sim, "POST", "/_sim/clock", "{\"advance\":7100}", NULL);
    ok(status_of(sim, "GET", "/locations", token) == 200, "still valid 7100 s later");
    sim_ctl(sim, "POST", "/_sim/clock", "{\"advance\":120}", NULL);
    ok(status_of(sim, "GET", "/locations", token) == 403, "expired after 7220 s: 403");

    /* Revoking an access token. */
    free(token);
    token = simproc_token(sim);
    char form[256];
    snprintf(form, sizeof(form), "token=%s&" CC_FORM, token ? token : "");
    static const char *const form_ct[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    simproc_http(sim, &(simproc_req){.method = "POST", .path = "/oauth/revoke",
                                     .headers = form_ct, .body = form}, &r);
    simproc_res_free(&r);
    ok(status_of(sim, "GET", "/locations", token) == 403, "revoked access token: 403");
    free(token);

    /* token_ttl through /_sim/config applies to new tokens. */
    ok(sim_ctl(sim, "POST", "/_sim/config", "{\"token_ttl\":60}", NULL) == 200,
       "POST /_sim/config {token_ttl:60}");
    cJSON *tdoc;
    token_req(sim, "grant_type=client_credentials&" CC_FORM, &tdoc);
    ok(num_of(tdoc, "expires_in") == 60, "expires_in follows token_ttl (%.0f)",
       num_of(tdoc, "expires_in"));
    token = str_dup(tdoc, "access_token");
    cJSON_Delete(tdoc);
    sim_ctl(sim, "POST", "/_sim/clock", "{\"advance\":61}", NULL);
    ok(status_of(sim, "GET", "/locations", token) == 403, "a 60 s token is dead 61 s later");
    free(token);
}

static void test_ttl_flag(void)
{
    static const char *const args[] = {"--token-ttl", "30", NULL};
    simproc *sim = start_or_die(args);
    cJSON *doc;
    token_req(sim, "grant_type=client_credentials&" CC_FORM, &doc);
    ok(num_of(doc, "expires_in") == 30, "--token-ttl 30: expires_in 30 (%.0f)",
       num_of(doc, "expires_in"));
    cJSON_Delete(doc);
    /* JSON token requests are accepted too. */
    simproc_res r;
    simproc_http(sim, &(simproc_req){.method = "POST", .path = "/oauth/token",
                 .body = "{\"grant_type\":\"client_credentials\",\"client_id\":\""
                         SIMPROC_CLIENT_ID "\",\"client_secret\":\"" SIMPROC_CLIENT_SECRET "\"}"},
                 &r);
    ok(r.status == 200 && strstr(r.body, "access_token"), "JSON-encoded token request: 200");
    simproc_res_free(&r);
    ok(simproc_stop(sim) == 0, "simulator exits cleanly on SIGTERM");
}

int main(void)
{
    simproc *sim = start_or_die(NULL);
    test_client_credentials(sim);
    test_code_and_refresh(sim);
    test_errors(sim);
    test_bearer(sim);
    ok(simproc_stop(sim) == 0, "simulator exits cleanly on SIGTERM");
    test_ttl_flag();
    return tap_done();
}
