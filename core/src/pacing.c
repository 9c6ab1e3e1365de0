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

/* Milliseconds from now until the epoch second reset_s (0 when past);
 * -1 when unknown: none given, or over LC_PACE_MAX_AHEAD_S away. Compared
 * in seconds first, so no product can overflow whatever the header said. */
static long long until_reset_ms(long long reset_s, long long now_epoch_ms)
{
    long long reset_ms;

    if (reset_s <= 0 || reset_s > now_epoch_ms / 1000 + LC_PACE_MAX_AHEAD_S)
        return -1;
    reset_ms = reset_s * 1000;
    return reset_ms > now_epoch_ms ? reset_ms - now_epoch_ms : 0;
}

long long lc_pace_before_ms(const lc_client *c, long long now_epoch_ms)
{
    long long left;

    if (c->rl_remaining != 0)
        return 0;
    left = until_reset_ms(c->rl_reset, now_epoch_ms);
    return left > 0 ? left + LC_PACE_MARGIN_MS : 0;
}

long long lc_pace_after_429_ms(const lc_http_resp *resp, long long now_epoch_ms)
{
    long long ms = until_reset_ms(resp->rate_reset, now_epoch_ms);
    long long ra = resp->retry_after;

    /* A reset already past (clocks disagree) says nothing. */
    if (ms <= 0)
        ms = -1;
    else
        ms += LC_PACE_MARGIN_MS;
    if (ra > LC_PACE_MAX_AHEAD_S)
        ra = LC_PACE_MAX_AHEAD_S;
    if (ra >= 0 && (ms < 0 || ra * 1000 < ms))
        ms = ra * 1000;
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
