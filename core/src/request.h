/* The one request path every API call takes, for any vendor: sign, send,
 * the vendor's renewal and one resend, its error mapping, JSON parsing. */
#ifndef LC_REQUEST_H
#define LC_REQUEST_H

#include "buf.h"
#include "json_reader.h"
#include "client.h"
#include "vendor.h"

/* Sends r to the client's vendor. *out gets the parsed document, or NULL
 * for an empty answer (204). out may be NULL to discard it. */
lc_status lc_api_exchange(lc_client *c, const lc_api_req *r, cJSON **out, lc_error *err);

/* One call of a catalogue row (endpoint: its name). raw NULL: a 2xx
 * answer is parsed into *out (out may be NULL); else its body is moved to
 * raw unparsed and *raw_status (if not NULL) gets its status. *row gets
 * the row once the name is found. */
lc_status lc_call_row(lc_client *c, const char *endpoint, lc_query *path_args,
                      lc_query *query, const cJSON *body, cJSON **out, lc_buf *raw,
                      long *raw_status, const lc_endpoint **row, lc_error *err);

/* How lc_call reads a 2xx JSON answer, for readers of a raw answer (the
 * Lua module builds its tables straight from the bytes): the limits, the
 * document's name in messages ("the answer to GET /devices/:id"), and
 * the context a failed read adds (" (HTTP 200)", err->request and
 * err->http_status). lc_answer_failed returns st. */
lc_json_limits lc_answer_limits(const lc_client *c);
void lc_answer_name(char *buf, size_t n, const char *what);
lc_status lc_answer_failed(lc_error *err, lc_status st, const char *what, long status);
/* A text (CSV) answer's check, lc_call's and the Lua module's: LC_ERR_PARSE
 * when it holds a NUL byte (text a C string cannot carry whole, which a
 * reader would cut; lc_call_raw hands back every byte). */
lc_status lc_answer_text_check(const lc_endpoint *ep, const char *data, size_t len,
                               lc_error *err);

/* How a catalogue endpoint's requests are named in messages, logs and
 * lc_error.request: "<method> <path>" ("GET /access_persons/:id"). The
 * one spelling: callers that must recognise their own request (access.c)
 * build it here too. */
void lc_endpoint_what(const lc_endpoint *ep, char *buf, size_t n);

/* Appends the expanded path and encoded query of a catalogue endpoint. */
lc_status lc_build_path(lc_buf *out, const lc_endpoint *ep, lc_query *path_args,
                        lc_query *query, lc_error *err);

#endif
