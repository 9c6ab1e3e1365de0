/* The one text sanitizer: copies text that came from outside (a server's
 * message, a user name, a module argument) into a buffer for a message or
 * a log line, so it can neither break the line nor forge part of it. */
#ifndef LC_TEXT_H
#define LC_TEXT_H

#include <stddef.h>

/* What survives; everything else becomes a replacement byte. Every mode
 * drops control characters (C0, DEL, and C1 as UTF-8) and bytes that are
 * not well-formed UTF-8, and cuts the copy to fit only between characters,
 * so a truncated copy never ends inside a UTF-8 sequence. */
typedef enum lc_text_mode {
    LC_TEXT_MESSAGE, /* human text: UTF-8 kept, controls become ' ',
                        malformed bytes '?' (lc_error.message)          */
    LC_TEXT_FIELD,   /* a quoted log field (what="..."): printable ASCII
                        except '"', '\\' and '=' (a reader splitting the
                        line must not find key=value in it); else '?'    */
    LC_TEXT_WORD,    /* printable ASCII without blanks; else '?'         */
    LC_TEXT_NAME     /* a user or service name: [A-Za-z0-9._@-]; else '?' */
} lc_text_mode;

/* Copies NUL-terminated src (NULL reads as "") into dst (dstlen > 0: always
 * NUL-terminated) under mode. Returns the bytes written, NUL excluded. */
size_t lc_text_sanitize(char *dst, size_t dstlen, const char *src, lc_text_mode mode);

/* The same for src[0..srclen), which may hold NUL bytes (a Lua string):
 * each is a control character, so the copy is never cut at one. */
size_t lc_text_sanitize_n(char *dst, size_t dstlen, const char *src, size_t srclen,
                          lc_text_mode mode);

/* The length of the first well-formed UTF-8 sequence at s (at most avail
 * bytes; shortest form, no surrogates, at most U+10FFFF), or 0 when none. */
size_t lc_text_utf8_len(const unsigned char *s, size_t avail);

#endif
