/* Schedules (five types) and access exceptions through the resource
 * boundary: listing, filters, the documented shapes, create/update/delete,
 * the element shapes of day lists and dates, the exception reference, and
 * fixtures that break those rules. */
#include "test_store_harness.h"

#define EXC "b0000000-0000-4000-8000-000000000001"
#define SCH(n) "c0000000-0000-4000-8000-00000000000" #n
#define SCHEDULE_KEYS "name,mon,tue,wed,thu,fri,sat,sun,created_at,updated_at"

static void reading(void)
{
    harness h;
    char keys[512];
    h_init(&h);
    h_call(&h, "GET", "/schedules", NULL);
    static const char *const all[] = {SCH(1), SCH(2), SCH(3), SCH(4), SCH(5)};
    ok(h.status == 200 && h_ids(&h, all, 5), "five schedules, created_at ascending");
    static const char *const types[] = {"access_schedule", "auto_lock_schedule",
                                        "lock_action_schedule", "power_plug_schedule",
                                        "thermostat_schedule"};
    int types_ok = 1;
    for (int i = 0; i < 5; i++) {
        char path[32];
        snprintf(path, sizeof path, "data.%d.type", i);
        types_ok &= strcmp(h_str(&h, path), types[i]) == 0;
    }
    ok(types_ok, "one schedule of each documented type");
    h_keys(h_get(h.body, "data.0.attributes"), keys, sizeof keys);
    ok(strcmp(keys, SCHEDULE_KEYS) == 0, "schedule attributes in documented order (%s)", keys);
    ok(cJSON_IsArray(h_get(h.body, "data.0.attributes.tue")) &&
           h_get(h.body, "data.0.attributes.tue")->child == NULL,
       "a day without entries is []");
    h_keys(h_get(h.body, "data.0.links"), keys, sizeof keys);
    ok(strcmp(keys, "self") == 0 &&
           strcmp(h_str(&h, "data.0.links.self"), H_BASE "/schedules/" SCH(1)) == 0,
       "links: self only without an exception (%s)", keys);

    h_call(&h, "GET", "/schedules?type=thermostat_schedule", NULL);
    static const char *const thermo[] = {SCH(5)};
    ok(h_ids(&h, thermo, 1) && h_num(&h, "data.0.attributes.mon.1.heat") == 80,
       "type filter; thermostat steps keep their numbers");
    h_call(&h, "GET", "/schedules?sort=-name", NULL);
    ok(strcmp(h_str(&h, "data.0.id"), SCH(4)) == 0, "sort by -name: Porch light first");
    h_call(&h, "GET", "/schedules?sort=mon", NULL);
    ok(h.status == 400, "sort by an undocumented attribute: 400");
    h_call(&h, "GET", "/schedules/" SCH(3), NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.sat.1.action"), "lock") == 0,
       "get a lock action schedule");
    h_call(&h, "GET", "/schedules/nope", NULL);
    ok(h.status == 404, "unknown schedule: 404");
    h_call(&h, "POST", "/schedules/" SCH(1), "{}");
    ok(h.status == 404, "a known path with another method: 404");

    h_call(&h, "GET", "/access_exceptions", NULL);
    h_keys(h_get(h.body, "data.0.attributes"), keys, sizeof keys);
    ok(h.status == 200 && h_count(&h) == 1 &&
           strcmp(keys, "name,dates,created_at,updated_at") == 0 &&
           strcmp(h_str(&h, "data.0.attributes.dates.1.start_date"), "2026-12-25") == 0,
       "access exceptions as documented (%s)", keys);
    h_free(&h);
}

