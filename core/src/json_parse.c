/* The strict JSON reader; see json_parse.h. Three passes:
 *  1. a scan of the raw bytes that validates the RFC 8259 grammar and the
 *     UTF-8 of every string and key (RFC 3629), finds NUL (raw or
 *     "\u0000") and counts values and depth against the budget before
 *     anything is allocated;
 *  2. cJSON builds the tree (the scan already refused everything cJSON
 *     would refuse, so a failure here means memory ran out);
 *  3. a walk of the tree that refuses a key given twice in one object
 *     (compared after unescaping: "a" and "\u0061" are the same key). */
#include "json_parse.h"
#include "text.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "json_util.h"
#include "transport.h"

/* Value budget: one value per 32 bytes of the cap, plus a floor so that
 * small caps still fit ordinary documents. A cJSON value costs ~80 bytes
 * of heap (node + malloc overhead) and a member key ~32 more, so at the
 * 16 MiB default the tree of the densest hostile answer stays near
 * 60 MB instead of ~700 MB. Real answers (<= 50 resources a page) carry
 * one value per 20-40 bytes and are far below any cap. */
#define VALUES_PER_BYTE_DIV 32
#define VALUES_FLOOR 4096

/* cJSON reads at most 63 characters of a number and fails on the rest. */
#define CJSON_NUMBER_MAX 63

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

/* ---- pass 1: the scan ---------------------------------------------------- */

typedef enum scan_fail {
    SCAN_OK = 0,
    SCAN_SYNTAX,      /* not JSON                                         */
    SCAN_RAW_NUL,     /* a NUL byte in the input                          */
    SCAN_NUL_KEY,     /* "\u0000" inside a key (ambiguous)                */
    SCAN_NUL_VALUE,   /* "\u0000" inside a string value (ambiguous)       */
    SCAN_UTF8_KEY,    /* invalid UTF-8 inside a key (ambiguous)           */
    SCAN_UTF8_VALUE,  /* invalid UTF-8 inside a string value (ambiguous)  */
    SCAN_DEPTH,
    SCAN_VALUES,
    SCAN_TRAILING,    /* data after the document                          */
    SCAN_RANGE        /* a number beyond the finite doubles               */
} scan_fail;

typedef struct scan {
    const unsigned char *s;
    size_t len, pos;
    size_t values, max_values;
    int depth, max_depth;
    scan_fail fail;
    size_t fail_pos;
    const unsigned char *key; /* raw key of the member being read, or NULL */
    size_t key_len;
    size_t str_start;         /* where the string being read begins      */
} scan;

static int fail_at(scan *sc, scan_fail why)
{
    sc->fail = why;
    sc->fail_pos = sc->pos;
    return -1;
}

