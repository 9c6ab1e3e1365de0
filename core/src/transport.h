/* One HTTP exchange over the client's reused curl handle. */
#ifndef LC_TRANSPORT_H
#define LC_TRANSPORT_H

#include "buf.h"
#include "client.h"

/* Default body cap (lc_config.max_response_bytes 0). */
#define LC_MAX_BODY (16u * 1024u * 1024u)

/* One request header. The transport knows no header's meaning: it sends
 * the list in order and wipes every line it built once the exchange is
 * over, since a value may be a credential. */
typedef struct lc_http_header {
    const char *name;         /* "Accept", "Authorization", "apiuser"        */
    const char *value;
} lc_http_header;

/* The headers of one request: borrowed values (constants) and owned
 * copies (credentials, wiped by lc_http_headers_free). */
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

typedef struct lc_http_req {
    const char *method;       /* "GET", "POST", ...                          */
    const char *url;          /* absolute                                    */
    const char *what;         /* "GET /devices/:id" for messages and logs    */
    const lc_http_header *headers; /* sent in order; names must be tokens,
                                 values free of CR, LF and NUL               */
    size_t nheaders;
    const char *body;         /* NULL = no body                              */
    size_t body_len;
} lc_http_req;

typedef struct lc_http_resp {
    long status;
    lc_buf body;              /* capped at the client's max_response_bytes  */
    long retry_after;         /* Retry-After in seconds, -1 absent           */
    long long rate_reset;     /* X-RateLimit-Reset, 0 absent                 */
} lc_http_resp;

void lc_http_resp_init(lc_http_resp *r);
void lc_http_resp_free(lc_http_resp *r);

/* Performs the request. LC_OK means an HTTP answer arrived (any status);
 * otherwise a transport, TLS, timeout, parse (body too large) or usage
 * error. Honours timeout_ms and the client deadline, updates the client's
 * rate-limit values. resp must be initialised; it is reset first. */
lc_status lc_http_perform(lc_client *c, const lc_http_req *req, lc_http_resp *resp,
                          lc_error *err);

#endif
