/* Unit tests for the PAM module's file handling: its rules for the core's
 * safe reader (lcpam_file_load; the reader itself: tests/core/test_safe_file.c), the config
 * and credentials parsers, and module arguments (the map parser is in
 * test_map.c). Every bad input must be an error with a clear message, never
 * a silently accepted value. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "conf.h"
#include "creds.h"
#include "lines.h"
#include "map.h"
#include "tap.h"

static char dir[] = "/tmp/lcpamtest.XXXXXX";
static char path[512];
static char err[LCPAM_ERR_MAX + 64];

/* Writes a file under the test dir with mode; returns its path (static buf). */
static const char *put(const char *name, const char *content, mode_t mode)
{
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    f = fopen(path, "w");
    if (!f)
        return path;
    fputs(content, f);
    fclose(f);
    chmod(path, mode);
    return path;
}

static int has(const char *hay, const char *needle)
{
    if (strstr(hay, needle))
        return 1;
    diag("'%s' does not contain '%s'", hay, needle);
    return 0;
}

/* Parses config text (copied: the parser works in place). */
static int conf_text(const char *text, lcpam_conf *c)
{
    char *copy = strdup(text);
    int r = lcpam_conf_parse(copy, c, err, sizeof err);
    free(copy);
    return r;
}

#define BASE "credentials_file = /etc/lc/creds\nmap_file = /etc/lc/map\n"

