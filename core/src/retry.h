/* Which failed requests are sent again, and after what pause. request.c
 * runs the loop; this file only decides. */
#ifndef LC_RETRY_H
#define LC_RETRY_H

#include "client.h"
#include "transport.h"
#include "vendor.h"

#define LC_DEFAULT_RETRIES 2   /* lc_config.max_retries 0                  */
#define LC_MAX_RETRIES 10      /* the most lc_config.max_retries takes     */
#define LC_RETRY_BASE_MS 250   /* pause before the first resend, at most   */
#define LC_RETRY_CAP_MS 8000   /* no pause is longer                       */

/* RFC 9110's idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS): what
 * lc_request, which has no catalogue row, goes by. */
int lc_method_idempotent(const char *method);

/* Whether a sending that ended with st (LC_OK: an answer, resp->status)
 * is worth sending again: an idempotent request (LC_EP_IDEMPOTENT) after
 * a transport error, a timeout or a 5xx answer (but 501, 505: never
 * better); any request after a transport error or timeout that certainly
 * never left (resp->maybe_sent 0). Never after a TLS failure, a refused
 * answer size, a usage error, or a 4xx (429 is pacing's). */
int lc_retry_worth(const lc_api_req *r, lc_status st, const lc_http_resp *resp);

/* The pause before resend n (1, 2, ...): exponential from
 * LC_RETRY_BASE_MS, capped at LC_RETRY_CAP_MS, jittered uniformly over
 * its upper half (clients that failed together do not come back
 * together). Moves the client's jitter state. */
long long lc_retry_pause_ms(lc_client *c, int n);

#endif
