/* Unit tests for the rules file (pam/rules.c) and the group lookup
 * (pam/groups.c): every class of syntax error refuses the whole file with
 * "FILE:LINE: what", the first matching line applies, negation and groups
 * behave as pam_lockcloud(8) says, hostile bytes never reach a message,
 * the caps hold, and the config's rules_file key. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "groups.h"
#include "lines.h"
#include "rules.h"
#include "tap.h"

/* The REQUIREMENTS most test lines use: the core's lc_rule_parse reads it. */
#define REQ "status=current"
#define LOCK "20000000-0000-4000-8000-000000000003"

static char dir[] = "/tmp/lcpamrules.XXXXXX";
static char path[512];
static char err[LCPAM_ERR_MAX + 64];
static lcpam_rules rules;

static int has(const char *hay, const char *needle)
{
    if (strstr(hay, needle))
        return 1;
    diag("'%s' does not contain '%s'", hay, needle);
    return 0;
}

/* Every byte of a message is printable ASCII: nothing from the file can
 * break or forge a log line. */
static int printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e) {
            diag("byte 0x%02x in message", (unsigned char)*s);
            return 0;
        }
    return 1;
}

static int parse_n(const char *text, size_t len)
{
    lcpam_rules_free(&rules);
    memset(err, 0, sizeof err);
    return lcpam_rules_parse(text, len, "rules", &rules, err, sizeof err);
}

static int parse(const char *text)
{
    return parse_n(text, strlen(text));
}

/* text must be refused, with a message starting "rules:LINE: " (LINE 0:
 * "rules: ") and containing want. */
static void refused(const char *text, unsigned line, const char *want, const char *what)
{
    char prefix[32];
    int r = parse(text);

    if (line)
        snprintf(prefix, sizeof prefix, "rules:%u: ", line);
    else
        snprintf(prefix, sizeof prefix, "rules: ");
    ok(r == -1 && rules.n == 0 && rules.line == NULL && strncmp(err, prefix, strlen(prefix)) == 0 &&
       has(err, want) && printable(err), "refused: %s (%s)", what, err);
}

static void accepted(const char *text, const char *what)
{
    int r = parse(text);

    ok(r == 0 && rules.n > 0, "accepted: %s%s%s", what, r ? ": " : "", r ? err : "");
}

