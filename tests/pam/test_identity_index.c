/* The identity index (pam/identity_index.h): config keys, the pattern,
 * the builder, and lookups over hostile files: truncated, another version,
 * another owner, group-writable, a symbolic link, records out of order,
 * malformed records, ambiguous users, an index built for another pattern. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "identity_index.h"
#include "lines.h"
#include "tap.h"

static char dir[] = "/tmp/lcidxtest.XXXXXX";
static char err[LCPAM_ERR_MAX * 2];

/* A config with the required keys plus extra lines; 0 or -1 (err). */
static int parse_conf(const char *extra, lcpam_conf *conf)
{
    char text[2048];

    snprintf(text, sizeof text, "credentials_file = /etc/x\nmap_file = /etc/y\n%s", extra);
    return lcpam_conf_parse(text, conf, err, sizeof err);
}

static void test_config(void)
{
    lcpam_conf c;

    ok(parse_conf("identity = email:%u@Example.ORG\nindex_file = /var/lib/lc/id\n", &c) == 0 &&
       c.identity.attr == LCPAM_ATTR_EMAIL && strcmp(c.identity.spec, "email:%u@example.org") == 0 &&
       c.identity.max_age_s == LCPAM_INDEX_MAX_AGE_DEFAULT,
       "identity email: parsed, pattern folded to lower case, default max age");
    lcpam_conf_free(&c);
    ok(parse_conf("identity = name:%u\nindex_file = /x/id\nindex_max_age = 3600\n", &c) == 0 &&
       c.identity.attr == LCPAM_ATTR_NAME && strcmp(c.identity.spec, "name:%u") == 0 &&
       c.identity.max_age_s == 3600, "identity name with index_max_age");
    lcpam_conf_free(&c);
    ok(parse_conf("", &c) == 0 && c.identity.attr == LCPAM_ATTR_NONE && !c.identity.index_file,
       "no identity: none configured");
    lcpam_conf_free(&c);

    static const struct { const char *text, *want; } bad[] = {
        { "identity = email:%u@x\n", "identity needs index_file" },
        { "index_file = /x/id\n", "need identity" },
        { "identity = email:%u@x\nindex_file = /x/id\nindex_max_age = 59\n", "index_max_age" },
        { "identity = email:%u@x\nindex_file = /x/id\nindex_max_age = 1h\n", "index_max_age" },
        { "identity = email:u@x\nindex_file = /x/id\n", "exactly one %u" },
        { "identity = email:%u%u\nindex_file = /x/id\n", "exactly one %u" },
        { "identity = email:%u@x%\nindex_file = /x/id\n", "exactly one %u" },
        { "identity = pin:%u\nindex_file = /x/id\n", "email, name or phone" },
        { "identity = %u@x\nindex_file = /x/id\n", "email, name or phone" },
        { "identity = email:\nindex_file = /x/id\n", "pattern must be 1 to" },
        { "identity = email:%u\xff\nindex_file = /x/id\n", "UTF-8" },
        { "identity = email:%u@x\nidentity = email:%u@y\nindex_file = /x/id\n", "duplicate key 'identity'" },
        { "identity = email:%u@x\nindex_file = relative/id\n", "index_file" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int r = parse_conf(bad[i].text, &c);
        ok(r == -1 && strstr(err, bad[i].want), "config refused: %s (%s)", bad[i].want, err);
        if (r == 0)
            lcpam_conf_free(&c);
    }
}

static void test_pattern(void)
{
    lcpam_conf c;
    char u[LCPAM_USER_MAX + 1];

    parse_conf("identity = email:%u@example.org\nindex_file = /x/id\n", &c);
    ok(lcpam_identity_user_of(&c.identity, "Bob.Smith@Example.Org", u) == 1 &&
       strcmp(u, "bob.smith") == 0, "email: case-insensitive, user lower-cased (%s)", u);
    ok(lcpam_identity_user_of(&c.identity, "bob@example.org.evil", u) == 0,
       "email: a longer domain does not fit");
    ok(lcpam_identity_user_of(&c.identity, "@example.org", u) == 0, "email: empty user part");
    ok(lcpam_identity_user_of(&c.identity, "b o@example.org", u) == 0,
       "email: a blank in the user part does not fit");
    ok(lcpam_identity_user_of(&c.identity, "-rf@example.org", u) == 0,
       "email: a user starting with '-' does not fit");
    ok(lcpam_identity_user_of(&c.identity, "x\x1b[2J@example.org", u) == 0,
       "email: a control character does not fit");
    lcpam_conf_free(&c);
    parse_conf("identity = phone:+1%u\nindex_file = /x/id\n", &c);
    ok(lcpam_identity_user_of(&c.identity, "+15550100", u) == 1 && strcmp(u, "5550100") == 0,
       "phone: prefix pattern");
    lcpam_conf_free(&c);
    parse_conf("identity = name:%u\nindex_file = /x/id\n", &c);
    ok(lcpam_identity_user_of(&c.identity, "Casey", u) == 1 && strcmp(u, "Casey") == 0,
       "name: compared exactly, case kept");
    ok(lcpam_identity_user_of(&c.identity, "Casey Current", u) == 0, "name with a blank: skipped");
    lcpam_conf_free(&c);
}

/* An encoded index of users "u<i>" (i < n), plus "amb" twice. */
static unsigned char *build(const char *spec, size_t n, int with_amb, size_t *len)
{
    lcpam_index_builder b;
    unsigned char *data = NULL;
    char user[32], id[64];
    lc_error e;

    lcpam_index_builder_init(&b);
    for (size_t i = 0; i < n; i++) {
        snprintf(user, sizeof user, "u%zu", i);
        snprintf(id, sizeof id, "30000000-0000-4000-8000-%012zX", i);
        lcpam_index_builder_add(&b, user, id, &e);
        if (i % 7 == 0) /* a person listed twice: one pair */
            lcpam_index_builder_add(&b, user, id, &e);
    }
    if (with_amb) {
        lcpam_index_builder_add(&b, "amb", "id-one", &e);
        lcpam_index_builder_add(&b, "amb", "id-two", &e);
        lcpam_index_builder_add(&b, "amb", "id-three", &e);
    }
    lcpam_index_builder_finish(&b);
    if (lcpam_index_encode(&b, spec, time(NULL), &data, len, &e) != LC_OK)
        data = NULL;
    lcpam_index_builder_free(&b);
    return data;
}

static lcpam_index_result mem_find(const unsigned char *d, size_t len, const char *spec,
                                   const char *user, char *id, lc_error *e)
{
    lcpam_index_src src = { -1, d, len };

    lc_error_init(e);
    return lcpam_index_search(&src, spec, user, 3600, time(NULL), id, NULL, e);
}

static void test_builder(void)
{
    lcpam_index_builder b;
    size_t len, users, amb;
    unsigned char *d;
    char id[LC_ACCESS_ID_MAX + 1];
    lc_error e;
    int all = 1;

    lcpam_index_builder_init(&b);
    ok(lcpam_index_builder_add(&b, "bad user", "x", &e) == LC_ERR_USAGE, "builder: bad user refused");
    ok(lcpam_index_builder_add(&b, "bob", "has space", &e) == LC_ERR_USAGE, "builder: bad id refused");
    ok(lcpam_index_builder_add(&b, "bob", "ABC", &e) == LC_OK && strcmp(b.pairs[0].id, "abc") == 0,
       "builder: id normalised to lower case");
    lcpam_index_builder_free(&b);

    d = build("email:%u@x", 10000, 1, &len);
    lcpam_index_builder_init(&b);
    ok(d && len == LCPAM_INDEX_HEADER_SIZE + 10001u * LCPAM_INDEX_RECORD_SIZE,
       "10,000 users and one ambiguous: %zu bytes", len);
    for (size_t i = 0; d && i < 10000; i += 97) {
        char user[32], want[64];
        snprintf(user, sizeof user, "u%zu", i);
        snprintf(want, sizeof want, "30000000-0000-4000-8000-%012zx", i);
        all &= mem_find(d, len, "email:%u@x", user, id, &e) == LCPAM_INDEX_FOUND &&
               strcmp(id, want) == 0;
    }
    ok(all, "every sampled user found with its id");
    ok(mem_find(d, len, "email:%u@x", "amb", id, &e) == LCPAM_INDEX_AMBIGUOUS && id[0] == '\0',
       "a user fitting three persons: ambiguous, no id");
    ok(mem_find(d, len, "email:%u@x", "nobody", id, &e) == LCPAM_INDEX_UNMAPPED, "unknown user: unmapped");
    ok(mem_find(d, len, "email:%u@x", "../etc", id, &e) == LCPAM_INDEX_UNMAPPED,
       "an invalid user name: unmapped, no search");
    ok(mem_find(d, len, "email:%u@y", "u1", id, &e) == LCPAM_INDEX_ERROR && e.kind == LC_ERR_USAGE &&
       strstr(e.message, "another identity"), "index for another pattern: error (%s)", e.message);
    ok(d && lcpam_index_verify(&(lcpam_index_src){ -1, d, len }, "email:%u@x", &e) == LC_OK,
       "verify: the whole index is well-formed");
    /* A lookup reads its search path only: with every other record
     * destroyed, each sampled user is still found, which a lookup that
     * read or checked the whole file could not do. */
    if (d) {
        size_t n = (len - LCPAM_INDEX_HEADER_SIZE) / LCPAM_INDEX_RECORD_SIZE, kept;
        unsigned char *z = calloc(1, len);
        int found = 1;
        for (size_t i = 0; z && i < 10000; i += 997) {
            char user[32];
            size_t lo = 0, hi = n;
            snprintf(user, sizeof user, "u%zu", i);
            memcpy(z, d, LCPAM_INDEX_HEADER_SIZE);
            memset(z + LCPAM_INDEX_HEADER_SIZE, 0xff, len - LCPAM_INDEX_HEADER_SIZE);
            kept = 0;
            /* copy only the records a binary search for user visits */
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2, off = LCPAM_INDEX_HEADER_SIZE + mid * LCPAM_INDEX_RECORD_SIZE;
                int c;
                memcpy(z + off, d + off, LCPAM_INDEX_RECORD_SIZE);
                kept++;
                c = strcmp(user, (const char *)d + off + 4);
                if (c == 0)
                    break;
                if (c < 0)
                    hi = mid;
                else
                    lo = mid + 1;
            }
            found &= kept <= 15 && mem_find(z, len, "email:%u@x", user, id, &e) == LCPAM_INDEX_FOUND;
        }
        ok(z && found, "a lookup in 10,001 records reads at most 15 of them: the rest destroyed, "
           "users still found");
        ok(z && lcpam_index_verify(&(lcpam_index_src){ -1, z, len }, "email:%u@x", &e) != LC_OK,
           "verify over the same bytes refuses them (the test's damage is real)");
        free(z);
    }
    free(d);

    /* counts on a fresh builder */
    lcpam_index_builder_add(&b, "a", "1", &e);
    lcpam_index_builder_add(&b, "a", "2", &e);
    lcpam_index_builder_add(&b, "b", "3", &e);
    lcpam_index_builder_add(&b, "b", "3", &e);
    lcpam_index_builder_finish(&b);
    lcpam_index_builder_counts(&b, &users, &amb);
    ok(users == 2 && amb == 1 && b.count == 3, "counts: 2 users, 1 ambiguous, duplicate pair merged");
    lcpam_index_builder_free(&b);
}

