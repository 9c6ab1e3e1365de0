/* Access person status and the time zones behind it. A guest's starts_at
 * and ends_at carry no zone: they are wall-clock times of the location of
 * the guest's first granted accessible (device -> its location; location
 * -> itself), else of the account's default zone. Status is derived at
 * read time, so moving the simulator clock moves it. A listing computes it
 * for every person from a memo of numbers (zone, stay) kept until the
 * records change, so filtering 10,000 persons by status is cheap. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "remotelock.h"

typedef struct zone_entry {
    const char *person_id;
    const char *zone;
    size_t order; /* grant order: the first grant decides */
} zone_entry;

/* What status needs of one person, found by record address. */
typedef struct stay {
    const cJSON *rec;
    const char *zone;
    long long starts, ends; /* local times as YYYYMMDDHHMMSS, -1: none */
    int deactivated, guest;
} stay;

/* "YYYY-MM-DDTHH:MM:SS" as the number YYYYMMDDHHMMSS (same order), or -1. */
static long long local_number(const char *s)
{
    long long v = 0;
    int digits = 0;
    for (; s && *s; s++)
        if (*s >= '0' && *s <= '9')
            v = v * 10 + (*s - '0'), digits++;
    return digits == 14 ? v : -1;
}

/* An open-addressing table keyed by record address: one or two probes
 * per lookup, as a listing asks for every person. */
typedef struct stay_memo {
    size_t mask; /* capacity - 1, a power of two at least twice n */
    stay v[];    /* rec NULL: empty slot */
} stay_memo;

static size_t slot_of(const stay_memo *m, const cJSON *rec)
{
    return (size_t)(((uintptr_t)rec >> 4) * 0x9E3779B97F4A7C15ull >> 20) & m->mask;
}

static store_memo *status_memo(store_data *d)
{
    static size_t row = (size_t)-1;
    if (row == (size_t)-1)
        row = (size_t)(res_def_find(&remotelock_api, "access_persons") - remotelock_api.defs);
    return &d->memo[row];
}

const char *rl_location_zone(const store_data *d, const char *location_id)
{
    return rec_str(store_find(rl_list(d, "locations"), location_id), "time_zone");
}

int rl_location_load(store_data *d, cJSON *rec, char *msg, size_t msglen)
{
    const char *zone = rec_str(rec, "time_zone");
    (void)d;
    if (tz_zone_valid(zone))
        return 0;
    snprintf(msg, msglen, "unknown time_zone \"%.64s\"", zone ? zone : "");
    return -1;
}

/* Zone of the location behind one grant, or NULL when not simulated. */
static const char *grant_zone(store_data *d, const cJSON *acc)
{
    const cJSON *target = res_ref_target(d, &remotelock_api, &rl_accessible_ref, acc);
    if (!target)
        return NULL; /* not simulated: the next grant decides */
    if (strcmp(rec_type(target), "door_group") == 0)
        return rl_group_zone(d, target);
    return strcmp(rec_type(target), "location") == 0
               ? rec_str(target, "time_zone")
               : rl_location_zone(d, rec_str(target, "location_id"));
}

static int zone_entry_cmp(const void *a, const void *b)
{
    const zone_entry *x = a, *y = b;
    int r = strcmp(x->person_id, y->person_id);
    return r ? r : (x->order > y->order) - (x->order < y->order);
}

/* First entry of pid in the sorted index (lowest grant order), or NULL. */
static const char *indexed_zone(const zone_entry *v, size_t n, const char *pid)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v[mid].person_id, pid) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(v[lo].person_id, pid) == 0 ? v[lo].zone : NULL;
}

/* The guest's zone, scanning the grants (one person: no index needed). */
static const char *guest_zone(const res_ctx *c, const cJSON *person)
{
    const char *pid = rec_id(person), *zone = NULL;
    const cJSON *acc;
    cJSON_ArrayForEach(acc, rl_list(c->d, "accesses")) {
        const char *owner = rec_str(acc, "access_person_id");
        if (pid && owner && strcmp(owner, pid) == 0 && (zone = grant_zone(c->d, acc)))
            break;
    }
    return zone ? zone : c->d->time_zone;
}

