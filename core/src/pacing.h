/* Rate-limit pacing: how long a call waits so its account's window is not
 * overrun, from what the vendor's rate-limit headers said (the client's
 * rl_* values, lc_http_resp's Retry-After and reset). Pure arithmetic on
 * times passed in; request.c decides, logs and sleeps. */
#ifndef LC_PACING_H
#define LC_PACING_H

#include "client.h"
#include "transport.h"

/* lc_config.max_rate_wait_ms 0: two of RemoteLock's 60 s windows, so a
 * call can wait out a used-up window and a 429 after it. */
#define LC_DEFAULT_RATE_WAIT_MS 120000L

/* Slept past a reset, as a reset is a whole epoch second and clocks are
 * read in milliseconds: waking exactly on it could still be in the old
 * window. */
#define LC_PACE_MARGIN_MS 50

/* After a 429 that says nothing of when (no Retry-After, no reset). */
#define LC_PACE_UNKNOWN_MS 1000

/* A reset or Retry-After further away than this is not believed (a
 * hostile or broken header): the reset counts as unknown, a Retry-After
 * as this long (max_rate_wait refuses the wait). Keeps every product with
 * 1000 far from overflow. */
#define LC_PACE_MAX_AHEAD_S (365LL * 86400)

/* 429 answers one call waits out before the next is final, whatever is
 * left of max_rate_wait: a server answering Retry-After: 0 to every
 * resend must not be hammered. */
#define LC_PACE_MAX_429 10

/* The wait before sending: until the reset (plus the margin) when the
 * last answer left none of its window, else 0. now_epoch_ms: the wall
 * clock (lc_epoch_ms). */
long long lc_pace_before_ms(const lc_client *c, long long now_epoch_ms);

/* The wait after a 429 answer before sending again: Retry-After (whole
 * seconds, an upper bound) unless the answer's reset is sooner, else the
 * reset, else LC_PACE_UNKNOWN_MS; at least the margin, so a Retry-After
 * of 0 cannot make a tight loop. */
long long lc_pace_after_429_ms(const lc_http_resp *resp, long long now_epoch_ms);

/* Why a wait of ms may not be begun by a call that already waited waited
 * ms for rate limits: "max_rate_wait is off", "it is over what is left of
 * max_rate_wait", "it would pass the deadline"; NULL when it may. */
const char *lc_pace_refusal(const lc_client *c, long long waited, long long ms);

#endif
