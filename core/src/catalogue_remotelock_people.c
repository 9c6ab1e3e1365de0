/* RemoteLock rows: access persons (users and guests) and what they hold
 * (accesses, mobile accesses and credentials, Allegion tokens, Schlage
 * Engage smart cards), and the guests of special locks (igloo, KORE
 * ReadyPIN, resort locks). */
#include "catalogue_remotelock.h"

static const lc_param q_accesses[] = {
    P_ID, P_ATTRS, { "guest_management_enabled", LC_PARAM_SCALAR }, P_END
};
static const lc_param q_persons[] = {
    P_TYPE, { "status", LC_PARAM_STATUS }, P_SORT, P_ID, P_ATTRS, P_END
};
static const lc_param q_smart_cards[] = { { "location_id", LC_PARAM_SCALAR }, P_END };

static const char *const s_persons[] = {
    "created_at", "updated_at", "name", "department", "starts_at", "ends_at", NULL
};
static const char *const s_stays[] = { "created_at", "name", "starts_at", "ends_at", NULL };
static const char *const t_persons[] = { "access_user", "access_guest", NULL };

#define Q_FILTER lc_rl_q_filter
#define Q_SORTED lc_rl_q_sorted

static const lc_endpoint rows[] = {
    /* access persons (users and guests) */
    LIST("access_persons.list", "/access_persons", "access_persons", q_persons, s_persons,
         "created_at", t_persons, "Get all access persons (filter by type and status)"),
    SHOW("access_persons.get", "/access_persons/:id", "access_person", "Get an access person"),
    WRITE("access_persons.create", "POST", "/access_persons", POSTB, LC_BODY_TYPED,
          "create_access_person", t_persons, "Create an access user or access guest"),
    WRITE("access_persons.update", "PUT", "/access_persons/:id", PUTB, LC_BODY_ATTRIBUTES,
          "update_access_person", NULL, "Update an access user or access guest"),
    ACTION("access_persons.deactivate", "PUT", "/access_persons/:id/deactivate", PUT0,
           "deactivate_access_person", "Deactivates an access person"),
    ACTION("access_persons.delete", "DELETE", "/access_persons/:id", DEL,
           "delete_access_person", "Delete an access person"),
    /* the whole document: {csv = "<CSV text>", accessible_type, accessible_id,
     * send_access_instructions}, sent as JSON (000: POST bodies are JSON) */
    WRITE("access_persons.import", "POST", "/access_persons/import", POSTB | NOW,
          LC_BODY_DOCUMENT, "import_access_persons", NULL,
          "Bulk import access persons from CSV text and grant them one accessible"),
    WRITE("access_persons.notify", "POST", "/access_persons/:id/email/notify", POSTB,
          LC_BODY_ATTRIBUTES, "notify_access_person", NULL,
          "Send (or schedule, days_before) the access instructions email"),

    /* an access person's accesses */
    LIST("accesses.list", "/access_persons/:access_person_id/accesses", "accesses", q_accesses,
         NULL, NULL, NULL, "Get all of an access person's accesses"),
    SHOW("accesses.get", "/access_persons/:access_person_id/accesses/:id", "access",
         "Get an access person's access"),
    WRITE("accesses.grant", "POST", "/access_persons/:access_person_id/accesses", POSTB,
          LC_BODY_ATTRIBUTES, "grant_access", NULL,
          "Grant an access person access (lock, ACS door, door group, location ...)"),
    WRITE("accesses.update", "PUT", "/access_persons/:access_person_id/accesses/:id", PUTB,
          LC_BODY_ATTRIBUTES, "update_access", NULL, "Update an access person's access"),
    ACTION("accesses.revoke", "DELETE", "/access_persons/:access_person_id/accesses/:id", DEL,
           "revoke_access", "Revoke an access person's access"),

    /* credentials an access person holds */
    ACTION("allegion_tokens.create", "POST", "/access_persons/:id/allegion_tokens", POST0 | NOW,
           "create_allegion_tokens", "Generate Allegion tokens tied to an access person"),
    LIST_F(NOW, "mobile_accesses.list", "/access_persons/:id/mobile_accesses", "mobile_accesses",
           Q_FILTER, NULL, NULL, NULL, "List the mobile accesses of an access person"),
    LIST_F(NOW, "mobile_credentials.list", "/access_persons/:id/mobile_credentials",
           "mobile_credentials", Q_FILTER, NULL, NULL, NULL,
           "List the mobile credentials of an access person"),
    LIST_F(NOW, "smart_cards.list", "/connector_brands/schlage-engage/smart-cards",
           "schlage_engage_smart_cards", q_smart_cards, NULL, NULL, NULL,
           "Get the Schlage Engage smart cards not in use (filter by location_id)"),

    /* igloo lock guests */
    LIST_F(NOW, "igloo_guests.list", "/igloo_guests", "igloo_guests", Q_FILTER, NULL, NULL, NULL,
           "Get all igloo lock guests"),
    SHOW_F(NOW, "igloo_guests.get", "/igloo_guests/:id", "igloo_guest", "Get an igloo guest"),
    WRITE("igloo_guests.create", "POST", "/igloo_guests", POSTB | NOW, LC_BODY_ATTRIBUTES,
          "create_igloo_guest", NULL, "Create an igloo guest"),
    WRITE("igloo_guests.update", "PUT", "/igloo_guests/:id", PUTB | NOW, LC_BODY_ATTRIBUTES,
          "update_igloo_guest", NULL, "Update an igloo guest"),
    ACTION("igloo_guests.delete", "DELETE", "/igloo_guests/:id", DEL | NOW, "delete_igloo_guest",
           "Discard an igloo guest"),

    /* KORE ReadyPINs */
    LIST_F(NOW, "kore_ready_pins.list", "/kore_ready_pins", "kore_ready_pins", Q_FILTER, NULL,
           NULL, NULL, "Get all ReadyPINs"),
    SHOW_F(NOW, "kore_ready_pins.get", "/kore_ready_pins/:id", "kore_ready_pin",
           "Get a ReadyPIN"),
    WRITE("kore_ready_pins.create", "POST", "/kore_ready_pins", POSTB | NOW, LC_BODY_ATTRIBUTES,
          "create_kore_ready_pin", NULL, "Create a ReadyPIN"),
    WRITE("kore_ready_pins.update", "PUT", "/kore_ready_pins/:id", PUTB | NOW,
          LC_BODY_ATTRIBUTES, "update_kore_ready_pin", NULL,
          "Update a ReadyPIN (not its starts_at or ends_at)"),
    ACTION("kore_ready_pins.delete", "DELETE", "/kore_ready_pins/:id", DEL | NOW,
           "delete_kore_ready_pin", "Delete an expired ReadyPIN"),

    /* resort lock guests */
    LIST("resort_lock_guests.list", "/resort_lock_guests", "resort_lock_guests", Q_SORTED,
         s_stays, "created_at", NULL, "Get all resort lock guests"),
    SHOW("resort_lock_guests.get", "/resort_lock_guests/:id", "resort_lock_guest",
         "Get a resort lock guest"),
    WRITE("resort_lock_guests.create", "POST", "/resort_lock_guests", POSTB, LC_BODY_ATTRIBUTES,
          "create_resort_lock_guest", NULL, "Create a resort lock guest"),
    WRITE("resort_lock_guests.update", "PUT", "/resort_lock_guests/:id", PUTB,
          LC_BODY_ATTRIBUTES, "update_resort_lock_guest", NULL, "Update a resort lock guest"),
    ACTION("resort_lock_guests.delete", "DELETE", "/resort_lock_guests/:id", DEL,
           "delete_resort_lock_guest", "Delete a resort lock guest"),
    ACTION("resort_lock_guests.notify", "POST", "/resort_lock_guests/:id/email/notify", POST0,
           "notify_resort_lock_guest", "Send access instructions email to resort lock guest"),
    SHOW("resort_lock_guests.email_preview", "/resort_lock_guests/:id/email/preview",
         "resort_lock_guest_email_preview",
         "Preview resort lock guest access instructions email"),
};

const lc_catalogue_part lc_rl_part_people = PART(rows);
