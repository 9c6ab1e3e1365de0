/* The identity index (format and rules in identity_index.h): the config
 * keys and the pattern, the builder and writer `lockcloud sync` uses, and
 * the lookup a login runs, which reads the header and one record per step
 * of a binary search and trusts none of them unchecked. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "identity_index.h"
#include "lines.h"

#include "../core/src/access_id.h"
#include "../core/src/dir_chain.h"
#include "../core/src/errors.h"
#include "../core/src/safe_file.h"
#include "../core/src/text.h"

static const char magic[8] = { 'L', 'C', 'I', 'D', 'E', 'N', 'T', '\n' };
static const char *const attr_names[] = { NULL, "email", "name", "phone" };

/* ---- configuration ------------------------------------------------------ */

enum { IK_IDENTITY, IK_INDEX_FILE, IK_MAX_AGE, IK_COUNT };
static const char *const identity_keys[IK_COUNT] = { "identity", "index_file", "index_max_age" };

static const lc_option index_file_row = {
    "index_file", LC_OPT_PATH, LC_OPT_NO_FIELD, 0, 4096, 0,
    "the identity index lockcloud sync writes (identity_index.h)"
};

void lcpam_identity_conf_defaults(lcpam_identity_conf *ic)
{
    memset(ic, 0, sizeof *ic);
    ic->max_age_s = LCPAM_INDEX_MAX_AGE_DEFAULT;
}

const char *lcpam_identity_attr_name(lcpam_identity_attr attr)
{
    return attr > LCPAM_ATTR_NONE && attr <= LCPAM_ATTR_PHONE ? attr_names[attr] : NULL;
}

/* Well-formed UTF-8 without control characters (C0, DEL, C1): what the
 * core's sanitizer copies unchanged. n is at most LCPAM_IDENTITY_SPEC_MAX. */
static int text_ok(const char *s, size_t n)
{
    char copy[LCPAM_IDENTITY_SPEC_MAX + 1];

    /* It replaces, never adds: a copy as long and equal is clean. */
    return n < sizeof copy &&
           lc_text_sanitize_n(copy, sizeof copy, s, n, LC_TEXT_MESSAGE) == n &&
           memcmp(copy, s, n) == 0;
}

static void fold_ascii(char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            s[i] = (char)(s[i] - 'A' + 'a');
}

static int set_identity(lcpam_identity_conf *ic, const char *v, char *err, size_t errlen)
{
    const char *colon = strchr(v, ':'), *pat, *u;
    size_t alen, plen;
    int a;

    if (!colon) {
        snprintf(err, errlen, "identity must be ATTRIBUTE:PATTERN (email, name or phone)");
        return -1;
    }
    alen = (size_t)(colon - v);
    for (a = LCPAM_ATTR_EMAIL; a <= LCPAM_ATTR_PHONE; a++)
        if (strlen(attr_names[a]) == alen && memcmp(v, attr_names[a], alen) == 0)
            break;
    if (a > LCPAM_ATTR_PHONE) {
        snprintf(err, errlen, "identity: the attribute must be email, name or phone");
        return -1;
    }
    pat = colon + 1;
    plen = strlen(pat);
    u = strstr(pat, "%u");
    if (plen == 0 || plen > LCPAM_IDENTITY_PATTERN_MAX || !text_ok(pat, plen)) {
        snprintf(err, errlen, "identity: the pattern must be 1 to %d characters of UTF-8 "
                 "text", LCPAM_IDENTITY_PATTERN_MAX);
        return -1;
    }
    /* Exactly one %u and no other '%': no escapes to misread. */
    if (!u || strchr(pat, '%') != u || strchr(u + 1, '%')) {
        snprintf(err, errlen, "identity: the pattern must hold exactly one %%u and no other '%%'");
        return -1;
    }
    ic->spec = strdup(v);
    if (!ic->spec) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (a == LCPAM_ATTR_EMAIL)
        fold_ascii(ic->spec, strlen(ic->spec));
    ic->attr = (lcpam_identity_attr)a;
    ic->prefix_len = (size_t)(u - pat);
    ic->suffix_len = plen - ic->prefix_len - 2;
    return 0;
}

