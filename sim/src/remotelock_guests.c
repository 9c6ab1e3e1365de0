/* Guests that igloo, resort and KORE ReadyPIN locks keep on their own
 * (igloo_guests, resort_lock_guests, kore_ready_pins): each names its
 * lock, which must be of the matching type; stays are in whole hours
 * ("minutes and seconds will be converted to zeros"); the lock's
 * algorithm issues the PIN (here: the store's credential sequence); the
 * status comes from the stay, read in the lock's location time zone.
 * ReadyPINs refuse changes to their stay and, until expired, deletion. */
#include <stdio.h>
#include <string.h>
#include "remotelock.h"

typedef struct guest_kind {
    const char *type, *lock_attr, *lock_type;
    int pin_width;      /* digits of an issued PIN */
    unsigned long base; /* the first issued PIN    */
} guest_kind;

static const guest_kind kinds[] = {
    {"igloo_guest", "igloo_lock_id", "igloo_lock", 7, 1000000},
    {"resort_lock_guest", "resort_lock_id", "resort_lock", 10, 1000000000},
    {"kore_ready_pin", "lock_id", "lock", 10, 5000000000},
};

static const guest_kind *kind_of(const cJSON *rec)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].type, rec_type(rec)) == 0)
            return &kinds[i];
    return NULL;
}

static const cJSON *lock_of(const store_data *d, const cJSON *rec)
{
    const guest_kind *k = kind_of(rec);
    return k ? store_find(rl_list(d, "devices"), rec_str(rec, k->lock_attr)) : NULL;
}

/* "upcoming", "current" or "expired" on the lock's wall clock. */
static const char *stay_status(res_ctx *c, const cJSON *rec)
{
    const cJSON *lock = lock_of(c->d, rec);
    const char *zone = rl_location_zone(c->d, rec_str(lock, "location_id"));
    const char *starts = rec_str(rec, "starts_at"), *ends = rec_str(rec, "ends_at");
    char now[TZ_LOCAL_LEN];
    if (!starts || !ends || tz_local_time(zone ? zone : c->d->time_zone, c->req->now, now))
        return "expired"; /* fail closed, as for access guests */
    if (strcmp(now, starts) < 0)
        return "upcoming";
    return strcmp(now, ends) < 0 ? "current" : "expired";
}

const char *rl_lock_guest_computed_str(res_ctx *c, const cJSON *rec, const char *name)
{
    return strcmp(name, "status") == 0 ? stay_status(c, rec) : NULL;
}

int rl_lock_guest_compute(res_ctx *c, const cJSON *rec, cJSON *computed)
{
    int rc = jsonapi_add_str(computed, "status", stay_status(c, rec));
    if (strcmp(rec_type(rec), "kore_ready_pin") == 0) /* its uuid is its id */
        rc |= jsonapi_add_str(computed, "uuid", rec_id(rec));
    return rc;
}

/* A stay's start or end as stored: local ISO 8601 ("T" or a space
 * between date and time, a trailing " UTC" or "Z" ignored: the stay is
 * wall-clock time at the lock), cut to the hour. -1 when it is none. */
static int stay_time(const char *v, char out[TZ_LOCAL_LEN])
{
    char buf[64];
    size_t n = v ? strlen(v) : 0;
    if (!v || n >= sizeof buf)
        return -1;
    memcpy(buf, v, n + 1);
    if (n > 4 && strcmp(buf + n - 4, " UTC") == 0)
        buf[n -= 4] = '\0';
    else if (n > 1 && buf[n - 1] == 'Z')
        buf[--n] = '\0';
    if (n > 10 && buf[10] == ' ')
        buf[10] = 'T';
    if (tz_parse_local(buf, out) != 0)
        return -1;
    memcpy(out + 14, "00:00", 5); /* YYYY-MM-DDTHH:|MM:SS */
    return 0;
}

/* starts_at / ends_at of a created guest. */
static int apply_stay(cJSON *rec, const cJSON *attrs, const char *key, jsonapi_errors *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, key);
    char out[TZ_LOCAL_LEN];
    if (!v || cJSON_IsNull(v))
        return 0;
    if (stay_time(cJSON_GetStringValue(v), out) != 0) {
        jsonapi_error_add(e, key, "is invalid");
        return 0;
    }
    return rec_set_str(rec, key, out);
}

static int issue_pin(res_ctx *c, cJSON *rec, const guest_kind *k)
{
    char pin[32];
    snprintf(pin, sizeof pin, "%0*lu", k->pin_width, k->base + c->d->next_pin++);
    return rec_set_str(rec, "pin", pin);
}

