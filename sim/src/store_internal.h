/*
 * The resource store behind sim_resources.h. Every resource is one record,
 * a cJSON object {"id", "type", "attributes": {...}} (plus a row's top-level
 * flags such as an access person's "deactivated"), kept in one array per
 * table row (engine.h) in creation order: lists[i] belongs to api->defs[i].
 * Attributes are stored complete and in documented order (see
 * resources_schema.h); values that depend on other records or on the clock
 * are computed when a response is rendered.
 */
#ifndef SIM_STORE_INTERNAL_H
#define SIM_STORE_INTERNAL_H

#include <stddef.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "sim_resources.h"
#include "tz.h"

#define STORE_ID_LEN 37 /* UUID text + NUL */
#define STORE_DEFAULT_TIME_ZONE "America/Denver"
#define STORE_MAX_LISTS 48

struct res_api;

/* An index a row's hooks derive from the records (e.g. each person's zone
 * and stay, for status), valid while gen equals the store's generation. */
typedef struct store_memo {
    void *data;
    void (*free)(void *data);
    unsigned long gen;
} store_memo;

typedef struct store_data {
    char time_zone[TZ_NAME_MAX]; /* account default time zone */
    cJSON *lists[STORE_MAX_LISTS]; /* one per row of the API table */
    store_memo memo[STORE_MAX_LISTS];  /* each row's hooks' (person status inputs) */
    store_memo order[STORE_MAX_LISTS]; /* the engine's: records in sort order */
    store_memo kept[STORE_MAX_LISTS];  /* ... and those a listing keeps  */
    store_memo ids[STORE_MAX_LISTS];   /* id -> record of each row       */
    int writing;            /* a request that may change records runs */
    size_t nlists;
    unsigned long gen;      /* counts requests that may change records */
    unsigned long next_id;  /* sequence behind generated ids        */
    unsigned long next_pin; /* sequence behind generated PINs/cards */
} store_data;

struct sim_store {
    const struct res_api *api;
    store_data d;
};

/* Empty collections, one per row; 0 / -1. */
int store_data_init(store_data *d, size_t nlists);
void store_data_free(store_data *d);

/* The memo's data when current, else NULL. */
void *store_memo_get(const store_data *d, const store_memo *m);
/* Replaces the memo's data (current from now on); frees the old one. */
void store_memo_set(store_data *d, store_memo *m, void *data, void (*free_fn)(void *));

/* Record helpers. store_record_new consumes attrs. */
cJSON *store_record_new(const char *id, const char *type, cJSON *attrs);
const char *rec_id(const cJSON *rec);
const char *rec_type(const cJSON *rec);
cJSON *rec_attrs(const cJSON *rec);
/* String attribute, or NULL when absent or not a string. */
const char *rec_str(const cJSON *rec, const char *key);
/* Replaces an attribute in place (order kept); consumes value. 0 / -1. */
int rec_set(cJSON *rec, const char *key, cJSON *value);
int rec_set_str(cJSON *rec, const char *key, const char *s);

/* Record with this id in list, or NULL (a scan). */
cJSON *store_find(const cJSON *list, const char *id);
/* Record with this id in row i: through a hash index kept as a memo while
 * no request writes (a scan while one does). */
cJSON *store_find_row(store_data *d, size_t i, const char *id);
/* Tells the index of row i about a record appended to it (fixture
 * loading, where the generation does not move). */
void store_row_added(store_data *d, size_t i, cJSON *rec);
/* 1 when any collection holds a record with this id. */
int store_id_taken(const store_data *d, const char *id);
/* Next deterministic UUID v4-shaped id not in use. 0 / -1. */
int store_new_id(store_data *d, char out[STORE_ID_LEN]);
/* Detaches and deletes rec from list (no-op when absent). */
void store_remove(cJSON *list, cJSON *rec);

#endif
