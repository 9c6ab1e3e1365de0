/* Unit tests for the user map: every bad line is an error whichever user
 * logs in, ids come back lower-cased (the server's form), and maps far
 * larger than the 64 KiB config cap (100,000 users) are read and fully
 * checked, while config and credentials files keep that cap. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "creds.h"
#include "lines.h"
#include "map.h"
#include "tap.h"

#define BIG_USERS 100000

static char dir[] = "/tmp/lcpammap.XXXXXX";
static char path[512];
static char err[LCPAM_ERR_MAX + 64];

static int has(const char *hay, const char *needle)
{
    if (strstr(hay, needle))
        return 1;
    diag("'%s' does not contain '%s'", hay, needle);
    return 0;
}

/* Writes len bytes to dir/name with mode; returns its path (static buf). */
static const char *put_n(const char *name, const char *content, size_t len, mode_t mode)
{
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    f = fopen(path, "w");
    if (!f)
        return path;
    if (fwrite(content, 1, len, f) != len)
        diag("short write to %s", path);
    fclose(f);
    chmod(path, mode);
    return path;
}

static const char *put(const char *name, const char *content, mode_t mode)
{
    return put_n(name, content, strlen(content), mode);
}

static int map_text(const char *text, const char *user, char *id, size_t idlen)
{
    memset(err, 0, sizeof err);
    return lcpam_map_find(text, user, id, idlen, err, sizeof err);
}

#define CASEY_ID "30000000-0000-4000-8000-000000000002"

