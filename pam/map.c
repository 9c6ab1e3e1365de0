/* User map: "linux-user access-person-id" per line. The whole file is
 * validated on every lookup so a hostile or broken line is reported no
 * matter which user logs in. Large maps must not make that the slow part
 * of a login: one pass over the text where it lies (no copy, no allocation
 * per line), and duplicates found with one hash set of offsets. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "map.h"

/* Byte classes, one table lookup per byte on the hot path. */
enum { C_USER = 1, C_ID = 2, C_SEP = 4, C_CTL = 8 };
#define IS_USER(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || \
                    ((c) >= '0' && (c) <= '9') || (c) == '.' || (c) == '_' || (c) == '@' || (c) == '-')
#define IS_ID(c) (((c) >= '0' && (c) <= '9') || ((c) >= 'a' && (c) <= 'f') || \
                  ((c) >= 'A' && (c) <= 'F') || (c) == '-')
/* Tab is allowed; '\r' only ends a CRLF line, which the callers handle. */
#define IS_CTL(c) (((c) < 0x20 && (c) != '\t') || (c) == 0x7f)
#define CLASS(c) ((IS_USER(c) ? C_USER : 0) | (IS_ID(c) ? C_ID : 0) | \
                  ((c) == ' ' || (c) == '\t' ? C_SEP : 0) | (IS_CTL(c) ? C_CTL : 0))
#define CL4(c) CLASS(c), CLASS((c) + 1), CLASS((c) + 2), CLASS((c) + 3)
#define CL16(c) CL4(c), CL4((c) + 4), CL4((c) + 8), CL4((c) + 12)
#define CL64(c) CL16(c), CL16((c) + 16), CL16((c) + 32), CL16((c) + 48)
static const unsigned char cls[256] = { CL64(0), CL64(64), CL64(128), CL64(192) };

static int is_sep(char c)
{
    return c == ' ' || c == '\t';
}

/* Users seen so far, as offsets + 1 into the text (0 = empty slot): open
 * addressing with linear probing, at most half full. The text is capped
 * below 4 GiB, so 32-bit offsets do. */
typedef struct userset {
    uint32_t *slot;
    size_t mask;
} userset;

static int userset_init(userset *s, size_t entries)
{
    size_t cap = 16;

    while (cap < 2 * entries)
        cap *= 2;
    s->slot = calloc(cap, sizeof *s->slot);
    s->mask = cap - 1;
    return s->slot ? 0 : -1;
}

/* FNV-1a: user names are short; any spread-out hash will do. */
static size_t hash(const char *p, size_t n)
{
    uint64_t h = 14695981039346656037u;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211u;
    return (size_t)(h ^ (h >> 32));
}

/* Adds the user text[off..off+n); returns 0, or 1 if it was already there.
 * A stored user is followed by a blank, and lies before this one, so
 * comparing n bytes then the byte after stays inside the text. */
static int userset_add(userset *s, const char *text, size_t off, size_t n)
{
    size_t i = hash(text + off, n) & s->mask;

    for (; s->slot[i]; i = (i + 1) & s->mask) {
        const char *seen = text + s->slot[i] - 1;
        if (memcmp(seen, text + off, n) == 0 && is_sep(seen[n]))
            return 1;
    }
    s->slot[i] = (uint32_t)off + 1;
    return 0;
}

