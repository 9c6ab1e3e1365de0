/* Devices, lock/unlock with their events and notifications, locations,
 * events, notifications and access grants through the resource boundary. */
#include "test_store_harness.h"

#define LOCK_KEYS                                                                            \
    "name,heartbeat_interval,wifi_level,signal_quality,connected,alive,power_source,"       \
    "connected_at,location_name,model_number,serial_number,connectivity_enabled,"           \
    "algorithmic_pin_enabled,auto_lock,auto_lock_timeout,created_at,default_guest_end_time," \
    "default_guest_start_time,local_pins,mac_address,manual_auto_lock_timeout,muted,nfc,smd," \
    "no_enter_code,online_auto_lock,power_level,programming_code,state,updated_at,wake_wifi," \
    "wifi_enabled,model_id,location_id"
#define EVENT_KEYS                                                                           \
    "source,status,time_zone,occurred_at,created_at,updated_at,associated_resource_name,"   \
    "status_info,method,pin,card,publisher_id,publisher_type,associated_resource_id,"       \
    "associated_resource_type"
#define NOTIFICATION_KEYS                                                                    \
    "created_at,updated_at,subscriber_id,subscriber_type,publisher_id,publisher_type,"      \
    "event_id,event_type"
#define ACCESS_KEYS_HEAD                                                                     \
    "guest_start_time,guest_end_time,devices_count,devices_synced_count,"                   \
    "devices_pending_sync_count,devices_failed_sync_count,accessible_type,access_starts_at," \
    "access_ends_at,created_at,updated_at,accessible_name,"
#define ACCESS_KEYS_TAIL "access_person_id,access_person_type,accessible_id"
#define D10 "20000000-0000-4000-8000-000000000010" /* the second ACS door */
#define LOCATION_KEYS                                                                        \
    "name,phone,address,address2,city,state,postal_code,country,time_zone,created_at,updated_at"

static void devices(void)
{
    harness h;
    char keys[2048];
    h_init(&h);
    h_call(&h, "GET", "/devices", NULL);
    static const char *const all[] = {D(1), D(2), D(3), D(4), D(5), D(6), D(7), D(8), D(9),
                                      D10};
    ok(h.status == 200 && h_ids(&h, all, 10), "list devices, created_at ascending");
    h_keys(h_get(h.body, "data.0"), keys, sizeof keys);
    ok(strcmp(keys, "type,attributes,id,links") == 0, "device resource keys %s", keys);
    h_keys(h_get(h.body, "data.0.attributes"), keys, sizeof keys);
    ok(strcmp(keys, LOCK_KEYS) == 0, "lock attributes as documented");
    h_keys(h_get(h.body, "data.0.links"), keys, sizeof keys);
    ok(strcmp(keys, "self,model,location") == 0, "device links %s", keys);
    ok(strcmp(h_str(&h, "data.0.attributes.location_name"), "Harbor View") == 0 &&
           strcmp(h_str(&h, "data.0.attributes.state"), "locked") == 0 &&
           strcmp(h_str(&h, "data.0.attributes.name"), "Front Door") == 0,
       "Front Door at Harbor View, locked");
    ok(strcmp(h_str(&h, "data.2.links.location"), H_BASE "/locations/" L(2)) == 0,
       "location link of Lodge Entrance");
    h_call(&h, "GET", "/devices?attributes[location_id]=" L(2), NULL);
    static const char *const lodge[] = {D(3), D(7), D(8), D(9), D10};
    ok(h_ids(&h, lodge, 5), "filter by attributes[location_id]");
    h_call(&h, "GET", "/devices?type=lock", NULL);
    ok(h_count(&h) == 3, "type=lock");
    h_call(&h, "GET", "/devices?type[]=zwave_lock&type[]=schlage_home_lock", NULL);
    ok(h.status == 200 && h_count(&h) == 0 && h_num(&h, "meta.total_pages") == 0,
       "no zwave or Schlage Home locks");
    h_call(&h, "GET", "/devices?sort=name", NULL);
    static const char *const by_name[] = {D(5), D(7), D(1), D(4), D(3),
                                          D(9), D(2), D(6), D(8), D10};
    ok(h_ids(&h, by_name, 10), "sort=name");
    h_call(&h, "GET", "/devices?id[]=" D(2) "&id[]=" D(3), NULL);
    static const char *const two[] = {D(2), D(3)};
    ok(h_ids(&h, two, 2), "id[] filter");
    h_call(&h, "GET", "/devices?sort=state", NULL);
    ok(h.status == 400, "devices are not sortable by state");
    h_call(&h, "GET", "/devices/" D(3), NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.location_name"), "Alpine Lodge") == 0,
       "show a device");
    h_call(&h, "GET", "/devices/20000000-0000-4000-8000-0000000000ff", NULL);
    ok(h.status == 404, "unknown device: 404");
    h_call(&h, "GET", "/devices/" D(1) "/lock", NULL);
    ok(h.status == 404, "GET on lock: 404");
    h_call(&h, "PUT", "/devices/20000000-0000-4000-8000-0000000000ff/unlock", NULL);
    ok(h.status == 404, "unlock unknown device: 404");
    ok(h_call(&h, "PUT", "/devices/" D(1) "/reboot", NULL) == 0, "unsimulated action is not a route");
    h_free(&h);
}

