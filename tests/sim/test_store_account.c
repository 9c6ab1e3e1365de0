/* The account, the signed-in user, location writes and the hardware
 * catalogues (brands, models and their capability filters, ReadyPIN
 * models, Schlage Engage smart cards) through the resource boundary. */
#include "test_store_harness.h"

#define ACCOUNT "90000000-0000-4000-8000-000000000001"
#define USER "91000000-0000-4000-8000-000000000001"
#define BRAND(n) "81000000-0000-4000-8000-00000000000" #n
#define MODEL(n) "80000000-0000-4000-8000-00000000000" #n

static void account_and_user(void)
{
    harness h;
    char keys[512];
    h_init(&h);
    h_call(&h, "GET", "/account", NULL);
    h_keys(h_get(h.body, "data.attributes"), keys, sizeof keys);
    ok(h.status == 200 && strcmp(h_str(&h, "data.id"), ACCOUNT) == 0 &&
           strcmp(keys, "name,created_at,updated_at,default_guest_start_time,"
                        "default_guest_end_time,rental_guest_time_override,"
                        "guest_management_enabled,primary_owner_id,owner_role_id") == 0,
       "GET /account: the one account, documented keys (%s)", keys);
    ok(strcmp(h_str(&h, "data.links.self"), H_BASE "/account") == 0 &&
           strcmp(h_str(&h, "data.links.primary_owner"), H_BASE "/user") == 0 &&
           strcmp(h_str(&h, "data.links.owner_role"),
                  H_BASE "/roles/92000000-0000-4000-8000-000000000001") == 0,
       "singleton links carry no id; the role keeps its id");
    h_call(&h, "PUT", "/account",
           "{\"attributes\":{\"default_guest_start_time\":\"15:30\",\"name\":\"Renamed\","
           "\"guest_management_enabled\":true}}");
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.default_guest_start_time"),
                                 "15:30:00") == 0 &&
           strcmp(h_str(&h, "data.attributes.name"), "Renamed") == 0 &&
           cJSON_IsFalse(h_get(h.body, "data.attributes.guest_management_enabled")) &&
           strcmp(h_str(&h, "data.attributes.updated_at"), "2026-03-10T12:00:00Z") == 0,
       "PUT /account: times normalised, name set, undocumented input ignored");
    h_call(&h, "PUT", "/account", "{\"attributes\":{\"default_guest_end_time\":\"25:00\"}}");
    ok(h_has_error(&h, "default_guest_end_time"), "a bad time: 422 on the attribute");
    h_call(&h, "PUT", "/account", "{\"attributes\":{\"name\":\"\"}}");
    ok(h_has_error(&h, "name"), "a blank name: 422");
    h_call(&h, "GET", "/account", NULL);
    ok(strcmp(h_str(&h, "data.attributes.name"), "Renamed") == 0 &&
           strcmp(h_str(&h, "data.attributes.default_guest_end_time"), "11:00:00") == 0,
       "refused updates changed nothing");
    int routed = h_call(&h, "GET", "/account/" ACCOUNT, NULL);
    ok(routed == 0, "a singleton has no member path: no route (the HTTP side's 404)");
    h_call(&h, "POST", "/account", "{}");
    ok(h.status == 404, "POST /account: 404");
    h_call(&h, "DELETE", "/account", NULL);
    ok(h.status == 404, "DELETE /account: 404");

    h_call(&h, "GET", "/user", NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.id"), USER) == 0 &&
           strcmp(h_str(&h, "data.attributes.primary_account_id"), ACCOUNT) == 0 &&
           strcmp(h_str(&h, "data.attributes.default_account_id"), ACCOUNT) == 0 &&
           strcmp(h_str(&h, "data.links.primary_account"), H_BASE "/account") == 0 &&
           strcmp(h_str(&h, "data.links.self"), H_BASE "/user") == 0,
       "GET /user: the signed-in user, linked to the account");
    h_call(&h, "PUT", "/user", "{\"attributes\":{\"name\":\"x\"}}");
    ok(h.status == 404, "the user is read only: PUT 404");
    h_free(&h);
}

