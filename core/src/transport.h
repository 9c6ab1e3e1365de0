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

/* Rate-limit values read from one answer's headers: -1, -1, 0 unknown. */
typedef struct lc_rate_limit {
    long limit;               /* requests per window                        */
    long remaining;           /* left in this window                        */
    long long reset;          /* epoch seconds the window ends              */
} lc_rate_limit;

/* A vendor's reader of rate-limit headers (lc_protocol.rate_header): gets
 * every answer header but Retry-After, name and value as received (not
 * NUL-terminated; the value untrimmed, its CR LF included), and sets the
 * fields of rl it recognises. The transport knows no header names. */
typedef void (*lc_rate_header_fn)(lc_rate_limit *rl, const char *name, size_t nlen,
                                  const char *value, size_t vlen);

typedef struct lc_http_req {
    const char *method;       /* "GET", "POST", ...                          */
    const char *url;          /* absolute                                    */
    const char *what;         /* "GET /devices/:id" for messages and logs    */
    const lc_http_header *headers; /* sent in order; names must be tokens,
                                 values free of CR, LF and NUL               */
    size_t nheaders;
    const char *body;         /* NULL = no body                              */
    size_t body_len;
    lc_rate_header_fn rate_header; /* NULL = no rate-limit header is read */
    int idempotent;           /* 1: sending it twice does what sending it once
                                 does (GET, PUT, DELETE), so libcurl may resend
                                 it on a fresh connection when a reused one
                                 closed without an answer; 0 (POST, PATCH, the
                                 OAuth grants): it is sent once at most, and
                                 such a close is an error saying so         */
} lc_http_req;

typedef struct lc_http_resp {
    long status;
    lc_buf body;              /* capped at the client's max_response_bytes  */
    long retry_after;         /* Retry-After in seconds, -1 absent           */
    long long rate_reset;     /* rate_header's reset, 0 absent               */
    int maybe_sent;           /* after a failed exchange: 0 when no byte of
                                 the request left (no connection, handshake
                                 failed), so even a POST may be sent again  */
} lc_http_resp;

void lc_http_resp_init(lc_http_resp *r);
void lc_http_resp_free(lc_http_resp *r);

/* Performs the request. LC_OK means an HTTP answer arrived (any status);
 * otherwise a transport, TLS, timeout, parse (body too large) or usage
 * error. Honours timeout_ms and the client deadline, updates the client's
 * rate-limit values with those req->rate_header read (each one only when
 * the answer had it). resp must be initialised; it is reset first. */
lc_status lc_http_perform(lc_client *c, const lc_http_req *req, lc_http_resp *resp,
                          lc_error *err);

/* A header value's decimal number (blanks around it allowed, at most 31
 * characters, no sign); -1 when absent, malformed or beyond long long. */
long long lc_http_header_num(const char *v, size_t len);

/* Retry-After's value (RFC 9110: seconds or an HTTP date) in seconds from
 * now, at most a year; -1 when malformed. */
long lc_http_retry_after(const char *v, size_t len);

#endif