static void lock_unlock(void)
{
    harness h;
    char keys[2048], event_id[64];
    h_init(&h);
    h.now = h_time("2026-03-10T12:05:00Z");
    h_call(&h, "PUT", "/devices/" D(1) "/unlock", NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.state"), "unlocked") == 0 &&
           strcmp(h_str(&h, "data.type"), "lock") == 0,
       "unlock answers the unlocked device");
    ok(strcmp(h_str(&h, "data.attributes.updated_at"), "2026-03-10T12:05:00Z") == 0, "device updated_at moves");
    h_call(&h, "GET", "/devices/" D(1), NULL);
    ok(strcmp(h_str(&h, "data.attributes.state"), "unlocked") == 0, "state persists");

    h_call(&h, "GET", "/events", NULL);
    ok(h_count(&h) == 5, "unlock created an event");
    snprintf(event_id, sizeof event_id, "%s", h_str(&h, "data.0.id"));
    ok(strcmp(h_str(&h, "data.0.type"), "unlocked_event") == 0, "newest first: unlocked_event");
    h_keys(h_get(h.body, "data.0.attributes"), keys, sizeof keys);
    ok(strcmp(keys, EVENT_KEYS) == 0, "event attributes as documented");
    ok(strcmp(h_str(&h, "data.0.attributes.source"), "user") == 0 &&
           strcmp(h_str(&h, "data.0.attributes.status"), "succeeded") == 0 &&
           strcmp(h_str(&h, "data.0.attributes.time_zone"), "America/Denver") == 0 &&
           strcmp(h_str(&h, "data.0.attributes.occurred_at"), "2026-03-10T12:05:00Z") == 0 &&
           strcmp(h_str(&h, "data.0.attributes.publisher_id"), D(1)) == 0 &&
           strcmp(h_str(&h, "data.0.attributes.publisher_type"), "lock") == 0 &&
           cJSON_IsNull(h_get(h.body, "data.0.attributes.associated_resource_id")) &&
           cJSON_IsNull(h_get(h.body, "data.0.attributes.associated_resource_type")),
       "event source/status/zone/time/publisher");
    h_keys(h_get(h.body, "data.0.links"), keys, sizeof keys);
    ok(strcmp(keys, "self,publisher") == 0, "event links %s", keys);

    h_call(&h, "GET", "/notifications", NULL);
    ok(h_count(&h) == 5, "unlock created a notification");
    const cJSON *last = h_get(h.body, "data.4");
    ok(strcmp(cJSON_GetStringValue(h_get(last, "attributes.event_id")), event_id) == 0 &&
           strcmp(cJSON_GetStringValue(h_get(last, "attributes.subscriber_id")), SUBSCRIBER) == 0 &&
           strcmp(cJSON_GetStringValue(h_get(last, "attributes.subscriber_type")),
                  "webhook_notification_subscriber") == 0 &&
           strcmp(cJSON_GetStringValue(h_get(last, "attributes.publisher_id")), D(1)) == 0 &&
           strcmp(cJSON_GetStringValue(h_get(last, "attributes.event_type")), "unlocked_event") == 0,
       "notification names the event, the webhook subscriber and the lock");
    h_keys(h_get(last, "attributes"), keys, sizeof keys);
    ok(strcmp(keys, NOTIFICATION_KEYS) == 0, "notification attributes as documented");
    h_keys(h_get(last, "links"), keys, sizeof keys);
    ok(strcmp(keys, "self,subscriber,publisher,event") == 0, "notification links %s", keys);

    h.now = h_time("2026-03-10T12:06:00Z");
    h_call(&h, "PUT", "/devices/" D(3) "/lock", "{}");
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.state"), "locked") == 0, "lock Lodge Entrance");
    h_call(&h, "GET", "/events?type=locked_event", NULL);
    ok(strcmp(h_str(&h, "data.0.attributes.time_zone"), "Europe/Berlin") == 0 &&
           strcmp(h_str(&h, "data.0.attributes.occurred_at"), "2026-03-10T12:06:00Z") == 0 && h_count(&h) == 2,
       "locked_event in the lodge's time zone");

    h.now = h_time("2026-03-10T12:07:00Z");
    h_call(&h, "PUT", "/devices/" D(1) "/unlock/" P(2), "{\"pin\":\"1111\"}");
    ok(h.status == 200, "unlock for a current guest with access");
    h_call(&h, "GET", "/events", NULL);
    ok(strcmp(h_str(&h, "data.0.attributes.associated_resource_id"), P(2)) == 0 &&
           strcmp(h_str(&h, "data.0.attributes.associated_resource_type"), "access_guest") == 0 &&
           strcmp(h_str(&h, "data.0.links.associated_resource"), H_BASE "/access_persons/" P(2)) == 0,
       "the event names the guest");
    h_call(&h, "PUT", "/devices/" D(2) "/unlock/" P(1), NULL);
    ok(h.status == 200, "location grant covers the Pool Gate");
    static const char *const refused[] = {P(4), P(3), P(5), P(6), "nobody"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        char target[160];
        snprintf(target, sizeof target, "/devices/" D(1) "/unlock/%s", refused[i]);
        h_call(&h, "PUT", target, NULL);
        ok(h.status == 404 && strcmp(h_str(&h, "type"), "missing_access_person_device") == 0 &&
               cJSON_IsString(h_get(h.body, "message")),
           "no unlock for %s: documented 404", refused[i]);
    }
    h_call(&h, "GET", "/events?sort=occurred_at", NULL);
    ok(h_count(&h) == 8 && strcmp(h_str(&h, "data.0.id"), E(1)) == 0, "refused unlocks made no events; sort=occurred_at");
    h_call(&h, "GET", "/notifications?per_page=50", NULL);
    ok(h_count(&h) == 8, "one notification per event");
    h_free(&h);
}

