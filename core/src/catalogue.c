/* The endpoint catalogue: API coverage is data. Add a row per endpoint;
 * names are "<resource>.<action>", paths use ":param" segments filled in
 * order by lc_call's path_args. Summaries follow the API documentation. */
#include <string.h>

#include "lockcloud/lockcloud.h"

#define C LC_EP_COLLECTION
#define B LC_EP_BODY
#define N LC_EP_NO_CONTENT

static const lc_endpoint catalogue[] = {
    /* access persons (users and guests) */
    { "access_persons.list", "GET", "/access_persons", C,
      "Get all access persons (filter by type and status)" },
    { "access_persons.get", "GET", "/access_persons/:id", 0,
      "Get an access person" },
    { "access_persons.create", "POST", "/access_persons", B,
      "Create an access user or access guest" },
    { "access_persons.update", "PUT", "/access_persons/:id", B,
      "Update an access user or access guest" },
    { "access_persons.deactivate", "PUT", "/access_persons/:id/deactivate", 0,
      "Deactivates an access person" },
    { "access_persons.delete", "DELETE", "/access_persons/:id", N,
      "Delete an access person" },

    /* an access person's accesses */
    { "accesses.list", "GET", "/access_persons/:access_person_id/accesses", C,
      "Get all of an access person's accesses" },
    { "accesses.get", "GET", "/access_persons/:access_person_id/accesses/:id", 0,
      "Get an access person's access" },
    { "accesses.grant", "POST", "/access_persons/:access_person_id/accesses", B,
      "Grant an access person access" },
    { "accesses.update", "PUT", "/access_persons/:access_person_id/accesses/:id", B,
      "Update an access person's access" },
    { "accesses.revoke", "DELETE", "/access_persons/:access_person_id/accesses/:id", N,
      "Revoke an access person's access" },

    /* devices */
    { "devices.list", "GET", "/devices", C,
      "Returns all device types (homogeneous)" },
    { "devices.get", "GET", "/devices/:id", 0,
      "Get a device" },
    { "devices.lock", "PUT", "/devices/:id/lock", 0,
      "Lock a lock" },
    { "devices.unlock", "PUT", "/devices/:id/unlock", 0,
      "Unlock a lock" },

    /* locations */
    { "locations.list", "GET", "/locations", C,
      "Get all locations" },
    { "locations.get", "GET", "/locations/:id", 0,
      "Get a location" },

    /* events and notifications */
    { "events.list", "GET", "/events", C,
      "Get all events (LockState v1)" },
    { "events.get", "GET", "/events/:id", 0,
      "Get an event" },
    { "notifications.list", "GET", "/notifications", C,
      "Get all notifications" },
};

#undef C
#undef B
#undef N

const lc_endpoint *lc_endpoint_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
        if (strcmp(catalogue[i].name, name) == 0)
            return &catalogue[i];
    return NULL;
}

const lc_endpoint *lc_endpoint_at(size_t index)
{
    return index < sizeof(catalogue) / sizeof(catalogue[0]) ? &catalogue[index] : NULL;
}
