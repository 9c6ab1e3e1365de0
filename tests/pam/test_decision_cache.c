/* Unit tests for the decision cache (pam/decision_cache.c), on real files
 * in a temp directory: the record format and its strict reader, the pure
 * freshness and offline rules (never an allow past a stay end), every
 * refusal of an unsafe directory or record, stale temp files, concurrent
 * writers and readers (fork), a directory full of junk, prune, and the
 * configuration keys through lcpam_conf_parse. Root is needed to make
 * foreign-owned files; those checks skip otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "decision_cache.h"
#include "tap.h"

#define PERSON "30000000-0000-4000-8000-000000000002"
#define RULE "* ; * ; status=current"
#define FOREIGN_UID 12345
/* The key of "lockcloud-decision 1\n10:remotelock,36:<PERSON>,22:<RULE>,",
 * computed outside (a ten-line Python rendering of decision_record.c's
 * four FNV-1a lanes with the splitmix64 finish): the key derivation is
 * pinned, so a change to it (which orphans every cache) cannot pass
 * unnoticed. */
#define KEY1_HEX "582afad89e2f62ccb2ce2775884a6f972f5d50f4310e4aa3fa542496c5093272"

static char top[] = "/tmp/lcdcache.XXXXXX";
static char cdir[256];
static const lcpam_cache_key key1 = { "remotelock", PERSON, RULE };
static const lcpam_cache_key key2 = { "remotelock", "30000000-0000-4000-8000-000000000003", RULE };
static lcpam_cache_conf cc;
static time_t T0 = 1800000000; /* a fixed "now" for the pure rules */

/* For calls whose failure only means a later check fails. */
static void must(int rc, const char *what)
{
    if (rc != 0)
        diag("%s failed: %s", what, strerror(errno));
}

static int has(const char *hay, const char *needle)
{
    if (strstr(hay, needle))
        return 1;
    diag("'%s' does not contain '%s'", hay, needle);
    return 0;
}

static void put_file(const char *path, const char *content, size_t len, mode_t mode)
{
    int fd;

    unlink(path);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0 || write(fd, content, len) != (ssize_t)len)
        diag("cannot write %s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    chmod(path, mode);
}

/* "<dir>/<key's hex><suffix>" into out (512 bytes); returns out. */
static char *key_file(char *out, const char *dir, const lcpam_cache_key *k, const char *suffix)
{
    char hex[65];

    lcpam_cache_key_hex(k, hex, NULL);
    snprintf(out, 512, "%s/%s%s", dir, hex, suffix);
    return out;
}

/* A file last written an hour ago: a crashed writer's leftover. */
static void put_stale(const char *path, const char *content)
{
    struct timespec old[2] = { { time(NULL) - 3600, 0 }, { time(NULL) - 3600, 0 } };

    put_file(path, content, strlen(content), 0600);
    utimensat(AT_FDCWD, path, old, 0);
}

static void make(lcpam_decision_record *r, const lcpam_cache_key *k, int allow,
                 long long decided, long long stay_end)
{
    if (lcpam_decision_record_make(r, k, allow, allow ? "status is current" : "status is expired",
                                   decided, stay_end, &cc, NULL) != LC_OK)
        diag("record_make failed");
}

/* ---- key ------------------------------------------------------------------ */

static void test_key(void)
{
    lcpam_cache_key a = { "remotelock", "ab", "c d" }, b = { "remotelock", "abc", " d" };
    lcpam_cache_key bad[] = {
        { "RemoteLock", PERSON, RULE }, { "", PERSON, RULE }, { "remotelock", "a b", RULE },
        { "remotelock", "", RULE }, { "remotelock", PERSON, "" },
        { "remotelock", PERSON, "x\ny" }, { "remotelock", PERSON, "bad \xff utf8" },
        { NULL, PERSON, RULE }, { "remotelock", NULL, RULE }, { "remotelock", PERSON, NULL },
    };
    char ha[65], hb[65];
    lc_error err;
    size_t i, refused = 0;

    ok(lcpam_cache_key_hex(&key1, ha, &err) == LC_OK && strcmp(ha, KEY1_HEX) == 0,
       "key = SHA-256 of the length-prefixed fields (pinned value)");
    ok(lcpam_cache_key_hex(&a, ha, NULL) == LC_OK && lcpam_cache_key_hex(&b, hb, NULL) == LC_OK &&
       strcmp(ha, hb) != 0, "fields cannot run together ('ab'+'c d' vs 'abc'+' d')");
    lcpam_cache_key_hex(&key2, hb, NULL);
    ok(strcmp(KEY1_HEX, hb) != 0, "another person, another key");
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lc_error_init(&err);
        if (lcpam_cache_key_hex(&bad[i], ha, &err) == LC_ERR_USAGE && ha[0] == '\0' &&
            !strstr(err.message, "x\ny"))
            refused++;
        else
            diag("bad key %zu accepted", i);
    }
    ok(refused == sizeof bad / sizeof bad[0], "bad key fields refused (%zu of %zu)", refused,
       sizeof bad / sizeof bad[0]);
}

/* ---- record text ------------------------------------------------------------- */

static const char good_text[] =
    "lockcloud-decision 1\nvendor remotelock\nperson " PERSON "\nrule " RULE "\n"
    "decision allow\nreason status is current\ndecided_at 1800000000\n"
    "valid_until 1800000100\nstay_end 1800000100\nsource online\n";

