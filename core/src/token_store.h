/* The optional token file shared by several processes (see DESIGN.md):
 * 0600, owned by the effective uid, never a symlink; guarded by
 * "<file>.lock" held with flock; replaced atomically (temp + fsync +
 * rename + directory fsync). */
#ifndef LC_TOKEN_STORE_H
#define LC_TOKEN_STORE_H

#include "buf.h"
#include "client.h"
#include "file_lock.h"

/* One size limit for tokens on both paths: an OAuth answer with a longer
 * access or refresh token is refused at parse, so nothing the writer stores
 * is ever refused by the reader. */
#define LC_TOKEN_MAX 4096
/* The largest file the writer can produce: three strings (access, refresh,
 * token_type) of at most LC_TOKEN_MAX visible-ASCII bytes, each escaped to
 * at most two bytes per byte, plus quotes, keys, a 20-digit expires_at and
 * punctuation (under 256 bytes). The reader's cap. */
#define LC_TOKEN_FILE_MAX (3 * (2 * LC_TOKEN_MAX + 2) + 256)

/* The token file's directory must be writable by nobody else: owned by root
 * or the effective uid, no group/other write bit (a sticky /tmp is refused
 * too: anyone could pre-create "<file>.lock" there and block every login).
 * Every directory above it must be owned by root or the effective uid and
 * writable by others only when sticky (so nobody can swap the directory).
 * LC_ERR_IO naming the directory. */
lc_status lc_token_dir_check(const char *path, lc_error *err);

/* Checks the directory (lc_token_dir_check), then opens and checks an
 * existing token file without reading it; a missing file is fine. Used at
 * client creation to fail early. */
lc_status lc_token_file_check(const char *path, lc_error *err);

/* Nonzero when s may travel in an "Authorization: Bearer" header: visible
 * ASCII only (no space, CR, LF or other control bytes), so neither a hostile
 * token endpoint nor a tampered token file can inject header lines. */
int lc_token_text_ok(const char *s);

/* Parses token file text ("" or "{}" = no tokens) into *t. Pure. */
lc_status lc_tokens_parse(const char *text, size_t len, lc_tokens *t, lc_error *err);
/* Serialises t as the token file JSON. Pure. */
int lc_tokens_serialize(const lc_tokens *t, lc_buf *out);

typedef lc_file_lock lc_token_lock;

/* Checks the directory, then takes the exclusive lock "<path>.lock",
 * creating it 0600 (lc_file_lock_take: waits at most until deadline_ms,
 * CLOCK_MONOTONIC ms, then LC_ERR_TIMEOUT naming the lock file; 0 or a
 * past deadline: one try). */
lc_status lc_token_lock_acquire(const char *path, long long deadline_ms,
                                lc_token_lock *lk, lc_error *err);
void lc_token_lock_release(lc_token_lock *lk);

/* Reads the file (missing or empty = no tokens) into *t, replacing it,
 * through lc_file_read (safe_file.h): regular, owned by the effective uid,
 * no group or other permission bits, never a symbolic link. */
lc_status lc_token_file_read(const char *path, lc_tokens *t, lc_error *err);
/* Atomically replaces the file with t. Call with the lock held: stale
 * "<path>.tmpXXXXXX" files of a killed writer are removed first. */
lc_status lc_token_file_write(const char *path, const lc_tokens *t, lc_error *err);

#endif
