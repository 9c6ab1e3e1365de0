/* The presence= requirement: the person unlocked the device (or any device
 * of the location) within the term's duration. Read from one page of the
 * person's events, newest first, and for a location one page of its
 * devices; what one page cannot settle is a deny. */
#include <stdint.h>
#include <string.h>

#include "policy_internal.h"

#define FUTURE_SLACK_S 300 /* an unlock "from the future" beyond this is a
                              clock or data error, not a presence */

/* A successful unlock with a credential (method) by person_id. */
static const cJSON *unlock_by(const cJSON *ev, const char *person_id)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(ev, "attributes");
    const char *type = lc_pol_str(ev, "type"), *status = lc_pol_str(a, "status");
    const char *who = lc_pol_str(a, "associated_resource_id");
    const char *who_type = lc_pol_str(a, "associated_resource_type");
    const char *method = lc_pol_str(a, "method");

    if (!type || strcmp(type, "unlocked_event") != 0 || !status ||
        strcmp(status, "succeeded") != 0 || !who || !lc_pol_same_id(who, person_id) ||
        !who_type || (strcmp(who_type, "access_user") != 0 &&
                      strcmp(who_type, "access_guest") != 0) ||
        !method || !method[0])
        return NULL;
    return a;
}

/* The device the event names is the term's device, or one of the
 * location's (devices: that document's data). */
static int at_target(const cJSON *a, const lc_term *t, const cJSON *devices)
{
    const char *pub = lc_pol_str(a, "publisher_id"), *ptype = lc_pol_str(a, "publisher_type");
    const cJSON *dev;

    if (!pub)
        return 0;
    if (!devices)
        return ptype && strcmp(ptype, t->type) == 0 && lc_pol_same_id(pub, t->id);
    cJSON_ArrayForEach(dev, devices) {
        const char *id = lc_pol_str(dev, "id");
        const char *loc = lc_pol_str(cJSON_GetObjectItemCaseSensitive(dev, "attributes"),
                                     "location_id");
        if (id && loc && lc_pol_same_id(id, pub) && lc_pol_same_id(loc, t->id))
            return 1;
    }
    return 0;
}

int lc_pol_presence(const lc_term *t, const lc_policy_input *in, lc_pol_result *r)
{
    int location = strcmp(t->type, "location") == 0;
    const char *where = location ? "at this location" : "of this door";
    const cJSON *events, *devices = NULL, *ev;
    int more, devices_more = 0;
    int64_t since = (int64_t)in->now - t->window_s, newest = INT64_MIN, oldest = INT64_MAX;
    char dur[24];

    lc_pol_duration_show(t->window_s, dur, sizeof dur);
    if (!in->person_id)
        return lc_pol_set(r, 0, "no person to look for");
    events = lc_pol_collection(in->events, &more);
    if (!events)
        return lc_pol_set(r, 0, "your recent unlocks could not be read");
    if (location) {
        devices = lc_pol_collection(in->devices, &devices_more);
        if (!devices)
            return lc_pol_set(r, 0, "the doors of this location could not be read");
    }
    cJSON_ArrayForEach(ev, events) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(ev, "attributes");
        lc_pol_time when;

        if (lc_pol_time_parse(lc_pol_str(a, "occurred_at"), &when) != 0 || !when.zoned)
            continue;
        if (when.earliest < oldest)
            oldest = when.earliest;
        if (!unlock_by(ev, in->person_id) || when.earliest <= since ||
            when.earliest > (int64_t)in->now + FUTURE_SLACK_S || !at_target(a, t, devices))
            continue;
        if (when.earliest > newest)
            newest = when.earliest;
    }
    if (newest != INT64_MIN) {
        lc_pol_sooner(r, (time_t)(newest + t->window_s));
        return lc_pol_set(r, 1, "unlock %s within %s", where, dur);
    }
    /* Not on this page: only final when the page reaches back past the
     * window (newest first) and, for a location, all its devices are known. */
    if ((more && oldest > since) || devices_more)
        return lc_pol_set(r, 0, "too many recent unlocks to check %s", where);
    return lc_pol_set(r, 0, "no unlock %s within %s", where, dur);
}
