/* TZif reader and POSIX TZ rules (RFC 8536, POSIX.1-2017 8.3): see
 * tzfile.h. Every count and index in the file is checked against the bytes
 * there before use. */
#include <stdlib.h>
#include <string.h>

#include "tzfile.h"

#define HEADER_LEN 44
#define MAX_TIMES  100000 /* far beyond any real zone (a few hundred) */
#define MIN_UTOFF  (-89999) /* RFC 8536: -25 h < offset < 26 h */
#define MAX_UTOFF  93599

/* ---------------------------------------------------------------- calendar */

/* H. Hinnant's algorithms, exact for every int64 day count we produce. */
int64_t lcl_days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void lcl_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
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

static int parse_date(cursor *c, lcl_tz_date *d)
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

int lcl_tz_rule_parse(const char *s, size_t len, lcl_tz_rule *rule)
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
        rule->start = (lcl_tz_date){ 'M', 3, 2, 0, 7200 };
        rule->end = (lcl_tz_date){ 'M', 11, 1, 0, 7200 };
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
static int64_t rule_instant(int64_t y, const lcl_tz_date *d, int32_t off)
{
    int64_t days;
    if (d->kind == 'M') {
        int64_t first = lcl_days_from_civil(y, d->month, 1);
        int wday = (int)((first + 4) % 7 + 7) % 7; /* 1970-01-01 was a Thursday */
        int mday = 1 + (d->day - wday + 7) % 7 + (d->week - 1) * 7;
        while (mday > month_days(y, d->month))
            mday -= 7; /* week 5: the last such weekday */
        days = first + mday - 1;
    } else if (d->kind == 'J') {
        /* 1..365, February 29 never counted */
        days = lcl_days_from_civil(y, 1, 1) + d->day - 1 + (is_leap(y) && d->day >= 60);
    } else {
        days = lcl_days_from_civil(y, 1, 1) + d->day;
    }
    return days * 86400 + d->time - off;
}

static int32_t rule_offset(const lcl_tz_rule *r, int64_t t)
{
    int64_t y, start, end;
    int m, d;
    int dst;

    if (!r->has_dst)
        return r->std_off;
    lcl_civil_from_days(floor_div(t + r->std_off, 86400), &y, &m, &d);
    start = rule_instant(y, &r->start, r->std_off); /* given in standard time */
    end = rule_instant(y, &r->end, r->dst_off);     /* given in daylight time */
    if (start < end)
        dst = t >= start && t < end;
    else /* southern hemisphere: daylight time spans the new year */
        dst = !(t >= end && t < start);
    return dst ? r->dst_off : r->std_off;
}

/* ---------------------------------------------------------------- TZif */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct counts {
    size_t isut, isstd, leap, time, type, chars;
} counts;

static int read_header(const unsigned char *p, size_t len, counts *n, int *version)
{
    if (len < HEADER_LEN || memcmp(p, "TZif", 4) != 0)
        return -1;
    *version = p[4] == 0 ? 1 : p[4] - '0';
    if (*version < 1 || *version > 9)
        return -1;
    n->isut = be32(p + 20);
    n->isstd = be32(p + 24);
    n->leap = be32(p + 28);
    n->time = be32(p + 32);
    n->type = be32(p + 36);
    n->chars = be32(p + 40);
    return 0;
}

/* Bytes of a data block with tsize-byte times. */
static size_t block_len(const counts *n, size_t tsize)
{
    return n->time * tsize + n->time + n->type * 6 + n->chars + n->leap * (tsize + 4) +
           n->isstd + n->isut;
}

void lcl_tz_free(lcl_tz *tz)
{
    free(tz->times);
    free(tz->idx);
    free(tz->offs);
    memset(tz, 0, sizeof *tz);
}

static int fail(lcl_tz *tz, const char **why, const char *reason)
{
    lcl_tz_free(tz);
    *why = reason;
    return -1;
}

