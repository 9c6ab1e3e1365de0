/* The simulator server: one object owns every piece of state. All request
 * handling runs on libmicrohttpd's single internal thread. */
#ifndef SIM_SERVER_H
#define SIM_SERVER_H

#include <stddef.h>
#include <time.h>
#include <cjson/cJSON.h>

#include "clock.h"
#include "faults.h"
#include "form.h"
#include "oauth_app.h"
#include "options.h"
#include "ratelimit.h"
#include "reply.h"
#include "reqlog.h"
#include "sim_resources.h"
#include "tls_cert.h"
#include "tokens.h"

struct MHD_Daemon;
struct MHD_Connection;

#define SIM_MAX_SURFACES 4

/* Settings changeable through /_sim/config. */
typedef struct sim_config {
    long token_ttl;
    long rate_limit;
    long rate_window;
} sim_config;

typedef struct sim_server {
    sim_options opts;
    sim_config startup_cfg, cfg;
    cJSON *startup_fixture;  /* reloaded by /_sim/reset                  */
    double startup_clock;    /* clock of the start-up fixture            */
    sim_store *store;
    sim_oauth_app app;
    sim_tokens tokens;
    sim_clock clock;
    sim_ratelimit rl[SIM_MAX_SURFACES]; /* one per API surface */
    sim_faults faults;
    sim_reqlog log;
    sim_tls tls;
    struct MHD_Daemon *daemon;
    char base_url[96];
    unsigned long next_connection;
} sim_server;

/* One complete request as the handlers see it. */
typedef struct sim_http_req {
    const char *method;
    const char *path;            /* decoded, no query */
    const char *raw_path;        /* as sent (percent-encoded), no query */
    const sim_pairs *query;
    const char *body;            /* NUL-terminated, may hold NULs before body_len */
    size_t body_len;
    struct MHD_Connection *conn;
} sim_http_req;

/* Request header value (case-insensitive name), or NULL. */
const char *sim_http_header(const sim_http_req *req, const char *name);

/* Creates the server: loads the fixture, prepares TLS. 0, or -1 with err. */
int sim_server_init(sim_server *s, const sim_options *opts, char *err, size_t errlen);
/* Starts listening and fills s->base_url. 0, or -1 with err. */
int sim_server_start(sim_server *s, char *err, size_t errlen);
/* Stops the daemon (if started) and frees everything. */
void sim_server_free(sim_server *s);

/* An API surface (surfaces.c): one vendor's API mounted under its path
 * prefix on the shared listener, with its own authentication, rate
 * limiter (s->rl[index]), store and HTTP-level answers. Its resources and
 * their documents are a table of the resource side (sim/src/engine.h). */
typedef struct sim_surface {
    const char *name;
    const char *prefix; /* "" mounts at the root (RemoteLock); "/api/v1" ... */
    /* 0 when the request may go on, else r holds the 401/403 answer. */
    int (*auth)(sim_server *s, const sim_http_req *req, sim_reply *r);
    void (*rate_headers)(sim_reply *r, const sim_rl_state *st);
    void (*rate_limited)(sim_reply *r, const sim_rl_state *st);
    /* The answer for a path that is no route of the surface. */
    void (*no_route)(sim_reply *r);
    sim_store *(*store)(sim_server *s);
} sim_surface;

extern const sim_surface sim_surfaces[];
extern const size_t sim_nsurfaces;

/* The surface serving path (the longest matching prefix), or NULL; *rest
 * is the path below its prefix. */
const sim_surface *sim_surface_for(const char *path, const char **rest);
/* Every surface's rate limiter to s->cfg, starting fresh windows. */
void sim_surfaces_rate_configure(sim_server *s);

/* Handlers (api.c, oauth.c, control.c); each fills r. */
void sim_api_handle(sim_server *s, const sim_http_req *req, sim_reply *r);
void sim_oauth_handle(sim_server *s, const sim_http_req *req, sim_reply *r);
void sim_control_handle(sim_server *s, const sim_http_req *req, sim_reply *r);

/* Bearer check (auth.c): 0 when the request carries a valid access token,
 * else fills r with the 401/403 answer and returns -1. */
int sim_auth_check(sim_server *s, const sim_http_req *req, sim_reply *r);

/* Fixtures (fixture.c). */
int sim_fixture_read_file(const char *path, cJSON **out, char *err, size_t errlen);
/* Loads a fixture document: resources, OAuth data (kept when absent) and
 * clock (kept when absent); resets tokens and faults. On failure nothing
 * changes. 0, or -1 with err. */
int sim_fixture_apply(sim_server *s, const cJSON *fixture, char *err, size_t errlen);
/* /_sim/reset: start-up fixture, clock, tokens, codes, faults, rate window,
 * config and request log back to start-up values. */
int sim_server_reset(sim_server *s, char *err, size_t errlen);

#endif