static void writing(void)
{
    harness h;
    char target[128], id[64];
    h_init(&h);
    h_call(&h, "POST", "/schedules",
           "{\"type\":\"access_schedule\",\"attributes\":{\"name\":\"Work\","
           "\"mon\":[{\"start_time\":\"08:00\",\"end_time\":\"12:00\",\"note\":\"x\"}],"
           "\"access_exception_id\":\"" EXC "\"}}");
    ok(h.status == 201 && strcmp(h_str(&h, "data.type"), "access_schedule") == 0 &&
           strcmp(h_str(&h, "data.attributes.access_exception_id"), EXC) == 0 &&
           strcmp(h_str(&h, "data.links.access_exception"), H_BASE "/access_exceptions/" EXC) == 0 &&
           !h_get(h.body, "data.attributes.mon.0.note"),
       "create an access schedule with an exception: 201, link, only documented fields");
    snprintf(id, sizeof id, "%s", h_str(&h, "data.id"));

    static const char *const good[] = {
        "{\"type\":\"auto_lock_schedule\",\"attributes\":{\"name\":\"A\",\"mon\":[{\"time\":\"09:00\",\"enable\":false}]}}",
        "{\"type\":\"lock_action_schedule\",\"attributes\":{\"name\":\"L\",\"sun\":[{\"time\":\"20:00\",\"action\":\"lock\"}]}}",
        "{\"type\":\"power_plug_schedule\",\"attributes\":{\"name\":\"P\",\"fri\":[{\"time\":\"18:00\",\"action\":\"on\"}]}}",
        "{\"type\":\"thermostat_schedule\",\"attributes\":{\"name\":\"T\",\"tue\":[{\"time\":\"08:00\",\"cool\":60,\"heat\":70}]}}",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        h_call(&h, "POST", "/schedules", good[i]);
        ok(h.status == 201, "create schedule %zu of the other types: 201", i + 1);
    }

    struct {
        const char *body, *attr, *what;
    } bad[] = {
        {"{\"attributes\":{\"name\":\"X\"}}", "type", "no type"},
        {"{\"type\":\"holiday_schedule\",\"attributes\":{\"name\":\"X\"}}", "type", "unknown type"},
        {"{\"type\":\"access_schedule\",\"attributes\":{}}", "name", "no name"},
        {"{\"type\":\"access_schedule\",\"attributes\":{\"name\":\"X\",\"mon\":{}}}", "mon", "day not a list"},
        {"{\"type\":\"access_schedule\",\"attributes\":{\"name\":\"X\",\"mon\":[{\"start_time\":\"08:00\"}]}}", "mon", "window without end"},
        {"{\"type\":\"access_schedule\",\"attributes\":{\"name\":\"X\",\"mon\":[{\"start_time\":\"12:00\",\"end_time\":\"08:00\"}]}}", "mon", "window ending before it starts"},
        {"{\"type\":\"access_schedule\",\"attributes\":{\"name\":\"X\",\"tue\":[{\"start_time\":\"8am\",\"end_time\":\"12:00\"}]}}", "tue", "time in words"},
        {"{\"type\":\"access_schedule\",\"attributes\":{\"name\":\"X\",\"wed\":[{\"start_time\":\"24:00\",\"end_time\":\"24:30\"}]}}", "wed", "hour 24"},
        {"{\"type\":\"access_schedule\",\"attributes\":{\"name\":\"X\",\"access_exception_id\":\"nothing\"}}", "access_exception_id", "unknown exception"},
        {"{\"type\":\"auto_lock_schedule\",\"attributes\":{\"name\":\"X\",\"mon\":[{\"time\":\"09:00\",\"enable\":\"no\"}]}}", "mon", "enable not a boolean"},
        {"{\"type\":\"lock_action_schedule\",\"attributes\":{\"name\":\"X\",\"mon\":[{\"time\":\"09:00\",\"action\":\"on\"}]}}", "mon", "plug action on a lock"},
        {"{\"type\":\"power_plug_schedule\",\"attributes\":{\"name\":\"X\",\"mon\":[{\"time\":\"09:00\",\"action\":\"unlock\"}]}}", "mon", "lock action on a plug"},
        {"{\"type\":\"thermostat_schedule\",\"attributes\":{\"name\":\"X\",\"mon\":[{\"time\":\"09:00\",\"cool\":\"60\",\"heat\":70}]}}", "mon", "temperature a string"},
        {"{\"type\":\"thermostat_schedule\",\"attributes\":{\"name\":\"X\",\"mon\":[7]}}", "mon", "step not an object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        h_call(&h, "POST", "/schedules", bad[i].body);
        ok(h_has_error(&h, bad[i].attr), "create refused, %s: 422 on %s", bad[i].what, bad[i].attr);
    }
    h_call(&h, "GET", "/schedules", NULL);
    ok(h_num(&h, "meta.total_count") == 10, "refused creates added nothing (10 schedules)");

    snprintf(target, sizeof target, "/schedules/%s", id);
    h_call(&h, "PUT", target, "{\"attributes\":{\"name\":\"New schedule name\",\"type\":\"x\"}}");
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.name"), "New schedule name") == 0 &&
           strcmp(h_str(&h, "data.attributes.mon.0.end_time"), "12:00") == 0 &&
           strcmp(h_str(&h, "data.type"), "access_schedule") == 0,
       "update the name: the days and the type stay");
    h_call(&h, "PUT", target, "{\"attributes\":{\"mon\":[{\"start_time\":\"10:00\",\"end_time\":\"09:00\"}]}}");
    ok(h_has_error(&h, "mon"), "update to a backwards window: 422");
    h_call(&h, "PUT", target, "{\"attributes\":{\"access_exception_id\":null}}");
    ok(h.status == 200 && !h_get(h.body, "data.attributes.access_exception_id") &&
           !h_get(h.body, "data.links.access_exception"),
       "clearing the exception removes it and its link");
    h_call(&h, "DELETE", target, NULL);
    ok(h.status == 204 && !h.body, "delete: 204");
    h_call(&h, "GET", target, NULL);
    ok(h.status == 404, "deleted schedule: 404");

    /* Access exceptions. */
    h_call(&h, "POST", "/access_exceptions",
           "{\"attributes\":{\"name\":\"Thanks Giving and Christmas\",\"dates\":["
           "{\"start_date\":\"2016-11-24\",\"end_date\":\"2016-11-25\"},"
           "{\"start_date\":\"2015-12-25\",\"end_date\":\"2015-12-25\"}]}}");
    ok(h.status == 201 && strcmp(h_str(&h, "data.type"), "access_exception") == 0 &&
           strcmp(h_str(&h, "data.attributes.dates.1.end_date"), "2015-12-25") == 0,
       "create an access exception: 201 (a one-day range)");
    snprintf(target, sizeof target, "/access_exceptions/%s", h_str(&h, "data.id"));
    struct {
        const char *body, *attr, *what;
    } bad_dates[] = {
        {"{\"attributes\":{\"name\":\"X\"}}", "dates", "no dates"},
        {"{\"attributes\":{\"name\":\"X\",\"dates\":[]}}", "dates", "empty dates"},
        {"{\"attributes\":{\"dates\":[{\"start_date\":\"2026-01-01\",\"end_date\":\"2026-01-01\"}]}}", "name", "no name"},
        {"{\"attributes\":{\"name\":\"X\",\"dates\":[{\"start_date\":\"2026-02-30\",\"end_date\":\"2026-03-01\"}]}}", "dates", "February 30th"},
        {"{\"attributes\":{\"name\":\"X\",\"dates\":[{\"start_date\":\"2026-03-02\",\"end_date\":\"2026-03-01\"}]}}", "dates", "range ending before it starts"},
        {"{\"attributes\":{\"name\":\"X\",\"dates\":[{\"start_date\":\"2026-3-2\",\"end_date\":\"2026-03-03\"}]}}", "dates", "date without leading zeros"},
    };
    for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
        h_call(&h, "POST", "/access_exceptions", bad_dates[i].body);
        ok(h_has_error(&h, bad_dates[i].attr), "exception refused, %s: 422 on %s",
           bad_dates[i].what, bad_dates[i].attr);
    }
    h_call(&h, "PUT", target, "{\"attributes\":{\"name\":\"Thanks Giving\",\"dates\":["
                              "{\"start_date\":\"2016-11-24\",\"end_date\":\"2016-11-25\"}]}}");
    ok(h.status == 200 && cJSON_GetArraySize(h_get(h.body, "data.attributes.dates")) == 1,
       "update the dates");
    h_call(&h, "DELETE", target, NULL);
    ok(h.status == 204, "delete the exception: 204");
    h_free(&h);
}

