/* Guests kept by igloo, resort and KORE ReadyPIN locks, instruction
 * emails and a person's mobile credentials, through the resource
 * boundary. */
#include "test_store_harness.h"

#define IGLOO_GUEST "d0000000-0000-4000-8000-000000000001"
#define RESORT_GUEST "d1000000-0000-4000-8000-000000000001"
#define READY_PIN "d2000000-0000-4000-8000-000000000001"
#define EXPIRED_READY_PIN "d2000000-0000-4000-8000-000000000002"

static void igloo(void)
{
    harness h;
    h_init(&h);
    h_call(&h, "POST", "/igloo_guests",
           "{\"attributes\":{\"igloo_lock_id\":\"" D(8) "\",\"name\":\"Ann\","
           "\"starts_at\":\"2026-03-11 10:30:00 UTC\",\"ends_at\":\"2026-03-12T09:59:00\"}}");
    const char *pin = h_str(&h, "data.attributes.pin");
    ok(h.status == 201 && strcmp(h_str(&h, "data.attributes.starts_at"), "2026-03-11T10:00:00") == 0 &&
           strcmp(h_str(&h, "data.attributes.ends_at"), "2026-03-12T09:00:00") == 0,
       "stays in whole hours, the documented 'UTC' spelling taken");
    ok(strlen(pin) == 7 && strcmp(pin, h_str(&h, "data.attributes.code")) == 0,
       "an algorithmic PIN issued, code and pin alike (%s)", pin);
    h_call(&h, "POST", "/igloo_guests",
           "{\"attributes\":{\"igloo_lock_id\":\"" D(8) "\",\"name\":\"Bo\",\"code\":\"123456\","
           "\"starts_at\":\"2026-03-11T10:00:00\",\"ends_at\":\"2026-03-12T10:00:00\"}}");
    ok(h.status == 201 && strcmp(h_str(&h, "data.attributes.pin"), "123456") == 0,
       "a custom code is the PIN");
    h_call(&h, "POST", "/igloo_guests",
           "{\"attributes\":{\"igloo_lock_id\":\"" D(8) "\",\"name\":\"Cy\","
           "\"generate_algorithmic_pin\":false,"
           "\"starts_at\":\"2026-03-11T10:00:00\",\"ends_at\":\"2026-03-12T10:00:00\"}}");
    ok(h.status == 201 && cJSON_IsNull(h_get(h.body, "data.attributes.pin")),
       "no PIN when generate_algorithmic_pin is false");
    h_call(&h, "POST", "/igloo_guests",
           "{\"attributes\":{\"igloo_lock_id\":\"" D(1) "\",\"name\":\"Di\","
           "\"starts_at\":\"2026-03-11T10:00:00\",\"ends_at\":\"2026-03-12T10:00:00\"}}");
    ok(h_has_error(&h, "igloo_lock_id"), "an igloo guest needs an igloo lock");
    h_call(&h, "POST", "/igloo_guests",
           "{\"attributes\":{\"igloo_lock_id\":\"" D(8) "\",\"name\":\"Ed\","
           "\"starts_at\":\"2026-03-12T10:00:00\",\"ends_at\":\"2026-03-11T10:00:00\"}}");
    ok(h_has_error(&h, "ends_at"), "a stay ends after it starts");
    h_call(&h, "POST", "/igloo_guests",
           "{\"attributes\":{\"igloo_lock_id\":\"" D(8) "\",\"name\":\"Fa\","
           "\"starts_at\":\"soon\",\"ends_at\":\"2026-03-11T10:00:00\"}}");
    ok(h_has_error(&h, "starts_at"), "a stay in another format: 422");
    h_call(&h, "PUT", "/igloo_guests/" IGLOO_GUEST,
           "{\"attributes\":{\"name\":\"Noah N.\",\"starts_at\":\"2027-01-01T00:00:00\"}}");
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.name"), "Noah N.") == 0 &&
           strcmp(h_str(&h, "data.attributes.starts_at"), "2026-03-09T15:00:00") == 0,
       "an update renames; the stay is set on creation only");
    h_free(&h);
}

