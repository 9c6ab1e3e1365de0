/* The client object: everything a client owns lives here (no globals). */
#ifndef LC_CLIENT_H
#define LC_CLIENT_H

#include <curl/curl.h>
#include "lockcloud/lockcloud.h"
#include "cafile.h"
#include "clock.h"

/* An OAuth token pair. Strings are heap copies, wiped when freed. */
typedef struct lc_tokens {
    char *access;
    char *refresh;
    char *type;            /* token_type, normally "Bearer"               */
    long long expires_at;  /* wall-clock epoch seconds; 0 = unknown        */
} lc_tokens;

struct lc_client {
    const lc_vendor *vendor; /* lc_config.vendor: catalogue and protocol    */
    const struct lc_flavour *flavour; /* lc_config.flavour: Accept, and the
                              rows a call may use (vendor.h)             */
    char *api_url;         /* without trailing '/'                          */
    char *auth_url;        /* NULL when the vendor has no OAuth server      */
    char *client_id;
    char *client_secret;
    char *cafile;
    lc_ca_certs *ca;       /* cafile's certificates, read and parsed once at
                              lc_client_new: what every handshake trusts
                              (transport.c: CURLOPT_SSL_CTX_FUNCTION)    */
    char *sys_cainfo;      /* cafile NULL: the system bundle and directory   */
    char *sys_capath;      /* passed explicitly (see transport.c: env audit) */
    char *token_file;
    char *proxy;
    char *user_agent;
    long connect_timeout_ms;
    long timeout_ms;
    int allow_http;        /* http was allowed and every URL is loopback    */
    size_t max_response_bytes; /* body cap of one answer (never 0); also
                              scales the JSON value budget               */
    lc_log_fn log;
    void *log_userdata;

    long long deadline_ms; /* CLOCK_MONOTONIC ms; 0 = none                  */

    CURL *curl;            /* one handle: keeps the connection alive        */
    char curl_err[CURL_ERROR_SIZE];
    int curl_plain;        /* curl holds the constant options and nothing
                              else a plain GET would not set (transport.c) */

    long rl_limit;         /* latest X-RateLimit-* seen, -1 / 0 unknown     */
    long rl_remaining;
    long long rl_reset;
    long long max_rate_wait_ms; /* lc_config.max_rate_wait_ms; 0 = never wait */
    int max_retries;       /* lc_config.max_retries; 0 = none                */
    unsigned long long rng; /* jitter of retry pauses (retry.c); not secret  */

    lc_tokens tok;         /* in-memory tokens                              */
    int tok_unsaved;       /* tok is newer than the token file: a write
                              failed after a grant, so the file's refresh
                              token may already be dead                     */
};

/* Milliseconds left before the client's deadline (<= 0: passed);
 * LLONG_MAX without one. */
long long lc_deadline_left_ms(const lc_client *c);

void lc_tokens_free(lc_tokens *t);
/* Replaces *dst with a copy of src; -1 on allocation failure (dst kept). */
int lc_tokens_copy(lc_tokens *dst, const lc_tokens *src);
/* Access token present and not expiring within margin_s seconds. */
int lc_tokens_valid(const lc_tokens *t, long long now, long margin_s);
/* Duplicates s (NULL stays NULL); wipes nothing. */
char *lc_strdup_or_null(const char *s);
/* Frees s after wiping it (for secrets). */
void lc_free_secret(char *s);

#endif
