/* The API pipeline of a surface (surfaces.c): its authentication, its rate
 * limit, faults, JSON body, then its resource table. Every answer carries
 * the surface's rate headers. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "server.h"

static int has_body_method(const char *m)
{
    return strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0;
}

static int known_method(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "DELETE") == 0 || has_body_method(m);
}

/* The docs require Content-Type: application/json with a body; "+json"
 * media types and parameters (charset) are accepted too. */
static int json_content_type(const char *ct)
{
    if (!ct)
        return 0;
    size_t len = strcspn(ct, ";");
    while (len && (ct[len - 1] == ' ' || ct[len - 1] == '\t'))
        len--;
    if (len == 16 && strncasecmp(ct, "application/json", 16) == 0)
        return 1;
    return len > 17 && strncasecmp(ct, "application/", 12) == 0 &&
           strncasecmp(ct + len - 5, "+json", 5) == 0;
}

/* 1 when the media type (parameters ignored) is want, case-insensitively. */
static int media_is(const char *mt, size_t len, const char *want)
{
    while (len && (*mt == ' ' || *mt == '\t'))
        mt++, len--;
    size_t n = strcspn(mt, ";,");
    if (n > len)
        n = len;
    while (n && (mt[n - 1] == ' ' || mt[n - 1] == '\t'))
        n--;
    return n == strlen(want) && strncasecmp(mt, want, n) == 0;
}

/* The LockState v1 form is asked for with its own media type among the
 * Accept header's (001, "Making requests"); anything else, or none, is
 * the current API (also application/vnd.lockstate+json; version=1). */
static sim_flavour accept_flavour(const char *accept)
{
    for (const char *p = accept; p && *p;) {
        size_t len = strcspn(p, ",");
        if (media_is(p, len, "application/vnd.lockstate.v1+json"))
            return SIM_FLAVOUR_V1;
        p += len + (p[len] == ',');
    }
    return SIM_FLAVOUR_CURRENT;
}

/* A CSV body (the access person import takes one): passed to the
 * resource side as text, which refuses it on every other route. */
static int csv_content_type(const char *ct)
{
    return ct && media_is(ct, strlen(ct), "text/csv");
}

/* Parses the body of POST/PUT/PATCH. 0 (doc set or NULL), or -1 with r filled. */
static int parse_body(const sim_http_req *req, cJSON **doc, sim_reply *r)
{
    *doc = NULL;
    if (!has_body_method(req->method) || req->body_len == 0)
        return 0; /* other methods: the body is ignored, as documented */
    if (csv_content_type(sim_http_header(req, "Content-Type")))
        return 0; /* text: see sim_api_handle */
    if (!json_content_type(sim_http_header(req, "Content-Type"))) {
        sim_reply_message(r, 400, "Content-Type must be application/json");
        return -1;
    }
    if (memchr(req->body, '\0', req->body_len)) { /* JSON text never holds a raw NUL */
        sim_reply_message(r, 400, "Malformed JSON in request body (NUL byte)");
        return -1;
    }
    const char *end = NULL;
    *doc = cJSON_ParseWithLengthOpts(req->body, req->body_len, &end, 0);
    if (!*doc) {
        char msg[96];
        size_t at = end && end >= req->body ? (size_t)(end - req->body) : 0;
        snprintf(msg, sizeof(msg), "Malformed JSON in request body (near byte %zu)", at);
        sim_reply_message(r, 400, msg);
        return -1;
    }
    /* Anything but whitespace after the document is malformed too. */
    size_t off = end ? (size_t)(end - req->body) : req->body_len;
    while (off < req->body_len && strchr(" \t\r\n", req->body[off]) && req->body[off])
        off++;
    if (off < req->body_len) {
        cJSON_Delete(*doc);
        *doc = NULL;
        sim_reply_message(r, 400, "Malformed JSON in request body (trailing data)");
        return -1;
    }
    return 0;
}

void sim_api_handle(sim_server *s, const sim_http_req *req, sim_reply *r)
{
    const char *rest = req->path;
    const sim_surface *sf = sim_surface_for(req->path, &rest);
    if (!sf) {
        sim_reply_message(r, 404, "Not found");
        return;
    }
    sim_ratelimit *rl = &s->rl[sf - sim_surfaces];
    sim_rl_state st;
    if (sf->auth(s, req, r) != 0) {
        sim_rl_peek(rl, time(NULL), &st); /* not charged: no account known */
        sf->rate_headers(r, &st);
        return;
    }
    sim_rl_take(rl, time(NULL), &st);
    sf->rate_headers(r, &st);
    if (st.limited) {
        sf->rate_limited(r, &st);
        return;
    }
    if (sim_faults_apply(&s->faults, req->path, r))
        return;
    if (!known_method(req->method)) {
        sim_reply_message(r, 405, "Method not allowed");
        sim_reply_header(r, "Allow", "GET, POST, PUT, PATCH, DELETE");
        return;
    }
    cJSON *body;
    if (parse_body(req, &body, r) != 0)
        return;
    /* The path as sent below the prefix, so the resource side splits it
     * before decoding (NULL when the prefix was spelled with escapes). */
    size_t plen = strlen(sf->prefix);
    const char *raw_rest = req->raw_path && strncmp(req->raw_path, sf->prefix, plen) == 0
                               ? req->raw_path + plen
                               : NULL;
    /* Links carry the surface's prefix. */
    char base[sizeof s->base_url + 64];
    snprintf(base, sizeof base, "%s%s", s->base_url, sf->prefix);
    sim_request rq = {
        .method = req->method,
        .path = *rest ? rest : "/",
        .query = req->query->items,
        .nquery = req->query->n,
        .body = body,
        .base_url = base,
        .now = sim_clock_now(&s->clock),
        .raw_path = raw_rest && *raw_rest ? raw_rest : raw_rest ? "/" : NULL,
        .flavour = accept_flavour(sim_http_header(req, "Accept")),
    };
    if (has_body_method(req->method) && req->body_len &&
        csv_content_type(sim_http_header(req, "Content-Type"))) {
        rq.text_body = req->body;
        rq.text_body_len = req->body_len;
    }
    sim_response res = {0};
    if (sim_resources_handle(sf->store(s), &rq, &res)) {
        if (res.status < 100 || res.status > 599) {
            cJSON_Delete(res.body);
            sim_reply_message(r, 500, "resource handler returned no valid status");
        } else {
            sim_reply_json(r, res.status, res.body); /* a raw item prints verbatim */
            if (res.content_type)
                sim_reply_header(r, "Content-Type", "%s", res.content_type);
        }
    } else {
        cJSON_Delete(res.body);
        sf->no_route(r);
    }
    cJSON_Delete(body);
}
