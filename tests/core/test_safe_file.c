/* The one safe file reader (core/src/safe_file.c), with the rules each of
 * its users picks: symbolic links, owners, modes, FIFOs, directories, size
 * caps, NUL bytes, missing files, and a file that grows while read. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safe_file.h"
#include "tap.h"

static char dir[] = "/tmp/lcsafefile.XXXXXX";
static char path[600];

static const char *put(const char *name, const char *content, size_t len, mode_t mode)
{
    int fd;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, content, len) != (ssize_t)len)
        diag("cannot write %s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    chmod(path, mode);
    return path;
}

/* Reads p under rules; returns the status, the message in msg. */
static lc_status rd(const char *p, const char *label, size_t max, unsigned flags, lc_file *f,
                    char *msg)
{
    lc_file_rules r = { label, max, flags, LC_ERR_IO };
    lc_error e;
    lc_status st;

    lc_error_init(&e);
    st = lc_file_read(p, &r, f, &e);
    strcpy(msg, st ? e.message : "");
    return st;
}

static int refused(const char *p, unsigned flags, const char *want, char *msg)
{
    lc_file f;
    lc_status st = rd(p, NULL, 1024, flags, &f, msg);

    return st == LC_ERR_IO && f.data == NULL && strstr(msg, want) && strstr(msg, p);
}

static void test_default_rules(void)
{
    char msg[600], target[600];
    lc_file f;

    ok(rd(put("good", "a = b\n", 6, 0644), NULL, 1024, 0, &f, msg) == LC_OK && f.len == 6 &&
       !strcmp(f.data, "a = b\n"), "a 0644 file of ours reads");
    lc_file_free(&f);
    ok(f.data == NULL && f.len == 0, "lc_file_free empties the struct");

    ok(refused(put("gw", "x", 1, 0664), 0, "group or world writable", msg), "group-writable: %s", msg);
    ok(refused(put("ww", "x", 1, 0646), 0, "group or world writable", msg), "world-writable: %s", msg);

    snprintf(target, sizeof target, "%s/good", dir);
    snprintf(path, sizeof path, "%s/link", dir);
    ok(symlink(target, path) == 0 && refused(path, 0, "is a symbolic link", msg),
       "a symbolic link is refused: %s", msg);
    ok(rd(path, NULL, 1024, LC_FILE_FOLLOW, &f, msg) == LC_OK && f.len == 6,
       "LC_FILE_FOLLOW follows it (a system CA bundle is a link)");
    lc_file_free(&f);
    snprintf(target, sizeof target, "%s/gw", dir);
    snprintf(path, sizeof path, "%s/badlink", dir);
    ok(symlink(target, path) == 0 && refused(path, LC_FILE_FOLLOW, "group or world writable", msg),
       "a followed link's target is what is checked: %s", msg);

    snprintf(path, sizeof path, "%s/fifo", dir);
    ok(mkfifo(path, 0600) == 0 && refused(path, 0, "not a regular file", msg),
       "a FIFO is refused without blocking: %s", msg);
    ok(refused(dir, 0, "not a regular file", msg), "a directory is refused: %s", msg);
    snprintf(path, sizeof path, "%s/missing", dir);
    ok(refused(path, 0, "No such file", msg), "a missing file is an error by default: %s", msg);
    ok(rd(path, NULL, 1024, LC_FILE_MISSING_OK, &f, msg) == LC_OK && f.data == NULL,
       "LC_FILE_MISSING_OK: missing is LC_OK without data");

    ok(refused(put("nul", "a\0b", 3, 0644), 0, "contains a NUL byte", msg), "a NUL byte: %s", msg);
    ok(rd(path, NULL, 1024, LC_FILE_BINARY, &f, msg) == LC_OK && f.len == 3 && f.data[3] == '\0',
       "LC_FILE_BINARY keeps it (length counted, still terminated)");
    lc_file_free(&f);

    ok(rd("relative/x", NULL, 1024, LC_FILE_ABSOLUTE, &f, msg) == LC_ERR_USAGE &&
       strstr(msg, "not an absolute path"), "LC_FILE_ABSOLUTE refuses a relative path: %s", msg);
    ok(rd("", "cafile", 1024, 0, &f, msg) == LC_ERR_USAGE, "an empty path is refused: %s", msg);
}

