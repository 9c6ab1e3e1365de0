/* Checking a configured CA bundle before any request uses it, so that a
 * local configuration error is reported as one (io/usage naming the path)
 * and is never mistaken for a TLS failure of the remote side; and keeping
 * the bytes that passed, so that what is trusted later is exactly what was
 * checked (libcurl gets them as CURLOPT_CAINFO_BLOB, never the path). */
#ifndef LC_CAFILE_H
#define LC_CAFILE_H

#include <stddef.h>

#include "lockcloud/lockcloud.h"

/* Far above any real bundle (Debian's is ~220 KB); bounds what a client
 * holds in memory and parses. */
#define LC_CAFILE_MAX ((size_t)4 * 1024 * 1024)

/* A CA bundle as read from its file; data is NUL-terminated (not counted
 * in len). */
typedef struct lc_ca_bundle {
    char *data;
    size_t len;
} lc_ca_bundle;

/* Opens path once (symlinks are followed: system bundles are links; the
 * target is checked), checks the open file and reads it from that same
 * descriptor into *out: a readable regular file of at most LC_CAFILE_MAX
 * bytes holding at least one PEM certificate, every block parsing the way
 * libcurl's OpenSSL backend loads a bundle.
 *  - missing, unreadable, not a regular file: LC_ERR_IO (with strerror);
 *  - too large, no certificate, or a PEM block that does not parse:
 *    LC_ERR_USAGE.
 * Read by lc_file_read (safe_file.h) with LC_FILE_FOLLOW. With
 * require_root_owner (the PAM module, at config load), the target must
 * also be owned by root (or the effective uid, so unprivileged tests can
 * run; safe_file.h's default rule), not group or world writable, and every
 * directory above it (as named and as resolved) owned by root or the
 * effective uid and writable by others only when sticky (dir_chain.h), so
 * no one else can swap it: LC_ERR_IO. Every message names the path. On
 * error *out is empty. */
lc_status lc_cafile_load(const char *path, int require_root_owner, lc_ca_bundle *out,
                         lc_error *err);
void lc_ca_bundle_free(lc_ca_bundle *b);

/* lc_cafile_load's file half: the same file and directory checks, no PEM
 * parsing (so no libcrypto: cafile_read.c). */
lc_status lc_cafile_read(const char *path, int require_root_owner, lc_ca_bundle *out,
                         lc_error *err);

/* lc_cafile_load, keeping nothing. */
lc_status lc_cafile_check(const char *path, int require_root_owner, lc_error *err);

#endif