static int set_max_age(lcpam_identity_conf *ic, const char *v, char *err, size_t errlen)
{
    size_t n = strlen(v);
    long s = -1;

    if (n > 0 && n <= 8 && strspn(v, "0123456789") == n)
        s = strtol(v, NULL, 10);
    if (s < LCPAM_INDEX_MAX_AGE_MIN || s > LCPAM_INDEX_MAX_AGE_MAX) {
        snprintf(err, errlen, "index_max_age must be whole seconds from %ld to %ld",
                 LCPAM_INDEX_MAX_AGE_MIN, LCPAM_INDEX_MAX_AGE_MAX);
        return -1;
    }
    ic->max_age_s = s;
    return 0;
}

int lcpam_identity_conf_set(lcpam_identity_conf *ic, const char *key, const char *value,
                            char *err, size_t errlen)
{
    int k = lcpam_key_claim(identity_keys, IK_COUNT, key, &ic->seen, err, errlen);

    if (k < 0)
        return k == LCPAM_KEY_OTHER ? 1 : -1;
    if (k == IK_IDENTITY)
        return set_identity(ic, value, err, errlen);
    if (k == IK_INDEX_FILE)
        return lcpam_option_copy(&index_file_row, value, &ic->index_file, err, errlen);
    return set_max_age(ic, value, err, errlen);
}

int lcpam_identity_conf_check(const lcpam_identity_conf *ic, char *err, size_t errlen)
{
    if (ic->attr != LCPAM_ATTR_NONE && !ic->index_file) {
        snprintf(err, errlen, "identity needs index_file");
        return -1;
    }
    if (ic->attr == LCPAM_ATTR_NONE && (ic->seen & ~(1u << IK_IDENTITY))) {
        snprintf(err, errlen, "index_file and index_max_age need identity");
        return -1;
    }
    return 0;
}

void lcpam_identity_conf_free(lcpam_identity_conf *ic)
{
    if (!ic)
        return;
    free(ic->spec);
    free(ic->index_file);
    lcpam_identity_conf_defaults(ic);
}

/* ---- names and ids ------------------------------------------------------ */

/* A Linux user name as the map accepts one. */
static int user_ok(const char *s, size_t n)
{
    if (n == 0 || n > LCPAM_USER_MAX || s[0] == '-')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '@' || c == '-'))
            return 0;
    }
    return 1;
}

int lcpam_identity_user_of(const lcpam_identity_conf *ic, const char *value,
                           char user[LCPAM_USER_MAX + 1])
{
    const char *pat;
    size_t n, mid;
    char buf[LCPAM_IDENTITY_PATTERN_MAX + LCPAM_USER_MAX + 1];

    user[0] = '\0';
    if (!ic || ic->attr == LCPAM_ATTR_NONE || !value)
        return 0;
    pat = strchr(ic->spec, ':') + 1;
    n = strlen(value);
    if (n > sizeof buf - 1 || n <= ic->prefix_len + ic->suffix_len)
        return 0;
    memcpy(buf, value, n + 1);
    if (ic->attr == LCPAM_ATTR_EMAIL)
        fold_ascii(buf, n);
    mid = n - ic->prefix_len - ic->suffix_len;
    if (memcmp(buf, pat, ic->prefix_len) != 0 ||
        memcmp(buf + n - ic->suffix_len, pat + ic->prefix_len + 2, ic->suffix_len) != 0 ||
        !user_ok(buf + ic->prefix_len, mid))
        return 0;
    memcpy(user, buf + ic->prefix_len, mid);
    user[mid] = '\0';
    return 1;
}

/* ---- building ----------------------------------------------------------- */

void lcpam_index_builder_init(lcpam_index_builder *b)
{
    memset(b, 0, sizeof *b);
}

lc_status lcpam_index_builder_add(lcpam_index_builder *b, const char *user, const char *id,
                                  lc_error *err)
{
    lcpam_index_pair *p;
    lc_error lerr;

    if (!user || !user_ok(user, strlen(user)))
        return lc_err_set(err, LC_ERR_USAGE, "not a valid Linux user name");
    if (b->count >= LCPAM_INDEX_MAX_COUNT)
        return lc_err_set(err, LC_ERR_TOO_MANY, "more than %u users for one index",
                          LCPAM_INDEX_MAX_COUNT);
    if (b->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        p = realloc(b->pairs, cap * sizeof *p);
        if (!p)
            return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
        b->pairs = p;
        b->cap = cap;
    }
    p = &b->pairs[b->count];
    lc_error_init(&lerr);
    if (lc_access_id_normalize(id, p->id, sizeof p->id, &lerr) != LC_OK)
        return lc_err_set(err, LC_ERR_USAGE, "%s", lerr.message);
    snprintf(p->user, sizeof p->user, "%s", user);
    b->count++;
    b->sorted = 0;
    return LC_OK;
}

