/* TZif reader (RFC 8536) and zone loading: see tz.h. Every count and
 * index in the file is checked against the bytes there before use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "safe_file.h"
#include "tz.h"
#include "tz_rule.h"

#define HEADER_LEN    44
#define MAX_TIMES     100000 /* far beyond any real zone (a few hundred) */
#define MIN_UTOFF     (-89999) /* RFC 8536: -25 h < offset < 26 h */
#define MAX_UTOFF     93599
#define MAX_ZONE_FILE (64 * 1024) /* real ones: under 4 KiB */

struct lc_tz {
    int64_t *times;     /* transition instants, ascending */
    unsigned char *idx; /* local time type of each transition */
    int32_t *offs;      /* UTC offset of each local time type */
    size_t ntimes, ntypes;
    int has_rule;       /* the footer governs from the last transition on */
    lc_tz_rule rule;
};

/* ---------------------------------------------------------------- names */

int lc_tz_name_ok(const char *s, size_t len)
{
    size_t i;
    int start = 1;

    if (s == NULL || len == 0 || len > LC_TZ_NAME_MAX)
        return 0;
    for (i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '/') {
            if (start)
                return 0;
            start = 1;
            continue;
        }
        if (start && !(ch >= 'A' && ch <= 'Z'))
            return 0;
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '+' || ch == '-'))
            return 0;
        start = 0;
    }
    return !start;
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

void lc_tz_free(lc_tz *tz)
{
    if (tz == NULL)
        return;
    free(tz->times);
    free(tz->idx);
    free(tz->offs);
    free(tz);
}

static lc_tz *fail(lc_tz *tz, lc_error *err, const char *reason)
{
    lc_tz_free(tz);
    lc_err_set(err, LC_ERR_PARSE, "%s", reason);
    return NULL;
}