static void test_syntax_errors(void)
{
    char name65[80], line[2048];

    refused("sshd ; *\n", 1, "too few ';'", "two fields");
    refused("sshd\n", 1, "too few ';'", "one field");
    refused("# c\nsshd ; * ; " REQ " ; extra\n", 2, "too many ';'", "four fields");
    refused(" ; * ; " REQ "\n", 1, "empty SERVICES field", "empty SERVICES");
    refused("sshd ;  ; " REQ "\n", 1, "empty USERS field", "empty USERS");
    refused("sshd ; * ;   \n", 1, "empty REQUIREMENTS field", "empty REQUIREMENTS");
    refused("sshd||login ; * ; " REQ "\n", 1, "SERVICES: empty entry", "empty entry between bars");
    refused("|sshd ; * ; " REQ "\n", 1, "empty entry", "leading bar");
    refused("sshd ; bob| ; " REQ "\n", 1, "USERS: empty entry", "trailing bar");
    refused("ss hd ; * ; " REQ "\n", 1, "invalid character in 'ss?hd'", "blank inside a name");
    refused("sshd ; b*b ; " REQ "\n", 1, "USERS: invalid character in 'b?b'", "star inside a name");
    refused("sshd ; !!bob ; " REQ "\n", 1, "invalid character in '?bob'", "double negation");
    refused("* | sshd ; * ; " REQ "\n", 1, "'*' must stand alone", "star with a name");
    refused("sshd ; bob|* ; " REQ "\n", 1, "'*' must stand alone", "star after a name");
    refused("!* ; * ; " REQ "\n", 1, "'!*' matches nothing", "negated star");
    refused("@wheel ; * ; " REQ "\n", 1, "groups belong in USERS", "group in SERVICES");
    refused("!@wheel ; * ; " REQ "\n", 1, "groups belong in USERS", "negated group in SERVICES");
    refused("sshd ; ! ; " REQ "\n", 1, "empty name after '!'", "lone '!'");
    refused("sshd ; @ ; " REQ "\n", 1, "empty name after '@'", "lone '@'");
    refused("sshd ; !@ ; " REQ "\n", 1, "empty name after '@'", "lone '!@'");
    refused("sshd ; -bob ; " REQ "\n", 1, "may not start with '-'", "leading dash");
    refused("sshd ; @@staff ; " REQ "\n", 1, "may not start with '@'", "double at");
    refused("SSHD ; * ; " REQ "\n", 1, "SERVICES: 'SSHD': PAM service names are lower case",
            "upper-case service (libpam lower-cases PAM_SERVICE: it would never match)");
    refused("!Login ; * ; allow\n", 1, "PAM service names are lower case",
            "upper case in an exclusion (it would exclude nothing)");
    accepted("sshd ; Bob|@Staff ; " REQ "\n", "upper case in user and group names");
    memset(name65, 'a', 65);
    name65[65] = '\0';
    snprintf(line, sizeof line, "sshd ; %s ; " REQ "\n", name65);
    refused(line, 1, "longer than 64 characters", "65-character name");
    name65[64] = '\0';
    snprintf(line, sizeof line, "sshd ; %s|@%s ; " REQ "\n", name65, name65);
    accepted(line, "64-character user and group names");
    refused("sshd|sshd ; * ; " REQ "\n", 1, "'sshd' listed twice", "service twice");
    refused("sshd ; bob|!bob ; " REQ "\n", 1, "'bob' listed twice", "user included and excluded");
    refused("sshd ; @g|!@g ; " REQ "\n", 1, "'@g' listed twice", "group included and excluded");
    refused("sshd|!login ; * ; " REQ "\n", 1, "excludes nothing", "service names mixed with exclusions");
    refused("sshd ; bob|!eve ; " REQ "\n", 1, "excludes nothing", "user names mixed with exclusions");
    accepted("sshd ; bob|@staff ; " REQ "\n", "a user and a group");
    accepted("sshd ; @staff|!bob ; " REQ "\n", "a group minus a user");
    accepted("sshd ; bob|!@interns ; " REQ "\n", "a user unless in a group");
    refused("sshd ; * ; no_such_rule\n", 1, "'no_such_rule'", "unknown requirement");
    refused("sshd ; * ; no_such_rule\n", 1, "REQUIREMENTS: ", "the core's message, after the field");
    refused("sshd ; * ; " REQ " # why\n", 1, "REQUIREMENTS:", "trailing comment (comments are whole lines)");
    refused("sshd ; * ; " REQ "\n* ; * ; " REQ "\nlogin ; * ; " REQ "\n", 3,
            "never applies: line 2 ('* ; *') matches every login first", "line after a catch-all");
    refused("", 0, "no rule line", "empty file");
    refused("# only\n\n   \n\t# comments\n", 0, "no rule line", "comments only");
    refused("sshd ; * ; " REQ "\nlogin ; bob\x01 ; " REQ "\n", 2, "control character", "control byte");
    refused("sshd ; bob\x7f ; " REQ "\n", 1, "control character", "DEL");
    refused("sshd ; bob ; " REQ "\r\r\n", 1, "control character", "CR inside a line");
    refused("# caf\xc3\xa9 ok\n# \xff\nsshd ; * ; " REQ "\n", 2, "not valid UTF-8",
            "malformed UTF-8 in a comment");
    refused("sshd ; bob ; " REQ "\n# \xc0\xaf\n", 2, "not valid UTF-8", "overlong UTF-8");
    refused("sshd ; b\xc3\xa9 ; " REQ "\n", 1, "invalid character in 'b?'", "non-ASCII user name");
    ok(parse_n("sshd ; * ; " REQ "\nlog\0in ; * ; " REQ "\n", 38) == -1 &&
       has(err, "rules:2: NUL byte"), "refused: NUL byte (%s)", err);
}

