/* CA bundle check and load; see cafile.h. The PAM module calls
 * lc_cafile_check at config load with require_root_owner = 1;
 * lc_client_new calls lc_cafile_load with 0 and keeps the bytes. */
#include "cafile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "dir_chain.h"
#include "errors.h"
#include "safe_file.h"

/* Counts the certificates in a PEM bundle the way libcurl's OpenSSL backend
 * loads CURLOPT_CAINFO_BLOB (PEM_X509_INFO_read_bio over the bytes): -1
 * when a block does not parse. */
static int count_certs(const lc_ca_bundle *b)
{
    BIO *bio = BIO_new_mem_buf(b->data, (int)b->len);
    STACK_OF(X509_INFO) *infos;
    int n = 0;

    if (!bio)
        return -1;
    infos = PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL);
    BIO_free(bio);
    if (!infos)
        n = -1;
    for (int i = 0; infos && i < sk_X509_INFO_num(infos); i++)
        n += sk_X509_INFO_value(infos, i)->x509 != NULL;
    sk_X509_INFO_pop_free(infos, X509_INFO_free);
    /* libcurl reads OpenSSL's per-thread error queue after a handshake. */
    ERR_clear_error();
    return n;
}

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

lc_status lc_cafile_load(const char *path, int require_root_owner, lc_ca_bundle *out,
                         lc_error *err)
{
    /* Symlinks are followed on purpose (system bundles are links): the
     * target is what is checked. Over the cap is the caller's mistake. */
    lc_file_rules rules = { "cafile", LC_CAFILE_MAX, LC_FILE_FOLLOW | LC_FILE_BINARY,
                            LC_ERR_USAGE };
    lc_file f;
    lc_status rc;
    int n;

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
    n = count_certs(out);
    if (n < 0)
        rc = lc_err_set(err, LC_ERR_USAGE, "cafile %s: not a valid PEM CA bundle", path);
    else if (n == 0)
        rc = lc_err_set(err, LC_ERR_USAGE, "cafile %s: holds no PEM certificate", path);
    if (rc)
        lc_ca_bundle_free(out);
    return rc;
}

void lc_ca_bundle_free(lc_ca_bundle *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
}

lc_status lc_cafile_check(const char *path, int require_root_owner, lc_error *err)
{
    lc_ca_bundle b;
    lc_status rc = lc_cafile_load(path, require_root_owner, &b, err);

    lc_ca_bundle_free(&b);
    return rc;
}