int lcl_tz_parse(const unsigned char *data, size_t len, lcl_tz *tz, const char **why)
{
    counts n;
    int version;
    size_t tsize = 4, pos = HEADER_LEN, i;
    const unsigned char *p;

    memset(tz, 0, sizeof *tz);
    if (read_header(data, len, &n, &version) != 0)
        return fail(tz, why, "not a TZif file");
    if (version >= 2) {
        /* skip the 32-bit block: the 64-bit one follows with its own header */
        if (n.time > MAX_TIMES || n.type > 256 || n.chars > 65536 || n.leap > MAX_TIMES ||
            n.isstd > 256 || n.isut > 256 || len - pos < block_len(&n, 4))
            return fail(tz, why, "truncated TZif file");
        pos += block_len(&n, 4);
        if (read_header(data + pos, len - pos, &n, &version) != 0)
            return fail(tz, why, "malformed TZif file (second header)");
        pos += HEADER_LEN;
        tsize = 8;
    }
    if (n.time > MAX_TIMES || n.type == 0 || n.type > 256 || n.chars > 65536 ||
        n.leap > MAX_TIMES || (n.isstd != 0 && n.isstd != n.type) ||
        (n.isut != 0 && n.isut != n.type))
        return fail(tz, why, "malformed TZif file (counts)");
    if (n.leap != 0)
        return fail(tz, why, "zone files with leap seconds (right/...) are not supported");
    if (len - pos < block_len(&n, tsize))
        return fail(tz, why, "truncated TZif file");

    tz->times = malloc((n.time ? n.time : 1) * sizeof *tz->times);
    tz->idx = malloc(n.time ? n.time : 1);
    tz->offs = malloc(n.type * sizeof *tz->offs);
    if (!tz->times || !tz->idx || !tz->offs)
        return fail(tz, why, "out of memory");
    tz->ntimes = n.time;
    tz->ntypes = n.type;
    p = data + pos;
    for (i = 0; i < n.time; i++) {
        tz->times[i] = tsize == 8 ? be64(p + i * 8) : (int64_t)(int32_t)be32(p + i * 4);
        if (i > 0 && tz->times[i] <= tz->times[i - 1])
            return fail(tz, why, "malformed TZif file (transitions out of order)");
    }
    p += n.time * tsize;
    for (i = 0; i < n.time; i++) {
        if (p[i] >= n.type)
            return fail(tz, why, "malformed TZif file (type index)");
        tz->idx[i] = p[i];
    }
    p += n.time;
    for (i = 0; i < n.type; i++) {
        int32_t off = (int32_t)be32(p + i * 6);
        if (off < MIN_UTOFF || off > MAX_UTOFF || p[i * 6 + 4] > 1 || p[i * 6 + 5] >= n.chars)
            return fail(tz, why, "malformed TZif file (local time type)");
        tz->offs[i] = off;
    }
    pos += block_len(&n, tsize);

    /* the footer: "\n<POSIX TZ rule>\n" (possibly empty) */
    if (version >= 2) {
        const unsigned char *nl;
        if (pos >= len || data[pos] != '\n')
            return fail(tz, why, "malformed TZif file (footer)");
        pos++;
        nl = memchr(data + pos, '\n', len - pos);
        if (nl == NULL)
            return fail(tz, why, "malformed TZif file (footer)");
        if (nl > data + pos) {
            if (lcl_tz_rule_parse((const char *)data + pos, (size_t)(nl - (data + pos)), &tz->rule) != 0)
                return fail(tz, why, "malformed TZif file (footer rule)");
            tz->has_rule = 1;
        }
    }
    return 0;
}

int32_t lcl_tz_offset(const lcl_tz *tz, int64_t t)
{
    size_t lo = 0, hi = tz->ntimes;

    if (tz->ntimes == 0 || t < tz->times[0]) {
        if (tz->ntimes == 0 && tz->has_rule)
            return rule_offset(&tz->rule, t);
        return tz->offs[0]; /* RFC 8536: type 0 before the first transition */
    }
    if (t >= tz->times[tz->ntimes - 1] && tz->has_rule)
        return rule_offset(&tz->rule, t);
    while (hi - lo > 1) { /* the last transition at or before t */
        size_t mid = lo + (hi - lo) / 2;
        if (tz->times[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return tz->offs[tz->idx[lo]];
}

int64_t lcl_tz_utc(const lcl_tz *tz, int64_t local, int *fold)
{
    /* Every answer t has local = t + offset(t), and offsets lie within
     * -25..+26 h, so the offsets in effect 26 h either side of local (and
     * those they lead to) are all the candidates. */
    int32_t cand[4];
    int64_t best = 0;
    int i, j, valid = 0;

    cand[0] = lcl_tz_offset(tz, local - 93600);
    cand[1] = lcl_tz_offset(tz, local + 93600);
    cand[2] = lcl_tz_offset(tz, local - cand[0]);
    cand[3] = lcl_tz_offset(tz, local - cand[1]);
    for (i = 0; i < 4; i++) {
        int64_t t = local - cand[i];
        int seen = 0;
        for (j = 0; j < i; j++)
            seen |= cand[j] == cand[i];
        if (seen || lcl_tz_offset(tz, t) != cand[i])
            continue;
        if (valid == 0 || t < best)
            best = t;
        valid++;
    }
    if (valid == 0) {
        /* a wall-clock time skipped by the clocks: read it with the offset
         * before the change, which lands as far past the change as the
         * time was past the skipped hour's start */
        *fold = -1;
        return local - cand[0];
    }
    *fold = valid > 1;
    return best;
}
