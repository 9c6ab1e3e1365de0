/* The access= requirement: the person holds an access, effective now, to
 * exactly the accessible the term names (policy.h says what counts). Read
 * from GET /access_persons/:id/accesses (one page) and the person. */
#include <string.h>

#include "policy_internal.h"
#include "schedule.h"

/* What the user is told the accessible is. */
static const char *noun(const char *type)
{
    if (strcmp(type, "door_group") == 0)
        return "door group";
    if (strcmp(type, "location") == 0)
        return "location";
    return "door";
}

/* The access row grants t->type:t->id to the person asked about. */
static const cJSON *row_attrs(const cJSON *row, const lc_term *t, const char *person_id)
{
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(row, "attributes");
    const char *type = lc_pol_str(attrs, "accessible_type");
    const char *id = lc_pol_str(attrs, "accessible_id");
    const char *who = lc_pol_str(attrs, "access_person_id");
    const char *kind = lc_pol_str(row, "type");

    if (!kind || strcmp(kind, "access_person_access") != 0 || !type || !id ||
        strcmp(type, t->type) != 0 || !lc_pol_same_id(id, t->id))
        return NULL;
    if (!person_id || !who || !lc_pol_same_id(who, person_id))
        return NULL;
    return attrs;
}

/* An optional time attribute: 1 absent (null), 0 read into *t, -1 bad. */
static int optional_time(const cJSON *attrs, const char *key, lc_pol_time *t)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, key);

    if (!v || cJSON_IsNull(v))
        return 1;
    return lc_pol_time_parse(cJSON_IsString(v) ? v->valuestring : NULL, t) == 0 ? 0 : -1;
}

/* A guest's time-of-day override narrows the stay bound stay_key to the
 * clock in key, on the same day: 1 no override, 0 read, -1 unusable. */
static int guest_override(const cJSON *access, const char *key, const cJSON *person,
                          const char *stay_key, lc_pol_time *t)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(access, key);
    lc_pol_time day;

    if (!v || cJSON_IsNull(v))
        return 1;
    if (!cJSON_IsString(v) || lc_pol_time_parse(lc_pol_str(person, stay_key), &day) != 0)
        return -1;
    return lc_pol_time_at_clock(&day, v->valuestring, t) == 0 ? 0 : -1;
}

/* The window of one access row: [start, end), either end may be open.
 * -1 when a bound is present but unreadable (the row then counts for
 * nothing). */
static int row_window(const cJSON *a, const cJSON *person, int guest, lc_pol_time *start,
                      int *has_start, lc_pol_time *end, int *has_end)
{
    lc_pol_time o;
    int s = optional_time(a, "access_starts_at", start);
    int e = optional_time(a, "access_ends_at", end);

    if (s < 0 || e < 0)
        return -1;
    *has_start = s == 0;
    *has_end = e == 0;
    if (!guest)
        return 0; /* the overrides are guest times */
    s = guest_override(a, "guest_start_time", person, "starts_at", &o);
    if (s < 0)
        return -1;
    if (s == 0 && (!*has_start || o.latest > start->latest))
        *start = o, *has_start = 1;
    e = guest_override(a, "guest_end_time", person, "ends_at", &o);
    if (e < 0)
        return -1;
    if (e == 0 && (!*has_end || o.earliest < end->earliest))
        *end = o, *has_end = 1;
    return 0;
}

/* The schedule an access names, from in->schedules (an array of documents
 * or bare resources, or a list document). */
static const cJSON *schedule_by_id(const cJSON *all, const char *id)
{
    const cJSON *list = cJSON_IsObject(all) ? cJSON_GetObjectItemCaseSensitive(all, "data") : all;
    const cJSON *it;

    if (!cJSON_IsArray(list))
        return NULL;
    cJSON_ArrayForEach(it, list) {
        const cJSON *res = cJSON_GetObjectItemCaseSensitive(it, "data");
        const char *rid;
        if (!cJSON_IsObject(res))
            res = it;
        rid = lc_pol_str(res, "id");
        if (rid && lc_pol_same_id(rid, id))
            return it;
    }
    return NULL;
}

/* Why a scheduled access could not be evaluated, most telling last: it
 * then never allows. */
enum { SCHED_UNCHECKED = -1, SCHED_NO_ZONE = -2, SCHED_UNKNOWN = -3 };

/* The zones the term's accessible lies in: the caller's lookup, else its
 * one zone. */