/* Item 16: records made in the same second keep the list's direction:
 * newest first on a descending sort, oldest first on an ascending one. */
static void same_second_order(void)
{
    harness h;
    h_init(&h);
    h.now = h_time("2026-03-10T12:05:00Z");
    h_call(&h, "PUT", "/devices/" D(1) "/unlock", NULL);
    h_call(&h, "PUT", "/devices/" D(1) "/lock", NULL);
    h_call(&h, "GET", "/events", NULL);
    ok(strcmp(h_str(&h, "data.0.type"), "locked_event") == 0 &&
           strcmp(h_str(&h, "data.1.type"), "unlocked_event") == 0,
       "two events in one second: newest first (%s, %s)", h_str(&h, "data.0.type"),
       h_str(&h, "data.1.type"));
    h_call(&h, "GET", "/events?sort=occurred_at", NULL);
    ok(strcmp(h_str(&h, "data.4.type"), "unlocked_event") == 0 &&
           strcmp(h_str(&h, "data.5.type"), "locked_event") == 0,
       "sort=occurred_at: oldest first within the second too");
    h_call(&h, "GET", "/notifications?sort=-created_at", NULL);
    ok(strcmp(h_str(&h, "data.0.attributes.event_type"), "locked_event") == 0,
       "notifications sort=-created_at: the newest of one second first");
    h_free(&h);

    /* Fixture events of one second: created_at decides, then array order
     * (later in the fixture = newer, as records made through the API). */
    cJSON *fx = h_fixture_json();
    cJSON *events = cJSON_GetObjectItemCaseSensitive(fx, "events");
    cJSON_InsertItemInArray(events, 0, cJSON_Parse(
        "{\"id\":\"" E(5) "\",\"type\":\"locked_event\",\"publisher_id\":\"" D(2) "\","
        "\"occurred_at\":\"2026-03-10T09:30:00Z\",\"created_at\":\"2026-03-10T09:31:00Z\"}"));
    cJSON_AddItemToArray(events, cJSON_Parse(
        "{\"id\":\"" E(6) "\",\"type\":\"locked_event\",\"publisher_id\":\"" D(2) "\","
        "\"occurred_at\":\"2026-03-10T09:30:00Z\"}"));
    char err[256] = "";
    memset(&h, 0, sizeof h);
    h.store = sim_store_new();
    ok(h.store && sim_store_load(h.store, fx, err, sizeof err) == 0,
       "fixture with three events in one second loads %s", err);
    cJSON_Delete(fx);
    h.now = h_time("2026-03-10T12:00:00Z");
    h_call(&h, "GET", "/events", NULL);
    static const char *const newest[] = {E(5), E(6), E(4), E(3), E(2), E(1)};
    ok(h_ids(&h, newest, 6), "fixture ties: later created_at, then later in the array, first");
    h_call(&h, "GET", "/events?sort=occurred_at", NULL);
    static const char *const oldest[] = {E(1), E(2), E(3), E(4), E(6), E(5)};
    ok(h_ids(&h, oldest, 6), "... and the exact reverse on an ascending sort");
    h_free(&h);
}

