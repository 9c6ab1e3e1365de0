/* Fuzzes the places file reader (pam/places_index.h) and what a login does
 * with it: the bytes are a places file. Refused: an error message that is
 * printable and names no value. Accepted: schedules and exceptions are
 * arrays; every place's zone lookup answers 0..LC_ZONES_MAX zones; and a
 * scheduled access to each place, decided by the core over the file, never
 * allows an accessible the file does not place, nor a schedule it lacks. */
#include <string.h>

#include "fuzz_util.h"
#include "places_index.h"

#define GUEST "30000000-0000-4000-8000-000000000001"

/* A current guest holding a scheduled access to type:id. */
static int decide(lcpam_places *p, const char *type, const char *id, const char *sched,
                  lc_decision *d)
{
    char acc[512], rule_text[160];
    lc_access_docs docs;
    lc_rule rule;

    memset(&docs, 0, sizeof docs);
    snprintf(docs.person_id, sizeof docs.person_id, "%s", GUEST);
    snprintf(acc, sizeof acc,
             "{\"data\":[{\"type\":\"access_person_access\",\"id\":\"a\",\"attributes\":{"
             "\"accessible_type\":\"%s\",\"accessible_id\":\"%s\",\"access_person_id\":\"" GUEST
             "\",\"access_schedule_id\":\"%s\"}}],\"meta\":{\"total_pages\":1}}", type, id, sched);
    snprintf(rule_text, sizeof rule_text, "access=%s:%s", type, id);
    if (lc_rule_parse(rule_text, &rule, NULL) != LC_OK)
        return 0;
    docs.accesses = cJSON_Parse(acc);
    docs.person = cJSON_Parse("{\"data\":{\"type\":\"access_user\",\"id\":\"" GUEST "\","
                              "\"attributes\":{\"status\":\"current\"}}}");
    docs.fetched = LC_NEED_PERSON | LC_NEED_ACCESSES;
    docs.schedules = lcpam_places_schedules(p);
    docs.exceptions = lcpam_places_exceptions(p);
    docs.zones_of = lcpam_places_zones;
    docs.zones_userdata = p;
    lc_access_evaluate(&rule, &docs, (time_t)1773144000, d);
    lc_access_docs_free(&docs);
    return d->allow;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fz_cstr(data, size);
    const struct lc_tz *zones[LC_ZONES_MAX];
    lcpam_places *p = NULL;
    const cJSON *sched, *place;
    lc_decision d;
    lc_error err;

    lc_error_init(&err);
    if (lcpam_places_parse(text, size, &p, &err) != LC_OK) {
        FZ_ASSERT(p == NULL);
        fz_check_text(err.message, sizeof err.message);
        lc_error_clear(&err);
        free(text);
        return 0;
    }
    FZ_ASSERT(cJSON_IsArray(lcpam_places_schedules(p)) && cJSON_IsArray(lcpam_places_exceptions(p)));
    sched = cJSON_GetArrayItem(lcpam_places_schedules(p), 0);
    {
        /* The places member (the first few), through a plain parse of the
         * bytes the reader accepted. */
        cJSON *doc = cJSON_ParseWithLength(text, size);
        int n = 0;
        cJSON_ArrayForEach(place, cJSON_GetObjectItemCaseSensitive(doc, "places")) {
            char type[LC_RULE_TYPE_MAX];
            const char *colon = strchr(place->string, ':');
            size_t k;
            if (n++ == 8)
                break;
            FZ_ASSERT(colon && (size_t)(colon - place->string) < sizeof type);
            memcpy(type, place->string, (size_t)(colon - place->string));
            type[colon - place->string] = '\0';
            k = lcpam_places_zones(p, type, colon + 1, zones, LC_ZONES_MAX);
            FZ_ASSERT(k <= LC_ZONES_MAX);
            /* A schedule the file lacks never allows. */
            FZ_ASSERT(decide(p, type, colon + 1, "no-such-schedule-id-in-any-file", &d) == 0);
            if (sched)
                decide(p, type, colon + 1, cJSON_GetObjectItemCaseSensitive(sched, "id")->valuestring,
                       &d);
        }
        cJSON_Delete(doc);
    }
    /* An accessible the file does not place never allows. */
    if (sched)
        FZ_ASSERT(decide(p, "lock", "unplaced-lock-id-0123456789",
                         cJSON_GetObjectItemCaseSensitive(sched, "id")->valuestring, &d) == 0 ||
                  lcpam_places_zones(p, "lock", "unplaced-lock-id-0123456789", zones,
                                     LC_ZONES_MAX) > 0);
    lcpam_places_free(p);
    free(text);
    return 0;
}
