/* Retry decisions; see retry.h. */
#include "retry.h"

#include <string.h>

int lc_method_idempotent(const char *method)
{
    static const char *const methods[] = { "GET", "HEAD", "PUT", "DELETE", "OPTIONS", NULL };

    for (size_t i = 0; method && methods[i]; i++)
        if (strcmp(method, methods[i]) == 0)
            return 1;
    return 0;
}

int lc_retry_worth(const lc_api_req *r, lc_status st, const lc_http_resp *resp)
{
    int idempotent = (r->flags & LC_EP_IDEMPOTENT) != 0;

    if (st == LC_ERR_TRANSPORT || st == LC_ERR_TIMEOUT)
        return idempotent || !resp->maybe_sent;
    if (st != LC_OK || !idempotent)
        return 0;
    return resp->status >= 500 && resp->status <= 599 && resp->status != 501 &&
           resp->status != 505;
}

/* xorshift64*: spreads pauses; nothing depends on it being unpredictable. */
static unsigned long long next_random(lc_client *c)
{
    unsigned long long x = c->rng ? c->rng : 0x2545F4914F6CDD1Dull;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    c->rng = x;
    return x * 0x2545F4914F6CDD1Dull;
}

long long lc_retry_pause_ms(lc_client *c, int n)
{
    long long full = LC_RETRY_BASE_MS;

    for (int i = 1; i < n && full < LC_RETRY_CAP_MS; i++)
        full *= 2;
    if (full > LC_RETRY_CAP_MS)
        full = LC_RETRY_CAP_MS;
    return full / 2 + (long long)(next_random(c) % (unsigned long long)(full / 2 + 1));
}
