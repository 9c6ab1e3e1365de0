/* See safe_file.h. The checks a root-run module needs: no symlinks, no
 * file another user could have written, no surprises (FIFOs, devices,
 * huge or binary files). */
#include "safe_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"

/* "<label> <path>: <reason>"; returns kind. */
__attribute__((format(printf, 4, 5)))
static lc_status fail(lc_error *err, lc_status kind, const char *where, const char *fmt, ...)
{
    char reason[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    return lc_err_set(err, kind, "%s: %s", where, reason);
}

static lc_status fail_errno(lc_error *err, const char *where, const char *doing, int e)
{
    if (e == ENOMEM)
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    return fail(err, LC_ERR_IO, where, "cannot %s: %s", doing, strerror(e));
}

/* "is too large (limit 64 KiB)": names the cap so an admin knows what to fix. */
static lc_status fail_size(lc_error *err, const lc_file_rules *r, const char *where)
{
    lc_status kind = r->too_large ? r->too_large : LC_ERR_IO;

    if (r->max % (1024 * 1024) == 0)
        return fail(err, kind, where, "is too large (limit %zu MiB)", r->max / (1024 * 1024));
    if (r->max % 1024 == 0)
        return fail(err, kind, where, "is too large (limit %zu KiB)", r->max / 1024);
    return fail(err, kind, where, "is too large (limit %zu bytes)", r->max);
}

/* "<label> <path>", what every message starts with. */
static void where_of(char *where, size_t n, const lc_file_rules *r, const char *path)
{
    snprintf(where, n, "%s%s%s", r->label ? r->label : "", r->label ? " " : "",
             path ? path : "(null)");
}

static lc_status check_stat(const struct stat *st, const lc_file_rules *r, const char *where,
                            lc_error *err)
{
    if (!S_ISREG(st->st_mode))
        return fail(err, LC_ERR_IO, where, "not a regular file (refused)");
    /* Flags compose: a secret stays 0600 whoever owns it. */
    if ((r->flags & LC_FILE_SECRET) && (st->st_mode & (S_IRWXG | S_IRWXO)))
        return fail(err, LC_ERR_IO, where, "mode %04o gives access to group or others "
                    "(must be mode 0600)", (unsigned)(st->st_mode & 07777));
    if (r->flags & LC_FILE_ANY_OWNER)
        return LC_OK;
    if ((r->flags & LC_FILE_OWNER_SELF) && st->st_uid != geteuid())
        return fail(err, LC_ERR_IO, where, "not owned by uid %ld (owner uid %ld, refused)",
                    (long)geteuid(), (long)st->st_uid);
    /* Root in production; the effective uid lets unprivileged tests run. */
    if (st->st_uid != 0 && st->st_uid != geteuid())
        return fail(err, LC_ERR_IO, where, "not owned by root or the effective user "
                    "(owner uid %ld, refused)", (long)st->st_uid);
    if (st->st_mode & (S_IWGRP | S_IWOTH))
        return fail(err, LC_ERR_IO, where, "is group or world writable (mode %04o, refused)",
                    (unsigned)(st->st_mode & 07777));
    return LC_OK;
}

int lc_file_open(const char *path, int oflags, const lc_file_rules *r, lc_status *st,
                 lc_error *err)
{
    char where[1100];
    struct stat sb;
    int fd, e;

    where_of(where, sizeof where, r, path);
    *st = LC_OK;
    if (!path || !*path) {
        *st = fail(err, LC_ERR_USAGE, where, "empty path");
        return -1;
    }
    if ((r->flags & LC_FILE_ABSOLUTE) && path[0] != '/') {
        *st = fail(err, LC_ERR_USAGE, where, "not an absolute path");
        return -1;
    }
    /* O_NONBLOCK: opening a FIFO must not hang us; S_ISREG refuses it. */
    oflags |= O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    if (!(r->flags & LC_FILE_FOLLOW))
        oflags |= O_NOFOLLOW;
    fd = open(path, oflags, 0600);
    if (fd < 0) {
        e = errno;
        if (e == ENOENT && (r->flags & LC_FILE_MISSING_OK) && !(oflags & O_CREAT))
            return -1;
        /* ELOOP from O_NOFOLLOW: the final component is a symbolic link. */
        *st = e == ELOOP && !(r->flags & LC_FILE_FOLLOW)
              ? fail(err, LC_ERR_IO, where, "is a symbolic link (refused)")
              : fail_errno(err, where, "open", e);
        return -1;
    }
    if (fstat(fd, &sb) != 0)
        *st = fail_errno(err, where, "stat", errno);
    else
        *st = check_stat(&sb, r, where, err);
    if (*st) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads to EOF into a buffer sized from fstat (size bytes), normally in one
 * read. The file may have grown since fstat, so the buffer then grows, by
 * wiped copies (it may hold a secret), up to max + 1 bytes: a byte past max
 * proves the file too large. read(), not mmap(): a file truncated while
 * mapped would kill the process with SIGBUS. Returns 0 with *got bytes in
 * *out (NUL-terminated, max + 1 when too large), or -1 with errno. */
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
            explicit_bzero(buf, cap + 1);
            free(buf);
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
                explicit_bzero(buf, cap + 1);
                free(buf);
                errno = ENOMEM;
                return -1;
            }
            memcpy(bigger, buf, n);
            explicit_bzero(buf, cap + 1);
            free(buf);
            buf = bigger;
            cap = ncap;
        }
    }
    buf[n] = '\0';
    *out = buf;
    *got = n;
    return 0;
}

lc_status lc_file_read(const char *path, const lc_file_rules *r, lc_file *out, lc_error *err)
{
    char where[1100];
    struct stat sb;
    lc_status st;
    char *buf;
    size_t n;
    int fd;

    memset(out, 0, sizeof *out);
    fd = lc_file_open(path, O_RDONLY, r, &st, err);
    if (fd < 0)
        return st;
    where_of(where, sizeof where, r, path);
    if (fstat(fd, &sb) != 0) {
        st = fail_errno(err, where, "stat", errno);
    } else if ((unsigned long long)sb.st_size > r->max) {
        st = fail_size(err, r, where);
    } else if (read_all(fd, (size_t)sb.st_size, r->max, &buf, &n) != 0) {
        st = fail_errno(err, where, "read", errno);
    } else if (n > r->max) {
        st = fail_size(err, r, where);
        explicit_bzero(buf, n);
        free(buf);
    } else if (!(r->flags & LC_FILE_BINARY) && memchr(buf, '\0', n)) {
        st = fail(err, LC_ERR_IO, where, "contains a NUL byte");
        explicit_bzero(buf, n);
        free(buf);
    } else {
        out->data = buf;
        out->len = n;
        out->dev = sb.st_dev;
        out->ino = sb.st_ino;
    }
    close(fd);
    return st;
}

void lc_file_free(lc_file *f)
{
    if (!f)
        return;
    if (f->data) {
        explicit_bzero(f->data, f->len);
        free(f->data);
    }
    memset(f, 0, sizeof *f);
}
