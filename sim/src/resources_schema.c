/* Attribute schemas (see resources_schema.h). Orders and defaults follow the
 * documented examples of each type in the RemoteLock API reference. */
#include "resources_schema.h"

#include <stdio.h>
#include <string.h>
#include "jsonapi.h"
#include "tz.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define CREATED SCHEMA_CREATED_AT
#define UPDATED SCHEMA_UPDATED_AT

#define PERSON_COMMON                                              \
    {"name", "null", ATTR_REQUIRED | IN(IN_TEXT)},                \
    {"email", "null", IN(IN_TEXT)},                                \
    {"phone", "null", 0},                                          \
    {"department", "null", IN(IN_TEXT)},                           \
    {"deliver_as_qr_code", "false", IN(IN_BOOL)},                  \
    {"status", "null", ATTR_RENDER},                               \
    {"source", "null", 0},                                         \
    {"guest_source", "null", 0},                                   \
    {"deliver_as_url_credential", "false", 0},                     \
    {"require_pin_verification", "false", 0},                      \
    {"schlage_engage_mobile_credentials_enabled", "false", IN(IN_BOOL)}, \
    {"korelock_wifi_credential_enabled", "false", 0},              \
    {"ttlock_mobile_credential_enabled", "false", 0},              \
    {"igloo_mobile_credentials_enabled", "false", IN(IN_BOOL)},    \
    {"august_mobile_credentials_enabled", "false", 0},             \
    {"dormakaba_lyazon_mobile_credentials_enabled", "false", IN(IN_BOOL)}, \
    {"card_number_is_hex", "false", IN(IN_BOOL)},                  \
    CREATED,                                                       \
    UPDATED,                                                       \
    {"pin", "null", IN(IN_PIN)},                                   \
    {"card_number", "null", IN(IN_TEXT)},                          \
    {"schlage_engage_smart_card_id", "null", IN(IN_TEXT)},         \
    {"schlage_engage_smart_card_badge", "null", 0},                \
    {"url_credential", "null", ATTR_RENDER | ATTR_SINGLE},         \
    /* when the person first opened a lock with a credential (first_access) */ \
    {"first_used_at", "null", ATTR_HIDDEN}

static const attr_spec user_attrs[] = {PERSON_COMMON};

static const attr_spec guest_attrs[] = {
    PERSON_COMMON,
    {"starts_at", "null", ATTR_REQUIRED | IN(IN_LOCAL)},
    {"ends_at", "null", ATTR_REQUIRED | IN(IN_LOCAL)},
    {"ready_pins", "null", 0},
};

static const attr_spec access_attrs[] = {
    {"guest_start_time", "null", ATTR_ONCE | IN(IN_CLOCK)},
    {"guest_end_time", "null", ATTR_ONCE | IN(IN_CLOCK)},
    {"devices_count", "0", ATTR_RENDER},
    {"devices_synced_count", "0", ATTR_RENDER},
    {"devices_pending_sync_count", "0", ATTR_RENDER},
    {"devices_failed_sync_count", "0", ATTR_RENDER},
    {"accessible_type", "null", ATTR_REQUIRED | ATTR_ONCE | IN(IN_TYPE)},
    {"access_starts_at", "null", 0},
    {"access_ends_at", "null", 0},
    CREATED,
    UPDATED,
    {"accessible_name", "null", ATTR_RENDER},
    {"access_schedule_id", "null", ATTR_OPTIONAL | IN(IN_REF)},
    {"access_person_id", "null", ATTR_REQUIRED},
    {"access_person_type", "null", ATTR_RENDER},
    {"accessible_id", "null", ATTR_REQUIRED | ATTR_ONCE | IN(IN_REF)},
};

/* "Get an event" example (unlocked_event); locked_event has the same keys. */
static const attr_spec lock_event_attrs[] = {
    {"source", "\"user\"", 0},
    {"status", "\"succeeded\"", 0},
    {"time_zone", "null", ATTR_DERIVED},
    {"occurred_at", "null", ATTR_REQUIRED},
    {"created_at", "null", 0},
    {"updated_at", "null", 0},
    {"associated_resource_name", "null", 0},
    {"status_info", "null", 0},
    {"method", "null", 0},
    {"pin", "null", 0},
    {"card", "null", 0},
    {"publisher_id", "null", ATTR_REQUIRED},
    {"publisher_type", "null", ATTR_DERIVED},
    {"associated_resource_id", "null", 0},
    {"associated_resource_type", "null", ATTR_DERIVED},
};