/* Igloo: "code" is a custom PIN, else an algorithmic one unless
 * generate_algorithmic_pin is false (mobile-only guests). */
static int igloo_pin(res_ctx *c, cJSON *rec, const cJSON *attrs, int creating,
                     jsonapi_errors *e)
{
    const cJSON *gen = cJSON_GetObjectItemCaseSensitive(attrs, "generate_algorithmic_pin");
    const char *code = rec_str(rec, "code");
    if (gen && !cJSON_IsBool(gen)) {
        jsonapi_error_add(e, "generate_algorithmic_pin", "is invalid");
        return 0;
    }
    if (cJSON_GetObjectItemCaseSensitive(attrs, "code") && code)
        return rec_set_str(rec, "pin", code);
    if (cJSON_IsFalse(gen))
        return rec_set_str(rec, "pin", NULL) | rec_set_str(rec, "code", NULL);
    if (creating || cJSON_IsTrue(gen)) {
        int rc = issue_pin(c, rec, &kinds[0]);
        return rc | rec_set_str(rec, "code", rec_str(rec, "pin"));
    }
    return 0;
}

int rl_lock_guest_apply(res_ctx *c, cJSON *rec, const cJSON *attrs, jsonapi_errors *e)
{
    const guest_kind *k = kind_of(rec);
    int creating = rec_id(rec)[0] == '\0'; /* the id comes once valid */
    if (!k)
        return -1;
    int rc = 0;
    if (creating)
        rc |= apply_stay(rec, attrs, "starts_at", e) | apply_stay(rec, attrs, "ends_at", e);
    if (k == &kinds[0])
        rc |= igloo_pin(c, rec, attrs, creating, e);
    else if (creating)
        rc |= issue_pin(c, rec, k);
    return rc ? -1 : 0;
}

/* Why the record does not hold (lock type, stay order), or NULL. */
static const char *fault(const store_data *d, const cJSON *rec, const char **attr)
{
    const guest_kind *k = kind_of(rec);
    const cJSON *lock = lock_of(d, rec);
    const char *starts = rec_str(rec, "starts_at"), *ends = rec_str(rec, "ends_at");
    *attr = k ? k->lock_attr : NULL;
    if (k && lock && strcmp(rec_type(lock), k->lock_type) != 0)
        return "is not a lock of this kind";
    *attr = "ends_at";
    if (starts && ends && strcmp(ends, starts) <= 0)
        return "must be after starts at";
    return NULL;
}

void rl_lock_guest_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e)
{
    const char *attr, *why = e->count ? NULL : fault(c->d, rec, &attr);
    if (why)
        jsonapi_error_add(e, attr, why);
}

int rl_lock_guest_load(store_data *d, cJSON *rec, char *msg, size_t msglen)
{
    static const char *const stay_keys[] = {"starts_at", "ends_at"};
    for (size_t i = 0; i < 2; i++) {
        char out[TZ_LOCAL_LEN];
        if (stay_time(rec_str(rec, stay_keys[i]), out) != 0) {
            snprintf(msg, msglen, "%s must be a local ISO 8601 time", stay_keys[i]);
            return -1;
        }
        if (rec_set_str(rec, stay_keys[i], out)) {
            snprintf(msg, msglen, "out of memory");
            return -1;
        }
    }
    const char *attr, *why = fault(d, rec, &attr);
    if (why)
        snprintf(msg, msglen, "%s %s", attr, why);
    return why ? -1 : 0;
}

/* "Updating of starts_at or ends_at is not allowed." */
void rl_ready_pin_may_update(res_ctx *c, const cJSON *rec, jsonapi_errors *e)
{
    static const char *const fixed[] = {"starts_at", "ends_at"};
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(c->req->body, "attributes");
    (void)rec;
    for (size_t i = 0; i < 2; i++)
        if (cJSON_GetObjectItemCaseSensitive(attrs, fixed[i]))
            jsonapi_error_add(e, fixed[i], "cannot be changed");
}

/* "Trying to delete a ReadyPIN will result in a 422 HTTP error if it's
 * not expired." Other paths route generically. */
int rl_ready_pin_route(res_ctx *c, const res_def *def)
{
    if (c->nseg != 2 || strcmp(c->req->method, "DELETE") != 0)
        return 0;
    const cJSON *pin = res_find(c->d, c->api, def, c->seg[1]);
    if (!pin || strcmp(stay_status(c, pin), "expired") == 0)
        return 0;
    jsonapi_errors e;
    jsonapi_errors_init(&e);
    jsonapi_error_add(&e, NULL, "Only an expired ReadyPIN can be deleted");
    c->api->doc->invalid(c->res, &e);
    return 1;
}
