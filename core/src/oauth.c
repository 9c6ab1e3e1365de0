/* OAuth 2.0 requests; see oauth.h. Forms carry secrets, so every buffer
 * that held one is wiped (lc_buf_free, lc_json_delete_wiped). */
#include "oauth.h"
#include "token_store.h"

#include <string.h>
#include <strings.h>

#include "buf.h"
#include "errors.h"
#include "json_parse.h"
#include "json_util.h"
#include "log.h"
#include "transport.h"
#include "vendor.h"

static int form_add(lc_buf *f, const char *key, const char *value)
{
    if (!value)
        return 0;
    return (f->len && lc_buf_puts(f, "&")) || lc_buf_put_escaped(f, key) ||
           lc_buf_puts(f, "=") || lc_buf_put_escaped(f, value);
}

static int form_credentials(lc_client *c, lc_buf *f)
{
    return form_add(f, "client_id", c->client_id) ||
           form_add(f, "client_secret", c->client_secret);
}

lc_status lc_oauth_map_error(long status, const char *body, size_t len, long retry_after,
                             long long rate_reset, const char *what, lc_error *err)
{
    cJSON *doc = NULL;
    const char *code = NULL;
    lc_status st;

    if ((status == 400 || status == 401 || status == 403) && body && len) {
        /* A body the strict reader refuses counts as no OAuth error body. */
        lc_json_limits lim = lc_json_limits_for(len);
        if (lc_json_parse(body, len, &lim, "the OAuth error body", &doc, NULL) != LC_OK)
            doc = NULL;
        code = lc_json_str(doc, "error");
    }
    if (code) {
        char c_text[64], d_text[200];
        const char *desc = lc_json_str(doc, "error_description");
        lc_err_sanitize(c_text, sizeof(c_text), code);
        lc_err_sanitize(d_text, sizeof(d_text), desc ? desc : "");
        st = lc_err_set(err, LC_ERR_AUTH, "authorisation refused: HTTP %ld on %s: %s%s%s",
                        status, what, c_text, desc ? ": " : "", d_text);
        if (err) {
            err->http_status = status;
            memcpy(err->api_type, c_text, sizeof(c_text));
        }
    } else if (status == 429) {
        lc_http_answer a = { status, body, len, retry_after, rate_reset, time(NULL) };
        st = lc_err_from_http(err, &a, what);
    } else {
        /* Any other answer of the authorisation server (a wrong auth_url's
         * 404, a 500) is an auth outcome: never an API answer such as
         * "person not found". */
        st = lc_err_set(err, LC_ERR_AUTH, "authorisation server answered HTTP %ld on %s",
                        status, what);
        if (err)
            err->http_status = status;
    }
    lc_err_request(err, what);
    lc_json_delete_wiped(doc);
    return st;
}

lc_status lc_oauth_parse_token(const char *body, size_t len, time_t now, lc_tokens *out,
                               lc_error *err)
{
    lc_tokens n = { NULL, NULL, NULL, 0 };
    lc_json_limits lim = lc_json_limits_for(len);
    cJSON *doc = NULL;
    lc_status st = lc_json_parse(body, len, &lim, "the OAuth token response", &doc, err);
    const char *access = lc_json_str(doc, "access_token");
    const char *refresh = lc_json_str(doc, "refresh_token");
    const char *type = lc_json_str(doc, "token_type");
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(doc, "expires_in");

    if (st) {
        /* err says why */
    } else if (!cJSON_IsObject(doc))
        st = lc_err_set(err, LC_ERR_PARSE, "the OAuth token response is not a JSON object");
    else if (!access || !*access)
        st = lc_err_set(err, LC_ERR_PARSE, "OAuth token response has no access_token");
    else if (strlen(access) > LC_TOKEN_MAX || (refresh && strlen(refresh) > LC_TOKEN_MAX))
        st = lc_err_set(err, LC_ERR_PARSE, "OAuth token response has a token over %d bytes",
                        LC_TOKEN_MAX);
    else if (!lc_token_text_ok(access) || (refresh && !lc_token_text_ok(refresh)))
        st = lc_err_set(err, LC_ERR_PARSE,
                        "OAuth token response has a token with characters not allowed in a header");
    else if (type && strcasecmp(type, "bearer") != 0)
        st = lc_err_set(err, LC_ERR_PARSE, "OAuth token response has an unsupported token_type");
    if (!st) {
        n.access = strdup(access);
        n.refresh = refresh && *refresh ? strdup(refresh) : NULL;
        n.type = strdup("Bearer");
        if (cJSON_IsNumber(exp) && exp->valuedouble > 0 && exp->valuedouble < 1e9)
            n.expires_at = (long long)now + (long long)exp->valuedouble;
        if (!n.access || !n.type || (refresh && *refresh && !n.refresh))
            st = lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    }
    lc_json_delete_wiped(doc);
    if (st) {
        lc_tokens_free(&n);
        return st;
    }
    lc_tokens_free(out);
    *out = n;
    return LC_OK;
}

