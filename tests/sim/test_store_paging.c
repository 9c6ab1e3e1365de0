/* Paging a large account through the resource boundary: walking every page
 * gives each kept person once, in order, and what the listing remembers
 * between pages (records in sort order, the kept records, every person's
 * status inputs, the id index) never outlives a change: a create, a
 * deactivation, a revoked grant (which moves a guest to another time zone)
 * or the clock show in the very next request. */
#include "test_store_harness.h"

#define GUESTS 150
#define GUEST_ID "30000000-0000-4000-9000-%012x"
#define BERLIN L(2)

/* The default fixture plus GUESTS guests created after its persons: one in
 * three expired, current, upcoming; granted Denver and Berlin in turn. */
static cJSON *big_fixture(void)
{
    static const char *const stays[3][2] = {
        {"2026-02-01T10:00:00", "2026-02-05T10:00:00"},
        {"2026-03-01T10:00:00", "2026-03-20T10:00:00"},
        {"2026-04-01T10:00:00", "2026-04-05T10:00:00"},
    };
    cJSON *fx = h_fixture_json();
    cJSON *persons = cJSON_GetObjectItem(fx, "access_persons");
    cJSON *accesses = cJSON_GetObjectItem(fx, "accesses");
    for (int i = 0; i < GUESTS; i++) {
        char id[40], aid[40], name[32], pin[16];
        snprintf(id, sizeof id, GUEST_ID, i);
        snprintf(aid, sizeof aid, "40000000-0000-4000-9000-%012x", i);
        snprintf(name, sizeof name, "Guest %d", i);
        snprintf(pin, sizeof pin, "%06d", 100000 + i);
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "id", id);
        cJSON_AddStringToObject(p, "type", "access_guest");
        cJSON_AddStringToObject(p, "name", name);
        cJSON_AddStringToObject(p, "pin", pin);
        cJSON_AddStringToObject(p, "starts_at", stays[i % 3][0]);
        cJSON_AddStringToObject(p, "ends_at", stays[i % 3][1]);
        cJSON_AddStringToObject(p, "created_at", "2026-03-05T00:00:00Z");
        cJSON_AddItemToArray(persons, p);
        cJSON *a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "id", aid);
        cJSON_AddStringToObject(a, "access_person_id", id);
        cJSON_AddStringToObject(a, "accessible_type", "location");
        cJSON_AddStringToObject(a, "accessible_id", i % 2 ? BERLIN : L(1));
        cJSON_AddItemToArray(accesses, a);
    }
    return fx;
}

/* Walks every page of query (per_page 7); the ids joined by ",". */
static int walk(harness *h, const char *query, char *out, size_t outlen)
{
    size_t len = 0;
    int total = -1;
    out[0] = '\0';
    for (int page = 1; page < 100; page++) {
        char target[256];
        snprintf(target, sizeof target, "/access_persons?%s%sper_page=7&page=%d", query,
                 *query ? "&" : "", page);
        h_call(h, "GET", target, NULL);
        if (h->status != 200)
            return -1;
        total = (int)h_num(h, "meta.total_count");
        const cJSON *it;
        cJSON_ArrayForEach(it, h_get(h->body, "data")) {
            const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(it, "id"));
            len += (size_t)snprintf(out + len, outlen - len, "%s%s", len ? "," : "", id);
        }
        if (h_count(h) < 7)
            break;
    }
    return total;
}