/* Hostile bytes: each edit of a good index must be refused. */
static void test_hostile_bytes(void)
{
    size_t len;
    unsigned char *d = build("email:%u@x", 3, 0, &len), *m;
    char id[LC_ACCESS_ID_MAX + 1];
    lc_error e;
    unsigned char *rec0 = NULL, *rec2 = NULL;

    if (!d) {
        ok(0, "build");
        return;
    }
    m = malloc(len);
    rec0 = m + LCPAM_INDEX_HEADER_SIZE;
    rec2 = rec0 + 2 * LCPAM_INDEX_RECORD_SIZE;

#define EDIT(desc, stmt, user, want_kind)                                                  \
    do {                                                                                   \
        size_t mlen = len;                                                                 \
        memcpy(m, d, len);                                                                 \
        stmt;                                                                              \
        ok(mem_find(m, mlen, "email:%u@x", user, id, &e) == LCPAM_INDEX_ERROR &&           \
           e.kind == (want_kind), "%s: refused (%s)", desc, e.message);                   \
    } while (0)

    EDIT("truncated header", mlen = 100, "u1", LC_ERR_PARSE);
    EDIT("truncated by one byte", mlen = len - 1, "u1", LC_ERR_PARSE);
    EDIT("count says one more record than the size holds", m[20] = 4, "u1", LC_ERR_PARSE);
    EDIT("wrong magic", m[0] = 'X', "u1", LC_ERR_PARSE);
    EDIT("wrong version", m[8] = 2, "u1", LC_ERR_PARSE);
    EDIT("wrong record size", m[16] = 131, "u1", LC_ERR_PARSE);
    EDIT("nonzero reserved header byte", m[50] = 1, "u1", LC_ERR_PARSE);
    EDIT("count beyond the maximum", (m[20] = 0xff, m[21] = 0xff, m[22] = 0xff), "u1", LC_ERR_PARSE);
    /* records sorted u0 u1 u2: swap first and last */
    {
        unsigned char tmp[LCPAM_INDEX_RECORD_SIZE];
        EDIT("records out of order",
             (memcpy(tmp, rec0, sizeof tmp), memcpy(rec0, rec2, sizeof tmp),
              memcpy(rec2, tmp, sizeof tmp)), "u0", LC_ERR_PARSE);
    }
    EDIT("control character in a user name", rec0[4 + 1] = 0x1b, "u0", LC_ERR_PARSE);
    EDIT("NUL inside a user name", rec0[4 + 1] = 0, "u0", LC_ERR_PARSE);
    EDIT("user length past its bytes", rec0[0] = 5, "u0", LC_ERR_PARSE);
    EDIT("user length over 64", rec0[0] = 200, "u0", LC_ERR_PARSE);
    EDIT("garbage in the user padding", rec0[4 + 40] = 'x', "u0", LC_ERR_PARSE);
    EDIT("upper case in an id", rec0[4 + LCPAM_USER_MAX] = 'A', "u0", LC_ERR_PARSE);
    EDIT("blank in an id", rec0[4 + LCPAM_USER_MAX + 3] = ' ', "u0", LC_ERR_PARSE);
    EDIT("empty id without the ambiguous flag",
         (rec0[1] = 0, memset(rec0 + 4 + LCPAM_USER_MAX, 0, LC_ACCESS_ID_MAX)), "u0", LC_ERR_PARSE);
    EDIT("ambiguous flag with an id", rec0[2] = 1, "u0", LC_ERR_PARSE);
    EDIT("unknown record flag", rec0[2] = 4, "u0", LC_ERR_PARSE);
#undef EDIT
    free(m);
    free(d);
}

