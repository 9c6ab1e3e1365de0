/* OAuth 2.0 endpoints: POST /oauth/token (client_credentials,
 * authorization_code, rotating refresh_token) and POST /oauth/revoke.
 * Errors follow RFC 6749 section 5.2 and RFC 7009. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server.h"

#define PARAM_ERR_LEN 160

static void oauth_error(sim_reply *r, int status, const char *error, const char *desc)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "error", error);
    cJSON_AddStringToObject(doc, "error_description", desc);
    sim_reply_json(r, status, doc);
    sim_reply_header(r, "Cache-Control", "no-store");
    sim_reply_header(r, "Pragma", "no-cache");
    if (status == 401)
        sim_reply_header(r, "WWW-Authenticate", "Basic realm=\"lockcloud-sim\"");
}

/* Form body (the documented encoding) or, leniently, a flat JSON object of
 * strings. Parameters may not repeat (RFC 6749 section 3.2). */
static int read_params(const sim_http_req *req, sim_pairs *p, char *err, size_t errlen)
{
    const char *ct = sim_http_header(req, "Content-Type");
    p->items = NULL;
    p->n = 0;
    if (req->body_len && memchr(req->body, '\0', req->body_len)) {
        snprintf(err, errlen, "request body contains a NUL byte");
        return -1;
    }
    if (ct && strncasecmp(ct, "application/json", 16) == 0) {
        cJSON *doc = cJSON_ParseWithLength(req->body, req->body_len);
        const cJSON *it;
        int ok = cJSON_IsObject(doc);
        const cJSON *obj = ok ? doc : NULL;
        cJSON_ArrayForEach(it, obj) {
            if (!cJSON_IsString(it) || sim_pairs_add(p, it->string, it->valuestring) != 0) {
                ok = 0;
                break;
            }
        }
        cJSON_Delete(doc);
        if (!ok) {
            snprintf(err, errlen, "JSON body must be an object of string parameters");
            sim_pairs_free(p);
            return -1;
        }
    } else if (ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
        snprintf(err, errlen, "Content-Type must be application/x-www-form-urlencoded");
        return -1;
    } else if (sim_pairs_parse(p, req->body, req->body_len, err, errlen) != 0) {
        return -1;
    }
    for (size_t i = 0; i < p->n; i++) {
        if (sim_pairs_count(p, p->items[i].key) > 1) {
            snprintf(err, errlen, "parameter \"%.40s\" repeated", p->items[i].key);
            sim_pairs_free(p);
            return -1;
        }
    }
    return 0;
}

/* Decodes "Authorization: Basic base64(urlenc(id):urlenc(secret))". */
static int basic_credentials(const char *h, char **id, char **secret)
{
    h += 6;
    while (*h == ' ')
        h++;
    size_t len = strlen(h);
    if (len == 0 || len % 4 != 0 || len > 2048)
        return -1;
    unsigned char *raw = malloc(len / 4 * 3 + 1);
    if (!raw)
        return -1;
    int n = EVP_DecodeBlock(raw, (const unsigned char *)h, (int)len);
    if (n >= 0 && h[len - 1] == '=')
        n -= h[len - 2] == '=' ? 2 : 1;
    char *colon = n > 0 ? memchr(raw, ':', (size_t)n) : NULL;
    if (!colon) {
        free(raw);
        return -1;
    }
    *id = sim_url_decode((char *)raw, (size_t)(colon - (char *)raw), 1);
    *secret = sim_url_decode(colon + 1, (size_t)n - (size_t)(colon + 1 - (char *)raw), 1);
    free(raw);
    if (!*id || !*secret) {
        free(*id);
        free(*secret);
        *id = *secret = NULL;
        return -1;
    }
    return 0;
}

/* Client authentication from the Basic header or the body. Returns the
 * client, or NULL with *given set when credentials were present but wrong
 * (or sent both ways) and clear when none were sent at all. */
static const sim_client *authenticate(sim_server *s, const sim_http_req *req,
                                      const sim_pairs *p, int *given)
{
    const char *h = sim_http_header(req, "Authorization");
    const char *body_id = sim_pairs_get(p, "client_id");
    const char *body_secret = sim_pairs_get(p, "client_secret");
    *given = 1;
    if (h && strncasecmp(h, "Basic ", 6) == 0) {
        char *id = NULL, *secret = NULL;
        if (body_secret || basic_credentials(h, &id, &secret) != 0)
            return NULL;
        const sim_client *c = sim_oauth_app_auth(&s->app, id, secret);
        if (c && body_id && strcmp(body_id, id) != 0)
            c = NULL;
        free(id);
        free(secret);
        return c;
    }
    if (!body_id && !body_secret)
        *given = 0;
    return sim_oauth_app_auth(&s->app, body_id, body_secret);
}

static void token_reply(sim_reply *r, const sim_token *t)
{
    if (!t) {
        oauth_error(r, 500, "server_error", "could not issue a token");
        return;
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "access_token", t->access);
    cJSON_AddStringToObject(doc, "token_type", "Bearer");
    cJSON_AddNumberToObject(doc, "expires_in", (double)(t->expires_at - t->created_at));
    if (t->refresh[0])
        cJSON_AddStringToObject(doc, "refresh_token", t->refresh);
    cJSON_AddNumberToObject(doc, "created_at", (double)t->created_at);
    sim_reply_json(r, 200, doc);
    sim_reply_header(r, "Cache-Control", "no-store");
    sim_reply_header(r, "Pragma", "no-cache");
}

