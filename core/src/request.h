/* The one request path every API call takes, for any vendor: sign, send,
 * the vendor's renewal and one resend, its error mapping, JSON parsing. */
#ifndef LC_REQUEST_H
#define LC_REQUEST_H

#include "buf.h"
#include "client.h"
#include "vendor.h"

/* Sends r to the client's vendor. *out gets the parsed document, or NULL
 * for an empty answer (204). out may be NULL to discard it. */
lc_status lc_api_exchange(lc_client *c, const lc_api_req *r, cJSON **out, lc_error *err);

/* How a catalogue endpoint's requests are named in messages, logs and
 * lc_error.request: "<method> <path>" ("GET /access_persons/:id"). The
 * one spelling: callers that must recognise their own request (access.c)
 * build it here too. */
void lc_endpoint_what(const lc_endpoint *ep, char *buf, size_t n);

/* Appends the expanded path and encoded query of a catalogue endpoint. */
lc_status lc_build_path(lc_buf *out, const lc_endpoint *ep, lc_query *path_args,
                        lc_query *query, lc_error *err);

#endif
