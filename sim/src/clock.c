/* Simulator clock and ISO-8601 UTC helpers. */
#include "clock.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static double mono_seconds(const struct timespec *ts)
{
    return (double)ts->tv_sec + (double)ts->tv_nsec / 1e9;
}

static double elapsed(const sim_clock *c)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return mono_seconds(&now) - mono_seconds(&c->set_at);
}

void sim_clock_set(sim_clock *c, double epoch)
{
    c->base = epoch;
    clock_gettime(CLOCK_MONOTONIC, &c->set_at);
}

void sim_clock_advance(sim_clock *c, double seconds)
{
    sim_clock_set(c, c->base + elapsed(c) + seconds);
}

time_t sim_clock_now(const sim_clock *c)
{
    return (time_t)floor(c->base + elapsed(c));
}

/* Reads exactly n digits; -1 when something else is there. */
static long digits(const char **p, int n)
{
    long v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (!isdigit((unsigned char)**p))
            return -1;
        v = v * 10 + (**p - '0');
    }
    return v;
}

static int days_in_month(long year, long month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

int sim_time_parse(const char *s, time_t *out)
{
    if (!s)
        return -1;
    const char *p = s;
    long year = digits(&p, 4);
    if (year < 1970 || *p++ != '-')
        return -1;
    long mon = digits(&p, 2);
    if (mon < 1 || mon > 12 || *p++ != '-')
        return -1;
    long day = digits(&p, 2);
    if (day < 1 || day > days_in_month(year, mon) || (*p != 'T' && *p != 't'))
        return -1;
    p++;
    long hour = digits(&p, 2);
    if (hour < 0 || hour > 23 || *p++ != ':')
        return -1;
    long min = digits(&p, 2);
    if (min < 0 || min > 59 || *p++ != ':')
        return -1;
    long sec = digits(&p, 2);
    if (sec < 0 || sec > 60)
        return -1;
    if (*p == '.') {  /* fractions are accepted and dropped */
        p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        while (isdigit((unsigned char)*p))
            p++;
    }
    long offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1;
        long oh = digits(&p, 2);
        if (oh < 0 || oh > 23 || *p++ != ':')
            return -1;
        long om = digits(&p, 2);
        if (om < 0 || om > 59)
            return -1;
        offset = sign * (oh * 3600 + om * 60);
    } else {
        return -1;
    }
    if (*p != '\0')
        return -1;
    struct tm tm = {
        .tm_year = (int)(year - 1900), .tm_mon = (int)(mon - 1), .tm_mday = (int)day,
        .tm_hour = (int)hour, .tm_min = (int)min, .tm_sec = (int)sec,
    };
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return -1;
    /* An offset must not carry the instant outside 1970..9999 (UTC), the
     * range every other clock input keeps to and the formatters can print. */
    if (t - offset < 0 || t - offset > SIM_TIME_LATEST)
        return -1;
    *out = t - offset;
    return 0;
}

void sim_time_format(time_t t, char *out, size_t len)
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, len, "1970-01-01T00:00:00Z");
}
