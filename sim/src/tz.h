/*
 * Time parsing, formatting and zone conversion for the simulator's
 * resources. RemoteLock mixes two clocks: resource timestamps are UTC
 * ("2026-03-10T12:00:00Z") while guest windows are wall-clock times with no
 * zone ("2026-03-10T12:00:00") read in the lock's location time zone.
 */
#ifndef SIM_TZ_H
#define SIM_TZ_H

#include <time.h>

#define TZ_LOCAL_LEN 20 /* "YYYY-MM-DDTHH:MM:SS" + NUL  */
#define TZ_UTC_LEN   21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */
#define TZ_CLOCK_LEN 9  /* "HH:MM:SS" + NUL             */
#define TZ_NAME_MAX  64

/* 1 when zone names a tz database zone that exists on this system. */
int tz_zone_valid(const char *zone);

/* Wall-clock time of instant t in zone, as "YYYY-MM-DDTHH:MM:SS".
 * Returns 0, or -1 when the conversion fails. */
int tz_local_time(const char *zone, time_t t, char out[TZ_LOCAL_LEN]);

/* Validates an ISO 8601 local timestamp ("YYYY-MM-DDTHH:MM[:SS]", an
 * optional trailing "Z" is accepted and dropped, as the API does) and writes
 * it normalised to seconds. Returns 0, or -1 when invalid. */
int tz_parse_local(const char *s, char out[TZ_LOCAL_LEN]);

/* Parses a UTC timestamp "YYYY-MM-DDTHH:MM:SSZ". Returns 0 or -1. */
int tz_parse_utc(const char *s, time_t *out);

void tz_format_utc(time_t t, char out[TZ_UTC_LEN]);

/* "HH:MM" or "HH:MM:SS" (24 h) to "HH:MM:SS". Returns 0 or -1. */
int tz_parse_clock(const char *s, char out[TZ_CLOCK_LEN]);

#endif
