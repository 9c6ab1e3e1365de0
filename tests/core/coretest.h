/* Shared helpers for the core integration tests (header-only; each test is
 * one program). A client is always pointed at a private lockcloud-sim over
 * HTTPS with the CA that simulator generated. Every log line the library
 * emits is kept so tests can check that no secret ever reaches the log. */
#ifndef LC_CORETEST_H
#define LC_CORETEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lockcloud/lockcloud.h"
#include "simproc.h"
#include "tap.h"

__attribute__((unused))
static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct test_log {
    char text[65536];
    size_t len;
} test_log;

__attribute__((unused))
static void test_log_cb(void *ud, int level, const char *msg)
{
    test_log *l = ud;
    int n;
    if (!l || l->len >= sizeof(l->text) - 1)
        return;
    n = snprintf(l->text + l->len, sizeof(l->text) - l->len, "%d %s\n", level, msg);
    if (n > 0)
        l->len += (size_t)n < sizeof(l->text) - l->len ? (size_t)n : sizeof(l->text) - l->len - 1;
}

/* A config for the demo application against sim; token_file may be NULL. */
__attribute__((unused))
static lc_config test_config(const simproc *sim, const char *token_file, test_log *log)
{
    lc_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.api_url = simproc_url(sim);
    cfg.auth_url = simproc_url(sim);
    cfg.client_id = SIMPROC_CLIENT_ID;
    cfg.client_secret = SIMPROC_CLIENT_SECRET;
    cfg.cafile = simproc_ca(sim);
    cfg.token_file = token_file;
    cfg.timeout_ms = 10000;
    cfg.log = log ? test_log_cb : NULL;
    cfg.log_userdata = log;
    return cfg;
}

__attribute__((unused))
static lc_client *test_client(const simproc *sim, const char *token_file, test_log *log)
{
    lc_config cfg = test_config(sim, token_file, log);
    lc_client *c = NULL;
    lc_error e;
    lc_error_init(&e);
    if (lc_client_new(&cfg, &c, &e) != LC_OK)
        diag("lc_client_new: %s", e.message);
    lc_error_clear(&e);
    return c;
}

/* POSTs a control request; returns the HTTP status. */
__attribute__((unused))
static int ctl(simproc *sim, const char *path, const char *json)
{
    cJSON *doc = NULL;
    int st = sim_ctl(sim, "POST", path, json, &doc);
    cJSON_Delete(doc);
    if (st != 200)
        diag("control %s %s answered %d", path, json ? json : "", st);
    return st;
}

/* GET /_sim/requests; caller frees. */
__attribute__((unused))
static cJSON *sim_requests(simproc *sim)
{
    cJSON *doc = NULL;
    if (sim_ctl(sim, "GET", "/_sim/requests", NULL, &doc) != 200) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

__attribute__((unused))
static int request_count(simproc *sim)
{
    cJSON *doc = sim_requests(sim);
    int n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "requests"));
    cJSON_Delete(doc);
    return doc ? n : -1;
}

/* Reads a whole small file into a malloc'd string (NULL on error). */
__attribute__((unused))
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    char *s;
    size_t n;
    if (!f)
        return NULL;
    s = calloc(1, 65537);
    n = s ? fread(s, 1, 65536, f) : 0;
    (void)n;
    fclose(f);
    return s;
}

/* A string member of the token file (malloc'd), or NULL. */
__attribute__((unused))
static char *token_file_field(const char *path, const char *key)
{
    char *text = slurp(path);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);
    char *out = cJSON_IsString(v) ? strdup(v->valuestring) : NULL;
    cJSON_Delete(doc);
    free(text);
    return out;
}

/* data.attributes.<name> of a response document, or NULL. */
__attribute__((unused))
static const char *doc_attr(const cJSON *doc, const char *name)
{
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(doc, "data");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(d, "attributes");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

__attribute__((unused))
static const char *doc_id(const cJSON *doc)
{
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(doc, "data");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, "id");
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

#endif
