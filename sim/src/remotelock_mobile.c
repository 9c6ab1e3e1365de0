/* A person's phone as a key: the devices their grants reach that take
 * the mobile credentials they have enabled (mobile accesses: Schlage
 * Engage for connector locks, Igloo for igloo locks), one credential per
 * vendor naming those locks, and Allegion tokens. Nothing here is
 * stored: every answer is derived from the person and their grants. */
#include <stdio.h>
#include <string.h>
#include "engine_list.h"
#include "remotelock.h"

/* Which enabled credential opens which device type. */
static const struct {
    const char *device_type, *enabled_attr, *vendor;
} vendors[] = {
    {"connector_lock", "schlage_engage_mobile_credentials_enabled", "schlage_engage"},
    {"igloo_lock", "igloo_mobile_credentials_enabled", "igloo"},
};
#define NVENDORS (sizeof vendors / sizeof vendors[0])

/* The vendor index whose credential of person opens dev, or -1. */
static int opening_vendor(const store_data *d, const cJSON *person, const cJSON *dev)
{
    if (rl_person_deactivated(person) || !rl_person_reaches(d, person, dev))
        return -1;
    for (size_t i = 0; i < NVENDORS; i++)
        if (strcmp(vendors[i].device_type, rec_type(dev)) == 0 &&
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec_attrs(person),
                                                          vendors[i].enabled_attr)))
            return (int)i;
    return -1;
}

static int mobile_access(res_ctx *c, const cJSON *dev, const void *person)
{
    return opening_vendor(c->d, person, dev) >= 0;
}

void rl_person_mobile_accesses(res_ctx *c, cJSON *rec, const char *arg)
{
    (void)arg;
    const res_def *devices = res_def_find(c->api, "devices");
    res_list_respond(c, devices, res_list(c->d, c->api, devices), mobile_access, rec);
}

/* {"type":"credential","attributes":{type, vendor, vendor_data},"id":n,...} */
static cJSON *credential(res_ctx *c, int n, const char *vendor, cJSON *locks)
{
    cJSON *res = cJSON_CreateObject(), *attrs = cJSON_CreateObject();
    cJSON *data = cJSON_CreateObject(), *links = cJSON_CreateObject();
    int rc = jsonapi_add_str(res, "type", "credential");
    rc |= jsonapi_add_str(attrs, "type", "MobileCredential");
    rc |= jsonapi_add_str(attrs, "vendor", vendor);
    rc |= jsonapi_add(data, vendor, locks);
    rc |= jsonapi_add(attrs, "vendor_data", data);
    rc |= jsonapi_add(res, "attributes", attrs);
    rc |= jsonapi_add(res, "id", cJSON_CreateNumber(n));
    rc |= jsonapi_link(links, "self", c->base, "/mobile_credentials/%d", n);
    rc |= jsonapi_add(res, "links", links);
    if (rc) {
        cJSON_Delete(res);
        return NULL;
    }
    return res;
}

/* One lock entry of a vendor's credential. */
static cJSON *lock_entry(const cJSON *dev, const char *vendor)
{
    cJSON *e = cJSON_CreateObject();
    int rc = jsonapi_add_str(e, "lock_uuid", rec_id(dev));
    if (strcmp(vendor, "schlage_engage") == 0) {
        rc |= jsonapi_add_str(e, "lock_serial_number", rec_str(dev, "serial_number"));
        rc |= jsonapi_add_str(e, "reader_serial_number", rec_str(dev, "serial_number"));
    } else {
        rc |= jsonapi_add_str(e, "lock_name", rec_str(dev, "name"));
    }
    if (rc) {
        cJSON_Delete(e);
        return NULL;
    }
    return e;
}

/* Each attributes[x] / attributes[x][] pair holds for the credential's
 * attribute x (a string; one of the values given for x). */