/* JSON whitespace only; cJSON would skip any byte <= 0x20. */
static void skip_ws(scan *sc)
{
    while (sc->pos < sc->len) {
        unsigned char c = sc->s[sc->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        sc->pos++;
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

/* A "\uXXXX" escape at pos (pointing at the backslash), with cJSON's rules
 * for surrogates: a low surrogate alone, or a high one not followed by
 * "\u" + low, is refused. */
static int scan_u_escape(scan *sc, int is_key)
{
    unsigned code, low;

    if (sc->len - sc->pos < 6 || hex4(sc->s + sc->pos + 2, &code))
        return fail_at(sc, SCAN_SYNTAX);
    if (code == 0)
        return fail_at(sc, is_key ? SCAN_NUL_KEY : SCAN_NUL_VALUE);
    if (code >= 0xDC00 && code <= 0xDFFF)
        return fail_at(sc, SCAN_SYNTAX);
    if (code >= 0xD800 && code <= 0xDBFF) {
        const unsigned char *p = sc->s + sc->pos + 6;
        if (sc->len - sc->pos < 12 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &low) ||
            low < 0xDC00 || low > 0xDFFF)
            return fail_at(sc, SCAN_SYNTAX);
        sc->pos += 6;
    }
    sc->pos += 6;
    return 0;
}

/* A string at pos (the opening quote). Escapes are consumed as pairs, so
 * "\\u0000" is a backslash followed by the text u0000, not a NUL. Most
 * bytes are printable ASCII, skipped by the inner loop: what stops it is
 * checked exactly as before (end, quote, escape, control, UTF-8). */
static int scan_string(scan *sc, int is_key)
{
    const unsigned char *s = sc->s, *end = sc->s + sc->len, *p;
    size_t start = ++sc->pos;

    sc->str_start = start;
    for (p = s + start;;) {
        unsigned char c;
        while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        sc->pos = (size_t)(p - s);
        if (p == end)
            return fail_at(sc, SCAN_SYNTAX);
        c = *p;
        if (c == '"') {
            if (is_key) {
                sc->key = s + start;
                sc->key_len = sc->pos - start;
            }
            sc->pos++;
            return 0;
        }
        if (c == '\\') {
            if (sc->pos + 1 >= sc->len)
                return fail_at(sc, SCAN_SYNTAX);
            switch (p[1]) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                sc->pos += 2;
                break;
            case 'u':
                if (scan_u_escape(sc, is_key))
                    return -1;
                break;
            default:
                return fail_at(sc, SCAN_SYNTAX);
            }
            p = s + sc->pos;
            continue;
        }
        if (c < 0x20)
            return fail_at(sc, c ? SCAN_SYNTAX : SCAN_RAW_NUL);
        {
            size_t n = utf8_seq_len(p, (size_t)(end - p)); /* c >= 0x80 */
            if (!n)
                return fail_at(sc, is_key ? SCAN_UTF8_KEY : SCAN_UTF8_VALUE);
            p += n;
        }
    }
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* 1 when the number text s[0..n) (grammar checked, n <= CJSON_NUMBER_MAX,
 * with an exponent) reads as a finite double. cJSON (strtod) would turn
 * 1e400 into infinity, which no JSON writer can give back and which a
 * reader may take as the largest double, as infinity or refuse. Underflow
 * (1e-400 -> 0, tiny values -> subnormals) is kept: a finite value that
 * every correctly rounding reader reads alike. strtod reads the locale's
 * decimal point, as in cJSON. */
static int number_is_finite(const unsigned char *s, size_t n)
{
    const struct lconv *lc = localeconv();
    const char *point = lc && lc->decimal_point && lc->decimal_point[0] ? lc->decimal_point : ".";
    size_t plen = strlen(point), i, o = 0;
    char buf[CJSON_NUMBER_MAX + 16];

    for (i = 0; i < n; i++) {
        if (s[i] == '.' && plen < sizeof(buf) - n) {
            memcpy(buf + o, point, plen);
            o += plen;
        } else {
            buf[o++] = (char)s[i];
        }
    }
    buf[o] = '\0';
    return isfinite(strtod(buf, NULL));
}

static int scan_number(scan *sc)
{
    int has_exp = 0;
    size_t start = sc->pos;
    const unsigned char *s = sc->s;
    size_t n = sc->len;

    if (sc->pos < n && s[sc->pos] == '-')
        sc->pos++;
    if (sc->pos < n && s[sc->pos] == '0')
        sc->pos++;
    else if (sc->pos < n && is_digit(s[sc->pos]))
        while (sc->pos < n && is_digit(s[sc->pos]))
            sc->pos++;
    else
        return fail_at(sc, SCAN_SYNTAX);
    if (sc->pos < n && s[sc->pos] == '.') {
        sc->pos++;
        if (sc->pos >= n || !is_digit(s[sc->pos]))
            return fail_at(sc, SCAN_SYNTAX);
        while (sc->pos < n && is_digit(s[sc->pos]))
            sc->pos++;
    }
    if (sc->pos < n && (s[sc->pos] == 'e' || s[sc->pos] == 'E')) {
        has_exp = 1;
        sc->pos++;
        if (sc->pos < n && (s[sc->pos] == '+' || s[sc->pos] == '-'))
            sc->pos++;
        if (sc->pos >= n || !is_digit(s[sc->pos]))
            return fail_at(sc, SCAN_SYNTAX);
        while (sc->pos < n && is_digit(s[sc->pos]))
            sc->pos++;
    }
    if (sc->pos - start > CJSON_NUMBER_MAX) {
        sc->pos = start;
        return fail_at(sc, SCAN_SYNTAX);
    }
    /* without an exponent, 63 digits stay far below DBL_MAX (~1.8e308) */
    if (has_exp && !number_is_finite(s + start, sc->pos - start)) {
        sc->pos = start;
        return fail_at(sc, SCAN_RANGE);
    }
    return 0;
}

static int scan_literal(scan *sc, const char *word)
{
    size_t n = strlen(word);
    if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, word, n) != 0)
        return fail_at(sc, SCAN_SYNTAX);
    sc->pos += n;
    return 0;
}

