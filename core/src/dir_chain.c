/* Trusted directory chain; see dir_chain.h. */
#include "dir_chain.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"

/* Walks up from abs (an absolute path, modified), checking each directory
 * above it: whoever can write to one could rename what lies below it away,
 * between our check and our open, and put their own in its place. */
static lc_status check_chain(const char *label, char *abs, lc_error *err)
{
    struct stat st;
    lc_status rc = LC_OK;

    while (!rc && strcmp(abs, "/") != 0) {
        char *slash = strrchr(abs, '/');
        if (slash == abs)
            slash[1] = '\0';
        else
            *slash = '\0';
        if (!*abs || stat(abs, &st) != 0)
            continue; /* "a//b": empty component */
        if (st.st_uid != 0 && st.st_uid != geteuid())
            rc = lc_err_set(err, LC_ERR_IO, "%s: %s above it is owned by uid %ld, not root or "
                            "uid %ld (refused)", label, abs, (long)st.st_uid, (long)geteuid());
        else if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
            rc = lc_err_set(err, LC_ERR_IO, "%s: %s above it is writable by group or others "
                            "without the sticky bit (mode %04o, refused)",
                            label, abs, (unsigned)(st.st_mode & 07777));
    }
    return rc;
}

lc_status lc_dir_chain_check(const char *label, const char *path, char **real_out,
                             lc_error *err)
{
    char *real, *named;
    lc_status rc = LC_OK;

    if (real_out)
        *real_out = NULL;
    real = realpath(path, NULL);
    named = path[0] == '/' ? strdup(path) : NULL;
    if (!real || (path[0] == '/' && !named))
        rc = errno == ENOMEM ? lc_err_set(err, LC_ERR_NOMEM, "out of memory")
                             : lc_err_set(err, LC_ERR_IO, "%s: %s", label, strerror(errno));
    if (!rc && named && strcmp(named, real) != 0)
        rc = check_chain(label, named, err);
    if (!rc && real_out) {
        /* check_chain cuts its argument: keep realpath for the caller. */
        *real_out = strdup(real);
        if (!*real_out)
            rc = lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    }
    if (!rc)
        rc = check_chain(label, real, err);
    if (rc && real_out) {
        free(*real_out);
        *real_out = NULL;
    }
    free(named);
    free(real);
    return rc;
}
