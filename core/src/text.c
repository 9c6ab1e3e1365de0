/* See text.h. One byte-level walk for every mode: decode one character,
 * decide whether it survives, copy it whole or write one replacement. */
#include "text.h"

#include <string.h>

size_t lc_text_utf8_len(const unsigned char *s, size_t avail)
{
    unsigned char c = avail ? s[0] : 0;
    size_t n, i;
    unsigned long cp;

    if (c < 0x80)
        return avail ? 1 : 0;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0; /* continuation byte, overlong lead (C0, C1) or F5..FF */
    }
    if (avail < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

static int name_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '@' || c == '-';
}

/* Whether one ASCII byte survives under mode. */
static int ascii_ok(unsigned char c, lc_text_mode mode)
{
    if (c < 0x20 || c == 0x7f)
        return 0;
    switch (mode) {
    case LC_TEXT_MESSAGE: return 1;
    case LC_TEXT_FIELD:   return c != '"' && c != '\\' && c != '=';
    case LC_TEXT_WORD:    return c != ' ';
    case LC_TEXT_NAME:    return name_byte(c);
    }
    return 0;
}

size_t lc_text_sanitize(char *dst, size_t dstlen, const char *src, lc_text_mode mode)
{
    return lc_text_sanitize_n(dst, dstlen, src, src ? strlen(src) : 0, mode);
}

size_t lc_text_sanitize_n(char *dst, size_t dstlen, const char *src, size_t srclen,
                          lc_text_mode mode)
{
    const unsigned char *s = (const unsigned char *)(src ? src : "");
    size_t avail = src ? srclen : 0, n = 0;

    if (dstlen == 0)
        return 0;
    while (avail > 0) {
        size_t len = lc_text_utf8_len(s, avail);
        /* U+0080..U+009F (C2 80..C2 9F) are controls too. */
        int c1 = len == 2 && s[0] == 0xc2 && s[1] < 0xa0;
        int keep = len == 1 ? ascii_ok(s[0], mode) : len > 1 && mode == LC_TEXT_MESSAGE && !c1;
        char repl = mode == LC_TEXT_MESSAGE && (len == 1 || c1) ? ' ' : '?';

        if (len == 0)
            len = 1; /* a malformed byte: replaced alone, resync on the next */
        if (n + (keep ? len : 1) + 1 > dstlen)
            break;   /* cut between characters, never inside one */
        if (keep) {
            memcpy(dst + n, s, len);
            n += len;
        } else {
            dst[n++] = repl;
        }
        s += len;
        avail -= len;
    }
    dst[n] = '\0';
    return n;
}