static char ipath[700];

static lcpam_index_result file_find(const char *spec, const char *user, char *id, lc_error *e,
                                    lcpam_index_info *info, time_t now, long max_age)
{
    lcpam_identity_conf ic;

    lcpam_identity_conf_defaults(&ic);
    ic.attr = LCPAM_ATTR_EMAIL;
    ic.spec = (char *)spec;
    ic.index_file = ipath;
    ic.max_age_s = max_age;
    lc_error_init(e);
    return lcpam_index_lookup(&ic, user, now, id, info, e);
}

static int write_index(void)
{
    size_t len;
    unsigned char *d = build("email:%u@x", 50, 1, &len);
    lc_error e;
    lc_status st = d ? lcpam_index_write(ipath, d, len, &e) : LC_ERR_NOMEM;

    free(d);
    return st == LC_OK ? 0 : -1;
}

static void test_files(void)
{
    char id[LC_ACCESS_ID_MAX + 1], link[640], sub[640];
    lcpam_index_info info;
    struct stat st;
    lc_error e;
    time_t now = time(NULL);

    snprintf(ipath, sizeof ipath, "%s/identity.index", dir);
    ok(file_find("email:%u@x", "u1", id, &e, NULL, now, 3600) == LCPAM_INDEX_ERROR &&
       strstr(e.message, "run lockcloud sync"), "missing index: error says to sync (%s)", e.message);
    ok(write_index() == 0, "written");
    ok(stat(ipath, &st) == 0 && (st.st_mode & 0777) == 0600 && st.st_uid == geteuid(),
       "written 0600, ours");
    ok(file_find("email:%u@x", "u1", id, &e, &info, now, 3600) == LCPAM_INDEX_FOUND &&
       strcmp(id, "30000000-0000-4000-8000-000000000001") == 0 && info.count == 51 && !info.stale,
       "lookup: found, 51 users, fresh");
    ok(file_find("email:%u@x", "amb", id, &e, NULL, now, 3600) == LCPAM_INDEX_AMBIGUOUS,
       "lookup: ambiguous user");
    ok(file_find("email:%u@x", "u1", id, &e, &info, now + 3600, 3600) == LCPAM_INDEX_FOUND &&
       info.stale, "older than index_max_age: still used, reported stale");
    ok(file_find("email:%u@x", "u1", id, &e, &info, now - 3600, 3600) == LCPAM_INDEX_FOUND &&
       info.stale, "built an hour after now (clock went back): reported stale");
    ok(file_find("email:%u@other", "u1", id, &e, NULL, now, 3600) == LCPAM_INDEX_ERROR &&
       e.kind == LC_ERR_USAGE, "built for another pattern: error (%s)", e.message);

    ok(chown(ipath, 1234, 1234) == 0 &&
       file_find("email:%u@x", "u1", id, &e, NULL, now, 3600) == LCPAM_INDEX_ERROR &&
       strstr(e.message, "uid 1234"), "foreign owner: refused (%s)", e.message);
    ok(chown(ipath, geteuid(), getegid()) == 0 && chmod(ipath, 0620) == 0 &&
       file_find("email:%u@x", "u1", id, &e, NULL, now, 3600) == LCPAM_INDEX_ERROR,
       "group-writable: refused (%s)", e.message);
    ok(chmod(ipath, 0640) == 0 &&
       file_find("email:%u@x", "u1", id, &e, NULL, now, 3600) == LCPAM_INDEX_ERROR,
       "group-readable: refused, 0600 only (%s)", e.message);
    chmod(ipath, 0600);

    snprintf(link, sizeof link, "%s/real.index", dir);
    rename(ipath, link);
    ok(symlink(link, ipath) == 0 &&
       file_find("email:%u@x", "u1", id, &e, NULL, now, 3600) == LCPAM_INDEX_ERROR &&
       strstr(e.message, "symbolic link"), "symbolic link: refused (%s)", e.message);
    unlink(ipath);
    rename(link, ipath);

    ok(truncate(ipath, LCPAM_INDEX_HEADER_SIZE + 10) == 0 &&
       file_find("email:%u@x", "u1", id, &e, NULL, now, 3600) == LCPAM_INDEX_ERROR &&
       e.kind == LC_ERR_PARSE, "truncated file: refused (%s)", e.message);
    ok(write_index() == 0, "rewritten over the truncated one (rename)");

    ok(chmod(dir, 0770) == 0 &&
       file_find("email:%u@x", "u1", id, &e, NULL, now, 3600) == LCPAM_INDEX_ERROR &&
       strstr(e.message, "directory"), "group-writable directory: refused (%s)", e.message);
    ok(write_index() != 0, "sync refuses to write there too");
    chmod(dir, 0700);

    /* The map first, then the index. */
    {
        char map[720];
        lcpam_identity_conf ic;
        FILE *f;

        snprintf(map, sizeof map, "%s/map", dir);
        f = fopen(map, "w");
        if (f) {
            fputs("u1 AAAA-1\nmaponly bbbb-2\n", f);
            fclose(f);
        }
        chmod(map, 0644);
        lcpam_identity_conf_defaults(&ic);
        ic.attr = LCPAM_ATTR_EMAIL;
        ic.spec = (char *)"email:%u@x";
        ic.index_file = ipath;
        ok(lcpam_identity_resolve(map, &ic, "u1", now, id, &info, &e) == LCPAM_WHO_MAPPED &&
           strcmp(id, "aaaa-1") == 0 && info.count == 0,
           "resolve: the map wins over the index for a user both know");
        ok(lcpam_identity_resolve(map, &ic, "maponly", now, id, NULL, &e) == LCPAM_WHO_MAPPED,
           "resolve: a user only the map knows");
        ok(lcpam_identity_resolve(map, &ic, "u2", now, id, &info, &e) == LCPAM_WHO_INDEXED &&
           strcmp(id, "30000000-0000-4000-8000-000000000002") == 0 && info.count == 51,
           "resolve: a user the map lacks comes from the index, its header reported");
        ok(lcpam_identity_resolve(map, &ic, "amb", now, id, NULL, &e) == LCPAM_WHO_AMBIGUOUS &&
           id[0] == '\0', "resolve: an ambiguous user, no id");
        ok(lcpam_identity_resolve(map, &ic, "nobody", now, id, NULL, &e) == LCPAM_WHO_UNMAPPED,
           "resolve: in neither: unmapped");
        ok(lcpam_identity_resolve(map, NULL, "u2", now, id, NULL, &e) == LCPAM_WHO_UNMAPPED,
           "resolve: without identity the index is not asked");
        ic.spec = (char *)"email:%u@y";
        ok(lcpam_identity_resolve(map, &ic, "u2", now, id, NULL, &e) == LCPAM_WHO_ERROR &&
           e.kind == LC_ERR_USAGE, "resolve: an index for another pattern is an error");
        f = fopen(map, "a");
        if (f) {
            fputs("u1 cccc-3\n", f);
            fclose(f);
        }
        ok(lcpam_identity_resolve(map, &ic, "u2", now, id, NULL, &e) == LCPAM_WHO_ERROR &&
           strstr(e.message, "more than once"),
           "resolve: a broken map is an error even for a user the index knows (%s)", e.message);
    }

    snprintf(sub, sizeof sub, "%s/sub", dir);
    mkdir(sub, 0700);
    ok(chown(sub, 1234, 1234) == 0 && (snprintf(ipath, sizeof ipath, "%s/identity.index", sub), 1) &&
       write_index() != 0, "directory of another owner: sync refuses to write");
    snprintf(ipath, sizeof ipath, "%s/identity.index", dir);
    rmdir(sub);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        ok(0, "mkdtemp: %s", strerror(errno));
        return tap_done();
    }
    test_config();
    test_pattern();
    test_builder();
    test_hostile_bytes();
    if (geteuid() == 0)
        test_files();
    else
        skip("the file tests chown to another uid: run as root");
    {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            diag("could not remove %s", dir);
    }
    return tap_done();
}