static void test_line_caps(void)
{
    static char big[LCPAM_RULES_FILE_MAX + 64];
    size_t n = 0;
    char *line = big;

    /* Line length: LCPAM_LINE_MAX characters are fine, one more is not. */
    memset(line, ' ', LCPAM_LINE_MAX + 1);
    memcpy(line, "sshd ; * ; " REQ, strlen("sshd ; * ; " REQ));
    line[LCPAM_LINE_MAX] = '\0';
    accepted(line, "a line of LCPAM_LINE_MAX characters");
    line[LCPAM_LINE_MAX] = ' ';
    line[LCPAM_LINE_MAX + 1] = '\0';
    refused(line, 1, "longer than 1024 characters", "a line of LCPAM_LINE_MAX + 1 characters");

    /* Rule lines: LCPAM_RULES_MAX, then one more. */
    for (int i = 0; i <= LCPAM_RULES_MAX; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "s%d ; * ; " REQ "\n", i);
    big[n - strlen("s1000 ; * ; " REQ "\n")] = '\0';
    accepted(big, "LCPAM_RULES_MAX rule lines");
    ok(rules.n == LCPAM_RULES_MAX && rules.line[LCPAM_RULES_MAX - 1].lineno == LCPAM_RULES_MAX,
       "all %d lines kept (%zu)", LCPAM_RULES_MAX, rules.n);
    n = 0;
    for (int i = 0; i <= LCPAM_RULES_MAX; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "s%d ; * ; " REQ "\n", i);
    refused(big, 1001, "more than 1000 rule lines", "LCPAM_RULES_MAX + 1 rule lines");

    /* Size: the cap, counted in bytes, comments included. */
    memset(big, '#', sizeof big);
    big[0] = '\n';
    memcpy(big + 1, "sshd ; * ; " REQ "\n", strlen("sshd ; * ; " REQ "\n"));
    for (size_t i = 512; i < sizeof big; i += 512)
        big[i] = '\n';
    ok(parse_n(big, LCPAM_RULES_FILE_MAX) == 0, "a file of LCPAM_RULES_FILE_MAX bytes is read (%s)",
       err);
    ok(parse_n(big, LCPAM_RULES_FILE_MAX + 1) == -1 && has(err, "rules: larger than 64 KiB"),
       "one byte more is refused (%s)", err);
}

/* Hostile bytes: long names and non-ASCII bytes show up cut and replaced. */
static void test_hostile(void)
{
    char line[1100];
    int r;

    memset(line, 0, sizeof line);
    strcpy(line, "sshd ; ");
    for (int i = 0; i < 300; i++)
        strcat(line, "\xe2\x80\xae"); /* RIGHT-TO-LEFT OVERRIDE, 3 bytes */
    strcat(line, " ; " REQ "\n");
    r = parse(line);
    ok(r == -1 && printable(err) && has(err, "name longer than 64 characters: '???") &&
       has(err, "?...'") && strlen(err) < 120,
       "a long run of bidi overrides is quoted short, replaced and cut (%s)", err);
    r = lcpam_rules_parse("sshd ; %n%s ; " REQ "\n", 25, "rules", &rules, err, sizeof err);
    ok(r == -1 && has(err, "'?n?s'") && printable(err), "format directives stay text (%s)", err);
    r = lcpam_rules_parse("x ; * ; bad\n", 12, "/etc/rul\x1b[2Jes", &rules, err, sizeof err);
    ok(r == -1 && printable(err) && has(err, "/etc/rul [2Jes:1: "), "the file name is sanitised (%s)", err);
}

static const char *match(const char *service, const char *user, const char *const *groups,
                         size_t ngroups)
{
    static char at[32];
    const lcpam_rule_line *l = lcpam_rules_match(&rules, service, user, groups, ngroups);

    if (!l)
        return "none";
    snprintf(at, sizeof at, "%u", l->lineno);
    return at;
}

#define MATCH(want, service, user, groups, n, what)                                        \
    do {                                                                                   \
        const char *got_ = match(service, user, groups, n);                               \
        ok(strcmp(got_, want) == 0, "%s: line %s (got %s)", what, want, got_);            \
    } while (0)

