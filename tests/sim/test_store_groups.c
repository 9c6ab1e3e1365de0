/* Door groups through the resource boundary: the groups, their items
 * (current API) and doors (LockState v1 only), duplicates (409), grants
 * to a group, what a delete takes with it, and the accesses CSV. */
#include "test_store_harness.h"

#define G(n) "f0000000-0000-4000-8000-00000000000" #n
#define ITEM(n) "f1000000-0000-4000-8000-00000000000" #n
#define DOOR(n) "f2000000-0000-4000-8000-00000000000" #n

static void groups_and_items(void)
{
    harness h;
    char keys[256];
    h_init(&h);
    h_call(&h, "GET", "/groups?sort=-name", NULL);
    static const char *const by_name[] = {G(1), G(2)};
    ok(h.status == 200 && h_ids(&h, by_name, 2), "groups sorted by -name");
    h_call(&h, "GET", "/groups/" G(1) "/items", NULL);
    h_keys(h_get(h.body, "data.0.attributes"), keys, sizeof keys);
    ok(h.status == 200 && h_count(&h) == 2 &&
           strcmp(keys, "created_at,updated_at,item_id,item_type,door_group_id") == 0 &&
           strcmp(h_str(&h, "data.0.links.item"), H_BASE "/devices/" D(1)) == 0 &&
           strcmp(h_str(&h, "data.0.links.door_group"), H_BASE "/groups/" G(1)) == 0 &&
           strcmp(h_str(&h, "data.0.links.self"),
                  H_BASE "/groups/" G(1) "/items/" ITEM(1)) == 0,
       "a group's items as documented (%s)", keys);
    h_call(&h, "POST", "/groups/" G(2) "/items",
           "{\"attributes\":{\"item_type\":\"door_group\",\"item_id\":\"" G(1) "\"}}");
    ok(h.status == 201, "a group inside a group");
    h_call(&h, "GET", "/groups/" G(2) "/items?attributes[item_type]=door_group", NULL);
    ok(h_count(&h) == 1 && strcmp(h_str(&h, "data.0.links.item"), H_BASE "/groups/" G(1)) == 0,
       "filtered by item_type, linked as a group");
    h_call(&h, "GET", "/groups/" G(2) "/items/" ITEM(1), NULL);
    ok(h.status == 404, "an item of another group: 404");

    h_call(&h, "POST", "/groups/" G(1) "/items",
           "{\"attributes\":{\"item_type\":\"door_group\",\"item_id\":\"" G(2) "\"}}");
    ok(h_has_error(&h, "item"), "a group holding its holder (a cycle): 422");
    h_call(&h, "POST", "/groups/" G(1) "/items",
           "{\"attributes\":{\"item_type\":\"lock\",\"item_id\":\"" D(3) "\"}}");
    ok(h.status == 201 && strcmp(h_str(&h, "data.attributes.door_group_id"), G(1)) == 0,
       "add a lock to a group");
    h_call(&h, "POST", "/groups/" G(1) "/items",
           "{\"attributes\":{\"item_type\":\"lock\",\"item_id\":\"" D(3) "\"}}");
    ok(h.status == 409 && strcmp(h_str(&h, "message"), "Duplicate resource") == 0,
       "the same lock again: 409");
    static const struct {
        const char *body, *attr, *what;
    } bad[] = {
        {"{\"attributes\":{\"item_type\":\"lock\",\"item_id\":\"nothing\"}}", "item",
         "an unknown lock"},
        {"{\"attributes\":{\"item_type\":\"lock\",\"item_id\":\"" L(1) "\"}}", "item",
         "a location id as a lock"},
        {"{\"attributes\":{\"item_type\":\"location\",\"item_id\":\"" L(1) "\"}}", "item_type",
         "a location (no door)"},
        {"{\"attributes\":{\"item_type\":\"door_group\",\"item_id\":\"" G(1) "\"}}", "item",
         "the group itself"},
        {"{\"attributes\":{\"item_id\":\"" D(2) "\"}}", "item_type", "no item type"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        h_call(&h, "POST", "/groups/" G(1) "/items", bad[i].body);
        ok(h_has_error(&h, bad[i].attr), "refused, %s: 422 on %s", bad[i].what, bad[i].attr);
    }
    h_call(&h, "POST", "/groups/nobody/items",
           "{\"attributes\":{\"item_type\":\"lock\",\"item_id\":\"" D(3) "\"}}");
    ok(h.status == 404, "items of an unknown group: 404");
    h_call(&h, "PUT", "/groups/" G(1) "/items/" ITEM(1), "{\"attributes\":{}}");
    ok(h.status == 404, "items take no update: 404");
    h_call(&h, "DELETE", "/groups/" G(1) "/items/" ITEM(2), NULL);
    ok(h.status == 204, "remove an item");
    h_call(&h, "GET", "/groups/" G(1) "/items", NULL);
    ok(h_count(&h) == 2, "two items now");

    h_call(&h, "POST", "/groups", "{\"type\":\"door_group\",\"attributes\":{}}");
    ok(h_has_error(&h, "name"), "a group needs a name");
    h_call(&h, "PUT", "/groups/" G(2), "{\"attributes\":{\"name\":\"Entrances\"}}");
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.name"), "Entrances") == 0,
       "rename a group");

    /* Deleting a group takes its items, its grants and its place in
     * other groups. */
    h_call(&h, "POST", "/access_persons/" P(3) "/accesses",
           "{\"attributes\":{\"accessible_type\":\"door_group\",\"accessible_id\":\"" G(1) "\"}}");
    ok(h.status == 201, "a grant to the group");
    h_call(&h, "DELETE", "/groups/" G(1), NULL);
    ok(h.status == 204, "delete a group");
    h_call(&h, "GET", "/groups/" G(1) "/items/" ITEM(1), NULL);
    ok(h.status == 404, "its items are gone");
    h_call(&h, "GET", "/access_persons/" P(3) "/accesses", NULL);
    ok(h_count(&h) == 1, "the grant to it is gone");
    h_call(&h, "GET", "/groups/" G(2) "/items", NULL);
    ok(h_count(&h) == 1, "it left the group that held it");
    h_free(&h);
}

