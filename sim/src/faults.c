/* Fault injection for API and OAuth requests (never /_sim/). */
#include "faults.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base64.h"
#include "json_util.h"

#define MAX_LATENCY_MS 30000
/* MHD cannot send a 1xx status as a final answer. */
#define RAW_MIN_STATUS 200
/* A JSON document cut off mid-way: what a client sees from a broken proxy. */
#define MALFORMED_BODY "{\"data\": [{\"type\": \"lock\", "
#define RATE_LIMIT_MESSAGE \
    "Your account has exceeded the rate limit. Check the X-RateLimit-* headers."

static const char *const kind_names[] = {"latency", "status", "malformed", "drop", "raw"};
#define NKINDS (sizeof(kind_names) / sizeof(kind_names[0]))

/* Decodes doc[key] (absent: empty). 0, or -1 with err. */
static int b64_field(const cJSON *doc, const char *key, unsigned char **out, size_t *len,
                     char *err, size_t errlen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);
    if (!v) {
        *len = 0;
        if ((*out = malloc(1)))
            return 0;
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (!cJSON_IsString(v) ||
        sim_base64_decode(v->valuestring, strlen(v->valuestring), out, len) != 0) {
        snprintf(err, errlen, "\"%s\" must be a string in strict base64 (RFC 4648, padded)",
                 key);
        return -1;
    }
    return 0;
}

