/* Pure URL helpers: base-URL policy, path templates, query strings. */
#ifndef LC_URL_H
#define LC_URL_H

#include "buf.h"
#include "lockcloud/lockcloud.h"

/* Checks a configured base URL: https, or http when allow_http is set and
 * the host is loopback (127.0.0.0/8, ::1, localhost). Sets *is_http.
 * LC_ERR_USAGE (or LC_ERR_NOMEM) otherwise; what names the setting. */
lc_status lc_url_check_base(const char *url, int allow_http, int *is_http,
                            const char *what, lc_error *err);

/* Nonzero when host (as in a URL, IPv6 possibly in brackets) is loopback. */
int lc_url_host_is_loopback(const char *host);

/* Appends tmpl to out with each ":name" segment replaced, in order, by the
 * next of args (percent-encoded). The number of args must match; empty,
 * "." and ".." values are refused (they would change the path). */
lc_status lc_url_expand_path(lc_buf *out, const char *tmpl, lc_query *args,
                             lc_error *err);

/* Appends "?k=v&k=v" (or "&..." when out already has a '?') for a
 * NULL-terminated key/value array; keys and values percent-encoded. A key
 * without a value is LC_ERR_USAGE. NULL query appends nothing. */
lc_status lc_url_append_query(lc_buf *out, lc_query *query, lc_error *err);

/* A caller-supplied path for lc_request: must start with one '/' and hold
 * only printable non-space ASCII, so it can never change the host. */
lc_status lc_url_check_path(const char *path, lc_error *err);

#endif