static void grant_code(sim_server *s, const sim_pairs *p, const sim_client *c, time_t now,
                       sim_reply *r)
{
    const char *code = sim_pairs_get(p, "code");
    const char *redirect = sim_pairs_get(p, "redirect_uri");
    if (!code) {
        oauth_error(r, 400, "invalid_request", "missing parameter: code");
        return;
    }
    sim_code *k = sim_oauth_app_code(&s->app, code);
    if (!k || k->used || strcmp(k->client_id, c->id) != 0) {
        oauth_error(r, 400, "invalid_grant", "The authorization code is invalid, expired, "
                                             "already used or issued to another client");
        return;
    }
    if (!redirect || strcmp(redirect, k->redirect_uri) != 0) {
        oauth_error(r, 400, "invalid_grant", "redirect_uri does not match the one the "
                                             "authorization code was issued for");
        return;
    }
    k->used = 1;
    token_reply(r, sim_tokens_issue(&s->tokens, c->id, now, s->cfg.token_ttl, 1));
}

static void grant_refresh(sim_server *s, const sim_pairs *p, const sim_client *c, time_t now,
                          sim_reply *r)
{
    const char *refresh = sim_pairs_get(p, "refresh_token");
    if (!refresh) {
        oauth_error(r, 400, "invalid_request", "missing parameter: refresh_token");
        return;
    }
    sim_token *old = sim_tokens_find_refresh(&s->tokens, refresh);
    if (!old || strcmp(old->client_id, c->id) != 0) {
        oauth_error(r, 400, "invalid_grant", "The refresh token is invalid, revoked, "
                                             "already used or issued to another client");
        return;
    }
    /* Rotation: the old refresh token dies now; its access token lives on
     * until it expires. Cleared before issuing, which may move records. */
    old->refresh[0] = '\0';
    token_reply(r, sim_tokens_issue(&s->tokens, c->id, now, s->cfg.token_ttl, 1));
}

static void token_endpoint(sim_server *s, const sim_http_req *req, sim_reply *r)
{
    char err[PARAM_ERR_LEN];
    sim_pairs p;
    if (read_params(req, &p, err, sizeof(err)) != 0) {
        oauth_error(r, 400, "invalid_request", err);
        return;
    }
    const char *grant = sim_pairs_get(&p, "grant_type");
    int given;
    const sim_client *c = NULL;
    if (!grant) {
        oauth_error(r, 400, "invalid_request", "missing parameter: grant_type");
    } else if (strcmp(grant, "client_credentials") != 0 &&
               strcmp(grant, "authorization_code") != 0 &&
               strcmp(grant, "refresh_token") != 0) {
        oauth_error(r, 400, "unsupported_grant_type",
                    "grant_type must be client_credentials, authorization_code or "
                    "refresh_token");
    } else if (!(c = authenticate(s, req, &p, &given))) {
        oauth_error(r, 401, "invalid_client", "Client authentication failed (unknown client, "
                                              "wrong secret or no credentials)");
    } else {
        time_t now = sim_clock_now(&s->clock);
        if (strcmp(grant, "client_credentials") == 0)
            token_reply(r, sim_tokens_issue(&s->tokens, c->id, now, s->cfg.token_ttl, 0));
        else if (strcmp(grant, "authorization_code") == 0)
            grant_code(s, &p, c, now, r);
        else
            grant_refresh(s, &p, c, now, r);
    }
    sim_pairs_free(&p);
}

/* RFC 7009: unknown tokens are not an error; client credentials are
 * optional here, but wrong ones are refused. */
static void revoke_endpoint(sim_server *s, const sim_http_req *req, sim_reply *r)
{
    char err[PARAM_ERR_LEN];
    sim_pairs p;
    if (read_params(req, &p, err, sizeof(err)) != 0) {
        oauth_error(r, 400, "invalid_request", err);
        return;
    }
    const char *token = sim_pairs_get(&p, "token");
    int given;
    const sim_client *c = authenticate(s, req, &p, &given);
    if (!c && given) {
        oauth_error(r, 401, "invalid_client", "Client authentication failed");
    } else if (!token) {
        oauth_error(r, 400, "invalid_request", "missing parameter: token");
    } else {
        sim_tokens_revoke(&s->tokens, token, c ? c->id : NULL);
        sim_reply_json(r, 200, cJSON_CreateObject());
    }
    sim_pairs_free(&p);
}

void sim_oauth_handle(sim_server *s, const sim_http_req *req, sim_reply *r)
{
    if (sim_faults_apply(&s->faults, req->path, r))
        return;
    int token = strcmp(req->path, "/oauth/token") == 0;
    int revoke = strcmp(req->path, "/oauth/revoke") == 0;
    if (!token && !revoke) {
        sim_reply_message(r, 404, "Not found");
    } else if (strcmp(req->method, "POST") != 0) {
        sim_reply_message(r, 405, "Method not allowed");
        sim_reply_header(r, "Allow", "POST");
    } else if (token) {
        token_endpoint(s, req, r);
    } else {
        revoke_endpoint(s, req, r);
    }
}