static void locations(void)
{
    harness h;
    h_init(&h);
    h_call(&h, "POST", "/locations",
           "{\"attributes\":{\"name\":\"Dune Cabin\",\"address_2\":\"Unit 4\","
           "\"time_zone\":\"America/Los_Angeles\",\"country\":\"US\"}}");
    char id[64];
    snprintf(id, sizeof id, "%s", h_str(&h, "data.id"));
    ok(h.status == 201 && strcmp(h_str(&h, "data.attributes.address2"), "Unit 4") == 0 &&
           strcmp(h_str(&h, "data.attributes.time_zone"), "America/Los_Angeles") == 0,
       "create a location (address_2 is taken as address2)");
    h_call(&h, "POST", "/locations", "{\"attributes\":{\"name\":\"No zone\"}}");
    ok(h_has_error(&h, "time_zone"), "time_zone is required");
    h_call(&h, "POST", "/locations",
           "{\"attributes\":{\"name\":\"Mars\",\"time_zone\":\"Mars/Olympus\"}}");
    ok(h_has_error(&h, "time_zone"), "an unknown time zone: 422");
    h_call(&h, "POST", "/locations", "{\"attributes\":{\"time_zone\":\"UTC\"}}");
    ok(h_has_error(&h, "name"), "name is required");

    char path[128];
    snprintf(path, sizeof path, "/locations/%s", id);
    h_call(&h, "PUT", path, "{\"attributes\":{\"name\":\"Dune Cabin East\"}}");
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.name"), "Dune Cabin East") == 0,
       "update a location");
    h_call(&h, "PUT", path, "{\"attributes\":{\"time_zone\":\"Nowhere\"}}");
    ok(h_has_error(&h, "time_zone"), "update to an unknown zone: 422");

    /* A location's grants and subscriptions go with it. */
    char body[512];
    snprintf(body, sizeof body,
             "{\"attributes\":{\"accessible_type\":\"location\",\"accessible_id\":\"%s\"}}", id);
    h_call(&h, "POST", "/access_persons/" P(1) "/accesses", body);
    ok(h.status == 201, "grant on the new location");
    snprintf(body, sizeof body,
             "{\"attributes\":{\"events\":[{\"event_type\":\"unlocked\"}],"
             "\"subscriber_type\":\"webhook_notification_subscriber\",\"subscriber_id\":\"%s\","
             "\"publisher_type\":\"location\",\"publisher_id\":\"%s\"}}",
             SUBSCRIBER, id);
    h_call(&h, "POST", "/notification_subscriptions", body);
    ok(h.status == 201, "subscription to the new location");
    h_call(&h, "DELETE", path, NULL);
    ok(h.status == 204 && h.body == NULL, "delete the location: 204");
    h_call(&h, "GET", path, NULL);
    ok(h.status == 404, "then it is gone");
    h_call(&h, "GET", "/access_persons/" P(1) "/accesses", NULL);
    ok(h_count(&h) == 1, "its grant went with it");
    h_call(&h, "GET", "/notification_subscriptions", NULL);
    ok(h_count(&h) == 3, "its subscription went with it");

    h_call(&h, "DELETE", "/locations/" L(1), NULL);
    ok(h_has_error(&h, NULL), "a location with devices: 422");
    h_call(&h, "GET", "/devices/" D(1), NULL);
    ok(strcmp(h_str(&h, "data.attributes.location_id"), L(1)) == 0,
       "the refused delete left the device its location");
    h_free(&h);
}

