/* Access persons: their meta, deactivation and the rules of their input
 * beyond the schema's input kinds (generated credentials, PIN uniqueness,
 * a credential required, window order). Deactivated and expired persons
 * carry meta.restricted_actions ["update"] as in the documented
 * status-filter example; only deactivated ones refuse updates (extending an
 * expired guest's stay is the documented way to give access back). Error
 * messages use the API's Rails wording. */
#include <stdio.h>
#include <string.h>
#include "remotelock.h"

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
    if (rl_person_deactivated(rec))
        jsonapi_error_add(e, NULL, "A deactivated access person cannot be updated");
}

void rl_person_deactivate(res_ctx *c, cJSON *rec, const char *arg)
{
    char now[TZ_UTC_LEN];
    (void)arg;
    res_now(c, now);
    if (!rl_person_deactivated(rec) &&
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
        if (v && strcmp(v, value) == 0 && !rl_person_deactivated(p) &&
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

/* A stay must end after it starts (same local format: text order is time
 * order). One rule for API input and fixtures. */
static int stay_backwards(const cJSON *rec)
{
    const char *starts = rec_str(rec, "starts_at"), *ends = rec_str(rec, "ends_at");
    return starts && ends && strcmp(ends, starts) <= 0;
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
    if (stay_backwards(rec))
        jsonapi_error_add(e, "ends_at", "must be after starts at");
}

int rl_person_load(store_data *d, cJSON *rec, char *msg, size_t msglen)
{
    (void)d;
    if (stay_backwards(rec)) {
        snprintf(msg, msglen, "ends_at must be after starts_at");
        return -1;
    }
    return 0;
}
