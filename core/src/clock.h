/* The clocks and the sleep of the core, curl-free on purpose: the PAM
 * module's cached path (file_lock.c) uses them without the client. */
#ifndef LC_CLOCK_H
#define LC_CLOCK_H

/* CLOCK_MONOTONIC in milliseconds. */
long long lc_now_ms(void);
/* CLOCK_REALTIME in milliseconds (rate-limit resets are epoch seconds). */
long long lc_epoch_ms(void);
/* Sleeps ms milliseconds (whole, through signals); nothing for ms <= 0. */
void lc_sleep_ms(long long ms);

#endif
