/*
 * lockcloud policy: pure access-rule evaluation.
 *
 * A rule is evaluated over documents the caller has already fetched (as
 * lc_call returns them) and a clock the caller passes in. The decision does
 * no I/O and reads no clock, so every decision is reproducible in a unit
 * test; only lc_access_fetch/lc_access_check (the access pipeline, at the
 * end) talk to the cloud, through a client the caller made.
 *
 * Use:
 *   lc_rule rule;  lc_rule_parse("guest_current", &rule, &err);
 *   unsigned need = lc_rule_needs(&rule);      // which documents to fetch
 *   lc_policy_input in = { .person = doc, .person_id = id, .now = time(NULL) };
 *   lc_decision d;  lc_policy_evaluate(&rule, &in, &d);
 *
 * Fail closed: a missing, malformed or unexpected document is a deny with a
 * reason, never an allow and never a crash. Reasons are short, printable
 * ASCII, safe to log and to show to the user (values taken from documents
 * are filtered to [A-Za-z0-9_-]), and never contain response bodies.
 */
#ifndef LOCKCLOUD_POLICY_H
#define LOCKCLOUD_POLICY_H

#include <lockcloud/lockcloud.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum lc_rule_kind {
    LC_RULE_NONE = 0,
    /* "guest_current": the access person's status attribute is "current"
     * (the cloud derives it from the stay window in the lock's time zone). */
    LC_RULE_GUEST_CURRENT = 1
    /* Planned, same shape (a target and/or a window in lc_rule):
     *  "door_access:<device id>"       holds access to that door right now
     *  "recent_unlock:<device id>:<N>m" unlocked that door within N minutes
     *  "stay_window"                   starts_at <= now < ends_at, read in
     *                                  the location's time zone            */
} lc_rule_kind;

/* Documents a rule reads; the caller fetches exactly these. */
enum {
    LC_NEED_PERSON   = 1u << 0, /* GET /access_persons/:id                   */
    LC_NEED_ACCESSES = 1u << 1, /* GET /access_persons/:id/accesses (future) */
    LC_NEED_EVENTS   = 1u << 2  /* GET /events, newest first (future)        */
};

#define LC_RULE_TARGET_MAX 64

typedef struct lc_rule {
    lc_rule_kind kind;
    char target_id[LC_RULE_TARGET_MAX]; /* door id for door rules, else "" */
    long window_s;                      /* "within N" rules, else 0        */
} lc_rule;

typedef struct lc_policy_input {
    const cJSON *person;    /* {"data":{type,id,attributes}} of the person   */
    const char *person_id;  /* expected data.id; NULL skips the check        */
    const cJSON *accesses;  /* reserved for door rules; NULL today           */
    const cJSON *events;    /* reserved for unlock rules; NULL today         */
    time_t now;             /* the clock, supplied by the caller             */
} lc_policy_input;

#define LC_REASON_MAX 128

typedef struct lc_decision {
    int allow;                  /* 1 allow, 0 deny                           */
    const char *rule;           /* static rule name, e.g. "guest_current"    */
    char reason[LC_REASON_MAX]; /* "status is current", "status missing" ... */
} lc_decision;

/* Parses a rule as written in configuration ("guest_current"). Unknown
 * names and malformed arguments fail with LC_ERR_USAGE; *out is then
 * LC_RULE_NONE. err (may be NULL) is overwritten like every lc_error. */
LC_API lc_status lc_rule_parse(const char *text, lc_rule *out, lc_error *err);

/* "guest_current"; "none" for LC_RULE_NONE or an unknown kind. */
LC_API const char *lc_rule_name(lc_rule_kind kind);

/* LC_NEED_* bits; 0 for an invalid rule. */
LC_API unsigned lc_rule_needs(const lc_rule *rule);

/* Evaluates rule over in, fills *out and returns out->allow. NULL or
 * invalid rule/input deny. */
LC_API int lc_policy_evaluate(const lc_rule *rule, const lc_policy_input *in,
                              lc_decision *out);

/* The "guest_current" rule on its own (person is the whole GET
 * /access_persons/:id document). now is accepted for a uniform signature. */
LC_API int lc_policy_guest_current(const cJSON *person, time_t now,
                                   lc_decision *out);

