/* RemoteLock's protocol (and its LockState v1 form, which shares it): an
 * OAuth bearer token on every request, one renewal and one resend on
 * 401/403, JSON:API error bodies, X-RateLimit-* headers, page/per_page
 * paging. The catalogue rows
 * and the descriptor are in catalogue_remotelock.c. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "log.h"
#include "pager.h"
#include "vendor.h"

#define BEARER "Bearer "

static lc_status rl_sign(lc_client *c, const lc_api_req *r, lc_http_headers *h, lc_error *err)
{
    lc_status st = lc_auth_ensure(c, err);

    (void)r;
    if (st)
        return st;
    return lc_http_headers_add_secret(h, "Authorization", BEARER, c->tok.access, err);
}

/* An expired or revoked token: renew once (or adopt a newer one another
 * process stored) and resend once. */
static lc_status rl_renew(lc_client *c, const lc_api_req *r, long status,
                          const lc_http_headers *sent, int *resend, lc_error *err)
{
    const char *auth = lc_http_headers_get(sent, "Authorization");
    const char *rejected = auth && strncmp(auth, BEARER, strlen(BEARER)) == 0 ?
                           auth + strlen(BEARER) : NULL;
    lc_status st;

    *resend = 0;
    if (status != 401 && status != 403)
        return LC_OK;
    lc_log(c, LC_LOG_INFO, "%s answered HTTP %ld: renewing the token", r->what, status);
    st = lc_auth_renew(c, rejected, err);
    *resend = st == LC_OK;
    return st;
}

/* ---- rate limits: X-RateLimit-Limit, -Remaining, -Reset ------------------ */

static int name_is(const char *name, size_t nlen, const char *want)
{
    return nlen == strlen(want) && strncasecmp(name, want, nlen) == 0;
}

/* Strict decimals only (lc_http_header_num: at most 31 characters, no
 * sign); a count past 10^9 or a reset that is not a positive epoch is
 * "unknown", never clamped into a plausible value. */
static void rl_rate_header(lc_rate_limit *rl, const char *name, size_t nlen,
                           const char *value, size_t vlen)
{
    long long num;

    if (name_is(name, nlen, "X-RateLimit-Limit")) {
        num = lc_http_header_num(value, vlen);
        rl->limit = num >= 0 && num <= 1000000000 ? (long)num : -1;
    } else if (name_is(name, nlen, "X-RateLimit-Remaining")) {
        num = lc_http_header_num(value, vlen);
        rl->remaining = num >= 0 && num <= 1000000000 ? (long)num : -1;
    } else if (name_is(name, nlen, "X-RateLimit-Reset")) {
        num = lc_http_header_num(value, vlen);
        rl->reset = num > 0 ? num : 0;
    }
}

/* ---- paging: page=N&per_page=M ------------------------------------------ */

/* page*per_page may not exceed 10,000. */
int lc_page_within_cap(long page, long per_page)
{
    return per_page > 0 && page <= LC_MAX_RESOURCES / per_page;
}

static const cJSON *meta_of(const cJSON *doc)
{
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(doc, "meta");
    return cJSON_IsObject(meta) ? meta : NULL;
}

static long meta_long(const cJSON *meta, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(meta, key);
    return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e9 ?
           (long)v->valuedouble : -1;
}

/* The pager always sets per_page (never the server's default), so the cap
 * rests on our numbers alone. */
static int rl_next_query(const lc_page_state *s, lc_buf *q)
{
    char num[64];

    if (!lc_page_within_cap(s->page, s->per_page))
        return 0;
    snprintf(num, sizeof(num), "page=%ld&per_page=%d", s->page, s->per_page);
    return lc_buf_puts(q, num) ? -1 : 1;
}

/* Stops at meta.total_pages or at an empty page; an answer without meta
 * is not paged (the Schlage Engage smart-card list), so it is the only
 * page. A paged answer holding more items than per_page asked for breaks
 * the protocol (and page * per_page <= 10,000 with it): LC_ERR_PARSE. */
static lc_status rl_read_page(lc_page_state *s, const cJSON *doc, const cJSON **first,
                              const char *what, lc_error *err)
{
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(doc, "data");
    long total;

    if (!cJSON_IsArray(data)) {
        lc_err_set(err, LC_ERR_PARSE, "answer to %s has no \"data\" array", what);
        lc_err_request(err, what);
        return LC_ERR_PARSE;
    }
    if (meta_of(doc) && cJSON_GetArraySize(data) > s->per_page) {
        lc_err_set(err, LC_ERR_PARSE, "answer to %s holds %d items on a page, more than the "
                   "%d asked for", what, cJSON_GetArraySize(data), s->per_page);
        lc_err_request(err, what);
        return LC_ERR_PARSE;
    }
    *first = data->child;
    total = meta_long(meta_of(doc), "total_pages");
    if (!data->child || !meta_of(doc) || (total >= 0 && s->page >= total))
        s->done = 1;
    s->page++;
    return LC_OK;
}

static const char *const rl_reserved[] = { "page", "per_page", NULL };

static const lc_paging rl_paging = {
    .reserved = rl_reserved,
    .max_per_page = 50,
    .next_query = rl_next_query,
    .read_page = rl_read_page,
};

/* The Accept each document asks for (000's request examples; 001 line
 * ~267). A flavour's "outside" flag marks the rows only the other one
 * documents. */
static const lc_flavour rl_flavours[] = {
    { "current", "the current RemoteLock API", "application/vnd.lockstate+json; version=1",
      LC_EP_LEGACY_V1 },
    { "v1", "the LockState v1 API", "application/vnd.lockstate.v1+json", LC_EP_CURRENT_ONLY },
    { NULL, NULL, NULL, 0 }
};

const lc_protocol lc_protocol_remotelock = {
    .default_api_url = "https://api.remotelock.com",
    .default_auth_url = "https://connect.remotelock.com",
    .flavours = rl_flavours,
    .content_type = "application/json",
    .sign = rl_sign,
    .renew = rl_renew,
    .map_error = lc_err_from_http, /* JSON:API resource and general errors */
    .rate_header = rl_rate_header,
    .paging = &rl_paging,
};
