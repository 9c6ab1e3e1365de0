/* Helpers shared by the simulator's HTTP-level tests (tests/sim/test_http_*.c). */
#ifndef LC_TEST_HTTP_COMMON_H
#define LC_TEST_HTTP_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simproc.h"
#include "tap.h"

#define CC_FORM "client_id=" SIMPROC_CLIENT_ID "&client_secret=" SIMPROC_CLIENT_SECRET

/* GET/DELETE/... path with an optional bearer token. */
__attribute__((unused))
static long req(simproc *sim, const char *method, const char *path, const char *token,
                const char *body, simproc_res *res)
{
    simproc_req rq = {.method = method, .path = path, .bearer = token, .body = body};
    return simproc_http(sim, &rq, res);
}

/* Status of a request, discarding the answer. */
__attribute__((unused))
static long status_of(simproc *sim, const char *method, const char *path, const char *token)
{
    simproc_res r;
    long st = req(sim, method, path, token, NULL, &r);
    simproc_res_free(&r);
    return st;
}

/* 1 when doc[key] is the string want. */
__attribute__((unused))
static int str_is(const cJSON *doc, const char *key, const char *want)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);
    return cJSON_IsString(v) && strcmp(v->valuestring, want) == 0;
}

/* doc[key] as a malloc'd string, or NULL. */
__attribute__((unused))
static char *str_dup(const cJSON *doc, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);
    return cJSON_IsString(v) ? strdup(v->valuestring) : NULL;
}

/* doc[key] as a number, or -1e300 when missing. */
__attribute__((unused))
static double num_of(const cJSON *doc, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1e300;
}

/* POST /oauth/token; returns status, fills *doc. */
__attribute__((unused))
static int token_req(simproc *sim, const char *form, cJSON **doc)
{
    return simproc_oauth(sim, form, doc);
}

/* 1 when the OAuth answer has error code want at HTTP status st. */
__attribute__((unused))
static int oauth_err(int st, const cJSON *doc, int want_st, const char *want)
{
    return st == want_st && str_is(doc, "error", want) &&
           cJSON_IsString(cJSON_GetObjectItemCaseSensitive(doc, "error_description"));
}

/* Body is the JSON {"message": <string>}. */
__attribute__((unused))
static int has_message(const simproc_res *r)
{
    cJSON *doc = simproc_res_json(r);
    int ok = cJSON_IsString(cJSON_GetObjectItemCaseSensitive(doc, "message"));
    cJSON_Delete(doc);
    return ok;
}

/* Starts the simulator or bails out of the test program. */
__attribute__((unused))
static simproc *start_or_die(const char *const *args)
{
    simproc *sim = simproc_start(args);
    if (!sim) {
        ok(0, "simulator starts");
        tap_done();
        exit(1);
    }
    return sim;
}

#endif
