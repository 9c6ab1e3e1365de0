/* Fixed-window rate limiter on real time (the documented 120/minute). */
#ifndef SIM_RATELIMIT_H
#define SIM_RATELIMIT_H

#include <time.h>

typedef struct sim_ratelimit {
    long limit;   /* requests per window */
    long window;  /* seconds             */
    time_t start; /* current window start, 0 = none yet */
    long count;   /* requests in the current window      */
} sim_ratelimit;

typedef struct sim_rl_state {
    long limit;
    long remaining;
    time_t reset;      /* epoch second the window ends      */
    long retry_after;  /* seconds until reset, at least 1   */
    int limited;       /* this request is over the limit    */
} sim_rl_state;

/* Sets limit and window and starts a fresh window. */
void sim_rl_configure(sim_ratelimit *rl, long limit, long window);
/* Counts one request at real time now. */
void sim_rl_take(sim_ratelimit *rl, time_t now, sim_rl_state *out);
/* Reports the state without counting (for requests that are not charged). */
void sim_rl_peek(const sim_ratelimit *rl, time_t now, sim_rl_state *out);

#endif