static const attr_spec notification_attrs[] = {
    {"created_at", "null", 0},
    {"updated_at", "null", 0},
    {"subscriber_id", "null", ATTR_REQUIRED},
    {"subscriber_type", "null", ATTR_DERIVED},
    {"publisher_id", "null", ATTR_DERIVED},
    {"publisher_type", "null", ATTR_DERIVED},
    {"event_id", "null", ATTR_REQUIRED},
    {"event_type", "null", ATTR_DERIVED},
};

/* "Access Exceptions": named lists of dates. */
static const elem_field date_fields[] = {
    {"start_date", IN_DATE, NULL},
    {"end_date", IN_DATE, NULL},
};
static const elem_shape date_range = {date_fields, N(date_fields), "start_date", "end_date", 0};

static const attr_spec exception_attrs[] = {
    {"name", "null", ATTR_REQUIRED | IN(IN_TEXT)},
    {"dates", "[]", ATTR_REQUIRED | IN(IN_LIST)},
    CREATED,
    UPDATED,
};

/* "Schedules": five types, each a name and a list per weekday. */
#define SCHEDULE_DAYS                          \
    {"name", "null", ATTR_REQUIRED | IN(IN_TEXT)}, \
    {"mon", "[]", IN(IN_LIST)},                \
    {"tue", "[]", IN(IN_LIST)},                \
    {"wed", "[]", IN(IN_LIST)},                \
    {"thu", "[]", IN(IN_LIST)},                \
    {"fri", "[]", IN(IN_LIST)},                \
    {"sat", "[]", IN(IN_LIST)},                \
    {"sun", "[]", IN(IN_LIST)},                \
    CREATED,                                   \
    UPDATED

static const attr_spec access_schedule_attrs[] = {
    SCHEDULE_DAYS,
    {"access_exception_id", "null", ATTR_OPTIONAL | IN(IN_REF)},
};
static const attr_spec schedule_attrs[] = {SCHEDULE_DAYS};

static const char *const lock_actions[] = {"lock", "unlock", NULL};
static const char *const plug_actions[] = {"on", "off", NULL};
static const elem_field window_fields[] = {
    {"start_time", IN_HHMM, NULL},
    {"end_time", IN_HHMM, NULL},
};
static const elem_field auto_lock_fields[] = {
    {"time", IN_HHMM, NULL},
    {"enable", IN_BOOL, NULL},
};
static const elem_field lock_action_fields[] = {
    {"time", IN_HHMM, NULL},
    {"action", IN_ENUM, lock_actions},
};
static const elem_field plug_fields[] = {
    {"time", IN_HHMM, NULL},
    {"action", IN_ENUM, plug_actions},
};
static const elem_field thermostat_fields[] = {
    {"time", IN_HHMM, NULL},
    {"cool", IN_NUMBER, NULL},
    {"heat", IN_NUMBER, NULL},
};
static const elem_shape access_window = {window_fields, N(window_fields), "start_time",
                                         "end_time", 1};
static const elem_shape auto_lock_step = {auto_lock_fields, N(auto_lock_fields), NULL, NULL, 0};
static const elem_shape lock_action_step = {lock_action_fields, N(lock_action_fields), NULL,
                                            NULL, 0};
static const elem_shape plug_step = {plug_fields, N(plug_fields), NULL, NULL, 0};
static const elem_shape thermostat_step = {thermostat_fields, N(thermostat_fields), NULL, NULL,
                                           0};

static const type_spec types[] = {
    {"access_user", user_attrs, N(user_attrs), NULL},
    {"access_guest", guest_attrs, N(guest_attrs), NULL},
    {"access_person_access", access_attrs, N(access_attrs), NULL},
    {"unlocked_event", lock_event_attrs, N(lock_event_attrs), NULL},
    {"locked_event", lock_event_attrs, N(lock_event_attrs), NULL},
    {"access_denied_event", lock_event_attrs, N(lock_event_attrs), NULL},
    {"notification", notification_attrs, N(notification_attrs), NULL},
    {"access_exception", exception_attrs, N(exception_attrs), &date_range},
    {"access_schedule", access_schedule_attrs, N(access_schedule_attrs), &access_window},
    {"auto_lock_schedule", schedule_attrs, N(schedule_attrs), &auto_lock_step},
    {"lock_action_schedule", schedule_attrs, N(schedule_attrs), &lock_action_step},
    {"power_plug_schedule", schedule_attrs, N(schedule_attrs), &plug_step},
    {"thermostat_schedule", schedule_attrs, N(schedule_attrs), &thermostat_step},
};

