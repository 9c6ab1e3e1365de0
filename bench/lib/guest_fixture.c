/* See guest_fixture.h. */
#include "guest_fixture.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define LOCATION_A "10000000-0000-4000-8000-000000000001"
#define LOCATION_B "10000000-0000-4000-8000-000000000002"

/* The default fixture's parts a guest fixture keeps; NULL on error. */
static cJSON *base_of(const char *top, int keep_clock)
{
    static const char *const keep[] = { "clock", "oauth", "time_zone", "locations" };
    static char text[1 << 20];
    char src[4096];
    FILE *f;
    size_t len;
    cJSON *def, *fx;

    snprintf(src, sizeof src, "%s/sim/fixtures/default.json", top && *top ? top : ".");
    if (!(f = fopen(src, "rb")))
        return NULL;
    len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    def = cJSON_Parse(text);
    fx = def ? cJSON_CreateObject() : NULL;
    for (size_t i = keep_clock ? 0 : 1; fx && i < sizeof keep / sizeof keep[0]; i++)
        cJSON_AddItemToObject(fx, keep[i], cJSON_Duplicate(cJSON_GetObjectItem(def, keep[i]), 1));
    cJSON_Delete(def);
    return fx;
}

long bench_write_guest_fixture(const char *top, const char *path, long n, enum bench_stays stays)
{
    /* Clock 2026-03-10T12:00:00Z: 05:00 in Denver, 13:00 in Berlin. */
    static const char *const spans[3][2] = {
        { "2026-03-01T10:00:00", "2026-03-20T10:00:00" }, /* current  */
        { "2026-02-01T10:00:00", "2026-02-05T10:00:00" }, /* expired  */
        { "2026-04-01T10:00:00", "2026-04-05T10:00:00" }, /* upcoming */
    };
    cJSON *fx = base_of(top, stays != BENCH_STAYS_NOW), *persons, *accesses;
    char now_span[2][24];
    time_t now = time(NULL), from = now - 86400, to = now + 30 * 86400;

    strftime(now_span[0], sizeof now_span[0], "%Y-%m-%dT%H:%M:%S", gmtime(&from));
    strftime(now_span[1], sizeof now_span[1], "%Y-%m-%dT%H:%M:%S", gmtime(&to));
    long listed = 0;
    char *out;
    FILE *f;
    int bad;

    if (!fx)
        return -1;
    persons = cJSON_AddArrayToObject(fx, "access_persons");
    accesses = cJSON_AddArrayToObject(fx, "accesses");
    for (long i = 0; i < n; i++) {
        char id[48], aid[48], name[32], pin[24];
        int span = stays == BENCH_STAYS_MIXED ? (int)(i % 3) : 0;
        cJSON *p = cJSON_CreateObject(), *a = cJSON_CreateObject();
        snprintf(id, sizeof id, "30000000-0000-4000-9000-%012lx", (unsigned long)i);
        snprintf(aid, sizeof aid, "40000000-0000-4000-9000-%012lx", (unsigned long)i);
        snprintf(name, sizeof name, "Guest %ld", i);
        snprintf(pin, sizeof pin, "%06ld", 100000 + i);
        cJSON_AddStringToObject(p, "id", id);
        cJSON_AddStringToObject(p, "type", "access_guest");
        cJSON_AddStringToObject(p, "name", name);
        cJSON_AddStringToObject(p, "pin", pin);
        cJSON_AddStringToObject(p, "starts_at",
                                stays == BENCH_STAYS_NOW ? now_span[0] : spans[span][0]);
        cJSON_AddStringToObject(p, "ends_at", stays == BENCH_STAYS_NOW ? now_span[1] : spans[span][1]);
        cJSON_AddItemToArray(persons, p);
        listed += span != 1;
        cJSON_AddStringToObject(a, "id", aid);
        cJSON_AddStringToObject(a, "access_person_id", id);
        cJSON_AddStringToObject(a, "accessible_type", "location");
        cJSON_AddStringToObject(a, "accessible_id", i % 2 ? LOCATION_B : LOCATION_A);
        cJSON_AddItemToArray(accesses, a);
    }
    out = cJSON_PrintUnformatted(fx);
    cJSON_Delete(fx);
    f = out ? fopen(path, "wb") : NULL;
    bad = !f || fputs(out, f) < 0;
    if (f && fclose(f) != 0)
        bad = 1;
    free(out);
    return bad ? -1 : listed;
}
