/* The HTTP side's part of the two API flavours and of CSV bodies: the
 * Accept header picks LockState v1 (application/vnd.lockstate.v1+json,
 * among others, any case, with parameters) or the current API (no Accept,
 * application/vnd.lockstate+json; version=1, anything else); a text/csv
 * body reaches the import and nothing else. Over real HTTPS. */
#include "http_common.h"

#define V1 "Accept: application/vnd.lockstate.v1+json"
#define CURRENT "Accept: application/vnd.lockstate+json; version=1"
#define DOOR "/acs/doors/20000000-0000-4000-8000-000000000004"

static long get_with(simproc *sim, const char *token, const char *path, const char *accept)
{
    const char *const headers[] = {accept, NULL};
    simproc_req rq = {.path = path, .bearer = token, .headers = accept ? headers : NULL};
    simproc_res r;
    long st = simproc_http(sim, &rq, &r);
    simproc_res_free(&r);
    return st;
}

static void flavours(simproc *sim, const char *token)
{
    ok(get_with(sim, token, DOOR, V1) == 200, "v1 Accept: an ACS door");
    ok(get_with(sim, token, DOOR, "Accept: text/html, APPLICATION/VND.LOCKSTATE.V1+JSON;q=0.9") ==
           200,
       "v1 among other media types, any case, with parameters");
    ok(get_with(sim, token, DOOR, CURRENT) == 404, "current Accept: /acs/doors is not found");
    ok(get_with(sim, token, DOOR, NULL) == 404, "no Accept: the current API");
    ok(get_with(sim, token, DOOR, "Accept: application/vnd.lockstate.v1+jsonx") == 404,
       "a media type that only starts like v1's is not v1");
    ok(get_with(sim, token, "/devices", V1) == 200 && get_with(sim, token, "/devices", NULL) == 200,
       "shared routes answer both");
}

static void csv_bodies(simproc *sim, const char *token)
{
    static const char *const csv[] = {"Content-Type: text/csv; charset=utf-8", NULL};
    simproc_res r;
    simproc_http(sim,
                 &(simproc_req){.method = "POST",
                                .path = "/access_persons/import?accessible_type=lock&"
                                        "accessible_id=20000000-0000-4000-8000-000000000002&"
                                        "send_access_instructions=false",
                                .bearer = token, .headers = csv,
                                .body = "Name,Pin\r\nHttp Importer,2101\r\n"},
                 &r);
    cJSON *doc = simproc_res_json(&r);
    ok(r.status == 201 &&
           str_is(cJSON_GetObjectItemCaseSensitive(doc, "data"), "type",
                  "access_person_csv_import_action"),
       "a text/csv import: 201 (%ld)", r.status);
    cJSON_Delete(doc);
    simproc_res_free(&r);
    simproc_http(sim,
                 &(simproc_req){.method = "POST", .path = "/access_persons", .bearer = token,
                                .headers = csv, .body = "Name\nX\n"},
                 &r);
    ok(r.status == 400 && strstr(r.body, "Content-Type must be application/json"),
       "a text/csv body anywhere else: 400");
    simproc_res_free(&r);
}

int main(void)
{
    simproc *sim = start_or_die(NULL);
    char *token = simproc_token(sim);
    flavours(sim, token);
    csv_bodies(sim, token);
    free(token);
    ok(simproc_stop(sim) == 0, "simulator exits cleanly");
    return tap_done();
}
