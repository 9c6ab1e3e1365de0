/* Access persons through the resource boundary: listing (default status
 * filter, status/type filters, sorting, pagination), guest status against
 * the clock and time zones, create/update/deactivate/delete, validation and
 * hostile input. */
#include "test_store_harness.h"

#define PERSON_KEYS                                                                        \
    "name,email,phone,department,deliver_as_qr_code,status,source,guest_source,"          \
    "deliver_as_url_credential,require_pin_verification,"                                  \
    "schlage_engage_mobile_credentials_enabled,korelock_wifi_credential_enabled,"         \
    "ttlock_mobile_credential_enabled,igloo_mobile_credentials_enabled,"                  \
    "august_mobile_credentials_enabled,dormakaba_lyazon_mobile_credentials_enabled,"      \
    "card_number_is_hex,created_at,updated_at,pin,card_number,schlage_engage_smart_card_id," \
    "schlage_engage_smart_card_badge"
#define GUEST_TAIL ",starts_at,ends_at,ready_pins"
#define ALL_STATUSES                                                                       \
    "attributes[status][]=current&attributes[status][]=upcoming&"                          \
    "attributes[status][]=expired&attributes[status][]=deactivated"

static void listing(void)
{
    harness h;
    char keys[2048];
    h_init(&h);

    ok(h_call(&h, "GET", "/access_persons", NULL) == 1 && h.status == 200, "list answers 200");
    static const char *const def[] = {P(1), P(2), P(3)};
    ok(h_ids(&h, def, 3), "no status filter: only current and upcoming, created_at ascending");
    h_keys(h_get(h.body, "meta"), keys, sizeof keys);
    ok(strcmp(keys, "page,per_page,total_count,total_pages") == 0, "meta keys in documented order (%s)", keys);
    ok(h_num(&h, "meta.page") == 1 && h_num(&h, "meta.per_page") == 25 &&
           h_num(&h, "meta.total_count") == 3 && h_num(&h, "meta.total_pages") == 1,
       "meta defaults page 1, per_page 25, totals 3/1");
    h_keys(h_get(h.body, "data.0"), keys, sizeof keys);
    ok(strcmp(keys, "type,attributes,id,links,meta") == 0, "resource keys %s", keys);
    h_keys(h_get(h.body, "data.0.attributes"), keys, sizeof keys);
    ok(strcmp(keys, PERSON_KEYS) == 0, "access_user collection attributes as documented");
    h_keys(h_get(h.body, "data.1.attributes"), keys, sizeof keys);
    ok(strcmp(keys, PERSON_KEYS GUEST_TAIL) == 0, "access_guest collection attributes as documented");
    ok(strcmp(h_str(&h, "data.0.links.self"), H_BASE "/access_persons/" P(1)) == 0,
       "links.self uses the request base_url");
    ok(strcmp(h_str(&h, "data.0.meta.restricted_attributes.0"), "url_credential") == 0 &&
           !h_get(h.body, "data.0.meta.restricted_actions"),
       "meta.restricted_attributes, no restricted_actions for a current person");
    ok(strcmp(h_str(&h, "data.1.attributes.status"), "current") == 0 &&
           strcmp(h_str(&h, "data.2.attributes.status"), "upcoming") == 0,
       "Casey current, Uma upcoming");

    h_call(&h, "GET", "/access_persons?attributes[status][]=deactivated&attributes[status][]=expired", NULL);
    static const char *const gone[] = {P(4), P(5), P(6)};
    ok(h.status == 200 && h_ids(&h, gone, 3), "status array filter: expired and deactivated");
    ok(strcmp(h_str(&h, "data.1.meta.restricted_actions.0"), "update") == 0 &&
           strcmp(h_str(&h, "data.0.meta.restricted_actions.0"), "update") == 0,
       "expired and deactivated persons carry restricted_actions [update]");
    h_call(&h, "GET", "/access_persons?attributes[status]=expired", NULL);
    static const char *const expired[] = {P(4), P(6)};
    ok(h_ids(&h, expired, 2), "single status filter");

    h_call(&h, "GET", "/access_persons?type=access_user", NULL);
    static const char *const users[] = {P(1)};
    ok(h_ids(&h, users, 1), "type filter");
    h_call(&h, "GET", "/access_persons?[type]=access_guest&attributes[status]=current", NULL);
    static const char *const cur_guests[] = {P(2)};
    ok(h_ids(&h, cur_guests, 1), "[type] filter combined with status");
    h_call(&h, "GET", "/access_persons?type[]=access_user&type[]=access_guest&" ALL_STATUSES, NULL);
    ok(h_count(&h) == 6, "type[] array and every status: all six");

    h_call(&h, "GET", "/access_persons?sort=name&" ALL_STATUSES, NULL);
    static const char *const by_name[] = {P(1), P(2), P(5), P(4), P(6), P(3)};
    ok(h_ids(&h, by_name, 6), "sort=name");
    h_call(&h, "GET", "/access_persons?sort=-name&" ALL_STATUSES, NULL);
    static const char *const by_name_desc[] = {P(3), P(6), P(4), P(5), P(2), P(1)};
    ok(h_ids(&h, by_name_desc, 6), "sort=-name");
    h_call(&h, "GET", "/access_persons?sort=ends_at&" ALL_STATUSES, NULL);
    static const char *const by_end[] = {P(1), P(4), P(6), P(5), P(2), P(3)};
    ok(h_ids(&h, by_end, 6), "sort=ends_at (users without ends_at first)");
    h_call(&h, "GET", "/access_persons?sort=-created_at", NULL);
    static const char *const newest[] = {P(3), P(2), P(1)};
    ok(h_ids(&h, newest, 3), "sort=-created_at");
    h_call(&h, "GET", "/access_persons?sort=password", NULL);
    ok(h.status == 400 && cJSON_IsString(h_get(h.body, "message")), "unknown sort attribute: 400 with message");

    static const char *const pages[3][2] = {{P(1), P(4)}, {P(2), P(3)}, {P(5), P(6)}};
    for (int p = 1; p <= 3; p++) {
        char target[512];
        snprintf(target, sizeof target, "/access_persons?per_page=2&page=%d&" ALL_STATUSES, p);
        h_call(&h, "GET", target, NULL);
        ok(h.status == 200 && h_ids(&h, pages[p - 1], 2) && h_num(&h, "meta.page") == p &&
               h_num(&h, "meta.per_page") == 2 && h_num(&h, "meta.total_count") == 6 &&
               h_num(&h, "meta.total_pages") == 3,
           "per_page=2 page %d of 3", p);
    }
    h_call(&h, "GET", "/access_persons?per_page=2&page=4&" ALL_STATUSES, NULL);
    ok(h.status == 200 && h_count(&h) == 0 && h_num(&h, "meta.total_pages") == 3 &&
           h_num(&h, "meta.page") == 4,
       "page past the end: empty data, true meta");
    h_call(&h, "GET", "/access_persons?per_page=100", NULL);
    ok(h.status == 200 && h_num(&h, "meta.per_page") == 50, "per_page above 50 is clamped to 50");
    static const char *const bad[] = {"per_page=0", "page=0", "page=abc", "page=-1",
                                      "per_page=1e3", "page=", "page=99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char target[128];
        snprintf(target, sizeof target, "/access_persons?%s", bad[i]);
        h_call(&h, "GET", target, NULL);
        ok(h.status == 400 && cJSON_IsString(h_get(h.body, "message")), "%s: 400 with message", bad[i]);
    }
    h_call(&h, "GET", "/access_persons?page=201&per_page=50", NULL);
    ok(h.status == 400, "page*per_page above 10,000: 400");
    h_call(&h, "GET", "/access_persons?page=200&per_page=50", NULL);
    ok(h.status == 200 && h_count(&h) == 0, "page*per_page exactly 10,000 is allowed");
    h_free(&h);
}

