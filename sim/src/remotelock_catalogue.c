/* The hardware catalogues beyond the table: a brand's uuid and the
 * documented 404 of its models, a model's device type, the capability
 * filters of GET /models, and Schlage Engage smart cards, which answer
 * plain objects rather than resources. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "remotelock.h"
#include "resources_schema.h"

#define MAX_CAPABILITY 64

static int out_of_memory(char *msg, size_t msglen)
{
    snprintf(msg, msglen, "out of memory");
    return -1;
}

/* "uuid" repeats the brand's id, as documented. */
int rl_brand_load(store_data *d, cJSON *rec, char *msg, size_t msglen)
{
    (void)d;
    return rec_set_str(rec, "uuid", rec_id(rec)) ? out_of_memory(msg, msglen) : 0;
}

/* GET /brands/:brand_id/models of an unknown brand: the documented
 * {"error": "brand not found"}, not the general 404 document. */
int rl_brand_route(res_ctx *c, const res_def *def)
{
    if (c->nseg != 3 || strcmp(c->seg[2], "models") != 0 || strcmp(c->req->method, "GET") != 0 ||
        res_find(c->d, c->api, def, c->seg[1]))
        return 0;
    cJSON *body = cJSON_CreateObject();
    if (!body || !cJSON_AddStringToObject(body, "error", "brand not found")) {
        cJSON_Delete(body);
        c->api->doc->internal(c->res);
        return 1;
    }
    c->res->status = 404;
    c->res->body = body;
    return 1;
}

/* The attribute "type" of a model is the device type it makes; fixtures
 * give it as device_type, as "type" there is the record's own. */
int rl_model_load(store_data *d, cJSON *rec, char *msg, size_t msglen)
{
    (void)d;
    return rec_set_str(rec, "type", rec_str(rec, "device_type")) ? out_of_memory(msg, msglen) : 0;
}

/* A model's vendor is its brand's, shown where the documents show it: in
 * a brand's model list. */
int rl_model_compute(res_ctx *c, const cJSON *rec, cJSON *computed)
{
    if (c->nseg == 0 || strcmp(c->seg[0], "brands") != 0)
        return 0;
    const cJSON *brand =
        res_find(c->d, c->api, res_def_find(c->api, "brands"), rec_str(rec, "brand_id"));
    return jsonapi_add_str(computed, "vendor", rec_str(brand, "vendor"));
}

/* "capabilities[name]" -> name; 0 / -1 (not such a key). */
static int capability_name(const char *key, char name[MAX_CAPABILITY])
{
    static const char prefix[] = "capabilities[";
    size_t n = 0;
    if (strncmp(key, prefix, sizeof prefix - 1) != 0)
        return -1;
    key += sizeof prefix - 1;
    while (key[n] && key[n] != ']' && n + 1 < MAX_CAPABILITY &&
           (strchr("abcdefghijklmnopqrstuvwxyz0123456789_", key[n])))
        n++;
    if (n == 0 || key[n] != ']' || key[n + 1])
        return -1;
    memcpy(name, key, n);
    name[n] = '\0';
    return 0;
}

/* A capability equals the query value as a client spells it: true/false,
 * a number, or a string. */
static int capability_matches(const cJSON *v, const char *want)
{
    char buf[64];
    if (cJSON_IsBool(v))
        return strcmp(want, cJSON_IsTrue(v) ? "true" : "false") == 0;
    if (cJSON_IsNumber(v)) {
        snprintf(buf, sizeof buf, "%.17g", v->valuedouble);
        return strcmp(buf, want) == 0;
    }
    return cJSON_IsString(v) && strcmp(v->valuestring, want) == 0;
}

/* Every capabilities[x] pair of the query holds for the model. */
static int has_capabilities(res_ctx *c, const cJSON *rec, const void *arg)
{
    const cJSON *caps = cJSON_GetObjectItemCaseSensitive(rec_attrs(rec), "capabilities");
    (void)arg;
    for (size_t i = 0; i < c->req->nquery; i++) {
        char name[MAX_CAPABILITY];
        const char *want = c->req->query[i].value ? c->req->query[i].value : "";
        if (capability_name(c->req->query[i].key, name) == 0 &&
            !capability_matches(cJSON_GetObjectItemCaseSensitive(caps, name), want))
            return 0;
    }
    return 1;
}

/* GET /models?capabilities[prox_card_credential]=true: models that have
 * every capability asked, with the usual paging and sorting. A
 * malformed capabilities key is a 400, as other malformed filters. */
int rl_model_route(res_ctx *c, const res_def *def)
{
    int filtered = 0;
    if (c->nseg != 1 || strcmp(c->req->method, "GET") != 0)
        return 0;
    for (size_t i = 0; i < c->req->nquery; i++) {
        char name[MAX_CAPABILITY];
        const char *key = c->req->query[i].key;
        if (strncmp(key, "capabilities", 12) != 0)
            continue;
        if (capability_name(key, name) != 0) {
            c->api->doc->bad_request(c->res, "capabilities filters are capabilities[name]=value");
            return 1;
        }
        filtered = 1;
    }
    if (!filtered)
        return 0;
    res_list_respond(c, def, res_list(c->d, c->api, def), has_capabilities, NULL);
    return 1;
}

/* One card as documented: its id (a number when it is one) and its
 * stored attributes. NULL: no memory. */
static cJSON *render_card(const cJSON *rec)
{
    const char *id = rec_id(rec);
    char *end = NULL;
    double n = strtod(id, &end);
    int numeric = id[0] >= '0' && id[0] <= '9' && end && !*end && strlen(id) < 16;
    cJSON *out = cJSON_CreateObject();
    cJSON *attrs = schema_render(schema_find(rec_type(rec)), rec_attrs(rec), NULL, 0);
    int rc = !out || !attrs ||
             jsonapi_add(out, "id", numeric ? cJSON_CreateNumber(n) : cJSON_CreateString(id));
    for (cJSON *a = attrs ? attrs->child : NULL; !rc && a; a = a->next)
        rc = jsonapi_add(out, a->string, cJSON_Duplicate(a, 1));
    cJSON_Delete(attrs);
    if (rc) {
        cJSON_Delete(out);
        return NULL;
    }
    return out;
}

/* GET /connector_brands/schlage-engage/smart-cards[?location_id=]: every
 * card (of that location), {"data": [...]} without paging. */
int rl_smart_cards_route(res_ctx *c, const res_def *def)
{
    if (c->nseg != 1 || strcmp(c->req->method, "GET") != 0) {
        c->api->doc->not_found(c->res);
        return 1;
    }
    const char *loc = jsonapi_query(c->req, "location_id");
    cJSON *data = cJSON_CreateArray();
    const cJSON *rec;
    cJSON_ArrayForEach(rec, res_list(c->d, c->api, def)) {
        const char *at = rec_str(rec, "location_id");
        if (data && (!loc || (at && strcmp(at, loc) == 0)) &&
            jsonapi_append(data, render_card(rec))) {
            cJSON_Delete(data);
            data = NULL;
        }
    }
    cJSON *body = cJSON_CreateObject();
    if (!data || jsonapi_add(body, "data", data)) {
        cJSON_Delete(body);
        c->api->doc->internal(c->res);
        return 1;
    }
    c->res->status = 200;
    c->res->body = body;
    return 1;
}
