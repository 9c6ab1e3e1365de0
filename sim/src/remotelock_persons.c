/* Access persons: status and the time zones behind it, and the rules of
 * their input. A guest's starts_at and ends_at carry no zone: they are
 * wall-clock times of the location of the guest's first granted accessible
 * (device -> its location; location -> itself), else of the account's
 * default zone. Status is derived at read time, so moving the simulator
 * clock moves it. Deactivated and expired persons carry
 * meta.restricted_actions ["update"] as in the documented status-filter
 * example; only deactivated ones refuse updates (extending an expired
 * guest's stay is the documented way to give access back). Error messages
 * use the API's Rails wording. */
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
    const char *zone, *starts, *ends;
    int deactivated, guest;
} stay;

typedef struct stay_memo {
    size_t n;
    stay v[];
} stay_memo;

static size_t persons_row(void)
{
    return (size_t)(res_def_find(&remotelock_api, "access_persons") - remotelock_api.defs);
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
static const char *grant_zone(const store_data *d, const cJSON *acc)
{
    static const res_ref accessible = {.attr = "accessible_id", .poly = rl_accessible_types,
                                       .type_attr = "accessible_type"};
    const cJSON *target = res_ref_target(d, &remotelock_api, &accessible, acc);
    if (!target)
        return NULL; /* not simulated (door group): the next grant decides */
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

static int deactivated(const cJSON *person);

static int stay_cmp(const void *a, const void *b)
{
    const stay *x = a, *y = b;
    return (x->rec > y->rec) - (x->rec < y->rec);
}

void rl_status_memo_build(res_ctx *c)
{
    size_t row = persons_row();
    if (store_memo_get(c->d, row))
        return;
    const cJSON *accesses = rl_list(c->d, "accesses"), *persons = rl_list(c->d, "access_persons");
    size_t na = (size_t)cJSON_GetArraySize(accesses), np = (size_t)cJSON_GetArraySize(persons);
    size_t k = 0;
    zone_entry *zones = malloc((na ? na : 1) * sizeof *zones);
    stay_memo *m = malloc(sizeof *m + (np ? np : 1) * sizeof m->v[0]);
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
    m->n = 0;
    cJSON_ArrayForEach(it, persons) {
        const char *type = rec_type(it), *pid = rec_id(it);
        const char *zone = pid ? indexed_zone(zones, k, pid) : NULL;
        m->v[m->n++] = (stay){it, zone ? zone : c->d->time_zone, rec_str(it, "starts_at"),
                              rec_str(it, "ends_at"), deactivated(it),
                              type && strcmp(type, "access_guest") == 0};
    }
    free(zones);
    qsort(m->v, m->n, sizeof m->v[0], stay_cmp);
    store_memo_set(c->d, row, m, free);
}

/* The memo entry of person when the memo is current, else NULL. */
static const stay *memo_find(const res_ctx *c, const cJSON *person)
{
    const stay_memo *m = store_memo_get(c->d, persons_row());
    size_t lo = 0, hi = m ? m->n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->v[mid].rec == person)
            return &m->v[mid];
        if (m->v[mid].rec < person)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int deactivated(const cJSON *person)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(person, "deactivated"));
}

/* Wall-clock now in zone, cached for the request. NULL on failure. */
static const char *local_now(res_ctx *c, const char *zone)
{
    for (size_t i = 0; i < c->n_now; i++)
        if (strcmp(c->now_cache[i].zone, zone) == 0)
            return c->now_cache[i].local;
    size_t slot = c->n_now < RES_NOW_CACHE ? c->n_now++ : RES_NOW_CACHE - 1;
    if (strlen(zone) >= sizeof c->now_cache[slot].zone ||
        tz_local_time(zone, c->req->now, c->now_cache[slot].local) != 0) {
        c->now_cache[slot].zone[0] = '\0';
        return NULL;
    }
    strcpy(c->now_cache[slot].zone, zone);
    return c->now_cache[slot].local;
}

