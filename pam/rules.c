/* The rules file: parsed and validated whole at load, matched per login
 * (format and semantics in rules.h and pam_lockcloud(8)). Strict on
 * purpose: a rules file decides who gets in, so anything unexpected
 * refuses the file rather than guessing what the admin meant. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
/* The core's sanitizer (internal to liblockcloud, linked statically). */
#include "../core/src/text.h"

#define SHOWN_MAX 32  /* bytes of a file's token quoted in a message */

/* Where a message goes and what it names. */
typedef struct where {
    char file[160];   /* the file's name, sanitised */
    unsigned lineno;  /* 0: the message is about the whole file */
    char *err;
    size_t errlen;
} where;

static int fail(const where *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(const where *w, const char *fmt, ...)
{
    char what[LCPAM_ERR_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (w->lineno)
        snprintf(w->err, w->errlen, "%s:%u: %s", w->file, w->lineno, what);
    else
        snprintf(w->err, w->errlen, "%s: %s", w->file, what);
    return -1;
}

/* A token of the file for a message: at most SHOWN_MAX bytes, reduced to
 * [A-Za-z0-9._@-] ('?' for the rest), "..." when cut. */
static const char *shown(char *dst, size_t dstlen, const char *s, size_t n)
{
    size_t k = lc_text_sanitize_n(dst, dstlen - 3, s, n < SHOWN_MAX ? n : SHOWN_MAX,
                                  LC_TEXT_NAME);

    if (n > SHOWN_MAX)
        memcpy(dst + k, "...", 4);
    return dst;
}

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '@' || c == '-';
}

/* Reads one entry (trimmed, in place) into *e. */
static int parse_entry(const where *w, const char *field, int users, char *s,
                       lcpam_rule_entry *e)
{
    char tok[SHOWN_MAX + 8];
    size_t n;

    e->negated = *s == '!';
    s += e->negated;
    e->group = *s == '@';
    s += e->group;
    n = strlen(s);
    if (e->group && !users)
        return fail(w, "%s: '@%s' is a group: groups belong in USERS", field,
                    shown(tok, sizeof tok, s, n));
    if (strcmp(s, "*") == 0 && !e->group)
        return fail(w, "%s: %s", field, e->negated ? "'!*' matches nothing" : "'*' must stand alone");
    if (n == 0)
        return fail(w, "%s: empty name after '%s'", field, e->group ? "@" : "!");
    if (n > LCPAM_RULES_NAME_MAX)
        return fail(w, "%s: name longer than %d characters: '%s'", field, LCPAM_RULES_NAME_MAX,
                    shown(tok, sizeof tok, s, n));
    for (size_t i = 0; i < n; i++)
        if (!name_char(s[i]))
            return fail(w, "%s: invalid character in '%s' (names are [A-Za-z0-9._@-])", field,
                        shown(tok, sizeof tok, s, n));
    if (s[0] == '-' || s[0] == '@')
        return fail(w, "%s: '%s' may not start with '%c'", field, shown(tok, sizeof tok, s, n),
                    s[0]);
    /* Linux-PAM lower-cases the service name (pam_start, pam_set_item):
     * "SSHD" would never match sshd, and a strict line would be skipped. */
    for (size_t i = 0; !users && i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            return fail(w, "%s: '%s': PAM service names are lower case", field,
                        shown(tok, sizeof tok, s, n));
    e->name = s;
    return 0;
}

/* Checks a parsed list as a whole: no entry twice ("bob|!bob" included),
 * and exclusions next to inclusions only where they can exclude someone. */
static int check_list(const where *w, const char *field, const lcpam_rule_list *l)
{
    int inc = 0, inc_group = 0, exc = 0, exc_group = 0;
    char tok[SHOWN_MAX + 8];

    for (size_t i = 0; i < l->n; i++) {
        const lcpam_rule_entry *e = &l->v[i];
        for (size_t j = 0; j < i; j++)
            if (l->v[j].group == e->group && strcmp(l->v[j].name, e->name) == 0)
                return fail(w, "%s: '%s%s' listed twice", field, e->group ? "@" : "",
                            shown(tok, sizeof tok, e->name, strlen(e->name)));
        if (e->negated) {
            exc = 1;
            exc_group |= e->group;
        } else {
            inc = 1;
            inc_group |= e->group;
        }
    }
    /* "sshd|!login", "bob|!eve": names are distinct, so the exclusion
     * could never change what the list matches; most likely the admin
     * read '|' as "and" or '!' as "but not" of something wider. */
    if (inc && exc && !inc_group && !exc_group)
        return fail(w, "%s: an exclusion next to names only excludes nothing; "
                    "use exclusions alone ('!name': all but name) or with a @group", field);
    return 0;
}

/* Splits a SERVICES or USERS field (trimmed, non-empty, in place) at '|'. */
static int parse_list(const where *w, const char *field, int users, char *s,
                      lcpam_rule_list *l)
{
    size_t cap = 1;

    l->v = NULL;
    l->n = 0;
    if (strcmp(s, "*") == 0)
        return 0;
    for (const char *p = s; *p; p++)
        cap += *p == '|';
    l->v = calloc(cap, sizeof *l->v);
    if (!l->v)
        return fail(w, "out of memory");
    for (;;) {
        char *bar = strchr(s, '|'), *entry;

        if (bar)
            *bar = '\0';
        entry = lcpam_trim(s);
        if (*entry == '\0')
            return fail(w, "%s: empty entry (check the '|' separators)", field);
        if (parse_entry(w, field, users, entry, &l->v[l->n]) != 0)
            return -1;
        l->n++;
        if (!bar)
            break;
        s = bar + 1;
    }
    return check_list(w, field, l);
}

/* Appends the list as written canonically: entries joined by '|'. */
static char *put_list(char *out, const lcpam_rule_list *l)
{
    if (l->n == 0)
        *out++ = '*';
    for (size_t i = 0; i < l->n; i++) {
        size_t n = strlen(l->v[i].name);
        if (i > 0)
            *out++ = '|';
        if (l->v[i].negated)
            *out++ = '!';
        if (l->v[i].group)
            *out++ = '@';
        memcpy(out, l->v[i].name, n);
        out += n;
    }
    return out;
}

static void line_free(lcpam_rule_line *l)
{
    free(l->services.v);
    free(l->users.v);
    free(l->canonical);
    free(l->names);
    memset(l, 0, sizeof *l);
}

/* Parses one rule line (trimmed, non-empty, not a comment) into *out. */
static int parse_line(const where *w, const char *text, lcpam_rule_line *out, int *uses_groups)
{
    static const char *const field_name[3] = { "SERVICES", "USERS", "REQUIREMENTS" };
    char *field[3], *p, *req;
    size_t len = strlen(text);
    lc_error lerr;
    int nf = 0;

    memset(out, 0, sizeof *out);
    out->lineno = w->lineno;
    out->names = malloc(len + 1);
    out->canonical = malloc(len + 1);
    if (!out->names || !out->canonical)
        return fail(w, "out of memory");
    memcpy(out->names, text, len + 1);
    for (p = out->names; nf < 3; nf++) {
        field[nf] = p;
        p = strchr(p, ';');
        if (!p)
            break;
        *p++ = '\0';
    }
    if (nf != 2 || p)
        return fail(w, "expected 'SERVICES ; USERS ; REQUIREMENTS' (%s ';')",
                    nf < 2 ? "too few" : "too many");
    for (int i = 0; i < 3; i++) {
        field[i] = lcpam_trim(field[i]);
        if (*field[i] == '\0')
            return fail(w, "empty %s field", field_name[i]);
    }
    if (parse_list(w, field_name[0], 0, field[0], &out->services) != 0 ||
        parse_list(w, field_name[1], 1, field[1], &out->users) != 0)
        return -1;
    for (size_t i = 0; i < out->users.n; i++)
        *uses_groups |= out->users.v[i].group;

    p = put_list(out->canonical, &out->services);
    *p++ = ';';
    p = put_list(p, &out->users);
    *p++ = ';';
    req = p;
    lcpam_terms_canonical(req, len + 1 - (size_t)(req - out->canonical), field[2]);

    lc_error_init(&lerr);
    if (lc_rule_parse(req, &out->rule, &lerr) != LC_OK) {
        char msg[200];
        lc_text_sanitize(msg, sizeof msg, lerr.message, LC_TEXT_MESSAGE);
        lc_error_clear(&lerr);
        return fail(w, "REQUIREMENTS: %s", msg);
    }
    lc_error_clear(&lerr);
    return 0;
}

/* The text must be UTF-8 throughout, comments included: a file that is
 * not was not written by the admin's editor as they saw it. */
static int check_bytes(where *w, const char *text, size_t len)
{
    unsigned lineno = 1;

    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)text[i];
        size_t n = c < 0x80 ? 1 : lc_text_utf8_len((const unsigned char *)text + i, len - i);

        if (c == '\0') {
            w->lineno = lineno;
            return fail(w, "NUL byte");
        }
        if (n == 0) {
            w->lineno = lineno;
            return fail(w, "not valid UTF-8");
        }
        lineno += c == '\n';
        i += n;
    }
    return 0;
}

