/* Reading a CA bundle's file with the checks the PAM module needs (see
 * cafile.h), apart from the PEM parsing in cafile.c: the module's
 * configuration check runs on every login, cached ones included, and must
 * not load libcrypto. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "cafile.h"
#include "dir_chain.h"
#include "errors.h"
#include "safe_file.h"

/* Where the bundle lies must be as safe as the bundle (PAM rule): every
 * directory above it, as named and as resolved, owned by root or us and
 * writable by others only when sticky; and the path still resolves to the
 * file read, so the chain checked is the one that holds the bytes. */
static lc_status check_chain(const char *path, const lc_file *f, lc_error *err)
{
    char label[1024];
    char *real = NULL;
    struct stat now;
    lc_status rc;

    snprintf(label, sizeof label, "cafile %s", path);
    rc = lc_dir_chain_check(label, path, &real, err);
    if (!rc && (stat(real, &now) != 0 || now.st_dev != f->dev || now.st_ino != f->ino))
        rc = lc_err_set(err, LC_ERR_IO, "cafile %s: changed while it was being checked "
                        "(refused)", path);
    free(real);
    return rc;
}

lc_status lc_cafile_read(const char *path, int require_root_owner, lc_ca_bundle *out,
                         lc_error *err)
{
    /* Symlinks are followed on purpose (system bundles are links): the
     * target is what is checked. Over the cap is the caller's mistake. */
    lc_file_rules rules = { "cafile", LC_CAFILE_MAX, LC_FILE_FOLLOW | LC_FILE_BINARY,
                            LC_ERR_USAGE };
    lc_file f;
    lc_status rc;

    out->data = NULL;
    out->len = 0;
    if (!path || !*path)
        return lc_err_set(err, LC_ERR_USAGE, "cafile is empty");
    if (!require_root_owner)
        rules.flags |= LC_FILE_ANY_OWNER;
    rc = lc_file_read(path, &rules, &f, err);
    if (!rc && require_root_owner)
        rc = check_chain(path, &f, err);
    if (rc) {
        lc_file_free(&f);
        return rc;
    }
    out->data = f.data;
    out->len = f.len;
    return LC_OK;
}

void lc_ca_bundle_free(lc_ca_bundle *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
}
