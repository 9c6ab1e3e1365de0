/* POSIX TZ rules (POSIX.1-2017 8.3, RFC 8536 3.3: the TZif footer, e.g.
 * "CET-1CEST,M3.5.0,M10.5.0/3"), which govern the instants after a zone
 * file's last transition. Internal to tz.c; the calendar it needs is the
 * one declared in tz.h. */
#ifndef LC_TZ_RULE_H
#define LC_TZ_RULE_H

#include <stddef.h>
#include <stdint.h>

typedef struct lc_tz_date {
    char kind;       /* 'M' (month.week.day), 'J' (Julian, no Feb 29), 'D' (zero-based day) */
    int month, week, day;
    int32_t time;    /* seconds after local midnight the change happens */
} lc_tz_date;

typedef struct lc_tz_rule {
    int32_t std_off, dst_off; /* seconds east of UTC */
    int has_dst;
    lc_tz_date start, end;
} lc_tz_rule;

/* Instants beyond +-2^59 s (18 billion years) are read as the bound, so no
 * arithmetic on a hostile instant can overflow. */
#define LC_TZ_T_LIMIT ((int64_t)1 << 59)

/* Parses s[0..len); 0, or -1 when it is not a POSIX TZ rule. */
int lc_tz_rule_parse(const char *s, size_t len, lc_tz_rule *rule);

/* UTC offset the rule gives at instant t. */
int32_t lc_tz_rule_offset(const lc_tz_rule *r, int64_t t);

/* The first instant after t at which the rule's offset differs from the
 * one at t, or INT64_MAX when it never changes again. */
int64_t lc_tz_rule_next_change(const lc_tz_rule *r, int64_t t);

#endif
