/* Opens configuration the way a root-run module must: no symlinks, no files
 * another user could have written, no surprises (FIFOs, devices, huge or
 * binary files). The checks run on the opened descriptor, so the file we
 * checked is the file we read. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safe_file.h"

static int fail(char *err, size_t errlen, const char *path, const char *what)
{
    snprintf(err, errlen, "%s: %s", path, what);
    return -1;
}

static int fail_errno(char *err, size_t errlen, const char *path, int e)
{
    char buf[128];

    /* ELOOP from O_NOFOLLOW: the final component is a symbolic link. */
    if (e == ELOOP)
        return fail(err, errlen, path, "is a symbolic link (refused)");
    return fail(err, errlen, path, strerror_r(e, buf, sizeof buf));
}

static int check_stat(const struct stat *st, unsigned flags, const char *path,
                      char *err, size_t errlen)
{
    if (!S_ISREG(st->st_mode))
        return fail(err, errlen, path, "not a regular file");
    /* Root in production; the effective uid lets unprivileged tests run. */
    if (st->st_uid != 0 && st->st_uid != geteuid())
        return fail(err, errlen, path, "not owned by root or the effective user");
    if (st->st_mode & (S_IWGRP | S_IWOTH))
        return fail(err, errlen, path, "is group or world writable");
    if ((flags & LCPAM_FILE_SECRET) && (st->st_mode & (S_IRWXG | S_IRWXO)))
        return fail(err, errlen, path, "is readable by group or others (must be mode 0600)");
    if (st->st_size > LCPAM_FILE_MAX)
        return fail(err, errlen, path, "is too large");
    return 0;
}

/* Reads to EOF; the file may have changed size since fstat. */
static ssize_t read_all(int fd, char *buf, size_t cap)
{
    size_t got = 0;

    while (got < cap) {
        ssize_t n = read(fd, buf + got, cap - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

int lcpam_file_read(const char *path, unsigned flags, char **out, size_t *len,
                    char *err, size_t errlen)
{
    struct stat st;
    char *buf;
    ssize_t n;
    int fd;

    *out = NULL;
    *len = 0;
    if (!path || path[0] != '/')
        return fail(err, errlen, path ? path : "(null)", "not an absolute path");
    /* O_NONBLOCK: opening a FIFO must not hang the login; S_ISREG rejects it. */
    fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return fail_errno(err, errlen, path, errno);
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return fail_errno(err, errlen, path, e);
    }
    if (check_stat(&st, flags, path, err, errlen) != 0) {
        close(fd);
        return -1;
    }
    /* One byte of slack detects growth past the limit after fstat. */
    buf = malloc(LCPAM_FILE_MAX + 2);
    if (!buf) {
        close(fd);
        return fail(err, errlen, path, "out of memory");
    }
    n = read_all(fd, buf, LCPAM_FILE_MAX + 1);
    if (n < 0) {
        int e = errno;
        close(fd);
        lcpam_file_free(buf, LCPAM_FILE_MAX + 2);
        return fail_errno(err, errlen, path, e);
    }
    close(fd);
    if (n > LCPAM_FILE_MAX) {
        lcpam_file_free(buf, LCPAM_FILE_MAX + 2);
        return fail(err, errlen, path, "is too large");
    }
    buf[n] = '\0';
    if (memchr(buf, '\0', (size_t)n)) {
        lcpam_file_free(buf, LCPAM_FILE_MAX + 2);
        return fail(err, errlen, path, "contains a NUL byte");
    }
    *out = buf;
    *len = (size_t)n;
    return 0;
}

void lcpam_file_free(char *buf, size_t len)
{
    if (!buf)
        return;
    explicit_bzero(buf, len);
    free(buf);
}
