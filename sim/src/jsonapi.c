/* JSON:API document helpers (see jsonapi.h). */
#include "jsonapi.h"
#include "engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int jsonapi_add(cJSON *obj, const char *key, cJSON *item)
{
    if (!item)
        return -1;
    if (!obj || !cJSON_AddItemToObject(obj, key, item)) {
        cJSON_Delete(item);
        return -1;
    }
    return 0;
}

int jsonapi_append(cJSON *arr, cJSON *item)
{
    if (!item)
        return -1;
    if (!arr || !cJSON_AddItemToArray(arr, item)) {
        cJSON_Delete(item);
        return -1;
    }
    return 0;
}

int jsonapi_put(cJSON *obj, const char *key, cJSON *item)
{
    if (!item)
        return -1;
    if (obj && cJSON_GetObjectItemCaseSensitive(obj, key)) {
        if (cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item))
            return 0;
        cJSON_Delete(item);
        return -1;
    }
    return jsonapi_add(obj, key, item);
}

int jsonapi_add_str(cJSON *obj, const char *key, const char *s)
{
    return jsonapi_add(obj, key, s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

int jsonapi_link(cJSON *links, const char *name, const char *base, const char *fmt, ...)
{
    char path[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof path)
        return -1;
    if (!base)
        base = "";
    size_t len = strlen(base) + (size_t)n + 1;
    char *url = malloc(len);
    if (!url)
        return -1;
    snprintf(url, len, "%s%s", base, path);
    int rc = jsonapi_add(links, name, cJSON_CreateString(url));
    free(url);
    return rc;
}

cJSON *jsonapi_resource(const char *type, const char *id, cJSON *attrs, cJSON *links,
                        cJSON *meta)
{
    cJSON *r = cJSON_CreateObject();
    int rc = r ? 0 : -1;
    rc |= jsonapi_add_str(r, "type", type);
    rc |= jsonapi_add(r, "attributes", attrs);
    rc |= jsonapi_add_str(r, "id", id);
    rc |= jsonapi_add(r, "links", links);
    if (meta)
        rc |= jsonapi_add(r, "meta", meta);
    if (rc) {
        /* jsonapi_add consumed whatever it was given, even with r NULL. */
        cJSON_Delete(r);
        return NULL;
    }
    return r;
}

static void respond(sim_response *res, int status, cJSON *body)
{
    res->status = status;
    res->body = body;
}

void jsonapi_respond_general(sim_response *res, int status, const char *message,
                             const char *type)
{
    cJSON *body = cJSON_CreateObject();
    if (jsonapi_add_str(body, "message", message) || jsonapi_add_str(body, "type", type)) {
        cJSON_Delete(body);
        body = NULL;
    }
    respond(res, status, body);
}

void jsonapi_respond_data(sim_response *res, int status, cJSON *data)
{
    cJSON *body = cJSON_CreateObject();
    if (jsonapi_add(body, "data", data)) {
        cJSON_Delete(body);
        jsonapi_respond_internal(res);
        return;
    }
    respond(res, status, body);
}

void jsonapi_respond_not_found(sim_response *res)
{
    jsonapi_respond_general(res, 404, "Not found", "not_found");
}

void jsonapi_respond_bad_request(sim_response *res, const char *message)
{
    jsonapi_respond_general(res, 400, message, "bad_request");
}

void jsonapi_respond_internal(sim_response *res)
{
    jsonapi_respond_general(res, 500, "Internal server error", "internal_error");
}

void jsonapi_errors_init(jsonapi_errors *e)
{
    e->list = cJSON_CreateArray();
    e->count = 0;
}

void jsonapi_errors_free(jsonapi_errors *e)
{
    cJSON_Delete(e->list);
    e->list = NULL;
    e->count = 0;
}

/* "starts_at" -> "Starts at"; "pin" -> "PIN" as the documented example. */
static void humanize(const char *attribute, char *out, size_t outlen)
{
    if (strcmp(attribute, "pin") == 0) {
        snprintf(out, outlen, "PIN");
        return;
    }
    size_t i = 0;
    for (; attribute[i] && i + 1 < outlen; i++) {
        char c = attribute[i] == '_' ? ' ' : attribute[i];
        out[i] = i == 0 && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    out[i] = '\0';
}

void jsonapi_error_add(jsonapi_errors *e, const char *attribute, const char *message)
{
    char label[64], full[320];
    e->count++;
    if (attribute) {
        humanize(attribute, label, sizeof label);
        snprintf(full, sizeof full, "%s %s", label, message);
    } else {
        snprintf(full, sizeof full, "%s", message);
    }
    cJSON *item = cJSON_CreateObject();
    cJSON *messages = cJSON_CreateArray();
    cJSON *fulls = cJSON_CreateArray();
    int rc = jsonapi_add_str(item, "attribute", attribute);
    rc |= jsonapi_append(messages, cJSON_CreateString(message));
    rc |= jsonapi_append(fulls, cJSON_CreateString(full));
    rc |= jsonapi_add(item, "messages", messages);
    rc |= jsonapi_add(item, "full_messages", fulls);
    if (rc)
        cJSON_Delete(item);
    else
        jsonapi_append(e->list, item);
}

void jsonapi_respond_errors(sim_response *res, jsonapi_errors *e)
{
    cJSON *body = cJSON_CreateObject();
    if (jsonapi_add(body, "errors", e->list)) { /* consumed either way */
        cJSON_Delete(body);
        body = NULL;
    }
    e->list = NULL;
    e->count = 0;
    respond(res, 422, body);
}

const char *jsonapi_query(const sim_request *req, const char *key)
{
    for (size_t i = 0; i < req->nquery; i++)
        if (req->query[i].key && strcmp(req->query[i].key, key) == 0)
            return req->query[i].value ? req->query[i].value : "";
    return NULL;
}

/* {"data": [...], "meta": {page, per_page, total_count, total_pages}}. */
static void respond_page(sim_response *res, cJSON *data, long page, long per_page, size_t total)
{
    cJSON *doc = cJSON_CreateObject(), *m = cJSON_CreateObject();
    int rc = jsonapi_add(m, "page", cJSON_CreateNumber((double)page));
    rc |= jsonapi_add(m, "per_page", cJSON_CreateNumber((double)per_page));
    rc |= jsonapi_add(m, "total_count", cJSON_CreateNumber((double)total));
    size_t pages = (total + (size_t)per_page - 1) / (size_t)per_page;
    rc |= jsonapi_add(m, "total_pages", cJSON_CreateNumber((double)pages));
    rc |= jsonapi_add(doc, "data", data);
    rc |= jsonapi_add(doc, "meta", m);
    if (rc || !doc) {
        cJSON_Delete(doc);
        jsonapi_respond_internal(res);
        return;
    }
    respond(res, 200, doc);
}

const res_doc jsonapi_doc = {
    .resource = jsonapi_resource,
    .data = jsonapi_respond_data,
    .page = respond_page,
    .not_found = jsonapi_respond_not_found,
    .bad_request = jsonapi_respond_bad_request,
    .internal = jsonapi_respond_internal,
    .invalid = jsonapi_respond_errors,
};
