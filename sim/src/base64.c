/* Strict base64 decoding: anything but canonical RFC 4648 text is refused,
 * so a typo in a test's fault never turns into a silently different body. */
#include "base64.h"

#include <stdlib.h>

static int sextet(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

int sim_base64_decode(const char *text, size_t len, unsigned char **out, size_t *outlen)
{
    const unsigned char *t = (const unsigned char *)text;
    *out = NULL;
    *outlen = 0;
    if (len % 4 != 0)
        return -1;
    size_t pad = 0;
    if (len && t[len - 1] == '=')
        pad = len >= 2 && t[len - 2] == '=' ? 2 : 1;
    unsigned char *buf = malloc(len / 4 * 3 + 1); /* +1: never malloc(0) */
    if (!buf)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < len; i += 4) {
        int last = i + 4 == len;
        int v[4];
        for (size_t j = 0; j < 4; j++) {
            /* "=" only as the final pad characters of the last quantum. */
            if (last && j >= 4 - pad) {
                v[j] = 0;
                continue;
            }
            if ((v[j] = sextet(t[i + j])) < 0) {
                free(buf);
                return -1;
            }
        }
        unsigned long q = (unsigned long)v[0] << 18 | (unsigned long)v[1] << 12 |
                          (unsigned long)v[2] << 6 | (unsigned long)v[3];
        /* Canonical form: the bits a pad hides must be zero. */
        if (last && ((pad == 1 && (q & 0xff)) || (pad == 2 && (q & 0xffff)))) {
            free(buf);
            return -1;
        }
        buf[n++] = (unsigned char)(q >> 16);
        if (!last || pad < 2)
            buf[n++] = (unsigned char)(q >> 8);
        if (!last || pad < 1)
            buf[n++] = (unsigned char)q;
    }
    *out = buf;
    *outlen = n;
    return 0;
}
