/* lockcloud sync, the places file (pam/places_index.h): the account's
 * access schedules and exceptions and the time zone(s) of every lock,
 * door group and location, paged out of band so that a login evaluating
 * a scheduled access sends no request for them. The accesses do not say
 * where their accessible lies, so the devices (location_id), the
 * locations (time_zone) and the door groups' items are walked too. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "identity_index.h"
#include "places_index.h"

#include "../core/src/errors.h"
#include "../core/src/json_print.h"
#include "../core/src/policy_internal.h"
#include "../core/src/tz.h"

/* What the walks collect, keyed by lower-case ids. */
typedef struct places_walk {
    cJSON *schedules, *exceptions; /* the resources, as the file keeps them */
    cJSON *zone_of_location;       /* location id -> zone name             */
    cJSON *location_of;            /* "type:id" of a device -> location id */
    cJSON *members;                /* door group id -> ["type:id", ...]    */
    const char *group;             /* the group whose items are walked     */
    const char *want;              /* take_resource: the type kept         */
    cJSON *into;                   /* take_resource: the array filled      */
} places_walk;

/* The id of item, lower-cased into id; 0 when no login could use it. */
static int item_id(const cJSON *item, const char *key, char id[LC_ACCESS_ID_MAX + 1])
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, key);
    lc_error err;
    int ok;

    lc_error_init(&err);
    ok = cJSON_IsString(v) &&
         lc_access_id_normalize(v->valuestring, id, LC_ACCESS_ID_MAX + 1, &err) == LC_OK;
    lc_error_clear(&err);
    return ok;
}

static const cJSON *attr(const cJSON *item, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(item, "attributes"),
                                            key);
}

/* A schedule or exception: its type, id and attributes (no links). */
static lc_status take_resource(void *ctx, const cJSON *item, lc_error *err)
{
    places_walk *w = ctx;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(item, "type");
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(item, "attributes");
    char id[LC_ACCESS_ID_MAX + 1];
    cJSON *r;

    if (!cJSON_IsString(type) || strcmp(type->valuestring, w->want) != 0 ||
        !item_id(item, "id", id) || !cJSON_IsObject(attrs))
        return LC_OK;
    r = cJSON_CreateObject();
    if (!r || !cJSON_AddStringToObject(r, "type", w->want) || !cJSON_AddStringToObject(r, "id", id) ||
        !cJSON_AddItemToObject(r, "attributes", cJSON_Duplicate(attrs, 1)) ||
        !cJSON_AddItemToArray(w->into, r)) {
        cJSON_Delete(r);
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    }
    return LC_OK;
}

static lc_status nomem(lc_error *err)
{
    return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
}

static lc_status take_location(void *ctx, const cJSON *item, lc_error *err)
{
    places_walk *w = ctx;
    const cJSON *tz = attr(item, "time_zone");
    char id[LC_ACCESS_ID_MAX + 1];

    if (!item_id(item, "id", id) || !cJSON_IsString(tz) ||
        !lc_tz_name_ok(tz->valuestring, strlen(tz->valuestring)) ||
        cJSON_GetObjectItemCaseSensitive(w->zone_of_location, id))
        return LC_OK;
    return cJSON_AddStringToObject(w->zone_of_location, id, tz->valuestring) ? LC_OK : nomem(err);
}

static lc_status take_device(void *ctx, const cJSON *item, lc_error *err)
{
    places_walk *w = ctx;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(item, "type");
    char id[LC_ACCESS_ID_MAX + 1], loc[LC_ACCESS_ID_MAX + 1], key[LC_RULE_TYPE_MAX + 80];

    /* Only what an access can name (no plugs, thermostats, resort locks). */
    if (!cJSON_IsString(type) || !lc_pol_device_type(type->valuestring) ||
        !item_id(item, "id", id) || !item_id(cJSON_GetObjectItemCaseSensitive(item, "attributes"),
                                             "location_id", loc))
        return LC_OK;
    snprintf(key, sizeof key, "%s:%s", type->valuestring, id);
    if (cJSON_GetObjectItemCaseSensitive(w->location_of, key))
        return LC_OK;
    return cJSON_AddStringToObject(w->location_of, key, loc) ? LC_OK : nomem(err);
}