/* POSTs a form to {auth_url}{path}; the response lands in resp. */
static lc_status post_form(lc_client *c, const char *path, const lc_buf *form,
                           lc_http_resp *resp, lc_error *err)
{
    lc_buf url;
    lc_status st;
    char what[64];
    lc_http_req req;
    /* The credentials travel in the form, not in a header. */
    static const lc_http_header headers[] = {
        { "Accept", "application/json" },
        { "Content-Type", "application/x-www-form-urlencoded" },
    };

    if (!c->auth_url)
        return lc_err_set(err, LC_ERR_USAGE, "the %s API has no OAuth server",
                          c->vendor->name);
    lc_buf_init(&url, 0);
    if (lc_buf_puts(&url, c->auth_url) || lc_buf_puts(&url, path)) {
        lc_buf_free(&url);
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    }
    snprintf(what, sizeof(what), "POST %s", path);
    req = (lc_http_req){
        .method = "POST", .url = url.data, .what = what,
        .headers = headers, .nheaders = sizeof headers / sizeof headers[0],
        .body = lc_buf_str(form), .body_len = form->len,
        /* the OAuth server is the vendor's: its rate limits count too */
        .rate_header = c->vendor->protocol->rate_header,
    };
    st = lc_http_perform(c, &req, resp, err);
    if (!st && (resp->status < 200 || resp->status > 299))
        st = lc_oauth_map_error(resp->status, resp->body.data, resp->body.len,
                                resp->retry_after, resp->rate_reset, what, err);
    lc_buf_free(&url);
    return st;
}

lc_status lc_oauth_token(lc_client *c, const char *grant, const char *const *params,
                         const char *keep_refresh, lc_tokens *out, lc_error *err)
{
    lc_buf form;
    lc_http_resp resp;
    lc_status st = LC_OK;
    int bad;

    lc_buf_init(&form, 0);
    lc_http_resp_init(&resp);
    bad = form_add(&form, "grant_type", grant);
    for (size_t i = 0; !bad && params && params[i]; i += 2)
        bad = form_add(&form, params[i], params[i + 1]);
    if (bad || form_credentials(c, &form))
        st = lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    if (!st)
        st = post_form(c, "/oauth/token", &form, &resp, err);
    if (!st && (st = lc_oauth_parse_token(lc_buf_str(&resp.body), resp.body.len, time(NULL),
                                          out, err)) != LC_OK)
        lc_err_request(err, "POST /oauth/token");
    if (!st && !out->refresh && keep_refresh) {
        out->refresh = strdup(keep_refresh);
        if (!out->refresh)
            st = lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    }
    if (st)
        lc_log(c, LC_LOG_WARN, "OAuth %s grant failed: %s", grant, lc_status_name(st));
    else
        lc_log(c, LC_LOG_INFO, "OAuth %s grant: new access token%s", grant,
               out->refresh ? " and refresh token" : "");
    lc_buf_free(&form);
    lc_http_resp_free(&resp);
    return st;
}

lc_status lc_oauth_revoke(lc_client *c, const char *token, lc_error *err)
{
    lc_buf form;
    lc_http_resp resp;
    lc_status st = LC_OK;

    lc_buf_init(&form, 0);
    lc_http_resp_init(&resp);
    if (form_credentials(c, &form) || form_add(&form, "token", token))
        st = lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    if (!st)
        st = post_form(c, "/oauth/revoke", &form, &resp, err);
    lc_buf_free(&form);
    lc_http_resp_free(&resp);
    return st;
}
