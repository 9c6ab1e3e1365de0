/* Listing order as documented ("Sorting"): sort / sort[] (comma lists
 * too), "-" descending, only the row's sortable attributes. Ties fall to
 * creation order. The sorted records are a store memo, so walking the
 * pages of a large account sorts it once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_list.h"

static int type_rank(const cJSON *v)
{
    if (!v || cJSON_IsNull(v))
        return 0;
    if (cJSON_IsBool(v))
        return 1;
    if (cJSON_IsNumber(v))
        return 2;
    return cJSON_IsString(v) ? 3 : 4;
}

static int compare_values(const cJSON *a, const cJSON *b)
{
    int ra = type_rank(a), rb = type_rank(b);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    switch (ra) {
    case 1: return cJSON_IsTrue(a) - cJSON_IsTrue(b);
    case 2: return a->valuedouble < b->valuedouble ? -1 : a->valuedouble > b->valuedouble;
    case 3: return strcmp(a->valuestring, b->valuestring);
    default: return 0;
    }
}

/* Ties on every sort key fall to creation order: created_at, then store
 * order (fixture array order, then API creation order), in the direction of
 * the first key, so a newest-first list stays newest first within a second. */
static int compare_entries(const entry *a, const entry *b, const sort_ctx *s)
{
    for (size_t i = 0; i < s->nkeys; i++) {
        int r = compare_values(a->key[i], b->key[i]);
        if (r)
            return s->keys[i].desc ? -r : r;
    }
    int r = compare_values(a->key[s->nkeys], b->key[s->nkeys]);
    if (!r)
        r = a->pos < b->pos ? -1 : a->pos > b->pos;
    return s->nkeys && s->keys[0].desc ? -r : r;
}

/* Stable merge sort with a context (qsort has neither). */
static void merge_sort(entry *v, entry *tmp, size_t n, const sort_ctx *s)
{
    if (n < 2)
        return;
    size_t mid = n / 2, i = 0, j = mid, k = 0;
    merge_sort(v, tmp, mid, s);
    merge_sort(v + mid, tmp, n - mid, s);
    if (compare_entries(&v[mid], &v[mid - 1], s) >= 0)
        return; /* already in order (store order often is): O(n) then */
    while (i < mid && j < n)
        tmp[k++] = compare_entries(&v[j], &v[i], s) < 0 ? v[j++] : v[i++];
    while (i < mid)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

static int allowed_sort(const res_def *o, const char *name)
{
    for (size_t i = 0; o->sortable && o->sortable[i]; i++)
        if (strcmp(o->sortable[i], name) == 0)
            return 1;
    return 0;
}

int list_sort_keys(const char *value, const res_def *o, sort_key *keys, size_t *n,
                         char *msg, size_t msglen)
{
    const char *p = value;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        sort_key k = {.desc = 0};
        const char *name = p;
        if (len > 0 && name[0] == '-') {
            k.desc = 1;
            name++;
            len--;
        }
        if (len == 0 || len >= MAX_NAME) {
            snprintf(msg, msglen, "Invalid sort attribute");
            return -1;
        }
        memcpy(k.name, name, len);
        k.name[len] = '\0';
        if (!allowed_sort(o, k.name)) {
            snprintf(msg, msglen, "Invalid sort attribute: %s", k.name);
            return -1;
        }
        if (*n >= MAX_SORT_KEYS) {
            snprintf(msg, msglen, "Too many sort attributes");
            return -1;
        }
        keys[(*n)++] = k;
        if (!end)
            return 0;
        p = end + 1;
    }
}

static void entries_free(entry *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        cJSON_Delete(v[i].computed);
    free(v);
}

order_memo *list_ordered(list_ctx *l, const cJSON *list, store_memo *slot,
                         const sort_key *keys, size_t nkeys, int *owned)
{
    char spec[sizeof ((order_memo *)0)->spec] = "";
    size_t len = 0;
    int computed_key = 0;
    for (size_t k = 0; k < nkeys; k++) {
        len += (size_t)snprintf(spec + len, sizeof spec - len, "%s%s%s", k ? "," : "",
                                keys[k].desc ? "-" : "", keys[k].name);
        computed_key |= list_is_computed(list->child, keys[k].name);
    }
    order_memo *m = store_memo_get(l->c->d, slot);
    *owned = 0;
    if (m && !computed_key && strcmp(m->spec, spec) == 0)
        return m;
    size_t count = (size_t)cJSON_GetArraySize(list), n = 0;
    entry *v = calloc(count ? count : 1, sizeof *v);
    entry *tmp = calloc(count ? count : 1, sizeof *tmp);
    m = malloc(sizeof *m + (count ? count : 1) * sizeof m->v[0]);
    if (!v || !tmp || !m) {
        free(v);
        free(tmp);
        free(m);
        return NULL;
    }
    const cJSON *rec;
    cJSON_ArrayForEach(rec, list) {
        entry *e = &v[n];
        e->rec = rec;
        e->pos = n++;
        for (size_t k = 0; k < nkeys; k++)
            e->key[k] = list_entry_value(l, e, keys[k].name, 1);
        e->key[nkeys] = cJSON_GetObjectItemCaseSensitive(rec_attrs(rec), "created_at");
    }
    sort_ctx s = {keys, nkeys};
    merge_sort(v, tmp, n, &s);
    snprintf(m->spec, sizeof m->spec, "%s", spec);
    m->n = n;
    for (size_t i = 0; i < n; i++)
        m->v[i] = v[i].rec;
    entries_free(v, n);
    free(tmp);
    if (computed_key)
        *owned = 1;
    else
        store_memo_set(l->c->d, slot, m, free);
    return m;
}

