/* LockState v1's view of the one store (sim/src/schema_v1.c): a v1
 * request sees each documented type with v1's attributes, names, links
 * and meta, a current request exactly as before, and a write through
 * either flavour is seen by both. The shapes against every documented
 * example are test_store_spec.c's; here the table itself, renamed values,
 * links and the flavour-free webhook payload. */
#include "test_store_harness.h"
#include "resources_schema.h"
#include "sim_events.h"

/* Every view names its type's schema attributes (a typo would render a
 * silent null), each once. */
static void table(void)
{
    size_t bad = 0;
    for (size_t i = 0; i < schema_v1_nviews; i++) {
        const v1_view *v = &schema_v1_views[i];
        const type_spec *t = schema_find(v->type);
        if (!t) {
            diag("v1 view of %s: no such schema", v->type);
            bad++;
            continue;
        }
        for (size_t k = 0; k < v->nattrs; k++) {
            const char *from = v->attrs[k].from ? v->attrs[k].from : v->attrs[k].key;
            if (from[0] && !schema_attr(t, from)) {
                diag("v1 view of %s: %s shows %s, not in the schema", v->type, v->attrs[k].key, from);
                bad++;
            }
            for (size_t j = 0; j < k; j++)
                if (strcmp(v->attrs[j].key, v->attrs[k].key) == 0) {
                    diag("v1 view of %s: %s twice", v->type, v->attrs[k].key);
                    bad++;
                }
        }
    }
    ok(schema_v1_nviews > 0 && bad == 0, "%zu v1 views, each over its type's schema attributes",
       schema_v1_nviews);
    ok(schema_v1_find("lock") && !schema_v1_find("connector_lock"),
       "a type v1 documents has a view, one it documents nowhere none");
}

static int has(const harness *h, const char *path)
{
    return h_get(h->body, path) != NULL;
}

/* A person: v1 names and order, the renamed value, meta. */
static void persons(void)
{
    harness h;
    char keys[1024];
    h_init(&h);
    cJSON *fx = h_fixture_json();
    cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(fx, "access_persons"))
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p, "id")), P(1)) == 0)
            cJSON_AddStringToObject(p, "guest_source", "airbnb");
    char err[256] = "";
    ok(sim_store_load(h.store, fx, err, sizeof err) == 0, "a fixture person with a guest_source %s",
       err);
    cJSON_Delete(fx);
    h.flavour = SIM_FLAVOUR_V1;
    h_call(&h, "GET", "/access_persons/" P(1), NULL);
    h_keys(h_get(h.body, "data.attributes"), keys, sizeof keys);
    ok(h.status == 200 && strcmp(keys, "name,email,phone,pin,card_number,department,status,"
                                       "rental_source,created_at,updated_at") == 0,
       "v1: a user's attributes as v1 documents them (%s)", keys);
    ok(strcmp(h_str(&h, "data.attributes.rental_source"), "airbnb") == 0,
       "v1: rental_source is the stored guest_source");
    ok(!has(&h, "data.meta"), "v1: a current user has no meta (v1 shows restricted_actions only)");
    h.flavour = SIM_FLAVOUR_CURRENT;
    h_call(&h, "GET", "/access_persons/" P(1), NULL);
    ok(strcmp(h_str(&h, "data.attributes.guest_source"), "airbnb") == 0 &&
           !has(&h, "data.attributes.rental_source") && has(&h, "data.attributes.url_credential") &&
           has(&h, "data.meta.restricted_attributes"),
       "current: guest_source, url_credential and meta as before");

    /* Writes through one flavour, read through the other. */
    h.flavour = SIM_FLAVOUR_V1;
    h_call(&h, "PUT", "/access_persons/" P(1), "{\"attributes\":{\"name\":\"Via V1\"}}");
    h.flavour = SIM_FLAVOUR_CURRENT;
    h_call(&h, "GET", "/access_persons/" P(1), NULL);
    ok(strcmp(h_str(&h, "data.attributes.name"), "Via V1") == 0, "a v1 write is seen by current");
    h_call(&h, "PUT", "/access_persons/" P(1) "/deactivate", NULL);
    h.flavour = SIM_FLAVOUR_V1;
    h_call(&h, "GET", "/access_persons/" P(1), NULL);
    h_keys(h_get(h.body, "data.meta"), keys, sizeof keys);
    ok(strcmp(h_str(&h, "data.attributes.status"), "deactivated") == 0 &&
           strcmp(keys, "restricted_actions") == 0,
       "a current deactivation is seen by v1, meta only restricted_actions (%s)", keys);
    h_free(&h);
}

/* Devices: no current-only attributes, links only for what v1 shows, ACS
 * doors linked at /acs/doors. */