static int pair_cmp(const void *a, const void *b)
{
    const lcpam_index_pair *x = a, *y = b;
    int c = strcmp(x->user, y->user);

    return c ? c : strcmp(x->id, y->id);
}

void lcpam_index_builder_finish(lcpam_index_builder *b)
{
    size_t w = 0;

    if (b->count)
        qsort(b->pairs, b->count, sizeof *b->pairs, pair_cmp);
    for (size_t r = 0; r < b->count; r++)
        if (w == 0 || pair_cmp(&b->pairs[w - 1], &b->pairs[r]) != 0)
            b->pairs[w++] = b->pairs[r];
    b->count = w;
    b->sorted = 1;
}

void lcpam_index_builder_counts(const lcpam_index_builder *b, size_t *users, size_t *ambiguous)
{
    size_t u = 0, a = 0;

    for (size_t i = 0; i < b->count; i++) {
        if (i > 0 && strcmp(b->pairs[i - 1].user, b->pairs[i].user) == 0) {
            if (i < 2 || strcmp(b->pairs[i - 2].user, b->pairs[i].user) != 0)
                a++;
            continue;
        }
        u++;
    }
    if (users)
        *users = u;
    if (ambiguous)
        *ambiguous = a;
}

void lcpam_index_builder_free(lcpam_index_builder *b)
{
    free(b->pairs);
    lcpam_index_builder_init(b);
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

lc_status lcpam_index_encode(const lcpam_index_builder *b, const char *spec, long long built_at,
                             unsigned char **out, size_t *len, lc_error *err)
{
    size_t users, slen = spec ? strlen(spec) : 0, n;
    unsigned char *buf, *rec;

    *out = NULL;
    *len = 0;
    if (!b->sorted)
        return lc_err_set(err, LC_ERR_USAGE, "identity index: builder not finished");
    if (slen == 0 || slen >= LCPAM_IDENTITY_SPEC_MAX || built_at < 0)
        return lc_err_set(err, LC_ERR_USAGE, "identity index: bad identity or time");
    lcpam_index_builder_counts(b, &users, NULL);
    n = LCPAM_INDEX_HEADER_SIZE + users * (size_t)LCPAM_INDEX_RECORD_SIZE;
    buf = calloc(1, n);
    if (!buf)
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    memcpy(buf, magic, sizeof magic);
    put32(buf + 8, LCPAM_INDEX_VERSION);
    put32(buf + 12, LCPAM_INDEX_HEADER_SIZE);
    put32(buf + 16, LCPAM_INDEX_RECORD_SIZE);
    put32(buf + 20, (uint32_t)users);
    put64(buf + 24, (uint64_t)built_at);
    put32(buf + 32, (uint32_t)slen);
    memcpy(buf + 64, spec, slen);
    rec = buf + LCPAM_INDEX_HEADER_SIZE;
    for (size_t i = 0; i < b->count; i++) {
        const lcpam_index_pair *p = &b->pairs[i];
        if (i > 0 && strcmp(b->pairs[i - 1].user, p->user) == 0) {
            /* A second person for the previous record's user. */
            unsigned char *prev = rec - LCPAM_INDEX_RECORD_SIZE;
            prev[1] = 0;
            prev[2] = LCPAM_INDEX_AMBIGUOUS_FLAG;
            memset(prev + 4 + LCPAM_USER_MAX, 0, LC_ACCESS_ID_MAX);
            continue;
        }
        rec[0] = (unsigned char)strlen(p->user);
        rec[1] = (unsigned char)strlen(p->id);
        memcpy(rec + 4, p->user, rec[0]);
        memcpy(rec + 4 + LCPAM_USER_MAX, p->id, rec[1]);
        rec += LCPAM_INDEX_RECORD_SIZE;
    }
    *out = buf;
    *len = n;
    return LC_OK;
}

/* ---- files -------------------------------------------------------------- */

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        return NULL;
    return slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
}

/* The index's directory: root's or ours, no group or other permission bit,
 * the directories above it as dir_chain.h checks them. */