int main(void)
{
    harness h;
    char err[256] = "", got[16384], want[16384];
    h_init(&h);
    cJSON *fx = big_fixture();
    ok(sim_store_load(h.store, fx, err, sizeof err) == 0, "fixture with %d more guests loads %s",
       GUESTS, err);
    cJSON_Delete(fx);

    /* Default filter (current, upcoming), created_at ascending. */
    size_t len = (size_t)snprintf(want, sizeof want, "%s,%s,%s", P(1), P(2), P(3));
    int kept = 3;
    for (int i = 0; i < GUESTS; i++) {
        if (i % 3 == 0)
            continue;
        len += (size_t)snprintf(want + len, sizeof want - len, "," GUEST_ID, i);
        kept++;
    }
    int total = walk(&h, "", got, sizeof got);
    ok(total == kept && strcmp(got, want) == 0,
       "every page walked: each current/upcoming person once, in order (%d of %d)", total, kept);
    total = walk(&h, "attributes[status]=expired&sort=-name", got, sizeof got);
    ok(total == 2 + GUESTS / 3, "expired, sorted by name descending: %d", total);
    ok(strncmp(got, P(6), strlen(P(6))) == 0, "Ryan (P6) first by -name");

    /* Deactivating a listed person shows at once. */
    char target[128];
    snprintf(target, sizeof target, "/access_persons/" GUEST_ID "/deactivate", 1);
    h_call(&h, "PUT", target, NULL);
    ok(h.status == 200, "deactivate a current guest: 200");
    total = walk(&h, "", got, sizeof got);
    ok(total == kept - 1, "the next listing leaves the deactivated guest out (%d)", total);

    /* A created person shows at once. */
    snprintf(target, sizeof target, "/access_persons/" GUEST_ID, GUESTS - 1);
    h_call(&h, "GET", target, NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.name"), "Guest 149") == 0,
       "get the last fixture guest by id");
    h_call(&h, "POST", "/access_persons",
           "{\"type\":\"access_user\",\"attributes\":{\"name\":\"Zed\",\"pin\":\"777777\"}}");
    ok(h.status == 201, "create: 201");
    char made[96];
    snprintf(made, sizeof made, "/access_persons/%s", h_str(&h, "data.id"));
    h_call(&h, "GET", made, NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.name"), "Zed") == 0,
       "get the created person by id");
    total = walk(&h, "", got, sizeof got);
    ok(total == kept, "the next listing holds the created person (%d)", total);

    /* Guest 7 (current, Berlin grant) ends 2026-03-20T10:00 local. Revoking
     * the grant moves the guest to the account zone (Denver): at
     * 2026-03-20T12:00Z it is 13:00 in Berlin (expired) and 06:00 in
     * Denver (current). */
    h.now = h_time("2026-03-20T12:00:00Z");
    h_call(&h, "GET", "/access_persons?attributes[status]=current&per_page=50", NULL);
    int before = (int)h_num(&h, "meta.total_count");
    snprintf(target, sizeof target, "/access_persons/" GUEST_ID "/accesses/"
             "40000000-0000-4000-9000-%012x", 7, 7);
    h_call(&h, "DELETE", target, NULL);
    ok(h.status == 204, "revoke guest 7's Berlin grant: 204");
    h_call(&h, "GET", target, NULL);
    ok(h.status == 404, "the revoked grant is gone: 404");
    h_call(&h, "GET", "/access_persons?attributes[status]=current&per_page=50", NULL);
    ok((int)h_num(&h, "meta.total_count") == before + 1,
       "the next listing computes guest 7 in Denver: current (%d -> %g)", before,
       h_num(&h, "meta.total_count"));

    /* The clock: one second before the Denver guests' end, then at it. */
    h.now = h_time("2026-03-20T15:59:59Z"); /* 09:59:59 in Denver */
    h_call(&h, "GET", "/access_persons?attributes[status]=current&per_page=50", NULL);
    int at_end = (int)h_num(&h, "meta.total_count");
    h.now = h_time("2026-03-20T16:00:00Z");
    h_call(&h, "GET", "/access_persons?attributes[status]=current&per_page=50", NULL);
    ok(at_end > 2 && (int)h_num(&h, "meta.total_count") == 2,
       "a clock one second later ends every Denver stay (%d -> %g current: the two users)",
       at_end, h_num(&h, "meta.total_count"));

    h_free(&h);
    return tap_done();
}
