/* The two flavours of the API (sim_request.flavour): LockState v1 routes
 * (/acs/doors, power plugs, /groups/:id/doors) answer only v1 requests,
 * current-only routes only current ones, and everything else both; and a
 * CSV body is taken only where documented. */
#include "test_store_harness.h"

#define GROUP "f0000000-0000-4000-8000-000000000001"

/* One request with a text/csv body (and query pairs). */
static int call_text(harness *h, const char *method, const char *path, const sim_kv *q,
                     size_t nq, const char *text)
{
    sim_request req = {.method = method, .path = path, .query = q, .nquery = nq,
                       .base_url = H_BASE, .now = h->now, .flavour = h->flavour,
                       .text_body = text, .text_body_len = strlen(text)};
    sim_response res = {0};
    cJSON_Delete(h->body);
    int rc = sim_resources_handle(h->store, &req, &res);
    h->status = res.status;
    h->body = res.body;
    return rc;
}

static void acs_doors(void)
{
    harness h;
    h_init(&h);
    ok(h_call(&h, "GET", "/acs/doors", NULL) == 0, "current API: /acs/doors is no route");
    ok(h_call(&h, "GET", "/acs/doors/" D(4), NULL) == 0, "nor a door");
    h.flavour = SIM_FLAVOUR_V1;
    h_call(&h, "GET", "/acs/doors", NULL);
    static const char *const doors[] = {D(4), "20000000-0000-4000-8000-000000000010"};
    ok(h.status == 200 && h_ids(&h, doors, 2) &&
           strcmp(h_str(&h, "data.0.type"), "acs_door") == 0,
       "v1: the ACS doors, and only them");
    h_call(&h, "GET", "/acs/doors/" D(1), NULL);
    ok(h.status == 404, "v1: a lock is no ACS door: 404");
    h_call(&h, "PUT", "/acs/doors/" D(4) "/unlock", NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.state"), "unlocked") == 0,
       "v1: unlock a door");
    h_call(&h, "PUT", "/acs/doors/" D(4) "/lock", NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.state"), "locked") == 0,
       "v1: lock it again");
    h_call(&h, "PUT", "/acs/doors/" D(1) "/lock", NULL);
    ok(h.status == 404, "v1: locking a lock through /acs/doors: 404");
    h_call(&h, "GET", "/acs/doors/" D(4) "/access_person_accesses", NULL);
    static const char *const grants[] = {A(1), A(8)};
    ok(h.status == 200 && h_ids(&h, grants, 2),
       "v1: the door's grants (Avery's location, Casey's own)");
    h_call(&h, "GET", "/devices/" D(4), NULL);
    ok(h.status == 200, "v1: devices answer in both flavours");
    h_free(&h);
}

static void gated_routes(void)
{
    harness h;
    h_init(&h);
    ok(h_call(&h, "GET", "/groups/" GROUP "/doors", NULL) == 0,
       "current API: a group's v1 doors are no route");
    h_call(&h, "GET", "/groups/" GROUP "/items", NULL);
    ok(h.status == 200, "current API: a group's items");
    h_call(&h, "POST", "/access_persons/" P(1) "/allegion_tokens", NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.id_token"), "(none)") != 0,
       "current API: Allegion tokens");
    h.flavour = SIM_FLAVOUR_V1;
    h_call(&h, "GET", "/groups/" GROUP "/doors", NULL);
    ok(h.status == 200, "v1: a group's doors");
    ok(h_call(&h, "GET", "/groups/" GROUP "/items", NULL) == 0, "v1: items are no route");
    ok(h_call(&h, "POST", "/access_persons/" P(1) "/allegion_tokens", NULL) == 0,
       "v1: documents no Allegion tokens");
    h_free(&h);
}

static void text_bodies(void)
{
    harness h;
    h_init(&h);
    call_text(&h, "POST", "/access_persons", NULL, 0, "name\nAl\n");
    ok(h.status == 400 && strcmp(h_str(&h, "message"), "Content-Type must be application/json") == 0,
       "a CSV body to a JSON route: 400");
    call_text(&h, "PUT", "/devices/" D(1) "/lock", NULL, 0, "x");
    ok(h.status == 400, "nor to an action that takes none");
    static const sim_kv q[] = {{"accessible_type", "lock"},
                               {"accessible_id", D(2)},
                               {"send_access_instructions", "false"}};
    call_text(&h, "POST", "/access_persons/import", q, 3, "name,pin\nAl,2001\n");
    ok(h.status == 201, "the import takes one");
    h_free(&h);
}

int main(void)
{
    acs_doors();
    gated_routes();
    text_bodies();
    return tap_done();
}
