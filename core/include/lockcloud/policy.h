/*
 * lockcloud policy: pure access-rule evaluation.
 *
 * A rule is a list of requirements that must ALL hold, evaluated over
 * documents the caller has already fetched (as lc_call returns them) and a
 * clock the caller passes in. The decision does no I/O and reads no clock,
 * so every decision is reproducible in a unit test; only lc_access_fetch/
 * lc_access_check (the access pipeline, at the end) talk to the cloud,
 * through a client the caller made.
 *
 * Use:
 *   lc_rule rule;  lc_rule_parse("status=current access=lock:ID", &rule, &err);
 *   unsigned need = lc_rule_needs(&rule);      // which documents to fetch
 *   lc_policy_input in = { .person = doc, .accesses = acc, .person_id = id,
 *                          .now = time(NULL) };
 *   lc_decision d;  lc_policy_evaluate(&rule, &in, &d);
 *
 * Requirements (lc_rule_parse; space-separated terms, at most
 * LC_RULE_TERMS_MAX, the whole text at most LC_RULE_TEXT_MAX bytes):
 *   status=S[,S...]   the access person's status (computed by the cloud from
 *                     the stay) is one of current, upcoming, deactivated,
 *                     expired (the statuses RemoteLock documents).
 *   access=TYPE:ID    the person holds an access effective now to the
 *                     accessible TYPE:ID, TYPE as the API names accessible
 *                     types (lock, acs_door, acs_elevator_floor,
 *                     connector_lock, zwave_lock, schlage_home_lock,
 *                     igloo_lock, door_group, location). Effective: the
 *                     person's status is current, the access's own
 *                     access_starts_at/access_ends_at hold, and for a guest
 *                     its guest_start_time/guest_end_time overrides (the
 *                     time of day on the first and last day of the stay).
 *                     Only a grant of exactly TYPE:ID counts: the accesses
 *                     document does not say which locks a door group or a
 *                     location holds, so access=lock:ID is not met through
 *                     a door group or location (write access=door_group:ID).
 *                     An access with an access schedule counts while the
 *                     schedule is in force (its windows and access
 *                     exception, in the zone given, through the core's
 *                     schedule reader) when the caller supplies the
 *                     schedule, the exceptions and the zone (lc_policy_input
 *                     below); without them it does not count (denied, never
 *                     allowed): the access pipeline does not fetch them, as
 *                     they would cost 3 more requests per login (the PAM
 *                     module reads them from the places file `lockcloud
 *                     sync` writes). Supplied, but without this access's
 *                     schedule: "access schedule unknown: run lockcloud
 *                     sync". The zone is the accessible's location's
 *                     (zones_of); a door group whose doors lie in several
 *                     zones counts only while the schedule is in force in
 *                     every one of them, and its decision may change at the
 *                     soonest change in any.
 *                     Several access= terms all must hold.
 *   presence=TYPE:ID/DUR  the person unlocked that device (TYPE a device
 *                     type as above) or any device of the location
 *                     (location:ID) within DUR: an integer and a unit s, m,
 *                     h or d, 1 s .. LC_PRESENCE_MAX_S. An unlock is an
 *                     unlocked_event that succeeded, names the person as its
 *                     associated resource and has a method (a credential
 *                     used at the door: a remote unlock is no presence).
 *   allow / deny      alone: no requirement / refuse.
 *   guest_current     alone: the legacy name of status=current (decisions
 *                     keep its old rule name and reasons, for log readers).
 * Strict: an unknown term, a duplicate (the same kind and target twice, two
 * status terms), a bad id (as lc_access_id_normalize), a bad duration, an
 * empty or overlong text, a blank other than ' ' or '\t', or a byte outside
 * printable ASCII is LC_ERR_USAGE; the message names the term by at most a
 * short sanitised token.
 *
 * Fail closed: a missing, malformed or unexpected document is a deny with a
 * reason, never an allow and never a crash. Reasons are short, printable
 * ASCII, safe to log and to show to the user ("your stay ended on
 * 2026-03-14 11:00", "no access to this door now", "no unlock of this door
 * within 2h"); values taken from documents are filtered to [A-Za-z0-9._@-]
 * or parsed times, and never contain response bodies.
 */
