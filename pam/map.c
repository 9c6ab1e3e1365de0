/* User map: "linux-user access-person-id" per line. The whole file is
 * validated on every lookup so a hostile or broken line is reported no
 * matter which user logs in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "map.h"
#include "safe_file.h"

#define USER_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._@-"
#define ID_CHARS "0123456789abcdefABCDEF-"

static int only(const char *s, const char *set, size_t max)
{
    size_t n = strlen(s);
    return n > 0 && n <= max && strspn(s, set) == n;
}

/* Splits a trimmed line into exactly two blank-separated fields. */
static int split_fields(char *line, char **user, char **id)
{
    char *p = line + strcspn(line, " \t");

    if (*p == '\0')
        return -1;
    *p++ = '\0';
    p += strspn(p, " \t");
    *user = line;
    *id = p;
    return strcspn(p, " \t") == strlen(p) ? 0 : -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Any user twice is ambiguous: refuse instead of picking one. */
static int check_duplicates(char **users, size_t n, char *err, size_t errlen)
{
    qsort(users, n, sizeof *users, cmp_str);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(users[i - 1], users[i]) == 0) {
            snprintf(err, errlen, "user '%s' is mapped more than once", users[i]);
            return -1;
        }
    }
    return 0;
}

int lcpam_map_find(char *text, const char *user, char *id, size_t idlen,
                   char *err, size_t errlen)
{
    lcpam_lines it;
    char **users;
    char *line, *u, *i;
    const char *found = NULL;
    size_t n = 0, cap = 1;
    int r;

    for (const char *p = text; *p; p++)
        cap += *p == '\n';
    users = calloc(cap, sizeof *users);
    if (!users) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    lcpam_lines_init(&it, text);
    while ((r = lcpam_lines_next(&it, &line, err, errlen)) == 1) {
        if (split_fields(line, &u, &i) != 0) {
            snprintf(err, errlen, "line %u: expected 'user id'", it.lineno);
            r = -1;
            break;
        }
        if (!only(u, USER_CHARS, LCPAM_USER_MAX) || u[0] == '-') {
            snprintf(err, errlen, "line %u: invalid user name", it.lineno);
            r = -1;
            break;
        }
        if (!only(i, ID_CHARS, LCPAM_ID_MAX)) {
            snprintf(err, errlen, "line %u: invalid access person id", it.lineno);
            r = -1;
            break;
        }
        users[n++] = u;
        if (user && strcmp(u, user) == 0)
            found = i;
    }
    if (r == 0)
        r = check_duplicates(users, n, err, errlen);
    free(users);
    if (r != 0)
        return -1;
    if (!found)
        return 0;
    if (strlen(found) >= idlen) {
        snprintf(err, errlen, "id buffer too small");
        return -1;
    }
    memcpy(id, found, strlen(found) + 1);
    return 1;
}

int lcpam_map_lookup(const char *path, const char *user, char *id, size_t idlen,
                     char *err, size_t errlen)
{
    char msg[LCPAM_ERR_MAX];
    char *text;
    size_t len;
    int r;

    if (lcpam_file_read(path, 0, &text, &len, err, errlen) != 0)
        return -1;
    r = lcpam_map_find(text, user, id, idlen, msg, sizeof msg);
    if (r < 0)
        snprintf(err, errlen, "%s: %s", path, msg);
    lcpam_file_free(text, len);
    return r;
}