static void v1_doors(void)
{
    harness h;
    char keys[256];
    h_init(&h);
    ok(h_call(&h, "GET", "/groups/" G(1) "/doors", NULL) == 0,
       "doors are a LockState v1 route: no route on the current API (HTTP 404)");
    h.flavour = SIM_FLAVOUR_V1;
    h_call(&h, "GET", "/groups/" G(1) "/doors?attributes[door_type]=lock", NULL);
    h_keys(h_get(h.body, "data.0.attributes"), keys, sizeof keys);
    ok(h.status == 200 && h_count(&h) == 2 && strcmp(h_str(&h, "data.0.type"), "door_group_door") == 0 &&
           strcmp(keys, "created_at,updated_at,door_id,door_type,door_group_id") == 0 &&
           strcmp(h_str(&h, "data.0.links.door"), H_BASE "/devices/" D(1)) == 0,
       "v1: a group's doors (%s)", keys);
    ok(h_call(&h, "GET", "/groups/" G(1) "/items", NULL) == 0, "v1 has no items route");
    h_call(&h, "POST", "/groups/" G(1) "/doors",
           "{\"attributes\":{\"door_type\":\"lock\",\"door_id\":\"" D(2) "\"}}");
    ok(h.status == 409, "v1: a door the group has: 409");
    h_call(&h, "POST", "/groups/" G(1) "/doors",
           "{\"attributes\":{\"door_type\":\"lock\",\"door_id\":\"" D(3) "\"}}");
    ok(h.status == 201 && strcmp(h_str(&h, "data.attributes.door_id"), D(3)) == 0, "v1: add a door");
    h_call(&h, "DELETE", "/groups/" G(1) "/doors/" DOOR(1), NULL);
    ok(h.status == 204, "v1: remove a door");
    h_call(&h, "GET", "/groups", NULL);
    ok(h.status == 200 && h_count(&h) == 2, "v1: the groups themselves");
    h_free(&h);
}

static void grants(void)
{
    harness h;
    h_init(&h);
    h_call(&h, "GET", "/access_persons/" P(4) "/accesses/" A(7), NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.accessible_name"),
                                 "Alpine Lodge Doors") == 0 &&
           strcmp(h_str(&h, "data.links.accessible"), H_BASE "/groups/" G(2)) == 0,
       "a grant to a group names and links it");
    ok(h_num(&h, "data.attributes.devices_count") == 1, "it reaches the group's one lock");
    h_call(&h, "POST", "/groups/" G(2) "/items",
           "{\"attributes\":{\"item_type\":\"door_group\",\"item_id\":\"" G(1) "\"}}");
    h_call(&h, "GET", "/access_persons/" P(4) "/accesses/" A(7), NULL);
    ok(h_num(&h, "data.attributes.devices_count") == 3,
       "and, once Harbor View Doors is inside, its two locks too (%g)",
       h_num(&h, "data.attributes.devices_count"));
    h_call(&h, "GET", "/devices/" D(2) "/access_person_accesses", NULL);
    int found = 0;
    for (int i = 0; i < h_count(&h); i++) {
        char key[32];
        snprintf(key, sizeof key, "data.%d.id", i);
        found |= strcmp(h_str(&h, key), A(7)) == 0;
    }
    ok(found, "the Pool Gate lists the grant through the nested group");
    h_call(&h, "POST", "/access_persons/" P(3) "/accesses",
           "{\"attributes\":{\"accessible_type\":\"door_group\",\"accessible_id\":\"nothing\"}}");
    ok(h_has_error(&h, "accessible"), "a grant to an unknown group: 422");
    h_call(&h, "POST", "/access_persons/" P(3) "/accesses",
           "{\"attributes\":{\"accessible_type\":\"door_group\",\"accessible_id\":\"" G(1) "\"}}");
    ok(h.status == 201, "a grant to a fixture group");
    h_free(&h);
}