static int scan_value(scan *sc);

/* An array or object at pos; close is ']' or '}'. */
static int scan_container(scan *sc, unsigned char close)
{
    if (++sc->depth > sc->max_depth)
        return fail_at(sc, SCAN_DEPTH);
    sc->pos++;
    skip_ws(sc);
    if (sc->pos < sc->len && sc->s[sc->pos] == close) {
        sc->pos++;
        sc->depth--;
        return 0;
    }
    for (;;) {
        if (close == '}') {
            if (sc->pos >= sc->len || sc->s[sc->pos] != '"')
                return fail_at(sc, SCAN_SYNTAX);
            if (scan_string(sc, 1))
                return -1;
            skip_ws(sc);
            if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
                return fail_at(sc, SCAN_SYNTAX);
            sc->pos++;
            skip_ws(sc);
        } else {
            sc->key = NULL; /* an array element belongs to no key */
        }
        if (scan_value(sc))
            return -1;
        skip_ws(sc);
        if (sc->pos >= sc->len)
            return fail_at(sc, SCAN_SYNTAX);
        if (sc->s[sc->pos] == close)
            break;
        if (sc->s[sc->pos] != ',')
            return fail_at(sc, SCAN_SYNTAX);
        sc->pos++;
        skip_ws(sc);
    }
    sc->pos++;
    sc->depth--;
    return 0;
}

/* One value at pos (whitespace already skipped). Recursion is bounded by
 * max_depth. */
static int scan_value(scan *sc)
{
    if (++sc->values > sc->max_values)
        return fail_at(sc, SCAN_VALUES);
    if (sc->pos >= sc->len)
        return fail_at(sc, SCAN_SYNTAX);
    switch (sc->s[sc->pos]) {
    case '{': return scan_container(sc, '}');
    case '[': return scan_container(sc, ']');
    case '"': return scan_string(sc, 0);
    case 't': return scan_literal(sc, "true");
    case 'f': return scan_literal(sc, "false");
    case 'n': return scan_literal(sc, "null");
    case '\0': return fail_at(sc, SCAN_RAW_NUL);
    default: return scan_number(sc);
    }
}

/* ---- messages ---------------------------------------------------------- */

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

