/* Building replies. Out of memory degrades to a bare 500, never a crash. */
#include "reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_body(sim_reply *r, int status, char *body)
{
    free(r->body);
    sim_rawbody_unref(r->raw);
    r->raw = NULL;
    r->status = status;
    r->body = body;
    r->body_len = body ? strlen(body) : 0;
}

void sim_reply_json(sim_reply *r, int status, cJSON *doc)
{
    if (!doc) {
        set_body(r, status, NULL);
        return;
    }
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    set_body(r, text ? status : 500, text);
}

void sim_reply_message(sim_reply *r, int status, const char *msg)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc || !cJSON_AddStringToObject(doc, "message", msg)) {
        cJSON_Delete(doc);
        set_body(r, 500, NULL);
        return;
    }
    sim_reply_json(r, status, doc);
}

void sim_reply_raw(sim_reply *r, int status, const char *text)
{
    char *copy = strdup(text);
    set_body(r, copy ? status : 500, copy);
}

void sim_reply_pattern(sim_reply *r, int status, sim_rawbody *b)
{
    set_body(r, status, NULL);
    r->raw = sim_rawbody_ref(b);
}

void sim_reply_header(sim_reply *r, const char *name, const char *fmt, ...)
{
    sim_header *h = NULL;
    for (size_t i = 0; i < r->nheaders; i++)
        if (strcmp(r->headers[i].name, name) == 0)
            h = &r->headers[i];
    if (!h) {
        if (r->nheaders == SIM_REPLY_MAX_HEADERS)
            return;
        h = &r->headers[r->nheaders++];
        h->name = name;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->value, sizeof(h->value), fmt, ap);
    va_end(ap);
}

void sim_reply_free(sim_reply *r)
{
    free(r->body);
    r->body = NULL;
    r->body_len = 0;
    sim_rawbody_unref(r->raw);
    r->raw = NULL;
}