static void show_and_routes(void)
{
    harness h;
    char keys[2048];
    h_init(&h);
    ok(h_call(&h, "GET", "/access_persons/" P(2), NULL) == 1 && h.status == 200, "show a guest");
    h_keys(h_get(h.body, "data.attributes"), keys, sizeof keys);
    ok(strcmp(keys, PERSON_KEYS ",url_credential" GUEST_TAIL) == 0,
       "single guest carries url_credential before starts_at");
    ok(strcmp(h_str(&h, "data.attributes.starts_at"), "2026-03-08T15:00:00") == 0 &&
           strcmp(h_str(&h, "data.attributes.pin"), "1002") == 0,
       "fixture values come through");
    h_call(&h, "GET", "/access_persons/30000000-0000-4000-8000-00000000ffff", NULL);
    ok(h.status == 404 && strcmp(h_str(&h, "message"), "Not found") == 0, "unknown id: 404 Not found");
    ok(h_call(&h, "GET", "/nothing/here", NULL) == 0, "unknown collection is not a route");
    ok(h_call(&h, "POST", "/access_persons/" P(1) "/email/teleport", NULL) == 0,
       "unsimulated sub-path is not a route");
    ok(h_call(&h, "POST", "/access_persons/" P(1), "{}") == 1 && h.status == 404,
       "unsupported method on a known path: 404");
    ok(h_call(&h, "GET", "/access_persons/" P(1) "/deactivate", NULL) == 1 && h.status == 404,
       "GET on deactivate: 404");
    char *big = malloc(12000);
    memcpy(big, "/access_persons/", 16);
    memset(big + 16, 'x', 10000);
    big[10016] = '\0';
    ok(h_call(&h, "GET", big, NULL) == 1 && h.status == 404, "10 KB id: 404, no crash");
    free(big);
    ok(h_call(&h, "GET", "//access_persons//" P(1) "/", NULL) == 1 && h.status == 200,
       "doubled and trailing slashes are tolerated");
    h_free(&h);
}

