/* Notification subscribers (email, text, webhook) and subscriptions
 * through the resource boundary: the documented input rules, references
 * to subscribers and publishers, the events a publisher publishes, and
 * what a delete takes with it. */
#include "test_store_harness.h"
#include "webhooks.h"

#define ACCOUNT "90000000-0000-4000-8000-000000000001"
#define EMAIL "70000000-0000-4000-8000-000000000002"
#define TEXT "70000000-0000-4000-8000-000000000003"
#define SUB(n) "71000000-0000-4000-8000-00000000000" #n

static void subscribers(void)
{
    harness h;
    char keys[256];
    h_init(&h);
    h_call(&h, "GET", "/notification_subscribers?type=text_notification_subscriber", NULL);
    h_keys(h_get(h.body, "data.0.attributes"), keys, sizeof keys);
    ok(h_count(&h) == 1 &&
           strcmp(keys, "name,phone,carrier,active,created_at,updated_at") == 0,
       "text subscribers as documented (%s)", keys);
    h_call(&h, "POST", "/notification_subscribers",
           "{\"type\":\"email_notification_subscriber\",\"attributes\":{\"name\":\"Ops\","
           "\"email\":\"ops@example.com\"}}");
    h_keys(h_get(h.body, "data.attributes"), keys, sizeof keys);
    ok(h.status == 201 && strcmp(keys, "name,email,active,created_at,updated_at") == 0 &&
           cJSON_IsTrue(h_get(h.body, "data.attributes.active")),
       "create an email subscriber, active by default (%s)", keys);
    h_call(&h, "POST", "/notification_subscribers",
           "{\"type\":\"webhook_notification_subscriber\",\"attributes\":{\"name\":\"Hook\","
           "\"url\":\"https://hooks.example.com/rl\",\"secret\":\"s3cr3t\"}}");
    ok(h.status == 201 && strcmp(h_str(&h, "data.attributes.content_type"), "form") == 0,
       "a webhook without content_type gets the documented default form");
    h_call(&h, "POST", "/notification_subscribers",
           "{\"type\":\"webhook_notification_subscriber\",\"attributes\":{\"name\":\"Local\","
           "\"url\":\"http://127.0.0.1:8080/hook\",\"content_type\":\"json\"}}");
    ok(h.status == 201, "plain HTTP to a loopback receiver is taken");

    static const struct {
        const char *body, *attr, *what;
    } bad[] = {
        {"{\"type\":\"webhook_notification_subscriber\",\"attributes\":{\"name\":\"H\","
         "\"url\":\"http://hooks.example.com/\"}}", "url", "webhook over plain HTTP"},
        {"{\"type\":\"webhook_notification_subscriber\",\"attributes\":{\"name\":\"H\","
         "\"url\":\"https://h.example/\",\"content_type\":\"xml\"}}", "content_type",
         "content_type neither form nor json"},
        {"{\"type\":\"webhook_notification_subscriber\",\"attributes\":{\"name\":\"H\"}}",
         "url", "webhook without url"},
        {"{\"type\":\"webhook_notification_subscriber\",\"attributes\":{\"name\":\"H\","
         "\"url\":\"https://h.example/\",\"secret\":\"a\\r\\nX-Evil: 1\"}}", "secret",
         "a secret with a line break"},
        {"{\"type\":\"webhook_notification_subscriber\",\"attributes\":{\"name\":\"H\","
         "\"url\":\"https://h.example/\",\"secret\":\"a\\u0001b\"}}", "secret",
         "a secret with a control byte"},
        {"{\"type\":\"webhook_notification_subscriber\",\"attributes\":{\"name\":\"H\","
         "\"url\":\"https://h.example/\",\"secret\":\"a\\tb\"}}", "secret",
         "a secret with a TAB"},
        {"{\"type\":\"webhook_notification_subscriber\",\"attributes\":{\"name\":\"H\","
         "\"url\":\"https://h.example/\",\"secret\":\"a\\u007fb\"}}", "secret",
         "a secret with DEL"},
        {"{\"type\":\"webhook_notification_subscriber\",\"attributes\":{\"name\":\"H\","
         "\"url\":\"https://h.example/a\\u0001b\"}}", "url", "a url with a control byte"},
        {"{\"type\":\"email_notification_subscriber\",\"attributes\":{\"name\":\"E\","
         "\"email\":\"no-at-sign\"}}", "email", "an email without @"},
        {"{\"type\":\"text_notification_subscriber\",\"attributes\":{\"name\":\"T\","
         "\"phone\":\"303-555-0100\"}}", "carrier", "text without carrier"},
        {"{\"type\":\"pigeon_notification_subscriber\",\"attributes\":{\"name\":\"P\"}}", "type",
         "an undocumented type"},
        {"{\"type\":\"email_notification_subscriber\",\"attributes\":{\"email\":\"a@b.c\"}}",
         "name", "without name"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        h_call(&h, "POST", "/notification_subscribers", bad[i].body);
        ok(h_has_error(&h, bad[i].attr), "refused, %s: 422 on %s", bad[i].what, bad[i].attr);
    }
    h_call(&h, "GET", "/notification_subscribers", NULL);
    ok(h_count(&h) == 6, "refused creates added nothing");

    h_call(&h, "PUT", "/notification_subscribers/" SUBSCRIBER,
           "{\"attributes\":{\"active\":false,\"content_type\":\"form\"}}");
    ok(h.status == 200 && cJSON_IsFalse(h_get(h.body, "data.attributes.active")) &&
           strcmp(h_str(&h, "data.attributes.content_type"), "form") == 0,
       "update a webhook");
    h_call(&h, "PUT", "/notification_subscribers/" SUBSCRIBER,
           "{\"attributes\":{\"url\":\"ftp://x\"}}");
    ok(h_has_error(&h, "url"), "update to a bad url: 422");
    h_call(&h, "PUT", "/notification_subscribers/" SUBSCRIBER,
           "{\"attributes\":{\"secret\":\"s\\r\\nX-Evil: 1\"}}");
    ok(h_has_error(&h, "secret"), "update to a secret with a line break: 422");
    h_call(&h, "PUT", "/notification_subscribers/" EMAIL, "{\"attributes\":{\"active\":\"no\"}}");
    ok(h_has_error(&h, "active"), "active must be a boolean");

    /* Deleting a subscriber takes its subscriptions and notifications. */
    h_call(&h, "DELETE", "/notification_subscribers/" SUBSCRIBER, NULL);
    ok(h.status == 204, "delete the webhook subscriber");
    h_call(&h, "GET", "/notification_subscriptions/" SUB(1), NULL);
    ok(h.status == 404, "its subscription is gone");
    h_call(&h, "GET", "/notifications", NULL);
    ok(h.status == 200 && h_count(&h) == 0, "its notifications are gone");
    h_call(&h, "GET", "/notification_subscriptions", NULL);
    ok(h_count(&h) == 2, "other subscriptions stay");
    h_free(&h);
}

static void subscriptions(void)
{
    harness h;
    char keys[256];
    h_init(&h);
    h_call(&h, "GET", "/notification_subscriptions", NULL);
    h_keys(h_get(h.body, "data.0.attributes"), keys, sizeof keys);
    ok(h.status == 200 && h_count(&h) == 3 &&
           strcmp(keys, "events,created_at,updated_at,subscriber_id,subscriber_type,"
                        "publisher_id,publisher_type") == 0,
       "subscriptions as documented (%s)", keys);
    ok(strcmp(h_str(&h, "data.0.links.publisher"), H_BASE "/account") == 0 &&
           strcmp(h_str(&h, "data.0.links.subscriber"),
                  H_BASE "/notification_subscribers/" SUBSCRIBER) == 0 &&
           strcmp(h_str(&h, "data.1.links.publisher"), H_BASE "/locations/" L(1)) == 0 &&
           strcmp(h_str(&h, "data.2.links.publisher"), H_BASE "/devices/" D(3)) == 0,
       "links: the account without id, a location, a device");
    h_call(&h, "GET", "/notification_subscriptions?attributes[publisher_type]=location", NULL);
    ok(h_count(&h) == 1, "filter by publisher type");

    h_call(&h, "POST", "/notification_subscriptions",
           "{\"attributes\":{\"events\":[{\"event_type\":\"unlocked\",\"extra\":1},"
           "{\"event_type\":\"jammed\"}],\"subscriber_type\":\"email_notification_subscriber\","
           "\"subscriber_id\":\"" EMAIL "\",\"publisher_type\":\"lock\",\"publisher_id\":\"" D(1)
           "\"}}");
    char id[64];
    snprintf(id, sizeof id, "%s", h_str(&h, "data.id"));
    ok(h.status == 201 && cJSON_GetArraySize(h_get(h.body, "data.attributes.events")) == 2 &&
           !h_get(h.body, "data.attributes.events.0.extra"),
       "subscribe to a lock's events (unknown event keys dropped)");

    static const struct {
        const char *body, *attr, *what;
    } bad[] = {
        {"{\"attributes\":{\"events\":[{\"event_type\":\"exploded\"}],"
         "\"subscriber_type\":\"email_notification_subscriber\",\"subscriber_id\":\"" EMAIL "\","
         "\"publisher_type\":\"account\",\"publisher_id\":\"" ACCOUNT "\"}}",
         "events", "an undocumented event type"},
        {"{\"attributes\":{\"events\":[{\"event_type\":\"kore_ready_pin_used\"}],"
         "\"subscriber_type\":\"email_notification_subscriber\",\"subscriber_id\":\"" EMAIL "\","
         "\"publisher_type\":\"lock\",\"publisher_id\":\"" D(1) "\"}}",
         "events", "an event the lock does not publish"},
        {"{\"attributes\":{\"events\":[],"
         "\"subscriber_type\":\"email_notification_subscriber\",\"subscriber_id\":\"" EMAIL "\","
         "\"publisher_type\":\"account\",\"publisher_id\":\"" ACCOUNT "\"}}",
         "events", "no events"},
        {"{\"attributes\":{\"events\":[{\"event_type\":\"locked\"}],"
         "\"subscriber_type\":\"email_notification_subscriber\",\"subscriber_id\":\"nobody\","
         "\"publisher_type\":\"account\",\"publisher_id\":\"" ACCOUNT "\"}}",
         "subscriber", "an unknown subscriber"},
        {"{\"attributes\":{\"events\":[{\"event_type\":\"locked\"}],"
         "\"subscriber_type\":\"text_notification_subscriber\",\"subscriber_id\":\"" EMAIL "\","
         "\"publisher_type\":\"account\",\"publisher_id\":\"" ACCOUNT "\"}}",
         "subscriber", "a subscriber of another type"},
        {"{\"attributes\":{\"events\":[{\"event_type\":\"locked\"}],"
         "\"subscriber_type\":\"email_notification_subscriber\",\"subscriber_id\":\"" EMAIL "\","
         "\"publisher_type\":\"lock\",\"publisher_id\":\"" L(1) "\"}}",
         "publisher", "a location id given as a lock"},
        {"{\"attributes\":{\"events\":[{\"event_type\":\"locked\"}],"
         "\"subscriber_type\":\"email_notification_subscriber\",\"subscriber_id\":\"" EMAIL "\","
         "\"publisher_type\":\"door_group\",\"publisher_id\":\"x\"}}",
         "publisher_type", "a door group as publisher"},
        {"{\"attributes\":{\"events\":[{\"event_type\":\"locked\"}],"
         "\"subscriber_type\":\"email_notification_subscriber\",\"subscriber_id\":\"" EMAIL "\"}}",
         "publisher_id", "no publisher"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        h_call(&h, "POST", "/notification_subscriptions", bad[i].body);
        ok(h_has_error(&h, bad[i].attr), "refused, %s: 422 on %s", bad[i].what, bad[i].attr);
    }

    char path[128];
    snprintf(path, sizeof path, "/notification_subscriptions/%s", id);
    h_call(&h, "PUT", path, "{\"attributes\":{\"events\":[{\"event_type\":\"access_denied\"}]}}");
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.events.0.event_type"),
                                 "access_denied") == 0 &&
           cJSON_GetArraySize(h_get(h.body, "data.attributes.events")) == 1,
       "update the events");
    h_call(&h, "PUT", path,
           "{\"attributes\":{\"publisher_type\":\"access_guest\",\"publisher_id\":\"" P(2) "\"}}");
    ok(h_has_error(&h, "events"), "a guest does not publish access_denied: 422");
    h_call(&h, "PUT", path,
           "{\"attributes\":{\"publisher_type\":\"access_guest\",\"publisher_id\":\"" P(2) "\","
           "\"events\":[{\"event_type\":\"access_person_used\"}]}}");
    ok(h.status == 200 && strcmp(h_str(&h, "data.links.publisher"),
                                 H_BASE "/access_persons/" P(2)) == 0,
       "move it to a guest with a person event");
    h_call(&h, "DELETE", "/access_persons/" P(2), NULL);
    h_call(&h, "GET", path, NULL);
    ok(h.status == 404, "deleting the publisher deletes the subscription");
    h_call(&h, "DELETE", "/notification_subscriptions/" SUB(2), NULL);
    ok(h.status == 204, "delete a subscription");
    h_call(&h, "GET", "/notification_subscribers/" EMAIL, NULL);
    ok(h.status == 200, "its subscriber stays");
    h_call(&h, "DELETE", "/notification_subscriptions/" SUB(2), NULL);
    ok(h.status == 404, "deleted twice: 404");
    h_free(&h);
}

/* The form encoder's numbers: integers exactly while long long holds
 * them (the cast beyond is undefined), any other the shortest form that
 * reads back exactly. */
static void form_numbers(void)
{
    cJSON *doc = cJSON_Parse("{\"a\":42,\"b\":-9223372036854775808,\"c\":9223372036854775808,"
                             "\"d\":1e20,\"e\":-1e300,\"f\":0.1,\"g\":0.30000000000000004}");
    char *form = doc ? sim_webhook_form(doc) : NULL;
    const char *want = "a=42&b=-9223372036854775808&c=9.223372036854776e%2B18&d=1e%2B20"
                       "&e=-1e%2B300&f=0.1&g=0.30000000000000004";
    ok(form && strcmp(form, want) == 0, "form numbers: exact integers, else shortest (%s)",
       form ? form : "(null)");
    free(form);
    cJSON_Delete(doc);
}

int main(void)
{
    form_numbers();
    subscribers();
    subscriptions();
    return tap_done();
}