/* ---- the access pipeline (access.c) -------------------------------------
 * The one "fetch what the rule needs, then decide" path that the PAM module
 * and the command line share. Fetching talks to the cloud through a client;
 * deciding (lc_access_evaluate) stays pure, so a cache can load the same
 * documents from disk and feed them in without a client.
 *
 *   lc_access_docs docs;
 *   if (lc_access_fetch(client, &rule, id, &docs, &err) == LC_OK)
 *       lc_access_evaluate(&rule, &docs, time(NULL), &d);
 *   lc_access_docs_free(&docs);
 * or, in one step: lc_access_check(client, &rule, id, time(NULL), &d, &err).
 *
 * Person ids are normalised here, once for every caller: ASCII letters are
 * lower-cased (the cloud writes ids in lower case and matches them as
 * strings; a map or a command line may hold upper case), and an id must be
 * 1..LC_ACCESS_ID_MAX printable, blank-free ASCII characters, else
 * LC_ERR_USAGE before any request. */

#define LC_ACCESS_ID_MAX 64

/* Documents fetched for one person; a field per LC_NEED_* bit. A new rule
 * that reads a new document adds a field and a row to access.c's fetcher
 * table, not a new pipeline. All trees are owned by the struct. */
typedef struct lc_access_docs {
    unsigned fetched;   /* LC_NEED_* bits of the documents held below        */
    char person_id[LC_ACCESS_ID_MAX + 1]; /* normalised id they describe     */
    cJSON *person;      /* LC_NEED_PERSON: GET /access_persons/:id           */
    cJSON *accesses;    /* LC_NEED_ACCESSES: the person's accesses (future)  */
    cJSON *events;      /* LC_NEED_EVENTS: recent events of rule->target_id,
                           newest first (future)                             */
    unsigned failed;    /* after a failed lc_access_fetch: the LC_NEED_* bit
                           of the document whose own request failed, as err
                           describes (an HTTP 404 there: no such document);
                           0 when the failure came before any request or
                           from another one (a token request)             */
} lc_access_docs;

/* Lower-cases and checks a person id (rules above) into dst[dstlen].
 * LC_ERR_USAGE when it is NULL, empty, too long or holds a byte outside
 * 0x21..0x7e; dst is then "". */
LC_API lc_status lc_access_id_normalize(const char *id, char *dst, size_t dstlen,
                                        lc_error *err);

/* Fetches exactly the documents lc_rule_needs(rule) names about person_id,
 * in one request each. *docs is overwritten (an uninitialised struct is
 * fine). A rule that needs nothing, or a document this pipeline cannot
 * fetch yet, is LC_ERR_USAGE before any request. On any failure every
 * document fetched so far is freed and *docs is empty: no partial set is
 * ever evaluated, but docs->failed tells which document's own request
 * failed (see above: callers decide on it, never on a path). err as for
 * lc_call (err->request names the request that failed, for logs;
 * ambiguous answers carry LC_ERRF_AMBIGUOUS). */
LC_API lc_status lc_access_fetch(lc_client *client, const lc_rule *rule,
                                 const char *person_id, lc_access_docs *docs,
                                 lc_error *err);

/* Frees the documents and empties *docs (NULL is a no-op; idempotent). */
LC_API void lc_access_docs_free(lc_access_docs *docs);

/* Pure: lc_policy_evaluate over docs at now. Denies, with a reason, when
 * docs lacks a document the rule needs (docs->fetched). Returns out->allow. */
LC_API int lc_access_evaluate(const lc_rule *rule, const lc_access_docs *docs,
                              time_t now, lc_decision *out);

/* lc_access_fetch, then lc_access_evaluate. LC_OK means a decision was
 * made (allow or deny: see out->allow). Any other status means none was:
 * *out is then a deny whose reason names the failure kind, and err says
 * what failed. Whether such a failure is itself a refusal (an ambiguous
 * answer, a 404 on the person) is the caller's policy. */
LC_API lc_status lc_access_check(lc_client *client, const lc_rule *rule,
                                 const char *person_id, time_t now,
                                 lc_decision *out, lc_error *err);

#ifdef __cplusplus
}
#endif
#endif
