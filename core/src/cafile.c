/* CA bundle check; see cafile.h. The PAM module calls it at config load
 * with require_root_owner = 1; lc_client_new calls it with 0. */
#include "cafile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "errors.h"

/* Far above any real bundle (Debian's is ~220 KB); bounds the parse. */
#define CAFILE_MAX (16L * 1024 * 1024)

/* Counts the certificates in a PEM stream the way OpenSSL's own bundle
 * loader reads it (X509_load_cert_crl_file): -1 when a block does not parse. */
static int count_certs(int fd)
{
    BIO *bio = BIO_new_fd(fd, BIO_NOCLOSE);
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

lc_status lc_cafile_check(const char *path, int require_root_owner, lc_error *err)
{
    struct stat st;
    lc_status rc = LC_OK;
    int fd, n;

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
    else if (require_root_owner && st.st_uid != 0 && st.st_uid != geteuid())
        rc = lc_err_set(err, LC_ERR_IO, "cafile %s: not owned by root (owner uid %ld)", path,
                        (long)st.st_uid);
    else if (require_root_owner && (st.st_mode & (S_IWGRP | S_IWOTH)))
        rc = lc_err_set(err, LC_ERR_IO, "cafile %s: is group or world writable (mode %04o)",
                        path, (unsigned)(st.st_mode & 07777));
    else if (st.st_size > CAFILE_MAX)
        rc = lc_err_set(err, LC_ERR_USAGE, "cafile %s: too large for a CA bundle", path);
    if (!rc) {
        n = count_certs(fd);
        if (n < 0)
            rc = lc_err_set(err, LC_ERR_USAGE, "cafile %s: not a valid PEM CA bundle", path);
        else if (n == 0)
            rc = lc_err_set(err, LC_ERR_USAGE, "cafile %s: holds no PEM certificate", path);
    }
    close(fd);
    return rc;
}
