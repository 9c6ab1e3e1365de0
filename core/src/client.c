/* Client lifetime and settings; see client.h. */
#include "client.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <openssl/opensslv.h>

#include "cafile.h"
#include "errors.h"
#include "options.h"
#include "pacing.h"
#include "retry.h"
#include "token_store.h"
#include "transport.h"
#include "url.h"
#include "vendor.h"

/* Debian's bundle, for a libcurl built without a default CA path. */
#define FALLBACK_CAINFO  "/etc/ssl/certs/ca-certificates.crt"

/* curl_global_init is not thread-safe in older libcurl; this once-flag is
 * the library's single piece of process-wide state. The global init also
 * reads SSLKEYLOGFILE and opens that file (see lockcloud.h and the
 * environment notes in transport.c). */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void curl_init_once(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

long long lc_deadline_left_ms(const lc_client *c)
{
    if (!c->deadline_ms)
        return LLONG_MAX;
    return c->deadline_ms < 0 ? -1 : c->deadline_ms - lc_now_ms();
}

char *lc_strdup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

void lc_free_secret(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

void lc_tokens_free(lc_tokens *t)
{
    lc_free_secret(t->access);
    lc_free_secret(t->refresh);
    free(t->type);
    memset(t, 0, sizeof(*t));
}

int lc_tokens_copy(lc_tokens *dst, const lc_tokens *src)
{
    lc_tokens n = { NULL, NULL, NULL, src->expires_at };
    n.access = lc_strdup_or_null(src->access);
    n.refresh = lc_strdup_or_null(src->refresh);
    n.type = lc_strdup_or_null(src->type);
    if ((src->access && !n.access) || (src->refresh && !n.refresh) ||
        (src->type && !n.type)) {
        lc_tokens_free(&n);
        return -1;
    }
    lc_tokens_free(dst);
    *dst = n;
    return 0;
}

int lc_tokens_valid(const lc_tokens *t, long long now, long margin_s)
{
    if (!t->access || !*t->access)
        return 0;
    return t->expires_at == 0 || t->expires_at - margin_s > now;
}

/* Copies a base URL without trailing slashes. */
static char *dup_base(const char *url)
{
    size_t n = strlen(url);
    char *d;
    while (n > 0 && url[n - 1] == '/')
        n--;
    d = malloc(n + 1);
    if (d) {
        memcpy(d, url, n);
        d[n] = '\0';
    }
    return d;
}

/* The URLs default to the vendor's. */
static lc_status copy_config(lc_client *c, const lc_config *cfg, lc_error *err)
{
    const lc_protocol *pr = c->vendor->protocol;
    const char *auth_url = cfg->auth_url ? cfg->auth_url : pr->default_auth_url;

    c->api_url = dup_base(cfg->api_url ? cfg->api_url : pr->default_api_url);
    c->auth_url = auth_url ? dup_base(auth_url) : NULL;
    c->client_id = lc_strdup_or_null(cfg->client_id);
    c->client_secret = lc_strdup_or_null(cfg->client_secret);
    c->cafile = lc_strdup_or_null(cfg->cafile);
    c->token_file = lc_strdup_or_null(cfg->token_file);
    c->proxy = lc_strdup_or_null(cfg->proxy);
    c->user_agent = strdup(cfg->user_agent ? cfg->user_agent : "liblockcloud/" LOCKCLOUD_VERSION);
    if (!c->api_url || (auth_url && !c->auth_url) || !c->user_agent ||
        (cfg->client_id && !c->client_id) || (cfg->client_secret && !c->client_secret) ||
        (cfg->cafile && !c->cafile) || (cfg->token_file && !c->token_file) ||
        (cfg->proxy && !c->proxy))
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    return LC_OK;
}

static lc_status check_config(lc_client *c, const lc_config *cfg, lc_error *err)
{
    int api_http, auth_http = 0;
    lc_status st;

    if (cfg->connect_timeout_ms < 0 || cfg->timeout_ms < 0)
        return lc_err_set(err, LC_ERR_USAGE, "timeouts must not be negative");
    if ((cfg->max_rate_wait_ms < 0 && cfg->max_rate_wait_ms != LC_OFF) ||
        (cfg->max_retries < 0 && cfg->max_retries != LC_OFF) ||
        cfg->max_retries > LC_MAX_RETRIES)
        return lc_err_set(err, LC_ERR_USAGE, "max_rate_wait_ms must be LC_OFF or not negative, "
                          "max_retries LC_OFF or 0 to %d", LC_MAX_RETRIES);
    if (c->token_file && !*c->token_file)
        return lc_err_set(err, LC_ERR_USAGE, "token_file is empty");
    /* It becomes a header line (CURLOPT_USERAGENT, which the transport's
     * header check never sees): a CR LF in it would add headers. Checked
     * as every binding checks it (options.h). */
    if (cfg->user_agent) {
        st = lc_option_check_text(lc_option_find("user_agent", 10), NULL, cfg->user_agent, err);
        if (st)
            return st;
    }
    st = lc_url_check_base(c->api_url, cfg->allow_http, &api_http, "api_url", err);
    if (!st && c->auth_url)
        st = lc_url_check_base(c->auth_url, cfg->allow_http, &auth_http, "auth_url", err);
    if (st)
        return st;
    c->allow_http = api_http || auth_http;
    return LC_OK;
}

/* Whether libcurl hands its handshakes to the OpenSSL we link (the
 * SSL_CTX its CURLOPT_SSL_CTX_FUNCTION passes is then ours to fill). A
 * multi-backend libcurl shows the unselected ones in parentheses. */
static int curl_uses_openssl(void)
{
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    char prefix[32];

    snprintf(prefix, sizeof prefix, "OpenSSL/%d.", OPENSSL_VERSION_MAJOR);
    return v && v->ssl_version && strncmp(v->ssl_version, prefix, strlen(prefix)) == 0;
}

/* Records libcurl's built-in CA bundle and directory, which every request
 * then passes explicitly, so no TLS library default (nor an environment
 * variable behind one, such as SSL_CERT_FILE) can choose what we trust. */
static lc_status pin_system_store(lc_client *c, lc_error *err)
{
    char *info = NULL, *path = NULL;

    curl_easy_getinfo(c->curl, CURLINFO_CAINFO, &info);
    curl_easy_getinfo(c->curl, CURLINFO_CAPATH, &path);
    c->sys_cainfo = strdup(info ? info : FALLBACK_CAINFO);
    c->sys_capath = lc_strdup_or_null(path);
    if (!c->sys_cainfo || (path && !c->sys_capath))
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    return LC_OK;
}

lc_status lc_client_new(const lc_config *cfg, lc_client **out, lc_error *err)
{
    const lc_vendor *vendor;
    const lc_flavour *flavour;
    lc_client *c;
    lc_status st;

    if (!out)
        return lc_err_set(err, LC_ERR_USAGE, "lc_client_new: out is NULL");
    *out = NULL;
    if (!cfg)
        return lc_err_set(err, LC_ERR_USAGE, "lc_client_new: cfg is NULL");
    vendor = lc_vendor_find(cfg->vendor ? cfg->vendor : "remotelock");
    if (!vendor)
        return lc_err_set(err, LC_ERR_USAGE, "unknown vendor '%.100s'", cfg->vendor);
    if (lc_flavour_pick(vendor, cfg->flavour, &flavour, err))
        return LC_ERR_USAGE;
    pthread_once(&curl_once, curl_init_once);
    if (curl_init_rc != CURLE_OK)
        return lc_err_set(err, LC_ERR_TRANSPORT, "libcurl initialisation failed");

    c = calloc(1, sizeof(*c));
    if (!c)
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    c->vendor = vendor;
    c->flavour = flavour;
    c->connect_timeout_ms = cfg->connect_timeout_ms ? cfg->connect_timeout_ms : 5000;
    c->timeout_ms = cfg->timeout_ms ? cfg->timeout_ms : 30000;
    c->max_response_bytes = cfg->max_response_bytes ? cfg->max_response_bytes : LC_MAX_BODY;
    c->log = cfg->log;
    c->log_userdata = cfg->log_userdata;
    c->rl_limit = -1;
    c->rl_remaining = -1;
    /* 0 = the default, LC_OFF = none (lockcloud.h); stored as 0 = none. */
    c->max_rate_wait_ms = cfg->max_rate_wait_ms == LC_OFF ? 0 :
                          cfg->max_rate_wait_ms ? cfg->max_rate_wait_ms : LC_DEFAULT_RATE_WAIT_MS;
    c->max_retries = cfg->max_retries == LC_OFF ? 0 :
                     cfg->max_retries ? cfg->max_retries : LC_DEFAULT_RETRIES;
    c->rng = (unsigned long long)lc_epoch_ms() * 0x9E3779B97F4A7C15ull ^
             (unsigned long long)(uintptr_t)c;

    st = copy_config(c, cfg, err);
    if (!st)
        st = check_config(c, cfg, err);
    /* An unsafe token file is a configuration error: report it now. */
    if (!st && c->token_file)
        st = lc_token_file_check(c->token_file, err);
    /* A bad cafile is a local configuration error, never a TLS failure.
     * The certificates checked are kept: the file is never read again, so a
     * later change to it (or to a directory above it) cannot change what we
     * trust. They reach each handshake through libcurl's OpenSSL backend
     * (transport.c): with another backend, refuse rather than trust less. */
    if (!st && c->cafile && !curl_uses_openssl())
        st = lc_err_set(err, LC_ERR_USAGE, "cafile %s: libcurl's TLS backend is not OpenSSL",
                        c->cafile);
    if (!st && c->cafile)
        st = lc_cafile_load(c->cafile, 0, &c->ca, err);
    if (!st) {
        c->curl = curl_easy_init();
        if (!c->curl)
            st = lc_err_set(err, LC_ERR_NOMEM, "libcurl handle allocation failed");
    }
    if (!st && !c->cafile)
        st = pin_system_store(c, err);
    if (st) {
        lc_client_free(c);
        return st;
    }
    *out = c;
    return LC_OK;
}

void lc_client_free(lc_client *c)
{
    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl); /* before the CA certificates it points to */
    lc_ca_certs_free(c->ca);
    free(c->api_url);
    free(c->auth_url);
    free(c->client_id);
    lc_free_secret(c->client_secret);
    free(c->cafile);
    free(c->sys_cainfo);
    free(c->sys_capath);
    free(c->token_file);
    lc_free_secret(c->proxy); /* may embed proxy credentials */
    free(c->user_agent);
    lc_tokens_free(&c->tok);
    free(c);
}

const lc_vendor *lc_client_vendor(const lc_client *c)
{
    return c ? c->vendor : NULL;
}

void lc_client_set_deadline_ms(lc_client *c, long ms_from_now)
{
    if (!c)
        return;
    /* 0 clears; a past deadline (negative) fails the next request at once.
     * Saturate: now + LONG_MAX would overflow (undefined behaviour). */
    if (!ms_from_now) {
        c->deadline_ms = 0;
    } else if (ms_from_now < 0) {
        c->deadline_ms = -1; /* already past; now + LONG_MIN - now would overflow */
    } else {
        long long now = lc_now_ms();
        c->deadline_ms = ms_from_now > LLONG_MAX - now ? LLONG_MAX : now + ms_from_now;
        if (c->deadline_ms == 0)
            c->deadline_ms = -1;
    }
}

void lc_client_rate_limit(const lc_client *c, long *limit, long *remaining,
                          long long *reset_epoch)
{
    if (limit)
        *limit = c ? c->rl_limit : -1;
    if (remaining)
        *remaining = c ? c->rl_remaining : -1;
    if (reset_epoch)
        *reset_epoch = c ? c->rl_reset : 0;
}
