/* Answers of lockcloud-sim that are not JSON, over HTTP: the door group
 * accesses CSV keeps its bytes and carries text/csv (and no second,
 * JSON Content-Type), while JSON answers keep application/json. */
#include <strings.h>

#include "http_common.h"

#define GROUP "f0000000-0000-4000-8000-000000000002" /* Alpine Lodge Doors */

static int count_lines(const char *headers, const char *prefix)
{
    int n = 0;
    size_t len = strlen(prefix);
    for (const char *p = headers; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        n += strncasecmp(p, prefix, len) == 0;
    return n;
}

int main(void)
{
    simproc *sim = start_or_die(NULL);
    char *token = simproc_token(sim);
    simproc_res r;
    long st = req(sim, "GET", "/groups/" GROUP "/door_group_accesses/search.csv", token, NULL, &r);
    const char *want =
        "access_person_id,access_person_type,name,email,status,starts_at,ends_at\r\n"
        "30000000-0000-4000-8000-000000000004,access_guest,Eli Expired,"
        "eli.expired@example.com,expired,2026-02-01T15:00:00,2026-02-05T11:00:00\r\n";
    const char *ct = simproc_res_header(&r, "Content-Type");
    ok(st == 200 && ct && strcmp(ct, "text/csv") == 0, "search.csv: 200 text/csv (%s)",
       ct ? ct : "none");
    ok(count_lines(r.headers, "Content-Type:") == 1, "one Content-Type header");
    ok(r.body_len == strlen(want) && memcmp(r.body, want, r.body_len) == 0,
       "the CSV bytes, CRLF line ends");
    simproc_res_free(&r);

    st = req(sim, "GET", "/groups/nobody/door_group_accesses/search.csv", token, NULL, &r);
    ct = simproc_res_header(&r, "Content-Type");
    ok(st == 404 && ct && strcmp(ct, "application/json") == 0, "unknown group: a JSON 404");
    simproc_res_free(&r);
    st = req(sim, "GET", "/groups/" GROUP, token, NULL, &r);
    ct = simproc_res_header(&r, "Content-Type");
    ok(st == 200 && ct && strcmp(ct, "application/json") == 0 &&
           count_lines(r.headers, "Content-Type:") == 1,
       "a JSON answer keeps application/json");
    simproc_res_free(&r);
    ok(simproc_stop(sim) == 0, "simulator exits cleanly");
    free(token);
    return tap_done();
}
