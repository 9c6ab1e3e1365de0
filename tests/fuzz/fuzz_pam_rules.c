/* Fuzzes the rules file parser and matcher (lcpam_rules_parse,
 * lcpam_rules_match). Input: line 1 the service, line 2 the user, line 3
 * the user's groups separated by ',', the rest the rules file, passed with
 * its length and no terminator (so an over-read is caught). Invariants:
 * a refused file leaves nothing and says why in a printable message; a
 * file holding NUL is refused; an accepted one gives back canonical lines
 * that parse again to themselves; the match is the first line a naive
 * reading of those canonical lines matches (pam_lockcloud(8) semantics). */
#include <string.h>

#include "fuzz_util.h"
#include "lines.h"
#include "rules.h"

#define MAX_GROUPS 16

/* Splits the next '\n'-ended field off *p..end as a C string, or NULL. */
static char *take_line(const uint8_t **p, const uint8_t *end)
{
    const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
    char *s;

    if (!nl || memchr(*p, '\0', (size_t)(nl - *p)) || nl - *p > 80)
        return NULL;
    s = fz_cstr(*p, (size_t)(nl - *p));
    *p = nl + 1;
    return s;
}

static int in_list(const char *name, char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], name) == 0)
            return 1;
    return 0;
}

/* The documented semantics over a canonical field "*" or "e|e|..." (each
 * e is [!][@]name): an excluded hit refuses; if anything is included, the
 * name must be. f is modified. */
static int naive_field(char *f, const char *name, char *const *groups, size_t ngroups)
{
    int includes = 0, included = 0;
    char *save = NULL;

    if (strcmp(f, "*") == 0)
        return 1;
    for (char *e = strtok_r(f, "|", &save); e; e = strtok_r(NULL, "|", &save)) {
        int neg = e[0] == '!', hit;
        e += neg;
        hit = e[0] == '@' ? in_list(e + 1, groups, ngroups) : strcmp(e, name) == 0;
        if (neg && hit)
            return 0;
        if (!neg) {
            includes = 1;
            included |= hit;
        }
    }
    return includes ? included : 1;
}

static int naive_match(const char *canonical, const char *service, const char *user,
                       char *const *groups, size_t ngroups)
{
    char *c = strdup(canonical), *semi1, *semi2;
    int r;

    if (!c)
        abort();
    semi1 = strchr(c, ';');
    FZ_ASSERT(semi1);
    semi2 = strchr(semi1 + 1, ';');
    FZ_ASSERT(semi2 && semi2 > semi1 + 1 && semi2[1] != '\0');
    *semi1 = *semi2 = '\0';
    r = naive_field(c, service, NULL, 0) && naive_field(semi1 + 1, user, groups, ngroups);
    free(c);
    return r;
}

static void check_accepted(const lcpam_rules *rules, const char *service, const char *user,
                           char *const *groups, size_t ngroups)
{
    const lcpam_rule_line *m = lcpam_rules_match(rules, service, user,
                                                 (const char *const *)groups, ngroups);
    const lcpam_rule_line *want = NULL;
    size_t total = 0;
    char err[LCPAM_ERR_MAX], *all, *p;
    lcpam_rules again;

    FZ_ASSERT(rules->n >= 1 && rules->n <= LCPAM_RULES_MAX);
    for (size_t i = 0; i < rules->n; i++) {
        FZ_ASSERT(i == 0 || rules->line[i].lineno > rules->line[i - 1].lineno);
        total += strlen(rules->line[i].canonical) + 1;
        if (!want && naive_match(rules->line[i].canonical, service, user, groups, ngroups))
            want = &rules->line[i];
    }
    FZ_ASSERT(m == want);

    /* The canonical lines are a file that reads back the same. */
    all = malloc(total + 1);
    if (!all)
        abort();
    p = all;
    for (size_t i = 0; i < rules->n; i++) {
        size_t n = strlen(rules->line[i].canonical);
        memcpy(p, rules->line[i].canonical, n);
        p[n] = '\n';
        p += n + 1;
    }
    *p = '\0';
    FZ_ASSERT(lcpam_rules_parse(all, total, "canonical", &again, err, sizeof err) == 0);
    FZ_ASSERT(again.n == rules->n && again.uses_groups == rules->uses_groups);
    for (size_t i = 0; i < rules->n; i++)
        FZ_ASSERT(strcmp(again.line[i].canonical, rules->line[i].canonical) == 0);
    lcpam_rules_free(&again);
    free(all);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    char *service = NULL, *user = NULL, *glist = NULL, *groups[MAX_GROUPS];
    char err[LCPAM_ERR_MAX];
    size_t ngroups = 0;
    lcpam_rules rules;
    int r;

    service = take_line(&p, end);
    user = service ? take_line(&p, end) : NULL;
    glist = user ? take_line(&p, end) : NULL;
    if (glist) {
        char *save = NULL;
        for (char *g = strtok_r(glist, ",", &save); g && ngroups < MAX_GROUPS;
             g = strtok_r(NULL, ",", &save))
            groups[ngroups++] = g;
        err[0] = '\0';
        r = lcpam_rules_parse((const char *)p, (size_t)(end - p), "fuzz", &rules, err, sizeof err);
        FZ_ASSERT(r == 0 || r == -1);
        if (memchr(p, '\0', (size_t)(end - p)))
            FZ_ASSERT(r == -1);
        if (r == 0) {
            check_accepted(&rules, service, user, groups, ngroups);
        } else {
            FZ_ASSERT(rules.n == 0 && rules.line == NULL);
            FZ_ASSERT(strncmp(err, "fuzz:", 5) == 0);
            fz_check_text(err, sizeof err);
        }
        lcpam_rules_free(&rules);
    }
    free(service);
    free(user);
    free(glist);
    return 0;
}