static void test_record_text(void)
{
    lcpam_decision_record r, back;
    char buf[LCPAM_CACHE_RECORD_MAX];
    lc_error err;
    int n;

    make(&r, &key1, 1, 1800000000, 1800000100);
    n = lcpam_decision_record_format(&r, buf, sizeof buf, &err);
    ok(n == (int)strlen(good_text) && strcmp(buf, good_text) == 0,
       "format: the ten lines, valid_until cut to the stay end");
    if (n > 0 && strcmp(buf, good_text) != 0)
        diag("got:\n%s", buf);
    ok(lcpam_decision_record_parse(good_text, strlen(good_text), &back, &err) == LC_OK &&
       memcmp(&back, &r, sizeof r) == 0, "parse gives back the record made");

    make(&r, &key1, 0, 1800000000, 0);
    n = lcpam_decision_record_format(&r, buf, sizeof buf, &err);
    ok(n > 0 && strstr(buf, "decision deny\n") && strstr(buf, "valid_until 1800000060\n") &&
       strstr(buf, "stay_end 0\n"), "a deny: negative TTL, no stay end");

    lcpam_decision_record_make(&r, &key1, 1, "line\nbreak \x1b[31m and \xff", 1800000000, 0, &cc,
                               NULL);
    ok(strchr(r.reason, '\n') == NULL && strchr(r.reason, '\x1b') == NULL &&
       strchr(r.reason, '\xff') == NULL && has(r.reason, "line break"),
       "reason sanitised on write: '%s'", r.reason);
    ok(lcpam_decision_record_make(&r, &key1, 1, "x", 0, 0, &cc, &err) == LC_ERR_USAGE,
       "decided_at 0 refused at make");
    r.source = 0;
    ok(lcpam_decision_record_format(&r, buf, sizeof buf, &err) < 0,
       "format refuses a record the reader would refuse");
}

/* Each entry replaces the first occurrence of `from` in good_text. */
static void test_record_refusals(void)
{
    static const struct { const char *from, *to, *why; } bad[] = {
        { "lockcloud-decision 1", "lockcloud-decision 2", "another format version" },
        { "lockcloud-decision 1\n", "", "no header line" },
        { "source online\n", "source online", "last line cut (no newline)" },
        { "source online\n", "source online\nextra 1\n", "an eleventh line" },
        { "source online\n", "source online\n\n", "a trailing empty line" },
        { "source online", "source cache", "unknown source" },
        { "decision allow", "decision maybe", "unknown decision" },
        { "decision allow", "decision ALLOW", "decision is case-sensitive" },
        { "vendor remotelock\nperson", "person", "a line missing" },
        { "vendor remotelock\nperson " PERSON "\n", "person " PERSON "\nvendor remotelock\n",
          "lines out of order" },
        { "vendor remotelock", "vendor  remotelock", "two spaces" },
        { "vendor remotelock", "vendor\tremotelock", "tab for space" },
        { "decision allow\n", "decision allow\r\n", "CRLF" },
        { "decided_at 1800000000", "decided_at 01800000000", "leading zero" },
        { "decided_at 1800000000", "decided_at +1800000000", "a sign" },
        { "decided_at 1800000000", "decided_at 1800000000000", "13 digits" },
        { "decided_at 1800000000", "decided_at 0", "decided_at 0" },
        { "decided_at 1800000000", "decided_at 18e8", "exponent" },
        { "valid_until 1800000100", "valid_until 1799999999", "valid_until before decided_at" },
        { "valid_until 1800000100", "valid_until 1800000101", "an allow fresh past its stay end" },
        { "stay_end 1800000100", "stay_end -1", "negative stay end" },
        { "reason status is current", "reason status \x01 current", "control byte in reason" },
        { "reason status is current", "reason status \xc2\x85 current", "C1 control (NEL)" },
        { "reason status is current", "reason status \xff current", "bad UTF-8 in reason" },
        { "reason status is current", "reason status \xc0\xaf current", "overlong UTF-8" },
        { "rule " RULE, "rule ", "empty rule" },
        { "person " PERSON, "person SECRET\x7fMARK", "DEL in person" },
        { "rule " RULE, "rule SECRETMARK\x01", "control byte in rule" },
    };
    char text[2 * LCPAM_CACHE_RECORD_MAX], longreason[300];
    lcpam_decision_record r;
    size_t i, refused = 0, quoted = 0;
    lc_error err;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *at = strstr(good_text, bad[i].from);
        size_t pre = (size_t)(at - good_text);
        lc_status st;

        if (!at) {
            diag("test table: '%s' not in the record", bad[i].from);
            continue;
        }
        snprintf(text, sizeof text, "%.*s%s%s", (int)pre, good_text, bad[i].to,
                 at + strlen(bad[i].from));
        lc_error_init(&err);
        st = lcpam_decision_record_parse(text, strlen(text), &r, &err);
        if (st == LC_ERR_PARSE && r.decided_at == 0 && r.vendor[0] == '\0')
            refused++;
        else
            diag("accepted: %s", bad[i].why);
        if (strstr(err.message, "SECRET") || strstr(err.message, "MARK") ||
            strstr(err.message, "status"))
            quoted++;
    }
    ok(refused == sizeof bad / sizeof bad[0], "malformed records refused (%zu of %zu)", refused,
       sizeof bad / sizeof bad[0]);
    ok(quoted == 0, "messages name the line, never quote its bytes");

    memset(longreason, 'x', sizeof longreason - 1);
    longreason[sizeof longreason - 1] = '\0';
    snprintf(text, sizeof text, "lockcloud-decision 1\nvendor remotelock\nperson " PERSON
             "\nrule " RULE "\ndecision deny\nreason %s\ndecided_at 5\nvalid_until 5\n"
             "stay_end 0\nsource online\n", longreason);
    ok(lcpam_decision_record_parse(text, strlen(text), &r, &err) == LC_ERR_PARSE,
       "a reason longer than the writer writes is refused");
    ok(lcpam_decision_record_parse(good_text, strlen(good_text) - 1, &r, &err) == LC_ERR_PARSE &&
       has(err.message, "line 10"), "a cut record names the missing line: %s", err.message);
    ok(lcpam_decision_record_parse("", 0, &r, &err) == LC_ERR_PARSE, "empty text refused");
}

