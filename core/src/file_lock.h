/* An exclusive flock on a lock file, waited for until a deadline: the one
 * implementation behind the token file lock (token_store.c) and the PAM
 * decision cache's per-key lock. Curl-free on purpose (safe_file.c,
 * clock.c and the error setter only): the module's cached path, which
 * must not load the network stack, takes it. */
#ifndef LC_FILE_LOCK_H
#define LC_FILE_LOCK_H

#include "errors.h"
#include "safe_file.h"

typedef struct lc_file_lock {
    int fd; /* -1 when not held */
} lc_file_lock;

/* Opens path (O_RDWR | O_CREAT, created 0600) through lc_file_open with
 * rules, then takes an exclusive flock on it, trying again every 2 ms
 * until deadline_ms (CLOCK_MONOTONIC milliseconds, lc_now_ms; 0 or a
 * deadline already past: one try). Then LC_ERR_TIMEOUT naming rules->label
 * and the path; the open's own error (LC_ERR_IO for a link, a foreign
 * owner, ...) as the rules say. lk->fd is -1 unless LC_OK. */
lc_status lc_file_lock_take(const char *path, const lc_file_rules *rules, long long deadline_ms,
                            lc_file_lock *lk, lc_error *err);

/* Unlocks and closes a held lock; nothing for one not held. */
void lc_file_lock_release(lc_file_lock *lk);

#endif