static lc_status check_dir(const char *path, lc_error *err)
{
    char *dir, label[4200];
    struct stat st;
    lc_status rc;

    if (!path || path[0] != '/')
        return lc_err_set(err, LC_ERR_USAGE, "identity index: not an absolute path");
    dir = dir_of(path);
    if (!dir)
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    snprintf(label, sizeof label, "identity index directory %s", dir);
    if (stat(dir, &st) != 0)
        rc = lc_err_set(err, LC_ERR_IO, "%s: cannot stat: %s", label, strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        rc = lc_err_set(err, LC_ERR_IO, "%s: not a directory", label);
    else if (st.st_uid != 0 && st.st_uid != geteuid())
        rc = lc_err_set(err, LC_ERR_IO, "%s: owned by uid %ld, not root or uid %ld (refused)",
                        label, (long)st.st_uid, (long)geteuid());
    else if (st.st_mode & (S_IRWXG | S_IRWXO))
        rc = lc_err_set(err, LC_ERR_IO, "%s: mode %04o is not private to its owner (refused: "
                        "use a 0700 directory)", label, (unsigned)(st.st_mode & 07777));
    else
        rc = lc_dir_chain_check(label, dir, NULL, err);
    free(dir);
    return rc;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

lc_status lcpam_index_write(const char *path, const unsigned char *data, size_t len,
                            lc_error *err)
{
    char *tmp = NULL, *dir = NULL;
    lc_status rc = check_dir(path, err);
    int fd = -1, dfd = -1, e = 0;

    if (rc != LC_OK)
        return rc;
    if (asprintf(&tmp, "%s.tmpXXXXXX", path) < 0 || !(dir = dir_of(path))) {
        free(tmp);
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    }
    /* mkstemp makes it 0600, O_EXCL, owned by us. */
    errno = 0;
    fd = mkstemp(tmp);
    if (fd < 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0)
        e = errno ? errno : EIO;
    if (fd >= 0 && close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e) {
        if (fd >= 0)
            unlink(tmp);
        rc = lc_err_set(err, LC_ERR_IO, "identity index %s: cannot write: %s", path, strerror(e));
    } else {
        /* The rename is durable once the directory is. */
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0 || fsync(dfd) != 0)
            rc = lc_err_set(err, LC_ERR_IO, "identity index directory %s: cannot sync: %s",
                            dir, strerror(errno));
        if (dfd >= 0)
            close(dfd);
    }
    free(tmp);
    free(dir);
    return rc;
}

/* ---- reading ------------------------------------------------------------ */

static int read_at(const lcpam_index_src *src, uint64_t off, unsigned char *buf, size_t n)
{
    if (off > src->size || n > src->size - off)
        return -1;
    if (src->fd < 0) {
        memcpy(buf, src->mem + off, n);
        return 0;
    }
    while (n > 0) {
        ssize_t r = pread(src->fd, buf, n, (off_t)off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        buf += r;
        n -= (size_t)r;
        off += (uint64_t)r;
    }
    return 0;
}

static int zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static lc_status corrupt(lc_error *err, const char *what)
{
    return lc_err_set(err, LC_ERR_PARSE, "identity index: %s (run lockcloud sync)", what);
}

/* Header: everything checked against the source's real size and spec. */
static lc_status read_header(const lcpam_index_src *src, const char *spec, uint32_t *count,
                             long long *built_at, lc_error *err)
{
    unsigned char h[LCPAM_INDEX_HEADER_SIZE];
    size_t slen = spec ? strlen(spec) : 0;
    uint32_t n, sl;
    uint64_t t;

    if (src->size < LCPAM_INDEX_HEADER_SIZE || read_at(src, 0, h, sizeof h) != 0)
        return corrupt(err, "truncated header");
    if (memcmp(h, magic, sizeof magic) != 0)
        return corrupt(err, "not an identity index");
    if (get32(h + 8) != LCPAM_INDEX_VERSION)
        return corrupt(err, "unknown format version");
    if (get32(h + 12) != LCPAM_INDEX_HEADER_SIZE || get32(h + 16) != LCPAM_INDEX_RECORD_SIZE ||
        get32(h + 36) != 0 || !zero(h + 40, 24))
        return corrupt(err, "bad header");
    n = get32(h + 20);
    t = get64(h + 24);
    sl = get32(h + 32);
    if (n > LCPAM_INDEX_MAX_COUNT ||
        src->size != LCPAM_INDEX_HEADER_SIZE + (uint64_t)n * LCPAM_INDEX_RECORD_SIZE)
        return corrupt(err, "size does not match its count");
    if (t > (uint64_t)INT64_MAX / 2)
        return corrupt(err, "bad build time");
    if (sl == 0 || sl >= LCPAM_IDENTITY_SPEC_MAX || !zero(h + 64 + sl, LCPAM_IDENTITY_SPEC_MAX - sl) ||
        memchr(h + 64, '\0', sl) || !text_ok((const char *)h + 64, sl))
        return corrupt(err, "bad identity in header");
    if (sl != slen || memcmp(h + 64, spec, sl) != 0)
        return lc_err_set(err, LC_ERR_USAGE, "identity index was built for another identity "
                          "pattern than the configured one (run lockcloud sync)");
    *count = n;
    *built_at = (long long)t;
    return LC_OK;
}

/* One record, checked: 1 ok (user into key/klen), 0 malformed. */
static int check_record(const unsigned char *r, const unsigned char **key, size_t *klen)
{
    size_t ul = r[0], il = r[1];

    if (r[3] != 0 || (r[2] & ~LCPAM_INDEX_AMBIGUOUS_FLAG) || ul > LCPAM_USER_MAX ||
        il > LC_ACCESS_ID_MAX || !user_ok((const char *)r + 4, ul) ||
        !zero(r + 4 + ul, LCPAM_USER_MAX - ul) ||
        !zero(r + 4 + LCPAM_USER_MAX + il, LC_ACCESS_ID_MAX - il))
        return 0;
    if (r[2] & LCPAM_INDEX_AMBIGUOUS_FLAG
            ? il != 0
            : !lc_access_id_is_normal((const char *)r + 4 + LCPAM_USER_MAX, il))
        return 0;
    *key = r + 4;
    *klen = ul;
    return 1;
}

/* Bytewise order of two user names (strcmp's order: no NUL inside). */
static int key_cmp(const unsigned char *a, size_t al, const unsigned char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);

    return c ? c : (al > bl) - (al < bl);
}

static void fill_info(lcpam_index_info *info, uint32_t count, long long built_at,
                      long max_age_s, time_t now)
{
    if (!info)
        return;
    info->count = count;
    info->built_at = built_at;
    /* Built "later" than now: the clock went back, the age is unknown. */
    info->stale = max_age_s > 0 && (built_at + max_age_s <= (long long)now ||
                                    built_at > (long long)now + LCPAM_INDEX_SKEW_S);
}

lcpam_index_result lcpam_index_search(const lcpam_index_src *src, const char *spec,
                                      const char *user, long max_age_s, time_t now,
                                      char id[LC_ACCESS_ID_MAX + 1], lcpam_index_info *info,
                                      lc_error *err)
{
    unsigned char r[LCPAM_INDEX_RECORD_SIZE], lo_key[LCPAM_USER_MAX], hi_key[LCPAM_USER_MAX];
    size_t ulen = user ? strlen(user) : 0, lo_len = 0, hi_len = 0;
    uint32_t count, lo = 0, hi;
    long long built_at;
    int have_lo = 0, have_hi = 0;

    if (id)
        id[0] = '\0';
    if (read_header(src, spec, &count, &built_at, err) != LC_OK)
        return LCPAM_INDEX_ERROR;
    fill_info(info, count, built_at, max_age_s, now);
    if (!user || !user_ok(user, ulen))
        return LCPAM_INDEX_UNMAPPED;
    /* Each record read must sort strictly between the records that
     * narrowed the search so far: an out-of-order file is caught on the
     * path a lookup takes, without reading the rest. */
    hi = count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const unsigned char *key;
        size_t klen;
        int c;

        if (read_at(src, LCPAM_INDEX_HEADER_SIZE + (uint64_t)mid * LCPAM_INDEX_RECORD_SIZE, r,
                    sizeof r) != 0) {
            lc_err_set(err, LC_ERR_IO, "identity index: cannot read a record");
            return LCPAM_INDEX_ERROR;
        }
        if (!check_record(r, &key, &klen)) {
            corrupt(err, "malformed record");
            return LCPAM_INDEX_ERROR;
        }
        if ((have_lo && key_cmp(key, klen, lo_key, lo_len) <= 0) ||
            (have_hi && key_cmp(key, klen, hi_key, hi_len) >= 0)) {
            corrupt(err, "records out of order");
            return LCPAM_INDEX_ERROR;
        }
        c = key_cmp((const unsigned char *)user, ulen, key, klen);
        if (c == 0) {
            if (r[2] & LCPAM_INDEX_AMBIGUOUS_FLAG)
                return LCPAM_INDEX_AMBIGUOUS;
            if (id) {
                memcpy(id, r + 4 + LCPAM_USER_MAX, r[1]);
                id[r[1]] = '\0';
            }
            return LCPAM_INDEX_FOUND;
        }
        if (c < 0) {
            hi = mid;
            memcpy(hi_key, key, klen);
            hi_len = klen;
            have_hi = 1;
        } else {
            lo = mid + 1;
            memcpy(lo_key, key, klen);
            lo_len = klen;
            have_lo = 1;
        }
    }
    return LCPAM_INDEX_UNMAPPED;
}

