/* Growable buffer; see buf.h. */
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void lc_buf_init(lc_buf *b, size_t limit)
{
    memset(b, 0, sizeof(*b));
    b->limit = limit;
}

int lc_buf_append(lc_buf *b, const void *p, size_t n)
{
    if (b->overflow || b->nomem)
        return -1;
    if (n > SIZE_MAX - b->len - 1 || (b->limit && b->len + n > b->limit)) {
        b->overflow = 1;
        return -1;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap = cap > SIZE_MAX / 2 ? b->len + n + 1 : cap * 2;
        /* Not realloc: the old block may hold a secret and must be wiped. */
        char *nd = malloc(cap);
        if (!nd) {
            b->nomem = 1;
            return -1;
        }
        if (b->data) {
            memcpy(nd, b->data, b->len);
            explicit_bzero(b->data, b->cap);
            free(b->data);
        }
        b->data = nd;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int lc_buf_puts(lc_buf *b, const char *s)
{
    return lc_buf_append(b, s, strlen(s));
}

static int unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

int lc_buf_put_escaped(lc_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        const unsigned char *run = p;
        while (*p && unreserved(*p))
            p++;
        if (p > run && lc_buf_append(b, run, (size_t)(p - run))) /* ids: one append */
            return -1;
        if (*p) {
            char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
            if (lc_buf_append(b, esc, 3))
                return -1;
            p++;
        }
    }
    return 0;
}

void lc_buf_reset(lc_buf *b)
{
    if (b->data) {
        explicit_bzero(b->data, b->cap);
        b->data[0] = '\0';
    }
    b->len = 0;
    b->overflow = 0;
    b->nomem = 0;
}

const char *lc_buf_str(const lc_buf *b)
{
    return b->data ? b->data : "";
}

void lc_buf_free(lc_buf *b)
{
    if (b->data) {
        explicit_bzero(b->data, b->cap);
        free(b->data);
    }
    lc_buf_init(b, b->limit);
}
