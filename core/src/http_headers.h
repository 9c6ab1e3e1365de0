/* The header list of one API request, as the request path and a vendor's
 * sign() build it: borrowed constant values and owned credential copies,
 * which are wiped when the list is freed. Its items are what the
 * transport sends (lc_http_req.headers). */
#ifndef LC_HTTP_HEADERS_H
#define LC_HTTP_HEADERS_H

#include "transport.h"

#define LC_HTTP_MAX_HEADERS 8
typedef struct lc_http_headers {
    lc_http_header item[LC_HTTP_MAX_HEADERS];
    char *owned[LC_HTTP_MAX_HEADERS]; /* the heap value of item[i], or NULL */
    size_t n;
} lc_http_headers;

void lc_http_headers_init(lc_http_headers *h);
/* Appends name: value with value borrowed (it must outlive the request). */
lc_status lc_http_headers_add(lc_http_headers *h, const char *name, const char *value,
                              lc_error *err);
/* Appends name: prefix+secret as an owned copy, wiped when freed. */
lc_status lc_http_headers_add_secret(lc_http_headers *h, const char *name, const char *prefix,
                                     const char *secret, lc_error *err);
/* The value of the first header called name (case-insensitive), or NULL. */
const char *lc_http_headers_get(const lc_http_headers *h, const char *name);
/* Wipes and frees the owned values; h is empty afterwards. */
void lc_http_headers_free(lc_http_headers *h);

#endif
