/* The fixture format as docs/SIMULATOR.md documents it: its minimal example
 * (the JSON block after "<!-- fixture-example -->", read from the document
 * itself so the two cannot drift apart) loads and answers as described, and
 * the section names every collection a fixture may hold (each row of the
 * RemoteLock table that stores records). */
#include "test_store_harness.h"
#include "engine.h"

#define MARK "<!-- fixture-example -->"

/* The text of the first ```json block after MARK (malloc'd), or NULL. */
static char *example(const char *doc)
{
    const char *p = doc ? strstr(doc, MARK) : NULL;
    p = p ? strstr(p, "```json\n") : NULL;
    const char *end = p ? strstr(p + 8, "\n```") : NULL;
    return end ? strndup(p + 8, (size_t)(end - p - 8)) : NULL;
}

/* The "## Fixture format" section (malloc'd), or NULL. */
static char *section(const char *doc)
{
    const char *p = doc ? strstr(doc, "\n## Fixture format\n") : NULL;
    const char *end = p ? strstr(p + 1, "\n## ") : NULL;
    return p ? strndup(p, end ? (size_t)(end - p) : strlen(p)) : NULL;
}

static void loads_as_documented(const char *text)
{
    cJSON *fx = text ? cJSON_Parse(text) : NULL;
    ok(fx != NULL, "the documented example is JSON");
    harness h;
    memset(&h, 0, sizeof h);
    h.store = sim_store_new();
    char err[256] = "";
    int rc = fx ? sim_store_load(h.store, fx, err, sizeof err) : -1;
    ok(rc == 0, "it loads (%s)", err);
    const char *clock = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(fx, "clock"));
    h.now = h_time(clock ? clock : "2026-01-01T00:00:00Z");

    h_call(&h, "GET", "/devices", NULL);
    ok(h.status == 200 && h_count(&h) == 1 && strcmp(h_str(&h, "data.0.id"), "lock-1") == 0 &&
           strcmp(h_str(&h, "data.0.attributes.location_name"), "Beach House") == 0 &&
           strcmp(h_str(&h, "data.0.attributes.state"), "locked") == 0,
       "its lock, at its location, with the documented defaults filled in");
    h_call(&h, "GET", "/access_persons/guest-1", NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.status"), "current") == 0 &&
           strcmp(h_str(&h, "data.attributes.starts_at"), "2026-05-30T15:00:00") == 0,
       "its guest is current at its clock (wall-clock stay in the location's zone)");
    h_call(&h, "GET", "/access_persons/guest-1/accesses", NULL);
    ok(h.status == 200 && h_count(&h) == 1 &&
           strcmp(h_str(&h, "data.0.attributes.accessible_name"), "Front Door") == 0,
       "its grant names the lock");
    h.now += 7 * 86400;
    h_call(&h, "GET", "/access_persons/guest-1", NULL);
    ok(strcmp(h_str(&h, "data.attributes.status"), "expired") == 0,
       "a week later the stay is over");

    /* As documented: one bad reference refuses the whole fixture. */
    cJSON *accesses = cJSON_GetObjectItemCaseSensitive(fx, "accesses");
    cJSON *grant = cJSON_GetArrayItem(accesses, 0);
    cJSON_ReplaceItemInObjectCaseSensitive(grant, "accessible_id", cJSON_CreateString("nope"));
    sim_store *other = sim_store_new();
    rc = sim_store_load(other, fx, err, sizeof err);
    ok(rc != 0 && strstr(err, "accesses[0]"), "a dangling reference is refused (%s)", err);
    sim_store_free(other);
    cJSON_Delete(fx);
    h_free(&h);
}

static void names_every_collection(const char *sec)
{
    int missing = 0;
    for (size_t i = 0; i < remotelock_api.ndefs; i++) {
        const res_def *def = &remotelock_api.defs[i];
        if (def->source || !def->types)
            continue; /* views store nothing */
        char want[96];
        snprintf(want, sizeof want, "`%s`", def->name);
        if (!sec || !strstr(sec, want)) {
            diag("fixture key %s is not documented", want);
            missing++;
        }
    }
    ok(sec && missing == 0, "the section names every collection of the table (%d missing)",
       missing);
    ok(sec && strstr(sec, "`clock`") && strstr(sec, "`time_zone`") && strstr(sec, "`oauth`"),
       "... and clock, time_zone, oauth");
}

int main(void)
{
    char path[1024];
    h_path(path, sizeof path, "docs/SIMULATOR.md");
    char *doc = h_read_file(path);
    ok(doc != NULL, "read %s", path);
    char *text = example(doc), *sec = section(doc);
    ok(text != NULL, "the document has the marked example");
    loads_as_documented(text);
    names_every_collection(sec);
    free(text);
    free(sec);
    free(doc);
    return tap_done();
}