static void test_conf(void)
{
    lcpam_conf c;

    ok(conf_text(BASE, &c) == 0, "minimal config parses");
    ok(c.failmode == LCPAM_FAIL_SECURE && c.timeout_s == 3 &&
       c.rule.kind == LC_RULE_GUEST_CURRENT && !c.api_url && !c.cafile && !c.token_file,
       "defaults: secure, 3 s (the documented deadline), guest_current, library URLs");
    lcpam_conf_free(&c);

    ok(conf_text("# lockcloud\n\n  api_url = https://127.0.0.1:4443  \n"
                 "auth_url=https://127.0.0.1:4443\r\ncafile = /tmp/ca.pem\n"
                 "\t# indented comment\ntoken_file = /var/lib/lc/token\n"
                 "failmode = safe\ntimeout = 3\nrule = guest_current\n" BASE, &c) == 0,
       "full config parses (blanks, comments, CRLF)");
    ok(c.api_url && strcmp(c.api_url, "https://127.0.0.1:4443") == 0 &&
       strcmp(c.auth_url, "https://127.0.0.1:4443") == 0 &&
       strcmp(c.cafile, "/tmp/ca.pem") == 0 && strcmp(c.token_file, "/var/lib/lc/token") == 0 &&
       c.failmode == LCPAM_FAIL_SAFE && c.timeout_s == 3, "values trimmed and stored");
    lcpam_conf_free(&c);
    ok(c.api_url == NULL && c.map_file == NULL, "free resets the struct");

    /* the decision cache keys records by the rule's text: one spelling */
    ok(conf_text(BASE "rule = status=current\t presence=lock:abc/2h\n", &c) == 0 &&
       strcmp(c.rule_text, "status=current presence=lock:abc/2h") == 0 &&
       c.failmode == LCPAM_FAIL_SECURE, "tabs and runs of blanks between terms become one space");
    lcpam_conf_free(&c);

    static const struct { const char *text, *msg; } bad[] = {
        { BASE "colour = blue\n", "line 3: unknown key 'colour'" },
        { BASE "map_file = /other\n", "line 3: duplicate key 'map_file'" },
        { BASE "failmode = open\n", "failmode must be 'secure', 'safe' or 'cached'" },
        { BASE "failmode = Secure\n", "failmode must be" },
        { BASE "failmode = cached\n", "failmode cached needs cache_dir" },
        { BASE "failmode =\n", "line 3: empty value" },
        { BASE "timeout = 0\n", "timeout must be whole seconds" },
        { BASE "timeout = -5\n", "timeout must be whole seconds" },
        { BASE "timeout = 10s\n", "timeout must be whole seconds" },
        { BASE "timeout = 121\n", "timeout must be whole seconds" },
        { BASE "timeout = 99999999999999999999\n", "timeout must be whole seconds" },
        { BASE "timeout = 10 # seconds\n", "timeout must be whole seconds" },
        { BASE "rule = everyone\n", "rule: unknown rule 'everyone'" },
        { BASE "api_url = http://127.0.0.1:80\n", "api_url must be an https:// URL" },
        { BASE "auth_url = https://\n", "auth_url must be an https:// URL" },
        { BASE "api_url = https://a b\n", "api_url is not a valid URL" },
        /* the core's option table: a URL is printable ASCII (as in Lua) */
        { BASE "api_url = https://ex\xc3\xa4mple.com\n", "api_url is not a valid URL" },
        { BASE "cafile = ca.pem\n", "cafile must be an absolute path" },
        { BASE "token_file = ~/token\n", "token_file must be an absolute path" },
        { BASE "just some words\n", "line 3: expected 'key = value'" },
        { BASE "Failmode = safe\n", "line 3: malformed key" },
        { BASE "= safe\n", "line 3: malformed key" },
        { BASE "fail mode = safe\n", "line 3: malformed key" },
        { BASE "failmode = safe\x01\n", "line 3: control character" },
        { "map_file = /etc/lc/map\n", "credentials_file is required" },
        { "credentials_file = /etc/lc/creds\n", "map_file is required" },
        { "", "credentials_file is required" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(err, 0, sizeof err);
        int r = conf_text(bad[i].text, &c);
        ok(r == -1 && has(err, bad[i].msg) && c.map_file == NULL,
           "bad config %zu rejected: %s", i, bad[i].msg);
    }

    char big[LCPAM_LINE_MAX + 128];
    snprintf(big, sizeof big, BASE "cafile = /%0*d\n", LCPAM_LINE_MAX, 0);
    ok(conf_text(big, &c) == -1 && has(err, "line 3: longer than"), "overlong line rejected");
}

static int creds_text(const char *text, lcpam_creds *cr)
{
    char *copy = strdup(text);
    int r = lcpam_creds_parse(copy, cr, err, sizeof err);
    free(copy);
    return r;
}

static void test_creds(void)
{
    lcpam_creds cr;

    ok(creds_text("client_id = abc\nclient_secret = s3cr=t==\n", &cr) == 0 &&
       strcmp(cr.client_id, "abc") == 0 && strcmp(cr.client_secret, "s3cr=t==") == 0,
       "credentials parse; '=' allowed inside values");
    lcpam_creds_free(&cr);
    ok(cr.client_id == NULL && cr.client_secret == NULL, "creds free resets");

    ok(creds_text("client_id = abc\n", &cr) == -1 && has(err, "both required"),
       "missing secret rejected");
    ok(creds_text("client_id = abc\nclient_secret = TOPSECRET\nclient_secret = TOPSECRET2\n", &cr) == -1 &&
       has(err, "line 3: duplicate key 'client_secret'") && !strstr(err, "TOPSECRET"),
       "duplicate secret rejected without quoting it");
    ok(creds_text("client_id = abc\nclient_secret = x\npassword = TOPSECRET\n", &cr) == -1 &&
       has(err, "unknown key 'password'") && !strstr(err, "TOPSECRET"),
       "unknown key rejected without quoting its value");
    ok(creds_text("client_id abc\n", &cr) == -1 && has(err, "expected 'key = value'"),
       "malformed line rejected");
    ok(cr.client_id == NULL, "nothing kept after an error");
}

#define CASEY_ID "30000000-0000-4000-8000-000000000002"

static void test_args(void)
{
    lcpam_args a;
    const char *good[] = { "debug", "config=/etc/lc.conf" };
    const char *none[] = { NULL };

    ok(lcpam_args_parse(0, none, &a, err, sizeof err) == 0 && !a.debug &&
       strcmp(a.config, LCPAM_DEFAULT_CONFIG) == 0, "no arguments: default config");
    ok(lcpam_args_parse(2, good, &a, err, sizeof err) == 0 && a.debug &&
       strcmp(a.config, "/etc/lc.conf") == 0, "debug and config= accepted");

    const char *unknown[] = { "failmode=safe" };
    ok(lcpam_args_parse(1, unknown, &a, err, sizeof err) == -1 &&
       has(err, "unknown module argument 'failmode=safe'"), "unknown argument rejected");
    const char *hostile[] = { "x\ny z" };
    ok(lcpam_args_parse(1, hostile, &a, err, sizeof err) == -1 && !strchr(err, '\n'),
       "hostile argument quoted safely: %s", err);
    const char *twice[] = { "config=/a", "config=/b" };
    ok(lcpam_args_parse(2, twice, &a, err, sizeof err) == -1 && has(err, "more than once"),
       "config= twice rejected");
    const char *rel[] = { "config=lockcloud.conf" };
    ok(lcpam_args_parse(1, rel, &a, err, sizeof err) == -1 && has(err, "absolute path"),
       "relative config= rejected");
    const char *empty[] = { "config=" };
    ok(lcpam_args_parse(1, empty, &a, err, sizeof err) == -1, "empty config= rejected");
    const char *dbg[] = { "Debug" };
    ok(lcpam_args_parse(1, dbg, &a, err, sizeof err) == -1, "arguments are case-sensitive");
}

static void test_safe_file(void)
{
    lc_file f;
    char target[600];

    ok(lcpam_file_load(put("good", "a = b\n", 0644), 0, LCPAM_FILE_MAX, &f, err, sizeof err) == 0 &&
       f.len == 6 && strcmp(f.data, "a = b\n") == 0, "0644 root/own file reads");
    lc_file_free(&f);
    ok(lcpam_file_load(put("secret", "x\n", 0600), LC_FILE_SECRET, LCPAM_FILE_MAX, &f, err, sizeof err) == 0,
       "0600 secret reads");
    lc_file_free(&f);
    ok(lcpam_file_load(put("secret", "x\n", 0400), LC_FILE_SECRET, LCPAM_FILE_MAX, &f, err, sizeof err) == 0,
       "0400 secret reads");
    lc_file_free(&f);

    ok(lcpam_file_load(put("gw", "x\n", 0664), 0, LCPAM_FILE_MAX, &f, err, sizeof err) == -1 &&
       has(err, "group or world writable") && f.data == NULL, "group-writable refused");
    ok(lcpam_file_load(put("ww", "x\n", 0646), 0, LCPAM_FILE_MAX, &f, err, sizeof err) == -1 &&
       has(err, "group or world writable"), "world-writable refused");
    ok(lcpam_file_load(put("sec644", "x\n", 0644), LC_FILE_SECRET, LCPAM_FILE_MAX, &f, err, sizeof err) == -1 &&
       has(err, "must be mode 0600"), "0644 secret refused");
    ok(lcpam_file_load(put("sec640", "x\n", 0640), LC_FILE_SECRET, LCPAM_FILE_MAX, &f, err, sizeof err) == -1,
       "0640 secret refused");

    snprintf(target, sizeof target, "%s/good", dir);
    snprintf(path, sizeof path, "%s/link", dir);
    ok(symlink(target, path) == 0 && lcpam_file_load(path, 0, LCPAM_FILE_MAX, &f, err, sizeof err) == -1 &&
       has(err, "symbolic link"), "symlink refused: %s", err);

    snprintf(path, sizeof path, "%s/fifo", dir);
    ok(mkfifo(path, 0600) == 0 && lcpam_file_load(path, 0, LCPAM_FILE_MAX, &f, err, sizeof err) == -1 &&
       has(err, "not a regular file"), "FIFO refused without blocking");
    ok(lcpam_file_load(dir, 0, LCPAM_FILE_MAX, &f, err, sizeof err) == -1 && has(err, "not a regular file"),
       "directory refused");
    ok(lcpam_file_load("relative/path", 0, LCPAM_FILE_MAX, &f, err, sizeof err) == -1 &&
       has(err, "not an absolute path"), "relative path refused");
    snprintf(path, sizeof path, "%s/missing", dir);
    ok(lcpam_file_load(path, 0, LCPAM_FILE_MAX, &f, err, sizeof err) == -1 &&
       has(err, "No such file"), "missing file is an error");

    put("nul", "a = b\n", 0644);
    {
        FILE *fp = fopen(path, "a");
        fputc('\0', fp);
        fputs("c = d\n", fp);
        fclose(fp);
    }
    ok(lcpam_file_load(path, 0, LCPAM_FILE_MAX, &f, err, sizeof err) == -1 && has(err, "NUL byte"),
       "embedded NUL refused");

    char *huge = malloc(LCPAM_FILE_MAX + 2);
    memset(huge, '#', LCPAM_FILE_MAX + 1);
    huge[LCPAM_FILE_MAX + 1] = '\0';
    ok(lcpam_file_load(put("huge", huge, 0644), 0, LCPAM_FILE_MAX, &f, err, sizeof err) == -1 &&
       has(err, "too large"), "oversized file refused");
    huge[LCPAM_FILE_MAX] = '\0';
    ok(lcpam_file_load(put("max", huge, 0644), 0, LCPAM_FILE_MAX, &f, err, sizeof err) == 0 &&
       f.len == LCPAM_FILE_MAX, "file at the size limit reads");
    lc_file_free(&f);
    free(huge);

    if (geteuid() == 0) {
        put("foreign", "x\n", 0644);
        ok(chown(path, 65534, 65534) == 0 && lcpam_file_load(path, 0, LCPAM_FILE_MAX, &f, err, sizeof err) == -1 &&
           has(err, "not owned by root"), "file owned by another user refused");
    } else {
        skip("ownership by another user needs root to set up");
    }

    /* The loaders put the path in front of the parser's message. */
    lcpam_conf c;
    const char *p = put("conf", BASE "bogus = 1\n", 0644);
    ok(lcpam_conf_load(p, &c, err, sizeof err) == -1 && has(err, p) && has(err, "line 3: unknown key"),
       "conf_load names path and line: %s", err);
    p = put("conf", BASE, 0644);
    ok(lcpam_conf_load(p, &c, err, sizeof err) == 0, "conf_load reads a good file");
    lcpam_conf_free(&c);
    lcpam_creds cr;
    p = put("creds", "client_id = a\nclient_secret = b\n", 0644);
    ok(lcpam_creds_load(p, &cr, err, sizeof err) == -1 && has(err, "0600"),
       "creds_load enforces 0600");
    chmod(p, 0600);
    ok(lcpam_creds_load(p, &cr, err, sizeof err) == 0 && strcmp(cr.client_secret, "b") == 0,
       "creds_load reads a 0600 file");
    lcpam_creds_free(&cr);
    char id[LCPAM_ID_MAX + 1];
    p = put("map", "casey " CASEY_ID "\n", 0644);
    ok(lcpam_map_lookup(p, "casey", id, sizeof id, err, sizeof err) == 1, "map_lookup finds casey");
    p = put("map", "casey " CASEY_ID "\n", 0666);
    ok(lcpam_map_lookup(p, "casey", id, sizeof id, err, sizeof err) == -1 && has(err, "writable"),
       "map_lookup enforces file checks");
}

/* Every string key reaches the option table through lcpam_option_copy; a
 * key left without a row (lc_option_find gives NULL) must be an error,
 * never a crash of the login. */
static void test_option_copy(void)
{
    char *slot = NULL;

    ok(lcpam_option_copy(lc_option_find("api_urI", 7), "https://x", &slot, err, sizeof err) == -1 &&
       slot == NULL && has(err, "no option table row"),
       "a key without a table row is refused: %s", err);
    ok(lcpam_option_copy(lc_option_find("client_id", 9), "abc", &slot, err, sizeof err) == 0 &&
       slot && strcmp(slot, "abc") == 0, "a key with a row is copied");
    free(slot);
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
    test_conf();
    test_creds();
    test_args();
    test_safe_file();
    test_option_copy();
    cleanup();
    return tap_done();
}
