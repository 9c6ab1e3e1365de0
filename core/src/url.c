/* URL helpers; see url.h. */
#include "url.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <string.h>
#include <strings.h>

#include "errors.h"

int lc_url_host_is_loopback(const char *host)
{
    unsigned char a4[4];
    unsigned char a6[16];
    char h[64];
    size_t n;

    if (!host)
        return 0;
    n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        host++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof(h))
        return 0;
    memcpy(h, host, n);
    h[n] = '\0';
    if (strcasecmp(h, "localhost") == 0)
        return 1;
    if (inet_pton(AF_INET, h, a4) == 1)
        return a4[0] == 127;
    if (inet_pton(AF_INET6, h, a6) == 1) {
        static const unsigned char lo[16] = { [15] = 1 };
        return memcmp(a6, lo, sizeof(lo)) == 0;
    }
    return 0;
}

static int has_part(CURLU *u, CURLUPart part)
{
    char *v = NULL;
    int has = curl_url_get(u, part, &v, 0) == CURLUE_OK && v;
    curl_free(v);
    return has;
}

lc_status lc_url_check_base(const char *url, int allow_http, int *is_http,
                            const char *what, lc_error *err)
{
    CURLU *u;
    char *scheme = NULL, *host = NULL;
    lc_status st = LC_OK;

    *is_http = 0;
    if (!url || !*url)
        return lc_err_set(err, LC_ERR_USAGE, "%s is empty", what);
    u = curl_url();
    if (!u)
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        st = lc_err_set(err, LC_ERR_USAGE, "%s is not a valid URL", what);
    } else if (has_part(u, CURLUPART_QUERY) || has_part(u, CURLUPART_FRAGMENT) ||
               has_part(u, CURLUPART_USER)) {
        st = lc_err_set(err, LC_ERR_USAGE,
                        "%s must not carry credentials, a query or a fragment", what);
    } else if (strcasecmp(scheme, "https") == 0) {
        st = LC_OK;
    } else if (strcasecmp(scheme, "http") != 0) {
        st = lc_err_set(err, LC_ERR_USAGE, "%s: only https URLs are supported", what);
    } else if (!allow_http) {
        st = lc_err_set(err, LC_ERR_USAGE,
                        "%s: plain http refused (https required; allow_http is for loopback tests)",
                        what);
    } else if (!lc_url_host_is_loopback(host)) {
        st = lc_err_set(err, LC_ERR_USAGE,
                        "%s: plain http is allowed only to a loopback host", what);
    } else {
        *is_http = 1;
    }
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return st;
}

static int bad_arg(const char *v)
{
    return !v || !*v || strcmp(v, ".") == 0 || strcmp(v, "..") == 0;
}

lc_status lc_url_expand_path(lc_buf *out, const char *tmpl, lc_query *args,
                             lc_error *err)
{
    size_t used = 0;
    const char *p = tmpl;

    while (*p) {
        if (*p == ':' && (p == tmpl || p[-1] == '/')) {
            const char *end = strchr(p, '/');
            size_t nlen = end ? (size_t)(end - p) : strlen(p);
            const char *v = args ? args[used] : NULL;
            if (!v)
                return lc_err_set(err, LC_ERR_USAGE,
                                  "path %s needs more arguments (missing %.*s)",
                                  tmpl, (int)(nlen > 60 ? 60 : nlen), p);
            if (bad_arg(v))
                return lc_err_set(err, LC_ERR_USAGE,
                                  "path argument %zu for %s is empty, \".\" or \"..\"",
                                  used + 1, tmpl);
            if (lc_buf_put_escaped(out, v))
                goto nomem;
            used++;
            p += nlen;
        } else {
            if (lc_buf_append(out, p, 1))
                goto nomem;
            p++;
        }
    }
    if (args && args[used])
        return lc_err_set(err, LC_ERR_USAGE, "path %s takes %zu argument%s, more given",
                          tmpl, used, used == 1 ? "" : "s");
    return LC_OK;
nomem:
    return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
}

lc_status lc_url_append_query(lc_buf *out, lc_query *query, lc_error *err)
{
    int first = !out->data || !strchr(out->data, '?');

    if (!query)
        return LC_OK;
    for (size_t i = 0; query[i]; i += 2) {
        if (!query[i + 1])
            return lc_err_set(err, LC_ERR_USAGE, "query key without a value");
        if (!*query[i])
            return lc_err_set(err, LC_ERR_USAGE, "empty query key");
        if (lc_buf_puts(out, first ? "?" : "&") ||
            lc_buf_put_escaped(out, query[i]) || lc_buf_puts(out, "=") ||
            lc_buf_put_escaped(out, query[i + 1]))
            return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
        first = 0;
    }
    return LC_OK;
}

lc_status lc_url_check_path(const char *path, lc_error *err)
{
    if (!path || path[0] != '/')
        return lc_err_set(err, LC_ERR_USAGE, "request path must start with '/'");
    if (path[1] == '/')
        return lc_err_set(err, LC_ERR_USAGE, "request path must not start with '//'");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f || *p == '#' || *p == '\\')
            return lc_err_set(err, LC_ERR_USAGE,
                              "request path holds a space, control, non-ASCII, '#' or '\\' byte");
    return LC_OK;
}