static size_t count_lines(const char *text, size_t len)
{
    size_t n = 1;

    for (const char *p = text, *end = text + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        n++;
    return n;
}

/* s[0..n) is 1..max characters, each of class want. */
static int only(const char *s, size_t n, unsigned char want, size_t max)
{
    if (n == 0 || n > max)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (!(cls[(unsigned char)s[k]] & want))
            return 0;
    return 1;
}

/* Splits s..e (stripped, non-empty) into "user id" and checks both. */
static int parse_entry(const char *s, const char *e, unsigned lineno, size_t *ulen,
                       const char **id, size_t *idlen, char *err, size_t errlen)
{
    const char *p = s, *i;

    while (p < e && !is_sep(*p))
        p++;
    *ulen = (size_t)(p - s);
    while (p < e && is_sep(*p))
        p++;
    i = p;
    while (p < e && !is_sep(*p))
        p++;
    if (i == e || p != e) {
        snprintf(err, errlen, "line %u: expected 'user id'", lineno);
        return -1;
    }
    *id = i;
    *idlen = (size_t)(e - i);
    if (!only(s, *ulen, C_USER, LCPAM_USER_MAX) || s[0] == '-') {
        snprintf(err, errlen, "line %u: invalid user name", lineno);
        return -1;
    }
    if (!only(i, *idlen, C_ID, LCPAM_ID_MAX)) {
        snprintf(err, errlen, "line %u: invalid access person id", lineno);
        return -1;
    }
    return 0;
}

/* The common line, "user id" with optional blanks, a comment or a blank
 * line, checked in one pass of table lookups. Returns 1 with the entry, 0
 * for a line without one, or -1 when the line is not plainly valid: then
 * lcpam_line_span and parse_entry decide, and name the error if there is one.
 * It accepts only lines those accept, with the same fields. *le must be
 * the line's '\n': it (or a final '\r') ends every loop without a bounds
 * check, as neither is a user, id or blank character. */
static int fast_line(const char *p, const char *le, const char **u, size_t *ulen,
                     const char **id, size_t *idlen)
{
    const char *q = p;

    if ((size_t)(le - p) > LCPAM_LINE_MAX)
        return -1;
    if (le > p && le[-1] == '\r')
        le--;
    while (cls[(unsigned char)*q] & C_SEP)
        q++;
    if (*q == '#') {
        while (!(cls[(unsigned char)*q] & C_CTL))
            q++;
        return q == le ? 0 : -1;
    }
    if (q == le)
        return 0;
    *u = q;
    while (cls[(unsigned char)*q] & C_USER)
        q++;
    *ulen = (size_t)(q - *u);
    if (*ulen > LCPAM_USER_MAX || **u == '-' || !(cls[(unsigned char)*q] & C_SEP))
        return -1;
    while (cls[(unsigned char)*q] & C_SEP)
        q++;
    *id = q;
    while (cls[(unsigned char)*q] & C_ID)
        q++;
    *idlen = (size_t)(q - *id);
    if (*idlen == 0 || *idlen > LCPAM_ID_MAX)
        return -1;
    while (cls[(unsigned char)*q] & C_SEP)
        q++;
    return q == le ? 1 : -1;
}

/* Validates every line; sets *found and *found_len to the id of user when mapped. */
static int scan(const char *text, size_t len, const char *user, userset *set,
                const char **found, size_t *found_len, char *err, size_t errlen)
{
    const char *p = text, *end = text + len;
    size_t want = user ? strlen(user) : 0;
    unsigned lineno = 0;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
        const char *s, *e, *id;
        size_t ulen, idlen;
        int r;

        lineno++;
        /* An unterminated last line takes the bounds-checked path. */
        r = nl ? fast_line(p, le, &s, &ulen, &id, &idlen) : -1;
        if (r < 0) {
            /* The precise check names the error, if there is one. */
            if (lcpam_line_span(p, (size_t)(le - p), lineno, &s, &e, err, errlen) != 0)
                return -1;
            r = s != e;
            if (r && parse_entry(s, e, lineno, &ulen, &id, &idlen, err, errlen) != 0)
                return -1;
        }
        p = nl ? nl + 1 : end;
        if (r == 0)
            continue;
        /* Any user twice is ambiguous: refuse instead of picking one. */
        if (userset_add(set, text, (size_t)(s - text), ulen)) {
            snprintf(err, errlen, "line %u: user '%.*s' is mapped more than once", lineno,
                     (int)ulen, s);
            return -1;
        }
        if (user && ulen == want && memcmp(s, user, want) == 0) {
            *found = id;
            *found_len = idlen;
        }
    }
    return 0;
}

int lcpam_map_find_n(const char *text, size_t len, const char *user, char *id, size_t idlen,
                     char *err, size_t errlen)
{
    const char *found = NULL;
    size_t found_len = 0;
    userset set;
    int r;

    if (len > LCPAM_MAP_FILE_MAX) {
        snprintf(err, errlen, "is too large (limit %d MiB)", LCPAM_MAP_FILE_MAX / (1024 * 1024));
        return -1;
    }
    if (userset_init(&set, count_lines(text, len)) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    r = scan(text, len, user, &set, &found, &found_len, err, errlen);
    free(set.slot);
    if (r != 0)
        return -1;
    if (!found)
        return 0;
    if (found_len >= idlen) {
        snprintf(err, errlen, "id buffer too small");
        return -1;
    }
    /* The server writes ids in lower case and they are compared as strings. */
    for (size_t k = 0; k < found_len; k++)
        id[k] = found[k] >= 'A' && found[k] <= 'F' ? (char)(found[k] - 'A' + 'a') : found[k];
    id[found_len] = '\0';
    return 1;
}

int lcpam_map_find(const char *text, const char *user, char *id, size_t idlen,
                   char *err, size_t errlen)
{
    return lcpam_map_find_n(text, strlen(text), user, id, idlen, err, errlen);
}

/* One lookup: the user to find and where its id goes. */
typedef struct map_lookup {
    const char *user;
    char *id;
    size_t idlen;
} map_lookup;

static int find_in_text(void *ctx, char *text, size_t len, char *err, size_t errlen)
{
    map_lookup *m = ctx;

    return lcpam_map_find_n(text, len, m->user, m->id, m->idlen, err, errlen);
}

int lcpam_map_lookup(const char *path, const char *user, char *id, size_t idlen,
                     char *err, size_t errlen)
{
    map_lookup m = { user, id, idlen };

    return lcpam_file_parse(path, 0, LCPAM_MAP_FILE_MAX, find_in_text, &m, err, errlen);
}
