/* Fixed-window rate limiting, as the RemoteLock docs describe it. */
#include "ratelimit.h"

void sim_rl_configure(sim_ratelimit *rl, long limit, long window)
{
    rl->limit = limit;
    rl->window = window;
    rl->start = 0;
    rl->count = 0;
}

static int window_over(const sim_ratelimit *rl, time_t now)
{
    return rl->start == 0 || now >= rl->start + rl->window || now < rl->start;
}

static void fill(const sim_ratelimit *rl, time_t start, long count, time_t now,
                 sim_rl_state *out)
{
    out->limit = rl->limit;
    out->remaining = count >= rl->limit ? 0 : rl->limit - count;
    out->reset = start + rl->window;
    out->retry_after = out->reset - now > 0 ? (long)(out->reset - now) : 1;
    out->limited = count > rl->limit;
}

void sim_rl_take(sim_ratelimit *rl, time_t now, sim_rl_state *out)
{
    if (window_over(rl, now)) {
        rl->start = now;
        rl->count = 0;
    }
    if (rl->count <= rl->limit) /* stop counting once over: no overflow */
        rl->count++;
    fill(rl, rl->start, rl->count, now, out);
}

void sim_rl_peek(const sim_ratelimit *rl, time_t now, sim_rl_state *out)
{
    if (window_over(rl, now))
        fill(rl, now, 0, now, out);
    else
        fill(rl, rl->start, rl->count, now, out);
}