/* The schema tables, one per group of resources (each file holds the
 * types of the resources it is about). */
static const struct {
    const type_spec *types;
    const size_t *ntypes;
} schema_tables[] = {
    {types, &(const size_t){N(types)}},
    {schema_account_types, &schema_account_ntypes},
    {schema_devices_types, &schema_devices_ntypes},
    {schema_events_types, &schema_events_ntypes},
};

const type_spec *schema_find(const char *type)
{
    for (size_t t = 0; type && t < N(schema_tables); t++)
        for (size_t i = 0; i < *schema_tables[t].ntypes; i++)
            if (strcmp(schema_tables[t].types[i].type, type) == 0)
                return &schema_tables[t].types[i];
    return NULL;
}

const attr_spec *schema_attr(const type_spec *t, const char *key)
{
    for (size_t i = 0; t && key && i < t->nattrs; i++)
        if (strcmp(t->attrs[i].key, key) == 0)
            return &t->attrs[i];
    return NULL;
}

static int listed(const char *const *keys, const char *key)
{
    for (size_t i = 0; keys && keys[i]; i++)
        if (strcmp(keys[i], key) == 0)
            return 1;
    return 0;
}

/* A value fits when it has the default's JSON type; null always fits a
 * string-or-null default, and any string fits a null default. */
static int fits(const cJSON *dflt, const cJSON *v)
{
    if (cJSON_IsNull(dflt) || cJSON_IsString(dflt))
        return cJSON_IsNull(v) || cJSON_IsString(v);
    if (cJSON_IsBool(dflt))
        return cJSON_IsBool(v);
    if (cJSON_IsNumber(dflt))
        return cJSON_IsNumber(v);
    if (cJSON_IsArray(dflt))
        return cJSON_IsArray(v);
    if (cJSON_IsObject(dflt))
        return cJSON_IsObject(v);
    return 0;
}

cJSON *schema_expand(const type_spec *t, const cJSON *input, const char *const *skip,
                     char *err, size_t errlen)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, input) {
        const char *key = item->string;
        if (strcmp(key, "id") == 0 || strcmp(key, "type") == 0 || listed(skip, key))
            continue;
        const attr_spec *a = schema_attr(t, key);
        if (!a || (a->flags & (ATTR_DERIVED | ATTR_RENDER))) {
            snprintf(err, errlen, "%s: attribute \"%s\" is not accepted", t->type, key);
            return NULL;
        }
    }
    cJSON *out = cJSON_CreateObject();
    if (!out) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < t->nattrs; i++) {
        const attr_spec *a = &t->attrs[i];
        if (a->flags & ATTR_RENDER)
            continue;
        cJSON *dflt = cJSON_Parse(a->dflt);
        const cJSON *given = (a->flags & ATTR_DERIVED)
                                 ? NULL
                                 : cJSON_GetObjectItemCaseSensitive(input, a->key);
        const char *problem = NULL;
        if (!dflt)
            problem = "could not be initialised";
        else if (given && !fits(dflt, given))
            problem = "has the wrong JSON type";
        else if ((a->flags & ATTR_REQUIRED) && (!given || cJSON_IsNull(given)))
            problem = "is required";
        if (problem) {
            snprintf(err, errlen, "%s: attribute \"%s\" %s", t->type, a->key, problem);
            cJSON_Delete(dflt);
            cJSON_Delete(out);
            return NULL;
        }
        cJSON *v = given ? cJSON_Duplicate(given, 1) : dflt;
        if (given)
            cJSON_Delete(dflt);
        if (jsonapi_add(out, a->key, v)) {
            snprintf(err, errlen, "out of memory");
            cJSON_Delete(out);
            return NULL;
        }
    }
    return out;
}

/* A string field of kind: "YYYY-MM-DD" (a real date) or "HH:MM". */
static int field_text_ok(unsigned kind, const char *s)
{
    char buf[TZ_LOCAL_LEN + 8], out[TZ_LOCAL_LEN];
    if (kind == IN_DATE) {
        if (strlen(s) != 10)
            return 0;
        snprintf(buf, sizeof buf, "%sT00:00:00", s);
        return tz_parse_local(buf, out) == 0;
    }
    char clock[TZ_CLOCK_LEN];
    return strlen(s) == 5 && tz_parse_clock(s, clock) == 0;
}