static void test_map_text(void)
{
    const char *map = "# user  access person\ncasey " CASEY_ID "\n"
                      "  uma\t\t30000000-0000-4000-8000-000000000003  \n"
                      "j.doe@corp 30000000-0000-4000-8000-00000000000A\n";
    char id[LCPAM_ID_MAX + 1];

    ok(map_text(map, "casey", id, sizeof id) == 1 && strcmp(id, CASEY_ID) == 0, "mapped user found");
    ok(map_text(map, "uma", id, sizeof id) == 1 &&
       strcmp(id, "30000000-0000-4000-8000-000000000003") == 0, "tabs and padding accepted");
    ok(map_text(map, "j.doe@corp", id, sizeof id) == 1, "dots, @ and upper-case hex accepted");
    ok(map_text(map, "nobody", id, sizeof id) == 0, "unmapped user is 0");
    ok(map_text(map, "Casey", id, sizeof id) == 0, "user names are case-sensitive");
    ok(map_text(map, "case", id, sizeof id) == 0, "no prefix matching");
    ok(map_text(map, "casey2", id, sizeof id) == 0, "no matching of a longer name");
    ok(map_text("", "casey", id, sizeof id) == 0, "empty map maps nobody");
    ok(map_text("# only\n\n   \n\t# comments\n", "casey", id, sizeof id) == 0,
       "comments and blank lines map nobody");
    ok(map_text(map, NULL, id, sizeof id) == 0, "NULL user only validates");
    ok(map_text(map, "casey", id, 8) == -1, "too-small id buffer is an error, not a truncation");
    ok(map_text("casey " CASEY_ID, "casey", id, sizeof id) == 1 && strcmp(id, CASEY_ID) == 0,
       "last line without a newline read");
    ok(map_text("# map\r\n\r\n \t\r\ncasey " CASEY_ID "\r\numa 3 \r\n", "uma", id, sizeof id) == 1 &&
       strcmp(id, "3") == 0, "CRLF lines read (comments, blank lines, entries)");
    ok(map_text("casey " CASEY_ID "\r", "casey", id, sizeof id) == 1 && strcmp(id, CASEY_ID) == 0,
       "unterminated CRLF last line read");

    static const struct { const char *text, *msg; } bad[] = {
        { "casey\n", "line 1: expected 'user id'" },
        { "casey " CASEY_ID " extra\n", "line 1: expected 'user id'" },
        { "casey 3000/../admin\n", "line 1: invalid access person id" },
        { "casey 30000000?x=1\n", "line 1: invalid access person id" },
        { "casey 3000%2F0\n", "line 1: invalid access person id" },
        { "casey 3000g\n", "line 1: invalid access person id" },
        { "ca$ey " CASEY_ID "\n", "line 1: invalid user name" },
        { "-casey " CASEY_ID "\n", "line 1: invalid user name" },
        { "ok " CASEY_ID "\ncasey " CASEY_ID "\x1b\n", "line 2: control character" },
        { "ok " CASEY_ID "\r\ncasey\r" CASEY_ID "\n", "line 2: control character" },
        { "# a\rb\ncasey " CASEY_ID "\n", "line 1: control character" },
        { "casey " CASEY_ID "\r\r\n", "line 1: control character" },
        { "casey " CASEY_ID "\n\x01", "line 2: control character" },
        { "casey " CASEY_ID "\x7f\n", "line 1: control character" },
        { "casey " CASEY_ID "\ncasey 30000000-0000-4000-8000-000000000004\n",
          "line 2: user 'casey' is mapped more than once" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ok(map_text(bad[i].text, "casey", id, sizeof id) == -1 && has(err, bad[i].msg),
           "bad map %zu rejected: %s", i, bad[i].msg);
    ok(map_text("zed " CASEY_ID "\nzed " CASEY_ID "\ncasey " CASEY_ID "\n", "casey", id, sizeof id) == -1,
       "a duplicate elsewhere still fails the lookup (whole file validated)");
    ok(map_text("casey " CASEY_ID "\nzed 1\n\nnot-a-line\n", "casey", id, sizeof id) == -1 &&
       has(err, "line 4: expected 'user id'"), "a bad line after the match still fails the lookup");

    static const char nul[] = "casey " CASEY_ID "\numa\0 1\n";
    ok(lcpam_map_find_n(nul, sizeof nul - 1, "casey", id, sizeof id, err, sizeof err) == -1 &&
       has(err, "line 2: control character"), "a NUL byte inside the text is refused");

    char line[2 * LCPAM_LINE_MAX];
    snprintf(line, sizeof line, "casey %0*d\n", LCPAM_ID_MAX + 1, 0);
    ok(map_text(line, "casey", id, sizeof id) == -1 && has(err, "invalid access person id"),
       "overlong id rejected");
    snprintf(line, sizeof line, "%0*d %s\n", LCPAM_USER_MAX + 1, 0, CASEY_ID);
    ok(map_text(line, "casey", id, sizeof id) == -1 && has(err, "invalid user name"),
       "overlong user rejected");
    snprintf(line, sizeof line, "# %0*d\n", LCPAM_LINE_MAX, 0);
    ok(map_text(line, "casey", id, sizeof id) == -1 && has(err, "line 1: longer than"),
       "overlong line rejected, even a comment");
}

/* Item 9: the server answers with lower-case ids and they are compared as
 * strings, so the map's id is lower-cased whatever case it was written in. */
static void test_id_case(void)
{
    char id[LCPAM_ID_MAX + 1];

    ok(map_text("j.doe 3000000A-BCDE-4F00-8000-00000000000A\n", "j.doe", id, sizeof id) == 1 &&
       strcmp(id, "3000000a-bcde-4f00-8000-00000000000a") == 0, "upper-case id returned lower-cased: %s", id);
    ok(map_text("j.doe 3000000a-BcDe-4f00-8000-00000000000a\n", "j.doe", id, sizeof id) == 1 &&
       strcmp(id, "3000000a-bcde-4f00-8000-00000000000a") == 0, "mixed-case id returned lower-cased");
}

static void big_id(char *buf, size_t len, unsigned i)
{
    snprintf(buf, len, "30000000-0000-4000-8000-%012X", i);
}

/* "# header", then BIG_USERS lines "userN id" with a comment every 1000 users,
 * then tail. Returns a heap buffer, its length in *len. */
static char *big_map(const char *tail, size_t *len)
{
    size_t cap = (size_t)BIG_USERS * 64 + 4096 + strlen(tail), n = 0;
    char *buf = malloc(cap), id[64];

    if (!buf)
        return NULL;
    n += (size_t)snprintf(buf + n, cap - n, "# generated: %d users\n", BIG_USERS);
    for (unsigned i = 0; i < BIG_USERS; i++) {
        big_id(id, sizeof id, i);
        if (i % 1000 == 0)
            n += (size_t)snprintf(buf + n, cap - n, "\n# block %u\n", i / 1000);
        n += (size_t)snprintf(buf + n, cap - n, "user%u %s\n", i, id);
    }
    n += (size_t)snprintf(buf + n, cap - n, "%s", tail);
    *len = n;
    return buf;
}

/* Item 12: a map of 100,000 users (several MiB, far over 64 KiB) is read
 * and checked as a whole through the file loader. */
static void test_big_map(void)
{
    char id[LCPAM_ID_MAX + 1], want[64];
    size_t len;
    char *text = big_map("", &len);
    const char *p;
    static const unsigned probe[] = { 0, BIG_USERS / 2, BIG_USERS - 1 };

    if (!text) {
        ok(0, "out of memory building the map");
        return;
    }
    p = put_n("bigmap", text, len, 0644);
    diag("generated map: %zu users, %zu bytes", (size_t)BIG_USERS, len);
    for (size_t k = 0; k < sizeof probe / sizeof probe[0]; k++) {
        char user[32];
        snprintf(user, sizeof user, "user%u", probe[k]);
        big_id(want, sizeof want, probe[k]);
        for (char *c = want; *c; c++)
            *c = *c >= 'A' && *c <= 'F' ? (char)(*c - 'A' + 'a') : *c;
        memset(err, 0, sizeof err);
        ok(lcpam_map_lookup(p, user, id, sizeof id, err, sizeof err) == 1 && strcmp(id, want) == 0,
           "100,000-user map: %s found with its id (%s)", user, err);
    }
    ok(lcpam_map_lookup(p, "user100000", id, sizeof id, err, sizeof err) == 0,
       "100,000-user map: an unmapped user is 0");
    free(text);

    char tail[128];
    snprintf(tail, sizeof tail, "user0 30000000-0000-4000-8000-ffffffffffff\n");
    text = big_map(tail, &len);
    p = put_n("bigmap", text, len, 0644);
    ok(lcpam_map_lookup(p, "user50000", id, sizeof id, err, sizeof err) == -1 &&
       has(err, p) && has(err, "user 'user0' is mapped more than once"),
       "100,000-user map: a duplicate of the first user on the last line is an error");
    free(text);

    text = big_map("user100000\n", &len);
    p = put_n("bigmap", text, len, 0644);
    ok(lcpam_map_lookup(p, "user0", id, sizeof id, err, sizeof err) == -1 && has(err, p) &&
       has(err, "expected 'user id'"),
       "100,000-user map: a malformed last line is an error for the first user: %s", err);
    free(text);

    text = big_map("user100000 not-hex", &len);
    p = put_n("bigmap", text, len, 0644);
    ok(lcpam_map_lookup(p, "user1", id, sizeof id, err, sizeof err) == -1 &&
       has(err, "invalid access person id"),
       "100,000-user map: a bad id on an unterminated last line is an error");
    free(text);
    unlink(p);
}

/* A file of size bytes ('#' then a newline, so valid config/creds/map
 * syntax), written as comments; returns its path. */
static const char *padded(const char *name, const char *head, size_t size, mode_t mode)
{
    char *buf = malloc(size + 1);
    const char *p;
    size_t h = strlen(head);

    if (!buf)
        return put(name, "", mode);
    memcpy(buf, head, h);
    for (size_t i = h; i < size; i++)
        buf[i] = (i - h) % 64 == 63 || i + 1 == size ? '\n' : '#';
    p = put_n(name, buf, size, mode);
    free(buf);
    return p;
}

/* Item 12: only the map gets the large cap. */
static void test_caps(void)
{
    lcpam_conf c;
    lcpam_creds cr;
    char id[LCPAM_ID_MAX + 1];
    const char *p;
    int fd;

    p = padded("conf", "credentials_file = /etc/lc/creds\nmap_file = /etc/lc/map\n",
               LCPAM_FILE_MAX, 0644);
    ok(lcpam_conf_load(p, &c, err, sizeof err) == 0, "config of exactly 64 KiB loads");
    lcpam_conf_free(&c);
    p = padded("conf", "credentials_file = /etc/lc/creds\nmap_file = /etc/lc/map\n",
               LCPAM_FILE_MAX + 1, 0644);
    ok(lcpam_conf_load(p, &c, err, sizeof err) == -1 && has(err, p) &&
       has(err, "is too large (limit 64 KiB)"), "config over 64 KiB refused: %s", err);

    p = padded("creds", "client_id = a\nclient_secret = b\n", LCPAM_FILE_MAX, 0600);
    ok(lcpam_creds_load(p, &cr, err, sizeof err) == 0, "credentials of exactly 64 KiB load");
    lcpam_creds_free(&cr);
    p = padded("creds", "client_id = a\nclient_secret = b\n", LCPAM_FILE_MAX + 1, 0600);
    ok(lcpam_creds_load(p, &cr, err, sizeof err) == -1 && has(err, "is too large (limit 64 KiB)"),
       "credentials over 64 KiB refused: %s", err);

    p = padded("map", "casey " CASEY_ID "\n", LCPAM_FILE_MAX + 1, 0644);
    memset(err, 0, sizeof err);
    ok(lcpam_map_lookup(p, "casey", id, sizeof id, err, sizeof err) == 1 && strcmp(id, CASEY_ID) == 0,
       "a map over 64 KiB is read (%s)", err);

    /* Sparse: the size check refuses it before a byte is read. */
    snprintf(path, sizeof path, "%s/hugemap", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ok(fd >= 0 && ftruncate(fd, (off_t)LCPAM_MAP_FILE_MAX + 1) == 0 &&
       lcpam_map_lookup(path, "casey", id, sizeof id, err, sizeof err) == -1 && has(err, path) &&
       has(err, "is too large (limit 64 MiB)"), "a map over 64 MiB refused with its limit: %s", err);
    if (fd >= 0)
        close(fd);
    unlink(path);

    ok(lcpam_map_find_n("", (size_t)LCPAM_MAP_FILE_MAX + 1, "casey", id, sizeof id, err, sizeof err) == -1 &&
       has(err, "too large"), "the parser refuses text over the cap before reading it");

    p = put("map", "casey " CASEY_ID "\n", 0666);
    ok(lcpam_map_lookup(p, "casey", id, sizeof id, err, sizeof err) == -1 && has(err, "writable"),
       "map_lookup keeps the file checks");
    snprintf(path, sizeof path, "%s/maplink", dir);
    char target[600];
    snprintf(target, sizeof target, "%s/map", dir);
    ok(symlink(target, path) == 0 &&
       lcpam_map_lookup(path, "casey", id, sizeof id, err, sizeof err) == -1 && has(err, "symbolic link"),
       "map_lookup refuses a symbolic link");
}

/* fstat's size is only a hint: a file that grows after it (here a procfs
 * file, whose size reads as 0) is read whole up to the cap, and refused
 * past it, by the same per-call limit. */
static void test_growth(void)
{
    struct stat st;
    lc_file f;

    if (stat("/proc/version", &st) != 0 || st.st_size != 0 || (st.st_uid != 0 && st.st_uid != geteuid())) {
        skip("no root-owned procfs file of size 0 to read");
        skip("no root-owned procfs file of size 0 to read");
        return;
    }
    int r = lcpam_file_load("/proc/version", 0, LCPAM_FILE_MAX, &f, err, sizeof err);
    ok(r == 0 && f.len > 16 && strlen(f.data) == f.len && strncmp(f.data, "Linux", 5) == 0,
       "a file longer than fstat said is read whole (%zu bytes)", f.len);
    lc_file_free(&f);
    ok(lcpam_file_load("/proc/version", 0, 16, &f, err, sizeof err) == -1 && f.data == NULL &&
       has(err, "is too large (limit 16 bytes)"), "and refused once it passes the cap: %s", err);
}

static void cleanup(void)
{
    char cmd[600];
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
    test_map_text();
    test_id_case();
    test_big_map();
    test_caps();
    test_growth();
    cleanup();
    return tap_done();
}
