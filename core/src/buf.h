/* Growable byte buffer, always NUL-terminated, with an optional size cap
 * (used for HTTP bodies) and a wipe-on-free mode for buffers that held
 * secrets (OAuth forms, token files). */
#ifndef LC_BUF_H
#define LC_BUF_H

#include <stddef.h>

typedef struct lc_buf {
    char *data;     /* NULL until the first append; then NUL-terminated  */
    size_t len;
    size_t cap;
    size_t limit;   /* 0 = unlimited; appends past it fail, overflow set  */
    int overflow;   /* an append was refused because of limit            */
    int nomem;      /* an allocation failed                              */
} lc_buf;

void lc_buf_init(lc_buf *b, size_t limit);
/* 0 on success, -1 on overflow or allocation failure (flags set). */
int lc_buf_append(lc_buf *b, const void *p, size_t n);
int lc_buf_puts(lc_buf *b, const char *s);
/* Appends s percent-encoded: everything but RFC 3986 unreserved bytes. */
int lc_buf_put_escaped(lc_buf *b, const char *s);
/* Empties the buffer (keeps storage), wiping the old bytes. */
void lc_buf_reset(lc_buf *b);
/* "" when empty, never NULL. */
const char *lc_buf_str(const lc_buf *b);
/* Frees storage; the bytes are wiped first (buffers may hold secrets). */
void lc_buf_free(lc_buf *b);

#endif
