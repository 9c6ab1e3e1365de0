/* Checking a configured CA bundle before any request uses it, so that a
 * local configuration error is reported as one (io/usage naming the path)
 * and is never mistaken for a TLS failure of the remote side; and keeping
 * the certificates that passed, parsed, so that what is trusted later is
 * exactly what was checked (each handshake's store gets them through
 * CURLOPT_SSL_CTX_FUNCTION: libcurl never sees the path, and the bundle is
 * parsed once). */
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

/* A bundle's certificates and CRLs, parsed (opaque: no OpenSSL header
 * here, the PAM module's libcrypto-free half includes this file). */
typedef struct lc_ca_certs lc_ca_certs;
struct ssl_ctx_st;

/* Opens path once (symlinks are followed: system bundles are links; the
 * target is checked), checks the open file and reads it from that same
 * descriptor: a readable regular file of at most LC_CAFILE_MAX
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
 * no one else can swap it: LC_ERR_IO. Every message names the path. *out
 * gets the parsed certificates (NULL on error); free with
 * lc_ca_certs_free. */
lc_status lc_cafile_load(const char *path, int require_root_owner, lc_ca_certs **out,
                         lc_error *err);
void lc_ca_certs_free(lc_ca_certs *certs);

/* Adds every certificate and CRL of certs to ctx's X509 store, as libcurl
 * adds a CURLOPT_CAINFO_BLOB's: 0, or -1 when one could not be added. */
int lc_ca_certs_trust(const lc_ca_certs *certs, struct ssl_ctx_st *ctx);

/* lc_cafile_load's file half: the same file and directory checks, no PEM
 * parsing (so no libcrypto: cafile_read.c); the bytes in *out (empty on
 * error), freed with lc_ca_bundle_free. */
lc_status lc_cafile_read(const char *path, int require_root_owner, lc_ca_bundle *out,
                         lc_error *err);
void lc_ca_bundle_free(lc_ca_bundle *b);

/* lc_cafile_load, keeping nothing. */
lc_status lc_cafile_check(const char *path, int require_root_owner, lc_error *err);

#endif
