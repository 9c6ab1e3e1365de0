/* CA bundle check and load: the PEM half (cafile_read.c reads the file);
 * see cafile.h. The PAM module checks the file at config load
 * (lc_cafile_read) and the whole bundle before its online check
 * (lc_cafile_check), both with require_root_owner = 1; lc_client_new calls
 * lc_cafile_load with 0 and keeps the parsed certificates. */
#include "cafile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "errors.h"

/* The certificates and CRLs of a bundle, parsed once (at lc_client_new)
 * and added to every handshake's store by lc_ca_certs_trust. */
struct lc_ca_certs {
    STACK_OF(X509_INFO) *infos;
};

/* Parses a PEM bundle the way libcurl's OpenSSL backend loads
 * CURLOPT_CAINFO_BLOB (PEM_X509_INFO_read_bio over the bytes); *ncerts
 * counts its certificates. NULL when a block does not parse. */
static STACK_OF(X509_INFO) *parse_certs(const lc_ca_bundle *b, int *ncerts)
{
    BIO *bio = BIO_new_mem_buf(b->data, (int)b->len);
    STACK_OF(X509_INFO) *infos = NULL;

    *ncerts = 0;
    if (bio)
        infos = PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL);
    BIO_free(bio);
    for (int i = 0; infos && i < sk_X509_INFO_num(infos); i++)
        *ncerts += sk_X509_INFO_value(infos, i)->x509 != NULL;
    /* libcurl reads OpenSSL's per-thread error queue after a handshake. */
    ERR_clear_error();
    return infos;
}

lc_status lc_cafile_load(const char *path, int require_root_owner, lc_ca_certs **out,
                         lc_error *err)
{
    lc_ca_bundle b;
    lc_status rc = lc_cafile_read(path, require_root_owner, &b, err);
    STACK_OF(X509_INFO) *infos;
    int n;

    *out = NULL;
    if (rc)
        return rc;
    infos = parse_certs(&b, &n);
    lc_ca_bundle_free(&b);
    if (!infos)
        rc = lc_err_set(err, LC_ERR_USAGE, "cafile %s: not a valid PEM CA bundle", path);
    else if (n == 0)
        rc = lc_err_set(err, LC_ERR_USAGE, "cafile %s: holds no PEM certificate", path);
    else if (!(*out = malloc(sizeof **out)))
        rc = lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    if (rc) {
        sk_X509_INFO_pop_free(infos, X509_INFO_free);
        return rc;
    }
    (*out)->infos = infos;
    return LC_OK;
}

int lc_ca_certs_trust(const lc_ca_certs *certs, SSL_CTX *ctx)
{
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    int good = store != NULL;

    /* What libcurl's blob loader adds: each certificate and each CRL (CRLs
     * are consulted only when CRL checking is on, which we never set). */
    for (int i = 0; good && i < sk_X509_INFO_num(certs->infos); i++) {
        const X509_INFO *info = sk_X509_INFO_value(certs->infos, i);

        if (info->x509)
            good = X509_STORE_add_cert(store, info->x509) == 1;
        if (good && info->crl)
            good = X509_STORE_add_crl(store, info->crl) == 1;
    }
    ERR_clear_error();
    return good ? 0 : -1;
}

void lc_ca_certs_free(lc_ca_certs *certs)
{
    if (!certs)
        return;
    sk_X509_INFO_pop_free(certs->infos, X509_INFO_free);
    free(certs);
}

lc_status lc_cafile_check(const char *path, int require_root_owner, lc_error *err)
{
    lc_ca_certs *certs;
    lc_status rc = lc_cafile_load(path, require_root_owner, &certs, err);

    lc_ca_certs_free(certs);
    return rc;
}
