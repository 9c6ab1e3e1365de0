/* Fixture loading: the default fixture's facts, validation of broken
 * fixtures, and that a refused fixture leaves the store as it was. */
#include "test_store_harness.h"

static cJSON *base_fixture;

/* The default fixture with section[index].key set to json (deleted when
 * json is NULL). */
static cJSON *mutate(const char *section, int index, const char *key, const char *json)
{
    cJSON *fx = cJSON_Duplicate(base_fixture, 1);
    cJSON *rec = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(fx, section), index);
    if (!rec) {
        fprintf(stderr, "test bug: no %s[%d]\n", section, index);
        exit(2);
    }
    cJSON_DeleteItemFromObjectCaseSensitive(rec, key);
    if (json)
        cJSON_AddItemToObject(rec, key, cJSON_Parse(json));
    return fx;
}

static cJSON *top(const char *key, const char *json)
{
    cJSON *fx = cJSON_Duplicate(base_fixture, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(fx, key);
    if (json)
        cJSON_AddItemToObject(fx, key, cJSON_Parse(json));
    return fx;
}

/* The store answers with the data it had before: Front Door unlocked by
 * the test, three people in the default list, two locations. */
static int unchanged(harness *h)
{
    h_call(h, "GET", "/devices/" D(1), NULL);
    int door = strcmp(h_str(h, "data.attributes.state"), "unlocked") == 0;
    h_call(h, "GET", "/access_persons", NULL);
    int people = h_count(h) == 3;
    h_call(h, "GET", "/locations", NULL);
    return door && people && h_count(h) == 2;
}

/* The load fails, the message mentions expect, the store is unchanged. */
static void refused_because(harness *h, cJSON *fx, const char *what, const char *expect)
{
    char err[256] = "";
    int rc = sim_store_load(h->store, fx, err, sizeof err);
    ok(rc == -1 && strstr(err, expect) && unchanged(h), "refused: %s (%s)", what, err);
    cJSON_Delete(fx);
}

static void refused(harness *h, cJSON *fx, const char *what)
{
    refused_because(h, fx, what, "fixture");
}

int main(void)
{
    harness h;
    char err[256];
    h_init(&h);
    base_fixture = h_fixture_json();
    ok(base_fixture != NULL, "default fixture parses");

    h_call(&h, "GET", "/access_persons?type[]=access_user&type[]=access_guest&attributes[status][]=current&"
           "attributes[status][]=upcoming&attributes[status][]=expired&attributes[status][]=deactivated", NULL);
    ok(h_count(&h) == 6, "six access persons");
    h_call(&h, "GET", "/devices?type=lock", NULL);
    ok(h_count(&h) == 3, "three locks");
    h_call(&h, "GET", "/access_persons/" P(5), NULL);
    ok(strcmp(h_str(&h, "data.attributes.status"), "deactivated") == 0, "Dana is deactivated");
    h_call(&h, "GET", "/notification_subscribers", NULL);
    ok(h_count(&h) == 3 && strcmp(h_str(&h, "data.0.id"), SUBSCRIBER) == 0,
       "three subscribers, the webhook first");

    h_call(&h, "PUT", "/devices/" D(1) "/unlock", NULL);
    ok(h.status == 200 && unchanged(&h), "baseline: Front Door unlocked");

    ok(sim_store_load(h.store, NULL, err, sizeof err) == -1 && unchanged(&h), "NULL fixture refused");
    refused(&h, cJSON_CreateArray(), "document is an array");
    refused(&h, top("time_zone", "\"Mars/Olympus_Mons\""), "unknown account time zone");
    refused(&h, top("time_zone", "\"../../etc/passwd\""), "time zone path traversal");
    refused(&h, top("locations", "{}"), "locations not an array");
    refused(&h, top("devices", "[1]"), "device not an object");
    refused(&h, mutate("locations", 0, "name", NULL), "location without name");
    refused(&h, mutate("locations", 1, "time_zone", "\"Europe/Atlantis\""), "unknown location time zone");
    refused(&h, mutate("locations", 0, "name", "5"), "location name a number");
    refused(&h, mutate("locations", 0, "nmae", "\"typo\""), "unknown attribute");
    refused(&h, mutate("locations", 0, "created_at", "\"yesterday\""), "created_at not a timestamp");
    refused(&h, mutate("devices", 0, "location_id", "\"10000000-0000-4000-8000-0000000000ff\""), "device at unknown location");
    refused(&h, mutate("devices", 0, "type", "\"thermostat\""), "unsupported device type");
    refused_because(&h, mutate("notifications", 1, "id", "\"" N(1) "\""), "duplicate id", "duplicate id");
    refused_because(&h, mutate("notifications", 1, "id", "\"" D(1) "\""), "id shared across collections",
                    "duplicate id");
    refused_because(&h, mutate("devices", 0, "location_id", "\"10000000-0000-4000-8000-0000000000ff\""),
                    "message names the record", "devices[0]");
    refused(&h, mutate("devices", 0, "id", NULL), "record without id");
    refused(&h, mutate("devices", 0, "location_name", "\"x\""), "computed attribute given");
    refused(&h, mutate("access_persons", 0, "type", NULL), "person without type");
    refused(&h, mutate("access_persons", 1, "starts_at", NULL), "guest without starts_at");
    refused(&h, mutate("access_persons", 1, "ends_at", "\"2026-03-01T00:00:00\""), "guest ending before it starts");
    refused(&h, mutate("access_persons", 1, "starts_at", "\"2026-13-40T99:00:00\""), "guest with an invalid date");
    refused(&h, mutate("access_persons", 4, "deactivated", "\"yes\""), "deactivated not a boolean");
    refused(&h, mutate("access_persons", 0, "status", "\"current\""), "status given (it is derived)");
    refused(&h, mutate("accesses", 0, "access_person_id", "\"nobody\""), "access of an unknown person");
    refused(&h, mutate("accesses", 1, "accessible_id", "\"nothing\""), "access to an unknown lock");
    refused(&h, mutate("accesses", 1, "accessible_type", "\"garage\""), "access to an unknown type");
    refused(&h, mutate("accesses", 1, "guest_start_time", "\"9am\""), "bad guest_start_time");
    refused(&h, mutate("events", 0, "publisher_id", "\"" P(1) "\""), "event published by a person");
    refused(&h, mutate("events", 0, "occurred_at", "\"2026-03-08 22:15\""), "event time not UTC ISO 8601");
    refused(&h, mutate("events", 0, "associated_resource_id", "\"nobody\""), "event of an unknown person");
    refused(&h, mutate("events", 0, "publisher_type", "\"lock\""), "derived event attribute given");
    refused(&h, mutate("events", 0, "type", "\"door_opened_event\""), "unsupported event type");
    refused(&h, mutate("notifications", 0, "event_id", "\"nothing\""), "notification of an unknown event");
    refused(&h, mutate("notifications", 0, "subscriber_id", "\"nobody\""), "notification to an unknown subscriber");
    refused(&h, mutate("notification_subscribers", 0, "type", "\"carrier_pigeon\""), "unknown subscriber type");
    char long_id[200];
    memset(long_id, 'x', sizeof long_id - 3);
    long_id[0] = '"';
    long_id[sizeof long_id - 3] = '"';
    long_id[sizeof long_id - 2] = '\0';
    refused(&h, mutate("locations", 0, "id", long_id), "id too long");

    /* An empty fixture is valid: no resources at all. */
    cJSON *empty = cJSON_CreateObject();
    ok(sim_store_load(h.store, empty, err, sizeof err) == 0, "empty fixture loads");
    cJSON_Delete(empty);
    h_call(&h, "GET", "/devices", NULL);
    ok(h.status == 200 && h_count(&h) == 0 && h_num(&h, "meta.total_count") == 0, "no devices then");
    h_call(&h, "GET", "/devices/" D(1), NULL);
    ok(h.status == 404, "fixture device gone");

    /* Reloading restores the data and the id sequence (reproducible runs). */
    const char *user = "{\"type\":\"access_user\",\"attributes\":{\"name\":\"N\",\"pin\":\"7777\"}}";
    ok(sim_store_load(h.store, base_fixture, err, sizeof err) == 0, "default fixture reloads");
    h_call(&h, "POST", "/access_persons", user);
    char first[64];
    snprintf(first, sizeof first, "%s", h_str(&h, "data.id"));
    ok(sim_store_load(h.store, base_fixture, err, sizeof err) == 0, "reload again");
    h_call(&h, "GET", "/devices/" D(1), NULL);
    ok(strcmp(h_str(&h, "data.attributes.state"), "locked") == 0, "reload resets device state");
    h_call(&h, "POST", "/access_persons", user);
    ok(h.status == 201 && strcmp(h_str(&h, "data.id"), first) == 0, "same id after reload (%s)", first);

    /* Defensive entry points. */
    sim_response res = {.status = 7};
    ok(sim_resources_handle(h.store, NULL, &res) == 0 && res.body == NULL, "NULL request is not a route");
    sim_request req = {.path = "/devices", .base_url = H_BASE, .now = h.now};
    ok(sim_resources_handle(h.store, &req, &res) == 0, "request without method is not a route");
    ok(sim_store_load(h.store, base_fixture, NULL, 0) == 0, "load without an error buffer");
    sim_store_free(NULL);
    ok(1, "sim_store_free(NULL) is harmless");

    cJSON_Delete(base_fixture);
    h_free(&h);
    return tap_done();
}
