/* The exact JSON writer; see json_print.h. */
#include "json_print.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "errors.h"
#include "json_parse.h"

/* 2^53: every integer up to here is exact in a double, so the integer
 * form is the value itself for every reader, double-only ones included. */
#define EXACT_INT_MAX 9007199254740992.0

/* printf and strtod use the locale's decimal point (cJSON does too): the
 * round trip is checked in that locale, then the point becomes '.'. */
static size_t dot_for_point(const char *in, char *out, size_t outlen)
{
    const struct lconv *lc = localeconv();
    const char *point = lc && lc->decimal_point && lc->decimal_point[0] ? lc->decimal_point : ".";
    size_t plen = strlen(point), n = 0;

    while (*in && n + 1 < outlen) {
        if (strncmp(in, point, plen) == 0) {
            out[n++] = '.';
            in += plen;
        } else {
            out[n++] = *in++;
        }
    }
    out[n] = '\0';
    return n;
}

size_t lc_json_format_number(double d, char *buf)
{
    char tmp[LC_JSON_NUMBER_MAX];
    int prec;

    if (isnan(d) || isinf(d))
        return 0;
    if ((d < 0 ? -d : d) <= EXACT_INT_MAX && d == (double)(long long)d) {
        /* the cast is defined: |d| <= 2^53 */
        if (d == 0 && signbit(d)) {
            memcpy(buf, "-0", 3);
            return 2;
        }
        return (size_t)snprintf(buf, LC_JSON_NUMBER_MAX, "%lld", (long long)d);
    }
    /* %.17g always reads back exactly (IEEE 754 binary64); the shorter
     * forms are tried first so 0.1 stays 0.1. */
    for (prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
        if (prec == 17 || strtod(tmp, NULL) == d)
            break;
    }
    return dot_for_point(tmp, buf, LC_JSON_NUMBER_MAX);
}

typedef struct printer {
    lc_buf out;
    lc_status fail;
    const char *why;
} printer;

static int refuse(printer *p, lc_status kind, const char *why)
{
    if (!p->fail) {
        p->fail = kind;
        p->why = why;
    }
    return -1;
}

static int put(printer *p, const char *s, size_t n)
{
    if (lc_buf_append(&p->out, s, n))
        return refuse(p, LC_ERR_NOMEM, "out of memory writing JSON");
    return 0;
}

/* cJSON's escaping, byte for byte: '"', '\\' and the C0 controls, the
 * usual five as short escapes, the rest as \u00xx (lower-case hex); '/',
 * DEL and bytes >= 0x80 as they are. NULL is the empty string, as in
 * cJSON. */
static int put_string(printer *p, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)(s ? s : "");
    size_t run = 0;

    if (!lc_utf8_valid((const char *)u, strlen((const char *)u), NULL))
        return refuse(p, LC_ERR_USAGE, "a string or key that is not valid UTF-8");
    if (put(p, "\"", 1))
        return -1;
    for (;; u++) {
        char esc[6] = { '\\', 0, 0, 0, 0, 0 };
        size_t n = 2;

        if (*u >= 0x20 && *u != '"' && *u != '\\') {
            run++;
            continue;
        }
        if (run && put(p, (const char *)u - run, run))
            return -1;
        run = 0;
        if (!*u)
            break;
        switch (*u) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[*u >> 4];
            esc[5] = hex[*u & 15];
            n = 6;
        }
        if (put(p, esc, n))
            return -1;
    }
    return put(p, "\"", 1);
}

static int put_value(printer *p, const cJSON *item, int depth);

static int put_container(printer *p, const cJSON *item, int depth, int object)
{
    const cJSON *c;

    if (depth > LC_JSON_MAX_DEPTH)
        return refuse(p, LC_ERR_USAGE, "arrays and objects nested deeper than the limit");
    if (put(p, object ? "{" : "[", 1))
        return -1;
    for (c = item->child; c; c = c->next) {
        if (c != item->child && put(p, ",", 1))
            return -1;
        if (object && (put_string(p, c->string) || put(p, ":", 1)))
            return -1;
        if (put_value(p, c, depth))
            return -1;
    }
    return put(p, object ? "}" : "]", 1);
}

/* Recursion is bounded by LC_JSON_MAX_DEPTH. */
static int put_value(printer *p, const cJSON *item, int depth)
{
    char num[LC_JSON_NUMBER_MAX];
    size_t n;

    switch (item->type & 0xFF) {
    case cJSON_NULL:
        return put(p, "null", 4);
    case cJSON_False:
        return put(p, "false", 5);
    case cJSON_True:
        return put(p, "true", 4);
    case cJSON_Number:
        if (!(n = lc_json_format_number(item->valuedouble, num)))
            return refuse(p, LC_ERR_USAGE, "a number that is NaN or infinity (JSON has none)");
        return put(p, num, n);
    case cJSON_String:
        return put_string(p, item->valuestring);
    case cJSON_Raw:
        if (!item->valuestring)
            return refuse(p, LC_ERR_USAGE, "a raw item without text");
        if (!lc_utf8_valid(item->valuestring, strlen(item->valuestring), NULL))
            return refuse(p, LC_ERR_USAGE, "a raw item that is not valid UTF-8");
        return put(p, item->valuestring, strlen(item->valuestring));
    case cJSON_Array:
        return put_container(p, item, depth + 1, 0);
    case cJSON_Object:
        return put_container(p, item, depth + 1, 1);
    default:
        return refuse(p, LC_ERR_USAGE, "an item of no JSON type");
    }
}

lc_status lc_json_print(const cJSON *doc, char **out, size_t *len, lc_error *err)
{
    printer p;

    if (out)
        *out = NULL;
    if (len)
        *len = 0;
    if (!doc || !out)
        return lc_err_set(err, LC_ERR_USAGE, "lc_json_print: bad arguments");
    memset(&p, 0, sizeof(p));
    lc_buf_init(&p.out, 0);
    put_value(&p, doc, 0);
    if (p.fail) {
        lc_buf_free(&p.out);
        return lc_err_set(err, p.fail, "cannot write JSON: %s", p.why);
    }
    *out = p.out.data;
    if (len)
        *len = p.out.len;
    return LC_OK;
}
