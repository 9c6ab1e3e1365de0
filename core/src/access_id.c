/* The one normal form of an access person id, shared by the rules parser,
 * the identity index, the decision cache and the access pipeline. Kept
 * apart from access.c (which fetches through a client): the PAM module's
 * cached path links this without the network stack. */
#include <stdio.h>

#include <lockcloud/policy.h>

#include "access_id.h"
#include "errors.h"

/* A byte an id may hold: printable ASCII, no blank. */
static int id_byte(unsigned char c)
{
    return c > 0x20 && c < 0x7f;
}

lc_status lc_access_id_normalize(const char *id, char *dst, size_t dstlen, lc_error *err)
{
    size_t i;

    if (!dst || dstlen == 0)
        return lc_err_set(err, LC_ERR_USAGE, "access person id: no buffer");
    dst[0] = '\0';
    if (!id || !id[0])
        return lc_err_set(err, LC_ERR_USAGE, "access person id is empty");
    for (i = 0; id[i]; i++) {
        unsigned char c = (unsigned char)id[i];
        if (i >= LC_ACCESS_ID_MAX || i + 1 >= dstlen) {
            dst[0] = '\0';
            return lc_err_set(err, LC_ERR_USAGE, "access person id is too long (limit %d)",
                              LC_ACCESS_ID_MAX);
        }
        if (!id_byte(c)) {
            dst[0] = '\0';
            return lc_err_set(err, LC_ERR_USAGE,
                              "access person id holds a blank, control or non-ASCII byte");
        }
        /* ASCII only: no locale may change an id. */
        dst[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : (char)c;
    }
    dst[i] = '\0';
    return LC_OK;
}

int lc_access_id_is_normal(const char *s, size_t n)
{
    if (n == 0 || n > LC_ACCESS_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!id_byte((unsigned char)s[i]) || (s[i] >= 'A' && s[i] <= 'Z'))
            return 0;
    return 1;
}
