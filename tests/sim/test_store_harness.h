/*
 * Shared helpers of the resource-store tests (tests/sim/test_store*.c):
 * they call sim_resources_handle() directly on a store loaded from
 * sim/fixtures/default.json, with no HTTP in between.
 */
#ifndef TEST_STORE_HARNESS_H
#define TEST_STORE_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "sim_resources.h"
#include "form.h"
#include "tap.h"
#include "tz.h"

#define H_BASE "https://127.0.0.1:40123"
#define H_MAX_QUERY 64

typedef struct harness {
    sim_store *store;
    time_t now;
    int status;  /* of the last call */
    cJSON *body; /* of the last call, freed by the next call */
    const char *content_type; /* of the last call: NULL (JSON) or a raw body's */
    sim_flavour flavour; /* of the next calls (SIM_FLAVOUR_CURRENT after h_init) */
} harness;

__attribute__((unused))
static char *h_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
            if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
                free(buf);
                buf = NULL;
            } else {
                buf[n] = '\0';
            }
        }
    }
    fclose(f);
    return buf;
}

/* $LC_TOP/<rel>, or <rel> relative to the working directory. */
__attribute__((unused))
static void h_path(char *out, size_t outlen, const char *rel)
{
    const char *top = getenv("LC_TOP");
    snprintf(out, outlen, "%s/%s", top && *top ? top : ".", rel);
}

__attribute__((unused))
static cJSON *h_fixture_json(void)
{
    char path[1024];
    h_path(path, sizeof path, "sim/fixtures/default.json");
    char *text = h_read_file(path);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    free(text);
    return doc;
}

__attribute__((unused))
static time_t h_time(const char *utc)
{
    time_t t = 0;
    if (tz_parse_utc(utc, &t) != 0) {
        fprintf(stderr, "bad time %s\n", utc);
        exit(2);
    }
    return t;
}

/* A store loaded with the default fixture and the start clock; exits when
 * the fixture cannot be loaded (every later check would be noise). */
__attribute__((unused))
static void h_init(harness *h)
{
    char err[256] = "";
    memset(h, 0, sizeof *h);
    cJSON *fx = h_fixture_json();
    h->store = sim_store_new();
    if (!fx || !h->store || sim_store_load(h->store, fx, err, sizeof err) != 0) {
        printf("Bail out! cannot load the default fixture: %s\n", err);
        exit(1);
    }
    cJSON_Delete(fx);
    h->now = h_time("2026-03-10T12:00:00Z");
}

__attribute__((unused))
static void h_free(harness *h)
{
    cJSON_Delete(h->body);
    sim_store_free(h->store);
    memset(h, 0, sizeof *h);
}

/* Percent-decodes s in place with the simulator's own decoder ('+' is a
 * space, as in query strings); hostile escapes leave s unchanged. */
__attribute__((unused))
static void h_decode(char *s)
{
    char *d = sim_url_decode(s, strlen(s), 1);
    if (d) {
        strcpy(s, d); /* decoding never lengthens */
        free(d);
    }
}

/* Performs one request; target may carry a query string; body is JSON text
 * or NULL. Returns the handle() result; status/body land in h. */
__attribute__((unused))
static int h_call(harness *h, const char *method, const char *target, const char *body)
{
    char *copy = strdup(target);
    sim_kv q[H_MAX_QUERY];
    size_t nq = 0;
    char *qs = strchr(copy, '?');
    if (qs) {
        *qs++ = '\0';
        for (char *save = NULL, *pair = strtok_r(qs, "&", &save); pair && nq < H_MAX_QUERY;
             pair = strtok_r(NULL, "&", &save)) {
            char *eq = strchr(pair, '=');
            if (eq)
                *eq++ = '\0';
            h_decode(pair);
            if (eq)
                h_decode(eq);
            q[nq].key = pair;
            q[nq].value = eq ? eq : "";
            nq++;
        }
    }
    cJSON *json = body ? cJSON_Parse(body) : NULL;
    if (body && !json) {
        fprintf(stderr, "test bug: bad JSON body %s\n", body);
        exit(2);
    }
    /* The path decoded as the HTTP side does, and as sent. */
    char *path = sim_url_decode(copy, strlen(copy), 0);
    sim_request req = {method, path ? path : copy, q, nq, json, H_BASE, h->now,
                       path ? copy : NULL, h->flavour, NULL, 0};
    sim_response res = {0};
    cJSON_Delete(h->body);
    int rc = sim_resources_handle(h->store, &req, &res);
    h->status = res.status;
    h->body = res.body;
    h->content_type = res.content_type;
    cJSON_Delete(json);
    free(path);
    free(copy);
    return rc;
}