/* "line N: what" from lcpam_lines_next, as "FILE:N: what". */
static int fail_from_lines(where *w, const char *msg)
{
    char prefix[32];
    size_t n = (size_t)snprintf(prefix, sizeof prefix, "line %u: ", w->lineno);

    return fail(w, "%s", strncmp(msg, prefix, n) == 0 ? msg + n : msg);
}

static int parse_all(where *w, char *copy, lcpam_rules *rules)
{
    char msg[LCPAM_ERR_MAX];
    size_t catch_all = 0; /* line number + 1 of a '* ; *' line, 0: none */
    lcpam_lines it;
    char *line;
    int r;

    lcpam_lines_init(&it, copy);
    while ((r = lcpam_lines_next(&it, &line, msg, sizeof msg)) == 1) {
        w->lineno = it.lineno;
        if (rules->n == LCPAM_RULES_MAX)
            return fail(w, "more than %d rule lines", LCPAM_RULES_MAX);
        /* Lines after a catch-all never apply: an edit that cannot work. */
        if (catch_all)
            return fail(w, "never applies: line %zu ('* ; *') matches every login first",
                        catch_all - 1);
        r = parse_line(w, line, &rules->line[rules->n], &rules->uses_groups);
        rules->n++;
        if (r != 0)
            return -1;
        if (rules->line[rules->n - 1].services.n == 0 && rules->line[rules->n - 1].users.n == 0)
            catch_all = it.lineno + 1;
    }
    if (r < 0) {
        w->lineno = it.lineno;
        return fail_from_lines(w, msg);
    }
    w->lineno = 0;
    if (rules->n == 0)
        return fail(w, "no rule line (every login would be refused)");
    return 0;
}

