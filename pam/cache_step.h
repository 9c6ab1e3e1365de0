/* The decision cache around one login's online check (decision_cache.h
 * keeps the records): a fresh record answers with no request; otherwise
 * the key's lock is taken, so a burst of logins of one person costs one
 * online check (the others wait, then find its record); the online
 * decision is stored; and under failmode cached an outage falls back to
 * the last online decision within offline_grace, never an allow past its
 * stay end. Without cache_dir every step is a no-op. */
#ifndef LCPAM_CACHE_STEP_H
#define LCPAM_CACHE_STEP_H

#include <time.h>

#include "conf.h"
#include "decision_cache.h"
#include "result.h"

typedef struct lcpam_cache_step {
    int on;                 /* cache_dir is set and its directory passed   */
    lcpam_cache cache;
    char person_id[LCPAM_CACHE_PERSON_MAX + 1];
    char rule[LCPAM_CACHE_RULE_MAX + 1];
    lcpam_cache_key key;
    lcpam_cache_lock lock;
    long long offline_decided_at; /* LCPAM_FROM_OFFLINE: when the record
                                     standing in was decided online      */
    char note[600];         /* a miss worth a log line ("" none): log-safe */
} lcpam_cache_step;

/* Where a decision came from, for the log's source= field. */
typedef enum lcpam_from {
    LCPAM_FROM_ONLINE,
    LCPAM_FROM_CACHE,   /* a fresh record: no request                    */
    LCPAM_FROM_OFFLINE  /* an outage answered by a record (failmode cached) */
} lcpam_from;

/* Opens the cache and looks the key (this person, the applied rule's
 * canonical text) up at now; a miss takes the key's lock, waiting until
 * deadline_ms (CLOCK_MONOTONIC ms) at most, and looks again. Returns 1 and
 * fills *out (ALLOW or DENY, the record's reason) on a fresh hit, 0 to go
 * online, -1 when the cache directory fails its checks: a configuration
 * error (err), whatever the failmode. */
int lcpam_cache_step_begin(lcpam_cache_step *s, const lcpam_conf *conf, const char *person_id,
                           const char *rule_text, time_t now, long long deadline_ms,
                           lcpam_outcome *out, char *err, size_t errlen);

/* After the online check made at decided_at: a decision (ALLOW, DENY,
 * GONE) is stored; an outage (REMOTE) under failmode cached becomes the
 * record's decision when lcpam_cache_offline_ok allows (*out replaced).
 * Returns where *out now comes from; s->note says what went wrong, if
 * anything (a store that failed, a record refused). Releases the lock. */
lcpam_from lcpam_cache_step_end(lcpam_cache_step *s, const lcpam_conf *conf, time_t decided_at,
                                lcpam_outcome *out);

/* Releases the lock if still held; safe on a zeroed or finished step. */
void lcpam_cache_step_free(lcpam_cache_step *s);

#endif
