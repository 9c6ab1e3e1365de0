/*
 * lockcloud policy: pure access-rule evaluation.
 *
 * A rule is evaluated over documents the caller has already fetched (as
 * lc_call returns them) and a clock the caller passes in. Nothing here does
 * I/O or reads the clock, so every decision is reproducible in a unit test.
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

#ifdef __cplusplus
}
#endif
#endif