static void resort_and_ready_pins(void)
{
    harness h;
    h_init(&h);
    h_call(&h, "GET", "/resort_lock_guests?sort=-name", NULL);
    ok(h.status == 200 && h_count(&h) == 2 &&
           strcmp(h_str(&h, "data.0.attributes.name"), "Riley Resort") == 0 &&
           strcmp(h_str(&h, "data.0.attributes.status"), "current") == 0 &&
           strcmp(h_str(&h, "data.1.attributes.status"), "upcoming") == 0,
       "resort guests sorted by name, status from the stay");
    h_call(&h, "POST", "/resort_lock_guests",
           "{\"attributes\":{\"resort_lock_id\":\"" D(7) "\",\"name\":\"Gil\","
           "\"starts_at\":\"2026-03-01T13:00:00\",\"ends_at\":\"2026-03-02T16:00:00\"}}");
    char id[64];
    snprintf(id, sizeof id, "%s", h_str(&h, "data.id"));
    ok(h.status == 201 && strlen(h_str(&h, "data.attributes.pin")) == 10 &&
           strcmp(h_str(&h, "data.attributes.status"), "expired") == 0 &&
           strcmp(h_str(&h, "data.links.resort_lock"), H_BASE "/devices/" D(7)) == 0,
       "a resort guest: a 10-digit PIN, linked to its lock");
    char path[160];
    snprintf(path, sizeof path, "/resort_lock_guests/%s/email/notify", id);
    h_call(&h, "POST", path, NULL);
    ok(h_has_error(&h, "email"), "no email to send the instructions to: 422");
    h_call(&h, "POST", "/resort_lock_guests/" RESORT_GUEST "/email/notify", NULL);
    ok(h.status == 200 && !h.body, "instructions sent: 200, no body");
    h_call(&h, "GET", "/resort_lock_guests/" RESORT_GUEST "/email/preview", NULL);
    const char *body = h_str(&h, "data.attributes.body");
    ok(h.status == 200 && strstr(body, "Dear Riley Resort") && strstr(body, "471-103-5246") &&
           strstr(body, "March 9, 2026 3:00 PM to March 13, 2026 11:00 AM") &&
           strstr(body, "AB57EF010F4FBE07"),
       "the preview: name, code, stay and lock");
    h_call(&h, "POST", "/resort_lock_guests/" RESORT_GUEST "/email/preview", NULL);
    ok(h.status == 404, "a preview is read with GET only");

    h_call(&h, "PUT", "/kore_ready_pins/" READY_PIN, "{\"attributes\":{\"ends_at\":\"2026-03-20T10:00:00\"}}");
    ok(h_has_error(&h, "ends_at"), "a ReadyPIN's stay cannot change");
    h_call(&h, "PUT", "/kore_ready_pins/" READY_PIN, "{\"attributes\":{\"name\":\"Kim C.\"}}");
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.uuid"), READY_PIN) == 0 &&
           strcmp(h_str(&h, "data.attributes.status"), "current") == 0,
       "its name can; uuid is the id");
    h_call(&h, "DELETE", "/kore_ready_pins/" READY_PIN, NULL);
    ok(h_has_error(&h, NULL), "a current ReadyPIN cannot be deleted: 422");
    h_call(&h, "DELETE", "/kore_ready_pins/" EXPIRED_READY_PIN, NULL);
    ok(h.status == 204, "an expired one can");
    h_call(&h, "POST", "/kore_ready_pins",
           "{\"attributes\":{\"lock_id\":\"" D(7) "\",\"name\":\"Hal\","
           "\"starts_at\":\"2026-03-11T10:00:00\",\"ends_at\":\"2026-03-12T10:00:00\"}}");
    ok(h_has_error(&h, "lock_id"), "a ReadyPIN needs a lock, not a resort lock");
    h_free(&h);
}

static void person_extras(void)
{
    harness h;
    h_init(&h);
    h_call(&h, "POST", "/access_persons/" P(2) "/email/notify", "{\"attributes\":{\"days_before\":1}}");
    ok(h.status == 200 && !h.body, "guest instructions scheduled a day before");
    h_call(&h, "POST", "/access_persons/" P(2) "/email/notify", "{\"attributes\":{\"days_before\":-1}}");
    ok(h_has_error(&h, "days_before"), "days_before is a whole number of days");
    h_call(&h, "POST", "/access_persons/" P(5) "/email/notify", NULL);
    ok(h_has_error(&h, NULL), "no instructions for a deactivated person");
    h_call(&h, "POST", "/access_persons",
           "{\"type\":\"access_user\",\"attributes\":{\"name\":\"No Mail\",\"pin\":\"7007\"}}");
    char path[160];
    snprintf(path, sizeof path, "/access_persons/%s/email/notify", h_str(&h, "data.id"));
    h_call(&h, "POST", path, NULL);
    ok(h_has_error(&h, "email"), "no email address: 422");

    h_call(&h, "GET", "/access_persons/" P(1) "/mobile_accesses", NULL);
    static const char *const boathouse[] = {D(5)};
    ok(h.status == 200 && h_ids(&h, boathouse, 1), "Avery's phone opens the Boathouse");
    h_call(&h, "GET", "/access_persons/" P(1) "/mobile_credentials", NULL);
    ok(h.status == 200 && h_count(&h) == 1 &&
           strcmp(h_str(&h, "data.0.attributes.vendor"), "schlage_engage") == 0 &&
           strcmp(h_str(&h, "data.0.attributes.vendor_data.schlage_engage.0.lock_uuid"), D(5)) == 0 &&
           h_num(&h, "data.0.id") == 1,
       "one Schlage Engage credential naming the Boathouse");
    h_call(&h, "GET", "/access_persons/" P(1) "/mobile_credentials?per_page=1&page=2", NULL);
    ok(h.status == 200 && h_count(&h) == 0 && h_num(&h, "meta.per_page") == 1 &&
           h_num(&h, "meta.total_count") == 1,
       "credentials page like any collection");
    h_call(&h, "GET", "/access_persons/" P(1) "/mobile_credentials?attributes[vendor]=igloo", NULL);
    ok(h.status == 200 && h_count(&h) == 0, "filtered by an attribute: no igloo credential");
    h_call(&h, "GET",
           "/access_persons/" P(1) "/mobile_credentials?attributes[type]=MobileCredential", NULL);
    ok(h.status == 200 && h_count(&h) == 1, "attributes[type] keeps the Schlage one");
    h_call(&h, "GET", "/access_persons/" P(1) "/mobile_credentials?page=0", NULL);
    ok(h.status == 400, "page 0: 400");
    h_call(&h, "GET", "/access_persons/" P(2) "/mobile_credentials", NULL);
    ok(h.status == 200 && h_count(&h) == 0, "Casey has no mobile credentials enabled");
    h_call(&h, "POST", "/access_persons/" P(5) "/allegion_tokens", NULL);
    ok(h_has_error(&h, NULL), "no Allegion tokens for a deactivated person");
    h_call(&h, "GET", "/access_persons/" P(1) "/allegion_tokens", NULL);
    ok(h.status == 404, "Allegion tokens are made with POST only");
    h_free(&h);
}

int main(void)
{
    igloo();
    resort_and_ready_pins();
    person_extras();
    return tap_done();
}