/* ---- pure rules ------------------------------------------------------------- */

static void test_pure(void)
{
    lcpam_decision_record r;
    lcpam_cache_conf low = cc;

    ok(lcpam_cache_valid_until(&cc, 1, T0, 0) == T0 + 300, "allow: decided + cache_ttl");
    ok(lcpam_cache_valid_until(&cc, 1, T0, T0 + 100) == T0 + 100, "allow: cut at the stay end");
    ok(lcpam_cache_valid_until(&cc, 1, T0, T0 + 1000) == T0 + 300, "allow: a later stay end "
       "does not stretch the TTL");
    ok(lcpam_cache_valid_until(&cc, 1, T0, T0 - 10) == T0, "allow after the stay ended: never "
       "fresh");
    ok(lcpam_cache_valid_until(&cc, 0, T0, T0 + 100) == T0 + 60, "deny: decided + negative TTL");
    ok(lcpam_cache_valid_until(&cc, 0, T0, T0 + 30) == T0 + 30,
       "deny: cut where the decision may change (an access window opening)");
    ok(lcpam_cache_valid_until(&cc, 0, T0, T0 - 5) == T0, "deny already changed: never fresh");

    make(&r, &key1, 1, T0, T0 + 100);
    ok(lcpam_cache_fresh(&r, &cc, T0) && lcpam_cache_fresh(&r, &cc, T0 + 99),
       "fresh until the stay end");
    ok(!lcpam_cache_fresh(&r, &cc, T0 + 100), "expired at the stay end itself");
    ok(lcpam_cache_offline_ok(&r, &cc, T0 + 99), "offline: usable before the stay end");
    ok(!lcpam_cache_offline_ok(&r, &cc, T0 + 100) && !lcpam_cache_offline_ok(&r, &cc, T0 + 3000),
       "offline: never an allow past the stay end, grace or not");

    make(&r, &key1, 1, T0, 0);
    ok(lcpam_cache_fresh(&r, &cc, T0 + 299) && !lcpam_cache_fresh(&r, &cc, T0 + 300),
       "no stay end: fresh for cache_ttl");
    ok(lcpam_cache_offline_ok(&r, &cc, T0 + 3599) && !lcpam_cache_offline_ok(&r, &cc, T0 + 3600),
       "offline grace: decided_at + offline_grace > now");
    low.ttl_s = 10;
    ok(!lcpam_cache_fresh(&r, &low, T0 + 10), "a lowered cache_ttl counts for old records");
    low.ttl_s = 0;
    ok(!lcpam_cache_fresh(&r, &low, T0), "cache_ttl 0: never fresh");

    make(&r, &key1, 0, T0, 0);
    ok(lcpam_cache_fresh(&r, &cc, T0 + 59) && !lcpam_cache_fresh(&r, &cc, T0 + 60),
       "deny: fresh for cache_negative_ttl");
    ok(lcpam_cache_offline_ok(&r, &cc, T0 + 3000), "a deny is usable offline within grace");

    make(&r, &key1, 1, T0, 0);
    ok(!lcpam_cache_is_future(&r, T0 - LCPAM_CACHE_SKEW_S) &&
       lcpam_cache_is_future(&r, T0 - LCPAM_CACHE_SKEW_S - 1), "future: beyond %d s of skew",
       LCPAM_CACHE_SKEW_S);
    ok(!lcpam_cache_fresh(&r, &cc, T0 - 100) && !lcpam_cache_offline_ok(&r, &cc, T0 - 100),
       "clock went back: a record decided in the future is neither fresh nor usable offline");
}

/* ---- files -------------------------------------------------------------------- */

static lcpam_cache_status load(const lcpam_cache *c, const lcpam_cache_key *k, time_t now,
                               lcpam_decision_record *r, lc_error *err)
{
    lc_error_init(err);
    return lcpam_cache_load(c, k, now, r, err);
}

static void test_store_load(const lcpam_cache *c)
{
    lcpam_decision_record r, got;
    char buf[LCPAM_CACHE_RECORD_MAX], path[512];
    time_t now = time(NULL);
    struct stat st;
    lc_error err;
    int n;

    key_file(path, cdir, &key1, "");
    ok(load(c, &key1, now, &got, &err) == LCPAM_CACHE_ABSENT, "no record: absent");
    make(&r, &key1, 1, now, now + 100);
    ok(lcpam_cache_store(c, &r, &err) == LC_OK, "store");
    ok(load(c, &key1, now, &got, &err) == LCPAM_CACHE_HIT && memcmp(&got, &r, sizeof r) == 0,
       "load gives back the record stored");
    ok(load(c, &key2, now, &got, &err) == LCPAM_CACHE_ABSENT && got.decided_at == 0,
       "another key: absent");
    ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600 &&
       st.st_uid == geteuid(), "record file is 0600 and ours");
    n = lcpam_decision_record_format(&r, buf, sizeof buf, NULL);
    {
        char disk[LCPAM_CACHE_RECORD_MAX] = "";
        FILE *f = fopen(path, "r");
        size_t got_n = f ? fread(disk, 1, sizeof disk - 1, f) : 0;
        if (f)
            fclose(f);
        ok(n > 0 && got_n == (size_t)n && memcmp(disk, buf, got_n) == 0,
           "the file holds exactly the formatted record");
    }
    make(&r, &key1, 0, now, 0);
    ok(lcpam_cache_store(c, &r, &err) == LC_OK && load(c, &key1, now, &got, &err) ==
       LCPAM_CACHE_HIT && got.allow == 0, "a second store replaces the record");
    r.source = 0;
    ok(lcpam_cache_store(c, &r, &err) == LC_ERR_USAGE, "a bad record is not stored");
}

