/* Canonical account names through NSS (see account.h). */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"

/* getpwnam_r's ways of saying "no such user" (getpwnam(3)); anything
 * else is the database failing. */
static int means_not_found(int e)
{
    return e == 0 || e == ENOENT || e == ESRCH || e == EBADF || e == EPERM;
}

int lcpam_account_lookup(const char *typed, lcpam_account *a, char *err, size_t errlen)
{
    struct passwd pw, *found = NULL;
    size_t len = 4096;
    int e, tries = 0;

    a->name = typed;
    a->known = 0;
    a->buf = NULL;
    for (;;) {
        char *nb = realloc(a->buf, len);
        if (!nb) {
            snprintf(err, errlen, "user database lookup: out of memory");
            lcpam_account_free(a);
            return -1;
        }
        a->buf = nb;
        found = NULL;
        e = getpwnam_r(typed, &pw, a->buf, len, &found);
        if (e == ERANGE && len < LCPAM_PW_BUF_MAX)
            len *= 2;
        else if (!(e == EINTR && ++tries < 3))
            break;
    }
    if (found && found->pw_name && found->pw_name[0]) {
        a->name = found->pw_name;
        a->known = 1;
        return 0;
    }
    lcpam_account_free(a);
    a->name = typed;
    if (!found && means_not_found(e))
        return 0;
    if (found)
        snprintf(err, errlen, "user database lookup: an entry without a name");
    else if (e == ERANGE)
        snprintf(err, errlen, "user database lookup: entry larger than %d bytes", LCPAM_PW_BUF_MAX);
    else
        snprintf(err, errlen, "user database lookup: %s (errno %d)", strerror(e), e);
    return -1;
}

void lcpam_account_free(lcpam_account *a)
{
    free(a->buf);
    a->buf = NULL;
    a->name = NULL;
    a->known = 0;
}
