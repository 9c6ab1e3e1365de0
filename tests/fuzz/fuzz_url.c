/* Fuzzes URL building: lc_url_check_base, lc_url_check_path,
 * lc_url_expand_path and lc_url_append_query. Input: a flag byte, then
 * NUL-separated strings: base URL, path template, then values. Invariants:
 *  - an accepted base URL is https, or http to a loopback host only when
 *    allowed;
 *  - an accepted path has no byte that could change host or request line;
 *  - expanding a safe template gives a safe path with exactly the
 *    template's '/' count (arguments cannot add segments or "..");
 *  - the query string percent-decodes back to exactly the given pairs. */
#include <strings.h>

#include "buf.h"
#include "errors.h"
#include "fuzz_util.h"
#include "url.h"

#define MAX_FIELDS 16

static size_t count_char(const char *s, char c)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == c;
    return n;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Percent-decodes s[0..n) into a fresh string; aborts on bad escapes or
 * on bytes that must have been escaped. */
static char *pct_decode(const char *s, size_t n)
{
    char *out = malloc(n + 1), *o = out;

    if (!out)
        abort();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            FZ_ASSERT(i + 2 < n);
            FZ_ASSERT(hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0);
            *o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            FZ_ASSERT((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                      (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~');
            *o++ = (char)c;
        }
    }
    *o = '\0';
    return out;
}

static void check_base(const char *url, int allow_http)
{
    lc_error err;
    int is_http = -1;

    if (lc_url_check_base(url, allow_http, &is_http, "api_url", &err) == LC_OK) {
        FZ_ASSERT(is_http == 0 || is_http == 1);
        FZ_ASSERT(!is_http || allow_http);
        for (const unsigned char *p = (const unsigned char *)url; *p; p++)
            FZ_ASSERT(*p > 0x20 && *p != 0x7f);
        if (is_http)
            FZ_ASSERT(strncasecmp(url, "http:", 5) == 0);
        else
            FZ_ASSERT(strncasecmp(url, "https:", 6) == 0);
    } else {
        FZ_ASSERT(is_http == 0);
        fz_check_text(err.message, sizeof err.message);
    }
}

static int path_ok(const char *p)
{
    lc_error err;
    lc_status st = lc_url_check_path(p, &err);

    if (st == LC_OK) {
        FZ_ASSERT(p[0] == '/' && p[1] != '/');
        for (const unsigned char *c = (const unsigned char *)p; *c; c++)
            FZ_ASSERT(*c > 0x20 && *c < 0x7f && *c != '#' && *c != '\\');
        return 1;
    }
    fz_check_text(err.message, sizeof err.message);
    return 0;
}

static int printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
            return 0;
    return 1;
}

static void check_expand(const char *tmpl, const char **args)
{
    lc_error err;
    lc_buf out;

    lc_buf_init(&out, 0);
    if (lc_url_expand_path(&out, tmpl, args, &err) == LC_OK) {
        const char *path = lc_buf_str(&out);
        FZ_ASSERT(count_char(path, '/') == count_char(tmpl, '/'));
        FZ_ASSERT(!strchr(path, '?') || strchr(tmpl, '?'));
        if (path_ok(tmpl) && !strstr(tmpl, "/../") && !strstr(tmpl, "/./")) {
            FZ_ASSERT(path_ok(path));
            FZ_ASSERT(!strstr(path, "/../") && !strstr(path, "/./"));
        }
    } else if (printable(tmpl)) {
        /* Templates come from the catalogue and are quoted in messages;
         * the arguments, which may be anything, must not be. */
        fz_check_text(err.message, sizeof err.message);
    }
    lc_buf_free(&out);
}

static void check_query(const char **q, size_t nq)
{
    lc_error err;
    lc_buf out;

    lc_buf_init(&out, 0);
    FZ_ASSERT(lc_buf_puts(&out, "/devices") == 0);
    if (lc_url_append_query(&out, q, &err) == LC_OK) {
        const char *s = lc_buf_str(&out) + strlen("/devices");
        size_t i = 0;
        FZ_ASSERT(nq % 2 == 0);
        FZ_ASSERT(nq == 0 ? *s == '\0' : *s == '?');
        while (*s) {
            const char *eq = strchr(s + 1, '=');
            const char *end = s + 1 + strcspn(s + 1, "&");
            char *k, *v;
            FZ_ASSERT(i + 1 < nq && eq && eq < end);
            k = pct_decode(s + 1, (size_t)(eq - s - 1));
            v = pct_decode(eq + 1, (size_t)(end - eq - 1));
            FZ_ASSERT(strcmp(k, q[i]) == 0 && strcmp(v, q[i + 1]) == 0);
            free(k);
            free(v);
            i += 2;
            s = end;
        }
        FZ_ASSERT(i == nq);
    } else {
        fz_check_text(err.message, sizeof err.message);
    }
    lc_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *f[MAX_FIELDS + 1];
    size_t n = 0, nargs;
    char *text;
    unsigned flags;

    if (size < 1 || size > 4096)
        return 0;
    flags = data[0];
    text = fz_cstr(data + 1, size - 1);
    /* NUL-separated fields: the copy's own terminator ends the last one. */
    for (char *p = text; n < MAX_FIELDS && p <= text + size - 1; p += strlen(p) + 1)
        f[n++] = p;
    f[n] = NULL;

    check_base(f[0], flags & 1);
    if (n >= 2) {
        path_ok(f[1]);
        nargs = (flags >> 1) & 7;
        if (nargs > n - 2)
            nargs = n - 2;
        {
            const char *args[MAX_FIELDS + 1];
            memcpy(args, f + 2, nargs * sizeof *args);
            args[nargs] = NULL;
            check_expand(f[1], args);
            /* The rest are query pairs (a trailing odd key is refused). */
            check_query(f + 2 + nargs, n - 2 - nargs);
        }
    }
    free(text);
    return 0;
}