static void test_matching(void)
{
    int r;
    static const char *const staff[] = { "users", "staff" };
    static const char *const interns[] = { "staff", "interns" };
    static const char *const none[] = { "users" };
    const char *text =
        "# lockcloud rules\n"
        "sshd ; root ; " REQ "\n"                /* 2 */
        "sshd|login ; @staff|!bob ; " REQ "\n"   /* 3 */
        "\n"
        "sshd ; carol|!@interns ; " REQ "\n"     /* 5 */
        "!sshd|!su ; !@staff ; " REQ "\n"        /* 6 */
        "\tsu\t;\tdave\t;\t" REQ "\r\n"          /* 7 */
        "su ; !eve ; " REQ "\n";                 /* 8 */

    ok(parse(text) == 0 && rules.n == 6, "a file with every form parses (%s)", err);
    ok(rules.uses_groups == 1, "it says it names groups");
    MATCH("2", "sshd", "root", NULL, 0, "exact service and user");
    MATCH("3", "sshd", "alice", staff, 2, "a supplementary group");
    MATCH("3", "login", "alice", staff, 2, "second service of the list");
    MATCH("none", "sshd", "bob", staff, 2, "excluded user of an included group");
    MATCH("none", "sudo", "alice", staff, 2, "a group member, service not listed");
    MATCH("2", "sshd", "root", staff, 2, "the first matching line wins over a later one");
    MATCH("5", "sshd", "carol", none, 1, "included user, not in the excluded group");
    MATCH("3", "sshd", "carol", interns, 2, "an earlier line takes carol as staff");
    MATCH("6", "login", "frank", none, 1, "all but sshd and su, all but staff");
    MATCH("6", "login", "frank", NULL, 0, "no groups at all: not in the excluded one");
    MATCH("none", "login", "bob", staff, 2, "the excluded group is excluded");
    MATCH("7", "su", "dave", NULL, 0, "tabs and CRLF");
    MATCH("8", "su", "frank", NULL, 0, "every user but eve");
    MATCH("none", "su", "eve", NULL, 0, "eve is the one excluded");
    /* As staff, line 6 is out of the way. */
    MATCH("none", "SSHD", "root", staff + 1, 1, "service names are case-sensitive");
    MATCH("none", "sshd", "Root", NULL, 0, "user names are case-sensitive");
    MATCH("none", "ssh", "root", staff + 1, 1, "no prefix matching");
    MATCH("none", "sshd2", "root", staff + 1, 1, "no matching of a longer name");
    MATCH("none", "sshd", "alice", (const char *const[]){ "Staff" }, 1,
          "group names are case-sensitive");
    MATCH("none", "sshd", "staff", NULL, 0, "a user named like a group is no member");
    MATCH("none", NULL, "root", NULL, 0, "no service matches no list");
    MATCH("none", "su", NULL, NULL, 0, "no user matches no list");

    ok(parse("* ; * ; " REQ "\n") == 0, "a lone catch-all");
    MATCH("1", NULL, NULL, NULL, 0, "'*' matches even a missing service and user");
    ok(rules.uses_groups == 0, "no group named: no group lookup needed");
    ok(lcpam_rules_match(NULL, "sshd", "bob", NULL, 0) == NULL, "NULL rules match nothing");

    r = parse("  sshd |\tlogin ;  @staff | !bob ;  " REQ "  \n!su;*;" REQ "\n");
    ok(r == 0 &&
       strcmp(rules.line[0].canonical, "sshd|login;@staff|!bob;" REQ) == 0 &&
       strcmp(rules.line[1].canonical, "!su;*;" REQ) == 0,
       "canonical text: blanks around separators dropped (%s)", rules.n ? rules.line[0].canonical : err);
    ok(rules.line[0].rule.kind == LC_RULE_TERMS && rules.line[0].rule.nterms == 1 &&
       rules.line[0].rule.terms[0].kind == LC_TERM_STATUS, "REQUIREMENTS parsed by the core");
}

/* REQUIREMENTS are the core's terms: handed over whole, blanks evened out
 * in the canonical text, the core's refusals reported as the file's. */
