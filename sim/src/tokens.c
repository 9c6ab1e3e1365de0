/* OAuth token records. Tokens are 32 random bytes in hex; lookups compare
 * in constant time so the simulator models what a real server should do. */
#include "tokens.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

static int random_hex(char *out)
{
    unsigned char raw[SIM_TOKEN_HEX / 2];
    static const char hex[] = "0123456789abcdef";
    if (RAND_bytes(raw, sizeof(raw)) != 1)
        return -1;
    for (size_t i = 0; i < sizeof(raw); i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[SIM_TOKEN_HEX] = '\0';
    return 0;
}

static int same_token(const char *stored, const char *given)
{
    return stored[0] && strlen(given) == SIM_TOKEN_HEX &&
           CRYPTO_memcmp(stored, given, SIM_TOKEN_HEX) == 0;
}

/* Revoked, or expired with no refresh token left to use. */
static int record_dead(const sim_token *t, time_t now)
{
    return t->revoked || (now >= t->expires_at && !t->refresh[0]);
}

/* Drops records that can never be used again. */
static void prune(sim_tokens *t, time_t now)
{
    size_t keep = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (record_dead(&t->items[i], now)) {
            free(t->items[i].client_id);
            continue;
        }
        t->items[keep++] = t->items[i];
    }
    t->n = keep;
}

const sim_token *sim_tokens_issue(sim_tokens *t, const char *client_id, time_t now,
                                  long ttl, int with_refresh)
{
    prune(t, now);
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        sim_token *items = realloc(t->items, cap * sizeof(*items));
        if (!items)
            return NULL;
        t->items = items;
        t->cap = cap;
    }
    sim_token nt = {.created_at = now, .expires_at = now + ttl};
    if (random_hex(nt.access) != 0 || (with_refresh && random_hex(nt.refresh) != 0))
        return NULL;
    if (!(nt.client_id = strdup(client_id)))
        return NULL;
    t->items[t->n] = nt;
    return &t->items[t->n++];
}

sim_token *sim_tokens_find_refresh(sim_tokens *t, const char *refresh)
{
    for (size_t i = 0; i < t->n; i++)
        if (!t->items[i].revoked && same_token(t->items[i].refresh, refresh))
            return &t->items[i];
    return NULL;
}

int sim_tokens_access_valid(const sim_tokens *t, const char *access, time_t now)
{
    for (size_t i = 0; i < t->n; i++)
        if (same_token(t->items[i].access, access))
            return !t->items[i].revoked && now < t->items[i].expires_at;
    return 0;
}

int sim_tokens_revoke(sim_tokens *t, const char *token, const char *client_id)
{
    for (size_t i = 0; i < t->n; i++) {
        sim_token *it = &t->items[i];
        if (!same_token(it->access, token) && !same_token(it->refresh, token))
            continue;
        if (client_id && strcmp(client_id, it->client_id) != 0)
            return 0;
        it->revoked = 1;
        return 1;
    }
    return 0;
}

void sim_tokens_clear(sim_tokens *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->items[i].client_id);
    free(t->items);
    t->items = NULL;
    t->n = t->cap = 0;
}