static void devices(void)
{
    harness h;
    h_init(&h);
    h.flavour = SIM_FLAVOUR_V1;
    h_call(&h, "PUT", "/devices/" D(1), "{\"attributes\":{\"auto_lock_schedule_id\":\"s-1\"}}");
    h_call(&h, "GET", "/devices/" D(1), NULL);
    char keys[512];
    h_keys(h_get(h.body, "data.links"), keys, sizeof keys);
    ok(h.status == 200 && !has(&h, "data.attributes.algorithmic_pin_enabled") &&
           !has(&h, "data.attributes.mac_address") && !has(&h, "data.attributes.location_name") &&
           !has(&h, "data.attributes.auto_lock_schedule_id") && has(&h, "data.attributes.local_pins"),
       "v1: a lock without the current attributes");
    ok(strcmp(keys, "self,model,location") == 0, "v1: no link to the auto-lock schedule (%s)", keys);
    h.flavour = SIM_FLAVOUR_CURRENT;
    h_call(&h, "GET", "/devices/" D(1), NULL);
    ok(strcmp(h_str(&h, "data.attributes.auto_lock_schedule_id"), "s-1") == 0 &&
           has(&h, "data.links.auto_lock_schedule") && has(&h, "data.attributes.mac_address"),
       "current: the schedule set through v1, and its link");

    h.flavour = SIM_FLAVOUR_V1;
    h_call(&h, "GET", "/acs/doors/" D(4), NULL);
    ok(strcmp(h_str(&h, "data.links.self"), H_BASE "/acs/doors/" D(4)) == 0,
       "v1: a door links itself at /acs/doors/:id (%s)", h_str(&h, "data.links.self"));
    h_call(&h, "GET", "/devices?type=acs_door", NULL);
    ok(strcmp(h_str(&h, "data.0.links.self"), H_BASE "/acs/doors/" D(4)) == 0,
       "v1: so does the devices list (%s)", h_str(&h, "data.0.links.self"));
    h_call(&h, "GET", "/access_persons/" P(2) "/accesses/" A(8), NULL);
    ok(strcmp(h_str(&h, "data.attributes.accessible_type"), "acs_door") == 0 &&
           strcmp(h_str(&h, "data.links.accessible"), H_BASE "/acs/doors/" D(4)) == 0,
       "v1: a grant to it links it there (%s)", h_str(&h, "data.links.accessible"));
    h.flavour = SIM_FLAVOUR_CURRENT;
    h_call(&h, "GET", "/access_persons/" P(2) "/accesses/" A(8), NULL);
    ok(strcmp(h_str(&h, "data.links.accessible"), H_BASE "/devices/" D(4)) == 0,
       "current: at /devices/:id as before");
    h_call(&h, "GET", "/devices/" D(4), NULL);
    ok(strcmp(h_str(&h, "data.links.self"), H_BASE "/devices/" D(4)) == 0,
       "current: a door's self link as before");
    h_free(&h);
}

static cJSON *payload;
static void capture(const sim_webhook_msg *m, time_t now)
{
    (void)now;
    if (!payload)
        payload = cJSON_Duplicate(m->payload, 1);
}

/* An event in v1 shows the card serial v1 documents; a webhook payload is
 * the current API's event, whichever flavour caused it. */
static void events(void)
{
    harness h;
    h_init(&h);
    sim_events_set_outbox(capture);
    h.flavour = SIM_FLAVOUR_V1;
    h_call(&h, "PUT", "/devices/" D(1) "/unlock", NULL);
    h_call(&h, "GET", "/events", NULL);
    const char *id = h_str(&h, "data.0.id");
    ok(h.status == 200 && cJSON_IsNull(h_get(h.body, "data.0.attributes.smart_card_serial_number")),
       "v1: an event shows smart_card_serial_number (null: not modelled)");
    char path[128];
    snprintf(path, sizeof path, "/events/%s", id);
    h.flavour = SIM_FLAVOUR_CURRENT;
    h_call(&h, "GET", path, NULL);
    ok(!has(&h, "data.attributes.smart_card_serial_number"), "current: it has none");
    char *want = cJSON_PrintUnformatted(h.body);
    char *got = payload ? cJSON_PrintUnformatted(payload) : NULL;
    ok(want && got && strcmp(want, got) == 0,
       "the webhook payload of a v1 unlock is GET /events/:id of the current API");
    free(want);
    free(got);
    cJSON_Delete(payload);
    payload = NULL;
    sim_events_set_outbox(NULL);
    h_free(&h);
}

int main(void)
{
    table();
    persons();
    devices();
    events();
    return tap_done();
}
