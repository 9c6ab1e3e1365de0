/* The decision cache's files; see decision_cache.h. */
#include "decision_cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The core's internals (linked statically), all curl-free. */
#include "../core/src/dir_chain.h"
#include "../core/src/errors.h"
#include "../core/src/file_lock.h"
#include "../core/src/safe_file.h"

#define PATH_CAP (sizeof(((lcpam_cache *)0)->dir) + 80)

lc_status lcpam_cache_open(lcpam_cache *c, const char *dir, int create, lc_error *err)
{
    char label[64 + sizeof c->dir];
    struct stat st;

    c->dir[0] = '\0';
    if (!dir || dir[0] != '/' || strlen(dir) >= sizeof c->dir)
        return lc_err_set(err, LC_ERR_USAGE, "decision cache directory: not an absolute path "
                          "of at most %zu bytes", sizeof c->dir - 1);
    if (create && mkdir(dir, 0700) != 0 && errno != EEXIST)
        return lc_err_set(err, LC_ERR_IO, "decision cache directory %s: cannot create: %s", dir,
                          strerror(errno));
    if (stat(dir, &st) != 0)
        return lc_err_set(err, LC_ERR_IO, "decision cache directory %s: cannot stat: %s", dir,
                          strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return lc_err_set(err, LC_ERR_IO, "decision cache directory %s: not a directory", dir);
    if (st.st_uid != 0 && st.st_uid != geteuid())
        return lc_err_set(err, LC_ERR_IO, "decision cache directory %s: owned by uid %ld, not "
                          "root or uid %ld (refused)", dir, (long)st.st_uid, (long)geteuid());
    /* Who may list it learns who logs in; who may write it, decides. */
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        return lc_err_set(err, LC_ERR_IO, "decision cache directory %s: mode %04o gives access "
                          "to group or others (must be 0700)", dir,
                          (unsigned)(st.st_mode & 07777));
    snprintf(label, sizeof label, "decision cache directory %s", dir);
    if (lc_dir_chain_check(label, dir, NULL, err) != LC_OK)
        return LC_ERR_IO;
    strcpy(c->dir, dir);
    return LC_OK;
}

/* A cache whose open failed has no directory: never "/<key>" instead. */
static int not_open(const lcpam_cache *c, lc_error *err)
{
    if (c->dir[0] == '/')
        return 0;
    lc_err_set(err, LC_ERR_USAGE, "decision cache: not open");
    return 1;
}

const char *lcpam_cache_status_name(lcpam_cache_status s)
{
    static const char *const names[] = { "hit", "absent", "refused", "corrupt", "mismatch",
                                         "future" };
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

/* A record: absolute path, never a link, regular, owner root or us, 0600,
 * capped; a missing file is the ordinary miss. */
static const lc_file_rules record_rules = {
    "decision record", LCPAM_CACHE_RECORD_MAX,
    LC_FILE_ABSOLUTE | LC_FILE_SECRET | LC_FILE_MISSING_OK, LC_ERR_IO
};

static void path_of(char *dst, const lcpam_cache *c, const char *hex, int slot)
{
    if (slot < 0)
        snprintf(dst, PATH_CAP, "%s/%s", c->dir, hex);
    else
        snprintf(dst, PATH_CAP, "%s/%s.t%d", c->dir, hex, slot);
}

static int same_key(const lcpam_decision_record *r, const lcpam_cache_key *key)
{
    return strcmp(r->vendor, key->vendor) == 0 && strcmp(r->person_id, key->person_id) == 0 &&
           strcmp(r->rule, key->rule) == 0;
}

/* Reads and parses the file at path; HIT means a well-formed record. */
static lcpam_cache_status read_record(const char *path, lcpam_decision_record *out,
                                      lc_file *identity, lc_error *err)
{
    lc_file f;
    lc_status st = lc_file_read(path, &record_rules, &f, err);

    if (st)
        return LCPAM_CACHE_REFUSED;
    if (!f.data)
        return LCPAM_CACHE_ABSENT;
    st = lcpam_decision_record_parse(f.data, f.len, out, err);
    if (identity) {
        identity->dev = f.dev;
        identity->ino = f.ino;
    }
    lc_file_free(&f);
    if (st) {
        char why[sizeof err->message];
        snprintf(why, sizeof why, "%s", err ? err->message : "");
        lc_err_set(err, LC_ERR_PARSE, "decision record %s: %s (ignored)", path, why);
        return LCPAM_CACHE_CORRUPT;
    }
    return LCPAM_CACHE_HIT;
}

lcpam_cache_status lcpam_cache_load(const lcpam_cache *c, const lcpam_cache_key *key,
                                    time_t now, lcpam_decision_record *out, lc_error *err)
{
    char hex[65], path[PATH_CAP];
    lcpam_cache_status s;

    memset(out, 0, sizeof *out);
    if (not_open(c, err) || lcpam_cache_key_hex(key, hex, err) != LC_OK)
        return LCPAM_CACHE_REFUSED;
    path_of(path, c, hex, -1);
    s = read_record(path, out, NULL, err);
    if (s == LCPAM_CACHE_HIT && !same_key(out, key)) {
        lc_err_set(err, LC_ERR_IO, "decision record %s: holds another key's decision (ignored)",
                   path);
        s = LCPAM_CACHE_MISMATCH;
    } else if (s == LCPAM_CACHE_HIT && lcpam_cache_is_future(out, now)) {
        lc_err_set(err, LC_ERR_IO, "decision record %s: decided %lld s in the future "
                   "(the clock went back? ignored)", path, out->decided_at - (long long)now);
        s = LCPAM_CACHE_FUTURE;
    }
    if (s != LCPAM_CACHE_HIT)
        memset(out, 0, sizeof *out);
    return s;
}

/* A temp file no writer is using any more: old, or dated in the future
 * (the clock went back past it). */
static int temp_stale(const struct stat *st, time_t now)
{
    return st->st_mtime + LCPAM_CACHE_STALE_S <= now || st->st_mtime > now + LCPAM_CACHE_STALE_S;
}

/* Removes this key's stale temp files, then takes a free slot: at most
 * LCPAM_CACHE_SLOTS names, whatever else the directory holds. */
static int open_slot(const lcpam_cache *c, const char *hex, char *tmp, lc_error *err)
{
    time_t now = time(NULL);
    struct stat st;
    int slot, fd;

    for (slot = 0; slot < LCPAM_CACHE_SLOTS; slot++) {
        path_of(tmp, c, hex, slot);
        if (lstat(tmp, &st) == 0 && S_ISREG(st.st_mode) && temp_stale(&st, now))
            unlink(tmp);
    }
    for (slot = 0; slot < LCPAM_CACHE_SLOTS; slot++) {
        path_of(tmp, c, hex, slot);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0)
            return fd;
        if (errno != EEXIST) {
            lc_err_set(err, LC_ERR_IO, "decision cache %s: cannot create %s: %s", c->dir, tmp,
                       strerror(errno));
            return -1;
        }
    }
    lc_err_set(err, LC_ERR_IO, "decision cache %s: %d writers of one key at once (not stored)",
               c->dir, LCPAM_CACHE_SLOTS);
    return -1;
}

static lc_status write_all(int fd, const char *p, size_t n, const char *tmp, lc_error *err)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return lc_err_set(err, LC_ERR_IO, "decision cache %s: write failed: %s", tmp,
                              w < 0 ? strerror(errno) : "short write");
        p += w;
        n -= (size_t)w;
    }
    return LC_OK;
}

