/* Decision records: key, text, pure rules; see decision_record.h. */
#include "decision_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

/* The core's internals (linked statically), curl-free. */
#include "../core/src/errors.h"
#include "../core/src/text.h"

/* Times are at most 12 digits: year 33658, far from overflow when added. */
#define TIME_MAX 999999999999LL

/* ---- configuration ------------------------------------------------------- */

enum { CK_DIR, CK_TTL, CK_NEGATIVE_TTL, CK_OFFLINE_GRACE, CK_COUNT };

static const char *const cache_keys[CK_COUNT] = {
    "cache_dir", "cache_ttl", "cache_negative_ttl", "offline_grace"
};
/* The largest value of each seconds key. */
static const long cache_key_max[CK_COUNT] = { 0, 86400, 3600, 604800 };

static const lc_option cache_dir_row = {
    "cache_dir", LC_OPT_PATH, LC_OPT_NO_FIELD, 0, 4096, 0,
    "the private (0700) directory of the decision cache"
};

void lcpam_cache_conf_defaults(lcpam_cache_conf *cc)
{
    memset(cc, 0, sizeof *cc);
    cc->ttl_s = LCPAM_CACHE_TTL_DEFAULT;
    cc->negative_ttl_s = LCPAM_CACHE_NEGATIVE_TTL_DEFAULT;
    cc->offline_grace_s = LCPAM_CACHE_OFFLINE_GRACE_DEFAULT;
}

static long *seconds_slot(lcpam_cache_conf *cc, int key)
{
    return key == CK_TTL ? &cc->ttl_s : key == CK_NEGATIVE_TTL ? &cc->negative_ttl_s
                                                               : &cc->offline_grace_s;
}

int lcpam_cache_conf_set(lcpam_cache_conf *cc, const char *key, const char *value, char *err,
                         size_t errlen)
{
    int k = lcpam_key_claim(cache_keys, CK_COUNT, key, &cc->seen, err, errlen);
    size_t n;

    if (k < 0)
        return k == LCPAM_KEY_OTHER ? 1 : -1;
    if (k == CK_DIR)
        return lcpam_option_copy(&cache_dir_row, value, &cc->dir, err, errlen);
    /* Whole seconds, digits only: no sign, no unit, no overflow. */
    n = strlen(value);
    if (n == 0 || n > 7 || strspn(value, "0123456789") != n ||
        strtol(value, NULL, 10) > cache_key_max[k]) {
        snprintf(err, errlen, "%s must be whole seconds from 0 to %ld", cache_keys[k],
                 cache_key_max[k]);
        return -1;
    }
    *seconds_slot(cc, k) = strtol(value, NULL, 10);
    return 0;
}

void lcpam_cache_conf_free(lcpam_cache_conf *cc)
{
    if (!cc)
        return;
    free(cc->dir);
    cc->dir = NULL;
}

/* ---- field checks, shared by the key, the writer and the reader ---------- */

/* No control character (C0, DEL, C1) and well-formed UTF-8: a value can
 * neither end its line early nor forge one. */
static int text_ok(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        size_t l = lc_text_utf8_len(u + i, n - i);
        if (l == 0 || (l == 1 && (u[i] < 0x20 || u[i] == 0x7f)) ||
            (l == 2 && u[i] == 0xc2 && u[i + 1] < 0xa0))
            return 0;
        i += l;
    }
    return 1;
}

static int vendor_ok(const char *s, size_t n)
{
    if (n < 1 || n > LCPAM_CACHE_VENDOR_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
              s[i] == '-'))
            return 0;
    return 1;
}

