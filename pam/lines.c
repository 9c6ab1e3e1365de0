/* In-place line splitting: no allocation, so secrets are never copied. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"

int lcpam_file_load(const char *path, unsigned flags, size_t max, lc_file *f,
                    char *err, size_t errlen)
{
    lc_file_rules rules = { NULL, max, LC_FILE_ABSOLUTE | flags, LC_ERR_IO };
    lc_error lerr;

    lc_error_init(&lerr);
    if (lc_file_read(path, &rules, f, &lerr) == LC_OK)
        return 0;
    snprintf(err, errlen, "%s", lerr.message);
    lc_error_clear(&lerr);
    return -1;
}

int lcpam_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

char *lcpam_trim(char *s)
{
    size_t n;

    while (lcpam_is_blank(*s))
        s++;
    n = strlen(s);
    while (n > 0 && lcpam_is_blank(s[n - 1]))
        s[--n] = '\0';
    return s;
}

size_t lcpam_terms_canonical(char *dst, size_t dstlen, const char *s)
{
    size_t n = 0;

    for (; *s && n + 1 < dstlen; s++) {
        if (!lcpam_is_blank(*s))
            dst[n++] = *s;
        else if (n > 0 && dst[n - 1] != ' ')
            dst[n++] = ' ';
    }
    if (n > 0 && dst[n - 1] == ' ')
        n--;
    dst[n] = '\0';
    return n;
}

int lcpam_line_span(const char *p, size_t len, unsigned lineno, const char **s, const char **e,
                    char *err, size_t errlen)
{
    if (len > LCPAM_LINE_MAX) {
        snprintf(err, errlen, "line %u: longer than %d characters", lineno, LCPAM_LINE_MAX);
        return -1;
    }
    /* A trailing '\r' (CRLF file) is a blank; anywhere else it is suspect. */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if ((c < 0x20 && c != '\t' && !(c == '\r' && i + 1 == len)) || c == 0x7f) {
            snprintf(err, errlen, "line %u: control character", lineno);
            return -1;
        }
    }
    *s = p;
    *e = p + len;
    while (*s < *e && lcpam_is_blank(**s))
        (*s)++;
    while (*e > *s && lcpam_is_blank((*e)[-1]))
        (*e)--;
    if (*s < *e && **s == '#')
        *e = *s;
    return 0;
}

void lcpam_lines_init(lcpam_lines *it, char *buf)
{
    it->pos = buf;
    it->lineno = 0;
}

int lcpam_lines_next(lcpam_lines *it, char **line, char *err, size_t errlen)
{
    while (it->pos && *it->pos) {
        char *start = it->pos, *nl = strchr(start, '\n');
        const char *s, *e;

        if (nl) {
            *nl = '\0';
            it->pos = nl + 1;
        } else {
            it->pos = NULL;
        }
        it->lineno++;
        if (lcpam_line_span(start, strlen(start), it->lineno, &s, &e, err, errlen) != 0)
            return -1;
        if (s == e)
            continue;
        *line = start + (s - start);
        (*line)[e - s] = '\0';
        return 1;
    }
    return 0;
}

int lcpam_lines_each(char *text, lcpam_line_fn fn, void *ctx, char *err, size_t errlen)
{
    char msg[LCPAM_ERR_MAX];
    lcpam_lines it;
    char *line;
    int r;

    lcpam_lines_init(&it, text);
    while ((r = lcpam_lines_next(&it, &line, err, errlen)) == 1) {
        if (fn(ctx, line, msg, sizeof msg) != 0) {
            snprintf(err, errlen, "line %u: %s", it.lineno, msg);
            return -1;
        }
    }
    return r;
}

int lcpam_file_parse(const char *path, unsigned flags, size_t max, lcpam_text_fn parse,
                     void *ctx, char *err, size_t errlen)
{
    char msg[LCPAM_ERR_MAX];
    lc_file f;
    int r;

    if (lcpam_file_load(path, flags, max, &f, err, errlen) != 0)
        return -1;
    r = parse(ctx, f.data, f.len, msg, sizeof msg);
    if (r < 0)
        snprintf(err, errlen, "%s: %s", path, msg);
    lc_file_free(&f);
    return r;
}

int lcpam_option_copy(const lc_option *o, const char *value, char **slot, char *err,
                      size_t errlen)
{
    lc_error lerr;

    /* A module key given no row of the table (a new key, a typo in its
     * name) is refused, not a NULL dereference in a root login. */
    if (!o) {
        snprintf(err, errlen, "no option table row for this key");
        return -1;
    }
    lc_error_init(&lerr);
    if (lc_option_check_text(o, NULL, value, &lerr) != LC_OK) {
        snprintf(err, errlen, "%.200s", lerr.message);
        return -1;
    }
    *slot = strdup(value);
    if (!*slot) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

int lcpam_key_claim(const char *const *names, int n, const char *key, unsigned *seen,
                    char *err, size_t errlen)
{
    for (int k = 0; k < n; k++) {
        if (strcmp(key, names[k]) != 0)
            continue;
        if (*seen & (1u << k)) {
            snprintf(err, errlen, "duplicate key '%s'", names[k]);
            return LCPAM_KEY_DUPLICATE;
        }
        *seen |= 1u << k;
        return k;
    }
    return LCPAM_KEY_OTHER;
}

int lcpam_kv_split(char *line, char **key, char **value, char *err, size_t errlen)
{
    char *eq = strchr(line, '=');

    if (!eq) {
        snprintf(err, errlen, "expected 'key = value'");
        return -1;
    }
    *eq = '\0';
    *key = lcpam_trim(line);
    *value = lcpam_trim(eq + 1);
    if (**key == '\0' || strspn(*key, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(*key)) {
        snprintf(err, errlen, "malformed key");
        return -1;
    }
    if (**value == '\0') {
        snprintf(err, errlen, "empty value");
        return -1;
    }
    return 0;
}