static const char *status_at(harness *h, const char *id, const char *utc)
{
    char target[128];
    h->now = h_time(utc);
    snprintf(target, sizeof target, "/access_persons/%s", id);
    h_call(h, "GET", target, NULL);
    return h_str(h, "data.attributes.status");
}

static void guest_status(void)
{
    harness h;
    h_init(&h);
    /* Casey: 2026-03-08T15:00 .. 03-14T11:00 at Harbor View (Denver, MDT from 03-08). */
    ok(strcmp(status_at(&h, P(2), "2026-03-08T20:59:59Z"), "upcoming") == 0, "Casey upcoming a second before 15:00 MDT");
    ok(strcmp(status_at(&h, P(2), "2026-03-08T21:00:00Z"), "current") == 0, "Casey current at 15:00 MDT");
    ok(strcmp(status_at(&h, P(2), "2026-03-14T16:59:59Z"), "current") == 0, "Casey current a second before 11:00 MDT");
    ok(strcmp(status_at(&h, P(2), "2026-03-14T17:00:00Z"), "expired") == 0, "Casey expired at 11:00 MDT");
    /* Tess: ends 2026-03-10T12:30 at Alpine Lodge (Berlin, CET). */
    ok(strcmp(status_at(&h, P(6), "2026-03-10T11:29:59Z"), "current") == 0, "Tess current until 12:30 Berlin");
    ok(strcmp(status_at(&h, P(6), "2026-03-10T12:00:00Z"), "expired") == 0,
       "Tess expired at the start clock (13:00 in Berlin)");
    ok(strcmp(status_at(&h, P(5), "2026-03-10T12:00:00Z"), "deactivated") == 0, "Dana deactivated");
    ok(strcmp(status_at(&h, P(1), "2030-01-01T00:00:00Z"), "current") == 0, "access users are always current");
    /* The last second the clock allows is already year 10000 on Berlin's
     * wall clock: a status that cannot be placed there must not be "current". */
    ok(strcmp(status_at(&h, P(6), "9999-12-31T23:30:00Z"), "expired") == 0,
       "Tess expired when Berlin's wall clock has passed 9999 (not current)");
    h.now = (time_t)253402300799 + 12 * 3600; /* 10000-01-01T11:59:59Z */
    h_call(&h, "GET", "/access_persons/" P(2), NULL);
    ok(strcmp(h_str(&h, "data.attributes.status"), "current") != 0,
       "Casey is not current in the year 10000 (%s)", h_str(&h, "data.attributes.status"));
    /* Without the Berlin grant Tess falls back to the account zone (Denver). */
    h_call(&h, "DELETE", "/access_persons/" P(6) "/accesses/" A(6), NULL);
    ok(h.status == 204, "revoke Tess's Lodge Entrance access");
    ok(strcmp(status_at(&h, P(6), "2026-03-10T12:00:00Z"), "current") == 0,
       "Tess current when read in Denver (06:00 MDT)");
    h_call(&h, "POST", "/access_persons/" P(6) "/accesses",
           "{\"attributes\":{\"accessible_type\":\"location\",\"accessible_id\":\"" L(2) "\"}}");
    ok(h.status == 201, "grant Tess the Alpine Lodge location");
    ok(strcmp(status_at(&h, P(6), "2026-03-10T12:00:00Z"), "expired") == 0,
       "a location grant brings the Berlin zone back");
    h_free(&h);
}

