/*
 * JSON:API-style document helpers shared by the resource handlers: resource
 * objects, links, the two documented error shapes and query lookups.
 * Builders that take cJSON arguments take ownership of them, also on
 * failure, so callers never need a second cleanup path.
 */
#ifndef SIM_JSONAPI_H
#define SIM_JSONAPI_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "sim_resources.h"

/* Adds item under key (or appends it); deletes item on failure. 0 / -1. */
int jsonapi_add(cJSON *obj, const char *key, cJSON *item);
int jsonapi_append(cJSON *arr, cJSON *item);
/* Sets obj[key] = item, replacing in place (key order kept) or adding;
 * consumes item. 0 / -1. */
int jsonapi_put(cJSON *obj, const char *key, cJSON *item);
/* Adds a string, or null when s is NULL. 0 / -1. */
int jsonapi_add_str(cJSON *obj, const char *key, const char *s);

/* links[name] = base + path formatted from fmt. 0 / -1. */
__attribute__((format(printf, 4, 5)))
int jsonapi_link(cJSON *links, const char *name, const char *base, const char *fmt, ...);

/* {"type","attributes","id","links"[,"meta"]} in the documented key order.
 * Consumes attrs, links and meta (meta may be NULL). NULL on failure. */
cJSON *jsonapi_resource(const char *type, const char *id, cJSON *attrs, cJSON *links,
                        cJSON *meta);

/* res = {status, {"data": data}}; consumes data; 500 when data is NULL. */
void jsonapi_respond_data(sim_response *res, int status, cJSON *data);

/* General error: {"message": ..., "type": ...}. */
void jsonapi_respond_general(sim_response *res, int status, const char *message,
                             const char *type);
void jsonapi_respond_not_found(sim_response *res);
void jsonapi_respond_bad_request(sim_response *res, const char *message);
void jsonapi_respond_internal(sim_response *res);

/* Resource errors, answered as 422 {"errors":[{attribute, messages,
 * full_messages}]} like the documented access person example. count is
 * kept even if an entry could not be allocated, so validity never depends
 * on memory. */
typedef struct jsonapi_errors {
    cJSON *list;
    size_t count;
} jsonapi_errors;

void jsonapi_errors_init(jsonapi_errors *e);
void jsonapi_errors_free(jsonapi_errors *e);
/* attribute NULL means an error not tied to one attribute. */
void jsonapi_error_add(jsonapi_errors *e, const char *attribute, const char *message);
/* Answers 422 with the collected errors and releases them. */
void jsonapi_respond_errors(sim_response *res, jsonapi_errors *e);

/* Value of the first query pair named key, or NULL. */
const char *jsonapi_query(const sim_request *req, const char *key);

#endif
