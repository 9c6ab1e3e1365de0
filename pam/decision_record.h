/* A decision cache record: its key, its text (format 1) and the pure
 * rules over a record and a clock that the PAM module and the `lockcloud`
 * command share (decision_cache.h stores and loads records). Pure: no
 * libcurl, no libcrypto, no JSON library.
 *
 * Record format 1, line-based text, exactly these ten lines in this order:
 *     lockcloud-decision 1
 *     vendor remotelock
 *     person <access person id>
 *     rule <the applied rule's canonical text>
 *     decision allow|deny
 *     reason <short text, may be empty>
 *     decided_at <unix seconds>
 *     valid_until <unix seconds>
 *     stay_end <unix seconds, 0 = none>
 *     source online
 * Text rather than JSON: one spelling per record (no escapes, key order,
 * whitespace or number forms to weigh), so the reader is a short strict
 * loop with no JSON library on the cached path, and format(parse(x)) == x
 * is checkable by the fuzzer. */
#ifndef LCPAM_DECISION_RECORD_H
#define LCPAM_DECISION_RECORD_H

#include <stddef.h>
#include <time.h>

#include <lockcloud/policy.h>

#include "lines.h"

#define LCPAM_CACHE_FORMAT 1
#define LCPAM_CACHE_VENDOR_MAX 32             /* [a-z0-9_-]                    */
#define LCPAM_CACHE_PERSON_MAX LC_ACCESS_ID_MAX /* visible ASCII               */
#define LCPAM_CACHE_RULE_MAX LCPAM_LINE_MAX   /* UTF-8, no control character   */
#define LCPAM_CACHE_REASON_MAX LC_REASON_MAX  /* with the NUL                  */
/* The reader's cap: the largest record the writer can produce is ~1.4 KB. */
#define LCPAM_CACHE_RECORD_MAX 4096
/* A record decided later than now + this is refused: the clock went back,
 * or the record was not written by this host's clock. */
#define LCPAM_CACHE_SKEW_S 5

/* Configuration keys (lockcloud.conf), defaults and ranges in seconds:
 *   cache_dir          absolute path; unset: no decision cache
 *   cache_ttl          300, 0..86400: an allow is reused this long (and
 *                      never past the stay or access window end)
 *   cache_negative_ttl 60, 0..3600: a deny is reused this long
 *   offline_grace      3600, 0..604800: failmode cached may use a record
 *                      decided this recently while the cloud is out */
#define LCPAM_CACHE_TTL_DEFAULT 300
#define LCPAM_CACHE_NEGATIVE_TTL_DEFAULT 60
#define LCPAM_CACHE_OFFLINE_GRACE_DEFAULT 3600

typedef struct lcpam_cache_conf {
    char *dir;            /* cache_dir, malloc'd; NULL: no cache          */
    long ttl_s;           /* cache_ttl                                    */
    long negative_ttl_s;  /* cache_negative_ttl                           */
    long offline_grace_s; /* offline_grace                                */
    unsigned seen;        /* keys given, for the duplicate check          */
} lcpam_cache_conf;

void lcpam_cache_conf_defaults(lcpam_cache_conf *cc);
/* One "key = value" of lockcloud.conf: 1 when key is not a cache key (the
 * caller goes on), 0 when set, -1 with err for a bad value or a key given
 * twice (messages name the key, never the value). */
int lcpam_cache_conf_set(lcpam_cache_conf *cc, const char *key, const char *value, char *err,
                         size_t errlen);
void lcpam_cache_conf_free(lcpam_cache_conf *cc);

/* What a record is about; all three are echoed in the record. */
typedef struct lcpam_cache_key {
    const char *vendor;    /* "remotelock"                                */
    const char *person_id; /* normalised (lc_access_id_normalize)         */
    const char *rule;      /* the applied rule's canonical text           */
} lcpam_cache_key;

typedef enum lcpam_cache_source { LCPAM_SOURCE_ONLINE = 1 } lcpam_cache_source;

typedef struct lcpam_decision_record {
    char vendor[LCPAM_CACHE_VENDOR_MAX + 1];
    char person_id[LCPAM_CACHE_PERSON_MAX + 1];
    char rule[LCPAM_CACHE_RULE_MAX + 1];
    int allow;                           /* 1 allow, 0 deny                */
    char reason[LCPAM_CACHE_REASON_MAX]; /* sanitised (text.c, message)     */
    long long decided_at;                /* unix seconds, > 0               */
    long long valid_until;               /* fresh while now < valid_until   */
    long long stay_end;                  /* stay or access window end, 0 none */
    lcpam_cache_source source;
} lcpam_decision_record;

/* "<64 hex>": a 256-bit non-cryptographic hash (why: decision_record.c)
 * over "lockcloud-decision 1" and the three fields,
 * each as "<length>:<bytes>," (no field can run into the next). Checks the
 * fields first (LC_ERR_USAGE naming the field, never its bytes). */
lc_status lcpam_cache_key_hex(const lcpam_cache_key *key, char hex[65], lc_error *err);

/* ---- pure: record text, and decisions over a record and now ------------ */

/* Parses text[0..len) (format above; nothing else is accepted). The reason
 * is sanitised again. LC_ERR_PARSE with a message naming the line, never
 * quoting it; *out is then zeroed. */
lc_status lcpam_decision_record_parse(const char *text, size_t len,
                                      lcpam_decision_record *out, lc_error *err);

/* Writes the record's text into buf (NUL-terminated); returns its length,
 * or -1 (LC_ERR_USAGE in err) for a record the reader would refuse. */
int lcpam_decision_record_format(const lcpam_decision_record *r, char *buf, size_t buflen,
                                 lc_error *err);

/* Fills *r for an online decision made at decided_at that may change at
 * changes_at (the core's valid_until; 0 unknown): key echoed, reason
 * sanitised, valid_until from lcpam_cache_valid_until, stay_end =
 * changes_at for an allow. LC_ERR_USAGE for a bad key field or time. */
lc_status lcpam_decision_record_make(lcpam_decision_record *r, const lcpam_cache_key *key,
                                     int allow, const char *reason, long long decided_at,
                                     long long changes_at, const lcpam_cache_conf *cc,
                                     lc_error *err);

/* min(decided_at + ttl (allow) or negative ttl (deny), changes_at when
 * nonzero), never before decided_at: a deny outside an access window is
 * kept no longer than the window's start, an allow no longer than the stay. */
long long lcpam_cache_valid_until(const lcpam_cache_conf *cc, int allow, long long decided_at,
                                  long long changes_at);

/* 1 when the record claims a decision later than now + LCPAM_CACHE_SKEW_S
 * (the clock went backwards): never used, whatever else it says. */
int lcpam_cache_is_future(const lcpam_decision_record *r, time_t now);

/* A fresh hit, no request: now < valid_until, within the current
 * configuration's TTL (a lowered cache_ttl counts at once), an allow never
 * at or past its stay end, not from the future. */
int lcpam_cache_fresh(const lcpam_decision_record *r, const lcpam_cache_conf *cc, time_t now);

/* Usable while the cloud is out (failmode cached): decided less than
 * offline_grace ago, not from the future, and an allow only before its
 * stay end. Otherwise the caller denies. */
int lcpam_cache_offline_ok(const lcpam_decision_record *r, const lcpam_cache_conf *cc,
                           time_t now);

#endif
