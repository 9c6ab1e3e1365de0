/* Checking a configured CA bundle before any request uses it, so that a
 * local configuration error is reported as one (io/usage naming the path)
 * and is never mistaken for a TLS failure of the remote side. */
#ifndef LC_CAFILE_H
#define LC_CAFILE_H

#include "lockcloud/lockcloud.h"

/* Checks path (symlinks are followed: system bundles are links; the target
 * is checked): it exists, is a readable regular file and holds at least one
 * PEM certificate that OpenSSL can read.
 *  - missing, unreadable, not a regular file: LC_ERR_IO (with strerror);
 *  - no certificate, or a PEM block that does not parse: LC_ERR_USAGE.
 * With require_root_owner (the PAM module, at config load), the target must
 * also be owned by root (or the effective uid, so unprivileged tests can
 * run; as pam/safe_file.c) and not group or world writable: LC_ERR_IO.
 * Every message names the path. */
lc_status lc_cafile_check(const char *path, int require_root_owner, lc_error *err);

#endif