/* The body of a raw fault from head/middle/times/tail. 0, or -1 with err. */
static int raw_body(const cJSON *doc, sim_fault *nf, char *err, size_t errlen)
{
    const cJSON *times = cJSON_GetObjectItemCaseSensitive(doc, "times");
    long n = 1;
    if (times && !sim_json_int(times, 0, SIM_RAWBODY_MAX_TIMES, &n)) {
        snprintf(err, errlen, "\"times\" must be an integer from 0 to %ld",
                 SIM_RAWBODY_MAX_TIMES);
        return -1;
    }
    unsigned char *head = NULL, *middle = NULL, *tail = NULL;
    size_t hl = 0, ml = 0, tl = 0;
    if (b64_field(doc, "head", &head, &hl, err, errlen) != 0 ||
        b64_field(doc, "middle", &middle, &ml, err, errlen) != 0 ||
        b64_field(doc, "tail", &tail, &tl, err, errlen) != 0) {
        free(head);
        free(middle);
        return -1;
    }
    /* Checked here so the message can name the limit; new() checks again. */
    if ((unsigned long long)hl + tl + (unsigned long long)n * ml > SIM_RAWBODY_MAX_BYTES) {
        free(head);
        free(middle);
        free(tail);
        snprintf(err, errlen, "raw body larger than %lu bytes", SIM_RAWBODY_MAX_BYTES);
        return -1;
    }
    if (!(nf->raw = sim_rawbody_new(head, hl, middle, ml, n, tail, tl))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

int sim_faults_add_json(sim_faults *f, const cJSON *doc, char *err, size_t errlen)
{
    static const char *const keys[] = {"kind", "count", "path", "ms", "status",
                                       "retry_after", "head", "middle", "times", "tail",
                                       NULL};
    sim_fault nf = {.count = 1};
    const char *unknown;
    if (!cJSON_IsObject(doc)) {
        snprintf(err, errlen, "fault must be a JSON object");
        return -1;
    }
    if ((unknown = sim_json_unknown_key(doc, keys))) {
        snprintf(err, errlen, "unknown fault field \"%.64s\"", unknown);
        return -1;
    }
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(doc, "kind");
    size_t k = 0;
    while (k < NKINDS &&
           !(cJSON_IsString(kind) && strcmp(kind->valuestring, kind_names[k]) == 0))
        k++;
    if (k == NKINDS) {
        snprintf(err, errlen, "\"kind\" must be latency, status, malformed, drop or raw");
        return -1;
    }
    nf.kind = (sim_fault_kind)k;
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(doc, "count");
    if (count && !sim_json_int(count, 1, 1000000, &nf.count)) {
        snprintf(err, errlen, "\"count\" must be an integer from 1 to 1000000");
        return -1;
    }
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(doc, "path");
    if (path && !(cJSON_IsString(path) && path->valuestring[0] == '/' &&
                  strlen(path->valuestring) < 1024)) {
        snprintf(err, errlen, "\"path\" must be a path prefix starting with \"/\"");
        return -1;
    }
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(doc, "ms");
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(doc, "status");
    const cJSON *retry = cJSON_GetObjectItemCaseSensitive(doc, "retry_after");
    if (nf.kind == SIM_FAULT_LATENCY) {
        if (!sim_json_int(ms, 0, MAX_LATENCY_MS, &nf.ms)) {
            snprintf(err, errlen, "latency needs \"ms\" from 0 to %d", MAX_LATENCY_MS);
            return -1;
        }
    } else if (ms) {
        snprintf(err, errlen, "\"ms\" only applies to latency faults");
        return -1;
    }
    if (nf.kind == SIM_FAULT_STATUS) {
        long st;
        if (!sim_json_int(status, 400, 599, &st)) {
            snprintf(err, errlen, "status faults need \"status\" from 400 to 599");
            return -1;
        }
        nf.status = (int)st;
        if (retry && !sim_json_int(retry, 0, 86400, &nf.retry_after)) {
            snprintf(err, errlen, "\"retry_after\" must be 0 to 86400 seconds");
            return -1;
        }
        if (!retry && nf.status == 429)
            nf.retry_after = 1;
    } else if (nf.kind == SIM_FAULT_RAW) {
        long st = 200;
        if (status && !sim_json_int(status, RAW_MIN_STATUS, 599, &st)) {
            snprintf(err, errlen, "raw faults take \"status\" from %d to 599",
                     RAW_MIN_STATUS);
            return -1;
        }
        nf.status = (int)st;
        if (retry) {
            snprintf(err, errlen, "\"retry_after\" only applies to status faults");
            return -1;
        }
    } else if (status || retry) {
        snprintf(err, errlen, "\"status\" and \"retry_after\" only apply to status and "
                              "raw faults");
        return -1;
    }
    static const char *const raw_keys[] = {"head", "middle", "times", "tail", NULL};
    for (size_t i = 0; nf.kind != SIM_FAULT_RAW && raw_keys[i]; i++)
        if (cJSON_GetObjectItemCaseSensitive(doc, raw_keys[i])) {
            snprintf(err, errlen, "\"%s\" only applies to raw faults", raw_keys[i]);
            return -1;
        }
    if (f->n == SIM_MAX_FAULTS) {
        snprintf(err, errlen, "too many armed faults (at most %d)", SIM_MAX_FAULTS);
        return -1;
    }
    if (nf.kind == SIM_FAULT_RAW && raw_body(doc, &nf, err, errlen) != 0)
        return -1;
    if (path && !(nf.path = strdup(path->valuestring))) {
        sim_rawbody_unref(nf.raw);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    f->items[f->n++] = nf;
    return 0;
}

static void remove_at(sim_faults *f, size_t i)
{
    free(f->items[i].path);
    sim_rawbody_unref(f->items[i].raw);
    memmove(&f->items[i], &f->items[i + 1], (f->n - i - 1) * sizeof(f->items[0]));
    f->n--;
}

int sim_faults_apply(sim_faults *f, const char *path, sim_reply *r)
{
    size_t i = 0;
    while (i < f->n && f->items[i].path &&
           strncmp(path, f->items[i].path, strlen(f->items[i].path)) != 0)
        i++;
    if (i == f->n)
        return 0;
    sim_fault hit = f->items[i];
    sim_rawbody *raw = sim_rawbody_ref(hit.raw); /* outlives remove_at; NULL unless raw */
    if (--f->items[i].count == 0)
        remove_at(f, i); /* frees hit.path: not used below */
    switch (hit.kind) {
    case SIM_FAULT_LATENCY: {
        /* Blocks the single server thread: other clients wait too. */
        struct timespec ts = {hit.ms / 1000, (hit.ms % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) != 0)
            ;
        return 0;
    }
    case SIM_FAULT_STATUS:
        sim_reply_message(r, hit.status,
                          hit.status == 429 ? RATE_LIMIT_MESSAGE : "Simulated failure");
        if (hit.retry_after > 0)
            sim_reply_header(r, "Retry-After", "%ld", hit.retry_after);
        return 1;
    case SIM_FAULT_MALFORMED:
        sim_reply_raw(r, 200, MALFORMED_BODY);
        return 1;
    case SIM_FAULT_DROP:
        r->drop = 1;
        return 1;
    case SIM_FAULT_RAW:
        sim_reply_pattern(r, hit.status, raw);
        sim_rawbody_unref(raw);
        return 1;
    }
    sim_rawbody_unref(raw);
    return 0;
}

cJSON *sim_faults_to_json(const sim_faults *f)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(doc, "faults");
    for (size_t i = 0; arr && i < f->n; i++) {
        const sim_fault *it = &f->items[i];
        cJSON *o = cJSON_CreateObject();
        if (!o)
            break;
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "kind", kind_names[it->kind]);
        cJSON_AddNumberToObject(o, "count", (double)it->count);
        if (it->path)
            cJSON_AddStringToObject(o, "path", it->path);
        if (it->kind == SIM_FAULT_LATENCY)
            cJSON_AddNumberToObject(o, "ms", (double)it->ms);
        if (it->kind == SIM_FAULT_STATUS) {
            cJSON_AddNumberToObject(o, "status", it->status);
            cJSON_AddNumberToObject(o, "retry_after", (double)it->retry_after);
        }
        if (it->kind == SIM_FAULT_RAW) {
            cJSON_AddNumberToObject(o, "status", it->status);
            cJSON_AddNumberToObject(o, "times", (double)it->raw->times);
            cJSON_AddNumberToObject(o, "body_bytes", (double)it->raw->total);
        }
    }
    return doc;
}

void sim_faults_clear(sim_faults *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->items[i].path);
        sim_rawbody_unref(f->items[i].raw);
    }
    f->n = 0;
}