lc_status lcpam_index_verify(const lcpam_index_src *src, const char *spec, lc_error *err)
{
    unsigned char prev[LCPAM_INDEX_RECORD_SIZE], r[LCPAM_INDEX_RECORD_SIZE];
    uint32_t count;
    long long built_at;
    lc_status st = read_header(src, spec, &count, &built_at, err);

    for (uint32_t i = 0; st == LC_OK && i < count; i++) {
        const unsigned char *key, *pkey;
        size_t klen, plen;

        if (read_at(src, LCPAM_INDEX_HEADER_SIZE + (uint64_t)i * LCPAM_INDEX_RECORD_SIZE, r,
                    sizeof r) != 0)
            return lc_err_set(err, LC_ERR_IO, "identity index: cannot read a record");
        if (!check_record(r, &key, &klen))
            return corrupt(err, "malformed record");
        if (i > 0 && check_record(prev, &pkey, &plen) && key_cmp(pkey, plen, key, klen) >= 0)
            return corrupt(err, "records out of order");
        memcpy(prev, r, sizeof r);
    }
    return st;
}

static const lc_file_rules index_rules = {
    "identity index", 0, LC_FILE_ABSOLUTE | LC_FILE_SECRET | LC_FILE_BINARY, LC_ERR_IO
};