void rl_status_memo_build(res_ctx *c)
{
    if (store_memo_get(c->d, status_memo(c->d)))
        return;
    const cJSON *accesses = rl_list(c->d, "accesses"), *persons = rl_list(c->d, "access_persons");
    size_t na = (size_t)cJSON_GetArraySize(accesses), np = (size_t)cJSON_GetArraySize(persons);
    size_t k = 0, cap = 16;
    while (cap < 2 * np)
        cap *= 2;
    zone_entry *zones = malloc((na ? na : 1) * sizeof *zones);
    stay_memo *m = calloc(1, sizeof *m + cap * sizeof m->v[0]);
    if (!zones || !m) {
        free(zones);
        free(m);
        return; /* the slow path still answers */
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, accesses) {
        const char *pid = rec_str(it, "access_person_id"), *zone = grant_zone(c->d, it);
        if (pid && zone) {
            zones[k] = (zone_entry){pid, zone, k};
            k++;
        }
    }
    qsort(zones, k, sizeof *zones, zone_entry_cmp);
    m->mask = cap - 1;
    cJSON_ArrayForEach(it, persons) {
        const char *type = rec_type(it), *pid = rec_id(it);
        const char *zone = pid ? indexed_zone(zones, k, pid) : NULL;
        size_t i = slot_of(m, it);
        while (m->v[i].rec)
            i = (i + 1) & m->mask;
        m->v[i] = (stay){it, zone ? zone : c->d->time_zone,
                              local_number(rec_str(it, "starts_at")),
                              local_number(rec_str(it, "ends_at")), rl_person_deactivated(it),
                              type && strcmp(type, "access_guest") == 0};
    }
    free(zones);
    store_memo_set(c->d, status_memo(c->d), m, free);
}

/* The memo entry of person when the memo is current, else NULL. */
static const stay *memo_find(const res_ctx *c, const cJSON *person)
{
    const stay_memo *m = store_memo_get(c->d, status_memo(c->d));
    if (!m)
        return NULL;
    for (size_t i = slot_of(m, person); m->v[i].rec; i = (i + 1) & m->mask)
        if (m->v[i].rec == person)
            return &m->v[i];
    return NULL;
}

int rl_person_deactivated(const cJSON *person)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(person, "deactivated"));
}

/* Wall-clock now in zone, cached for the request. NULL on failure. */
static const char *local_now_entry(res_ctx *c, const char *zone, long long *number)
{
    size_t i = 0;
    while (i < c->n_now && (c->now_cache[i].zone[0] != zone[0] ||
                            strcmp(c->now_cache[i].zone, zone) != 0))
        i++;
    if (i == c->n_now) {
        i = c->n_now < RES_NOW_CACHE ? c->n_now++ : RES_NOW_CACHE - 1;
        if (strlen(zone) >= sizeof c->now_cache[i].zone ||
            tz_local_time(zone, c->req->now, c->now_cache[i].local) != 0) {
            c->now_cache[i].zone[0] = '\0';
            return NULL;
        }
        strcpy(c->now_cache[i].zone, zone);
        c->now_cache[i].number = local_number(c->now_cache[i].local);
    }
    if (number)
        *number = c->now_cache[i].number;
    return c->now_cache[i].local;
}

static const char *local_now(res_ctx *c, const char *zone)
{
    return local_now_entry(c, zone, NULL);
}

/* Status from the memo: numbers, no JSON. */
static const char *memo_status(res_ctx *c, const stay *m)
{
    if (m->deactivated)
        return "deactivated";
    if (!m->guest)
        return "current";
    long long now = -1;
    if (!local_now_entry(c, m->zone, &now) || now < 0 || m->starts < 0 || m->ends < 0)
        return "expired"; /* as below: fail closed */
    if (now < m->starts)
        return "upcoming";
    return now < m->ends ? "current" : "expired";
}

const char *rl_person_status(res_ctx *c, const cJSON *person)
{
    const stay *m = memo_find(c, person);
    if (m)
        return memo_status(c, m);
    const char *type = rec_type(person);
    if (rl_person_deactivated(person))
        return "deactivated";
    if (!type || strcmp(type, "access_guest") != 0)
        return "current";
    const char *starts = rec_str(person, "starts_at");
    const char *ends = rec_str(person, "ends_at");
    const char *now = local_now(c, guest_zone(c, person));
    /* A stay that cannot be placed on the wall clock is never "current"
     * (fail closed: PAM logins hang on this). In practice that is a local
     * year past 9999, which is after every storable ends_at. */
    if (!now || !starts || !ends)
        return "expired";
    /* Same fixed-width format, so text order is time order. */
    if (strcmp(now, starts) < 0)
        return "upcoming";
    return strcmp(now, ends) < 0 ? "current" : "expired";
}

const char *rl_person_computed_str(res_ctx *c, const cJSON *rec, const char *name)
{
    return strcmp(name, "status") == 0 ? rl_person_status(c, rec) : NULL;
}

int rl_person_compute(res_ctx *c, const cJSON *rec, cJSON *computed)
{
    return jsonapi_add_str(computed, "status", rl_person_status(c, rec));
}

