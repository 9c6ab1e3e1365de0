/* Attribute schemas (see resources_schema.h). Orders and defaults follow the
 * documented examples of each type in the RemoteLock API reference. */
#include "resources_schema.h"

#include <stdio.h>
#include <string.h>
#include "jsonapi.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define CREATED {"created_at", "\"2026-03-01T00:00:00Z\"", 0}
#define UPDATED {"updated_at", "\"2026-03-01T00:00:00Z\"", 0}

static const attr_spec location_attrs[] = {
    {"name", "null", ATTR_REQUIRED},
    {"phone", "null", 0},
    {"address", "null", 0},
    {"address2", "null", 0},
    {"city", "null", 0},
    {"state", "null", 0},
    {"postal_code", "null", 0},
    {"country", "null", 0},
    {"time_zone", "null", ATTR_REQUIRED},
    CREATED,
    UPDATED,
};

/* "Get a device" example of a lock (OpenEdge/LS series). */
static const attr_spec lock_attrs[] = {
    {"name", "null", ATTR_REQUIRED},
    {"heartbeat_interval", "1200", 0},
    {"wifi_level", "0", 0},
    {"signal_quality", "3", 0},
    {"connected", "true", 0},
    {"alive", "true", 0},
    {"power_source", "\"alkaline_battery\"", 0},
    {"connected_at", "null", 0},
    {"location_name", "null", ATTR_RENDER},
    {"model_number", "\"LS-DB500i\"", 0},
    {"serial_number", "null", 0},
    {"connectivity_enabled", "true", 0},
    {"algorithmic_pin_enabled", "true", 0},
    {"auto_lock", "true", 0},
    {"auto_lock_timeout", "20", 0},
    CREATED,
    {"default_guest_end_time", "null", 0},
    {"default_guest_start_time", "null", 0},
    {"local_pins", "[\"1234\"]", 0},
    {"mac_address", "null", 0},
    {"manual_auto_lock_timeout", "0", 0},
    {"muted", "false", 0},
    {"nfc", "\"no_nfc\"", 0},
    {"smd", "\"1100\"", 0},
    {"no_enter_code", "false", 0},
    {"online_auto_lock", "false", 0},
    {"power_level", "100", 0},
    {"programming_code", "\"123456\"", 0},
    {"state", "\"locked\"", 0},
    UPDATED,
    {"wake_wifi", "\"user_action\"", 0},
    {"wifi_enabled", "true", 0},
    {"model_id", "null", 0},
    {"location_id", "null", ATTR_REQUIRED},
    {"lock_action_schedule_id", "null", ATTR_OPTIONAL},
    {"auto_lock_schedule_id", "null", ATTR_OPTIONAL},
};

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
    {"url_credential", "null", ATTR_RENDER | ATTR_SINGLE}

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

static const attr_spec webhook_attrs[] = {
    {"name", "null", ATTR_REQUIRED},
    {"url", "null", ATTR_REQUIRED},
    {"content_type", "\"json\"", 0},
    {"secret", "null", 0},
    {"active", "true", 0},
    CREATED,
    UPDATED,
};

static const type_spec types[] = {
    {"location", location_attrs, N(location_attrs)},
    {"lock", lock_attrs, N(lock_attrs)},
    {"access_user", user_attrs, N(user_attrs)},
    {"access_guest", guest_attrs, N(guest_attrs)},
    {"access_person_access", access_attrs, N(access_attrs)},
    {"unlocked_event", lock_event_attrs, N(lock_event_attrs)},
    {"locked_event", lock_event_attrs, N(lock_event_attrs)},
    {"notification", notification_attrs, N(notification_attrs)},
    {"webhook_notification_subscriber", webhook_attrs, N(webhook_attrs)},
};

const type_spec *schema_find(const char *type)
{
    for (size_t i = 0; type && i < N(types); i++)
        if (strcmp(types[i].type, type) == 0)
            return &types[i];
    return NULL;
}

static const attr_spec *find_attr(const type_spec *t, const char *key)
{
    for (size_t i = 0; i < t->nattrs; i++)
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
        const attr_spec *a = find_attr(t, key);
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

cJSON *schema_render(const type_spec *t, const cJSON *attrs, const cJSON *computed,
                     int single)
{
    cJSON *out = cJSON_CreateObject();
    for (size_t i = 0; out && i < t->nattrs; i++) {
        const attr_spec *a = &t->attrs[i];
        if ((a->flags & ATTR_SINGLE) && !single)
            continue;
        const cJSON *src = (a->flags & ATTR_RENDER) ? computed : attrs;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(src, a->key);
        if ((a->flags & ATTR_OPTIONAL) && (!v || cJSON_IsNull(v)))
            continue;
        if (jsonapi_add(out, a->key, v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull())) {
            cJSON_Delete(out);
            return NULL;
        }
    }
    return out;
}