/* The default fixture with one change at section[index].key (NULL deletes). */
static void refused(const char *section, int index, const char *key, const char *json,
                    const char *what)
{
    harness h;
    char err[256] = "";
    h_init(&h);
    cJSON *fx = h_fixture_json();
    cJSON *rec = cJSON_GetArrayItem(cJSON_GetObjectItem(fx, section), index);
    cJSON_DeleteItemFromObject(rec, key);
    if (json)
        cJSON_AddItemToObject(rec, key, cJSON_Parse(json));
    ok(sim_store_load(h.store, fx, err, sizeof err) == -1, "fixture refused: %s (%s)", what, err);
    cJSON_Delete(fx);
    h_free(&h);
}

int main(void)
{
    reading();
    writing();
    refused("schedules", 0, "mon", "[{\"start_time\":\"09:00\"}]", "access window without end");
    refused("schedules", 1, "type", "\"holiday_schedule\"", "unknown schedule type");
    refused("schedules", 1, "type", NULL, "schedule without type");
    refused("schedules", 2, "sat", "[{\"time\":\"08:00\",\"action\":\"open\"}]", "unknown action");
    refused("schedules", 0, "access_exception_id", "\"nothing\"", "unknown exception");
    refused("access_exceptions", 0, "dates", "[{\"start_date\":\"2026-12-26\",\"end_date\":\"2026-12-25\"}]", "dates backwards");
    refused("access_exceptions", 0, "name", NULL, "exception without name");
    return tap_done();
}