/* 1 while tmp still names the file open on fd: a writer stalled past the
 * stale limit may have lost its slot to another, whose file it must
 * neither rename nor remove. */
static int still_ours(int fd, const char *tmp)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && lstat(tmp, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd); /* some file systems cannot (EINVAL): not an error */
        close(fd);
    }
}

lc_status lcpam_cache_forget(const lcpam_cache *c, const lcpam_cache_key *key, lc_error *err)
{
    char hex[65], path[PATH_CAP];

    if (not_open(c, err) || lcpam_cache_key_hex(key, hex, err) != LC_OK)
        return err->kind;
    path_of(path, c, hex, -1);
    /* unlink needs no free block or inode: it works when a store could not */
    if (unlink(path) != 0 && errno != ENOENT)
        return lc_err_set(err, LC_ERR_IO, "decision cache %s: cannot remove: %s", path,
                          strerror(errno));
    return LC_OK;
}

lc_status lcpam_cache_store(const lcpam_cache *c, const lcpam_decision_record *r,
                            lc_error *err)
{
    char text[LCPAM_CACHE_RECORD_MAX], hex[65], path[PATH_CAP], tmp[PATH_CAP];
    lcpam_cache_key key = { r->vendor, r->person_id, r->rule };
    lc_status st = LC_OK;
    int n = lcpam_decision_record_format(r, text, sizeof text, err), fd;

    if (n < 0 || not_open(c, err) || lcpam_cache_key_hex(&key, hex, err) != LC_OK)
        return LC_ERR_USAGE;
    path_of(path, c, hex, -1);
    fd = open_slot(c, hex, tmp, err);
    if (fd < 0)
        return LC_ERR_IO;
    if (fchmod(fd, 0600) != 0)
        st = lc_err_set(err, LC_ERR_IO, "decision cache %s: chmod failed: %s", tmp,
                        strerror(errno));
    if (!st)
        st = write_all(fd, text, (size_t)n, tmp, err);
    if (!st && fsync(fd) != 0)
        st = lc_err_set(err, LC_ERR_IO, "decision cache %s: fsync failed: %s", tmp,
                        strerror(errno));
    if (!st && !still_ours(fd, tmp))
        st = lc_err_set(err, LC_ERR_IO, "decision cache %s: temp file taken over (not stored)",
                        tmp);
    else if (!st && rename(tmp, path) != 0)
        st = lc_err_set(err, LC_ERR_IO, "decision cache %s: rename failed: %s", path,
                        strerror(errno));
    if (st && still_ours(fd, tmp))
        unlink(tmp);
    close(fd);
    if (!st)
        sync_dir(c->dir);
    return st;
}