static void reads(void)
{
    harness h;
    char keys[2048];
    h_init(&h);
    h_call(&h, "GET", "/events", NULL);
    static const char *const newest[] = {E(4), E(3), E(2), E(1)};
    ok(h.status == 200 && h_ids(&h, newest, 4), "fixture events, newest first");
    h_call(&h, "GET", "/events/" E(1), NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.method"), "pin") == 0 &&
           strcmp(h_str(&h, "data.attributes.pin"), "1002") == 0 &&
           strcmp(h_str(&h, "data.attributes.associated_resource_type"), "access_guest") == 0,
       "show an event");
    h_keys(h_get(h.body, "data.links"), keys, sizeof keys);
    ok(strcmp(keys, "self,publisher,associated_resource") == 0 &&
           strcmp(h_str(&h, "data.links.publisher"), H_BASE "/devices/" D(1)) == 0,
       "event links %s", keys);
    h_call(&h, "GET", "/events/nope", NULL);
    ok(h.status == 404, "unknown event: 404");
    h_call(&h, "GET", "/events?attributes[publisher_id]=" D(3), NULL);
    static const char *const lodge[] = {E(3)};
    ok(h_ids(&h, lodge, 1), "events filtered by publisher");

    h_call(&h, "GET", "/locations", NULL);
    static const char *const locs[] = {L(2), L(1)};
    ok(h.status == 200 && h_ids(&h, locs, 2), "locations sorted by name by default");
    h_keys(h_get(h.body, "data.0.attributes"), keys, sizeof keys);
    ok(strcmp(keys, LOCATION_KEYS) == 0, "location attributes as documented");
    h_call(&h, "GET", "/locations?sort=created_at", NULL);
    static const char *const locs_created[] = {L(1), L(2)};
    ok(h_ids(&h, locs_created, 2), "locations sort=created_at");
    h_call(&h, "GET", "/locations/" L(2), NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.time_zone"), "Europe/Berlin") == 0 &&
           strcmp(h_str(&h, "data.links.self"), H_BASE "/locations/" L(2)) == 0,
       "show a location");
    h_call(&h, "GET", "/locations/nope", NULL);
    ok(h.status == 404, "unknown location: 404");
    h_call(&h, "DELETE", "/locations/" L(1), NULL);
    ok(h.status == 422, "a location with devices cannot be deleted: 422");

    h_call(&h, "GET", "/notifications", NULL);
    static const char *const notes[] = {N(1), N(2), N(3), N(4)};
    ok(h.status == 200 && h_ids(&h, notes, 4), "fixture notifications");
    ok(strcmp(h_str(&h, "data.1.attributes.event_type"), "locked_event") == 0 &&
           strcmp(h_str(&h, "data.1.attributes.publisher_type"), "lock") == 0,
       "notification fields derived from the event");
    h_call(&h, "GET", "/notification_subscribers/" SUBSCRIBER, NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.type"), "webhook_notification_subscriber") == 0 &&
           strcmp(h_str(&h, "data.attributes.content_type"), "json") == 0,
       "the webhook subscriber");
    h_free(&h);
}

