/* Token file storage and locking; see token_store.h. */
#include "token_store.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "dir_chain.h"
#include "errors.h"
#include "file_lock.h"
#include "json_parse.h"
#include "json_util.h"
#include "safe_file.h"

/* The directory part of path ("." or "/" when there is none); malloc'd. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* Every directory above the token directory must belong to root or us and
 * may be writable by others only with the sticky bit (dir_chain.h). */
static lc_status check_ancestors(const char *dir, lc_error *err)
{
    char label[1024];

    snprintf(label, sizeof label, "token file directory %s", dir);
    return lc_dir_chain_check(label, dir, NULL, err);
}

lc_status lc_token_dir_check(const char *path, lc_error *err)
{
    char *dir = dir_of(path);
    struct stat st;
    lc_status rc = LC_OK;

    if (!dir)
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    if (stat(dir, &st) != 0)
        rc = lc_err_set(err, LC_ERR_IO, "token file directory %s: cannot stat: %s", dir,
                        strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        rc = lc_err_set(err, LC_ERR_IO, "token file directory %s: not a directory", dir);
    else if (st.st_uid != 0 && st.st_uid != geteuid())
        rc = lc_err_set(err, LC_ERR_IO,
                        "token file directory %s: owned by uid %ld, not root or uid %ld (refused)",
                        dir, (long)st.st_uid, (long)geteuid());
    else if (st.st_mode & (S_IWGRP | S_IWOTH))
        rc = lc_err_set(err, LC_ERR_IO,
                        "token file directory %s: mode %04o lets group or others create files "
                        "there (refused: use a private directory)",
                        dir, (unsigned)(st.st_mode & 07777));
    else
        rc = check_ancestors(dir, err);
    free(dir);
    return rc;
}

/* The token file and its lock file: ours alone (owner the effective uid,
 * no group or other bits), never a symlink, never waited on (FIFO). */
static const lc_file_rules token_rules = {
    "token file", LC_TOKEN_FILE_MAX,
    LC_FILE_OWNER_SELF | LC_FILE_SECRET | LC_FILE_MISSING_OK, LC_ERR_IO
};
static const lc_file_rules lock_rules = {
    "token lock file", 0, LC_FILE_OWNER_SELF | LC_FILE_SECRET, LC_ERR_IO
};

lc_status lc_token_file_check(const char *path, lc_error *err)
{
    lc_status st = lc_token_dir_check(path, err);
    int fd = st ? -1 : lc_file_open(path, O_RDONLY, &token_rules, &st, err);
    if (fd >= 0)
        close(fd);
    return st;
}

int lc_token_text_ok(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
            return 0;
    return 1;
}

static char *dup_field(const cJSON *doc, const char *key, int *bad)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);
    char *s;
    if (!v || cJSON_IsNull(v))
        return NULL;
    if (!cJSON_IsString(v)) {
        *bad = 1;
        return NULL;
    }
    if (!*v->valuestring)
        return NULL;
    if (!lc_token_text_ok(v->valuestring)) {
        *bad = 3;
        return NULL;
    }
    if (strlen(v->valuestring) > LC_TOKEN_MAX) {
        *bad = 4;
        return NULL;
    }
    s = strdup(v->valuestring);
    if (!s)
        *bad = 2;
    return s;
}

lc_status lc_tokens_parse(const char *text, size_t len, lc_tokens *t, lc_error *err)
{
    lc_tokens n = { NULL, NULL, NULL, 0 };
    cJSON *doc;
    const cJSON *exp;
    int bad = 0;
    size_t i = 0;

    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r'))
        i++;
    if (i == len) {
        lc_tokens_free(t);
        return LC_OK;
    }
    {
        /* The strict reader: a token file with a key twice or a NUL is
         * refused like any other broken file (io), never half-read. */
        lc_json_limits lim = lc_json_limits_for(len);
        lc_status st = lc_json_parse(text, len, &lim, "the token file", &doc, err);
        if (st == LC_ERR_NOMEM)
            return st;
        if (st) {
            if (err)
                err->kind = LC_ERR_IO; /* keeps the reader's message */
            return LC_ERR_IO;
        }
        if (!cJSON_IsObject(doc)) {
            lc_json_delete_wiped(doc);
            return lc_err_set(err, LC_ERR_IO, "token file is not a JSON object");
        }
    }
    n.access = dup_field(doc, "access_token", &bad);
    n.refresh = dup_field(doc, "refresh_token", &bad);
    n.type = dup_field(doc, "token_type", &bad);
    exp = cJSON_GetObjectItemCaseSensitive(doc, "expires_at");
    if (cJSON_IsNumber(exp) && exp->valuedouble >= 0 && exp->valuedouble < 1e15)
        n.expires_at = (long long)exp->valuedouble;
    else if (exp && !cJSON_IsNull(exp))
        bad = bad ? bad : 1;
    lc_json_delete_wiped(doc);
    if (bad) {
        lc_tokens_free(&n);
        if (bad == 2)
            return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
        if (bad == 3)
            return lc_err_set(err, LC_ERR_IO,
                              "token file holds a token with characters not allowed in a header");
        if (bad == 4)
            return lc_err_set(err, LC_ERR_IO, "token file holds a token over %d bytes",
                              LC_TOKEN_MAX);
        return lc_err_set(err, LC_ERR_IO, "token file has a field of the wrong type");
    }
    lc_tokens_free(t);
    *t = n;
    return LC_OK;
}