/* ---- single flight ------------------------------------------------------------ */

static const lc_file_rules lock_rules = {
    "decision lock file", 0, LC_FILE_ABSOLUTE | LC_FILE_SECRET, LC_ERR_IO
};

lc_status lcpam_cache_lock_key(const lcpam_cache *c, const lcpam_cache_key *key,
                               long long deadline_ms, lcpam_cache_lock *lk, lc_error *err)
{
    char hex[65], path[PATH_CAP];

    lk->fd = -1;
    if (not_open(c, err) || lcpam_cache_key_hex(key, hex, err) != LC_OK)
        return LC_ERR_USAGE;
    snprintf(path, sizeof path, "%s/%s.lock", c->dir, hex);
    return lc_file_lock_take(path, &lock_rules, deadline_ms, lk, err);
}

void lcpam_cache_unlock(lcpam_cache_lock *lk)
{
    lc_file_lock_release(lk);
}

/* ---- prune (the command, not the login path) ---------------------------------- */

static int is_hex64(const char *s)
{
    return strlen(s) >= 64 && strspn(s, "0123456789abcdef") >= 64;
}

/* Unlinks name if it is still the file that was read. */
static int remove_if_same(int dfd, const char *name, const lc_file *identity)
{
    struct stat st;
    return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_dev == identity->dev &&
           st.st_ino == identity->ino && unlinkat(dfd, name, 0) == 0;
}

/* A lock file whose key has no record and that nobody holds: a login that
 * opened it just before the unlink may lock the old file while another
 * makes a new one; then two check online once, nothing worse. */
static int prune_lock(int dfd, const char *name)
{
    char record[65];
    struct stat st;
    int fd, gone = 0;

    memcpy(record, name, 64);
    record[64] = '\0';
    if (fstatat(dfd, record, &st, AT_SYMLINK_NOFOLLOW) == 0)
        return 0;
    fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && flock(fd, LOCK_EX | LOCK_NB) == 0)
        gone = unlinkat(dfd, name, 0) == 0;
    close(fd);
    return gone;
}

/* One directory entry: 1 when it was removed. */
static int prune_entry(const lcpam_cache *c, const lcpam_cache_conf *cc, time_t now, int dfd,
                       const char *name, lcpam_cache_prune_stats *stats)
{
    char path[PATH_CAP], hex[65];
    lcpam_decision_record r;
    lcpam_cache_key key = { r.vendor, r.person_id, r.rule };
    lc_file identity = { 0 };
    lcpam_cache_status s;
    struct stat st;
    lc_error err;

    if (!is_hex64(name))
        return 0;
    if (strcmp(name + 64, ".lock") == 0)
        return prune_lock(dfd, name);
    if (name[64] == '.') { /* a temp file "<hex>.t<slot>" */
        return name[65] == 't' && name[66] >= '0' && name[66] <= '9' && !name[67] &&
               fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
               temp_stale(&st, now) && unlinkat(dfd, name, 0) == 0;
    }
    if (name[64] != '\0')
        return 0;
    lc_error_init(&err);
    snprintf(path, sizeof path, "%s/%s", c->dir, name);
    s = read_record(path, &r, &identity, &err);
    if (s == LCPAM_CACHE_REFUSED) {
        stats->refused++;
        return 0;
    }
    if (s == LCPAM_CACHE_HIT) {
        if (lcpam_cache_key_hex(&key, hex, NULL) != LC_OK || strcmp(hex, name) != 0)
            s = LCPAM_CACHE_MISMATCH;
        else if (lcpam_cache_is_future(&r, now))
            s = LCPAM_CACHE_FUTURE;
        else if (lcpam_cache_fresh(&r, cc, now) || lcpam_cache_offline_ok(&r, cc, now))
            return 0;
    }
    return s != LCPAM_CACHE_ABSENT && remove_if_same(dfd, name, &identity);
}

lc_status lcpam_cache_prune(const lcpam_cache *c, const lcpam_cache_conf *cc, time_t now,
                            size_t budget, lcpam_cache_prune_stats *stats, lc_error *err)
{
    DIR *d = opendir(c->dir);
    struct dirent *de;

    memset(stats, 0, sizeof *stats);
    if (!d)
        return lc_err_set(err, LC_ERR_IO, "decision cache directory %s: cannot list: %s",
                          c->dir, strerror(errno));
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (stats->examined == budget) {
            stats->more = 1;
            break;
        }
        stats->examined++;
        stats->removed += (size_t)prune_entry(c, cc, now, dirfd(d), de->d_name, stats);
    }
    closedir(d);
    return LC_OK;
}
