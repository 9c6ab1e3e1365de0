/* OAuth data of a fixture: {"oauth":{"clients":[{"client_id","client_secret"}],
 * "authorization_codes":[{"code","client_id","redirect_uri"}]}}. */
#ifndef SIM_OAUTH_APP_H
#define SIM_OAUTH_APP_H

#include <stddef.h>
#include <cjson/cJSON.h>

typedef struct sim_client {
    char *id;
    char *secret;
} sim_client;

typedef struct sim_code {
    char *code;
    char *client_id;
    char *redirect_uri;
    int used;
} sim_code;

typedef struct sim_oauth_app {
    sim_client *clients;
    size_t nclients;
    sim_code *codes;
    size_t ncodes;
} sim_oauth_app;

/* Parses the value of the "oauth" key. 0, or -1 with a message (out empty). */
int sim_oauth_app_parse(sim_oauth_app *out, const cJSON *oauth, char *err, size_t errlen);
void sim_oauth_app_free(sim_oauth_app *app);
/* Marks every code unused again. */
void sim_oauth_app_rearm(sim_oauth_app *app);
/* The client when id and secret match (constant-time), else NULL. */
const sim_client *sim_oauth_app_auth(const sim_oauth_app *app, const char *id, const char *secret);
sim_code *sim_oauth_app_code(sim_oauth_app *app, const char *code);

#endif
