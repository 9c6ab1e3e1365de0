/*
 * Boundary between the simulator's HTTP side (server, TLS, OAuth, rate
 * limiting, faults, /_sim/ control: server*.c, oauth.c, control.c, ...) and
 * its resource side (in-memory store, fixtures, RemoteLock resources:
 * store.c, resources_*.c). The HTTP side authenticates the request, applies
 * rate limits and faults, parses the JSON body and then calls
 * sim_resources_handle(). The resource side never sees HTTP or tokens.
 * Everything runs on the server's single thread.
 */
#ifndef SIM_RESOURCES_H
#define SIM_RESOURCES_H

#include <stddef.h>
#include <time.h>
#include <cjson/cJSON.h>

typedef struct sim_store sim_store;

typedef struct sim_kv {
    const char *key;   /* decoded, e.g. "attributes[status][]" */
    const char *value; /* decoded */
} sim_kv;

/* Which documented form of the API a request speaks, from its Accept
 * header (api.c): the current API (000; no Accept, or any other media
 * type such as application/vnd.lockstate+json; version=1) or LockState v1
 * (001; application/vnd.lockstate.v1+json). Routes of one form only
 * answer 404 to the other (engine.h, res_def.flavours). */
typedef enum sim_flavour { SIM_FLAVOUR_CURRENT = 0, SIM_FLAVOUR_V1 = 1 } sim_flavour;

typedef struct sim_request {
    const char *method;     /* "GET", "POST", "PUT", "PATCH", "DELETE"       */
    const char *path;       /* decoded path without query, e.g. "/devices/x" */
    const sim_kv *query;    /* every query pair in order, repeats included   */
    size_t nquery;
    const cJSON *body;      /* parsed JSON body, or NULL when none           */
    const char *base_url;   /* e.g. "https://127.0.0.1:40123", for "links"   */
    time_t now;             /* simulator clock, UTC epoch seconds            */
    const char *raw_path;   /* path as sent (percent-encoded), or NULL: path
                               is literal. Routes split it first and decode
                               each segment, so an escaped slash (%2F) stays
                               inside its segment (an id), as on the cloud */
    sim_flavour flavour;    /* SIM_FLAVOUR_CURRENT unless asked for v1       */
    const char *text_body;  /* a non-JSON body the HTTP side accepted (CSV,
                               Content-Type text/csv), or NULL; body is NULL
                               then. Only routes that document one take it */
    size_t text_body_len;
} sim_request;

typedef struct sim_response {
    int status;   /* HTTP status                                            */
    cJSON *body;  /* response document, owned by the caller after the call;
                     NULL for 204 or an empty 200                            */
    const char *content_type; /* NULL: JSON; else (static) the media type of a
                                 body that is one raw item sent verbatim
                                 (cJSON_CreateRaw: a CSV answer)             */
} sim_response;

sim_store *sim_store_new(void);
void sim_store_free(sim_store *store);

/* Replaces all resources with those of a fixture document (the whole
 * fixture file; the resource side reads only its own keys). Returns 0, or
 * -1 with a message in err. On failure the store is left unchanged. */
int sim_store_load(sim_store *store, const cJSON *fixture, char *err, size_t errlen);

/* Handles a RemoteLock API request. Returns 1 when the path is a resource
 * route (response filled, including 404/422 answers for it), 0 when the path
 * is not a route at all (the HTTP side answers 404). */
int sim_resources_handle(sim_store *store, const sim_request *req, sim_response *res);

#endif