static void create(void)
{
    harness h;
    char keys[2048];
    h_init(&h);
    struct {
        const char *body, *attr, *what;
    } cases[] = {
        {"{\"attributes\":{\"name\":\"X\",\"pin\":\"4321\"}}", "type", "missing type"},
        {"{\"type\":\"access_admin\",\"attributes\":{\"name\":\"X\",\"pin\":\"4321\"}}", "type", "unknown type"},
        {"{\"type\":7,\"attributes\":{\"name\":\"X\",\"pin\":\"4321\"}}", "type", "type a number"},
        {"{\"type\":\"access_user\",\"attributes\":{\"pin\":\"4321\"}}", "name", "missing name"},
        {"{\"type\":\"access_user\",\"attributes\":{\"name\":\"  \",\"pin\":\"4321\"}}", "name", "blank name"},
        {"{\"type\":\"access_user\",\"attributes\":{\"name\":42,\"pin\":\"4321\"}}", "name", "name a number"},
        {"{\"type\":\"access_user\",\"attributes\":{\"name\":\"X\"}}", NULL, "no credential"},
        {"{\"type\":\"access_user\"}", "name", "no attributes at all"},
        {"{\"type\":\"access_user\",\"attributes\":{\"name\":\"X\",\"pin\":\"12ab\"}}", "pin", "non-digit PIN"},
        {"{\"type\":\"access_user\",\"attributes\":{\"name\":\"X\",\"pin\":1234}}", "pin", "PIN a number"},
        {"{\"type\":\"access_user\",\"attributes\":{\"name\":\"X\",\"pin\":\"1002\"}}", "pin", "PIN taken"},
        {"{\"type\":\"access_user\",\"attributes\":{\"name\":\"X\",\"generate_pin\":\"yes\"}}", "generate_pin", "generate_pin not a boolean"},
        {"{\"type\":\"access_user\",\"attributes\":{\"name\":\"X\",\"pin\":\"4321\",\"email\":[]}}", "email", "email an array"},
        {"{\"type\":\"access_user\",\"attributes\":{\"name\":\"X\",\"pin\":\"4321\",\"deliver_as_qr_code\":1}}", "deliver_as_qr_code", "flag a number"},
        {"{\"type\":\"access_guest\",\"attributes\":{\"name\":\"G\",\"pin\":\"4321\"}}", "starts_at", "guest without window"},
        {"{\"type\":\"access_guest\",\"attributes\":{\"name\":\"G\",\"pin\":\"4321\",\"starts_at\":\"2026-03-10T10:00:00\"}}", "ends_at", "guest without ends_at"},
        {"{\"type\":\"access_guest\",\"attributes\":{\"name\":\"G\",\"pin\":\"4321\",\"starts_at\":\"2026-03-12T10:00:00\",\"ends_at\":\"2026-03-11T10:00:00\"}}", "ends_at", "ends before starts"},
        {"{\"type\":\"access_guest\",\"attributes\":{\"name\":\"G\",\"pin\":\"4321\",\"starts_at\":\"2026-03-12T10:00:00\",\"ends_at\":\"2026-03-12T10:00:00\"}}", "ends_at", "empty window"},
        {"{\"type\":\"access_guest\",\"attributes\":{\"name\":\"G\",\"pin\":\"4321\",\"starts_at\":\"2026-13-40T99:00:00\",\"ends_at\":\"2026-03-11T10:00:00\"}}", "starts_at", "invalid date"},
        {"{\"type\":\"access_guest\",\"attributes\":{\"name\":\"G\",\"pin\":\"4321\",\"starts_at\":\"2026-02-30T10:00:00\",\"ends_at\":\"2026-03-11T10:00:00\"}}", "starts_at", "February 30th"},
        {"{\"type\":\"access_guest\",\"attributes\":{\"name\":\"G\",\"pin\":\"4321\",\"starts_at\":\"tomorrow\",\"ends_at\":\"2026-03-11T10:00:00\"}}", "starts_at", "words for a date"},
        {"{\"type\":\"access_guest\",\"attributes\":{\"name\":\"G\",\"pin\":\"4321\",\"starts_at\":20260310,\"ends_at\":\"2026-03-11T10:00:00\"}}", "starts_at", "date a number"},
        {"{\"type\":\"access_guest\",\"attributes\":{\"name\":\"G\",\"pin\":\"4321\",\"starts_at\":\"2026-03-10T10:00:00+02:00\",\"ends_at\":\"2026-03-11T10:00:00\"}}", "starts_at", "date with an offset"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        h_call(&h, "POST", "/access_persons", cases[i].body);
        ok(h_has_error(&h, cases[i].attr), "create refused, %s: 422 on %s", cases[i].what,
           cases[i].attr ? cases[i].attr : "(null)");
    }
    h_call(&h, "POST", "/access_persons",
           "{\"type\":\"access_user\",\"attributes\":{\"name\":\"X\",\"pin\":\"1002\"}}");
    const cJSON *full = h_get(h.body, "errors.0.full_messages.0");
    ok(full && strcmp(full->valuestring, "PIN has already been taken") == 0 &&
           !h_get(h.body, "attributes"),
       "duplicate PIN answers the documented message and shape");

    /* 10 KB name */
    size_t n = 10240;
    char *body = malloc(n + 128);
    int len = snprintf(body, n + 128, "{\"type\":\"access_user\",\"attributes\":{\"pin\":\"4321\",\"name\":\"");
    memset(body + len, 'n', n);
    snprintf(body + len + n, 64, "\"}}");
    h_call(&h, "POST", "/access_persons", body);
    free(body);
    ok(h_has_error(&h, "name"), "10 KB name: 422 on name");

    h_call(&h, "POST", "/access_persons", "{\"type\":\"access_user\",\"attributes\":[1]}");
    ok(h.status == 400 && cJSON_IsString(h_get(h.body, "message")), "attributes not an object: 400");
    h_call(&h, "POST", "/access_persons", "[]");
    ok(h.status == 400, "body not an object: 400");
    h_call(&h, "POST", "/access_persons", NULL);
    ok(h.status == 400, "no body: 400");
    h_call(&h, "GET", "/access_persons?" ALL_STATUSES, NULL);
    ok(h_count(&h) == 6, "refused creates left the store alone");

    h_call(&h, "POST", "/access_persons",
           "{\"type\":\"access_user\",\"attributes\":{\"name\":\"Ann Smith\",\"email\":\"ann@example.com\","
           "\"department\":\"Human Resources\",\"pin\":\"0999\",\"card_number\":\"23456\","
           "\"phone\":\"+13036671824\",\"igloo_mobile_credentials_enabled\":true}}");
    ok(h.status == 201, "create an access user: 201");
    ok(strcmp(h_str(&h, "data.id"), "a0000000-0000-4000-8000-000000000001") == 0,
       "first generated id is deterministic (%s)", h_str(&h, "data.id"));
    h_keys(h_get(h.body, "data.attributes"), keys, sizeof keys);
    ok(strcmp(keys, PERSON_KEYS ",url_credential") == 0, "created user attributes as documented");
    ok(cJSON_IsNull(h_get(h.body, "data.attributes.phone")) &&
           cJSON_IsTrue(h_get(h.body, "data.attributes.igloo_mobile_credentials_enabled")) &&
           strcmp(h_str(&h, "data.attributes.department"), "Human Resources") == 0 &&
           strcmp(h_str(&h, "data.attributes.card_number"), "23456") == 0,
       "documented parameters applied, phone ignored like the API");
    ok(strcmp(h_str(&h, "data.attributes.created_at"), "2026-03-10T12:00:00Z") == 0 &&
           strcmp(h_str(&h, "data.attributes.status"), "current") == 0,
       "created_at from the simulator clock, status current");
    ok(strcmp(h_str(&h, "data.links.self"), H_BASE "/access_persons/a0000000-0000-4000-8000-000000000001") == 0,
       "links.self of the new person");
    h_call(&h, "GET", "/access_persons/a0000000-0000-4000-8000-000000000001", NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.name"), "Ann Smith") == 0, "new person can be read back");

    h_call(&h, "POST", "/access_persons",
           "{\"type\":\"access_guest\",\"attributes\":{\"starts_at\":\"2027-01-02T16:04\","
           "\"ends_at\":\"2027-01-30T16:04:00Z\",\"name\":\"Gus Guest\",\"generate_pin\":true}}");
    ok(h.status == 201 && strcmp(h_str(&h, "data.type"), "access_guest") == 0, "create a guest with generate_pin");
    const char *pin = h_str(&h, "data.attributes.pin");
    ok(strlen(pin) >= 4 && strspn(pin, "0123456789") == strlen(pin), "generated PIN %s has 4+ digits", pin);
    ok(strcmp(pin, "5000") == 0, "generated PINs start at 5000 (docs/SIMULATOR.md): %s", pin);
    ok(strcmp(h_str(&h, "data.attributes.starts_at"), "2027-01-02T16:04:00") == 0 &&
           strcmp(h_str(&h, "data.attributes.ends_at"), "2027-01-30T16:04:00") == 0,
       "window normalised (seconds added, Z dropped)");
    ok(strcmp(h_str(&h, "data.attributes.status"), "upcoming") == 0, "future guest is upcoming");
    char first_pin[32];
    snprintf(first_pin, sizeof first_pin, "%s", pin);
    h_call(&h, "POST", "/access_persons",
           "{\"type\":\"access_user\",\"attributes\":{\"name\":\"Second\",\"generate_pin\":true,"
           "\"generate_card_number\":true}}");
    ok(h.status == 201 && strcmp(h_str(&h, "data.attributes.pin"), first_pin) != 0 &&
           strcmp(h_str(&h, "data.attributes.card_number"), "(none)") != 0,
       "generated PINs are unique; generate_card_number fills card_number");
    h_call(&h, "GET", "/access_persons", NULL);
    ok(h_count(&h) == 6, "default list now has the three new persons too");
    h_free(&h);
}

static void update_deactivate_delete(void)
{
    harness h;
    h_init(&h);
    h_call(&h, "PUT", "/access_persons/" P(4), "{\"attributes\":{\"ends_at\":\"2026-03-16T00:00:00Z\"},\"audited\":true}");
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.ends_at"), "2026-03-16T00:00:00") == 0,
       "extend an expired guest's stay");
    ok(strcmp(h_str(&h, "data.attributes.status"), "current") == 0 && !h_get(h.body, "data.meta.restricted_actions"),
       "the expired guest is current again");
    ok(strcmp(h_str(&h, "data.attributes.updated_at"), "2026-03-10T12:00:00Z") == 0 &&
           strcmp(h_str(&h, "data.attributes.created_at"), "2026-01-20T18:00:00Z") == 0,
       "updated_at moves, created_at stays");
    h_call(&h, "PATCH", "/access_persons/" P(2), "{\"attributes\":{\"name\":\"House Owner\",\"pin\":\"2345\"}}");
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.name"), "House Owner") == 0 &&
           strcmp(h_str(&h, "data.attributes.pin"), "2345") == 0,
       "PATCH updates name and pin");
    h_call(&h, "PUT", "/access_persons/" P(2), "{\"attributes\":{\"name\":\"Nope\",\"pin\":\"1001\"}}");
    ok(h_has_error(&h, "pin"), "update to a taken PIN: 422");
    h_call(&h, "PUT", "/access_persons/" P(2), "{\"attributes\":{\"ends_at\":\"2026-03-01T00:00:00\"}}");
    ok(h_has_error(&h, "ends_at"), "update ending before the start: 422");
    h_call(&h, "PUT", "/access_persons/" P(2), "{\"attributes\":{\"pin\":null}}");
    ok(h_has_error(&h, NULL), "removing the only credential: 422");
    h_call(&h, "GET", "/access_persons/" P(2), NULL);
    ok(strcmp(h_str(&h, "data.attributes.name"), "House Owner") == 0 &&
           strcmp(h_str(&h, "data.attributes.pin"), "2345") == 0 &&
           strcmp(h_str(&h, "data.attributes.ends_at"), "2026-03-14T11:00:00") == 0,
       "refused updates changed nothing");
    h_call(&h, "PUT", "/access_persons/" P(1), "{\"attributes\":{\"starts_at\":\"2026-01-01T00:00:00\"}}");
    ok(h.status == 200 && !h_get(h.body, "data.attributes.starts_at"), "users ignore starts_at");
    h_call(&h, "PUT", "/access_persons/" P(1), "{\"attributes\":\"x\"}");
    ok(h.status == 400, "update with attributes a string: 400");
    h_call(&h, "PUT", "/access_persons/" P(5), "{\"attributes\":{\"name\":\"Back\"}}");
    ok(h_has_error(&h, NULL), "deactivated person refuses updates: 422");
    h_call(&h, "PUT", "/access_persons/30000000-0000-4000-8000-0000000000ff", "{\"attributes\":{}}");
    ok(h.status == 404, "update unknown id: 404");

    h_call(&h, "PUT", "/access_persons/" P(2) "/deactivate", NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.status"), "deactivated") == 0 &&
           strcmp(h_str(&h, "data.meta.restricted_actions.0"), "update") == 0,
       "deactivate: status deactivated, restricted_actions [update]");
    h_call(&h, "GET", "/access_persons", NULL);
    static const char *const left[] = {P(1), P(4), P(3)};
    ok(h_ids(&h, left, 3), "default list drops the deactivated guest and shows the extended one");
    h_call(&h, "PUT", "/access_persons/" P(2) "/deactivate", NULL);
    ok(h.status == 200, "deactivate twice is harmless");
    /* The docs name no PATCH route but pair PUT/PATCH in their status and
     * Content-Type rules: PATCH is taken wherever PUT is, actions too. */
    h_call(&h, "PATCH", "/access_persons/" P(2) "/deactivate", NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.status"), "deactivated") == 0,
       "PATCH on an action route acts as PUT");

    h_call(&h, "DELETE", "/access_persons/" P(3), NULL);
    ok(h.status == 204 && h.body == NULL, "delete: 204 with no body");
    h_call(&h, "GET", "/access_persons/" P(3), NULL);
    ok(h.status == 404, "deleted person: 404");
    h_call(&h, "GET", "/access_persons/" P(3) "/accesses", NULL);
    ok(h.status == 404, "deleted person's accesses: 404");
    h_call(&h, "GET", "/devices/" D(1) "/access_person_accesses", NULL);
    ok(h.status == 200 && h_count(&h) == 4, /* three direct grants, Avery's location grant */
       "the deleted person's grant is gone from the device");
    h_call(&h, "DELETE", "/access_persons/" P(3), NULL);
    ok(h.status == 404, "delete again: 404");
    h_call(&h, "DELETE", "/access_persons/" P(2), NULL);
    h_call(&h, "GET", "/events/" E(1), NULL);
    ok(strcmp(h_str(&h, "data.attributes.associated_resource_name"), "House Owner") == 0,
       "events of a deleted person keep its name (associated_resource_name)");
    h_free(&h);
}

int main(void)
{
    listing();
    show_and_routes();
    guest_status();
    create();
    update_deactivate_delete();
    return tap_done();
}
