/* Validation of access person create/update bodies, following the
 * documented parameters of POST/PUT /access_persons. Attributes outside the
 * documented list (phone, status, ...) are ignored, as the API does: its
 * create example sends a phone and answers "phone": null. Error messages
 * use the API's Rails wording ("can't be blank", "has already been
 * taken"). */
#include <stdio.h>
#include <string.h>
#include "resources.h"

#define MAX_TEXT 255
#define PIN_MIN 4
#define PIN_MAX 16

static const char *const text_keys[] = {
    "name", "email", "department", "card_number", "schlage_engage_smart_card_id", NULL,
};

static const char *const flag_keys[] = {
    "card_number_is_hex", "schlage_engage_mobile_credentials_enabled",
    "igloo_mobile_credentials_enabled", "dormakaba_lyazon_mobile_credentials_enabled",
    "deliver_as_qr_code", NULL,
};

static int is_guest(const cJSON *rec)
{
    const char *t = rec_type(rec);
    return t && strcmp(t, "access_guest") == 0;
}

static int blank(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

static int valid_pin(const char *s)
{
    size_t n = strlen(s);
    if (n < PIN_MIN || n > PIN_MAX)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* 1 when another live person already uses this value for key. */
static int taken(const store_data *d, const cJSON *self, const char *key, const char *value)
{
    const cJSON *p;
    const char *self_id = rec_id(self);
    cJSON_ArrayForEach(p, d->persons) {
        const char *v = rec_str(p, key), *id = rec_id(p);
        if (v && strcmp(v, value) == 0 && !res_person_deactivated(p) &&
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

static int apply_text(cJSON *rec, const char *key, const cJSON *v, jsonapi_errors *e)
{
    if (cJSON_IsNull(v))
        return rec_set(rec, key, cJSON_CreateNull());
    if (!cJSON_IsString(v)) {
        jsonapi_error_add(e, key, "is invalid");
        return 0;
    }
    if (strlen(v->valuestring) > MAX_TEXT) {
        jsonapi_error_add(e, key, "is too long (maximum is 255 characters)");
        return 0;
    }
    return rec_set_str(rec, key, v->valuestring);
}

static int apply_time(cJSON *rec, const char *key, const cJSON *v, jsonapi_errors *e)
{
    char local[TZ_LOCAL_LEN];
    if (cJSON_IsNull(v)) {
        jsonapi_error_add(e, key, "can't be blank");
        return 0;
    }
    if (!cJSON_IsString(v) || tz_parse_local(v->valuestring, local) != 0) {
        jsonapi_error_add(e, key, "is invalid");
        return 0;
    }
    return rec_set_str(rec, key, local);
}

int person_apply(res_ctx *c, cJSON *rec, const cJSON *attrs, jsonapi_errors *e)
{
    int rc = 0;
    const cJSON *v;
    for (size_t i = 0; text_keys[i]; i++)
        if ((v = cJSON_GetObjectItemCaseSensitive(attrs, text_keys[i])))
            rc |= apply_text(rec, text_keys[i], v, e);
    for (size_t i = 0; flag_keys[i]; i++) {
        if (!(v = cJSON_GetObjectItemCaseSensitive(attrs, flag_keys[i])))
            continue;
        if (cJSON_IsBool(v))
            rc |= rec_set(rec, flag_keys[i], cJSON_CreateBool(cJSON_IsTrue(v)));
        else
            jsonapi_error_add(e, flag_keys[i], "is invalid");
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(attrs, "pin"))) {
        if (cJSON_IsNull(v))
            rc |= rec_set(rec, "pin", cJSON_CreateNull());
        else if (cJSON_IsString(v) && valid_pin(v->valuestring))
            rc |= rec_set_str(rec, "pin", v->valuestring);
        else
            jsonapi_error_add(e, "pin", "is invalid");
    }
    if (is_guest(rec)) {
        if ((v = cJSON_GetObjectItemCaseSensitive(attrs, "starts_at")))
            rc |= apply_time(rec, "starts_at", v, e);
        if ((v = cJSON_GetObjectItemCaseSensitive(attrs, "ends_at")))
            rc |= apply_time(rec, "ends_at", v, e);
    }
    static const struct {
        const char *flag, *key;
        int width;
        unsigned long base;
    } gens[] = {
        {"generate_pin", "pin", 4, 5000},
        {"generate_card_number", "card_number", 8, 10000000},
    };
    for (size_t i = 0; i < sizeof gens / sizeof gens[0]; i++) {
        if (!(v = cJSON_GetObjectItemCaseSensitive(attrs, gens[i].flag)))
            continue;
        if (!cJSON_IsBool(v))
            jsonapi_error_add(e, gens[i].flag, "is invalid");
        else if (cJSON_IsTrue(v) && e->count == 0)
            rc |= generate(c, rec, gens[i].key, gens[i].width, gens[i].base);
    }
    return rc ? -1 : 0;
}

void person_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e)
{
    if (blank(rec_str(rec, "name")))
        jsonapi_error_add(e, "name", "can't be blank");
    const char *pin = rec_str(rec, "pin");
    if (!pin && !rec_str(rec, "card_number") && !rec_str(rec, "schlage_engage_smart_card_id"))
        jsonapi_error_add(e, NULL,
                          "pin, generate_pin, card_number, generate_card_number or "
                          "schlage_engage_smart_card_id is required");
    if (pin && taken(c->d, rec, "pin", pin))
        jsonapi_error_add(e, "pin", "has already been taken");
    if (!is_guest(rec))
        return;
    const char *starts = rec_str(rec, "starts_at"), *ends = rec_str(rec, "ends_at");
    if (!starts)
        jsonapi_error_add(e, "starts_at", "can't be blank");
    if (!ends)
        jsonapi_error_add(e, "ends_at", "can't be blank");
    if (starts && ends && strcmp(ends, starts) <= 0)
        jsonapi_error_add(e, "ends_at", "must be after starts at");
}
