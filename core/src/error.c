/* lc_error handling and the HTTP-answer-to-error mapping. */
#include "errors.h"
#include "json_parse.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *lc_status_name(lc_status st)
{
    switch (st) {
    case LC_OK:               return "ok";
    case LC_ERR_USAGE:        return "usage";
    case LC_ERR_TRANSPORT:    return "transport";
    case LC_ERR_TLS:          return "tls";
    case LC_ERR_TIMEOUT:      return "timeout";
    case LC_ERR_HTTP:         return "http";
    case LC_ERR_API_RESOURCE: return "api-resource";
    case LC_ERR_API_GENERAL:  return "api-general";
    case LC_ERR_RATE_LIMITED: return "rate-limited";
    case LC_ERR_AUTH:         return "auth";
    case LC_ERR_PARSE:        return "parse";
    case LC_ERR_NOMEM:        return "nomem";
    case LC_ERR_IO:           return "io";
    case LC_ERR_TOO_MANY:     return "too-many";
    }
    return "unknown";
}

void lc_error_init(lc_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof(*err));
    err->kind = LC_OK;
    err->retry_after = -1;
}

void lc_error_clear(lc_error *err)
{
    if (!err)
        return;
    cJSON_Delete(err->api_errors);
    lc_error_init(err);
}

/* Fills err without reading what it held: callers may pass an uninitialised
 * lc_error, and a stale api_errors pointer must never be freed blindly. */
__attribute__((format(printf, 3, 0)))
static void err_vset(lc_error *err, lc_status kind, const char *fmt, va_list ap)
{
    lc_error_init(err);
    err->kind = kind;
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
}

lc_status lc_err_set(lc_error *err, lc_status kind, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err_vset(err, kind, fmt, ap);
        va_end(ap);
    }
    return kind;
}

void lc_err_append(lc_error *err, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    if (!err)
        return;
    n = strnlen(err->message, sizeof(err->message) - 1);
    va_start(ap, fmt);
    vsnprintf(err->message + n, sizeof(err->message) - n, fmt, ap);
    va_end(ap);
}

void lc_err_request(lc_error *err, const char *what)
{
    if (err)
        lc_err_sanitize(err->request, sizeof(err->request), what ? what : "");
}

void lc_err_sanitize(char *dst, size_t dstlen, const char *src)
{
    lc_text_sanitize(dst, dstlen, src, LC_TEXT_MESSAGE);
}

static const char *json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const char *first_str(const cJSON *arr)
{
    const cJSON *v = cJSON_IsArray(arr) ? cJSON_GetArrayItem(arr, 0) : NULL;
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* First human-readable text of an "errors" array entry. */
static const char *resource_message(const cJSON *errors)
{
    const cJSON *e0 = cJSON_GetArrayItem(errors, 0);
    const char *m = first_str(cJSON_GetObjectItemCaseSensitive(e0, "full_messages"));
    if (!m)
        m = first_str(cJSON_GetObjectItemCaseSensitive(e0, "messages"));
    return m ? m : "invalid request";
}

/* 429: the API's own message, then where and when to retry. */
static lc_status map_rate_limited(lc_error *err, const lc_http_answer *a, const char *what,
                                  const char *msg)
{
    char text[256];
    lc_err_sanitize(text, sizeof(text), msg ? msg : "rate limit exceeded");
    lc_err_set(err, LC_ERR_RATE_LIMITED, "%s (HTTP 429 on %s", text, what);
    if (!err)
        return LC_ERR_RATE_LIMITED;
    err->http_status = a->status;
    err->rate_limit_reset = a->rate_reset > 0 ? a->rate_reset : 0;
    if (a->retry_after >= 0)
        err->retry_after = a->retry_after;
    else if (a->rate_reset > 0)
        err->retry_after = a->rate_reset > (long long)a->now ?
                           (long)(a->rate_reset - (long long)a->now) : 0;
    if (err->retry_after >= 0)
        lc_err_append(err, "; retry after %ld s", err->retry_after);
    lc_err_append(err, ")");
    return LC_ERR_RATE_LIMITED;
}

lc_status lc_err_from_http(lc_error *err, const lc_http_answer *a, const char *what)
{
    cJSON *doc = NULL;
    const char *type = NULL, *msg = NULL;
    const cJSON *errors = NULL;
    char text[256];
    lc_status st;

    if (a->body && a->body_len) {
        /* Strict reader; a body it refuses (ambiguous, malformed, over the
         * budget) is no API body at all: never trust half of it. The
         * budget follows the body, which the transport already capped. */
        lc_json_limits lim = lc_json_limits_for(a->body_len);
        if (lc_json_parse(a->body, a->body_len, &lim, "an error body", &doc, NULL) != LC_OK)
            doc = NULL;
    }
    if (cJSON_IsObject(doc)) {
        type = json_str(doc, "type");
        msg = json_str(doc, "message");
        errors = cJSON_GetObjectItemCaseSensitive(doc, "errors");
        if (!cJSON_IsArray(errors) || cJSON_GetArraySize(errors) < 1)
            errors = NULL;
    }

    if (a->status == 429) {
        st = map_rate_limited(err, a, what, msg);
        lc_err_request(err, what);
        cJSON_Delete(doc);
        return st;
    }
    if (a->status == 401 || a->status == 403) {
        lc_err_sanitize(text, sizeof(text), msg ? msg : "access token refused");
        st = lc_err_set(err, LC_ERR_AUTH, "not authorised: HTTP %ld on %s: %s",
                        a->status, what, text);
        if (err && type)
            lc_err_sanitize(err->api_type, sizeof(err->api_type), type);
    } else if (errors) {
        lc_err_sanitize(text, sizeof(text), resource_message(errors));
        st = lc_err_set(err, LC_ERR_API_RESOURCE, "%s (HTTP %ld on %s)",
                        text, a->status, what);
        if (err) {
            err->api_errors = cJSON_Duplicate(errors, 1);
            if (!err->api_errors)
                st = lc_err_set(err, LC_ERR_NOMEM, "out of memory");
        }
    } else if (type && msg) {
        lc_err_sanitize(text, sizeof(text), msg);
        st = lc_err_set(err, LC_ERR_API_GENERAL, "%s (HTTP %ld on %s)",
                        text, a->status, what);
        if (err)
            lc_err_sanitize(err->api_type, sizeof(err->api_type), type);
    } else {
        if (msg) {
            lc_err_sanitize(text, sizeof(text), msg);
            st = lc_err_set(err, LC_ERR_HTTP, "HTTP %ld on %s: %s", a->status, what, text);
        } else {
            st = lc_err_set(err, LC_ERR_HTTP, "HTTP %ld on %s", a->status, what);
        }
    }
    if (err)
        err->http_status = a->status;
    lc_err_request(err, what);
    cJSON_Delete(doc);
    return st;
}
