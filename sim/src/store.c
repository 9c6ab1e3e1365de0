/* Store lifetime, fixture swapping and record helpers. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsonapi.h"

int store_data_init(store_data *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->time_zone, sizeof d->time_zone, "%s", STORE_DEFAULT_TIME_ZONE);
    d->next_id = 1;
    d->next_pin = 0; /* generated PINs start at 5000 (docs/SIMULATOR.md) */
    cJSON **lists[] = {&d->locations, &d->devices,       &d->persons,    &d->accesses,
                       &d->events,    &d->notifications, &d->subscribers};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        if (!(*lists[i] = cJSON_CreateArray())) {
            store_data_free(d);
            return -1;
        }
    }
    return 0;
}

void store_data_free(store_data *d)
{
    cJSON_Delete(d->locations);
    cJSON_Delete(d->devices);
    cJSON_Delete(d->persons);
    cJSON_Delete(d->accesses);
    cJSON_Delete(d->events);
    cJSON_Delete(d->notifications);
    cJSON_Delete(d->subscribers);
    memset(d, 0, sizeof *d);
}

sim_store *sim_store_new(void)
{
    sim_store *s = calloc(1, sizeof *s);
    if (s && store_data_init(&s->d) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

void sim_store_free(sim_store *store)
{
    if (!store)
        return;
    store_data_free(&store->d);
    free(store);
}

int sim_store_load(sim_store *store, const cJSON *fixture, char *err, size_t errlen)
{
    char dummy[1];
    if (!err || errlen == 0) {
        err = dummy;
        errlen = sizeof dummy;
    }
    err[0] = '\0';
    if (!store) {
        snprintf(err, errlen, "no store");
        return -1;
    }
    /* Load into a fresh set and swap, so a bad fixture changes nothing. */
    store_data fresh;
    if (store_data_init(&fresh) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (store_load_fixture(&fresh, fixture, err, errlen) != 0) {
        store_data_free(&fresh);
        return -1;
    }
    store_data_free(&store->d);
    store->d = fresh;
    return 0;
}

cJSON *store_record_new(const char *id, const char *type, cJSON *attrs)
{
    cJSON *rec = cJSON_CreateObject();
    int rc = jsonapi_add_str(rec, "id", id);
    rc |= jsonapi_add_str(rec, "type", type);
    rc |= jsonapi_add(rec, "attributes", attrs);
    if (rc || !rec) {
        cJSON_Delete(rec);
        return NULL;
    }
    return rec;
}

const char *rec_id(const cJSON *rec)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "id"));
}

const char *rec_type(const cJSON *rec)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "type"));
}

cJSON *rec_attrs(const cJSON *rec)
{
    return cJSON_GetObjectItemCaseSensitive(rec, "attributes");
}

const char *rec_str(const cJSON *rec, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec_attrs(rec), key));
}

int rec_set(cJSON *rec, const char *key, cJSON *value)
{
    cJSON *attrs = rec_attrs(rec);
    if (!attrs) {
        cJSON_Delete(value);
        return -1;
    }
    return jsonapi_put(attrs, key, value);
}

int rec_set_str(cJSON *rec, const char *key, const char *s)
{
    return rec_set(rec, key, s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

cJSON *store_find(const cJSON *list, const char *id)
{
    cJSON *rec;
    if (!id)
        return NULL;
    cJSON_ArrayForEach(rec, list) {
        const char *rid = rec_id(rec);
        if (rid && strcmp(rid, id) == 0)
            return rec;
    }
    return NULL;
}

int store_id_taken(const store_data *d, const char *id)
{
    const cJSON *lists[] = {d->locations, d->devices,       d->persons,    d->accesses,
                            d->events,    d->notifications, d->subscribers};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        if (store_find(lists[i], id))
            return 1;
    return 0;
}

int store_new_id(store_data *d, char out[STORE_ID_LEN])
{
    /* Deterministic, so runs (and /_sim/reset) reproduce the same ids. */
    for (int tries = 0; tries < 1000; tries++) {
        snprintf(out, STORE_ID_LEN, "a0000000-0000-4000-8000-%012lx",
                 d->next_id++ & 0xffffffffffffUL);
        if (!store_id_taken(d, out))
            return 0;
    }
    return -1;
}

void store_remove(cJSON *list, cJSON *rec)
{
    if (rec && cJSON_DetachItemViaPointer(list, rec))
        cJSON_Delete(rec);
}
