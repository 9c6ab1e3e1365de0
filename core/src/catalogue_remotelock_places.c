/* RemoteLock rows: the account and the signed-in user, locations, and
 * groups (door groups with their items; LockState v1 calls them doors),
 * with the door group access search that answers CSV. */
#include "catalogue_remotelock.h"

static const char *const t_groups[] = { "door_group", NULL };

static const lc_endpoint rows[] = {
    /* account and user */
    SHOW("account.get", "/account", "account", "Get current account"),
    WRITE("account.update", "PUT", "/account", PUTB, LC_BODY_ATTRIBUTES, "update_account", NULL,
          "Update current account"),
    SHOW("user.get", "/user", "user", "Get signed in user"),

    /* locations */
    LIST("locations.list", "/locations", "locations", lc_rl_q_sorted, lc_rl_s_name, "name", NULL,
         "Get all locations"),
    SHOW("locations.get", "/locations/:id", "location", "Get a location"),
    WRITE("locations.create", "POST", "/locations", POSTB, LC_BODY_ATTRIBUTES, "create_location",
          NULL, "Create a location"),
    WRITE("locations.update", "PUT", "/locations/:id", PUTB, LC_BODY_ATTRIBUTES,
          "update_location", NULL, "Update a location"),
    ACTION("locations.delete", "DELETE", "/locations/:id", DEL, "delete_location",
           "Delete a location"),

    /* groups */
    LIST("groups.list", "/groups", "groups", lc_rl_q_typed, lc_rl_s_name, "created_at", t_groups,
         "Returns all group types (homogeneous)"),
    SHOW("groups.get", "/groups/:id", "group", "Get a group"),
    WRITE("groups.create", "POST", "/groups", POSTB, LC_BODY_TYPED, "create_group", t_groups,
          "Create a door group"),
    WRITE("groups.update", "PUT", "/groups/:id", PUTB, LC_BODY_ATTRIBUTES, "update_group", NULL,
          "Update a group"),
    ACTION("groups.delete", "DELETE", "/groups/:id", DEL, "delete_group", "Delete a group"),

    /* a door group's items (current API; filter by attributes item_type) */
    LIST_F(NOW, "group_items.list", "/groups/:group_id/items", "group_items", lc_rl_q_sorted,
           lc_rl_s_created, "created_at", NULL, "Get all items in a door group"),
    SHOW_F(NOW, "group_items.get", "/groups/:group_id/items/:id", "group_item",
           "Get an item in a door group"),
    WRITE("group_items.add", "POST", "/groups/:group_id/items", POSTB | NOW, LC_BODY_ATTRIBUTES,
          "add_group_item", NULL, "Add an item to a door group"),
    ACTION("group_items.remove", "DELETE", "/groups/:group_id/items/:id", DEL | NOW,
           "remove_group_item", "Remove an item from a door group"),

    /* a door group's doors (LockState v1; filter by attributes door_type) */
    LIST_F(V1, "group_doors.list", "/groups/:group_id/doors", "group_doors", lc_rl_q_sorted,
           lc_rl_s_created, "created_at", NULL, "Get all doors in a door group"),
    SHOW_F(V1, "group_doors.get", "/groups/:group_id/doors/:id", "group_door",
           "Get a door in a door group"),
    WRITE("group_doors.add", "POST", "/groups/:group_id/doors", POSTB | V1, LC_BODY_ATTRIBUTES,
          "add_group_door", NULL, "Add a door to a door group"),
    ACTION("group_doors.remove", "DELETE", "/groups/:group_id/doors/:id", DEL | V1,
           "remove_group_door", "Remove a door from a door group"),

    /* the access persons of a door group's devices, as CSV text */
    SHOW_F(NOW | LC_EP_CSV_ANSWER, "door_group_accesses.search",
           "/groups/:id/door_group_accesses/search.csv", "search_door_group_accesses",
           "Retrieve the access persons of the devices in a door group (CSV)"),
};

const lc_catalogue_part lc_rl_part_places = PART(rows);
