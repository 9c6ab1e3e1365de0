/* The one rendering of an error as text (see lockcloud.h, lc_error_render):
 * Lua's tostring, PAM's log line and the command-line tool all print it,
 * so an error reads the same wherever it surfaces. Every piece goes through
 * the sanitizer: the message may quote a server, a Lua table any script. */
#include "error_render.h"

#include <stdio.h>
#include <string.h>

typedef struct out {
    char *buf;
    size_t len, used;
} out;

/* Appends src[0..n) under mode, keeping reserve bytes free for what must
 * follow. */
static void put_n(out *o, const char *src, size_t n, lc_text_mode mode, size_t reserve)
{
    size_t room = o->len - o->used;

    if (room <= reserve + 1)
        return;
    o->used += lc_text_sanitize_n(o->buf + o->used, room - reserve, src, n, mode);
}

static void put(out *o, const char *src, lc_text_mode mode, size_t reserve)
{
    put_n(o, src, strlen(src), mode, reserve);
}

/* " (retry after N s)" when known and the message does not say it yet. */
static void retry_hint(char *hint, size_t n, const char *msg, long retry_after)
{
    hint[0] = '\0';
    if (retry_after >= 0 && !strstr(msg, "retry after"))
        snprintf(hint, n, " (retry after %ld s)", retry_after);
}

size_t lc_error_render_parts(const lc_error_parts *p, char *buf, size_t len)
{
    const char *msg = p->message ? p->message : "";
    size_t msglen = p->message_len ? p->message_len : strlen(msg);
    char status[32] = "", hint[48];
    out o = { buf, len, 0 };

    if (len == 0)
        return 0;
    buf[0] = '\0';
    if (p->http_status > 0) {
        snprintf(status, sizeof status, "HTTP %ld", p->http_status);
        if (strstr(msg, status))
            status[0] = '\0'; /* the core's messages often name it */
    }
    retry_hint(hint, sizeof hint, msg, p->retry_after);
    put(&o, "lockcloud: ", LC_TEXT_MESSAGE, 0);
    put(&o, p->kind && *p->kind ? p->kind : "error", LC_TEXT_WORD, 0);
    if (status[0]) {
        put(&o, " (", LC_TEXT_MESSAGE, 0);
        put(&o, status, LC_TEXT_MESSAGE, 0);
        put(&o, ")", LC_TEXT_MESSAGE, 0);
    }
    if (msglen) {
        put(&o, ": ", LC_TEXT_MESSAGE, 0);
        /* A long message is cut, not the hint after it. */
        put_n(&o, msg, msglen, LC_TEXT_MESSAGE,
              o.len - o.used > 2 * strlen(hint) ? strlen(hint) : 0);
    }
    put(&o, hint, LC_TEXT_MESSAGE, 0);
    return o.used;
}

size_t lc_error_render_detail(const lc_error *err, lc_text_mode mode, char *buf, size_t len)
{
    char hint[48];
    out o = { buf, len, 0 };

    if (len == 0)
        return 0;
    buf[0] = '\0';
    retry_hint(hint, sizeof hint, err->message, err->retry_after);
    put(&o, err->message, mode, o.len > 2 * strlen(hint) ? strlen(hint) : 0);
    put(&o, hint, mode, 0);
    return o.used;
}

size_t lc_error_render(const lc_error *err, char *buf, size_t len)
{
    lc_error_parts p;

    if (!err) {
        if (len)
            buf[0] = '\0';
        return 0;
    }
    p.kind = lc_status_name(err->kind);
    p.http_status = err->http_status;
    p.message = err->message;
    p.message_len = 0;
    p.retry_after = err->retry_after;
    return lc_error_render_parts(&p, buf, len);
}