/* Walks a path like "data.attributes.status" or "data.0.id" in h->body. */
__attribute__((unused))
static const cJSON *h_get(const cJSON *root, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *cur = root;
    for (char *save = NULL, *part = strtok_r(buf, ".", &save); part && cur;
         part = strtok_r(NULL, ".", &save)) {
        if (cJSON_IsArray(cur) && part[0] >= '0' && part[0] <= '9')
            cur = cJSON_GetArrayItem(cur, atoi(part));
        else
            cur = cJSON_GetObjectItemCaseSensitive(cur, part);
    }
    return cur;
}

__attribute__((unused))
static const char *h_str(const harness *h, const char *path)
{
    const char *s = cJSON_GetStringValue(h_get(h->body, path));
    return s ? s : "(none)";
}

__attribute__((unused))
static double h_num(const harness *h, const char *path)
{
    const cJSON *v = h_get(h->body, path);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

__attribute__((unused))
static int h_count(const harness *h)
{
    const cJSON *d = h_get(h->body, "data");
    return cJSON_IsArray(d) ? cJSON_GetArraySize(d) : -1;
}

/* Keys of an object joined by ",", for order-sensitive shape checks. */
__attribute__((unused))
static void h_keys(const cJSON *obj, char *out, size_t outlen)
{
    size_t len = 0;
    out[0] = '\0';
    const cJSON *it;
    cJSON_ArrayForEach(it, obj) {
        int n = snprintf(out + len, outlen - len, "%s%s", len ? "," : "", it->string);
        if (n < 0 || (size_t)n >= outlen - len)
            return;
        len += (size_t)n;
    }
}

/* 1 when the ids in data[] equal the expected list, in order. */
__attribute__((unused))
static int h_ids(const harness *h, const char *const *want, size_t n)
{
    const cJSON *d = h_get(h->body, "data");
    if (!cJSON_IsArray(d) || (size_t)cJSON_GetArraySize(d) != n)
        return 0;
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, d) {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "id"));
        if (!id || strcmp(id, want[i++]) != 0)
            return 0;
    }
    return 1;
}

/* 1 when the 422 body is {"errors":[...]} with an entry for attribute
 * (NULL: an entry with a null attribute) in the documented shape. */
__attribute__((unused))
static int h_has_error(const harness *h, const char *attribute)
{
    const cJSON *errs = h_get(h->body, "errors");
    if (h->status != 422 || !cJSON_IsArray(errs))
        return 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, errs) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(e, "attribute");
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "messages");
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(e, "full_messages");
        if (!cJSON_IsArray(m) || !cJSON_IsArray(f) || cJSON_GetArraySize(m) < 1 ||
            cJSON_GetArraySize(f) < 1)
            continue;
        if (attribute ? cJSON_IsString(a) && strcmp(a->valuestring, attribute) == 0
                      : cJSON_IsNull(a))
            return 1;
    }
    return 0;
}

#define P(n) "30000000-0000-4000-8000-00000000000" #n
#define D(n) "20000000-0000-4000-8000-00000000000" #n
#define L(n) "10000000-0000-4000-8000-00000000000" #n
#define A(n) "40000000-0000-4000-8000-00000000000" #n
#define E(n) "50000000-0000-4000-8000-00000000000" #n
#define N(n) "60000000-0000-4000-8000-00000000000" #n
#define SUBSCRIBER "70000000-0000-4000-8000-000000000001"

#endif
