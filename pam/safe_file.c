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

/* "is too large (limit 64 KiB)": names the cap so an admin knows what to fix. */
static int fail_size(char *err, size_t errlen, const char *path, size_t max)
{
    if (max % (1024 * 1024) == 0)
        snprintf(err, errlen, "%s: is too large (limit %zu MiB)", path, max / (1024 * 1024));
    else if (max % 1024 == 0)
        snprintf(err, errlen, "%s: is too large (limit %zu KiB)", path, max / 1024);
    else
        snprintf(err, errlen, "%s: is too large (limit %zu bytes)", path, max);
    return -1;
}

static int check_stat(const struct stat *st, unsigned flags, size_t max, const char *path,
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
    if ((unsigned long long)st->st_size > max)
        return fail_size(err, errlen, path, max);
    return 0;
}

/* Reads to EOF into a buffer sized from fstat (size bytes), normally in one
 * read. The file may have grown since fstat, so the buffer then grows, by
 * wiped copies (it may hold a secret), up to max + 1 bytes: a byte past max
 * proves the file too large. read(), not mmap(): a file truncated while
 * mapped would kill the login process with SIGBUS. Returns 0 with *got
 * bytes in *out (NUL-terminated, max + 1 when too large), or -1 with errno. */
static int read_all(int fd, size_t size, size_t max, char **out, size_t *got)
{
    size_t cap = (size < max ? size : max) + 1, n = 0;
    char *buf = malloc(cap + 1);

    if (!buf)
        return -1;
    for (;;) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            lcpam_file_free(buf, cap + 1);
            errno = e;
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n == cap) {
            char *bigger;
            size_t ncap = cap > max / 2 ? max + 1 : cap * 2;
            if (n > max)
                break;
            bigger = malloc(ncap + 1);
            if (!bigger) {
                lcpam_file_free(buf, cap + 1);
                errno = ENOMEM;
                return -1;
            }
            memcpy(bigger, buf, n);
            lcpam_file_free(buf, cap + 1);
            buf = bigger;
            cap = ncap;
        }
    }
    buf[n] = '\0';
    *out = buf;
    *got = n;
    return 0;
}

int lcpam_file_read(const char *path, unsigned flags, char **out, size_t *len,
                    char *err, size_t errlen)
{
    return lcpam_file_read_max(path, flags, LCPAM_FILE_MAX, out, len, err, errlen);
}

int lcpam_file_read_max(const char *path, unsigned flags, size_t max, char **out,
                        size_t *len, char *err, size_t errlen)
{
    struct stat st;
    char *buf;
    size_t n;
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
    if (check_stat(&st, flags, max, path, err, errlen) != 0) {
        close(fd);
        return -1;
    }
    if (read_all(fd, (size_t)st.st_size, max, &buf, &n) != 0) {
        int e = errno;
        close(fd);
        return fail_errno(err, errlen, path, e);
    }
    close(fd);
    if (n > max) {
        lcpam_file_free(buf, n);
        return fail_size(err, errlen, path, max);
    }
    if (memchr(buf, '\0', n)) {
        lcpam_file_free(buf, n);
        return fail(err, errlen, path, "contains a NUL byte");
    }
    *out = buf;
    *len = n;
    return 0;
}

void lcpam_file_free(char *buf, size_t len)
{
    if (!buf)
        return;
    explicit_bzero(buf, len);
    free(buf);
}