static void accesses(void)
{
    harness h;
    char keys[2048];
    h_init(&h);
    h_call(&h, "GET", "/access_persons/" P(1) "/accesses", NULL);
    static const char *const own[] = {A(1)};
    ok(h.status == 200 && h_ids(&h, own, 1), "Avery's accesses");
    h_keys(h_get(h.body, "data.0.attributes"), keys, sizeof keys);
    ok(strcmp(keys, ACCESS_KEYS_HEAD ACCESS_KEYS_TAIL) == 0, "access attributes as documented");
    h_keys(h_get(h.body, "data.0.links"), keys, sizeof keys);
    ok(strcmp(keys, "self,access_person,accessible") == 0, "access links %s", keys);
    ok(strcmp(h_str(&h, "data.0.type"), "access_person_access") == 0 &&
           h_num(&h, "data.0.attributes.devices_count") == 4 && /* not the porch light */
           strcmp(h_str(&h, "data.0.attributes.accessible_name"), "Harbor View") == 0 &&
           strcmp(h_str(&h, "data.0.attributes.access_person_type"), "access_user") == 0 &&
           strcmp(h_str(&h, "data.0.links.accessible"), H_BASE "/locations/" L(1)) == 0 &&
           strcmp(h_str(&h, "data.0.links.self"), H_BASE "/access_persons/" P(1) "/accesses/" A(1)) == 0,
       "location grant: four doors, name and links");
    h_call(&h, "GET", "/access_persons/" P(2) "/accesses/" A(2), NULL);
    ok(h.status == 200 && h_num(&h, "data.attributes.devices_count") == 1 &&
           strcmp(h_str(&h, "data.attributes.accessible_name"), "Front Door") == 0 &&
           strcmp(h_str(&h, "data.links.accessible"), H_BASE "/devices/" D(1)) == 0,
       "show a lock grant");
    h_call(&h, "GET", "/access_persons/" P(1) "/accesses/" A(2), NULL);
    ok(h.status == 404, "someone else's access: 404");
    h_call(&h, "GET", "/access_persons/nobody/accesses", NULL);
    ok(h.status == 404, "accesses of an unknown person: 404");

    h_call(&h, "POST", "/access_persons/" P(2) "/accesses",
           "{\"attributes\":{\"accessible_id\":\"" D(2) "\",\"accessible_type\":\"lock\","
           "\"guest_start_time\":\"14:00\",\"access_schedule_id\":\"52d02881-bcf5-4053-95fd-cd18b2d7e3c8\"}}");
    ok(h.status == 201 && strcmp(h_str(&h, "data.attributes.guest_start_time"), "14:00:00") == 0 &&
           cJSON_IsNull(h_get(h.body, "data.attributes.guest_end_time")),
       "grant: 201, guest_start_time as HH:MM:SS");
    h_keys(h_get(h.body, "data.attributes"), keys, sizeof keys);
    ok(strcmp(keys, ACCESS_KEYS_HEAD "access_schedule_id," ACCESS_KEYS_TAIL) == 0,
       "access_schedule_id appears once set");
    h_keys(h_get(h.body, "data.links"), keys, sizeof keys);
    ok(strcmp(keys, "self,access_schedule,access_person,accessible") == 0, "grant links %s", keys);
    char access_id[64];
    snprintf(access_id, sizeof access_id, "%s", h_str(&h, "data.id"));

    struct {
        const char *body, *attr, *what;
    } bad[] = {
        {"{\"attributes\":{\"accessible_id\":\"" D(2) "\",\"accessible_type\":\"lock\"}}", "accessible_id", "duplicate grant"},
        {"{\"attributes\":{\"accessible_id\":\"20000000-0000-4000-8000-0000000000ff\",\"accessible_type\":\"lock\"}}", "accessible", "unknown lock"},
        {"{\"attributes\":{\"accessible_id\":\"" D(1) "\",\"accessible_type\":\"zwave_lock\"}}", "accessible", "wrong device type"},
        {"{\"attributes\":{\"accessible_id\":\"nowhere\",\"accessible_type\":\"location\"}}", "accessible", "unknown location"},
        {"{\"attributes\":{\"accessible_id\":\"" D(1) "\",\"accessible_type\":\"garage\"}}", "accessible_type", "unknown type"},
        {"{\"attributes\":{\"accessible_id\":\"" D(1) "\"}}", "accessible_type", "missing type"},
        {"{\"attributes\":{\"accessible_type\":\"lock\"}}", "accessible_id", "missing id"},
        {"{\"attributes\":{\"accessible_id\":12,\"accessible_type\":\"lock\"}}", "accessible_id", "id a number"},
        {"{\"attributes\":{\"accessible_id\":\"" D(3) "\",\"accessible_type\":\"lock\",\"guest_end_time\":\"25:00\"}}", "guest_end_time", "hour 25"},
        {"{\"attributes\":{\"accessible_id\":\"" D(3) "\",\"accessible_type\":\"lock\",\"guest_start_time\":1400}}", "guest_start_time", "time a number"},
        {"{\"attributes\":{\"accessible_id\":\"" D(3) "\",\"accessible_type\":\"lock\",\"access_schedule_id\":{}}}", "access_schedule_id", "schedule an object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        h_call(&h, "POST", "/access_persons/" P(2) "/accesses", bad[i].body);
        ok(h_has_error(&h, bad[i].attr), "grant refused, %s: 422 on %s", bad[i].what, bad[i].attr);
    }
    h_call(&h, "POST", "/access_persons/" P(2) "/accesses", "{\"attributes\":7}");
    ok(h.status == 400, "grant with attributes a number: 400");
    h_call(&h, "GET", "/access_persons/" P(2) "/accesses", NULL);
    ok(h_count(&h) == 3, "refused grants added nothing");

    h_call(&h, "POST", "/access_persons/" P(2) "/accesses",
           "{\"attributes\":{\"accessible_id\":\"f0000000-0000-4000-8000-000000000002\",\"accessible_type\":\"door_group\"}}");
    ok(h.status == 201 && strcmp(h_str(&h, "data.attributes.accessible_name"), "Alpine Lodge Doors") == 0 &&
           strcmp(h_str(&h, "data.links.accessible"), H_BASE "/groups/f0000000-0000-4000-8000-000000000002") == 0,
       "a fixture door group can be granted (test_store_groups.c: unknown ones cannot)");

    char target[256];
    snprintf(target, sizeof target, "/access_persons/" P(2) "/accesses/%s", access_id);
    h_call(&h, "PUT", target, "{\"attributes\":{\"access_schedule_id\":\"13083046-93fe-4210-a386-d733c86f89b2\",\"accessible_type\":\"location\"}}");
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.access_schedule_id"), "13083046-93fe-4210-a386-d733c86f89b2") == 0 &&
           strcmp(h_str(&h, "data.attributes.accessible_type"), "lock") == 0,
       "update changes only the schedule");
    h_call(&h, "PUT", target, "{\"attributes\":{\"access_schedule_id\":5}}");
    ok(h_has_error(&h, "access_schedule_id"), "schedule a number: 422");
    h_call(&h, "PUT", target, "{\"attributes\":{\"access_schedule_id\":null}}");
    ok(h.status == 200 && !h_get(h.body, "data.attributes.access_schedule_id") &&
           !h_get(h.body, "data.links.access_schedule"),
       "clearing the schedule removes it from the response");
    h_call(&h, "DELETE", target, NULL);
    ok(h.status == 204 && !h.body, "revoke: 204");
    h_call(&h, "GET", target, NULL);
    ok(h.status == 404, "revoked access: 404");
    h_call(&h, "PUT", "/devices/" D(2) "/unlock/" P(2), NULL);
    ok(h.status == 404, "revoked grant no longer opens the Pool Gate");

    h_call(&h, "GET", "/devices/" D(1) "/access_person_accesses?attributes[access_person_type]=access_guest", NULL);
    ok(h.status == 200 && h_count(&h) == 4, "guest grants on the Front Door");
    h_call(&h, "GET", "/devices/" D(1) "/access_person_accesses?attributes[access_person_type]=access_user", NULL);
    static const char *const avery[] = {A(1)};
    ok(h.status == 200 && h_ids(&h, avery, 1), "Avery's location grant reaches the Front Door");
    h_free(&h);
}