/* A guest whose only grant is a door group lives in the zone of the
 * group's doors: at 12:00Z a stay from 10:00 has begun in Berlin (13:00)
 * but not in Denver (06:00), the account's zone. */
static void group_zone(void)
{
    harness h;
    h_init(&h);
    h_call(&h, "POST", "/access_persons",
           "{\"type\":\"access_guest\",\"attributes\":{\"name\":\"Gita\",\"pin\":\"5151\","
           "\"starts_at\":\"2026-03-10T10:00:00\",\"ends_at\":\"2026-03-12T10:00:00\"}}");
    char path[128];
    snprintf(path, sizeof path, "/access_persons/%s", h_str(&h, "data.id"));
    ok(h.status == 201 && strcmp(h_str(&h, "data.attributes.status"), "upcoming") == 0,
       "without grants: the account's zone, upcoming");
    char grants[160];
    snprintf(grants, sizeof grants, "%s/accesses", path);
    h_call(&h, "POST", grants,
           "{\"attributes\":{\"accessible_type\":\"door_group\",\"accessible_id\":\"" G(2) "\"}}");
    h_call(&h, "GET", path, NULL);
    ok(strcmp(h_str(&h, "data.attributes.status"), "current") == 0,
       "granted the Alpine Lodge doors: Berlin time, current");
    h_free(&h);
}

/* The CSV's exact bytes: a header, then a row per grant to the group. */
static void accesses_csv(void)
{
    harness h;
    h_init(&h);
    h_call(&h, "GET", "/groups/" G(2) "/door_group_accesses/search.csv", NULL);
    const char *want =
        "access_person_id,access_person_type,name,email,status,starts_at,ends_at\r\n"
        P(4) ",access_guest,Eli Expired,eli.expired@example.com,expired,2026-02-01T15:00:00,"
        "2026-02-05T11:00:00\r\n";
    const char *got = cJSON_IsRaw(h.body) ? h.body->valuestring : "(not raw)";
    ok(h.status == 200 && h.content_type && strcmp(h.content_type, "text/csv") == 0,
       "200 text/csv (%s)", h.content_type ? h.content_type : "JSON");
    if (!ok(strcmp(got, want) == 0, "the CSV bytes"))
        diag("got: %s", got);
    h_call(&h, "PUT", "/access_persons/" P(4),
           "{\"attributes\":{\"name\":\"Eli \\\"E\\\", Jr.\"}}");
    h_call(&h, "GET", "/groups/" G(2) "/door_group_accesses/search.csv", NULL);
    got = cJSON_IsRaw(h.body) ? h.body->valuestring : "(not raw)";
    ok(strstr(got, ",\"Eli \"\"E\"\", Jr.\",") != NULL, "RFC 4180 quoting of a name");
    h_call(&h, "GET", "/groups/" G(1) "/door_group_accesses/search.csv", NULL);
    got = cJSON_IsRaw(h.body) ? h.body->valuestring : "(not raw)";
    ok(strcmp(got, "access_person_id,access_person_type,name,email,status,starts_at,ends_at\r\n") == 0,
       "a group without grants: the header only");
    h_call(&h, "GET", "/groups/nobody/door_group_accesses/search.csv", NULL);
    ok(h.status == 404 && !h.content_type, "unknown group: the JSON 404");
    h_call(&h, "POST", "/groups/" G(1) "/door_group_accesses/search.csv", "{}");
    ok(h.status == 404, "POST: 404");
    h_free(&h);
}

int main(void)
{
    groups_and_items();
    v1_doors();
    grants();
    group_zone();
    accesses_csv();
    return tap_done();
}