static void test_dir_checks(void)
{
    char d[300], sub[300];
    lcpam_cache c;
    lc_error err;

    snprintf(d, sizeof d, "%s/checks", top);
    lc_error_init(&err);
    ok(lcpam_cache_open(&c, d, 0, &err) == LC_ERR_IO && has(err.message, "cannot stat"),
       "missing directory refused without create");
    ok(lcpam_cache_open(&c, d, 1, &err) == LC_OK, "create makes it");
    chmod(d, 0770);
    ok(lcpam_cache_open(&c, d, 0, &err) == LC_ERR_IO && has(err.message, "0700"),
       "group-writable directory refused");
    chmod(d, 0750);
    ok(lcpam_cache_open(&c, d, 0, &err) == LC_ERR_IO, "group-readable directory refused");
    chmod(d, 0700);
    ok(lcpam_cache_open(&c, "relative/dir", 1, &err) == LC_ERR_USAGE, "relative path refused");
    {
        lcpam_decision_record r, got;
        lcpam_cache_lock lk;
        char root_file[512];
        struct stat st;

        make(&r, &key1, 1, time(NULL), 0);
        ok(lcpam_cache_load(&c, &key1, time(NULL), &got, &err) == LCPAM_CACHE_REFUSED &&
           lcpam_cache_store(&c, &r, &err) == LC_ERR_USAGE &&
           lcpam_cache_lock_key(&c, &key1, 0, &lk, &err) == LC_ERR_USAGE &&
           has(err.message, "not open") && lstat(key_file(root_file, "", &key1, ""), &st) != 0,
           "after a failed open: no lookup, store or lock (never in /)");
    }

    /* An ancestor anyone may write, without the sticky bit. */
    snprintf(sub, sizeof sub, "%s/open", top);
    mkdir(sub, 0777);
    chmod(sub, 0777);
    snprintf(sub, sizeof sub, "%s/open/cache", top);
    ok(lcpam_cache_open(&c, sub, 1, &err) == LC_ERR_IO && has(err.message, "above it"),
       "world-writable ancestor refused: %s", err.message);
    snprintf(sub, sizeof sub, "%s/open", top);
    chmod(sub, 01777);
    snprintf(sub, sizeof sub, "%s/open/cache", top);
    ok(lcpam_cache_open(&c, sub, 0, &err) == LC_OK, "sticky ancestor accepted (as /tmp)");

    if (geteuid() != 0) {
        skip("not root: cannot make a foreign-owned directory");
        return;
    }
    must(chown(d, FOREIGN_UID, FOREIGN_UID), "chown");
    ok(lcpam_cache_open(&c, d, 0, &err) == LC_ERR_IO && has(err.message, "owned by uid"),
       "foreign-owned directory refused");
    must(chown(d, 0, 0), "chown");
    ok(lcpam_cache_open(&c, d, 0, &err) == LC_OK, "root-owned 0700 directory accepted");
}

static void test_record_refused(const lcpam_cache *c)
{
    char good[LCPAM_CACHE_RECORD_MAX], other[512], big[LCPAM_CACHE_RECORD_MAX + 100];
    lcpam_decision_record r, got;
    char p[512];
    time_t now = time(NULL);
    lc_error err;
    int n;

    key_file(p, cdir, &key1, "");
    make(&r, &key1, 1, now, 0);
    n = lcpam_decision_record_format(&r, good, sizeof good, NULL);
    lcpam_cache_store(c, &r, NULL);

    chmod(p, 0644);
    ok(load(c, &key1, now, &got, &err) == LCPAM_CACHE_REFUSED && has(err.message, "mode") &&
       got.decided_at == 0, "mode 0644 record refused");
    chmod(p, 0660);
    ok(load(c, &key1, now, &got, &err) == LCPAM_CACHE_REFUSED, "mode 0660 record refused");
    chmod(p, 0600);
    if (geteuid() == 0) {
        must(chown(p, FOREIGN_UID, FOREIGN_UID), "chown");
        ok(load(c, &key1, now, &got, &err) == LCPAM_CACHE_REFUSED && has(err.message, "owner"),
           "foreign-owned record refused: %s", err.message);
        must(chown(p, 0, 0), "chown");
    } else {
        skip("not root: cannot make a foreign-owned record");
    }

    snprintf(other, sizeof other, "%s/elsewhere", top);
    put_file(other, good, (size_t)n, 0600);
    unlink(p);
    must(symlink(other, p), "symlink");
    ok(load(c, &key1, now, &got, &err) == LCPAM_CACHE_REFUSED &&
       has(err.message, "symbolic link"), "symlinked record refused (even to a good record)");
    unlink(p);

    memcpy(big, good, (size_t)n);
    memset(big + n, '#', sizeof big - (size_t)n);
    put_file(p, big, sizeof big, 0600);
    ok(load(c, &key1, now, &got, &err) == LCPAM_CACHE_REFUSED && has(err.message, "too large"),
       "oversized record refused");

    put_file(p, "SECRETMARK garbage\n", 19, 0600);
    ok(load(c, &key1, now, &got, &err) == LCPAM_CACHE_CORRUPT && has(err.message, p) &&
       !strstr(err.message, "SECRETMARK"), "corrupt record: a miss naming the file, not its "
       "bytes: %s", err.message);

    put_file(p, good, (size_t)n - 1, 0600);
    ok(load(c, &key1, now, &got, &err) == LCPAM_CACHE_CORRUPT, "half-written record refused");

    unlink(p);
    mkfifo(p, 0600);
    ok(load(c, &key1, now, &got, &err) == LCPAM_CACHE_REFUSED, "a FIFO is refused, not waited "
       "on");
    unlink(p);
    mkdir(p, 0700);
    ok(load(c, &key1, now, &got, &err) == LCPAM_CACHE_REFUSED, "a directory is refused");
    rmdir(p);

    /* Key 2's record renamed onto key 1's name. */
    make(&r, &key2, 1, now, 0);
    lcpam_cache_store(c, &r, NULL);
    rename(key_file(other, cdir, &key2, ""), p);
    ok(load(c, &key1, now, &got, &err) == LCPAM_CACHE_MISMATCH && got.decided_at == 0 &&
       has(err.message, "another key"), "record of another key refused");

    make(&r, &key1, 1, now + 100, 0);
    lcpam_cache_store(c, &r, NULL);
    ok(load(c, &key1, now, &got, &err) == LCPAM_CACHE_FUTURE && got.decided_at == 0,
       "record decided 100 s in the future refused");
    ok(load(c, &key1, now + 95, &got, &err) == LCPAM_CACHE_HIT, "within %d s of skew: a hit",
       LCPAM_CACHE_SKEW_S);
    ok(strcmp(lcpam_cache_status_name(LCPAM_CACHE_FUTURE), "future") == 0 &&
       strcmp(lcpam_cache_status_name(LCPAM_CACHE_REFUSED), "refused") == 0,
       "status names for the log");
    unlink(p);
}

