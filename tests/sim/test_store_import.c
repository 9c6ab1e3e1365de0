/* POST /access_persons/import: the documented JSON form and a text/csv
 * body, what each row becomes, rows the person rules refuse, and the
 * refusals of the request itself (nothing created then). */
#include "test_store_harness.h"

/* Body of the JSON form; csv is JSON-escaped text. */
static void import_json(harness *h, const char *csv, const char *type, const char *id)
{
    char body[2048];
    snprintf(body, sizeof body,
             "{\"csv\":\"%s\",\"accessible_type\":\"%s\",\"accessible_id\":\"%s\","
             "\"send_access_instructions\":false}",
             csv, type, id);
    h_call(h, "POST", "/access_persons/import", body);
}

/* The person named name (any status), or NULL; its id into out. */
static int find_person(harness *h, const char *name, char *out, size_t outlen)
{
    h_call(h, "GET", "/access_persons?per_page=50&attributes[status][]=current&"
                     "attributes[status][]=upcoming&attributes[status][]=expired",
           NULL);
    const cJSON *p;
    cJSON_ArrayForEach(p, h_get(h->body, "data")) {
        const char *n = cJSON_GetStringValue(h_get(p, "attributes.name"));
        if (n && strcmp(n, name) == 0) {
            snprintf(out, outlen, "%s", cJSON_GetStringValue(h_get(p, "id")));
            return 1;
        }
    }
    return 0;
}

static int count_persons(harness *h)
{
    h_call(h, "GET", "/access_persons?per_page=50&attributes[status][]=current&"
                     "attributes[status][]=upcoming&attributes[status][]=expired&"
                     "attributes[status][]=deactivated",
           NULL);
    return (int)h_num(h, "meta.total_count");
}

static void rows(void)
{
    harness h;
    char id[64], path[160];
    h_init(&h);
    int before = count_persons(&h);
    import_json(&h,
                "Name,email,Department,Start Date,Start Time,End Date,End Time,Pin,Prox Card\\n"
                "Al Staff,al@example.com,Housekeeping,,,,,2001,\\n"
                "\\\"Bea, Jr\\\",bea@example.com,,2026-03-11,15:00,2026-03-12,,,4125\\n"
                "Cid Taken,cid@example.com,,,,,,1001,\\n"
                "\\n",
                "lock", D(2));
    ok(h.status == 201 && strcmp(h_str(&h, "data.type"), "access_person_csv_import_action") == 0 &&
           cJSON_GetArraySize(h_get(h.body, "data.attributes")) == 0 &&
           strncmp(h_str(&h, "data.links.self"), H_BASE "/access_person_csv_import_actions/", 45) == 0,
       "the documented import action (%d)", h.status);
    ok(count_persons(&h) == before + 2, "two rows imported, the taken PIN's row skipped");
    ok(find_person(&h, "Al Staff", id, sizeof id), "a row without dates: found");
    snprintf(path, sizeof path, "/access_persons/%s", id);
    h_call(&h, "GET", path, NULL);
    ok(strcmp(h_str(&h, "data.type"), "access_user") == 0 &&
           strcmp(h_str(&h, "data.attributes.department"), "Housekeeping") == 0 &&
           strcmp(h_str(&h, "data.attributes.pin"), "2001") == 0,
       "an access user with its department and PIN");
    snprintf(path, sizeof path, "/access_persons/%s/accesses", id);
    h_call(&h, "GET", path, NULL);
    ok(h_count(&h) == 1 && strcmp(h_str(&h, "data.0.attributes.accessible_id"), D(2)) == 0,
       "granted the Pool Gate");
    ok(find_person(&h, "Bea, Jr", id, sizeof id), "a quoted name with a comma");
    snprintf(path, sizeof path, "/access_persons/%s", id);
    h_call(&h, "GET", path, NULL);
    ok(strcmp(h_str(&h, "data.type"), "access_guest") == 0 &&
           strcmp(h_str(&h, "data.attributes.starts_at"), "2026-03-11T15:00:00") == 0 &&
           strcmp(h_str(&h, "data.attributes.ends_at"), "2026-03-12T00:00:00") == 0 &&
           strcmp(h_str(&h, "data.attributes.card_number"), "4125") == 0,
       "with dates: an access guest (time 00:00 when none), its prox card");
    ok(!find_person(&h, "Cid Taken", id, sizeof id), "the refused row made no person");
    h_free(&h);
}

static void refusals(void)
{
    harness h;
    h_init(&h);
    int before = count_persons(&h);
    h_call(&h, "POST", "/access_persons/import",
           "{\"accessible_type\":\"lock\",\"accessible_id\":\"" D(2) "\","
           "\"send_access_instructions\":false}");
    ok(h_has_error(&h, "csv"), "no csv: 422");
    import_json(&h, "name\\nAl\\n", "spaceship", D(2));
    ok(h_has_error(&h, "accessible_type"), "an accessible type grants cannot name: 422");
    import_json(&h, "name\\nAl\\n", "lock", "nowhere");
    ok(h_has_error(&h, "accessible"), "a missing accessible: 422");
    import_json(&h, "email\\nal@example.com\\n", "lock", D(2));
    ok(h_has_error(&h, "csv"), "no name column: 422");
    import_json(&h, "name,pin\\nAl,2001\\n\\\"Bo,2002\\n", "lock", D(2));
    ok(h_has_error(&h, "csv"), "an unterminated quote: 422");
    h_call(&h, "POST", "/access_persons/import",
           "{\"csv\":\"name\\nAl\\n\",\"accessible_type\":\"lock\",\"accessible_id\":\"" D(2) "\"}");
    ok(h_has_error(&h, "send_access_instructions"), "send_access_instructions is required");
    ok(count_persons(&h) == before, "a refused import creates no one, not even its good rows");
    h_call(&h, "GET", "/access_persons/import", NULL);
    ok(h.status == 404, "the import is a POST");
    h_free(&h);
}

int main(void)
{
    rows();
    refusals();
    return tap_done();
}
