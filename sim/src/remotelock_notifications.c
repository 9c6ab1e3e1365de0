/* Notification subscribers and subscriptions beyond the table: a
 * webhook's URL and content type, an email address's shape, and the
 * event types a subscription's publisher can publish ("Create a
 * notification subscription": accounts and locations publish every type,
 * other publishers their own). */
#include <string.h>
#include "remotelock.h"

static int is_one_of(const char *s, const char *const *list)
{
    for (; s && *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

static int has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* 1 when s holds a C0 control byte (TAB, CR and LF included) or DEL:
 * the url and the secret go into a request line and an X-Secret header,
 * where such a byte would end or split the line. */
static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

/* "Must be secured with HTTPS". Plain HTTP is taken for a loopback host
 * only, so a test's local receiver can subscribe (the simulator never
 * leaves loopback). */
static int webhook_url_ok(const char *url)
{
    static const char *const loopback[] = {
        "http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/",
        "http://[::1]:", "http://[::1]/", NULL,
    };
    if (has_control(url) || strchr(url, ' '))
        return 0;
    if (has_prefix(url, "https://"))
        return url[8] && url[8] != '/';
    for (size_t i = 0; loopback[i]; i++)
        if (has_prefix(url, loopback[i]))
            return 1;
    return 0;
}

void rl_subscriber_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e)
{
    static const char *const content_types[] = {"form", "json", NULL};
    const char *type = rec_type(rec), *url = rec_str(rec, "url");
    const char *content = rec_str(rec, "content_type"), *email = rec_str(rec, "email");
    (void)c;
    if (strcmp(type, "webhook_notification_subscriber") == 0) {
        const char *secret = rec_str(rec, "secret");
        if (url && url[0] && !webhook_url_ok(url))
            jsonapi_error_add(e, "url", "is invalid");
        if (secret && has_control(secret))
            jsonapi_error_add(e, "secret", "is invalid");
        if (content && content[0] && !is_one_of(content, content_types))
            jsonapi_error_add(e, "content_type", "is not included in the list");
    }
    if (strcmp(type, "email_notification_subscriber") == 0 && email && email[0]) {
        const char *at = strchr(email, '@');
        if (!at || at == email || !at[1] || strchr(at + 1, '@'))
            jsonapi_error_add(e, "email", "is invalid");
    }
}

/* The event types of a person, of a ReadyPIN, and of a lock (the JSON
 * Schemas of the documentation). */
static const char *const person_events[] = {
    "access_person_used", "access_person_created", "access_person_updated",
    "access_person_deleted", NULL,
};
static const char *const ready_pin_events[] = {"kore_ready_pin_used", NULL};
static const char *const lock_events[] = {
    "connectivity", "power_level_low", "battery_replaced", "lock_requested", "unlock_requested",
    "temporary_unlock_requested", "temporary_unlock_timeout", "access_person_synced",
    "access_person_sync_failed", "access_guest_late_sync", "reset", "ready_pin_sync_failed",
    "unlocked", "locked", "access_denied", "jammed", NULL,
};

/* Whether publisher_type publishes event_type. Other devices than locks
 * publish device events (any but a person's or a ReadyPIN's): the
 * documentation's schemas do not name the device type each belongs to. */
static int publishes(const char *publisher_type, const char *event_type)
{
    if (strcmp(publisher_type, "account") == 0 || strcmp(publisher_type, "location") == 0)
        return 1;
    if (strcmp(publisher_type, "access_user") == 0 || strcmp(publisher_type, "access_guest") == 0)
        return is_one_of(event_type, person_events);
    if (strcmp(publisher_type, "kore_ready_pin") == 0)
        return is_one_of(event_type, ready_pin_events);
    if (strcmp(publisher_type, "lock") == 0)
        return is_one_of(event_type, lock_events);
    return !is_one_of(event_type, person_events) && !is_one_of(event_type, ready_pin_events);
}

void rl_subscription_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e)
{
    const char *publisher = rec_str(rec, "publisher_type");
    const cJSON *ev;
    (void)c;
    if (!publisher)
        return;
    cJSON_ArrayForEach(ev, cJSON_GetObjectItemCaseSensitive(rec_attrs(rec), "events")) {
        const char *type =
            cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "event_type"));
        if (type && !publishes(publisher, type)) {
            jsonapi_error_add(e, "events", "contains an event type the publisher does not publish");
            return;
        }
        /* Only access_person_used's schema has first_access. */
        if (type && strcmp(type, "access_person_used") != 0 &&
            cJSON_GetObjectItemCaseSensitive(ev, "first_access")) {
            jsonapi_error_add(e, "events", "has first_access on an event type without it");
            return;
        }
    }
}