static void test_modes_and_owners(void)
{
    char msg[600];
    lc_file f;

    ok(rd(put("s600", "k", 1, 0600), NULL, 1024, LC_FILE_SECRET, &f, msg) == LC_OK,
       "a 0600 secret reads");
    lc_file_free(&f);
    ok(rd(put("s400", "k", 1, 0400), NULL, 1024, LC_FILE_SECRET, &f, msg) == LC_OK,
       "a 0400 secret reads");
    lc_file_free(&f);
    ok(refused(put("s640", "k", 1, 0640), LC_FILE_SECRET, "must be mode 0600", msg),
       "a 0640 secret is refused: %s", msg);
    ok(refused(put("s604", "k", 1, 0604), LC_FILE_SECRET, "0604", msg),
       "a 0604 secret is refused, its mode named: %s", msg);
    ok(refused(path, LC_FILE_SECRET | LC_FILE_ANY_OWNER, "must be mode 0600", msg),
       "LC_FILE_ANY_OWNER does not lift LC_FILE_SECRET: %s", msg);

    if (geteuid() == 0) {
        put("foreign", "x", 1, 0644);
        ok(chown(path, 65534, 65534) == 0 && refused(path, 0, "not owned by root", msg),
           "another user's file is refused: %s", msg);
        ok(rd(path, NULL, 1024, LC_FILE_ANY_OWNER, &f, msg) == LC_OK,
           "LC_FILE_ANY_OWNER reads it (a library client's own CA bundle)");
        lc_file_free(&f);
        ok(refused(path, LC_FILE_OWNER_SELF, "not owned by uid 0", msg),
           "LC_FILE_OWNER_SELF refuses it: %s", msg);
        chmod(path, 0666);
        ok(rd(path, NULL, 1024, LC_FILE_ANY_OWNER, &f, msg) == LC_OK,
           "LC_FILE_ANY_OWNER skips the mode rule too");
        lc_file_free(&f);
    } else {
        /* Not root: a root-owned file is not ours. */
        ok(refused("/etc/passwd", LC_FILE_OWNER_SELF, "not owned by uid", msg),
           "LC_FILE_OWNER_SELF refuses root's file: %s", msg);
        skip("another user's file needs root to set up");
        skip("another user's file needs root to set up");
        skip("another user's file needs root to set up");
    }
}

static void test_caps(void)
{
    char msg[600], *big = malloc(4097);
    lc_file_rules r = { "token file", 4096, 0, LC_ERR_USAGE };
    lc_file f;
    lc_error e;

    memset(big, '#', 4097);
    ok(rd(put("max", big, 4096, 0644), NULL, 4096, 0, &f, msg) == LC_OK && f.len == 4096,
       "a file at the cap reads");
    lc_file_free(&f);
    ok(rd(put("over", big, 4097, 0644), NULL, 4096, 0, &f, msg) == LC_ERR_IO &&
       strstr(msg, "is too large (limit 4 KiB)") && f.data == NULL,
       "one byte over is refused, the cap named: %s", msg);
    lc_error_init(&e);
    ok(lc_file_read(path, &r, &f, &e) == LC_ERR_USAGE && !strncmp(e.message, "token file ", 11),
       "the caller picks the kind and the label: %s", e.message);
    ok(rd(path, NULL, 1000, 0, &f, msg) == LC_ERR_IO && strstr(msg, "(limit 1000 bytes)"),
       "a cap in bytes: %s", msg);
    free(big);

    /* procfs files say size 0 and are longer: read whole, and the cap still
     * holds past what fstat said. */
    struct stat st;
    if (stat("/proc/version", &st) == 0 && st.st_size == 0 && st.st_uid == geteuid()) {
        ok(rd("/proc/version", NULL, 4096, 0, &f, msg) == LC_OK && f.len > 16 &&
           strlen(f.data) == f.len, "a file longer than fstat said is read whole (%zu bytes)", f.len);
        lc_file_free(&f);
        ok(rd("/proc/version", NULL, 16, 0, &f, msg) == LC_ERR_IO && f.data == NULL &&
           strstr(msg, "too large"), "and refused once it passes the cap: %s", msg);
    } else {
        skip("no procfs file of size 0 owned by us");
        skip("no procfs file of size 0 owned by us");
    }
}

/* The token lock file: created 0600, checked like the token file. */
static void test_open(void)
{
    lc_file_rules r = { "token lock file", 0, LC_FILE_OWNER_SELF | LC_FILE_SECRET, LC_ERR_IO };
    struct stat st;
    lc_status s;
    lc_error e;
    int fd;

    lc_error_init(&e);
    snprintf(path, sizeof path, "%s/lock", dir);
    fd = lc_file_open(path, O_RDWR | O_CREAT, &r, &s, &e);
    ok(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0600, "O_CREAT makes it 0600");
    if (fd >= 0)
        close(fd);
    chmod(path, 0644);
    ok(lc_file_open(path, O_RDWR, &r, &s, &e) == -1 && s == LC_ERR_IO &&
       strstr(e.message, "token lock file") && strstr(e.message, "0644"),
       "an existing lock file is checked: %s", e.message);
}

static void cleanup(void)
{
    char cmd[700];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        diag("could not remove %s", dir);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        ok(0, "mkdtemp: %s", strerror(errno));
        return tap_done();
    }
    test_default_rules();
    test_modes_and_owners();
    test_caps();
    test_open();
    cleanup();
    return tap_done();
}