/* The 64-bit data block at data + pos (v2+; the 32-bit one in v1) into tz. */
static lc_tz *read_block(lc_tz *tz, const unsigned char *p, const counts *n, size_t tsize,
                         lc_error *err)
{
    size_t i;

    tz->times = malloc((n->time ? n->time : 1) * sizeof *tz->times);
    tz->idx = malloc(n->time ? n->time : 1);
    tz->offs = malloc(n->type * sizeof *tz->offs);
    if (!tz->times || !tz->idx || !tz->offs) {
        lc_tz_free(tz);
        lc_err_set(err, LC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    tz->ntimes = n->time;
    tz->ntypes = n->type;
    for (i = 0; i < n->time; i++) {
        tz->times[i] = tsize == 8 ? be64(p + i * 8) : (int64_t)(int32_t)be32(p + i * 4);
        if (i > 0 && tz->times[i] <= tz->times[i - 1])
            return fail(tz, err, "malformed TZif file (transitions out of order)");
    }
    p += n->time * tsize;
    for (i = 0; i < n->time; i++) {
        if (p[i] >= n->type)
            return fail(tz, err, "malformed TZif file (type index)");
        tz->idx[i] = p[i];
    }
    p += n->time;
    for (i = 0; i < n->type; i++) {
        int32_t off = (int32_t)be32(p + i * 6);
        if (off < MIN_UTOFF || off > MAX_UTOFF || p[i * 6 + 4] > 1 || p[i * 6 + 5] >= n->chars)
            return fail(tz, err, "malformed TZif file (local time type)");
        tz->offs[i] = off;
    }
    return tz;
}

lc_tz *lc_tz_parse(const unsigned char *data, size_t len, lc_error *err)
{
    counts n;
    int version;
    size_t tsize = 4, pos = HEADER_LEN;
    lc_tz *tz;

    if (data == NULL || read_header(data, len, &n, &version) != 0)
        return fail(NULL, err, "not a TZif file");
    if (version >= 2) {
        /* skip the 32-bit block: the 64-bit one follows with its own header */
        if (n.time > MAX_TIMES || n.type > 256 || n.chars > 65536 || n.leap > MAX_TIMES ||
            n.isstd > 256 || n.isut > 256 || len - pos < block_len(&n, 4))
            return fail(NULL, err, "truncated TZif file");
        pos += block_len(&n, 4);
        if (read_header(data + pos, len - pos, &n, &version) != 0)
            return fail(NULL, err, "malformed TZif file (second header)");
        pos += HEADER_LEN;
        tsize = 8;
    }
    if (n.time > MAX_TIMES || n.type == 0 || n.type > 256 || n.chars > 65536 ||
        n.leap > MAX_TIMES || (n.isstd != 0 && n.isstd != n.type) ||
        (n.isut != 0 && n.isut != n.type))
        return fail(NULL, err, "malformed TZif file (counts)");
    if (n.leap != 0)
        return fail(NULL, err, "zone files with leap seconds (right/...) are not supported");
    if (len - pos < block_len(&n, tsize))
        return fail(NULL, err, "truncated TZif file");

    tz = calloc(1, sizeof *tz);
    if (tz == NULL) {
        lc_err_set(err, LC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (read_block(tz, data + pos, &n, tsize, err) == NULL)
        return NULL;
    pos += block_len(&n, tsize);

    /* the footer: "\n<POSIX TZ rule>\n" (possibly empty) */
    if (version >= 2) {
        const unsigned char *nl;
        if (pos >= len || data[pos] != '\n')
            return fail(tz, err, "malformed TZif file (footer)");
        pos++;
        nl = memchr(data + pos, '\n', len - pos);
        if (nl == NULL)
            return fail(tz, err, "malformed TZif file (footer)");
        if (nl > data + pos) {
            if (lc_tz_rule_parse((const char *)data + pos, (size_t)(nl - (data + pos)), &tz->rule) != 0)
                return fail(tz, err, "malformed TZif file (footer rule)");
            tz->has_rule = 1;
        }
    }
    return tz;
}

/* ---------------------------------------------------------------- loading */

lc_tz *lc_tz_load_dir(const char *dir, const char *name, lc_error *err)
{
    static const lc_file_rules rules = {
        "zone file", MAX_ZONE_FILE,
        LC_FILE_ABSOLUTE | LC_FILE_FOLLOW | LC_FILE_BINARY | LC_FILE_MISSING_OK, 0
    };
    char path[4096];
    lc_file f;
    lc_tz *tz;
    int n;

    if (name == NULL || !lc_tz_name_ok(name, strnlen(name, LC_TZ_NAME_MAX + 1))) {
        lc_err_set(err, LC_ERR_IO, "not an IANA time zone name (like 'America/Denver', "
                   "'Etc/GMT+7' or 'UTC': each part starts with an uppercase letter)");
        return NULL;
    }
    n = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof path) {
        lc_err_set(err, LC_ERR_IO, "zone directory path too long");
        return NULL;
    }
    if (lc_file_read(path, &rules, &f, err) != LC_OK)
        return NULL;
    if (f.data == NULL) {
        lc_err_set(err, LC_ERR_IO, "unknown time zone");
        return NULL;
    }
    tz = lc_tz_parse((const unsigned char *)f.data, f.len, err);
    lc_file_free(&f);
    return tz;
}

lc_tz *lc_tz_load(const char *name, lc_error *err)
{
    return lc_tz_load_dir(LC_TZ_DIR, name, err);
}

/* ---------------------------------------------------------------- queries */

/* Offset from transition i on (the footer's from the last one on). */
static int32_t offset_from(const lc_tz *tz, size_t i)
{
    if (i == tz->ntimes - 1 && tz->has_rule)
        return lc_tz_rule_offset(&tz->rule, tz->times[i]);
    return tz->offs[tz->idx[i]];
}

/* Index of the first transition after t (ntimes when none). */
static size_t first_after(const lc_tz *tz, int64_t t)
{
    size_t lo = 0, hi = tz->ntimes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tz->times[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int32_t lc_tz_offset_at(const lc_tz *tz, int64_t t)
{
    size_t i;

    if (tz->ntimes == 0)
        return tz->has_rule ? lc_tz_rule_offset(&tz->rule, t) : tz->offs[0];
    i = first_after(tz, t);
    if (i == 0)
        return tz->offs[0]; /* RFC 8536: type 0 before the first transition */
    if (i == tz->ntimes && tz->has_rule)
        return lc_tz_rule_offset(&tz->rule, t);
    return tz->offs[tz->idx[i - 1]];
}

int64_t lc_tz_next_change(const lc_tz *tz, int64_t t)
{
    int32_t cur = lc_tz_offset_at(tz, t);
    size_t i;

    for (i = first_after(tz, t); i < tz->ntimes; i++)
        if (offset_from(tz, i) != cur)
            return tz->times[i];
    if (!tz->has_rule)
        return INT64_MAX;
    /* the rule's own changes, from the last transition on */
    if (tz->ntimes > 0 && t < tz->times[tz->ntimes - 1])
        t = tz->times[tz->ntimes - 1];
    return lc_tz_rule_next_change(&tz->rule, t);
}

int64_t lc_tz_utc(const lc_tz *tz, int64_t local, int *fold)
{
    /* Every answer t has local = t + offset(t), and offsets lie within
     * -25..+26 h, so the offsets in effect 26 h either side of local (and
     * those they lead to) are all the candidates. */
    int32_t cand[4];
    int64_t best = 0;
    int i, j, valid = 0;

    if (local < -LC_TZ_T_LIMIT)
        local = -LC_TZ_T_LIMIT;
    if (local > LC_TZ_T_LIMIT)
        local = LC_TZ_T_LIMIT;
    cand[0] = lc_tz_offset_at(tz, local - 93600);
    cand[1] = lc_tz_offset_at(tz, local + 93600);
    cand[2] = lc_tz_offset_at(tz, local - cand[0]);
    cand[3] = lc_tz_offset_at(tz, local - cand[1]);
    for (i = 0; i < 4; i++) {
        int64_t t = local - cand[i];
        int seen = 0;
        for (j = 0; j < i; j++)
            seen |= cand[j] == cand[i];
        if (seen || lc_tz_offset_at(tz, t) != cand[i])
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
