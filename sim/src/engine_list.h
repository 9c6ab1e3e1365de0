/*
 * Private interface of a listing's steps (engine_list.c: parameters, the
 * kept records and the page; engine_filter.c: filters and attribute
 * values; engine_sort.c: sort keys and the records in sort order).
 */
#ifndef SIM_ENGINE_LIST_H
#define SIM_ENGINE_LIST_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "engine.h"

#define PER_PAGE_DEFAULT 25
#define PER_PAGE_MAX 50
#define PAGE_WINDOW 10000
#define MAX_SORT_KEYS 8
#define MAX_QUERY 256
#define MAX_NAME 64

/* A page or per_page query value: a whole number 1 to 999,999,999, else -1. */
long res_parse_page_number(const char *s);

typedef struct sort_key {
    char name[MAX_NAME];
    int desc;
} sort_key;

typedef struct sort_ctx {
    const sort_key *keys;
    size_t nkeys;
} sort_ctx;

/* A stored record on its way through filters and sorts. */
typedef struct entry {
    const cJSON *rec;
    cJSON *computed;  /* its computed attributes, made on first need   */
    size_t pos;       /* store order, the final tie-break (see compare_entries) */
    const cJSON *key[MAX_SORT_KEYS + 1]; /* sort values, then created_at */
} entry;

#define MAX_NAMES 16
/* A group per query pair at most: read_params refuses more than
 * MAX_QUERY pairs before filters compile, so none is ever left out. */
#define MAX_GROUPS MAX_QUERY

enum { F_TYPE = 1, F_ID, F_ATTR }; /* filter group kinds */

typedef struct fgroup {
    int kind;             /* F_TYPE, F_ID or F_ATTR */
    char name[MAX_NAME];  /* F_ATTR: the attribute  */
    size_t first, n;      /* its values in list_ctx.values */
} fgroup;

typedef struct list_ctx {
    res_ctx *c;
    const res_def *def; /* the row that renders the records */
    const res_def *view; /* the row whose options apply     */
    /* Whether an attribute name is computed, looked up once per listing
     * (every type of a row computes the same attributes). */
    const char *names[MAX_NAMES];
    int computed[MAX_NAMES];
    size_t nnames;
    cJSON scratch; /* a computed string, valid until the next lookup */
    fgroup groups[MAX_GROUPS];
    size_t ngroups;
    const char **values; /* groups' values, each group's together */
} list_ctx;

/* Filters (engine_filter.c). */
/* "attributes[name]" or "attributes[name][]" -> name. 0 / -1. */
int list_attr_filter_name(const char *key, char name[MAX_NAME]);
/* 1 when name is a computed attribute of rec's type. */
int list_is_computed(const cJSON *rec, const char *name);
/* Value of an attribute of an entry: stored, or computed. lasting: the
 * value must outlive the next lookup (sort keys). */
const cJSON *list_entry_value(list_ctx *l, entry *e, const char *name, int lasting);
/* Fills l->groups and l->values from the query. 0 / -1 (no memory). */
int list_compile_filters(list_ctx *l);
/* 1 when the entry passes every filter group (and the default filter
 * when it applies). */
int list_item_passes(list_ctx *l, entry *item, int default_applies);

/* Sorting (engine_sort.c). */
/* Adds the keys of one sort value ("a,-b"). 0, or -1 with msg set. */
int list_sort_keys(const char *value, const res_def *o, sort_key *keys, size_t *n, char *msg,
                   size_t msglen);

/* The row's records in sort order, all of them (filters come after). */
typedef struct order_memo {
    char spec[MAX_SORT_KEYS * (MAX_NAME + 1) + 1];
    size_t n;
    const cJSON *v[];
} order_memo;

/* Sorts list by keys. Kept as the row's memo until the records change,
 * unless a key is computed (*owned set: the caller frees it). NULL: no
 * memory. */
order_memo *list_ordered(list_ctx *l, const cJSON *list, store_memo *slot,
                         const sort_key *keys, size_t nkeys, int *owned);

#endif