static int person_ok(const char *s, size_t n)
{
    if (n < 1 || n > LCPAM_CACHE_PERSON_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
            return 0;
    return 1;
}

static int rule_ok(const char *s, size_t n)
{
    return n >= 1 && n <= LCPAM_CACHE_RULE_MAX && text_ok(s, n);
}

/* The name of the first bad key field, or NULL. */
static const char *key_bad(const char *vendor, const char *person, const char *rule)
{
    if (!vendor || !vendor_ok(vendor, strlen(vendor)))
        return "vendor";
    if (!person || !person_ok(person, strlen(person)))
        return "person id";
    if (!rule || !rule_ok(rule, strlen(rule)))
        return "rule";
    return NULL;
}

static int time_ok(long long t)
{
    return t >= 0 && t <= TIME_MAX;
}

/* The invariants every record keeps, checked before writing and after
 * reading: a record that breaks one was not written by us. */
static const char *record_bad(const lcpam_decision_record *r)
{
    const char *bad = key_bad(r->vendor, r->person_id, r->rule);
    size_t rn = strnlen(r->reason, sizeof r->reason);

    if (bad)
        return bad;
    if (r->allow != 0 && r->allow != 1)
        return "decision";
    if (rn == sizeof r->reason || !text_ok(r->reason, rn))
        return "reason";
    if (r->decided_at < 1 || !time_ok(r->decided_at) || !time_ok(r->valid_until) ||
        !time_ok(r->stay_end) || r->valid_until < r->decided_at)
        return "times";
    /* An allow is never fresh past its stay end. */
    if (r->allow && r->stay_end && r->valid_until > r->stay_end &&
        r->valid_until > r->decided_at)
        return "times";
    if (r->source != LCPAM_SOURCE_ONLINE)
        return "source";
    return NULL;
}

/* ---- key ----------------------------------------------------------------- */

static size_t put_field(unsigned char *dst, const char *s)
{
    size_t n = strlen(s);
    int p = sprintf((char *)dst, "%zu:", n);

    memcpy(dst + p, s, n);
    dst[p + n] = ',';
    return (size_t)p + n + 1;
}

/* The file name only needs to spread keys: a record echoes its key and is
 * used only when the echo matches (a collision is a miss, not a wrong
 * answer), and only root writes the directory, so nobody picks keys to
 * collide. Hence no cryptographic hash: the module's cached path must not
 * load libcrypto. Four FNV-1a lanes with distinct seeds, each finished by
 * splitmix64's mixer so every input bit reaches every output bit. */
static uint64_t lane(const unsigned char *p, size_t n, uint64_t seed)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;

    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

lc_status lcpam_cache_key_hex(const lcpam_cache_key *key, char hex[65], lc_error *err)
{
    static const char magic[] = "lockcloud-decision 1\n";
    unsigned char buf[sizeof magic + 3 * 24 + LCPAM_CACHE_VENDOR_MAX + LCPAM_CACHE_PERSON_MAX +
                      LCPAM_CACHE_RULE_MAX];
    const char *bad = key_bad(key->vendor, key->person_id, key->rule);
    size_t n = sizeof magic - 1;

    hex[0] = '\0';
    if (bad)
        return lc_err_set(err, LC_ERR_USAGE, "decision cache: the %s cannot be a cache key", bad);
    memcpy(buf, magic, n);
    n += put_field(buf + n, key->vendor);
    n += put_field(buf + n, key->person_id);
    n += put_field(buf + n, key->rule);
    for (unsigned i = 0; i < 4; i++)
        sprintf(hex + 16 * i, "%016llx",
                (unsigned long long)lane(buf, n, 0x9e3779b97f4a7c15ULL * (i + 1)));
    return LC_OK;
}

/* ---- record text ----------------------------------------------------------- */

enum { F_MAGIC, F_VENDOR, F_PERSON, F_RULE, F_DECISION, F_REASON, F_DECIDED_AT,
       F_VALID_UNTIL, F_STAY_END, F_SOURCE, F_COUNT };

static const char *const field_names[F_COUNT] = {
    "lockcloud-decision", "vendor", "person", "rule", "decision", "reason", "decided_at",
    "valid_until", "stay_end", "source",
};

/* 1..12 digits, no leading zero but "0" itself. */
static int parse_time(const char *s, size_t n, long long *out)
{
    long long v = 0;

    if (n < 1 || n > 12 || (n > 1 && s[0] == '0'))
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int is(const char *s, size_t n, const char *word)
{
    return n == strlen(word) && memcmp(s, word, n) == 0;
}

static void copy_value(char *dst, const char *s, size_t n)
{
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* One field's value into *r; 0 when it is not a valid value. */
static int take_field(lcpam_decision_record *r, int f, const char *v, size_t n)
{
    char raw[LCPAM_CACHE_REASON_MAX];

    switch (f) {
    case F_MAGIC:
        return is(v, n, "1");
    case F_VENDOR:
        if (!vendor_ok(v, n))
            return 0;
        copy_value(r->vendor, v, n);
        return 1;
    case F_PERSON:
        if (!person_ok(v, n))
            return 0;
        copy_value(r->person_id, v, n);
        return 1;
    case F_RULE:
        if (!rule_ok(v, n))
            return 0;
        copy_value(r->rule, v, n);
        return 1;
    case F_DECISION:
        r->allow = is(v, n, "allow");
        return r->allow || is(v, n, "deny");
    case F_REASON:
        if (n >= sizeof raw)
            return 0;
        copy_value(raw, v, n);
        lc_text_sanitize(r->reason, sizeof r->reason, raw, LC_TEXT_MESSAGE);
        return 1;
    case F_DECIDED_AT:
        return parse_time(v, n, &r->decided_at);
    case F_VALID_UNTIL:
        return parse_time(v, n, &r->valid_until);
    case F_STAY_END:
        return parse_time(v, n, &r->stay_end);
    default:
        r->source = LCPAM_SOURCE_ONLINE;
        return is(v, n, "online");
    }
}

lc_status lcpam_decision_record_parse(const char *text, size_t len,
                                      lcpam_decision_record *out, lc_error *err)
{
    size_t pos = 0;
    const char *bad;

    memset(out, 0, sizeof *out);
    for (int f = 0; f < F_COUNT; f++) {
        const char *line = text + pos;
        const char *nl = pos < len ? memchr(line, '\n', len - pos) : NULL;
        size_t name_len = strlen(field_names[f]), n;

        if (!nl) {
            memset(out, 0, sizeof *out);
            return lc_err_set(err, LC_ERR_PARSE, "line %d: missing (record cut short)", f + 1);
        }
        n = (size_t)(nl - line);
        if (n <= name_len || memcmp(line, field_names[f], name_len) != 0 ||
            line[name_len] != ' ') {
            memset(out, 0, sizeof *out);
            return lc_err_set(err, LC_ERR_PARSE, "line %d: expected '%s '", f + 1,
                              field_names[f]);
        }
        if (!text_ok(line + name_len + 1, n - name_len - 1) ||
            !take_field(out, f, line + name_len + 1, n - name_len - 1)) {
            memset(out, 0, sizeof *out);
            return lc_err_set(err, LC_ERR_PARSE, "line %d: bad %s value", f + 1, field_names[f]);
        }
        pos += n + 1;
    }
    if (pos != len) {
        memset(out, 0, sizeof *out);
        return lc_err_set(err, LC_ERR_PARSE, "data after line %d", F_COUNT);
    }
    bad = record_bad(out);
    if (bad) {
        memset(out, 0, sizeof *out);
        return lc_err_set(err, LC_ERR_PARSE, "inconsistent %s", bad);
    }
    return LC_OK;
}

int lcpam_decision_record_format(const lcpam_decision_record *r, char *buf, size_t buflen,
                                 lc_error *err)
{
    const char *bad = record_bad(r);
    int n;

    if (bad) {
        lc_err_set(err, LC_ERR_USAGE, "decision record: bad %s", bad);
        return -1;
    }
    n = snprintf(buf, buflen,
                 "lockcloud-decision %d\nvendor %s\nperson %s\nrule %s\ndecision %s\n"
                 "reason %s\ndecided_at %lld\nvalid_until %lld\nstay_end %lld\nsource online\n",
                 LCPAM_CACHE_FORMAT, r->vendor, r->person_id, r->rule,
                 r->allow ? "allow" : "deny", r->reason, r->decided_at, r->valid_until,
                 r->stay_end);
    if (n < 0 || (size_t)n >= buflen) {
        lc_err_set(err, LC_ERR_USAGE, "decision record: buffer too small");
        return -1;
    }
    return n;
}

/* ---- pure decisions ---------------------------------------------------------- */

long long lcpam_cache_valid_until(const lcpam_cache_conf *cc, int allow, long long decided_at,
                                  long long changes_at)
{
    long long until = decided_at + (allow ? cc->ttl_s : cc->negative_ttl_s);

    if (changes_at && changes_at < until)
        until = changes_at;
    /* Already changed (a stay that ended, a window that opened): never fresh. */
    return until < decided_at ? decided_at : until;
}

lc_status lcpam_decision_record_make(lcpam_decision_record *r, const lcpam_cache_key *key,
                                     int allow, const char *reason, long long decided_at,
                                     long long changes_at, const lcpam_cache_conf *cc,
                                     lc_error *err)
{
    const char *bad = key_bad(key->vendor, key->person_id, key->rule);

    memset(r, 0, sizeof *r);
    if (bad)
        return lc_err_set(err, LC_ERR_USAGE, "decision cache: the %s cannot be a cache key", bad);
    if (decided_at < 1 || decided_at > TIME_MAX - 604800 || !time_ok(changes_at))
        return lc_err_set(err, LC_ERR_USAGE, "decision cache: time out of range");
    strcpy(r->vendor, key->vendor);
    strcpy(r->person_id, key->person_id);
    strcpy(r->rule, key->rule);
    r->allow = allow ? 1 : 0;
    lc_text_sanitize(r->reason, sizeof r->reason, reason, LC_TEXT_MESSAGE);
    r->decided_at = decided_at;
    /* Only an allow relies on the stay (offline: never past its end). */
    r->stay_end = r->allow ? changes_at : 0;
    r->valid_until = lcpam_cache_valid_until(cc, r->allow, decided_at, changes_at);
    r->source = LCPAM_SOURCE_ONLINE;
    return LC_OK;
}

int lcpam_cache_is_future(const lcpam_decision_record *r, time_t now)
{
    return r->decided_at > (long long)now + LCPAM_CACHE_SKEW_S;
}

/* Never an allow at or past the end of the stay it relied on. */
static int past_stay(const lcpam_decision_record *r, time_t now)
{
    return r->allow && r->stay_end && (long long)now >= r->stay_end;
}

int lcpam_cache_fresh(const lcpam_decision_record *r, const lcpam_cache_conf *cc, time_t now)
{
    long ttl = r->allow ? cc->ttl_s : cc->negative_ttl_s;

    return !lcpam_cache_is_future(r, now) && !past_stay(r, now) &&
           (long long)now < r->valid_until && (long long)now < r->decided_at + ttl;
}

int lcpam_cache_offline_ok(const lcpam_decision_record *r, const lcpam_cache_conf *cc,
                           time_t now)
{
    return !lcpam_cache_is_future(r, now) && !past_stay(r, now) &&
           r->decided_at + cc->offline_grace_s > (long long)now;
}
