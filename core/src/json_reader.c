/* The strict JSON reader; see json_reader.h. One recursive descent over
 * the bytes (recursion bounded by max_depth): each value is checked, then
 * handed to the sink. Strings without escapes reach the sink straight from
 * the input; escaped ones are decoded into the reader's scratch. */
#include "json_reader.h"
#include "text.h"

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "transport.h"

/* Value budget: one value per 32 bytes of the cap, plus a floor so that
 * small caps still fit ordinary documents. A cJSON value costs ~80 bytes
 * of heap (node + malloc overhead) and a member key ~32 more, so at the
 * 16 MiB default the tree of the densest hostile answer stays near
 * 60 MB instead of ~700 MB. Real answers (<= 50 resources a page) carry
 * one value per 20-40 bytes and are far below any cap. */
#define VALUES_PER_BYTE_DIV 32
#define VALUES_FLOOR 4096

/* cJSON read at most 63 characters of a number; longer ones stay refused
 * so that every reader of ours agrees with what cJSON accepted. */
#define NUMBER_MAX 63

/* Objects of up to PAIRWISE_MAX keys are checked for a repeated key as
 * each key arrives (a length and first-byte test spares most memcmp
 * calls; at worst PAIRWISE_MAX^2/2 of them); larger ones are sorted once
 * at their end (O(n log n): a hostile object may be huge). */
#define PAIRWISE_MAX 48

lc_json_limits lc_json_limits_for(size_t max_bytes)
{
    lc_json_limits l;
    if (!max_bytes)
        max_bytes = LC_MAX_BODY;
    l.max_bytes = max_bytes;
    l.max_values = max_bytes / VALUES_PER_BYTE_DIV + VALUES_FLOOR;
    l.max_depth = LC_JSON_MAX_DEPTH;
    return l;
}

/* A key of an open object: a span of the input, or (escaped keys) of
 * rd->keytext at off, resolved to p only when the object is sorted. */
typedef struct lc_json_key {
    const char *p;
    size_t off, len;
    int in_keytext;
} lc_json_key;

/* Drops the bytes after n, wiping them (they may be a token). Only what
 * was written is wiped: a reset of the whole capacity per string would
 * make a long string followed by many short ones quadratic. */
static void truncate_to(lc_buf *b, size_t n)
{
    if (b->len <= n)
        return;
    explicit_bzero(b->data + n, b->len - n);
    b->len = n;
}

void lc_json_reader_init(lc_json_reader *rd)
{
    lc_buf_init(&rd->text, 0);
    lc_buf_init(&rd->keytext, 0);
    rd->keys = NULL;
    rd->nkeys = rd->keys_cap = 0;
}

void lc_json_reader_free(lc_json_reader *rd)
{
    lc_buf_free(&rd->text); /* wiped: token answers hold secrets */
    lc_buf_free(&rd->keytext);
    free(rd->keys);
    rd->keys = NULL;
    rd->nkeys = rd->keys_cap = 0;
}

typedef enum read_fail {
    READ_OK = 0,
    READ_SYNTAX,      /* not JSON                                         */
    READ_RAW_NUL,     /* a NUL byte in the input, outside strings         */
    READ_RAW_NUL_STR, /* a NUL byte inside a string or key (ambiguous: a
                         C-string reader cuts the text there)             */
    READ_NUL_KEY,     /* "\u0000" inside a key (ambiguous)                */
    READ_NUL_VALUE,   /* "\u0000" inside a string value (ambiguous)       */
    READ_UTF8_KEY,    /* invalid UTF-8 inside a key (ambiguous)           */
    READ_UTF8_VALUE,  /* invalid UTF-8 inside a string value (ambiguous)  */
    READ_DUP_KEY,     /* a key twice in one object (ambiguous)            */
    READ_DEPTH,
    READ_VALUES,
    READ_TRAILING,    /* data after the document                          */
    READ_RANGE,       /* a number beyond the finite doubles               */
    READ_NOMEM        /* the reader or the sink could not allocate        */
} read_fail;

