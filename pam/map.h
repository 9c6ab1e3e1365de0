/* The user map file (map_file =): which access person a Linux user is. */
#ifndef LCPAM_MAP_H
#define LCPAM_MAP_H

#include <stddef.h>

#define LCPAM_USER_MAX 64
#define LCPAM_ID_MAX 64

/* Cap on the map file (config and credentials keep LCPAM_FILE_MAX, 64 KiB):
 * 64 MiB. That holds over 500,000 users even at the longest lines (64-char
 * user and id) and about 1.4 million with typical ones (8-char user, UUID).
 * The whole file is read and checked on every login; the memory that costs
 * is the file itself plus at most 16 bytes per line for the duplicate check,
 * freed before the login goes on. */
#define LCPAM_MAP_FILE_MAX (64 * 1024 * 1024)

/* Validates the whole map text[0..len) (not modified; a NUL byte is a
 * control character): lines "user id" with user [A-Za-z0-9._@-] (not
 * starting with '-'), id [0-9A-Fa-f-], each at most 64 characters, no user
 * listed twice, blank lines and '#' comments ignored. Then looks user up
 * (case-sensitively; NULL only validates). Returns 1 and copies the id,
 * lower-cased as the server writes ids, into id[idlen] when mapped, 0 when
 * not, -1 with err when the text is malformed (even if user would have
 * matched) or larger than LCPAM_MAP_FILE_MAX. */
int lcpam_map_find_n(const char *text, size_t len, const char *user, char *id, size_t idlen,
                     char *err, size_t errlen);

/* lcpam_map_find_n on a NUL-terminated text. */
int lcpam_map_find(const char *text, const char *user, char *id, size_t idlen,
                   char *err, size_t errlen);

/* Reads path (lcpam_file_load, LCPAM_MAP_FILE_MAX cap) and runs
 * lcpam_map_find_n; messages name the path. */
int lcpam_map_lookup(const char *path, const char *user, char *id, size_t idlen,
                     char *err, size_t errlen);

#endif
