/* The error renderer's parts, for callers that hold an error's fields apart
 * from an lc_error (Lua error tables, which a script may build or change)
 * or need only its detail (PAM's what= field). lc_error_render (lockcloud.h)
 * is the whole line built from an lc_error. */
#ifndef LC_ERROR_RENDER_H
#define LC_ERROR_RENDER_H

#include <stddef.h>

#include "lockcloud/lockcloud.h"
#include "text.h"

typedef struct lc_error_parts {
    const char *kind;    /* lc_status_name text; NULL: "error"         */
    long http_status;    /* 0 or less: none                            */
    const char *message; /* NULL or "": none                           */
    size_t message_len;  /* its length, NUL bytes included (a Lua
                            string); 0: strlen(message)                */
    long retry_after;    /* seconds; negative: unknown                 */
} lc_error_parts;

/* "lockcloud: KIND (HTTP STATUS): MESSAGE (retry after N s)"; the status
 * and the retry hint are left out when the message already names them.
 * Returns the length written; buf (len > 0) is always NUL-terminated. */
size_t lc_error_render_parts(const lc_error_parts *p, char *buf, size_t len);

/* "MESSAGE (retry after N s)" alone, every byte under mode: for a log line
 * that carries the kind and the status in fields of their own. */
size_t lc_error_render_detail(const lc_error *err, lc_text_mode mode, char *buf, size_t len);

#endif