/* "<dir>/<key's hex>.t<slot>", a writer's temp file. */
static char *slot_file(char *out, const char *dir, const lcpam_cache_key *k, int slot)
{
    char suffix[16];

    snprintf(suffix, sizeof suffix, ".t%d", slot);
    return key_file(out, dir, k, suffix);
}

static int count_temps(const lcpam_cache_key *k)
{
    char path[512];
    struct stat st;
    int n = 0;

    for (int s = 0; s < 10; s++)
        n += lstat(slot_file(path, cdir, k, s), &st) == 0;
    return n;
}

static void test_temps(const lcpam_cache *c)
{
    char path[512], keep[512];
    lcpam_decision_record r, got;
    time_t now = time(NULL);
    struct stat st;
    lc_error err;
    int s;

    put_stale(slot_file(path, cdir, &key1, 3), "lockcloud-decision 1\nvendor rem");
    put_file(slot_file(keep, cdir, &key1, 5), "in progress", 11, 0600);
    put_stale(slot_file(path, cdir, &key2, 4), "other key");

    make(&r, &key1, 1, now, 0);
    ok(lcpam_cache_store(c, &r, &err) == LC_OK, "store with temp files around");
    ok(lstat(slot_file(path, cdir, &key1, 3), &st) != 0,
       "a crashed writer's stale temp file is removed");
    ok(lstat(keep, &st) == 0, "a recent temp file (a writer at work) is left");
    ok(lstat(slot_file(path, cdir, &key2, 4), &st) == 0,
       "another key's temp file is not this write's business");
    unlink(path);
    unlink(keep);

    for (s = 0; s < LCPAM_CACHE_SLOTS; s++)
        put_file(slot_file(path, cdir, &key1, s), "busy", 4, 0600);
    make(&r, &key1, 0, now, 0);
    lc_error_init(&err);
    ok(lcpam_cache_store(c, &r, &err) == LC_ERR_IO && has(err.message, "writers") &&
       load(c, &key1, now, &got, &err) == LCPAM_CACHE_HIT && got.allow == 1,
       "all slots busy: not stored, the old record stays whole");
    for (s = 0; s < LCPAM_CACHE_SLOTS; s++)
        unlink(slot_file(path, cdir, &key1, s));
    ok(count_temps(&key1) == 0, "no temp file left");
}

/* N writers x M stores of one key while readers load it: every load is a
 * whole record of one of the writers, every store succeeds. */
#define WRITERS 6
#define WRITES 150
#define READERS 2

static int reader_loop(const lcpam_cache *c, time_t now, const char *stopfile)
{
    lcpam_decision_record got;
    struct stat st;
    long loads = 0, bad = 0;
    lc_error err;
    int a, b;

    while (stat(stopfile, &st) != 0 || loads < 50) {
        lcpam_cache_status s = load(c, &key1, now, &got, &err);
        loads++;
        if (s != LCPAM_CACHE_HIT || sscanf(got.reason, "writer %d write %d", &a, &b) != 2 ||
            got.valid_until != got.decided_at + (got.allow ? 300 : 60)) {
            bad++;
            fprintf(stderr, "reader: %s %s\n", lcpam_cache_status_name(s), err.message);
        }
    }
    printf("# reader: %ld loads, %ld bad\n", loads, bad);
    return bad ? 1 : 0;
}