static void catalogues(void)
{
    harness h;
    char keys[512];
    h_init(&h);
    h_call(&h, "GET", "/brands", NULL);
    ok(h.status == 200 && h_count(&h) == 2 &&
           strcmp(h_str(&h, "data.0.attributes.uuid"), BRAND(1)) == 0,
       "brands: uuid repeats the id");
    h_call(&h, "GET", "/brands/" BRAND(2) "/models", NULL);
    ok(h.status == 200 && h_count(&h) == 1 &&
           strcmp(h_str(&h, "data.0.id"), MODEL(4)) == 0 &&
           strcmp(h_str(&h, "data.0.links.self"), H_BASE "/models/" MODEL(4)) == 0,
       "a brand's models, linked as models");
    ok(strcmp(h_str(&h, "data.0.attributes.vendor"), "schlage") == 0,
       "listed under their brand, models show its vendor");
    h_call(&h, "GET", "/brands/invalid_uuid/models", NULL);
    char *text = h.body ? cJSON_PrintUnformatted(h.body) : NULL;
    ok(h.status == 404 && text && strcmp(text, "{\"error\":\"brand not found\"}") == 0,
       "unknown brand: the documented 404 body (%s)", text ? text : "none");
    free(text);

    h_call(&h, "GET", "/models/" MODEL(3), NULL);
    h_keys(h_get(h.body, "data.attributes"), keys, sizeof keys);
    ok(h.status == 200 && strcmp(keys, "name,number,type,capabilities") == 0 &&
           strcmp(h_str(&h, "data.attributes.type"), "resort_lock") == 0 &&
           cJSON_IsFalse(h_get(h.body, "data.attributes.capabilities.connected")),
       "a model: its device type as type, no hidden keys, no vendor (%s)", keys);
    h_call(&h, "GET", "/models?capabilities[prox_card_credential]=true", NULL);
    ok(h.status == 200 && h_count(&h) == 1 && strcmp(h_str(&h, "data.0.id"), MODEL(2)) == 0,
       "capability filter: the one prox card model");
    h_call(&h, "GET",
           "/models?capabilities[pin_credential]=true&capabilities[connected]=true&sort=-number",
           NULL);
    static const char *const pin[] = {MODEL(1), MODEL(2), MODEL(4)};
    ok(h_ids(&h, pin, 3), "two capability filters and a sort");
    h_call(&h, "GET", "/models?capabilities[teleport]=true", NULL);
    ok(h.status == 200 && h_count(&h) == 0, "an unknown capability matches nothing");
    h_call(&h, "GET", "/models?capabilities[x", NULL);
    ok(h.status == 400, "a malformed capabilities key: 400");
    h_call(&h, "GET", "/models?per_page=2", NULL);
    ok(h.status == 200 && h_count(&h) == 2 && h_num(&h, "meta.total_count") == 8,
       "models page as any collection");

    h_call(&h, "GET", "/ready_pin_models", NULL);
    h_keys(h_get(h.body, "data.0.attributes"), keys, sizeof keys);
    ok(h.status == 200 && h_count(&h) == 2 &&
           strcmp(keys, "has_long_mode,long_mode_hint,long_mode_interval,max_duration,"
                        "has_hourly_granularity,name,long_mode_start_hour,long_mode_end_hour,"
                        "created_at,updated_at") == 0,
       "ReadyPIN models (%s)", keys);

    h_call(&h, "GET", "/connector_brands/schlage-engage/smart-cards", NULL);
    h_keys(h_get(h.body, "data.0"), keys, sizeof keys);
    ok(h.status == 200 && h_count(&h) == 2 && cJSON_IsNumber(h_get(h.body, "data.0.id")) &&
           strcmp(keys, "id,badge,card_format,location_id,created_at,updated_at") == 0 &&
           !h_get(h.body, "meta"),
       "smart cards: plain objects with numeric ids, no meta (%s)", keys);
    h_call(&h, "GET", "/connector_brands/schlage-engage/smart-cards?location_id=" L(2), NULL);
    ok(h_count(&h) == 1 && strcmp(h_str(&h, "data.0.badge"), "23") == 0,
       "smart cards of one location");
    h_call(&h, "POST", "/connector_brands/schlage-engage/smart-cards", "{}");
    ok(h.status == 404, "smart cards are read only");
    h_free(&h);
}

static void refused(const char *section, int index, const char *key, const char *json,
                    const char *what)
{
    harness h;
    char err[256] = "";
    h_init(&h);
    cJSON *fx = h_fixture_json();
    cJSON *rec = cJSON_GetArrayItem(cJSON_GetObjectItem(fx, section), index);
    cJSON_DeleteItemFromObject(rec, key);
    if (json)
        cJSON_AddItemToObject(rec, key, cJSON_Parse(json));
    ok(sim_store_load(h.store, fx, err, sizeof err) == -1, "fixture refused: %s (%s)", what, err);
    cJSON_Delete(fx);
    h_free(&h);
}

/* A singleton row takes one record: a second account is refused. */
static void two_accounts(void)
{
    harness h;
    char err[256] = "";
    h_init(&h);
    cJSON *fx = h_fixture_json();
    cJSON *accounts = cJSON_GetObjectItem(fx, "account");
    cJSON *second = cJSON_Duplicate(cJSON_GetArrayItem(accounts, 0), 1);
    cJSON_ReplaceItemInObject(second, "id", cJSON_CreateString("second-account"));
    cJSON_AddItemToArray(accounts, second);
    ok(sim_store_load(h.store, fx, err, sizeof err) == -1 && strstr(err, "one account"),
       "fixture refused: two accounts (%s)", err);
    cJSON_Delete(fx);
    h_free(&h);
}

int main(void)
{
    account_and_user();
    locations();
    catalogues();
    refused("models", 0, "device_type", NULL, "model without device_type");
    two_accounts();
    refused("models", 0, "brand_id", "\"nobody\"", "model of an unknown brand");
    refused("models", 0, "capabilities", "[]", "capabilities not an object");
    refused("connector_brands/schlage-engage/smart-cards", 0, "location_id", "\"nowhere\"",
            "smart card of an unknown location");
    return tap_done();
}