static int passes(const res_ctx *c, const cJSON *cred)
{
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(cred, "attributes");
    for (size_t i = 0; i < c->req->nquery; i++) {
        char name[MAX_NAME];
        if (list_attr_filter_name(c->req->query[i].key, name) != 0)
            continue;
        const char *have = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(attrs, name));
        int any = 0;
        for (size_t k = 0; k < c->req->nquery; k++) {
            char other[MAX_NAME];
            const char *v = c->req->query[k].value;
            if (list_attr_filter_name(c->req->query[k].key, other) == 0 &&
                strcmp(other, name) == 0)
                any |= have && v && strcmp(have, v) == 0;
        }
        if (!any)
            return 0;
    }
    return 1;
}

/* The credentials that pass the filters, one page of them, as a
 * collection with its documented meta. */
static void respond_page(res_ctx *c, cJSON *all)
{
    const char *p = jsonapi_query(c->req, "page"), *pp = jsonapi_query(c->req, "per_page");
    long page = p ? res_parse_page_number(p) : 1, per_page = pp ? res_parse_page_number(pp) : PER_PAGE_DEFAULT;
    if (page < 0 || per_page < 0) {
        cJSON_Delete(all);
        c->api->doc->bad_request(c->res, "page and per_page must be positive integers");
        return;
    }
    if (per_page > PER_PAGE_MAX)
        per_page = PER_PAGE_MAX;
    if (page > PAGE_WINDOW / per_page) {
        cJSON_Delete(all);
        c->api->doc->bad_request(c->res, "page * per_page must not exceed 10000");
        return;
    }
    cJSON *data = cJSON_CreateArray();
    size_t n = 0, from = (size_t)(page - 1) * (size_t)per_page;
    int rc = data ? 0 : -1;
    while (!rc && all && all->child) {
        cJSON *cred = cJSON_DetachItemViaPointer(all, all->child);
        if (!passes(c, cred) || n++ < from || (size_t)cJSON_GetArraySize(data) >= (size_t)per_page)
            cJSON_Delete(cred);
        else
            rc |= jsonapi_append(data, cred);
    }
    cJSON_Delete(all);
    if (rc) {
        cJSON_Delete(data);
        c->api->doc->internal(c->res);
        return;
    }
    c->api->doc->page(c->res, data, page, per_page, n);
}

void rl_person_mobile_credentials(res_ctx *c, cJSON *rec, const char *arg)
{
    (void)arg;
    cJSON *locks[NVENDORS] = {0}, *data = cJSON_CreateArray();
    int rc = data ? 0 : -1, n = 0;
    const cJSON *dev;
    cJSON_ArrayForEach(dev, rl_list(c->d, "devices")) {
        int v = opening_vendor(c->d, rec, dev);
        if (v < 0 || rc)
            continue;
        if (!locks[v] && !(locks[v] = cJSON_CreateArray()))
            rc = -1;
        else
            rc |= jsonapi_append(locks[v], lock_entry(dev, vendors[v].vendor));
    }
    for (size_t i = 0; i < NVENDORS; i++) {
        if (locks[i] && !rc)
            rc |= jsonapi_append(data, credential(c, ++n, vendors[i].vendor, locks[i]));
        else
            cJSON_Delete(locks[i]);
    }
    if (rc) {
        cJSON_Delete(data);
        c->api->doc->internal(c->res);
        return;
    }
    respond_page(c, data);
}

/* Tokens an Allegion app takes: opaque, stable for the person. */
void rl_person_allegion_tokens(res_ctx *c, cJSON *rec, const char *arg)
{
    char id_token[96], rights[96];
    (void)arg;
    if (rl_person_deactivated(rec)) {
        jsonapi_errors e;
        jsonapi_errors_init(&e);
        jsonapi_error_add(&e, NULL, "A deactivated access person has no Allegion tokens");
        c->api->doc->invalid(c->res, &e);
        return;
    }
    snprintf(id_token, sizeof id_token, "allegion-id.%s", rec_id(rec));
    snprintf(rights, sizeof rights, "allegion-rights.%s", rec_id(rec));
    cJSON *data = cJSON_CreateObject();
    if (jsonapi_add_str(data, "id_token", id_token) ||
        jsonapi_add_str(data, "access_rights_token", rights)) {
        cJSON_Delete(data);
        c->api->doc->internal(c->res);
        return;
    }
    c->api->doc->data(c->res, 200, data);
}