static void test_requirements(void)
{
    const lc_rule *rule;

    /* Parsed before ok(): its message arguments read the result. */
    int r = parse("sshd ; * ;  status=current,upcoming \t  access=lock:" LOCK "\t"
                  "presence=location:10000000-0000-4000-8000-000000000001/2h\n");

    ok(r == 0 &&
       strcmp(rules.line[0].canonical, "sshd;*;status=current,upcoming access=lock:" LOCK
              " presence=location:10000000-0000-4000-8000-000000000001/2h") == 0,
       "three terms, blanks and tabs: one space between terms (%s)",
       rules.n ? rules.line[0].canonical : err);
    rule = rules.n ? &rules.line[0].rule : NULL;
    ok(rule && rule->nterms == 3 && rule->terms[1].kind == LC_TERM_ACCESS &&
       strcmp(rule->terms[1].id, LOCK) == 0 && rule->terms[2].window_s == 7200,
       "every term reaches the rule");
    ok(parse("* ; @admins ; allow\nsshd ; !@guests ; deny\nlogin ; * ; guest_current\n") == 0 &&
       rules.line[0].rule.kind == LC_RULE_ALLOW && rules.line[1].rule.kind == LC_RULE_DENY &&
       rules.line[2].rule.kind == LC_RULE_GUEST_CURRENT, "allow, deny and the legacy guest_current");
    refused("sshd ; * ; status=current status=expired\n", 1, "REQUIREMENTS: ", "two status terms");
    refused("sshd ; * ; access=lock:" LOCK " access=lock:" LOCK "\n", 1, "REQUIREMENTS: ",
            "the same access twice");
    refused("sshd ; * ; allow status=current\n", 1, "REQUIREMENTS: ", "allow with a term");
    refused("sshd ; * ; presence=lock:" LOCK "/0m\n", 1, "REQUIREMENTS: ", "a zero duration");
    refused("sshd ; * ; access=lock:a\xc3\xa9" "b\n", 1, "REQUIREMENTS: ", "a non-ASCII id");
    refused("sshd ; * ; status=current\nlogin ; * ; access=lock:\n", 2, "REQUIREMENTS: ",
            "an empty id, on line 2");
}

static const char *put(const char *name, const char *content, mode_t mode)
{
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    f = fopen(path, "w");
    if (f) {
        fputs(content, f);
        fclose(f);
    }
    chmod(path, mode);
    return path;
}

static void test_load(void)
{
    char target[600];

    lcpam_rules_free(&rules);

    ok(lcpam_rules_load(put("ok", "sshd ; * ; " REQ "\n", 0644), &rules, err, sizeof err) == 0 &&
       rules.n == 1, "a 0644 file of ours is loaded (%s)", err);
    lcpam_rules_free(&rules);
    ok(lcpam_rules_load(put("bad", "# x\nsshd ; ; " REQ "\n", 0644), &rules, err, sizeof err) == -1 &&
       has(err, "/bad:2: empty USERS field") && has(err, dir), "a bad line names FILE:LINE (%s)", err);
    ok(lcpam_rules_load(put("gw", "sshd ; * ; " REQ "\n", 0664), &rules, err, sizeof err) == -1 &&
       has(err, "/gw"), "a group-writable file is refused (%s)", err);
    ok(lcpam_rules_load(put("ww", "sshd ; * ; " REQ "\n", 0646), &rules, err, sizeof err) == -1,
       "a world-writable file is refused (%s)", err);
    snprintf(target, sizeof target, "%s/ok", dir);
    snprintf(path, sizeof path, "%s/link", dir);
    ok(symlink(target, path) == 0 && lcpam_rules_load(path, &rules, err, sizeof err) == -1,
       "a symbolic link is refused (O_NOFOLLOW) (%s)", err);
    ok(lcpam_rules_load("relative/rules", &rules, err, sizeof err) == -1,
       "a relative path is refused (%s)", err);
    snprintf(path, sizeof path, "%s/absent", dir);
    ok(lcpam_rules_load(path, &rules, err, sizeof err) == -1 && has(err, "absent"),
       "a missing file is an error naming it (%s)", err);
    ok(rules.n == 0 && rules.line == NULL, "nothing is kept after a failed load");
}