static void test_concurrent(const lcpam_cache *c)
{
    pid_t pids[WRITERS + READERS];
    char stopfile[512], reason[64];
    lcpam_decision_record r;
    time_t now = time(NULL);
    int i, j, failed_w = 0, failed_r = 0, status;

    snprintf(stopfile, sizeof stopfile, "%s/stop", top);
    unlink(stopfile);
    lcpam_decision_record_make(&r, &key1, 1, "", now, 0, &cc, NULL);
    snprintf(r.reason, sizeof r.reason, "writer 0 write 0");
    lcpam_cache_store(c, &r, NULL);
    fflush(stdout);
    for (i = 0; i < WRITERS + READERS; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            int fails = 0;
            if (i >= WRITERS)
                _exit(reader_loop(c, now, stopfile));
            for (j = 0; j < WRITES; j++) {
                snprintf(reason, sizeof reason, "writer %d write %d", i, j);
                lcpam_decision_record_make(&r, &key1, (i + j) % 2, reason, now, 0, &cc, NULL);
                fails += lcpam_cache_store(c, &r, NULL) != LC_OK;
            }
            _exit(fails ? 1 : 0);
        }
    }
    for (i = 0; i < WRITERS; i++)
        if (pids[i] < 0 || waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0)
            failed_w++;
    close(open(stopfile, O_WRONLY | O_CREAT, 0600));
    for (i = WRITERS; i < WRITERS + READERS; i++)
        if (pids[i] < 0 || waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0)
            failed_r++;
    ok(failed_w == 0, "%d writers x %d stores of one key: every store succeeded (%d writers "
       "failed)", WRITERS, WRITES, failed_w);
    ok(failed_r == 0, "%d readers meanwhile saw only whole records of this key (%d failed)",
       READERS, failed_r);
    ok(count_temps(&key1) == 0, "no temp file left behind");
    unlink(stopfile);
}

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int child_ok(pid_t pid)
{
    int status;
    return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
           WEXITSTATUS(status) == 0;
}

static void test_lock(const lcpam_cache *c)
{
    char path[512];
    lcpam_cache_lock lk, lk2;
    struct stat st;
    lc_error err;
    pid_t pid;

    lc_error_init(&err);
    ok(lcpam_cache_lock_key(c, &key1, mono_ms() + 1000, &lk, &err) == LC_OK && lk.fd >= 0,
       "lock a key");
    key_file(path, cdir, &key1, ".lock");
    ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600, "lock file is 0600");
    ok(lcpam_cache_lock_key(c, &key2, 0, &lk2, &err) == LC_OK, "another key's lock is free");
    lcpam_cache_unlock(&lk2);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        long long t = mono_ms();
        lc_status st2 = lcpam_cache_lock_key(c, &key1, t + 150, &lk2, NULL);
        _exit(st2 == LC_ERR_TIMEOUT && mono_ms() - t >= 140 && lk2.fd == -1 ? 0 : 1);
    }
    ok(child_ok(pid), "held elsewhere: the wait ends at the deadline (timeout)");
    pid = fork();
    if (pid == 0) {
        long long t = mono_ms();
        lc_status st2 = lcpam_cache_lock_key(c, &key1, t + 5000, &lk2, NULL);
        _exit(st2 == LC_OK && mono_ms() - t >= 150 ? 0 : 1);
    }
    nanosleep(&(struct timespec){ 0, 250 * 1000 * 1000 }, NULL);
    lcpam_cache_unlock(&lk);
    ok(child_ok(pid) && lk.fd == -1, "released: the waiter gets it");

    unlink(path);
    must(symlink("/etc/passwd", path), "symlink");
    ok(lcpam_cache_lock_key(c, &key1, 0, &lk, &err) == LC_ERR_IO && has(err.message,
       "symbolic link"), "a symlinked lock file is refused");
    unlink(path);
}

/* A burst: 10 logins of each of 5 people at once, each following the
 * module's protocol (fresh record? else lock, look again, else check
 * online and store). One online check per person, not one per login. */
#define BURST_KEYS 5
#define BURST_LOGINS 10

static int burst_login(const lcpam_cache *c, const lcpam_cache_key *k, const char *counter)
{
    lcpam_decision_record r;
    lcpam_cache_lock lk;
    time_t now = time(NULL);
    int fd;

    if (lcpam_cache_load(c, k, now, &r, NULL) == LCPAM_CACHE_HIT && lcpam_cache_fresh(&r, &cc, now))
        return 0;
    if (lcpam_cache_lock_key(c, k, mono_ms() + 20000, &lk, NULL) != LC_OK)
        return 1;
    if (lcpam_cache_load(c, k, now, &r, NULL) != LCPAM_CACHE_HIT ||
        !lcpam_cache_fresh(&r, &cc, now)) {
        fd = open(counter, O_WRONLY | O_APPEND | O_CREAT, 0600);
        if (fd < 0 || write(fd, "x", 1) != 1)
            return 1;
        close(fd);
        nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000 }, NULL); /* the request */
        make(&r, k, 1, now, 0);
        if (lcpam_cache_store(c, &r, NULL) != LC_OK)
            return 1;
    }
    lcpam_cache_unlock(&lk);
    return 0;
}

