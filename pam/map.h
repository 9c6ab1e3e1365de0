/* The user map file (map_file =): which access person a Linux user is. */
#ifndef LCPAM_MAP_H
#define LCPAM_MAP_H

#include <stddef.h>

#define LCPAM_USER_MAX 64
#define LCPAM_ID_MAX 64

/* Validates the whole map text (modified in place): lines "user id" with
 * user [A-Za-z0-9._@-] (not starting with '-'), id [0-9A-Fa-f-], each at
 * most 64 characters, no user listed twice. Then looks user up.
 * Returns 1 and copies the id into id[idlen] when mapped, 0 when not,
 * -1 with err when the file is malformed (even if user would have matched). */
int lcpam_map_find(char *text, const char *user, char *id, size_t idlen,
                   char *err, size_t errlen);

/* lcpam_file_read(path) + lcpam_map_find; messages name the path. */
int lcpam_map_lookup(const char *path, const char *user, char *id, size_t idlen,
                     char *err, size_t errlen);

#endif
