/* Fuzzes the mapping of non-2xx answers to errors (lc_err_from_http and
 * lc_oauth_map_error). Input: 2 bytes pick the status, 1 byte the
 * rate-limit headers, the rest is the body. Every error must be a failure
 * kind with a printable message and type, and carry the status; the OAuth
 * mapper never turns an answer of the authorisation server into an API
 * error. */
#include <string.h>

#include "errors.h"
#include "fuzz_util.h"
#include "oauth.h"

static const long statuses[] = { 400, 401, 403, 404, 409, 422, 429, 500, 502, 503 };

static void check(const lc_error *e, lc_status st, long status)
{
    FZ_ASSERT(st != LC_OK && st == e->kind);
    fz_check_text(e->message, sizeof e->message);
    fz_check_text(e->api_type, sizeof e->api_type);
    fz_check_text(e->request, sizeof e->request);
    FZ_ASSERT(st == LC_ERR_NOMEM || e->http_status == status);
    if (st == LC_ERR_RATE_LIMITED)
        FZ_ASSERT(e->retry_after >= -1);
    FZ_ASSERT(!e->api_errors || st == LC_ERR_API_RESOURCE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lc_http_answer a;
    lc_error e;
    lc_status st;
    long status;

    if (size < 3)
        return 0;
    status = data[0] < 0xf0 ? statuses[data[0] % (sizeof statuses / sizeof statuses[0])]
                            : 100 + (long)data[1] * 2 % 500; /* any code 100..599 */
    a.status = status;
    a.retry_after = data[2] & 1 ? (long)(data[2] >> 1) : -1;
    a.rate_reset = data[2] & 2 ? 1700000000LL + (data[2] >> 2) - 32 : 0;
    a.now = 1700000000;
    a.body = size > 3 ? (const char *)data + 3 : NULL;
    a.body_len = size - 3;

    lc_error_init(&e);
    st = lc_err_from_http(&e, &a, "GET /access_persons/:id");
    check(&e, st, status);
    lc_error_clear(&e);

    st = lc_oauth_map_error(status, a.body, a.body_len, a.retry_after, a.rate_reset,
                            "POST /oauth/token", &e);
    check(&e, st, status);
    /* The authorisation server's answers are auth outcomes (or rate
     * limiting), never API answers such as "person not found". */
    FZ_ASSERT(st == LC_ERR_AUTH || st == LC_ERR_NOMEM ||
              (st == LC_ERR_RATE_LIMITED && status == 429));
    FZ_ASSERT(strcmp(e.request, "POST /oauth/token") == 0);
    lc_error_clear(&e);
    return 0;
}
