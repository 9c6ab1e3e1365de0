/* Rate-limit pacing; see pacing.h.
 *
 * Why wait only when the window is used up, rather than spread requests
 * over it: RemoteLock's window is fixed (the whole allowance comes back
 * at the reset), so for one client sending as fast as it can and waiting
 * out each used-up window is the shortest schedule with no 429, and a
 * short job never waits. Other clients of the same account are not seen
 * in our headers' count until an answer says so; their share surfaces as
 * a 429, which is waited out the same way. */
#include "pacing.h"

long long lc_pace_before_ms(const lc_client *c, long long now_epoch_ms)
{
    long long reset_ms;

    if (c->rl_remaining != 0 || c->rl_reset <= 0)
        return 0;
    reset_ms = c->rl_reset * 1000;
    return reset_ms > now_epoch_ms ? reset_ms - now_epoch_ms + LC_PACE_MARGIN_MS : 0;
}

long long lc_pace_after_429_ms(const lc_http_resp *resp, long long now_epoch_ms)
{
    long long ms = -1;

    /* A reset already past (clocks disagree) says nothing. */
    if (resp->rate_reset > 0 && resp->rate_reset * 1000 > now_epoch_ms)
        ms = resp->rate_reset * 1000 - now_epoch_ms + LC_PACE_MARGIN_MS;
    if (resp->retry_after >= 0 && (ms < 0 || (long long)resp->retry_after * 1000 < ms))
        ms = (long long)resp->retry_after * 1000;
    if (ms < 0)
        ms = LC_PACE_UNKNOWN_MS;
    return ms < LC_PACE_MARGIN_MS ? LC_PACE_MARGIN_MS : ms;
}

const char *lc_pace_refusal(const lc_client *c, long long waited, long long ms)
{
    if (c->max_rate_wait_ms <= 0)
        return "max_rate_wait is off";
    if (waited + ms > c->max_rate_wait_ms)
        return "it is over what is left of max_rate_wait";
    if (ms >= lc_deadline_left_ms(c))
        return "it would pass the deadline";
    return NULL;
}
