/* Header lists; see http_headers.h. */
#include "http_headers.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errors.h"

void lc_http_headers_init(lc_http_headers *h)
{
    memset(h, 0, sizeof(*h));
}

lc_status lc_http_headers_add(lc_http_headers *h, const char *name, const char *value,
                              lc_error *err)
{
    if (h->n >= LC_HTTP_MAX_HEADERS)
        return lc_err_set(err, LC_ERR_USAGE, "more than %d request headers", LC_HTTP_MAX_HEADERS);
    h->item[h->n] = (lc_http_header){ name, value };
    h->owned[h->n++] = NULL;
    return LC_OK;
}

lc_status lc_http_headers_add_secret(lc_http_headers *h, const char *name, const char *prefix,
                                     const char *secret, lc_error *err)
{
    size_t plen = strlen(prefix), slen = strlen(secret);
    char *v;
    lc_status st;

    v = malloc(plen + slen + 1);
    if (!v)
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    memcpy(v, prefix, plen);
    memcpy(v + plen, secret, slen + 1);
    st = lc_http_headers_add(h, name, v, err);
    if (st) {
        explicit_bzero(v, plen + slen);
        free(v);
        return st;
    }
    h->owned[h->n - 1] = v;
    return LC_OK;
}

const char *lc_http_headers_get(const lc_http_headers *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcasecmp(h->item[i].name, name) == 0)
            return h->item[i].value;
    return NULL;
}

void lc_http_headers_free(lc_http_headers *h)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->owned[i]) {
            explicit_bzero(h->owned[i], strlen(h->owned[i]));
            free(h->owned[i]);
        }
    lc_http_headers_init(h);
}
