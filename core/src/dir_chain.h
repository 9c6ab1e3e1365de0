/* The "trusted directory chain" check shared by the token store and the
 * cafile check: a file can only be trusted if nobody else can swap the
 * directories that lead to it. */
#ifndef LC_DIR_CHAIN_H
#define LC_DIR_CHAIN_H

#include "lockcloud/lockcloud.h"

/* Checks every directory above path, along the path as named (when it is
 * absolute: whoever can write there could swap a symlink on it) and, when
 * the path goes through symlinks, along the path it resolves to (the
 * directories that really hold it). Each must be owned by root or the
 * effective uid and may be writable by group or others only with the
 * sticky bit (as /tmp). label starts every message ("token file directory
 * /x", "cafile /y"). LC_ERR_IO (or LC_ERR_NOMEM). When real_out is not
 * NULL and the check passes, *real_out is realpath(path), malloc'd. */
lc_status lc_dir_chain_check(const char *label, const char *path, char **real_out,
                             lc_error *err);

#endif
