/* The optional token file shared by several processes (see DESIGN.md):
 * 0600, owned by the effective uid, never a symlink; guarded by
 * "<file>.lock" held with flock; replaced atomically (temp + fsync +
 * rename + directory fsync). */
#ifndef LC_TOKEN_STORE_H
#define LC_TOKEN_STORE_H

#include "buf.h"
#include "client.h"

/* Checks an open file: regular, owned by the effective uid, no group or
 * other permission bits. what names the file in messages. */
lc_status lc_token_fd_check(int fd, const char *what, lc_error *err);

/* Opens and checks an existing token file without reading it; a missing
 * file is fine. Used at client creation to fail early. */
lc_status lc_token_file_check(const char *path, lc_error *err);

/* Nonzero when s may travel in an "Authorization: Bearer" header: visible
 * ASCII only (no space, CR, LF or other control bytes), so neither a hostile
 * token endpoint nor a tampered token file can inject header lines. */
int lc_token_text_ok(const char *s);

/* Parses token file text ("" or "{}" = no tokens) into *t. Pure. */
lc_status lc_tokens_parse(const char *text, size_t len, lc_tokens *t, lc_error *err);
/* Serialises t as the token file JSON. Pure. */
int lc_tokens_serialize(const lc_tokens *t, lc_buf *out);

typedef struct lc_token_lock {
    int fd; /* -1 when not held */
} lc_token_lock;

/* Takes the exclusive lock "<path>.lock", creating it 0600. Waits at most
 * until deadline_ms (CLOCK_MONOTONIC ms; 0 = no limit). */
lc_status lc_token_lock_acquire(const char *path, long long deadline_ms,
                                lc_token_lock *lk, lc_error *err);
void lc_token_lock_release(lc_token_lock *lk);

/* Reads the file (missing or empty = no tokens) into *t, replacing it. */
lc_status lc_token_file_read(const char *path, lc_tokens *t, lc_error *err);
/* Atomically replaces the file with t. */
lc_status lc_token_file_write(const char *path, const lc_tokens *t, lc_error *err);

#endif