lcpam_index_result lcpam_index_lookup(const lcpam_identity_conf *ic, const char *user,
                                      time_t now, char id[LC_ACCESS_ID_MAX + 1],
                                      lcpam_index_info *info, lc_error *err)
{
    lcpam_index_src src = { -1, NULL, 0 };
    lcpam_index_result res;
    struct stat sb;
    lc_status st;

    if (id)
        id[0] = '\0';
    if (!ic || ic->attr == LCPAM_ATTR_NONE || !ic->index_file) {
        lc_err_set(err, LC_ERR_USAGE, "no identity configured");
        return LCPAM_INDEX_ERROR;
    }
    if (check_dir(ic->index_file, err) != LC_OK)
        return LCPAM_INDEX_ERROR;
    src.fd = lc_file_open(ic->index_file, O_RDONLY, &index_rules, &st, err);
    if (src.fd < 0) {
        if (err && err->kind == LC_ERR_IO && strstr(err->message, "No such file"))
            lc_err_append(err, " (run lockcloud sync)");
        return LCPAM_INDEX_ERROR;
    }
    if (fstat(src.fd, &sb) != 0) {
        lc_err_set(err, LC_ERR_IO, "identity index %s: cannot stat: %s", ic->index_file,
                   strerror(errno));
        close(src.fd);
        return LCPAM_INDEX_ERROR;
    }
    src.size = (uint64_t)sb.st_size;
    res = lcpam_index_search(&src, ic->spec, user, ic->max_age_s, now, id, info, err);
    close(src.fd);
    return res;
}

lcpam_who lcpam_identity_resolve(const char *map_file, const lcpam_identity_conf *ic,
                                 const char *user, time_t now, char id[LC_ACCESS_ID_MAX + 1],
                                 lcpam_index_info *info, lc_error *err)
{
    char msg[LCPAM_ERR_MAX];
    int r;

    id[0] = '\0';
    if (info)
        memset(info, 0, sizeof *info);
    r = lcpam_map_lookup(map_file, user, id, LC_ACCESS_ID_MAX + 1, msg, sizeof msg);
    if (r < 0) {
        lc_err_set(err, LC_ERR_IO, "%s", msg);
        return LCPAM_WHO_ERROR;
    }
    if (r == 1)
        return LCPAM_WHO_MAPPED;
    if (!ic || ic->attr == LCPAM_ATTR_NONE)
        return LCPAM_WHO_UNMAPPED;
    switch (lcpam_index_lookup(ic, user, now, id, info, err)) {
    case LCPAM_INDEX_FOUND:     return LCPAM_WHO_INDEXED;
    case LCPAM_INDEX_AMBIGUOUS: return LCPAM_WHO_AMBIGUOUS;
    case LCPAM_INDEX_UNMAPPED:  return LCPAM_WHO_UNMAPPED;
    default:                    return LCPAM_WHO_ERROR;
    }
}
