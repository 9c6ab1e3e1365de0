/* Store lifetime, fixture swapping and record helpers. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine.h"
#include "jsonapi.h"

int store_data_init(store_data *d, size_t nlists)
{
    memset(d, 0, sizeof *d);
    snprintf(d->time_zone, sizeof d->time_zone, "%s", STORE_DEFAULT_TIME_ZONE);
    d->next_id = 1;
    d->next_pin = 0; /* generated PINs start at 5000 (docs/SIMULATOR.md) */
    if (nlists > STORE_MAX_LISTS)
        return -1;
    d->nlists = nlists;
    for (size_t i = 0; i < nlists; i++) {
        if (!(d->lists[i] = cJSON_CreateArray())) {
            store_data_free(d);
            return -1;
        }
    }
    return 0;
}

void store_data_free(store_data *d)
{
    for (size_t i = 0; i < d->nlists; i++) {
        cJSON_Delete(d->lists[i]);
        store_memo_set(d, &d->memo[i], NULL, NULL);
        store_memo_set(d, &d->order[i], NULL, NULL);
        store_memo_set(d, &d->kept[i], NULL, NULL);
        store_memo_set(d, &d->ids[i], NULL, NULL);
    }
    memset(d, 0, sizeof *d);
}

void *store_memo_get(const store_data *d, const store_memo *m)
{
    return m->data && m->gen == d->gen ? m->data : NULL;
}

void store_memo_set(store_data *d, store_memo *m, void *data, void (*free_fn)(void *))
{
    if (m->data && m->free)
        m->free(m->data);
    m->data = data;
    m->free = free_fn;
    m->gen = d->gen;
}

/* The store of one API surface (today RemoteLock's). */
static sim_store *store_new_api(const res_api *api)
{
    sim_store *s = calloc(1, sizeof *s);
    if (s && store_data_init(&s->d, api->ndefs) != 0) {
        free(s);
        return NULL;
    }
    if (s)
        s->api = api;
    return s;
}

sim_store *sim_store_new(void)
{
    return store_new_api(&remotelock_api);
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
    if (store_data_init(&fresh, store->api->ndefs) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (res_load_fixture(&fresh, store->api, fixture, err, errlen) != 0) {
        store_data_free(&fresh);
        return -1;
    }
    store_data_free(&store->d);
    /* A struct copy: memos made while loading (the id index) point at
     * records only, never into `fresh` itself, so they stay valid. */
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

/* The id index of a row: open addressing over its records, at most half
 * full. */
typedef struct id_index {
    size_t mask, n;
    cJSON *slot[];
} id_index;

static size_t id_hash(const char *s)
{
    size_t h = (size_t)1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * (size_t)1099511628211ull;
    return h;
}

/* Adds rec; *ix grows (or is made) as needed. 0 / -1. */
static int index_put(id_index **ix, cJSON *rec)
{
    const char *id = rec_id(rec);
    if (!id)
        return 0;
    if (!*ix || 2 * ((*ix)->n + 1) > (*ix)->mask + 1) {
        size_t cap = *ix ? 2 * ((*ix)->mask + 1) : 64;
        id_index *bigger = calloc(1, sizeof *bigger + cap * sizeof bigger->slot[0]);
        if (!bigger)
            return -1;
        bigger->mask = cap - 1;
        for (size_t i = 0; *ix && i <= (*ix)->mask; i++)
            if ((*ix)->slot[i] && index_put(&bigger, (*ix)->slot[i]) != 0)
                return -1; /* cannot fail: bigger has room */
        free(*ix);
        *ix = bigger;
    }
    size_t i = id_hash(id) & (*ix)->mask;
    while ((*ix)->slot[i])
        i = (i + 1) & (*ix)->mask;
    (*ix)->slot[i] = rec;
    (*ix)->n++;
    return 0;
}

cJSON *store_find_row(store_data *d, size_t i, const char *id)
{
    if (i >= d->nlists || !id)
        return NULL;
    if (d->writing)
        return store_find(d->lists[i], id);
    id_index *ix = store_memo_get(d, &d->ids[i]);
    if (!ix) {
        cJSON *rec;
        cJSON_ArrayForEach(rec, d->lists[i]) {
            if (index_put(&ix, rec) != 0) {
                free(ix);
                return store_find(d->lists[i], id);
            }
        }
        if (!ix)
            return NULL; /* an empty row */
        store_memo_set(d, &d->ids[i], ix, free);
    }
    for (size_t k = id_hash(id) & ix->mask; ix->slot[k]; k = (k + 1) & ix->mask)
        if (strcmp(rec_id(ix->slot[k]), id) == 0)
            return ix->slot[k];
    return NULL;
}

void store_row_added(store_data *d, size_t i, cJSON *rec)
{
    id_index *ix = i < d->nlists ? store_memo_get(d, &d->ids[i]) : NULL;
    if (!ix)
        return; /* built from the list when first asked */
    if (index_put(&ix, rec) != 0) {
        store_memo_set(d, &d->ids[i], NULL, NULL);
        return;
    }
    d->ids[i].data = ix; /* it may have moved */
}

int store_id_taken(const store_data *d, const char *id)
{
    for (size_t i = 0; i < d->nlists; i++)
        if (store_find(d->lists[i], id))
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
