/* CA bundle check and load; see cafile.h. The PAM module calls
 * lc_cafile_check at config load with require_root_owner = 1;
 * lc_client_new calls lc_cafile_load with 0 and keeps the bytes. */
#include "cafile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "dir_chain.h"
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

static lc_status too_large(const char *path, long long size, lc_error *err)
{
    if (size < 0)
        return lc_err_set(err, LC_ERR_USAGE, "cafile %s: over the %zu MiB limit for a CA "
                          "bundle (refused)", path, LC_CAFILE_MAX >> 20);
    return lc_err_set(err, LC_ERR_USAGE, "cafile %s: %lld bytes, over the %zu MiB limit for "
                      "a CA bundle (refused)", path, size, LC_CAFILE_MAX >> 20);
}

/* Reads the whole file from fd, at most LC_CAFILE_MAX bytes (st_size is
 * only a hint: a file may grow while we read it). */
static lc_status read_all(int fd, const char *path, off_t hint, lc_ca_bundle *out,
                          lc_error *err)
{
    const size_t limit = LC_CAFILE_MAX + 1; /* one more byte: "too large" */
    size_t cap = hint > 0 && (size_t)hint < LC_CAFILE_MAX ? (size_t)hint + 1 : 65536;
    size_t len = 0;
    char *data = malloc(cap + 1);

    if (!data)
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    for (;;) {
        ssize_t n;
        if (len == cap) {
            size_t ncap = cap > limit / 2 ? limit : 2 * cap;
            char *bigger = cap < limit ? realloc(data, ncap + 1) : NULL;
            if (!bigger) {
                free(data);
                return cap < limit ? lc_err_set(err, LC_ERR_NOMEM, "out of memory")
                                   : too_large(path, -1, err);
            }
            data = bigger;
            cap = ncap;
        }
        n = read(fd, data + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(data);
            return lc_err_set(err, LC_ERR_IO, "cafile %s: cannot read: %s", path, strerror(e));
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    data[len] = '\0';
    out->data = data;
    out->len = len;
    return LC_OK;
}

/* The PAM rules on the open file and where it lies: root's (or ours), not
 * group/world writable, in a directory chain nobody else can change; and
 * the path still resolves to the file we opened, so the chain checked is
 * the one that holds the bytes we read. */
static lc_status check_owner(const struct stat *st, const char *path,
                             lc_error *err)
{
    char label[1024];
    char *real = NULL;
    struct stat now;
    lc_status rc;

    if (st->st_uid != 0 && st->st_uid != geteuid())
        return lc_err_set(err, LC_ERR_IO, "cafile %s: not owned by root (owner uid %ld)", path,
                          (long)st->st_uid);
    if (st->st_mode & (S_IWGRP | S_IWOTH))
        return lc_err_set(err, LC_ERR_IO, "cafile %s: is group or world writable (mode %04o)",
                          path, (unsigned)(st->st_mode & 07777));
    snprintf(label, sizeof label, "cafile %s", path);
    rc = lc_dir_chain_check(label, path, &real, err);
    if (!rc && (stat(real, &now) != 0 || now.st_dev != st->st_dev || now.st_ino != st->st_ino))
        rc = lc_err_set(err, LC_ERR_IO, "cafile %s: changed while it was being checked "
                        "(refused)", path);
    free(real);
    return rc;
}

lc_status lc_cafile_load(const char *path, int require_root_owner, lc_ca_bundle *out,
                         lc_error *err)
{
    struct stat st;
    lc_status rc = LC_OK;
    int fd, n;

    out->data = NULL;
    out->len = 0;
    if (!path || !*path)
        return lc_err_set(err, LC_ERR_USAGE, "cafile is empty");
    /* Follows symlinks on purpose; O_NONBLOCK: a FIFO must not hang us. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return lc_err_set(err, LC_ERR_IO, "cafile %s: cannot open: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0)
        rc = lc_err_set(err, LC_ERR_IO, "cafile %s: cannot stat: %s", path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        rc = lc_err_set(err, LC_ERR_IO, "cafile %s: not a regular file", path);
    else if (require_root_owner)
        rc = check_owner(&st, path, err);
    if (!rc && (size_t)st.st_size > LC_CAFILE_MAX)
        rc = too_large(path, (long long)st.st_size, err);
    if (!rc)
        rc = read_all(fd, path, st.st_size, out, err);
    close(fd);
    if (!rc) {
        n = count_certs(out);
        if (n < 0)
            rc = lc_err_set(err, LC_ERR_USAGE, "cafile %s: not a valid PEM CA bundle", path);
        else if (n == 0)
            rc = lc_err_set(err, LC_ERR_USAGE, "cafile %s: holds no PEM certificate", path);
        if (rc)
            lc_ca_bundle_free(out);
    }
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
