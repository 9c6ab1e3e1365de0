/* Fixture loading and reset. A fixture is one JSON document: the resource
 * side reads its own keys; this side reads "oauth" and "clock". */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_util.h"
#include "server.h"

#define MAX_FIXTURE_FILE (64L * 1024 * 1024)

int sim_fixture_read_file(const char *path, cJSON **out, char *err, size_t errlen)
{
    size_t len;
    *out = NULL;
    char *buf = sim_read_file(path, "fixture", MAX_FIXTURE_FILE, &len, err, errlen);
    if (!buf)
        return -1;
    *out = cJSON_ParseWithLength(buf, len);
    free(buf);
    if (!cJSON_IsObject(*out)) {
        snprintf(err, errlen, "fixture %s: not a JSON object", path);
        cJSON_Delete(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

int sim_fixture_apply(sim_server *s, const cJSON *fixture, char *err, size_t errlen)
{
    if (!cJSON_IsObject(fixture)) {
        snprintf(err, errlen, "fixture must be a JSON object");
        return -1;
    }
    /* Validate this side's keys first, so a failure changes nothing. */
    const cJSON *oauth = cJSON_GetObjectItemCaseSensitive(fixture, "oauth");
    const cJSON *clock = cJSON_GetObjectItemCaseSensitive(fixture, "clock");
    time_t start = 0;
    if (clock && sim_time_parse(cJSON_GetStringValue(clock), &start) != 0) {
        snprintf(err, errlen, "fixture \"clock\" must be an ISO-8601 time such as "
                              "\"2026-03-10T12:00:00Z\"");
        return -1;
    }
    sim_oauth_app app = {0};
    if (oauth && sim_oauth_app_parse(&app, oauth, err, errlen) != 0)
        return -1;
    if (sim_store_load(s->store, fixture, err, errlen) != 0) {
        sim_oauth_app_free(&app);
        return -1;
    }
    if (oauth) {
        sim_oauth_app_free(&s->app);
        s->app = app;
    } else {
        sim_oauth_app_rearm(&s->app);
    }
    if (clock)
        sim_clock_set(&s->clock, (double)start);
    sim_tokens_clear(&s->tokens);
    sim_faults_clear(&s->faults);
    return 0;
}

int sim_server_reset(sim_server *s, char *err, size_t errlen)
{
    if (sim_fixture_apply(s, s->startup_fixture, err, errlen) != 0)
        return -1;
    /* A start-up fixture without OAuth data had no clients: drop any that a
     * later POST /_sim/fixture brought in. */
    if (!cJSON_GetObjectItemCaseSensitive(s->startup_fixture, "oauth"))
        sim_oauth_app_free(&s->app);
    sim_clock_set(&s->clock, s->startup_clock);
    s->cfg = s->startup_cfg;
    sim_surfaces_rate_configure(s);
    sim_reqlog_clear(&s->log);
    return 0;
}
