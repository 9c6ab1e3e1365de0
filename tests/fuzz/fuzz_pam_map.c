/* Fuzzes the user map parser and lookup (lcpam_map_find_n). Input: the
 * first line is the user to look up, the rest is the map file, passed with
 * its length and no terminator (so an over-read is caught). A hit must be a
 * well-formed lower-case id; the lookup must agree with a naive scan of the
 * lines; a map holding a NUL byte is malformed. */
#include <string.h>
#include <strings.h>

#include "fuzz_util.h"
#include "map.h"
#include "lines.h"

#define ID_CHARS "0123456789abcdef-" /* ids come back lower-cased */

/* Naive reference: the id on the line whose first field is user, or NULL.
 * Works on its own copy; fields are separated by blanks (space, tab) and a
 * trailing CR is ignored, as in the map format. */
static char *naive_find(const char *map, const char *user)
{
    char *copy = strdup(map), *line, *save = NULL, *found = NULL;

    if (!copy)
        abort();
    for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f1 = line + strspn(line, " \t\r");
        char *end = f1 + strcspn(f1, " \t\r");
        char *f2 = end + strspn(end, " \t\r");
        if (end == f1 || *f1 == '#' || (size_t)(end - f1) != strlen(user) ||
            strncmp(f1, user, (size_t)(end - f1)) != 0)
            continue;
        f2[strcspn(f2, " \t\r")] = '\0';
        found = strdup(f2);
        break;
    }
    free(copy);
    return found;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[LCPAM_ERR_MAX], id[LCPAM_ID_MAX + 1];
    const uint8_t *nl;
    const char *map;
    size_t maplen;
    char *user, *text, *ref;
    size_t ulen;
    int r;

    nl = memchr(data, '\n', size);
    if (!nl)
        return 0;
    ulen = (size_t)(nl - data);
    if (ulen > LCPAM_USER_MAX + 8 || memchr(data, '\0', ulen))
        return 0;
    user = fz_cstr(data, ulen);
    map = (const char *)nl + 1;
    maplen = size - ulen - 1;
    text = fz_cstr(nl + 1, maplen);
    err[0] = '\0';
    memset(id, 0, sizeof id);
    ref = naive_find(text, user);
    r = lcpam_map_find_n(map, maplen, user, id, sizeof id, err, sizeof err);
    FZ_ASSERT(r >= -1 && r <= 1);
    if (memchr(map, '\0', maplen))
        FZ_ASSERT(r == -1);
    if (r == 1) {
        size_t n = strlen(id);
        FZ_ASSERT(n > 0 && n <= LCPAM_ID_MAX && strspn(id, ID_CHARS) == n);
        FZ_ASSERT(user[0] != '\0' && user[0] != '-');
        FZ_ASSERT(strpbrk(user, " \t") == NULL);
        FZ_ASSERT(ref && strcasecmp(ref, id) == 0);
    } else if (r == 0) {
        FZ_ASSERT(!ref); /* a valid map that lists user must find it */
    } else if (r < 0) {
        FZ_ASSERT(err[0] != '\0');
        fz_check_text(err, sizeof err);
    }
    free(ref);
    free(user);
    free(text);
    return 0;
}
