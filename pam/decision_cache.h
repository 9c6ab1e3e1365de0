/* The decision cache: one small file per (vendor, person, applied rule) in
 * a private directory, so a repeated login costs no request and an outage
 * can fall back to the last online decision (failmode cached). Records and
 * the rules over them: decision_record.h.
 *
 * Curl-free on purpose (it calls neither libcurl nor cJSON; of the core
 * it uses dir_chain.c, safe_file.c, file_lock.c, clock.c, text.c and the
 * error setter): it is linked into the module's cached path, which must
 * not load the network stack, and into the `lockcloud` command. It needs
 * no library of its own.
 *
 * Files: "<dir>/<key>", key = lcpam_cache_key_hex of the length-prefixed key
 * material; written as "<key>.t<slot>" (O_EXCL, 0600) + fsync + rename +
 * directory fsync, so a reader sees the old record or the new one, whole;
 * read through the core's safe reader (O_NOFOLLOW, regular, owner root or
 * us, 0600, size cap). A lookup is one open: no directory scan, however
 * many files the directory holds. "<key>.lock": the key's single-flight
 * lock (lcpam_cache_lock_key). */
#ifndef LCPAM_DECISION_CACHE_H
#define LCPAM_DECISION_CACHE_H

#include "decision_record.h"
/* The core's lock with a deadline (internal, curl-free). */
#include "../core/src/file_lock.h"

/* Temp file slots per key: more concurrent writers of one key than this
 * skip the store (the decision itself is not affected). */
#define LCPAM_CACHE_SLOTS 8
/* A temp file older than this is a crashed writer's (a write takes ms). */
#define LCPAM_CACHE_STALE_S 60

typedef struct lcpam_cache {
    char dir[4097]; /* the checked directory, as configured */
} lcpam_cache;

/* Checks the directory as the token directory is checked: a directory,
 * owned by root or the effective uid, no group or other permission bit
 * (0700), every directory above it (as named and as resolved) root's or
 * ours and writable by others only when sticky. create: a missing
 * directory is made (0700) first. LC_ERR_IO naming the directory. */
lc_status lcpam_cache_open(lcpam_cache *c, const char *dir, int create, lc_error *err);

/* What a lookup found. Everything but HIT and ABSENT is worth a log line:
 * err says why, naming the file, never its bytes. */
typedef enum lcpam_cache_status {
    LCPAM_CACHE_HIT = 0,
    LCPAM_CACHE_ABSENT,   /* no record: the ordinary miss                  */
    LCPAM_CACHE_REFUSED,  /* the file failed a check: symbolic link, not a
                             regular file, owner, mode, size, unreadable   */
    LCPAM_CACHE_CORRUPT,  /* not a format-1 record                        */
    LCPAM_CACHE_MISMATCH, /* a record of another key (renamed or copied)  */
    LCPAM_CACHE_FUTURE    /* decided after now + skew                     */
} lcpam_cache_status;

/* "hit", "absent", "refused", "corrupt", "mismatch", "future". */
const char *lcpam_cache_status_name(lcpam_cache_status s);

/* One open: reads the key's record into *out. HIT only for a well-formed
 * record of exactly this key not decided in the future; whether it is
 * fresh or offline-usable is the pure functions' call. On any other
 * status *out is zeroed. */
lcpam_cache_status lcpam_cache_load(const lcpam_cache *c, const lcpam_cache_key *key,
                                    time_t now, lcpam_decision_record *out, lc_error *err);

/* Replaces the record of r's key atomically. Removes this key's temp files
 * left by a crashed writer (older than LCPAM_CACHE_STALE_S; at most
 * LCPAM_CACHE_SLOTS names looked at). LC_ERR_USAGE for a record the reader
 * would refuse, LC_ERR_IO (all slots busy, disk full ...). */
lc_status lcpam_cache_store(const lcpam_cache *c, const lcpam_decision_record *r,
                            lc_error *err);

/* Removes the key's record, if any: when an online decision could not be
 * stored, an older record must not answer for it later (a deny not stored
 * would leave the allow before it standing in during an outage). */
lc_status lcpam_cache_forget(const lcpam_cache *c, const lcpam_cache_key *key, lc_error *err);

/* One online check per key at a time, so a burst of logins of one person
 * costs one request: the first takes the key's lock, checks online and
 * stores; the others wait for the lock, then find the fresh record. An
 * exclusive flock on "<dir>/<key>.lock" (created 0600; checked as a
 * record is: no link, owner root or us, 0600), waited on at most until
 * deadline_ms (CLOCK_MONOTONIC milliseconds; 0: no wait at all), then
 * LC_ERR_TIMEOUT: the caller goes online without it (lc_file_lock_take). */
typedef lc_file_lock lcpam_cache_lock;

lc_status lcpam_cache_lock_key(const lcpam_cache *c, const lcpam_cache_key *key,
                               long long deadline_ms, lcpam_cache_lock *lk, lc_error *err);
void lcpam_cache_unlock(lcpam_cache_lock *lk);

typedef struct lcpam_cache_prune_stats {
    size_t examined;  /* directory entries looked at                     */
    size_t removed;   /* records of no further use, corrupt, mismatched or
                         from the future; stale temp files; lock files
                         of keys without a record that nobody holds      */
    size_t refused;   /* records failing a safety check: left for the
                         admin (the next store replaces them)            */
    int more;         /* the budget ran out before the end               */
} lcpam_cache_prune_stats;

/* For the command (`lockcloud cache prune`), never the login path: scans
 * the directory and removes what lookups can no longer use (neither fresh
 * nor offline-usable at now). Looks at no more than budget entries. Names
 * that are neither records nor temp files are left alone. */
lc_status lcpam_cache_prune(const lcpam_cache *c, const lcpam_cache_conf *cc, time_t now,
                            size_t budget, lcpam_cache_prune_stats *stats, lc_error *err);

#endif
