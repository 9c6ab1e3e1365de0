/* Shared by the policy files (policy*.c): one evaluator per requirement
 * kind, the accessible types, person and time helpers. Pure: no I/O, no
 * clock reads, no allocation. */
#ifndef LC_POLICY_INTERNAL_H
#define LC_POLICY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <lockcloud/policy.h>

/* What one term says: whether it holds, why (a short user-safe phrase) and
 * when it may change by the clock alone (0: no such moment known). */
typedef struct lc_pol_result {
    int holds;
    time_t next;
    char reason[LC_REASON_MAX];
} lc_pol_result;

/* Sets r (holds, reason by format) and returns holds. */
int lc_pol_set(lc_pol_result *r, int holds, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* r->next = the sooner of r->next and t (0 counts as unknown). */
void lc_pol_sooner(lc_pol_result *r, time_t t);

/* The accessible types the API documents; devices: all but door_group and
 * location. Nonzero when type is one. */
int lc_pol_accessible_type(const char *type);
int lc_pol_device_type(const char *type);

/* Ids are compared ignoring ASCII case (a map may hold upper case). */
int lc_pol_same_id(const char *a, const char *b);

/* The string member key of obj, or NULL. */
const char *lc_pol_str(const cJSON *obj, const char *key);

/* The attributes of the person document when it is an access person (and,
 * when in->person_id is set, the one asked about); else NULL and r a deny.
 * *type gets "access_guest" or "access_user". */
const cJSON *lc_pol_person(const lc_policy_input *in, const char **type, lc_pol_result *r);

/* The data array of a collection document, or NULL (not one). *more is
 * set when its meta says further pages exist (or says nothing usable about
 * it while the page is full), so an absent match cannot be trusted. */
const cJSON *lc_pol_collection(const cJSON *doc, int *more);

/* A time as the API writes it: "YYYY-MM-DDTHH:MM:SS" and either "Z", a
 * "+hh:mm"/"-hh:mm" offset, or nothing (a wall-clock time of an unknown
 * zone). earliest..latest: the UTC instants it can mean (equal when zoned;
 * for a wall-clock time the zones UTC-12 .. UTC+14). */
typedef struct lc_pol_time {
    int64_t earliest, latest;
    int year, month, day, hour, min, sec; /* as written */
    int zoned;
} lc_pol_time;

/* 0 on success; -1 for anything else (trailing bytes, out-of-range
 * fields, fractions). */
int lc_pol_time_parse(const char *s, lc_pol_time *t);

/* t's date at the time of day clock ("HH:MM" or "HH:MM:SS"), same zone
 * knowledge. 0 or -1. */
int lc_pol_time_at_clock(const lc_pol_time *t, const char *clock, lc_pol_time *out);

/* "2026-03-14 11:00" into buf (at least 17 bytes). */
void lc_pol_time_show(const lc_pol_time *t, char *buf, size_t len);

/* A duration as written back: "2h", "90m", "1d", "45s". */
void lc_pol_duration_show(long seconds, char *buf, size_t len);

/* The evaluators. legacy: the "guest_current" rule's historic reasons. */
int lc_pol_status(const lc_term *t, const lc_policy_input *in, int legacy, lc_pol_result *r);
int lc_pol_access(const lc_term *t, const lc_policy_input *in, lc_pol_result *r);
int lc_pol_presence(const lc_term *t, const lc_policy_input *in, lc_pol_result *r);

#endif