static lc_status take_group(void *ctx, const cJSON *item, lc_error *err)
{
    places_walk *w = ctx;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(item, "type");
    char id[LC_ACCESS_ID_MAX + 1];

    if (!cJSON_IsString(type) || strcmp(type->valuestring, "door_group") != 0 ||
        !item_id(item, "id", id) || cJSON_GetObjectItemCaseSensitive(w->members, id))
        return LC_OK;
    return cJSON_AddArrayToObject(w->members, id) ? LC_OK : nomem(err);
}

static lc_status take_item(void *ctx, const cJSON *item, lc_error *err)
{
    places_walk *w = ctx;
    const cJSON *type = attr(item, "item_type");
    char id[LC_ACCESS_ID_MAX + 1], key[LC_RULE_TYPE_MAX + 80];

    if (!cJSON_IsString(type) || !lc_pol_accessible_type(type->valuestring) ||
        !item_id(cJSON_GetObjectItemCaseSensitive(item, "attributes"), "item_id", id))
        return LC_OK;
    snprintf(key, sizeof key, "%s:%s", type->valuestring, id);
    return cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(w->members, w->group),
                                cJSON_CreateString(key)) ? LC_OK : nomem(err);
}

/* Every collection the file needs, each walked to its end. */
static int walk(lc_client *client, places_walk *w)
{
    static const char *const access_schedules[] = { "type", "access_schedule", NULL };
    static const char *const door_groups[] = { "type", "door_group", NULL };
    const cJSON *g;
    int rc;

    w->want = "access_schedule";
    w->into = w->schedules;
    rc = lccli_each(client, "schedules.list", NULL, access_schedules, "schedules", take_resource, w);
    w->want = "access_exception";
    w->into = w->exceptions;
    if (rc == LCCLI_OK)
        rc = lccli_each(client, "access_exceptions.list", NULL, NULL, "access exceptions",
                        take_resource, w);
    if (rc == LCCLI_OK)
        rc = lccli_each(client, "locations.list", NULL, NULL, "locations", take_location, w);
    if (rc == LCCLI_OK)
        rc = lccli_each(client, "devices.list", NULL, NULL, "devices", take_device, w);
    if (rc == LCCLI_OK)
        rc = lccli_each(client, "groups.list", NULL, door_groups, "door groups", take_group, w);
    cJSON_ArrayForEach(g, w->members) {
        const char *const args[] = { g->string, NULL };
        if (rc != LCCLI_OK)
            break;
        w->group = g->string;
        rc = lccli_each(client, "group_items.list", args, NULL, "door group items", take_item, w);
    }
    return rc;
}

/* Adds the zone of the accessible key ("type:id") to set, door groups
 * through their members (depth-limited: groups may hold groups, never
 * themselves, but the file must not trust that). */
static void zones_of(const places_walk *w, const char *key, cJSON *set, int depth)
{
    const cJSON *m, *loc, *tz;

    if (depth > 16)
        return;
    if (strncmp(key, "door_group:", 11) == 0) {
        cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(w->members, key + 11))
            zones_of(w, m->valuestring, set, depth + 1);
        return;
    }
    if (strncmp(key, "location:", 9) == 0)
        tz = cJSON_GetObjectItemCaseSensitive(w->zone_of_location, key + 9);
    else if ((loc = cJSON_GetObjectItemCaseSensitive(w->location_of, key)) != NULL)
        tz = cJSON_GetObjectItemCaseSensitive(w->zone_of_location, loc->valuestring);
    else
        tz = NULL;
    if (tz && !cJSON_GetObjectItemCaseSensitive(set, tz->valuestring))
        cJSON_AddTrueToObject(set, tz->valuestring);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* places[key] = the sorted zones of key; 0 when it has none or too many. */
