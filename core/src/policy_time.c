/* Times in documents, read without the C library's time zone machinery
 * (no TZ, no locale: the module runs inside sshd). A wall-clock time of an
 * unknown zone becomes the range of instants it can mean, so a decision
 * built on it errs towards "changes sooner", never later. */
#include <stdio.h>
#include <string.h>

#include "policy_internal.h"
#include "tz.h"

#define ZONE_EAST_MAX (14 * 3600) /* UTC+14 (Kiribati) */
#define ZONE_WEST_MAX (12 * 3600) /* UTC-12 */

static int days_in_month(int y, int m)
{
    static const int len[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : len[m - 1];
}

/* n digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Fills earliest/latest from the fields; offset_s east of UTC when zoned. */
static int settle(lc_pol_time *t, int zoned, int offset_s)
{
    int64_t local;

    if (t->year < 1 || t->month < 1 || t->month > 12 || t->day < 1 ||
        t->day > days_in_month(t->year, t->month) || t->hour > 23 || t->min > 59 ||
        t->sec > 59)
        return -1;
    local = lc_days_from_civil(t->year, t->month, t->day) * 86400 + t->hour * 3600 +
            t->min * 60 + t->sec;
    t->zoned = zoned;
    if (zoned) {
        t->earliest = t->latest = local - offset_s;
    } else {
        t->earliest = local - ZONE_EAST_MAX;
        t->latest = local + ZONE_WEST_MAX;
    }
    return 0;
}

int lc_pol_time_parse(const char *s, lc_pol_time *t)
{
    int offset = 0, zoned = 0;
    const char *z;

    memset(t, 0, sizeof *t);
    if (!s || strlen(s) < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':')
        return -1;
    t->year = digits(s, 4);
    t->month = digits(s + 5, 2);
    t->day = digits(s + 8, 2);
    t->hour = digits(s + 11, 2);
    t->min = digits(s + 14, 2);
    t->sec = digits(s + 17, 2);
    if (t->year < 0 || t->month < 0 || t->day < 0 || t->hour < 0 || t->min < 0 || t->sec < 0)
        return -1;
    z = s + 19;
    if (strcmp(z, "Z") == 0) {
        zoned = 1;
    } else if ((z[0] == '+' || z[0] == '-') && strlen(z) == 6 && z[3] == ':') {
        int h = digits(z + 1, 2), m = digits(z + 4, 2);
        if (h < 0 || m < 0 || h > 14 || m > 59)
            return -1;
        offset = (h * 3600 + m * 60) * (z[0] == '-' ? -1 : 1);
        zoned = 1;
    } else if (*z) {
        return -1;
    }
    return settle(t, zoned, offset);
}

int lc_pol_time_at_clock(const lc_pol_time *t, const char *clock, lc_pol_time *out)
{
    int64_t offset;
    size_t n = clock ? strlen(clock) : 0;

    if ((n != 5 && n != 8) || clock[2] != ':' || (n == 8 && clock[5] != ':'))
        return -1;
    *out = *t;
    out->hour = digits(clock, 2);
    out->min = digits(clock + 3, 2);
    out->sec = n == 8 ? digits(clock + 6, 2) : 0;
    if (out->hour < 0 || out->min < 0 || out->sec < 0)
        return -1;
    /* The offset t was read with, recovered from its own fields. */
    offset = lc_days_from_civil(t->year, t->month, t->day) * 86400 + t->hour * 3600 + t->min * 60 +
             t->sec - t->earliest;
    return settle(out, t->zoned, t->zoned ? (int)offset : 0);
}

void lc_pol_time_show(const lc_pol_time *t, char *buf, size_t len)
{
    snprintf(buf, len, "%04d-%02d-%02d %02d:%02d", t->year % 10000, t->month % 100,
             t->day % 100, t->hour % 100, t->min % 100);
}

void lc_pol_duration_show(long seconds, char *buf, size_t len)
{
    if (seconds > 0 && seconds % 86400 == 0)
        snprintf(buf, len, "%ldd", seconds / 86400);
    else if (seconds > 0 && seconds % 3600 == 0)
        snprintf(buf, len, "%ldh", seconds / 3600);
    else if (seconds > 0 && seconds % 60 == 0)
        snprintf(buf, len, "%ldm", seconds / 60);
    else
        snprintf(buf, len, "%lds", seconds);
}