typedef struct reader {
    const unsigned char *s;
    size_t len, pos;
    size_t values, max_values;
    int depth, max_depth;
    read_fail fail;
    size_t fail_pos;
    const unsigned char *key; /* raw key of the member being read, or NULL */
    size_t key_len;
    size_t str_start;         /* where the string being read begins      */
    const char *dup;          /* the key found twice (unescaped)         */
    size_t dup_len;
    lc_json_reader *rd;
    const lc_json_sink *sink;
    void *ud;
} reader;

static int fail_at(reader *r, read_fail why)
{
    r->fail = why;
    r->fail_pos = r->pos;
    return -1;
}

/* A sink that refused a value stops the read. */
static int sunk(reader *r, int sink_rc)
{
    return sink_rc ? fail_at(r, READ_NOMEM) : 0;
}

/* JSON whitespace only; cJSON would skip any byte <= 0x20. */
static inline void skip_ws(reader *r)
{
    while (r->pos < r->len) {
        unsigned char c = r->s[r->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        r->pos++;
    }
}

static int hex4(const unsigned char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* The length of the well-formed UTF-8 sequence (RFC 3629, table in
 * section 4) at p, whose first byte is >= 0x80, or 0 when it is not one:
 * a stray continuation byte, an overlong form (C0, C1, E0 80..9F,
 * F0 80..8F), an encoded surrogate (ED A0..BF), a code point above
 * U+10FFFF (F4 90.., F5..FF) or a sequence cut short. A lenient reader may
 * decode such bytes to another character ("\xC1\xB3" to 's'), and so see
 * a key or value this reader does not. Noncharacters (U+FFFE, U+FDD0...)
 * are well-formed scalar values that every decoder reads alike: accepted,
 * raw or escaped. */
static size_t utf8_seq_len(const unsigned char *p, size_t avail)
{
    unsigned char c = p[0], lo = 0x80, hi = 0xBF;
    size_t n, i;

    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4;
    else
        return 0;
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (avail < n || p[1] < lo || p[1] > hi)
        return 0;
    for (i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

int lc_utf8_valid(const char *s, size_t len, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, n;

    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        if (!(n = utf8_seq_len(p + i, len - i))) {
            if (bad)
                *bad = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

/* ---- strings ------------------------------------------------------------- */

/* Decodes the "\uXXXX" escape at pos (pointing at the backslash) into
 * UTF-8 at out (room for 4 bytes), with cJSON's rules for surrogates: a
 * low surrogate alone, or a high one not followed by "\u" + low, is
 * refused; so is U+0000. Returns the byte count, or -1. */
static int u_escape(reader *r, int is_key, unsigned char *out)
{
    unsigned code, low;

    if (r->len - r->pos < 6 || hex4(r->s + r->pos + 2, &code))
        return fail_at(r, READ_SYNTAX);
    if (code == 0)
        return fail_at(r, is_key ? READ_NUL_KEY : READ_NUL_VALUE);
    if (code >= 0xDC00 && code <= 0xDFFF)
        return fail_at(r, READ_SYNTAX);
    if (code >= 0xD800 && code <= 0xDBFF) {
        const unsigned char *p = r->s + r->pos + 6;
        if (r->len - r->pos < 12 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &low) ||
            low < 0xDC00 || low > 0xDFFF)
            return fail_at(r, READ_SYNTAX);
        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        r->pos += 6;
    }
    r->pos += 6;
    if (code < 0x80) {
        out[0] = (unsigned char)code;
        return 1;
    }
    if (code < 0x800) {
        out[0] = (unsigned char)(0xC0 | (code >> 6));
        out[1] = (unsigned char)(0x80 | (code & 0x3F));
        return 2;
    }
    if (code < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (code >> 12));
        out[1] = (unsigned char)(0x80 | ((code >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (code & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (code >> 18));
    out[1] = (unsigned char)(0x80 | ((code >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((code >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (code & 0x3F));
    return 4;
}

/* The escape at pos (the backslash), decoded and appended to dst. */
static int escape(reader *r, int is_key, lc_buf *dst)
{
    unsigned char one[4];
    int n = 1;

    if (r->pos + 1 >= r->len)
        return fail_at(r, READ_SYNTAX);
    switch (r->s[r->pos + 1]) {
    case '"': one[0] = '"'; break;
    case '\\': one[0] = '\\'; break;
    case '/': one[0] = '/'; break;
    case 'b': one[0] = '\b'; break;
    case 'f': one[0] = '\f'; break;
    case 'n': one[0] = '\n'; break;
    case 'r': one[0] = '\r'; break;
    case 't': one[0] = '\t'; break;
    case 'u':
        if ((n = u_escape(r, is_key, one)) < 0)
            return -1;
        return lc_buf_append(dst, one, (size_t)n) ? fail_at(r, READ_NOMEM) : 0;
    default:
        return fail_at(r, READ_SYNTAX);
    }
    r->pos += 2;
    return lc_buf_append(dst, one, 1) ? fail_at(r, READ_NOMEM) : 0;
}

/* 1 for the bytes a string holds as they are: printable ASCII (and DEL)
 * but the quote and the backslash. One load per byte in the hot loop. */
#define ROW(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
static const unsigned char plain_byte[256] = {
    ROW(0), ROW(0),                                 /* 0x00-0x1F: controls */
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x22: '"'           */
    ROW(1), ROW(1),
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x5C: '\\'          */
    ROW(1), ROW(1),                                 /* 0x60-0x7F           */
};                                    /* 0x80-0xFF: 0, checked as UTF-8 */
#undef ROW

/* The first byte from p on that is not plain (or end). Eight bytes at a
 * time while eight remain: a word is skipped when none of its bytes is a
 * control, a quote, a backslash or >= 0x80 (the classic exact tests for
 * "some byte below n" and "some byte zero"); any word holding one goes to
 * the byte loop, which finds it. */
static const unsigned char *skip_plain(const unsigned char *p, const unsigned char *end)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;

    while (end - p >= 8) {
        uint64_t w, quote, backslash;
        memcpy(&w, p, 8);
        quote = w ^ (ones * '"');
        backslash = w ^ (ones * '\\');
        if ((w & highs) | ((w - ones * 0x20) & ~w & highs) | ((quote - ones) & ~quote & highs) |
            ((backslash - ones) & ~backslash & highs))
            break;
        p += 8;
    }
    while (p < end && plain_byte[*p])
        p++;
    return p;
}

/* The string at pos (the opening quote). Escapes are read as pairs, so
 * "\\u0000" is a backslash followed by the text u0000, not a NUL. Most
 * bytes are printable ASCII, skipped by the inner loop. Sets *out and *n to
 * the unescaped text: a span of the input when nothing was escaped, else
 * bytes of dst from *off (dst: the scratch the caller chose). */
static int read_string(reader *r, int is_key, lc_buf *dst, const char **out, size_t *n,
                       size_t *off, int *copied)
{
    const unsigned char *s = r->s, *end = r->s + r->len, *p;
    size_t start = ++r->pos, run = start;

    r->str_start = start;
    *copied = 0;
    for (p = s + start;;) {
        unsigned char c;
        p = skip_plain(p, end);
        r->pos = (size_t)(p - s);
        if (p == end)
            return fail_at(r, READ_SYNTAX);
        c = *p;
        if (c == '"') {
            if (is_key) {
                r->key = s + start;
                r->key_len = r->pos - start;
            }
            if (*copied) {
                if (lc_buf_append(dst, s + run, r->pos - run))
                    return fail_at(r, READ_NOMEM);
                *out = dst->data + *off;
                *n = dst->len - *off;
            } else {
                *out = (const char *)s + start;
                *n = r->pos - start;
            }
            r->pos++;
            return 0;
        }
        if (c == '\\') {
            if (!*copied) {
                *copied = 1;
                *off = dst->len;
            }
            if (lc_buf_append(dst, s + run, r->pos - run))
                return fail_at(r, READ_NOMEM);
            if (escape(r, is_key, dst))
                return -1;
            p = s + (run = r->pos);
            continue;
        }
        if (c < 0x20)
            return fail_at(r, c ? READ_SYNTAX : READ_RAW_NUL_STR);
        {
            size_t len = utf8_seq_len(p, (size_t)(end - p)); /* c >= 0x80 */
            if (!len)
                return fail_at(r, is_key ? READ_UTF8_KEY : READ_UTF8_VALUE);
            p += len;
        }
    }
}

/* ---- numbers ------------------------------------------------------------- */

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* The number text s[0..n) (grammar checked, n <= NUMBER_MAX) as strtod
 * reads it in the current locale, as cJSON did: the decimal point is the
 * locale's. */
static double number_value(const unsigned char *s, size_t n)
{
    const struct lconv *lc = localeconv();
    const char *point = lc && lc->decimal_point && lc->decimal_point[0] ? lc->decimal_point : ".";
    size_t plen = strlen(point), i, o = 0;
    char buf[NUMBER_MAX + 16];

    for (i = 0; i < n; i++) {
        if (s[i] == '.' && plen < sizeof(buf) - n) {
            memcpy(buf + o, point, plen);
            o += plen;
        } else {
            buf[o++] = (char)s[i];
        }
    }
    buf[o] = '\0';
    return strtod(buf, NULL);
}

static int read_number(reader *r)
{
    int plain = 1; /* an integer: no fraction, no exponent */
    size_t start = r->pos, n = r->len, digits;
    const unsigned char *s = r->s;
    uint64_t whole = 0;
    double d;

    if (r->pos < n && s[r->pos] == '-')
        r->pos++;
    if (r->pos < n && s[r->pos] == '0') {
        r->pos++;
    } else if (r->pos < n && is_digit(s[r->pos])) {
        while (r->pos < n && is_digit(s[r->pos]))
            whole = whole * 10 + (uint64_t)(s[r->pos++] - '0'); /* wraps harmlessly when long */
    } else {
        return fail_at(r, READ_SYNTAX);
    }
    digits = r->pos - start - (s[start] == '-');
    if (r->pos < n && s[r->pos] == '.') {
        plain = 0;
        r->pos++;
        if (r->pos >= n || !is_digit(s[r->pos]))
            return fail_at(r, READ_SYNTAX);
        while (r->pos < n && is_digit(s[r->pos]))
            r->pos++;
    }
    if (r->pos < n && (s[r->pos] == 'e' || s[r->pos] == 'E')) {
        plain = 0;
        r->pos++;
        if (r->pos < n && (s[r->pos] == '+' || s[r->pos] == '-'))
            r->pos++;
        if (r->pos >= n || !is_digit(s[r->pos]))
            return fail_at(r, READ_SYNTAX);
        while (r->pos < n && is_digit(s[r->pos]))
            r->pos++;
    }
    if (r->pos - start > NUMBER_MAX) {
        r->pos = start;
        return fail_at(r, READ_SYNTAX);
    }
    /* Up to 15 digits an integer is exact in a double, as strtod reads it;
     * -0 keeps its sign. */
    if (plain && digits <= 15)
        d = s[start] == '-' ? -(double)whole : (double)whole;
    else
        d = number_value(s + start, r->pos - start);
    /* Without an exponent, 63 characters stay far below DBL_MAX (~1.8e308).
     * cJSON would turn 1e400 into infinity, which no JSON writer can give
     * back and which a reader may take as the largest double, as infinity
     * or refuse. Underflow (1e-400 -> 0, tiny values -> subnormals) is
     * kept: a finite value that every correctly rounding reader reads
     * alike. */
    if (!isfinite(d)) {
        r->pos = start;
        return fail_at(r, READ_RANGE);
    }
    return sunk(r, r->sink->number(r->ud, d));
}

static int read_literal(reader *r, const char *word)
{
    size_t n = strlen(word);
    if (r->len - r->pos < n || memcmp(r->s + r->pos, word, n) != 0)
        return fail_at(r, READ_SYNTAX);
    r->pos += n;
    if (word[0] == 'n')
        return sunk(r, r->sink->null(r->ud));
    return sunk(r, r->sink->boolean(r->ud, word[0] == 't'));
}

/* ---- duplicate keys ------------------------------------------------------- */

static int key_cmp(const void *a, const void *b)
{
    const lc_json_key *x = a, *y = b;
    int c = memcmp(x->p, y->p, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int dup_found(reader *r, const char *p, size_t n)
{
    r->dup = p;
    r->dup_len = n;
    return fail_at(r, READ_DUP_KEY);
}

/* A 7-bit digest of a key: keys with different digests differ, so an
 * object's seen-digest bits spare most pairwise comparisons. */
static unsigned key_digest(const char *p, size_t n)
{
    const unsigned char *k = (const unsigned char *)p;
    return n ? (unsigned)(n * 37u + k[0] * 31u + k[n / 2] * 7u + k[n - 1]) & 127u : 0u;
}

/* Notes the key just read (p, n; at off of keytext when copied) of the
 * object whose keys start at frame; refuses it when the object already
 * has it (small objects, see PAIRWISE_MAX). seen: the object's digests. */
static int add_key(reader *r, size_t frame, uint64_t seen[2], const char *p, size_t n,
                   size_t off, int copied)
{
    lc_json_reader *rd = r->rd;
    size_t count = rd->nkeys - frame;
    unsigned d = key_digest(p, n);
    uint64_t bit = (uint64_t)1 << (d & 63);

    if (count < PAIRWISE_MAX && (seen[d >> 6] & bit)) {
        for (size_t i = frame; i < rd->nkeys; i++) {
            const lc_json_key *k = &rd->keys[i];
            const char *kp = k->in_keytext ? rd->keytext.data + k->off : k->p;
            if (k->len == n && (n == 0 || (kp[0] == p[0] && memcmp(kp, p, n) == 0)))
                return dup_found(r, p, n);
        }
    }
    seen[d >> 6] |= bit;
    if (rd->nkeys == rd->keys_cap) {
        size_t cap = rd->keys_cap ? rd->keys_cap * 2 : 64;
        lc_json_key *k = realloc(rd->keys, cap * sizeof(*k));
        if (!k)
            return fail_at(r, READ_NOMEM);
        rd->keys = k;
        rd->keys_cap = cap;
    }
    rd->keys[rd->nkeys].p = copied ? NULL : p;
    rd->keys[rd->nkeys].off = off;
    rd->keys[rd->nkeys].len = n;
    rd->keys[rd->nkeys].in_keytext = copied;
    rd->nkeys++;
    return 0;
}

/* At the end of an object of more than PAIRWISE_MAX keys: sorted, any
 * repeat is adjacent. keytext no longer moves for this object's keys. */
static int check_large_object(reader *r, size_t frame)
{
    lc_json_reader *rd = r->rd;
    lc_json_key *k = rd->keys + frame;
    size_t count = rd->nkeys - frame, i;

    if (count <= PAIRWISE_MAX)
        return 0;
    for (i = 0; i < count; i++)
        if (k[i].in_keytext)
            k[i].p = rd->keytext.data + k[i].off;
    qsort(k, count, sizeof(*k), key_cmp);
    for (i = 1; i < count; i++)
        if (key_cmp(&k[i - 1], &k[i]) == 0)
            return dup_found(r, k[i].p, k[i].len);
    return 0;
}

/* ---- values -------------------------------------------------------------- */

static int read_value(reader *r);

static int read_member_key(reader *r, size_t frame, uint64_t seen[2])
{
    lc_json_reader *rd = r->rd;
    const char *k;
    size_t n, off = 0;
    int copied;

    if (r->pos >= r->len || r->s[r->pos] != '"')
        return fail_at(r, READ_SYNTAX);
    if (read_string(r, 1, &rd->keytext, &k, &n, &off, &copied) || add_key(r, frame, seen, k, n, off, copied))
        return -1;
    return sunk(r, r->sink->key(r->ud, k, n));
}

/* An array or object at pos; close is ']' or '}'. */
static int read_container(reader *r, unsigned char close)
{
    lc_json_reader *rd = r->rd;
    int is_array = close == ']';
    size_t frame = rd->nkeys, keytext_len = rd->keytext.len;
    uint64_t seen[2] = { 0, 0 };

    if (++r->depth > r->max_depth)
        return fail_at(r, READ_DEPTH);
    if (sunk(r, r->sink->begin(r->ud, is_array)))
        return -1;
    r->pos++;
    skip_ws(r);
    if (r->pos < r->len && r->s[r->pos] == close) {
        r->pos++;
    } else {
        for (;;) {
            if (!is_array) {
                if (read_member_key(r, frame, seen))
                    return -1;
                skip_ws(r);
                if (r->pos >= r->len || r->s[r->pos] != ':')
                    return fail_at(r, READ_SYNTAX);
                r->pos++;
                skip_ws(r);
            } else {
                r->key = NULL; /* an array element belongs to no key */
            }
            if (read_value(r))
                return -1;
            skip_ws(r);
            if (r->pos >= r->len)
                return fail_at(r, READ_SYNTAX);
            if (r->s[r->pos] == close)
                break;
            if (r->s[r->pos] != ',')
                return fail_at(r, READ_SYNTAX);
            r->pos++;
            skip_ws(r);
        }
        r->pos++;
        if (!is_array && check_large_object(r, frame))
            return -1;
    }
    /* this object's keys are done with; the parent's stay below */
    rd->nkeys = frame;
    truncate_to(&rd->keytext, keytext_len);
    r->depth--;
    return sunk(r, r->sink->end(r->ud, is_array));
}

/* One value at pos (whitespace already skipped). Recursion is bounded by
 * max_depth. */
static int read_value(reader *r)
{
    if (++r->values > r->max_values)
        return fail_at(r, READ_VALUES);
    if (r->pos >= r->len)
        return fail_at(r, READ_SYNTAX);
    switch (r->s[r->pos]) {
    case '{': return read_container(r, '}');
    case '[': return read_container(r, ']');
    case '"': {
        lc_json_reader *rd = r->rd;
        const char *v;
        size_t n, off = 0;
        int copied;
        truncate_to(&rd->text, 0);
        if (read_string(r, 0, &rd->text, &v, &n, &off, &copied))
            return -1;
        return sunk(r, r->sink->string(r->ud, v, n));
    }
    case 't': return read_literal(r, "true");
    case 'f': return read_literal(r, "false");
    case 'n': return read_literal(r, "null");
    case '\0': return fail_at(r, READ_RAW_NUL);
    default: return read_number(r);
    }
}

/* ---- messages ------------------------------------------------------------ */

/* A key fit for a message: the core's sanitizer as for a quoted log field
 * (printable ASCII; quotes, backslashes and '=' become '?'), cut to 32
 * bytes of the key and marked "..." when cut. */
static void key_for_message(char *dst, size_t dstlen, const unsigned char *k, size_t klen)
{
    size_t n = lc_text_sanitize_n(dst, dstlen - 3, (const char *)k, klen < 32 ? klen : 32,
                                  LC_TEXT_FIELD);
    if (klen > 32)
        memcpy(dst + n, "...", 4);
}

static lc_status ambiguous(lc_error *err)
{
    if (err)
        err->flags |= LC_ERRF_AMBIGUOUS;
    return LC_ERR_PARSE;
}

static lc_status read_error(const reader *r, const char *what, lc_error *err)
{
    char key[48];

    switch (r->fail) {
    case READ_RAW_NUL:
        return lc_err_set(err, LC_ERR_PARSE, "raw NUL byte in %s (byte %zu)", what,
                          r->fail_pos);
    case READ_RAW_NUL_STR:
        lc_err_set(err, LC_ERR_PARSE, "raw NUL byte in a string in %s (byte %zu)", what,
                   r->fail_pos);
        return ambiguous(err);
    case READ_NUL_KEY:
        /* Name the place: the key's text up to the escape, or the key the
         * string belongs to. */
        key_for_message(key, sizeof(key), r->s + r->str_start, r->fail_pos - r->str_start);
        lc_err_set(err, LC_ERR_PARSE, "key \"%s\\u0000...\" holding NUL in %s", key, what);
        return ambiguous(err);
    case READ_NUL_VALUE:
        if (r->key) {
            key_for_message(key, sizeof(key), r->key, r->key_len);
            lc_err_set(err, LC_ERR_PARSE, "string holding NUL (\\u0000) at key \"%s\" in %s",
                       key, what);
        } else {
            lc_err_set(err, LC_ERR_PARSE, "string holding NUL (\\u0000) in %s", what);
        }
        return ambiguous(err);
    case READ_UTF8_KEY:
        /* Never the bytes themselves: key_for_message keeps ASCII only. */
        lc_err_set(err, LC_ERR_PARSE, "key holding invalid UTF-8 in %s (byte %zu)", what,
                   r->fail_pos);
        return ambiguous(err);
    case READ_UTF8_VALUE:
        if (r->key) {
            key_for_message(key, sizeof(key), r->key, r->key_len);
            lc_err_set(err, LC_ERR_PARSE,
                       "string holding invalid UTF-8 at key \"%s\" in %s (byte %zu)", key, what,
                       r->fail_pos);
        } else {
            lc_err_set(err, LC_ERR_PARSE, "string holding invalid UTF-8 in %s (byte %zu)", what,
                       r->fail_pos);
        }
        return ambiguous(err);
    case READ_DUP_KEY:
        key_for_message(key, sizeof(key), (const unsigned char *)r->dup, r->dup_len);
        lc_err_set(err, LC_ERR_PARSE, "duplicate key \"%s\" in %s", key, what);
        return ambiguous(err);
    case READ_DEPTH:
        return lc_err_set(err, LC_ERR_PARSE, "JSON nested deeper than %d in %s", r->max_depth,
                          what);
    case READ_VALUES:
        return lc_err_set(err, LC_ERR_PARSE, "more than %zu JSON values in %s", r->max_values,
                          what);
    case READ_RANGE:
        /* the number itself is not echoed: the offset says where */
        return lc_err_set(err, LC_ERR_PARSE, "number beyond the double range in %s (byte %zu)",
                          what, r->fail_pos);
    case READ_TRAILING:
        return lc_err_set(err, LC_ERR_PARSE, "data after the JSON document in %s (byte %zu)",
                          what, r->fail_pos);
    case READ_NOMEM:
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory parsing %s", what);
    default:
        return lc_err_set(err, LC_ERR_PARSE, "malformed JSON in %s (byte %zu)", what,
                          r->fail_pos);
    }
}

/* ---- the reader ---------------------------------------------------------- */

lc_status lc_json_read(lc_json_reader *rd, const char *text, size_t len,
                       const lc_json_limits *lim, const char *what,
                       const lc_json_sink *sink, void *ud, lc_error *err)
{
    lc_json_limits def = lc_json_limits_for(0);
    reader r;

    if (!what)
        what = "a JSON document";
    if (!rd || !sink || (!text && len))
        return lc_err_set(err, LC_ERR_USAGE, "lc_json_read: bad arguments");
    if (!lim)
        lim = &def;
    if (len > lim->max_bytes)
        return lc_err_set(err, LC_ERR_PARSE, "%s is larger than %zu bytes", what,
                          lim->max_bytes);

    memset(&r, 0, sizeof(r));
    r.s = (const unsigned char *)text;
    r.len = len;
    r.max_values = lim->max_values;
    r.max_depth = lim->max_depth > 0 && lim->max_depth <= LC_JSON_MAX_DEPTH ?
                  lim->max_depth : LC_JSON_MAX_DEPTH;
    r.rd = rd;
    r.sink = sink;
    r.ud = ud;
    rd->nkeys = 0;
    truncate_to(&rd->keytext, 0);
    skip_ws(&r);
    if (r.pos == len)
        return lc_err_set(err, LC_ERR_PARSE, "empty JSON document in %s", what);
    if (read_value(&r) == 0) {
        skip_ws(&r);
        if (r.pos < len)
            fail_at(&r, r.s[r.pos] ? READ_TRAILING : READ_RAW_NUL);
    }
    return r.fail ? read_error(&r, what, err) : LC_OK;
}