/* A person with require_pin_verification must send the PIN (fixture-only
 * attribute: the API does not accept it as a parameter). */
static void pin_verification(void)
{
    harness h;
    char err[256] = "";
    h_init(&h);
    cJSON *fx = h_fixture_json();
    cJSON *casey = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(fx, "access_persons"), 1);
    cJSON_AddTrueToObject(casey, "require_pin_verification");
    ok(sim_store_load(h.store, fx, err, sizeof err) == 0, "fixture with require_pin_verification loads %s", err);
    cJSON_Delete(fx);
    h_call(&h, "PUT", "/devices/" D(1) "/unlock/" P(2), NULL);
    ok(h_has_error(&h, "pin"), "no PIN: 422 on pin");
    h_call(&h, "PUT", "/devices/" D(1) "/unlock/" P(2), "{\"pin\":\"9999\"}");
    ok(h_has_error(&h, "pin"), "wrong PIN: 422 on pin");
    h_call(&h, "GET", "/devices/" D(1), NULL);
    ok(strcmp(h_str(&h, "data.attributes.state"), "locked") == 0, "refused unlocks leave the door locked");
    h_call(&h, "PUT", "/devices/" D(1) "/unlock/" P(2), "{\"pin\":\"1002\"}");
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.state"), "unlocked") == 0, "right PIN unlocks");
    h_free(&h);
}

int main(void)
{
    devices();
    pin_verification();
    lock_unlock();
    reads();
    same_second_order();
    accesses();
    return tap_done();
}