static int conf_text(const char *extra, lcpam_conf *c)
{
    char text[512];

    snprintf(text, sizeof text, "credentials_file = /etc/c\nmap_file = /etc/m\n%s", extra);
    memset(err, 0, sizeof err);
    return lcpam_conf_parse(text, c, err, sizeof err);
}

static void test_conf(void)
{
    lcpam_conf c;

    ok(conf_text("", &c) == 0 && c.rules_file == NULL && c.rule.kind == LC_RULE_GUEST_CURRENT,
       "no rules_file: the default rule applies");
    lcpam_conf_free(&c);
    ok(conf_text("rules_file = /etc/security/lockcloud.rules\n", &c) == 0 && c.rules_file &&
       strcmp(c.rules_file, "/etc/security/lockcloud.rules") == 0, "rules_file is read (%s)", err);
    lcpam_conf_free(&c);
    ok(conf_text("rules_file = /r\nrule = guest_current\n", &c) == -1 &&
       has(err, "rule and rules_file exclude each other"), "rule and rules_file together refused");
    ok(conf_text("rule = guest_current\nrules_file = /r\n", &c) == -1 &&
       has(err, "exclude each other"), "in either order");
    ok(conf_text("rules_file = rules\n", &c) == -1 && has(err, "rules_file"),
       "a relative rules_file is refused (%s)", err);
    ok(conf_text("rules_file = /a\nrules_file = /b\n", &c) == -1 && has(err, "duplicate key"),
       "rules_file twice is refused");
}

static void test_groups(void)
{
    struct passwd *pw = getpwuid(getuid());
    struct group *gr = pw ? getgrgid(pw->pw_gid) : NULL;
    lcpam_groups g;

    if (!pw || !gr) {
        skip("the running user or its primary group has no name");
    } else {
        char user[256], primary[256];
        int r;

        snprintf(user, sizeof user, "%s", pw->pw_name);
        snprintf(primary, sizeof primary, "%s", gr->gr_name);
        r = lcpam_groups_lookup(user, &g, err, sizeof err);
        ok(r == 0 && g.n >= 1 && strcmp(g.name[0], primary) == 0,
           "the running user's primary group comes first (%s)", r ? err : g.name[0]);
        for (size_t i = 0; r == 0 && i < g.n; i++)
            for (size_t j = 0; j < i; j++)
                if (strcmp(g.name[i], g.name[j]) == 0)
                    r = -1;
        ok(r == 0, "no group twice");
        lcpam_groups_free(&g);
    }
    ok(lcpam_groups_lookup("no-such-user-lcpam", &g, err, sizeof err) == -1 &&
       has(err, "no such user") && g.n == 0 && g.name == NULL, "an unknown user is an error (%s)", err);
}

/* The shipped example parses, and says what its comments say. */
static void test_example(void)
{
    static const char *const guests[] = { "guests" };
    static char text[LCPAM_RULES_FILE_MAX + 1];
    const char *top = getenv("LC_TOP");
    size_t n = 0;
    FILE *f;

    snprintf(path, sizeof path, "%s/pam/lockcloud.rules.example", top ? top : ".");
    f = fopen(path, "r");
    if (f) {
        n = fread(text, 1, sizeof text - 1, f);
        fclose(f);
    }
    ok(n > 0 && parse_n(text, n) == 0, "pam/lockcloud.rules.example parses (%s)", err);
    MATCH("19", "sshd", "avery", NULL, 0, "example: the owner on sshd");
    MATCH("24", "sshd", "casey", guests, 1, "example: a member of guests on sshd");
    MATCH("none", "sshd", "casey", NULL, 0, "example: anyone else is refused over ssh");
    MATCH("27", "login", "casey", NULL, 0, "example: the console");
}

static void cleanup(void)
{
    const char *names[] = { "ok", "bad", "gw", "ww", "link" };

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        ok(0, "mkdtemp: %s", strerror(errno));
        return tap_done();
    }
    test_syntax_errors();
    test_line_caps();
    test_hostile();
    test_matching();
    test_requirements();
    test_load();
    test_conf();
    test_groups();
    test_example();
    lcpam_rules_free(&rules);
    cleanup();
    return tap_done();
}
