/* Reading small configuration files that an attacker must not control. */
#ifndef LCPAM_SAFE_FILE_H
#define LCPAM_SAFE_FILE_H

#include <stddef.h>

/* Default cap: no config or secret file is larger. The user map passes its
 * own, larger cap to lcpam_file_read_max (see LCPAM_MAP_FILE_MAX). */
#define LCPAM_FILE_MAX (64 * 1024)
#define LCPAM_ERR_MAX 256

enum { LCPAM_FILE_SECRET = 1 << 0 }; /* also refuse group/world read (0600) */

/* Reads the whole file at path into a NUL-terminated heap buffer (*out,
 * length *len) after checking: absolute path, not a symbolic link (final
 * component), a regular file, owned by root or the effective uid, not
 * group/world writable, no larger than LCPAM_FILE_MAX, no NUL bytes; with
 * LCPAM_FILE_SECRET also no group/world permission bits at all.
 * Returns 0, or -1 with a message (naming the path) in err. */
int lcpam_file_read(const char *path, unsigned flags, char **out, size_t *len,
                    char *err, size_t errlen);

/* The same checks with a size cap of max bytes instead of LCPAM_FILE_MAX.
 * The buffer is sized from fstat, not from max, so a large cap costs
 * nothing for a small file. */
int lcpam_file_read_max(const char *path, unsigned flags, size_t max, char **out,
                        size_t *len, char *err, size_t errlen);

/* Wipes len bytes (the length lcpam_file_read reported) and frees the
 * buffer; NULL is a no-op. */
void lcpam_file_free(char *buf, size_t len);

#endif
