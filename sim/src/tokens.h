/* Issued OAuth tokens. One record per grant: an access token and, except
 * for client_credentials, a refresh token. Refreshing invalidates the old
 * refresh token only; revoking either token revokes the whole record. */
#ifndef SIM_TOKENS_H
#define SIM_TOKENS_H

#include <stddef.h>
#include <time.h>

#define SIM_TOKEN_HEX 64

typedef struct sim_token {
    char access[SIM_TOKEN_HEX + 1];
    char refresh[SIM_TOKEN_HEX + 1];  /* "" when none or used up */
    char *client_id;
    time_t created_at;                /* simulator clock          */
    time_t expires_at;
    int revoked;
} sim_token;

typedef struct sim_tokens {
    sim_token *items;
    size_t n, cap;
} sim_tokens;

/* Issues a new record; NULL when out of memory or randomness. May move
 * records: pointers from earlier calls become invalid. */
const sim_token *sim_tokens_issue(sim_tokens *t, const char *client_id, time_t now,
                                  long ttl, int with_refresh);
/* The live record holding this refresh token, or NULL. */
sim_token *sim_tokens_find_refresh(sim_tokens *t, const char *refresh);
/* 1 when access is a known, unrevoked, unexpired access token. */
int sim_tokens_access_valid(const sim_tokens *t, const char *access, time_t now);
/* Revokes the record holding token (access or refresh) if it belongs to
 * client_id (NULL: any client). 1 when something was revoked. */
int sim_tokens_revoke(sim_tokens *t, const char *token, const char *client_id);
void sim_tokens_clear(sim_tokens *t);

#endif
