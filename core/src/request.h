/* The one request path every API call takes: token, send, one renew and
 * retry on 401/403, error mapping, JSON parsing. */
#ifndef LC_REQUEST_H
#define LC_REQUEST_H

#include "buf.h"
#include "client.h"

#define LC_ACCEPT_API "application/vnd.lockstate+json; version=1"

/* path_query is relative to api_url ("/devices?page=2"); what is
 * "METHOD /path/template" for messages. *out gets the parsed document, or
 * NULL for an empty answer (204). out may be NULL to discard it. */
lc_status lc_api_exchange(lc_client *c, const char *method, const char *path_query,
                          const char *what, const cJSON *body, cJSON **out, lc_error *err);

/* Appends the expanded path and encoded query of a catalogue endpoint. */
lc_status lc_build_path(lc_buf *out, const lc_endpoint *ep, lc_query *path_args,
                        lc_query *query, lc_error *err);

#endif
