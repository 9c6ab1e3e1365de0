/* CA bundle check and load: the PEM half (cafile_read.c reads the file);
 * see cafile.h. The PAM module checks the file at config load
 * (lc_cafile_read) and the whole bundle before its online check
 * (lc_cafile_check), both with require_root_owner = 1; lc_client_new calls
 * lc_cafile_load with 0 and keeps the bytes. */
#include "cafile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "errors.h"

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

lc_status lc_cafile_load(const char *path, int require_root_owner, lc_ca_bundle *out,
                         lc_error *err)
{
    lc_status rc = lc_cafile_read(path, require_root_owner, out, err);
    int n;

    if (rc)
        return rc;
    n = count_certs(out);
    if (n < 0)
        rc = lc_err_set(err, LC_ERR_USAGE, "cafile %s: not a valid PEM CA bundle", path);
    else if (n == 0)
        rc = lc_err_set(err, LC_ERR_USAGE, "cafile %s: holds no PEM certificate", path);
    if (rc)
        lc_ca_bundle_free(out);
    return rc;
}

lc_status lc_cafile_check(const char *path, int require_root_owner, lc_error *err)
{
    lc_ca_bundle b;
    lc_status rc = lc_cafile_load(path, require_root_owner, &b, err);

    lc_ca_bundle_free(&b);
    return rc;
}