const char *rl_person_status(res_ctx *c, const cJSON *person)
{
    const stay *m = memo_find(c, person);
    const char *type = m ? NULL : rec_type(person);
    if (m ? m->deactivated : deactivated(person))
        return "deactivated";
    if (m ? !m->guest : !type || strcmp(type, "access_guest") != 0)
        return "current";
    const char *starts = m ? m->starts : rec_str(person, "starts_at");
    const char *ends = m ? m->ends : rec_str(person, "ends_at");
    const char *now = local_now(c, m ? m->zone : guest_zone(c, person));
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

int rl_person_compute(res_ctx *c, const cJSON *rec, cJSON *computed)
{
    return jsonapi_add_str(computed, "status", rl_person_status(c, rec));
}

cJSON *rl_person_meta(res_ctx *c, const cJSON *rec)
{
    const char *status = rl_person_status(c, rec);
    cJSON *meta = cJSON_CreateObject(), *restricted = cJSON_CreateArray();
    int rc = jsonapi_append(restricted, cJSON_CreateString("url_credential"));
    rc |= jsonapi_add(meta, "restricted_attributes", restricted);
    if (strcmp(status, "deactivated") == 0 || strcmp(status, "expired") == 0) {
        cJSON *actions = cJSON_CreateArray();
        rc |= jsonapi_append(actions, cJSON_CreateString("update"));
        rc |= jsonapi_add(meta, "restricted_actions", actions);
    }
    if (rc) {
        cJSON_Delete(meta);
        return NULL;
    }
    return meta;
}

void rl_person_may_update(res_ctx *c, const cJSON *rec, jsonapi_errors *e)
{
    (void)c;
    if (deactivated(rec))
        jsonapi_error_add(e, NULL, "A deactivated access person cannot be updated");
}

void rl_person_deactivate(res_ctx *c, cJSON *rec, const char *arg)
{
    char now[TZ_UTC_LEN];
    (void)arg;
    res_now(c, now);
    if (!deactivated(rec) &&
        (jsonapi_put(rec, "deactivated", cJSON_CreateTrue()) ||
         rec_set_str(rec, "updated_at", now))) {
        jsonapi_respond_internal(c->res);
        return;
    }
    res_respond(c, res_def_find(c->api, "access_persons"), 200, rec);
}

/* 1 when another live person already uses this value for key. */
static int taken(const store_data *d, const cJSON *self, const char *key, const char *value)
{
    const cJSON *p;
    const char *self_id = rec_id(self);
    cJSON_ArrayForEach(p, rl_list(d, "access_persons")) {
        const char *v = rec_str(p, key), *id = rec_id(p);
        if (v && strcmp(v, value) == 0 && !deactivated(p) &&
            !(id && self_id && strcmp(id, self_id) == 0))
            return 1;
    }
    return 0;
}

/* Deterministic credential: the next sequence number no person uses. */
static int generate(res_ctx *c, cJSON *rec, const char *key, int width, unsigned long base)
{
    char value[32];
    for (int tries = 0; tries < 100000; tries++) {
        snprintf(value, sizeof value, "%0*lu", width, base + c->d->next_pin++);
        if (!taken(c->d, rec, key, value))
            return rec_set_str(rec, key, value);
    }
    return -1;
}

/* generate_pin / generate_card_number: input that is no attribute. */
int rl_person_apply(res_ctx *c, cJSON *rec, const cJSON *attrs, jsonapi_errors *e)
{
    static const struct {
        const char *flag, *key;
        int width;
        unsigned long base;
    } gens[] = {
        {"generate_pin", "pin", 4, 5000},
        {"generate_card_number", "card_number", 8, 10000000},
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof gens / sizeof gens[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, gens[i].flag);
        if (!v)
            continue;
        if (!cJSON_IsBool(v))
            jsonapi_error_add(e, gens[i].flag, "is invalid");
        else if (cJSON_IsTrue(v) && e->count == 0)
            rc |= generate(c, rec, gens[i].key, gens[i].width, gens[i].base);
    }
    return rc ? -1 : 0;
}

void rl_person_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e)
{
    const char *pin = rec_str(rec, "pin");
    if (!pin && !rec_str(rec, "card_number") && !rec_str(rec, "schlage_engage_smart_card_id"))
        jsonapi_error_add(e, NULL,
                          "pin, generate_pin, card_number, generate_card_number or "
                          "schlage_engage_smart_card_id is required");
    if (pin && taken(c->d, rec, "pin", pin))
        jsonapi_error_add(e, "pin", "has already been taken");
    const char *starts = rec_str(rec, "starts_at"), *ends = rec_str(rec, "ends_at");
    if (starts && ends && strcmp(ends, starts) <= 0)
        jsonapi_error_add(e, "ends_at", "must be after starts at");
}

int rl_person_load(store_data *d, cJSON *rec, char *msg, size_t msglen)
{
    const char *starts = rec_str(rec, "starts_at"), *ends = rec_str(rec, "ends_at");
    (void)d;
    if (starts && ends && strcmp(ends, starts) <= 0) {
        snprintf(msg, msglen, "ends_at must be after starts_at");
        return -1;
    }
    return 0;
}