int lc_tokens_serialize(const lc_tokens *t, lc_buf *out)
{
    const char *sep = "";
    char num[32];
    int rc = lc_buf_puts(out, "{");

    if (!rc && t->access) {
        rc = lc_buf_puts(out, "\"access_token\":") || lc_buf_put_json_string(out, t->access);
        sep = ",";
    }
    if (!rc && t->refresh) {
        rc = lc_buf_puts(out, sep) || lc_buf_puts(out, "\"refresh_token\":") ||
             lc_buf_put_json_string(out, t->refresh);
        sep = ",";
    }
    if (!rc && t->type) {
        rc = lc_buf_puts(out, sep) || lc_buf_puts(out, "\"token_type\":") ||
             lc_buf_put_json_string(out, t->type);
        sep = ",";
    }
    if (!rc && t->expires_at) {
        snprintf(num, sizeof(num), "%lld", t->expires_at);
        rc = lc_buf_puts(out, sep) || lc_buf_puts(out, "\"expires_at\":") || lc_buf_puts(out, num);
    }
    if (!rc)
        rc = lc_buf_puts(out, "}\n");
    return rc ? -1 : 0;
}

static char *lock_path(const char *path)
{
    size_t n = strlen(path);
    char *p = malloc(n + sizeof(".lock"));
    if (p) {
        memcpy(p, path, n);
        memcpy(p + n, ".lock", sizeof(".lock"));
    }
    return p;
}

lc_status lc_token_lock_acquire(const char *path, long long deadline_ms,
                                lc_token_lock *lk, lc_error *err)
{
    char *lp = lock_path(path);
    lc_status st;

    lk->fd = -1;
    if (!lp)
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    /* Checked before creating the lock file: in a directory others can
     * write, anyone could pre-create it and block every client. */
    st = lc_token_dir_check(path, err);
    if (!st)
        st = lc_file_lock_take(lp, &lock_rules, deadline_ms, lk, err);
    free(lp);
    return st;
}

void lc_token_lock_release(lc_token_lock *lk)
{
    lc_file_lock_release(lk);
}

lc_status lc_token_file_read(const char *path, lc_tokens *t, lc_error *err)
{
    lc_file f;
    lc_status st = lc_file_read(path, &token_rules, &f, err);

    if (!st && !f.data) {
        lc_tokens_free(t); /* missing: no tokens yet */
        return LC_OK;
    }
    if (!st) {
        st = lc_tokens_parse(f.data, f.len, t, err);
        if (st == LC_ERR_IO)
            lc_err_append(err, " (%s)", path);
    }
    lc_file_free(&f);
    return st;
}

static lc_status write_all(int fd, const char *p, size_t n, const char *path, lc_error *err)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return lc_err_set(err, LC_ERR_IO, "token file %s: write failed: %s", path,
                              w < 0 ? strerror(errno) : "short write");
        p += w;
        n -= (size_t)w;
    }
    return LC_OK;
}

/* Makes the rename durable. Some file systems cannot fsync a directory
 * (EINVAL); that is not an error. */
static void sync_dir(const char *path)
{
    char *dir = dir_of(path);
    int fd;

    if (!dir)
        return;
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Removes "<file>.tmpXXXXXX" files a writer killed between mkostemp and
 * rename left behind (they may hold tokens). Writers hold the lock, so
 * under it every such file is stale. Only our own regular files. */
static void remove_stale_temps(const char *path)
{
    char *dir = dir_of(path);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t blen = strlen(base);
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *de;
    struct stat st;

    while (d && (de = readdir(d))) {
        if (strncmp(de->d_name, base, blen) != 0 || strlen(de->d_name) != blen + 10 ||
            strncmp(de->d_name + blen, ".tmp", 4) != 0)
            continue;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISREG(st.st_mode) && st.st_uid == geteuid())
            unlinkat(dirfd(d), de->d_name, 0);
    }
    if (d)
        closedir(d);
    free(dir);
}

lc_status lc_token_file_write(const char *path, const lc_tokens *t, lc_error *err)
{
    lc_buf json, tmp;
    lc_status st = LC_OK;
    int fd;

    lc_buf_init(&json, 0);
    lc_buf_init(&tmp, 0);
    if (lc_tokens_serialize(t, &json) || lc_buf_puts(&tmp, path) ||
        lc_buf_puts(&tmp, ".tmpXXXXXX")) {
        st = lc_err_set(err, LC_ERR_NOMEM, "out of memory");
        goto out;
    }
    /* What we write, the reader must accept (tokens are capped at parse). */
    if (json.len > LC_TOKEN_FILE_MAX) {
        st = lc_err_set(err, LC_ERR_USAGE, "token file %s: tokens too large to store", path);
        goto out;
    }
    remove_stale_temps(path);
    fd = mkostemp(tmp.data, O_CLOEXEC);
    if (fd < 0) {
        st = lc_err_set(err, LC_ERR_IO, "token file %s: cannot create temporary file: %s",
                        path, strerror(errno));
        goto out;
    }
    if (fchmod(fd, 0600) != 0)
        st = lc_err_set(err, LC_ERR_IO, "token file %s: chmod failed: %s", path, strerror(errno));
    if (!st)
        st = write_all(fd, json.data, json.len, path, err);
    if (!st && fsync(fd) != 0)
        st = lc_err_set(err, LC_ERR_IO, "token file %s: fsync failed: %s", path, strerror(errno));
    if (close(fd) != 0 && !st)
        st = lc_err_set(err, LC_ERR_IO, "token file %s: close failed: %s", path, strerror(errno));
    if (!st && rename(tmp.data, path) != 0)
        st = lc_err_set(err, LC_ERR_IO, "token file %s: rename failed: %s", path, strerror(errno));
    if (st)
        unlink(tmp.data);
    else
        sync_dir(path);
out:
    lc_buf_free(&json);
    lc_buf_free(&tmp);
    return st;
}