#ifndef LOCKCLOUD_POLICY_H
#define LOCKCLOUD_POLICY_H

#include <lockcloud/lockcloud.h>

#ifdef __cplusplus
extern "C" {
#endif

struct lc_tz; /* a loaded time zone (core/src/tz.h) */

/* The zones an accessible (TYPE:ID as an access names it) lies in: fills
 * zones[0..max) and returns how many, 0 when unknown (a scheduled access to
 * it then never allows). More than one for a door group spanning zones. */
typedef size_t (*lc_zones_fn)(void *userdata, const char *type, const char *id,
                              const struct lc_tz **zones, size_t max);
#define LC_ZONES_MAX 8
/* Ends every reason that a fresh `lockcloud sync` may cure (the PAM module
 * logs a warning for it). */
#define LC_REASON_RUN_SYNC "run lockcloud sync"

/* How a rule was written. The terms say what it requires. */
typedef enum lc_rule_kind {
    LC_RULE_NONE = 0,          /* not a valid rule: every decision denies */
    LC_RULE_GUEST_CURRENT = 1, /* "guest_current" = status=current        */
    LC_RULE_TERMS,             /* a requirement list                      */
    LC_RULE_ALLOW,             /* "allow"                                 */
    LC_RULE_DENY               /* "deny"                                  */
} lc_rule_kind;

typedef enum lc_term_kind {
    LC_TERM_STATUS = 1,
    LC_TERM_ACCESS,
    LC_TERM_PRESENCE
} lc_term_kind;

/* Documents a rule reads; the caller fetches exactly these. */
enum {
    LC_NEED_PERSON   = 1u << 0, /* GET /access_persons/:id                   */
    LC_NEED_ACCESSES = 1u << 1, /* GET /access_persons/:id/accesses          */
    LC_NEED_EVENTS   = 1u << 2, /* GET /events: the person's unlocks, newest
                                   first, one page                           */
    LC_NEED_DEVICES  = 1u << 3  /* GET /devices of the presence=location:
                                   locations, one page                       */
};

/* Statuses of an access person (status= terms), as bits. */
enum {
    LC_STATUS_CURRENT     = 1u << 0,
    LC_STATUS_UPCOMING    = 1u << 1,
    LC_STATUS_DEACTIVATED = 1u << 2,
    LC_STATUS_EXPIRED     = 1u << 3
};

#define LC_RULE_TERMS_MAX 8        /* terms in one rule                     */
#define LC_RULE_TEXT_MAX 1024      /* bytes of one requirements text        */
#define LC_RULE_TYPE_MAX 24        /* an accessible type and its NUL        */
#define LC_RULE_ID_MAX 64          /* = LC_ACCESS_ID_MAX                    */
#define LC_PRESENCE_MAX_S (30L * 86400) /* longest presence= duration: one
                                   page of the person's newest unlocks must
                                   reach back that far                      */

typedef struct lc_term {
    lc_term_kind kind;
    unsigned statuses;                 /* status=: LC_STATUS_* bits         */
    char type[LC_RULE_TYPE_MAX];       /* access=/presence=: accessible type */
    char id[LC_RULE_ID_MAX + 1];       /* its id, lower case                 */
    long window_s;                     /* presence=: the duration in seconds */
} lc_term;

/* Fixed size: parsing allocates nothing, a rule can be copied by value. */
typedef struct lc_rule {
    lc_rule_kind kind;
    unsigned nterms;
    lc_term terms[LC_RULE_TERMS_MAX];
} lc_rule;

typedef struct lc_policy_input {
    const cJSON *person;    /* {"data":{type,id,attributes}} of the person   */
    const char *person_id;  /* expected data.id; NULL skips the check (the
                               access and presence terms then cannot tell
                               whose grant or unlock they see: they deny)   */
    const cJSON *accesses;  /* GET /access_persons/:id/accesses             */
    const cJSON *events;    /* the person's unlocked_events, newest first   */
    const cJSON *devices;   /* GET /devices of the presence locations       */
    /* Optional, for scheduled accesses (NULL: such an access does not
     * count): the access schedules the accesses name (an array of GET
     * /schedules/:id documents or bare resources, or one GET /schedules
     * list), the account's access exceptions (as lc_schedule_active takes
     * them) and the zone the schedules are read in (the accessible's
     * location's, loaded by the caller: core/src/tz.h). */
    const cJSON *schedules;
    const cJSON *exceptions;
    const struct lc_tz *zone;
    /* When set, asked instead of zone for each scheduled access's
     * accessible (its location's zone, or a door group's zones). */
    lc_zones_fn zones_of;
    void *zones_userdata;
    time_t now;             /* the clock, supplied by the caller             */
} lc_policy_input;

#define LC_REASON_MAX 128

typedef struct lc_decision {
    int allow;                  /* 1 allow, 0 deny                           */
    const char *rule;           /* static rule name: "guest_current",
                                   "requirements", "allow", "deny", "none"   */
    char reason[LC_REASON_MAX]; /* the first failing requirement, or what
                                   held ("status is current")               */
    time_t valid_until;         /* the earliest moment this decision may
                                   change by the clock alone (stay end or
                                   start, end of an access window, a
                                   presence unlock ageing out); 0 = no such
                                   moment known (cap it with a TTL). Stay
                                   times carry no zone in the API: the
                                   earliest instant they can mean (UTC+14)
                                   is used, so it may lie up to 14 h early,
                                   never late; it may be <= now           */
} lc_decision;

/* Parses a requirements text (above). On failure *out is LC_RULE_NONE with
 * no terms and err (may be NULL) says which term is wrong. */
LC_API lc_status lc_rule_parse(const char *text, lc_rule *out, lc_error *err);

/* "guest_current", "requirements", "allow", "deny"; "none" otherwise. */
LC_API const char *lc_rule_name(lc_rule_kind kind);

/* LC_NEED_* bits: status and access need the person (access: and the
 * accesses), presence the events (location: and the devices). 0 for an
 * invalid rule and for allow/deny. */
LC_API unsigned lc_rule_needs(const lc_rule *rule);

/* Evaluates every term over in, fills *out and returns out->allow. NULL or
 * invalid rule/input deny. */
LC_API int lc_policy_evaluate(const lc_rule *rule, const lc_policy_input *in,
                              lc_decision *out);

/* The legacy "guest_current" rule on its own (person is the whole GET
 * /access_persons/:id document; its id is not checked). */
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
 * One request per document, never a walk through pages (a page is 50 items,
 * newest first for events); what one page cannot settle is a deny (see the
 * rules above). Requests of a cold decision, by requirement mix:
 *   allow, deny                               0
 *   status                                    1 (person)
 *   access, status + access                   2 (person, accesses)
 *   presence=<device>                         1 (events)
 *   status + presence=<device>                2
 *   presence=location                         2 (devices, events)
 *   status + presence=location,
 *   access + presence=<device>                3
 *   access + presence=location                4
 * (plus a token request when the client holds none).
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
    cJSON *accesses;    /* LC_NEED_ACCESSES: the person's accesses, 1 page   */
    cJSON *events;      /* LC_NEED_EVENTS: the person's unlocked_events
                           (of the one presence device when the rule names
                           a single device), newest first, 1 page            */
    cJSON *devices;     /* LC_NEED_DEVICES: devices of the presence
                           locations, 1 page                                 */
    /* Borrowed, never freed here: what the caller knows of access
     * schedules (lc_policy_input's fields of the same names), set after
     * lc_access_fetch and before lc_access_evaluate (the PAM module: the
     * places file, pam/places_index.h). NULL: scheduled accesses deny. */
    const cJSON *schedules;
    const cJSON *exceptions;
    lc_zones_fn zones_of;
    void *zones_userdata;
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
 * fine). allow and deny fetch nothing (LC_OK, no request); an invalid rule
 * is LC_ERR_USAGE before any request. On any failure every
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