static lc_status scan_error(const scan *sc, const char *what, lc_error *err)
{
    char key[48];

    switch (sc->fail) {
    case SCAN_RAW_NUL:
        return lc_err_set(err, LC_ERR_PARSE, "raw NUL byte in %s (byte %zu)", what,
                          sc->fail_pos);
    case SCAN_NUL_KEY:
    case SCAN_NUL_VALUE:
        /* Name the place: the key's text up to the escape, or the key
         * the string belongs to. */
        if (sc->fail == SCAN_NUL_KEY) {
            key_for_message(key, sizeof(key), sc->s + sc->str_start,
                            sc->fail_pos - sc->str_start);
            lc_err_set(err, LC_ERR_PARSE, "key \"%s\\u0000...\" holding NUL in %s", key, what);
        } else if (sc->key) {
            key_for_message(key, sizeof(key), sc->key, sc->key_len);
            lc_err_set(err, LC_ERR_PARSE, "string holding NUL (\\u0000) at key \"%s\" in %s",
                       key, what);
        } else {
            lc_err_set(err, LC_ERR_PARSE, "string holding NUL (\\u0000) in %s", what);
        }
        if (err)
            err->flags |= LC_ERRF_AMBIGUOUS;
        return LC_ERR_PARSE;
    case SCAN_UTF8_KEY:
    case SCAN_UTF8_VALUE:
        /* Never the bytes themselves: key_for_message keeps ASCII only. */
        if (sc->fail == SCAN_UTF8_KEY) {
            lc_err_set(err, LC_ERR_PARSE, "key holding invalid UTF-8 in %s (byte %zu)", what,
                       sc->fail_pos);
        } else if (sc->key) {
            key_for_message(key, sizeof(key), sc->key, sc->key_len);
            lc_err_set(err, LC_ERR_PARSE,
                       "string holding invalid UTF-8 at key \"%s\" in %s (byte %zu)", key, what,
                       sc->fail_pos);
        } else {
            lc_err_set(err, LC_ERR_PARSE, "string holding invalid UTF-8 in %s (byte %zu)", what,
                       sc->fail_pos);
        }
        if (err)
            err->flags |= LC_ERRF_AMBIGUOUS;
        return LC_ERR_PARSE;
    case SCAN_DEPTH:
        return lc_err_set(err, LC_ERR_PARSE, "JSON nested deeper than %d in %s", sc->max_depth,
                          what);
    case SCAN_VALUES:
        return lc_err_set(err, LC_ERR_PARSE, "more than %zu JSON values in %s", sc->max_values,
                          what);
    case SCAN_RANGE:
        /* the number itself is not echoed: the offset says where */
        return lc_err_set(err, LC_ERR_PARSE, "number beyond the double range in %s (byte %zu)",
                          what, sc->fail_pos);
    case SCAN_TRAILING:
        return lc_err_set(err, LC_ERR_PARSE, "data after the JSON document in %s (byte %zu)",
                          what, sc->fail_pos);
    default:
        return lc_err_set(err, LC_ERR_PARSE, "malformed JSON in %s (byte %zu)", what,
                          sc->fail_pos);
    }
}

/* ---- pass 3: duplicate keys --------------------------------------------- */

typedef struct dup_walk {
    const char **keys;   /* scratch for one object's keys */
    size_t cap;
    const char *dup;     /* the key found twice            */
    int nomem;
} dup_walk;

static int cmp_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sets w->dup when an object holds a key twice: objects of up to
 * PAIRWISE_MAX keys pairwise (a first-byte test spares most strcmp calls;
 * at worst PAIRWISE_MAX^2/2 of them), larger ones sorted (O(n log n); a
 * hostile object may be huge). */
#define PAIRWISE_MAX 48

static void check_object(dup_walk *w, const cJSON *obj)
{
    size_t n = 0, i;
    const cJSON *c;

    for (c = obj->child; c; c = c->next)
        n++;
    if (n <= PAIRWISE_MAX) {
        for (c = obj->child; c; c = c->next)
            for (const cJSON *d = c->next; d; d = d->next)
                if (c->string[0] == d->string[0] && strcmp(c->string, d->string) == 0) {
                    w->dup = c->string;
                    return;
                }
        return;
    }
    if (n > w->cap) {
        const char **k = realloc(w->keys, n * sizeof(*k));
        if (!k) {
            w->nomem = 1;
            return;
        }
        w->keys = k;
        w->cap = n;
    }
    for (i = 0, c = obj->child; c; c = c->next)
        w->keys[i++] = c->string;
    qsort(w->keys, n, sizeof(*w->keys), cmp_keys);
    for (i = 1; i < n; i++)
        if (strcmp(w->keys[i - 1], w->keys[i]) == 0) {
            w->dup = w->keys[i];
            return;
        }
}