static void test_burst(void)
{
    char d[300], counter[300], ids[BURST_KEYS][24];
    lcpam_cache_key keys[BURST_KEYS];
    pid_t pids[BURST_KEYS * BURST_LOGINS];
    lcpam_cache c;
    struct stat st;
    int i, failed = 0, gate[2];

    snprintf(d, sizeof d, "%s/burst", top);
    snprintf(counter, sizeof counter, "%s/online-checks", top);
    if (lcpam_cache_open(&c, d, 1, NULL) != LC_OK) {
        ok(0, "burst directory");
        return;
    }
    for (i = 0; i < BURST_KEYS; i++) {
        snprintf(ids[i], sizeof ids[i], "person-%d", i);
        keys[i] = (lcpam_cache_key){ "remotelock", ids[i], RULE };
    }
    fflush(stdout);
    if (pipe(gate) != 0) {
        ok(0, "pipe");
        return;
    }
    for (i = 0; i < BURST_KEYS * BURST_LOGINS; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            char b;
            close(gate[1]);
            if (read(gate[0], &b, 1) != 0) /* EOF: every login starts at once */
                _exit(1);
            _exit(burst_login(&c, &keys[i % BURST_KEYS], counter));
        }
    }
    close(gate[1]); /* all forked: go */
    for (i = 0; i < BURST_KEYS * BURST_LOGINS; i++)
        failed += !child_ok(pids[i]);
    close(gate[0]);
    if (stat(counter, &st) != 0)
        st.st_size = 0;
    ok(failed == 0, "%d concurrent logins all decided (%d failed)", BURST_KEYS * BURST_LOGINS,
       failed);
    ok(st.st_size == BURST_KEYS, "%d logins of %d people: %lld online "
       "checks (one per person)", BURST_KEYS * BURST_LOGINS, BURST_KEYS,
       (long long)st.st_size);
}

