/* A time zone from the system's zoneinfo (RFC 8536 TZif, versions 1-4):
 * its UTC offset at any instant, without touching the process-global TZ
 * (setenv + tzset would race with every other thread and library using
 * localtime). Pure C over bytes: reading the file is the caller's job. */
#ifndef LCL_TZFILE_H
#define LCL_TZFILE_H

#include <stddef.h>
#include <stdint.h>

/* A POSIX TZ rule (the TZif footer, e.g. "CET-1CEST,M3.5.0,M10.5.0/3"),
 * which governs instants after the last transition. Offsets are seconds
 * east of UTC. */
typedef struct lcl_tz_date {
    char kind;          /* 'M' (month.week.day), 'J' (Julian, no Feb 29), 'D' (zero-based day) */
    int month, week, day;
    int32_t time;       /* seconds after local midnight the change happens */
} lcl_tz_date;

typedef struct lcl_tz_rule {
    int32_t std_off, dst_off;
    int has_dst;
    lcl_tz_date start, end;
} lcl_tz_rule;

typedef struct lcl_tz {
    int64_t *times;      /* transition instants, ascending */
    unsigned char *idx;  /* local time type of each transition */
    int32_t *offs;       /* UTC offset of each local time type */
    size_t ntimes, ntypes;
    int has_rule;
    lcl_tz_rule rule;
} lcl_tz;

/* Parses a TZif file's bytes into *tz (arrays malloc'ed; free with
 * lcl_tz_free). Returns 0, or -1 with a reason in why (malformed or
 * truncated data, out of memory); tz is then empty. */
int lcl_tz_parse(const unsigned char *data, size_t len, lcl_tz *tz, const char **why);
void lcl_tz_free(lcl_tz *tz);

/* Parses a POSIX TZ rule; 0, or -1 when it is not one. */
int lcl_tz_rule_parse(const char *s, size_t len, lcl_tz_rule *rule);

/* UTC offset (seconds east) in effect at the instant t (Unix seconds). */
int32_t lcl_tz_offset(const lcl_tz *tz, int64_t t);

/* The instant whose local wall-clock time is local (seconds since the
 * epoch, counted as if local were UTC). *fold is 0 when there is exactly
 * one, 1 when the wall-clock time happens twice (clocks turned back: the
 * earlier instant is returned) and -1 when it never happens (clocks turned
 * forward: the wall-clock time is moved forward by the gap, as the clocks
 * were: 02:30 on a spring-forward night in Denver is 03:30). */
int64_t lcl_tz_utc(const lcl_tz *tz, int64_t local, int *fold);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t lcl_days_from_civil(int64_t y, int m, int d);
void lcl_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

#endif
