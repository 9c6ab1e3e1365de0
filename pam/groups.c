/* Group names of a user through NSS (see groups.h). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "groups.h"

/* The ways getpwnam_r/getgrgid_r say "no such entry" (getpwnam(3)). */
static int means_not_found(int e)
{
    return e == 0 || e == ENOENT || e == ESRCH || e == EBADF || e == EPERM;
}

/* One reentrant NSS lookup, its buffer grown on ERANGE up to the cap and
 * retried on EINTR: *buf is the caller's (realloc'd, freed by the caller).
 * Returns 1 found, 0 not found, -1 with err. */
typedef int (*nss_fn)(const void *key, void *ent, char *buf, size_t len, void **found);

static int nss_lookup(nss_fn fn, const void *key, void *ent, char **buf, size_t *len,
                      const char *what, char *err, size_t errlen)
{
    void *found;
    int e, tries = 0;

    for (;;) {
        if (!*buf) {
            *len = 4096;
            *buf = malloc(*len);
            if (!*buf) {
                snprintf(err, errlen, "%s: out of memory", what);
                return -1;
            }
        }
        found = NULL;
        e = fn(key, ent, *buf, *len, &found);
        if (e == ERANGE && *len < LCPAM_GROUP_BUF_MAX) {
            char *nb = realloc(*buf, *len * 2);
            if (!nb) {
                snprintf(err, errlen, "%s: out of memory", what);
                return -1;
            }
            *buf = nb;
            *len *= 2;
        } else if (!(e == EINTR && ++tries < 3)) {
            break;
        }
    }
    if (found)
        return 1;
    if (means_not_found(e))
        return 0;
    if (e == ERANGE)
        snprintf(err, errlen, "%s: entry larger than %d bytes", what, LCPAM_GROUP_BUF_MAX);
    else
        snprintf(err, errlen, "%s: %s (errno %d)", what, strerror(e), e);
    return -1;
}

static int pw_by_name(const void *key, void *ent, char *buf, size_t len, void **found)
{
    struct passwd *p = NULL;
    int e = getpwnam_r(key, ent, buf, len, &p);

    *found = p;
    return e;
}

static int gr_by_gid(const void *key, void *ent, char *buf, size_t len, void **found)
{
    struct group *p = NULL;
    int e = getgrgid_r(*(const gid_t *)key, ent, buf, len, &p);

    *found = p;
    return e;
}

/* The user's group ids, primary first: getgrouplist asks for the size it
 * needs when the list is short; membership may grow between two calls, so
 * a few rounds, then an error. */
static int group_ids(const char *user, gid_t primary, gid_t **ids, int *n, char *err,
                     size_t errlen)
{
    int cap = 64;

    for (int round = 0; round < 4; round++) {
        gid_t *nb = realloc(*ids, (size_t)cap * sizeof **ids);
        int got = cap;
        if (!nb) {
            snprintf(err, errlen, "group lookup: out of memory");
            return -1;
        }
        *ids = nb;
        if (getgrouplist(user, primary, *ids, &got) >= 0) {
            *n = got;
            return 0;
        }
        if (got > LCPAM_GROUPS_MAX) {
            snprintf(err, errlen, "group lookup: the user is in more than %d groups",
                     LCPAM_GROUPS_MAX);
            return -1;
        }
        cap = got > cap ? got : cap * 2;
    }
    snprintf(err, errlen, "group lookup: the group list kept growing");
    return -1;
}

static int add_name(lcpam_groups *g, const char *name)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->name[i], name) == 0)
            return 0;
    if (!(g->name[g->n] = strdup(name)))
        return -1;
    g->n++;
    return 0;
}

static int names_of(const gid_t *ids, int n, lcpam_groups *g, char *err, size_t errlen)
{
    char *buf = NULL;
    size_t len = 0;
    int r = 0;

    g->name = calloc((size_t)n + 1, sizeof *g->name);
    if (!g->name) {
        snprintf(err, errlen, "group lookup: out of memory");
        return -1;
    }
    for (int i = 0; i < n && r >= 0; i++) {
        struct group gr;
        r = nss_lookup(gr_by_gid, &ids[i], &gr, &buf, &len, "group lookup", err, errlen);
        if (r == 1 && gr.gr_name && gr.gr_name[0] && add_name(g, gr.gr_name) != 0) {
            snprintf(err, errlen, "group lookup: out of memory");
            r = -1;
        }
    }
    free(buf);
    return r < 0 ? -1 : 0;
}

int lcpam_groups_lookup(const char *user, lcpam_groups *g, char *err, size_t errlen)
{
    struct passwd pw;
    char *buf = NULL;
    size_t len = 0;
    gid_t *ids = NULL;
    int n = 0, r;

    memset(g, 0, sizeof *g);
    r = nss_lookup(pw_by_name, user, &pw, &buf, &len, "user database lookup", err, errlen);
    if (r == 0)
        snprintf(err, errlen, "group lookup: no such user in the user database");
    if (r == 1)
        r = group_ids(user, pw.pw_gid, &ids, &n, err, errlen) == 0 ? 1 : -1;
    free(buf);
    if (r == 1)
        r = names_of(ids, n, g, err, errlen) == 0 ? 1 : -1;
    free(ids);
    if (r != 1) {
        lcpam_groups_free(g);
        return -1;
    }
    return 0;
}

void lcpam_groups_free(lcpam_groups *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n; i++)
        free(g->name[i]);
    free(g->name);
    memset(g, 0, sizeof *g);
}
