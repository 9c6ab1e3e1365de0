/* RemoteLock rows: events, notifications, and who is notified of what
 * (notification subscribers: email, text, webhook; subscriptions). */
#include "catalogue_remotelock.h"

static const char *const s_events[] = { "created_at", "occurred_at", NULL };
static const char *const t_subscribers[] = {
    "email_notification_subscriber", "text_notification_subscriber",
    "webhook_notification_subscriber", NULL
};

static const lc_endpoint rows[] = {
    /* events. Only LockState v1 documents the list (001); 000 documents
     * GET /events/:id and the event types without it. The row stays in
     * both flavours: watching events is the current API's daily use
     * (issue 7's event watcher, the examples) and the simulator serves it
     * there; tests/core/test_catalogue_live.c lists it as wider than its
     * documents. */
    LIST("events.list", "/events", "events", lc_rl_q_typed, s_events, "-occurred_at", NULL,
         "Get all events"),
    SHOW("events.get", "/events/:id", "event", "Get an event"),
    LIST("notifications.list", "/notifications", "notifications", lc_rl_q_filter, NULL, NULL, NULL,
         "Get all notifications"),

    /* notification subscribers: email, text, webhook */
    LIST("notification_subscribers.list", "/notification_subscribers", "notification_subscribers",
         lc_rl_q_typed, lc_rl_s_name, "created_at", t_subscribers,
         "Returns all notification subscriber types (homogeneous)"),
    SHOW("notification_subscribers.get", "/notification_subscribers/:id",
         "notification_subscriber", "Get a notification subscriber"),
    WRITE("notification_subscribers.create", "POST", "/notification_subscribers", POSTB,
          LC_BODY_TYPED, "create_notification_subscriber", t_subscribers,
          "Create an email, text or webhook notification subscriber"),
    WRITE("notification_subscribers.update", "PUT", "/notification_subscribers/:id", PUTB,
          LC_BODY_ATTRIBUTES, "update_notification_subscriber", NULL,
          "Update a notification subscriber"),
    ACTION("notification_subscribers.delete", "DELETE", "/notification_subscribers/:id", DEL,
           "delete_notification_subscriber", "Delete a notification subscriber"),

    /* notification subscriptions: which events of a publisher reach a
     * subscriber */
    LIST("notification_subscriptions.list", "/notification_subscriptions",
         "notification_subscriptions", lc_rl_q_sorted, lc_rl_s_created, "created_at", NULL,
         "Get all notification subscriptions"),
    SHOW("notification_subscriptions.get", "/notification_subscriptions/:id",
         "notification_subscription", "Get a notification subscription"),
    WRITE("notification_subscriptions.create", "POST", "/notification_subscriptions", POSTB,
          LC_BODY_ATTRIBUTES, "create_notification_subscription", NULL,
          "Create a notification subscription"),
    WRITE("notification_subscriptions.update", "PUT", "/notification_subscriptions/:id", PUTB,
          LC_BODY_ATTRIBUTES, "update_notification_subscription", NULL,
          "Update a notification subscription"),
    ACTION("notification_subscriptions.delete", "DELETE", "/notification_subscriptions/:id", DEL,
           "delete_notification_subscription", "Delete a notification subscription"),
};

const lc_catalogue_part lc_rl_part_events = PART(rows);