/* Depth is bounded by the scan's max_depth. */
static void walk(dup_walk *w, const cJSON *node)
{
    if (cJSON_IsObject(node))
        check_object(w, node);
    for (const cJSON *c = node->child; c && !w->dup && !w->nomem; c = c->next)
        if (c->child)
            walk(w, c);
}

/* ---- the reader ---------------------------------------------------------- */

lc_status lc_json_parse(const char *text, size_t len, const lc_json_limits *lim,
                        const char *what, cJSON **out, lc_error *err)
{
    lc_json_limits def = lc_json_limits_for(0);
    scan sc;
    const char *end = NULL;
    size_t doc_end = 0;
    cJSON *doc;
    dup_walk w = { NULL, 0, NULL, 0 };

    if (out)
        *out = NULL;
    if (!what)
        what = "a JSON document";
    if (!out || (!text && len))
        return lc_err_set(err, LC_ERR_USAGE, "lc_json_parse: bad arguments");
    if (!lim)
        lim = &def;
    if (len > lim->max_bytes)
        return lc_err_set(err, LC_ERR_PARSE, "%s is larger than %zu bytes", what,
                          lim->max_bytes);

    memset(&sc, 0, sizeof(sc));
    sc.s = (const unsigned char *)text;
    sc.len = len;
    sc.max_values = lim->max_values;
    sc.max_depth = lim->max_depth > 0 && lim->max_depth <= LC_JSON_MAX_DEPTH ?
                   lim->max_depth : LC_JSON_MAX_DEPTH;
    skip_ws(&sc);
    if (sc.pos == len)
        return lc_err_set(err, LC_ERR_PARSE, "empty JSON document in %s", what);
    if (scan_value(&sc) == 0) {
        doc_end = sc.pos;
        skip_ws(&sc);
        if (sc.pos < len)
            fail_at(&sc, sc.s[sc.pos] ? SCAN_TRAILING : SCAN_RAW_NUL);
    }
    if (sc.fail)
        return scan_error(&sc, what, err);

    /* cJSON's require_null_terminated wants the terminating NUL inside
     * buffer_length, i.e. text[len] readable, which a counted buffer does
     * not promise. The scan already proved that only whitespace follows
     * doc_end; cJSON must stop exactly there too. */
    doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!doc)
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory parsing %s", what);
    if (end != text + doc_end) {
        lc_json_delete_wiped(doc);
        return lc_err_set(err, LC_ERR_PARSE, "malformed JSON in %s (byte %zu)", what,
                          end ? (size_t)(end - text) : (size_t)0);
    }

    walk(&w, doc);
    free(w.keys);
    if (w.dup || w.nomem) {
        lc_status st;
        if (w.nomem) {
            st = lc_err_set(err, LC_ERR_NOMEM, "out of memory parsing %s", what);
        } else {
            char key[48];
            key_for_message(key, sizeof(key), (const unsigned char *)w.dup, strlen(w.dup));
            st = lc_err_set(err, LC_ERR_PARSE, "duplicate key \"%s\" in %s", key, what);
            if (err)
                err->flags |= LC_ERRF_AMBIGUOUS;
        }
        lc_json_delete_wiped(doc); /* token answers hold secrets */
        return st;
    }
    *out = doc;
    return LC_OK;
}

/* Raw items (cJSON_CreateRaw) are printed as they are: checked too. */
static int node_utf8_valid(const cJSON *node)
{
    const cJSON *c;

    if (node->string && !lc_utf8_valid(node->string, strlen(node->string), NULL))
        return 0;
    if ((cJSON_IsString(node) || cJSON_IsRaw(node)) && node->valuestring &&
        !lc_utf8_valid(node->valuestring, strlen(node->valuestring), NULL))
        return 0;
    for (c = node->child; c; c = c->next)
        if (!node_utf8_valid(c))
            return 0;
    return 1;
}

int lc_json_tree_utf8_valid(const cJSON *node)
{
    return !node || node_utf8_valid(node);
}
