/* TLS material: a throwaway CA and server certificate made with OpenSSL 3,
 * or PEM files from the command line. libmicrohttpd (GnuTLS) takes the
 * certificate and the PKCS#8 key as PEM strings. */
#include "file_util.h"
#include "tls_cert.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PEM_FILE (1024 * 1024)
#define DAY (24L * 60 * 60)

static void ssl_error(char *err, size_t errlen, const char *what)
{
    char detail[256];
    unsigned long e = ERR_get_error();
    ERR_error_string_n(e, detail, sizeof(detail));
    snprintf(err, errlen, "%s: %s", what, e ? detail : "failed");
    ERR_clear_error();
}

static int add_ext(X509 *cert, X509V3_CTX *ctx, int nid, const char *value)
{
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
    int ok = ext && X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

static int set_serial(X509 *cert)
{
    unsigned char raw[16];
    if (RAND_bytes(raw, sizeof(raw)) != 1)
        return 0;
    raw[0] &= 0x7f; /* positive */
    BIGNUM *bn = BN_bin2bn(raw, sizeof(raw), NULL);
    int ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != NULL;
    BN_free(bn);
    return ok;
}

/* Makes a certificate for key, signed by issuer (NULL: self-signed CA). */
static X509 *make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key)
{
    X509 *cert = X509_new();
    if (!cert)
        return NULL;
    int is_ca = issuer == NULL;
    X509_NAME *name = X509_get_subject_name(cert);
    X509V3_CTX ctx;
    int ok = X509_set_version(cert, X509_VERSION_3) && set_serial(cert) &&
             X509_gmtime_adj(X509_getm_notBefore(cert), -DAY) &&
             X509_gmtime_adj(X509_getm_notAfter(cert), 30 * DAY) &&
             X509_set_pubkey(cert, key) &&
             X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                        (const unsigned char *)"lockcloud-sim", -1, -1, 0) &&
             X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                        (const unsigned char *)cn, -1, -1, 0) &&
             X509_set_issuer_name(cert, is_ca ? name : X509_get_subject_name(issuer));
    if (ok) {
        X509V3_set_ctx(&ctx, is_ca ? cert : issuer, cert, NULL, NULL, 0);
        ok = add_ext(cert, &ctx, NID_subject_key_identifier, "hash") &&
             add_ext(cert, &ctx, NID_authority_key_identifier, "keyid:always");
    }
    if (ok && is_ca)
        ok = add_ext(cert, &ctx, NID_basic_constraints, "critical,CA:TRUE") &&
             add_ext(cert, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
    if (ok && !is_ca)
        ok = add_ext(cert, &ctx, NID_basic_constraints, "critical,CA:FALSE") &&
             add_ext(cert, &ctx, NID_key_usage, "critical,digitalSignature") &&
             add_ext(cert, &ctx, NID_ext_key_usage, "serverAuth") &&
             add_ext(cert, &ctx, NID_subject_alt_name,
                     "IP:127.0.0.1,IP:::1,DNS:localhost");
    if (ok)
        ok = X509_sign(cert, is_ca ? key : issuer_key, EVP_sha256()) > 0;
    if (!ok) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

/* Copies a memory BIO into a NUL-terminated malloc'd string. */
static char *bio_string(BIO *bio)
{
    char *data;
    long len = BIO_get_mem_data(bio, &data);
    if (len <= 0)
        return NULL;
    char *out = malloc((size_t)len + 1);
    if (out) {
        memcpy(out, data, (size_t)len);
        out[len] = '\0';
    }
    return out;
}

static char *cert_pem(X509 *cert)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *out = bio && PEM_write_bio_X509(bio, cert) ? bio_string(bio) : NULL;
    BIO_free(bio);
    return out;
}

static char *key_pem(EVP_PKEY *key)
{
    BIO *bio = BIO_new(BIO_s_secmem());
    char *out = bio && PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL)
                    ? bio_string(bio) : NULL;
    BIO_free(bio);
    return out;
}

/* Writes text to path: temp file in the same directory, 0644, fsync,
 * rename, so a reader never sees a partial file and no symlink is followed. */
static int write_file_atomic(const char *path, const char *text, char *err, size_t errlen)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 8);
    if (!tmp) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".XXXXXX", 8);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    size_t len = strlen(text), off = 0;
    int ok = fchmod(fd, 0644) == 0;
    while (ok && off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        off += ok ? (size_t)w : 0;
    }
    ok = ok && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return ok ? 0 : -1;
}

int sim_tls_generate(sim_tls *tls, const char *ca_out, char *err, size_t errlen)
{
    memset(tls, 0, sizeof(*tls));
    int rc = -1;
    char *ca_text = NULL;
    X509 *ca = NULL, *srv = NULL;
    EVP_PKEY *ca_key = EVP_EC_gen("P-256");
    EVP_PKEY *srv_key = EVP_EC_gen("P-256");
    if (!ca_key || !srv_key) {
        ssl_error(err, errlen, "key generation");
        goto out;
    }
    ca = make_cert(ca_key, "lockcloud-sim throwaway CA", NULL, NULL);
    srv = ca ? make_cert(srv_key, "localhost", ca, ca_key) : NULL;
    if (!ca || !srv) {
        ssl_error(err, errlen, "certificate generation");
        goto out;
    }
    ca_text = cert_pem(ca);
    tls->cert_pem = cert_pem(srv);
    tls->key_pem = key_pem(srv_key);
    if (!ca_text || !tls->cert_pem || !tls->key_pem) {
        ssl_error(err, errlen, "PEM encoding");
        goto out;
    }
    if (ca_out && write_file_atomic(ca_out, ca_text, err, errlen) != 0)
        goto out;
    rc = 0;
out:
    if (rc != 0)
        sim_tls_free(tls);
    free(ca_text);
    X509_free(ca);
    X509_free(srv);
    EVP_PKEY_free(ca_key); /* the CA key is never stored: nothing else is signed */
    EVP_PKEY_free(srv_key);
    return rc;
}

static char *read_pem(const char *path, char *err, size_t errlen)
{
    size_t len;
    char *buf = sim_read_file(path, "PEM file", MAX_PEM_FILE, &len, err, errlen);
    if (!buf)
        return NULL;
    if (!strstr(buf, "-----BEGIN ")) {
        snprintf(err, errlen, "%s: not a PEM file", path);
        OPENSSL_cleanse(buf, len);
        free(buf);
        return NULL;
    }
    return buf;
}

int sim_tls_load(sim_tls *tls, const char *cert_file, const char *key_file,
                 char *err, size_t errlen)
{
    memset(tls, 0, sizeof(*tls));
    tls->cert_pem = read_pem(cert_file, err, errlen);
    tls->key_pem = tls->cert_pem ? read_pem(key_file, err, errlen) : NULL;
    if (!tls->key_pem) {
        sim_tls_free(tls);
        return -1;
    }
    return 0;
}

void sim_tls_free(sim_tls *tls)
{
    if (tls->key_pem)
        OPENSSL_cleanse(tls->key_pem, strlen(tls->key_pem));
    free(tls->key_pem);
    free(tls->cert_pem);
    tls->key_pem = tls->cert_pem = NULL;
}
