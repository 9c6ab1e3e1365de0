/* Simulator clock: a settable UTC time that advances with real (monotonic)
 * time from the moment it was set, plus ISO-8601 helpers. */
#ifndef SIM_CLOCK_H
#define SIM_CLOCK_H

#include <time.h>

typedef struct sim_clock {
    double base;            /* epoch seconds at set_at */
    struct timespec set_at; /* CLOCK_MONOTONIC         */
} sim_clock;

void sim_clock_set(sim_clock *c, double epoch);
void sim_clock_advance(sim_clock *c, double seconds);
time_t sim_clock_now(const sim_clock *c);

#define SIM_TIME_LATEST ((time_t)253402300799) /* 9999-12-31T23:59:59Z */

/* Parses "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)" (a zone is required).
 * Returns 0 and sets *out, or -1 (also for an instant outside 1970..9999 UTC). */
int sim_time_parse(const char *s, time_t *out);

/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 32 bytes). */
void sim_time_format(time_t t, char *out, size_t len);

#endif
