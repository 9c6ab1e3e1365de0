/* Collection responses: filters, sorting and pagination as documented in the
 * API reference ("Pagination", "Filtering", "Sorting"):
 *   page (default 1, minimum 1), per_page (default 25, minimum 1, maximum
 *   50; larger values are clamped), page * per_page at most 10,000;
 *   id[] and type / type[] filters, attributes[x] / attributes[x][]
 *   association filters; sort / sort[] (comma lists too), "-" descending.
 * Bad values answer 400 with a general error (the 10,000 limit has no
 * documented status; 400 "Malformed request" fits it best). A page past the
 * end answers an empty data array with the true meta.
 * Filters (engine_filter.c) and sorts (engine_sort.c) read the stored
 * records; only the page is rendered, so one page costs about the same in
 * a large account as in a small one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_list.h"

long res_parse_page_number(const char *s)
{
    long v = 0;
    size_t i = 0;
    for (; s[i]; i++) {
        if (s[i] < '0' || s[i] > '9' || i >= 9)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return i == 0 || v == 0 ? -1 : v;
}

/* Reads page, per_page and sort; 0, or -1 with msg for a 400 answer. */
static int read_params(const res_ctx *c, const res_def *o, long *page, long *per_page,
                       sort_key *keys, size_t *nkeys, char *msg, size_t msglen)
{
    const sim_request *r = c->req;
    const char *p = jsonapi_query(r, "page"), *pp = jsonapi_query(r, "per_page");
    if (r->nquery > MAX_QUERY) {
        snprintf(msg, msglen, "Too many query parameters");
        return -1;
    }
    *page = p ? res_parse_page_number(p) : 1;
    *per_page = pp ? res_parse_page_number(pp) : PER_PAGE_DEFAULT;
    if (*page < 0) {
        snprintf(msg, msglen, "page must be a positive integer");
        return -1;
    }
    if (*per_page < 0) {
        snprintf(msg, msglen, "per_page must be a positive integer");
        return -1;
    }
    if (*per_page > PER_PAGE_MAX)
        *per_page = PER_PAGE_MAX;
    if (*page > PAGE_WINDOW / *per_page) {
        snprintf(msg, msglen, "page * per_page must not exceed %d", PAGE_WINDOW);
        return -1;
    }
    *nkeys = 0;
    for (size_t i = 0; i < r->nquery; i++) {
        const char *k = r->query[i].key;
        if ((strcmp(k, "sort") == 0 || strcmp(k, "sort[]") == 0) &&
            list_sort_keys(r->query[i].value ? r->query[i].value : "", o, keys, nkeys, msg,
                          msglen))
            return -1;
    }
    if (*nkeys == 0 && o->default_sort &&
        list_sort_keys(o->default_sort, o, keys, nkeys, msg, msglen))
        return -1;
    return 0;
}

/* The records a listing keeps, in order. For one store generation and
 * one clock second the answer to the same path and filters is the same,
 * so walking the pages of a large account filters it once. */
typedef struct kept_memo {
    char *key;
    size_t n;
    const cJSON *v[];
} kept_memo;

static void kept_free(void *p)
{
    kept_memo *k = p;
    if (k)
        free(k->key);
    free(k);
}

/* Path, clock and every query pair but the paging ones, each part
 * length-prefixed: a decoded key or value may hold any byte ("=", "\n"
 * from %3D, %0A), so plain separators would let two different listings
 * share a key (and one answer). NULL: no memory. */
static char *kept_key(const res_ctx *c)
{
    const sim_request *r = c->req;
    size_t len = strlen(r->path) + 64;
    for (size_t i = 0; i < r->nquery; i++)
        len += strlen(r->query[i].key) + strlen(r->query[i].value ? r->query[i].value : "") +
               48;
    char *key = malloc(len);
    if (!key)
        return NULL;
    size_t n = (size_t)snprintf(key, len, "%zu:%s %lld", strlen(r->path), r->path,
                                (long long)r->now);
    for (size_t i = 0; i < r->nquery; i++) {
        const char *k = r->query[i].key, *v = r->query[i].value ? r->query[i].value : "";
        if (strcmp(k, "page") != 0 && strcmp(k, "per_page") != 0)
            n += (size_t)snprintf(key + n, len - n, " %zu:%s%zu:%s", strlen(k), k, strlen(v), v);
    }
    return key;
}

/* Filters the ordered records into a memo of the row. NULL: no memory. */
static kept_memo *kept(list_ctx *l, const cJSON *list, const sort_key *keys, size_t nkeys,
                       int default_applies, res_keep_fn keep, const void *arg)
{
    res_ctx *c = l->c;
    size_t row = (size_t)(l->def - c->api->defs);
    char *key = kept_key(c);
    kept_memo *k = store_memo_get(c->d, &c->d->kept[row]);
    if (!key || (k && strcmp(k->key, key) == 0)) {
        free(key);
        return key ? k : NULL;
    }
    if (l->def->hooks.list_prepare)
        l->def->hooks.list_prepare(c);
    int owned = 0;
    order_memo *m = list->child ? list_ordered(l, list, &c->d->order[row], keys, nkeys, &owned)
                                : NULL;
    size_t n = m ? m->n : 0;
    k = malloc(sizeof *k + (n ? n : 1) * sizeof k->v[0]);
    if ((list->child && !m) || !k || list_compile_filters(l)) {
        if (owned)
            free(m);
        free(k);
        free(key);
        return NULL;
    }
    k->key = key;
    k->n = 0;
    for (size_t i = 0; i < n; i++) {
        entry e = {.rec = m->v[i]};
        if ((!keep || keep(c, e.rec, arg)) && list_item_passes(l, &e, default_applies))
            k->v[k->n++] = e.rec;
        cJSON_Delete(e.computed);
    }
    if (owned)
        free(m);
    free(l->values);
    l->values = NULL;
    store_memo_set(c->d, &c->d->kept[row], k, kept_free);
    return k;
}

void res_list_respond(res_ctx *c, const res_def *view, const cJSON *list, res_keep_fn keep,
                      const void *arg)
{
    long page, per_page;
    sort_key keys[MAX_SORT_KEYS];
    size_t nkeys;
    char msg[160];
    const res_def *def = view->source ? res_def_find(c->api, view->source) : view;
    list_ctx l = {.c = c, .def = def, .view = view};
    if (!def || !list) {
        c->api->doc->internal(c->res);
        return;
    }
    if (read_params(c, view, &page, &per_page, keys, &nkeys, msg, sizeof msg)) {
        c->api->doc->bad_request(c->res, msg);
        return;
    }
    int default_applies = view->default_filter != NULL;
    for (size_t i = 0; default_applies && i < c->req->nquery; i++) {
        char name[MAX_NAME];
        if (list_attr_filter_name(c->req->query[i].key, name) == 0 &&
            strcmp(name, view->default_filter) == 0)
            default_applies = 0;
    }
    kept_memo *k = kept(&l, list, keys, nkeys, default_applies, keep, arg);
    cJSON *data = cJSON_CreateArray();
    if (!k || !data) {
        cJSON_Delete(data);
        c->api->doc->internal(c->res);
        return;
    }
    /* JSON only for the page. */
    size_t from = (size_t)(page - 1) * (size_t)per_page;
    for (size_t i = from; i < k->n && i < from + (size_t)per_page; i++) {
        if (jsonapi_append(data, res_render(c, def, k->v[i], 0))) {
            cJSON_Delete(data);
            c->api->doc->internal(c->res);
            return;
        }
    }
    c->api->doc->page(c->res, data, page, per_page, k->n);
}
