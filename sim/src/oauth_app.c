/* OAuth clients and authorization codes from the fixture. */
#include "oauth_app.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *str_field(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) && v->valuestring[0] ? strdup(v->valuestring) : NULL;
}

int sim_oauth_app_parse(sim_oauth_app *out, const cJSON *oauth, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    const cJSON *clients = cJSON_GetObjectItemCaseSensitive(oauth, "clients");
    const cJSON *codes = cJSON_GetObjectItemCaseSensitive(oauth, "authorization_codes");
    if (!cJSON_IsObject(oauth) || (clients && !cJSON_IsArray(clients)) ||
        (codes && !cJSON_IsArray(codes))) {
        snprintf(err, errlen, "\"oauth\" must be an object with arrays "
                              "\"clients\" and \"authorization_codes\"");
        return -1;
    }
    size_t nc = (size_t)cJSON_GetArraySize(clients), nk = (size_t)cJSON_GetArraySize(codes);
    out->clients = calloc(nc ? nc : 1, sizeof(*out->clients));
    out->codes = calloc(nk ? nk : 1, sizeof(*out->codes));
    if (!out->clients || !out->codes) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, clients) {
        sim_client *c = &out->clients[out->nclients++];
        c->id = str_field(it, "client_id");
        c->secret = str_field(it, "client_secret");
        if (!c->id || !c->secret) {
            snprintf(err, errlen, "oauth client %zu needs string client_id and client_secret",
                     out->nclients - 1);
            goto fail;
        }
    }
    cJSON_ArrayForEach(it, codes) {
        sim_code *c = &out->codes[out->ncodes++];
        c->code = str_field(it, "code");
        c->client_id = str_field(it, "client_id");
        c->redirect_uri = str_field(it, "redirect_uri");
        if (!c->code || !c->client_id || !c->redirect_uri) {
            snprintf(err, errlen, "authorization code %zu needs string code, client_id "
                                  "and redirect_uri", out->ncodes - 1);
            goto fail;
        }
    }
    return 0;
fail:
    sim_oauth_app_free(out);
    return -1;
}

void sim_oauth_app_free(sim_oauth_app *app)
{
    for (size_t i = 0; i < app->nclients; i++) {
        free(app->clients[i].id);
        if (app->clients[i].secret)
            OPENSSL_cleanse(app->clients[i].secret, strlen(app->clients[i].secret));
        free(app->clients[i].secret);
    }
    for (size_t i = 0; i < app->ncodes; i++) {
        free(app->codes[i].code);
        free(app->codes[i].client_id);
        free(app->codes[i].redirect_uri);
    }
    free(app->clients);
    free(app->codes);
    memset(app, 0, sizeof(*app));
}

void sim_oauth_app_rearm(sim_oauth_app *app)
{
    for (size_t i = 0; i < app->ncodes; i++)
        app->codes[i].used = 0;
}

/* Constant-time for equal lengths; the length itself is not secret here. */
static int secret_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    return la == lb && CRYPTO_memcmp(a, b, la) == 0;
}

const sim_client *sim_oauth_app_auth(const sim_oauth_app *app, const char *id, const char *secret)
{
    if (!id || !secret)
        return NULL;
    for (size_t i = 0; i < app->nclients; i++)
        if (strcmp(app->clients[i].id, id) == 0)
            return secret_equal(app->clients[i].secret, secret) ? &app->clients[i] : NULL;
    return NULL;
}

sim_code *sim_oauth_app_code(sim_oauth_app *app, const char *code)
{
    for (size_t i = 0; code && i < app->ncodes; i++)
        if (secret_equal(app->codes[i].code, code))
            return &app->codes[i];
    return NULL;
}
