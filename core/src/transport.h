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