int lcpam_rules_parse(const char *text, size_t len, const char *file, lcpam_rules *rules,
                      char *err, size_t errlen)
{
    where w = { "", 0, err, errlen };
    size_t nlines = 1;
    char *copy;
    int r;

    memset(rules, 0, sizeof *rules);
    lc_text_sanitize(w.file, sizeof w.file, file ? file : "rules", LC_TEXT_MESSAGE);
    if (len > LCPAM_RULES_FILE_MAX)
        return fail(&w, "larger than %d KiB", LCPAM_RULES_FILE_MAX / 1024);
    if (check_bytes(&w, text, len) != 0)
        return -1;
    for (size_t i = 0; i < len; i++)
        nlines += text[i] == '\n';
    /* lcpam_lines_next works in place, on a NUL-terminated copy. */
    copy = malloc(len + 1);
    rules->line = calloc(nlines < LCPAM_RULES_MAX ? nlines : LCPAM_RULES_MAX,
                         sizeof *rules->line);
    if (!copy || !rules->line) {
        free(copy);
        free(rules->line);
        rules->line = NULL;
        return fail(&w, "out of memory");
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    r = parse_all(&w, copy, rules);
    free(copy);
    if (r != 0)
        lcpam_rules_free(rules);
    return r;
}

int lcpam_rules_load(const char *path, lcpam_rules *rules, char *err, size_t errlen)
{
    lc_file f;
    int r;

    memset(rules, 0, sizeof *rules);
    if (lcpam_file_load(path, 0, LCPAM_RULES_FILE_MAX, &f, err, errlen) != 0)
        return -1;
    r = lcpam_rules_parse(f.data, f.len, path, rules, err, errlen);
    lc_file_free(&f);
    return r;
}

void lcpam_rules_free(lcpam_rules *rules)
{
    if (!rules)
        return;
    for (size_t i = 0; i < rules->n; i++)
        line_free(&rules->line[i]);
    free(rules->line);
    memset(rules, 0, sizeof *rules);
}

static int in_groups(const char *group, const char *const *groups, size_t ngroups)
{
    for (size_t i = 0; i < ngroups; i++)
        if (groups[i] && strcmp(groups[i], group) == 0)
            return 1;
    return 0;
}

/* '*' matches everything; otherwise an excluded hit refuses, and the
 * name must be included when the list includes any (rules.h). */
static int list_match(const lcpam_rule_list *l, const char *name, const char *const *groups,
                      size_t ngroups)
{
    int includes = 0, included = 0;

    if (l->n == 0)
        return 1;
    if (!name)
        return 0;
    for (size_t i = 0; i < l->n; i++) {
        const lcpam_rule_entry *e = &l->v[i];
        int hit = e->group ? in_groups(e->name, groups, ngroups) : strcmp(e->name, name) == 0;
        if (e->negated && hit)
            return 0;
        if (!e->negated) {
            includes = 1;
            included |= hit;
        }
    }
    return includes ? included : 1;
}

const lcpam_rule_line *lcpam_rules_match(const lcpam_rules *rules, const char *service,
                                         const char *user, const char *const *groups,
                                         size_t ngroups)
{
    if (!rules)
        return NULL;
    if (!groups)
        ngroups = 0;
    for (size_t i = 0; i < rules->n; i++) {
        const lcpam_rule_line *l = &rules->line[i];
        if (list_match(&l->services, service, NULL, 0) &&
            list_match(&l->users, user, groups, ngroups))
            return l;
    }
    return NULL;
}
