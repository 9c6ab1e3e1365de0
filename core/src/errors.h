/* Filling lc_error values, and mapping HTTP answers to them. */
#ifndef LC_ERRORS_H
#define LC_ERRORS_H

#include <stddef.h>
#include <time.h>
#include "lockcloud/lockcloud.h"

/* Overwrites *err (may be NULL) with kind and a formatted message; returns
 * kind so callers can `return lc_err_set(...)`. */
__attribute__((format(printf, 3, 4)))
lc_status lc_err_set(lc_error *err, lc_status kind, const char *fmt, ...);

/* Appends formatted text to err->message (truncating); no-op for NULL. */
__attribute__((format(printf, 2, 3)))
void lc_err_append(lc_error *err, const char *fmt, ...);

/* Records which request an error came from in err->request ("POST
 * /oauth/token", "GET /access_persons/:id"; cut to fit). Every error made
 * from a request's outcome goes through here: the transport (curl errors,
 * body cap), lc_err_from_http, the OAuth mapping and the answer parsers.
 * Call it after the lc_err_set that filled err. No-op for NULL. */
void lc_err_request(lc_error *err, const char *what);

/* What is known about one non-2xx HTTP answer. */
typedef struct lc_http_answer {
    long status;
    const char *body;         /* may be NULL                                */
    size_t body_len;
    long retry_after;         /* Retry-After header in seconds, -1 absent   */
    long long rate_reset;     /* X-RateLimit-Reset epoch seconds, 0 absent  */
    time_t now;               /* wall clock, for retry_after from the reset */
} lc_http_answer;

/* Maps a non-2xx answer to an error (pure; unit-tested). what is
 * "METHOD /path/template" and appears in the message. Order: 429 rate
 * limit, 401/403 auth, {"errors":[...]} resource, {"type","message"}
 * general, else plain HTTP. */
lc_status lc_err_from_http(lc_error *err, const lc_http_answer *ans, const char *what);

/* Copies a server-provided text into dst for use inside a message
 * (lc_text_sanitize, LC_TEXT_MESSAGE): control characters become spaces,
 * bytes that are not UTF-8 '?', and it is cut to fit between characters. */
void lc_err_sanitize(char *dst, size_t dstlen, const char *src);

#endif