static size_t zones_for(const lc_policy_input *in, const lc_term *t,
                        const struct lc_tz *zones[LC_ZONES_MAX])
{
    size_t n;

    if (!in->zones_of) {
        zones[0] = in->zone;
        return in->zone ? 1 : 0;
    }
    n = in->zones_of(in->zones_userdata, t->type, t->id, zones, LC_ZONES_MAX);
    return n <= LC_ZONES_MAX ? n : 0;
}

/* 1 in force now, 0 not (*change: when that may change), SCHED_* when it
 * cannot be told. Several zones (a door group spanning them): in force
 * only when in force in each, and it may change at the soonest change in
 * any. */
static int schedule_in_force(const lc_policy_input *in, const lc_term *t, const cJSON *sched_id,
                             int64_t *change)
{
    const struct lc_tz *zones[LC_ZONES_MAX];
    const cJSON *sched;
    size_t nz;
    int all = 1;

    if (!cJSON_IsString(sched_id) || !in->schedules)
        return SCHED_UNCHECKED;
    sched = schedule_by_id(in->schedules, sched_id->valuestring);
    if (!sched)
        return SCHED_UNKNOWN;
    nz = zones_for(in, t, zones);
    if (nz == 0)
        return in->zones_of ? SCHED_NO_ZONE : SCHED_UNCHECKED;
    *change = 0;
    for (size_t i = 0; i < nz; i++) {
        int64_t c = 0;
        int active = zones[i] ? lc_schedule_active(sched, in->exceptions, zones[i],
                                                   (int64_t)in->now, &c) : -1;
        if (active < 0)
            return SCHED_UNCHECKED;
        all &= active;
        if (*change == 0 || c < *change)
            *change = c;
    }
    return all;
}

int lc_pol_access(const lc_term *t, const lc_policy_input *in, lc_pol_result *r)
{
    static const lc_term current = { .kind = LC_TERM_STATUS, .statuses = LC_STATUS_CURRENT };
    const cJSON *rows, *row, *person;
    const char *ptype = NULL;
    int more, found = 0, open_ended = 0, unchecked = 0;
    time_t until = 0, starts = 0;

    /* Effective now: nobody holds an access outside a current stay. */
    if (!lc_pol_status(&current, in, 0, r))
        return 0;
    person = lc_pol_person(in, &ptype, r);
    rows = lc_pol_collection(in->accesses, &more);
    if (!person || !rows)
        return lc_pol_set(r, 0, "your accesses could not be read");
    cJSON_ArrayForEach(row, rows) {
        const cJSON *a = row_attrs(row, t, in->person_id);
        const cJSON *sched = cJSON_GetObjectItemCaseSensitive(a, "access_schedule_id");
        lc_pol_time start, end;
        int has_start, has_end;

        if (!a || row_window(a, person, strcmp(ptype, "access_guest") == 0, &start,
                             &has_start, &end, &has_end) != 0)
            continue;
        if (sched && !cJSON_IsNull(sched)) {
            int64_t change = 0;
            int active = schedule_in_force(in, t, sched, &change);
            if (active < 0) {
                if (active < unchecked)
                    unchecked = active; /* not evaluated: never allows */
                continue;
            }
            if (!active) {
                if (starts == 0 || change < starts)
                    starts = (time_t)change;
                continue;
            }
            /* In force until its next change at the latest. */
            if (!has_end || change < end.earliest) {
                end.earliest = change;
                has_end = 1;
            }
        }
        if (has_start && in->now < start.latest) {
            if (starts == 0 || start.earliest < starts)
                starts = (time_t)start.earliest;
            continue;
        }
        if (has_end && in->now >= end.earliest)
            continue;
        found = 1;
        if (!has_end)
            open_ended = 1;
        else if ((time_t)end.earliest > until)
            until = (time_t)end.earliest;
    }
    if (found) {
        lc_pol_sooner(r, open_ended ? 0 : until);
        return lc_pol_set(r, 1, "access to this %s now", noun(t->type));
    }
    lc_pol_sooner(r, starts);
    if (unchecked == SCHED_UNKNOWN)
        return lc_pol_set(r, 0, "access schedule unknown: " LC_REASON_RUN_SYNC);
    if (unchecked == SCHED_NO_ZONE)
        return lc_pol_set(r, 0, "time zone of this %s unknown: " LC_REASON_RUN_SYNC,
                          noun(t->type));
    if (unchecked)
        return lc_pol_set(r, 0, "access to this %s follows a schedule not checked here",
                          noun(t->type));
    if (more)
        return lc_pol_set(r, 0, "too many accesses to check");
    return lc_pol_set(r, 0, "no access to this %s now", noun(t->type));
}