static double lookups_ms(const lcpam_cache *c, int n)
{
    struct timespec a, b;
    lcpam_decision_record got;
    time_t now = time(NULL);

    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < n; i++)
        lcpam_cache_load(c, &key1, now, &got, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

/* A lookup is one open: 20,000 junk files (some named like temp files of
 * the key) do not slow it. A directory scan per lookup would cost ~1 ms
 * each here, 100x the bound. */
static void test_junk(void)
{
    char clean[300], junk[300], path[512], suffix[16];
    lcpam_cache cc_clean, cc_junk;
    lcpam_decision_record r, got;
    double t_clean = 1e9, t_junk = 1e9;
    time_t now = time(NULL);
    lc_error err;

    snprintf(clean, sizeof clean, "%s/clean", top);
    snprintf(junk, sizeof junk, "%s/junk", top);
    if (lcpam_cache_open(&cc_clean, clean, 1, NULL) || lcpam_cache_open(&cc_junk, junk, 1, NULL)) {
        ok(0, "junk test directories");
        return;
    }
    make(&r, &key1, 1, now, 0);
    lcpam_cache_store(&cc_clean, &r, NULL);
    lcpam_cache_store(&cc_junk, &r, NULL);
    for (int i = 0; i < 20000; i++) {
        snprintf(suffix, sizeof suffix, ".tmp%d", i);
        if (i < 10)
            key_file(path, junk, &key1, suffix);
        else
            snprintf(path, sizeof path, "%s/%064x", junk, i);
        close(open(path, O_WRONLY | O_CREAT, 0600));
    }
    for (int round = 0; round < 5; round++) {
        double a = lookups_ms(&cc_clean, 500), b = lookups_ms(&cc_junk, 500);
        t_clean = a < t_clean ? a : t_clean;
        t_junk = b < t_junk ? b : t_junk;
    }
    diag("500 lookups: %.2f ms in a clean directory, %.2f ms among 20,000 junk files", t_clean,
         t_junk);
    ok(load(&cc_junk, &key1, now, &got, &err) == LCPAM_CACHE_HIT, "junk does not hide the record");
    ok(t_junk < 4 * t_clean + 20, "junk files do not slow a lookup");
}

/* A record for each kind of entry prune meets: it removes what no lookup
 * can use and leaves everything else. */
static void test_prune(void)
{
    char d[300], path[512], to[512];
    lcpam_cache c;
    lcpam_decision_record r;
    lcpam_cache_prune_stats ps;
    lcpam_cache_lock lk, held;
    time_t now = time(NULL);
    lcpam_cache_key kf = { "remotelock", "fresh", RULE }, ke = { "remotelock", "expired", RULE },
                    kg = { "remotelock", "grace", RULE }, kc = { "remotelock", "corrupt", RULE },
                    kx = { "remotelock", "future", RULE }, ko = { "remotelock", "foreign", RULE },
                    km = { "remotelock", "moved", RULE }, kh = { "remotelock", "held", RULE },
                    kn = { "remotelock", "norecord", RULE };
    const struct { const lcpam_cache_key *k; long long decided; } stored[] = {
        { &kf, now }, { &ke, now - 7200 /* past TTL and grace */ },
        { &kg, now - 1000 /* past TTL, within grace */ }, { &kx, now + 500 }, { &ko, now },
        { &km, now },
    };
    const lcpam_cache_key *kept[] = { &kf, &kg, &ko }, *gone[] = { &ke, &kc, &kx };
    struct stat st;
    int kept_ok = 1, removed_ok = 1;
    lc_status st_prune;

    snprintf(d, sizeof d, "%s/prune", top);
    lcpam_cache_open(&c, d, 1, NULL);
    for (size_t i = 0; i < sizeof stored / sizeof stored[0]; i++) {
        make(&r, stored[i].k, 1, stored[i].decided, 0);
        lcpam_cache_store(&c, &r, NULL);
    }
    put_file(key_file(path, d, &kc, ""), "junk\n", 5, 0600);
    snprintf(to, sizeof to, "%s/%064d", d, 7); /* "moved" under another key's name */
    rename(key_file(path, d, &km, ""), to);
    chmod(key_file(path, d, &ko, ""), 0644); /* refused: left for the admin */
    put_stale(key_file(path, d, &kf, ".t1"), "stale");
    put_file(key_file(path, d, &kf, ".t2"), "fresh temp", 10, 0600);
    snprintf(path, sizeof path, "%s/README", d);
    put_file(path, "not ours", 8, 0600);
    lcpam_cache_lock_key(&c, &kf, 0, &lk, NULL);
    lcpam_cache_unlock(&lk);
    lcpam_cache_lock_key(&c, &kn, 0, &lk, NULL);
    lcpam_cache_unlock(&lk);
    lcpam_cache_lock_key(&c, &kh, 0, &held, NULL);

    /* Called before ok(): its arguments are evaluated in no set order. */
    st_prune = lcpam_cache_prune(&c, &cc, now, 3, &ps, NULL);
    ok(st_prune == LC_OK && ps.examined == 3 && ps.more,
       "prune stops at its budget (examined %zu, more %d)", ps.examined, ps.more);
    st_prune = lcpam_cache_prune(&c, &cc, now, 1000, &ps, NULL);
    ok(st_prune == LC_OK && !ps.more && ps.refused == 1,
       "prune runs to the end (examined %zu, removed %zu, refused %zu)", ps.examined, ps.removed,
       ps.refused);
    for (int i = 0; i < 3; i++) {
        if (lstat(key_file(path, d, kept[i], ""), &st) != 0) {
            kept_ok = 0;
            diag("removed: %s", kept[i]->person_id);
        }
        if (lstat(key_file(path, d, gone[i], ""), &st) == 0) {
            removed_ok = 0;
            diag("kept: %s", gone[i]->person_id);
        }
    }
    ok(kept_ok, "kept: fresh, within offline grace, refused (foreign mode)");
    ok(removed_ok, "removed: past TTL and grace, corrupt, from the future");
    ok(lstat(to, &st) != 0, "removed: a record under another key's name");
    ok(lstat(key_file(path, d, &kf, ".t1"), &st) != 0, "removed: a stale temp file");
    ok(lstat(key_file(path, d, &kf, ".t2"), &st) == 0, "kept: a recent temp file");
    snprintf(path, sizeof path, "%s/README", d);
    ok(lstat(path, &st) == 0, "kept: a name that is not the cache's");
    ok(lstat(key_file(path, d, &kf, ".lock"), &st) == 0,
       "kept: the lock file of a key with a record");
    ok(lstat(key_file(path, d, &kn, ".lock"), &st) != 0,
       "removed: a free lock file of a key without a record");
    ok(lstat(key_file(path, d, &kh, ".lock"), &st) == 0, "kept: a lock file someone holds");
    lcpam_cache_unlock(&held);
}

/* The keys in lockcloud.conf, through the module's own parser. */
static int conf_text(const char *extra, lcpam_conf *conf, char *err, size_t errlen)
{
    char text[1024];

    snprintf(text, sizeof text, "credentials_file = /etc/x\nmap_file = /etc/y\n%s", extra);
    return lcpam_conf_parse(text, conf, err, errlen);
}

static void test_conf(void)
{
    static const char *const bad[] = {
        "cache_ttl = 86401\n", "cache_ttl = -1\n", "cache_ttl = 5m\n", "cache_ttl = 1e3\n",
        "cache_negative_ttl = 3601\n", "offline_grace = 604801\n", "offline_grace = 99999999\n",
        "cache_dir = relative/path\n", "cache_ttl = 10\ncache_ttl = 10\n",
        "cache_dir = /a\ncache_dir = /b\n", "cache_tll = 10\n",
    };
    char err[LCPAM_ERR_MAX + 64];
    lcpam_conf conf;
    size_t i, refused = 0;

    ok(conf_text("", &conf, err, sizeof err) == 0 && conf.cache.dir == NULL &&
       conf.cache.ttl_s == 300 && conf.cache.negative_ttl_s == 60 &&
       conf.cache.offline_grace_s == 3600, "defaults: no cache dir, 300 / 60 / 3600 s");
    lcpam_conf_free(&conf);
    ok(conf_text("cache_dir = /var/lib/lockcloud/decisions\ncache_ttl = 120\n"
                 "cache_negative_ttl = 0\noffline_grace = 86400\n", &conf, err, sizeof err) == 0 &&
       conf.cache.dir && strcmp(conf.cache.dir, "/var/lib/lockcloud/decisions") == 0 &&
       conf.cache.ttl_s == 120 && conf.cache.negative_ttl_s == 0 &&
       conf.cache.offline_grace_s == 86400, "the four keys are read");
    lcpam_conf_free(&conf);
    ok(conf.cache.dir == NULL, "freed with the configuration");
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        if (conf_text(bad[i], &conf, err, sizeof err) != 0 && err[0])
            refused++;
        else
            diag("accepted: %s", bad[i]);
    }
    ok(refused == sizeof bad / sizeof bad[0], "bad cache keys refused (%zu of %zu)", refused,
       sizeof bad / sizeof bad[0]);
    conf_text("cache_ttl = 99999\n", &conf, err, sizeof err);
    ok(has(err, "cache_ttl must be whole seconds from 0 to 86400"), "message names key and "
       "range: %s", err);
}

int main(void)
{
    lcpam_cache c;
    lc_error err;

    lcpam_cache_conf_defaults(&cc);
    if (!mkdtemp(top)) {
        ok(0, "mkdtemp");
        return tap_done();
    }
    snprintf(cdir, sizeof cdir, "%s/cache", top);
    lc_error_init(&err);
    if (!ok(lcpam_cache_open(&c, cdir, 1, &err) == LC_OK, "cache directory %s", err.message))
        return tap_done();
    test_key();
    test_record_text();
    test_record_refusals();
    test_pure();
    test_store_load(&c);
    test_dir_checks();
    test_record_refused(&c);
    test_temps(&c);
    test_concurrent(&c);
    test_lock(&c);
    test_burst();
    test_junk();
    test_prune();
    test_conf();
    {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
        if (system(cmd) != 0)
            diag("could not remove %s", top);
    }
    return tap_done();
}