static int field_ok(const elem_field *f, const cJSON *v)
{
    switch (f->kind & ~ELEM_OPTIONAL) {
    case IN_BOOL: return cJSON_IsBool(v);
    case IN_NUMBER: return cJSON_IsNumber(v);
    case IN_DATE:
    case IN_HHMM: return cJSON_IsString(v) && field_text_ok(f->kind & ~ELEM_OPTIONAL, v->valuestring);
    case IN_ENUM:
        for (size_t i = 0; cJSON_IsString(v) && f->one_of[i]; i++)
            if (strcmp(f->one_of[i], v->valuestring) == 0)
                return 1;
        return 0;
    default: return 0;
    }
}

cJSON *schema_list(const type_spec *t, const cJSON *v)
{
    const elem_shape *sh = t ? t->elems : NULL;
    if (!sh || !cJSON_IsArray(v))
        return NULL;
    cJSON *out = cJSON_CreateArray();
    const cJSON *el;
    cJSON_ArrayForEach(el, v) {
        cJSON *o = cJSON_IsObject(el) ? cJSON_CreateObject() : NULL;
        for (size_t i = 0; o && i < sh->nfields; i++) {
            const cJSON *f = cJSON_GetObjectItemCaseSensitive(el, sh->fields[i].key);
            if (!f && (sh->fields[i].kind & ELEM_OPTIONAL))
                continue;
            if (!f || !field_ok(&sh->fields[i], f) ||
                jsonapi_add(o, sh->fields[i].key, cJSON_Duplicate(f, 0))) {
                cJSON_Delete(o);
                o = NULL;
            }
        }
        const char *from = sh->from ? cJSON_GetStringValue(cJSON_GetObjectItem(o, sh->from)) : NULL;
        const char *to = sh->to ? cJSON_GetStringValue(cJSON_GetObjectItem(o, sh->to)) : NULL;
        int order = from && to ? strcmp(to, from) : 1; /* same formats: text order */
        if (!o || order < 0 || (order == 0 && sh->strict) || jsonapi_append(out, o)) {
            if (o && (order < 0 || (order == 0 && sh->strict)))
                cJSON_Delete(o);
            cJSON_Delete(out);
            return NULL;
        }
    }
    return out;
}

cJSON *schema_defaults(const type_spec *t)
{
    cJSON *out = cJSON_CreateObject();
    for (size_t i = 0; out && i < t->nattrs; i++) {
        if (t->attrs[i].flags & ATTR_RENDER)
            continue;
        if (jsonapi_add(out, t->attrs[i].key, cJSON_Parse(t->attrs[i].dflt))) {
            cJSON_Delete(out);
            return NULL;
        }
    }
    return out;
}

/* Adds the value of schema attribute a under key, by a's rules: 0 when
 * left out or added, -1 when out of memory. */
static int render_attr(cJSON *out, const char *key, const attr_spec *a, const cJSON *attrs,
                       const cJSON *computed, int single)
{
    if (((a->flags & ATTR_SINGLE) && !single) || (a->flags & ATTR_HIDDEN))
        return 0;
    const cJSON *src = (a->flags & ATTR_RENDER) ? computed : attrs;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(src, a->key);
    if ((a->flags & ATTR_OPTIONAL) && (!v || cJSON_IsNull(v)))
        return 0;
    return jsonapi_add(out, key, v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
}

cJSON *schema_render(const type_spec *t, const cJSON *attrs, const cJSON *computed,
                     int single)
{
    cJSON *out = cJSON_CreateObject();
    for (size_t i = 0; out && i < t->nattrs; i++) {
        if (render_attr(out, t->attrs[i].key, &t->attrs[i], attrs, computed, single)) {
            cJSON_Delete(out);
            return NULL;
        }
    }
    return out;
}

cJSON *schema_render_v1(const type_spec *t, const v1_view *v, const cJSON *attrs,
                        const cJSON *computed, int single)
{
    cJSON *out = cJSON_CreateObject();
    for (size_t i = 0; out && i < v->nattrs; i++) {
        const char *from = v->attrs[i].from ? v->attrs[i].from : v->attrs[i].key;
        const attr_spec *a = from[0] ? schema_attr(t, from) : NULL; /* V1_UNHELD: none */
        int rc = a ? render_attr(out, v->attrs[i].key, a, attrs, computed, single)
                   : jsonapi_add(out, v->attrs[i].key, cJSON_CreateNull());
        if (rc) {
            cJSON_Delete(out);
            return NULL;
        }
    }
    return out;
}