static int add_place(const places_walk *w, cJSON *places, const char *key)
{
    cJSON *set = cJSON_CreateObject(), *arr, *it;
    const char *names[LC_ZONES_MAX];
    size_t n = 0;

    zones_of(w, key, set, 0);
    cJSON_ArrayForEach(it, set) {
        if (n == LC_ZONES_MAX) {
            n = 0;
            break;
        }
        names[n++] = it->string;
    }
    if (n > 0) {
        qsort(names, n, sizeof *names, name_cmp);
        arr = cJSON_CreateStringArray(names, (int)n);
        cJSON_AddItemToObject(places, key, arr);
    }
    cJSON_Delete(set);
    return n > 0;
}

/* The places member: every device, location and door group with a zone. */
static cJSON *places_of(const places_walk *w, size_t *unplaced)
{
    cJSON *places = cJSON_CreateObject();
    const cJSON *it;
    char key[LC_RULE_TYPE_MAX + 80];

    cJSON_ArrayForEach(it, w->location_of)
        *unplaced += !add_place(w, places, it->string);
    cJSON_ArrayForEach(it, w->zone_of_location) {
        snprintf(key, sizeof key, "location:%s", it->string);
        add_place(w, places, key);
    }
    cJSON_ArrayForEach(it, w->members) {
        snprintf(key, sizeof key, "door_group:%s", it->string);
        *unplaced += !add_place(w, places, key);
    }
    return places;
}

int lccli_places_build(lc_client *client, long long built_at, cJSON **doc, cJSON **summary)
{
    places_walk w;
    size_t unplaced = 0;
    cJSON *d;
    int rc;

    *doc = *summary = NULL;
    memset(&w, 0, sizeof w);
    d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "version", LCPAM_PLACES_VERSION);
    cJSON_AddNumberToObject(d, "built_at", (double)built_at);
    w.schedules = cJSON_AddArrayToObject(d, "schedules");
    w.exceptions = cJSON_AddArrayToObject(d, "exceptions");
    w.zone_of_location = cJSON_CreateObject();
    w.location_of = cJSON_CreateObject();
    w.members = cJSON_CreateObject();
    if (!w.schedules || !w.exceptions || !w.zone_of_location || !w.location_of || !w.members) {
        lccli_msg("sync: out of memory");
        rc = LCCLI_FAIL;
    } else {
        rc = walk(client, &w);
    }
    if (rc == LCCLI_OK) {
        cJSON *places = places_of(&w, &unplaced);
        cJSON_AddItemToObject(d, "places", places);
        *summary = cJSON_CreateObject();
        cJSON_AddNumberToObject(*summary, "schedules", cJSON_GetArraySize(w.schedules));
        cJSON_AddNumberToObject(*summary, "exceptions", cJSON_GetArraySize(w.exceptions));
        cJSON_AddNumberToObject(*summary, "places", cJSON_GetArraySize(places));
        cJSON_AddNumberToObject(*summary, "unplaced", (double)unplaced);
        *doc = d;
        d = NULL;
    }
    cJSON_Delete(d);
    cJSON_Delete(w.zone_of_location);
    cJSON_Delete(w.location_of);
    cJSON_Delete(w.members);
    return rc;
}

int lccli_places_write(const char *path, const cJSON *doc)
{
    char *text = NULL;
    size_t len = 0;
    lcpam_places *check = NULL;
    lc_error err;
    int rc = LCCLI_OK;

    lc_error_init(&err);
    /* What a login will read must read back: refuse to write it otherwise. */
    if (lc_json_print(doc, &text, &len, &err) != LC_OK ||
        lcpam_places_parse(text, len, &check, &err) != LC_OK ||
        lcpam_index_write(path, (const unsigned char *)text, len, &err) != LC_OK) {
        lccli_error("sync: places file", &err);
        rc = LCCLI_FAIL;
    }
    lcpam_places_free(check);
    free(text);
    lc_error_clear(&err);
    return rc;
}
