/* POSIX TZ rules and the proleptic Gregorian calendar: see tz_rule.h. */
#include <string.h>

#include "tz.h"
#include "tz_rule.h"

/* ---------------------------------------------------------------- calendar */

/* H. Hinnant's algorithms, exact for every int64 day count we produce. */
int64_t lc_days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void lc_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return days[m - 1] + (m == 2 && is_leap(y));
}

/* ---------------------------------------------------------------- POSIX rules */

typedef struct cursor {
    const char *p, *end;
} cursor;

static int peek(const cursor *c)
{
    return c->p < c->end ? (unsigned char)*c->p : -1;
}

static int digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

static int alpha(int ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

/* A zone abbreviation: 3+ letters, or <...> of letters, digits, + and -. */
static int parse_name(cursor *c)
{
    const char *start = c->p;
    if (peek(c) == '<') {
        c->p++;
        while (peek(c) != '>') {
            int ch = peek(c);
            if (!(alpha(ch) || digit(ch) || ch == '+' || ch == '-'))
                return -1;
            c->p++;
        }
        c->p++;
        return c->p - start >= 5 ? 0 : -1;
    }
    while (alpha(peek(c)))
        c->p++;
    return c->p - start >= 3 ? 0 : -1;
}

static int parse_number(cursor *c, int max, int *out)
{
    int v = 0, n = 0;
    while (digit(peek(c))) {
        v = v * 10 + (peek(c) - '0');
        c->p++;
        if (++n > 3 || v > max)
            return -1;
    }
    *out = v;
    return n > 0 ? 0 : -1;
}

/* [+-]hh[:mm[:ss]] in seconds, hh at most max_hours. */
static int parse_hms(cursor *c, int max_hours, int32_t *out)
{
    int sign = 1, h, m = 0, s = 0;
    if (peek(c) == '+' || peek(c) == '-') {
        sign = peek(c) == '-' ? -1 : 1;
        c->p++;
    }
    if (parse_number(c, max_hours, &h) != 0)
        return -1;
    if (peek(c) == ':') {
        c->p++;
        if (parse_number(c, 59, &m) != 0)
            return -1;
        if (peek(c) == ':') {
            c->p++;
            if (parse_number(c, 59, &s) != 0)
                return -1;
        }
    }
    *out = sign * (h * 3600 + m * 60 + s);
    return 0;
}

static int parse_date(cursor *c, lc_tz_date *d)
{
    d->time = 7200; /* 02:00 unless given */
    if (peek(c) == 'M') {
        c->p++;
        d->kind = 'M';
        if (parse_number(c, 12, &d->month) != 0 || d->month < 1 || peek(c) != '.')
            return -1;
        c->p++;
        if (parse_number(c, 5, &d->week) != 0 || d->week < 1 || peek(c) != '.')
            return -1;
        c->p++;
        if (parse_number(c, 6, &d->day) != 0)
            return -1;
    } else if (peek(c) == 'J') {
        c->p++;
        d->kind = 'J';
        if (parse_number(c, 365, &d->day) != 0 || d->day < 1)
            return -1;
    } else {
        d->kind = 'D';
        if (parse_number(c, 365, &d->day) != 0)
            return -1;
    }
    if (peek(c) == '/') {
        c->p++;
        /* RFC 8536 3.3.1: -167..167 hours */
        if (parse_hms(c, 167, &d->time) != 0)
            return -1;
    }
    return 0;
}

int lc_tz_rule_parse(const char *s, size_t len, lc_tz_rule *rule)
{
    cursor c = { s, s + len };
    int32_t off;

    memset(rule, 0, sizeof *rule);
    if (parse_name(&c) != 0 || parse_hms(&c, 24, &off) != 0)
        return -1;
    rule->std_off = rule->dst_off = -off; /* POSIX counts west of UTC */
    if (c.p == c.end)
        return 0;
    if (parse_name(&c) != 0)
        return -1;
    rule->has_dst = 1;
    rule->dst_off = rule->std_off + 3600;
    if (peek(&c) != ',' && c.p != c.end) {
        if (parse_hms(&c, 24, &off) != 0)
            return -1;
        rule->dst_off = -off;
    }
    if (c.p == c.end) {
        /* no dates: POSIX leaves them to the implementation; tzcode's
         * default is the US rule */
        rule->start = (lc_tz_date){ 'M', 3, 2, 0, 7200 };
        rule->end = (lc_tz_date){ 'M', 11, 1, 0, 7200 };
        return 0;
    }
    if (peek(&c) != ',')
        return -1;
    c.p++;
    if (parse_date(&c, &rule->start) != 0 || peek(&c) != ',')
        return -1;
    c.p++;
    if (parse_date(&c, &rule->end) != 0)
        return -1;
    return c.p == c.end ? 0 : -1;
}

/* The instant a rule's date happens in year y, the wall clock showing
 * local time with offset off. */
static int64_t rule_instant(int64_t y, const lc_tz_date *d, int32_t off)
{
    int64_t days;
    if (d->kind == 'M') {
        int64_t first = lc_days_from_civil(y, d->month, 1);
        int wday = (int)((first + 4) % 7 + 7) % 7; /* 1970-01-01 was a Thursday */
        int mday = 1 + (d->day - wday + 7) % 7 + (d->week - 1) * 7;
        while (mday > month_days(y, d->month))
            mday -= 7; /* week 5: the last such weekday */
        days = first + mday - 1;
    } else if (d->kind == 'J') {
        /* 1..365, February 29 never counted */
        days = lc_days_from_civil(y, 1, 1) + d->day - 1 + (is_leap(y) && d->day >= 60);
    } else {
        days = lc_days_from_civil(y, 1, 1) + d->day;
    }
    return days * 86400 + d->time - off;
}

static int64_t clamp_t(int64_t t)
{
    return t < -LC_TZ_T_LIMIT ? -LC_TZ_T_LIMIT : t > LC_TZ_T_LIMIT ? LC_TZ_T_LIMIT : t;
}

/* The year whose rule dates decide instant t: the local standard-time year. */
static int64_t rule_year(const lc_tz_rule *r, int64_t t)
{
    int64_t y;
    int m, d;
    lc_civil_from_days(floor_div(t + r->std_off, 86400), &y, &m, &d);
    return y;
}

int32_t lc_tz_rule_offset(const lc_tz_rule *r, int64_t t)
{
    int64_t y, start, end;
    int dst;

    if (!r->has_dst)
        return r->std_off;
    t = clamp_t(t);
    y = rule_year(r, t);
    start = rule_instant(y, &r->start, r->std_off); /* given in standard time */
    end = rule_instant(y, &r->end, r->dst_off);     /* given in daylight time */
    if (start < end)
        dst = t >= start && t < end;
    else /* southern hemisphere: daylight time spans the new year */
        dst = !(t >= end && t < start);
    return dst ? r->dst_off : r->std_off;
}

int64_t lc_tz_rule_next_change(const lc_tz_rule *r, int64_t t)
{
    int64_t best = INT64_MAX, y0, y;
    int32_t cur;

    if (!r->has_dst || t >= LC_TZ_T_LIMIT)
        return INT64_MAX;
    t = clamp_t(t);
    cur = lc_tz_rule_offset(r, t);
    y0 = rule_year(r, t);
    /* The offset is constant between consecutive candidates (each year's
     * two dates and its first instant, where rule_year moves on), so the
     * first change is the earliest candidate after t whose offset differs.
     * A year's candidates lie within 9 days of it (times up to 167 h,
     * offsets up to 26 h), so once one is found the next year cannot hold
     * an earlier one. The Gregorian calendar repeats every 400 years,
     * weekdays included: a rule with no change in 401 years has none. */
    for (y = y0 - 1; y <= y0 + 401; y++) {
        int64_t cand[3];
        int i;
        cand[0] = rule_instant(y, &r->start, r->std_off);
        cand[1] = rule_instant(y, &r->end, r->dst_off);
        cand[2] = lc_days_from_civil(y, 1, 1) * 86400 - r->std_off;
        for (i = 0; i < 3; i++)
            if (cand[i] > t && cand[i] < best && lc_tz_rule_offset(r, cand[i]) != cur)
                best = cand[i];
        if (best < (lc_days_from_civil(y + 1, 1, 1) - 9) * 86400)
            break;
    }
    return best;
}
