/* Collection responses: filters, sorting and pagination as documented in the
 * API reference ("Pagination", "Filtering", "Sorting"):
 *   page (default 1, minimum 1), per_page (default 25, minimum 1, maximum
 *   50; larger values are clamped), page * per_page at most 10,000;
 *   id[] and type / type[] filters, attributes[x] / attributes[x][]
 *   association filters; sort / sort[] (comma lists too), "-" descending.
 * Bad values answer 400 with a general error (the 10,000 limit has no
 * documented status; 400 "Malformed request" fits it best). A page past the
 * end answers an empty data array with the true meta.
 * Filters and sorts read the stored records (computed attributes such as a
 * guest's status are computed for them, cheaply); only the page is
 * rendered, so one page costs about the same in a large account as in a
 * small one. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsonapi.h"
#include "engine.h"
#include "resources_schema.h"

#define PER_PAGE_DEFAULT 25
#define PER_PAGE_MAX 50
#define PAGE_WINDOW 10000
#define MAX_SORT_KEYS 8
#define MAX_QUERY 256
#define MAX_NAME 64

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
#define MAX_GROUPS 32

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

/* Positive integer of at most 9 digits, or -1. */
static long parse_positive(const char *s)
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

/* "attributes[name]" or "attributes[name][]" -> name. 0 / -1. */
static int attr_filter_name(const char *key, char name[MAX_NAME])
{
    static const char prefix[] = "attributes[";
    if (strncmp(key, prefix, sizeof prefix - 1) != 0)
        return -1;
    const char *p = key + sizeof prefix - 1;
    size_t n = 0;
    while (p[n] && p[n] != ']' && n + 1 < MAX_NAME) {
        char ch = p[n];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
            return -1;
        n++;
    }
    if (n == 0 || p[n] != ']' || (strcmp(p + n + 1, "") != 0 && strcmp(p + n + 1, "[]") != 0))
        return -1;
    memcpy(name, p, n);
    name[n] = '\0';
    return 0;
}

static int is_type_key(const char *k)
{
    return strcmp(k, "type") == 0 || strcmp(k, "type[]") == 0 || strcmp(k, "[type]") == 0 ||
           strcmp(k, "[type][]") == 0;
}

static int is_id_key(const char *k)
{
    return strcmp(k, "id") == 0 || strcmp(k, "id[]") == 0;
}

/* Query value v equals the JSON value j as the client would spell it. */
static int value_matches(const cJSON *j, const char *v)
{
    char buf[64];
    if (cJSON_IsString(j))
        return strcmp(j->valuestring, v) == 0;
    if (cJSON_IsBool(j))
        return strcmp(v, cJSON_IsTrue(j) ? "true" : "false") == 0;
    if (cJSON_IsNumber(j)) {
        snprintf(buf, sizeof buf, "%.17g", j->valuedouble);
        return strcmp(buf, v) == 0;
    }
    if (cJSON_IsNull(j))
        return v[0] == '\0' || strcmp(v, "null") == 0;
    return 0;
}

static int is_computed(const cJSON *rec, const char *name)
{
    const type_spec *t = schema_find(rec_type(rec));
    for (size_t i = 0; t && i < t->nattrs; i++)
        if (strcmp(t->attrs[i].key, name) == 0)
            return (t->attrs[i].flags & ATTR_RENDER) != 0;
    return 0;
}

/* Value of an attribute of an entry: stored, or computed. lasting: the
 * value must outlive the next lookup (sort keys). */
static const cJSON *entry_value(list_ctx *l, entry *e, const char *name, int lasting)
{
    size_t i = 0;
    while (i < l->nnames && strcmp(l->names[i], name) != 0)
        i++;
    int computed = i < l->nnames ? l->computed[i] : is_computed(e->rec, name);
    if (i == l->nnames && i < MAX_NAMES) {
        l->names[i] = name;
        l->computed[i] = computed;
        l->nnames++;
    }
    if (!computed)
        return cJSON_GetObjectItemCaseSensitive(rec_attrs(e->rec), name);
    const char *fast = !lasting && l->def->hooks.computed_str
                           ? l->def->hooks.computed_str(l->c, e->rec, name)
                           : NULL;
    if (fast) {
        l->scratch.type = cJSON_String;
        l->scratch.valuestring = (char *)(uintptr_t)fast; /* read only */
        return &l->scratch;
    }
    if (!e->computed) {
        cJSON *c = res_computed(l->c, l->def, e->rec);
        e->computed = c ? c : cJSON_CreateNull();
    }
    return cJSON_GetObjectItemCaseSensitive(e->computed, name);
}

static const cJSON *entry_attr(list_ctx *l, entry *e, const char *name)
{
    return entry_value(l, e, name, 0);
}

/* Filters compiled once per listing: a group per type, id or attribute
 * name; an item passes a group when any of its values matches, and the
 * listing when it passes every group. */
enum { F_TYPE = 1, F_ID, F_ATTR };

static int filter_kind(const char *key, char name[MAX_NAME])
{
    if (is_type_key(key))
        return F_TYPE;
    if (is_id_key(key))
        return F_ID;
    return attr_filter_name(key, name) == 0 ? F_ATTR : 0;
}

/* Fills l->groups and l->values from the query. 0 / -1 (no memory). */
static int compile_filters(list_ctx *l)
{
    const sim_request *r = l->c->req;
    l->values = malloc((r->nquery ? r->nquery : 1) * sizeof *l->values);
    if (!l->values)
        return -1;
    size_t nv = 0;
    for (size_t pass = 0; pass < 2; pass++) { /* count per group, then place */
        for (size_t g = 0; pass == 1 && g < l->ngroups; g++) {
            l->groups[g].first = nv;
            nv += l->groups[g].n;
            l->groups[g].n = 0;
        }
        for (size_t i = 0; i < r->nquery; i++) {
            char name[MAX_NAME] = "";
            int kind = filter_kind(r->query[i].key, name);
            size_t g = 0;
            if (!kind)
                continue;
            while (g < l->ngroups &&
                   (l->groups[g].kind != kind || strcmp(l->groups[g].name, name) != 0))
                g++;
            if (g == l->ngroups) { /* only in the first pass */
                if (g == MAX_GROUPS)
                    continue; /* more than the query limit allows anyway */
                l->groups[g].kind = kind;
                memcpy(l->groups[g].name, name, sizeof name);
                l->groups[g].n = 0;
                l->ngroups++;
            }
            if (pass == 1)
                l->values[l->groups[g].first + l->groups[g].n] =
                    r->query[i].value ? r->query[i].value : "";
            l->groups[g].n++;
        }
    }
    return 0;
}

static int item_passes(list_ctx *l, entry *item, int default_applies)
{
    const res_def *o = l->view;
    for (size_t g = 0; g < l->ngroups; g++) {
        const fgroup *f = &l->groups[g];
        const cJSON *v = f->kind == F_ATTR ? entry_attr(l, item, f->name)
                         : cJSON_GetObjectItemCaseSensitive(item->rec,
                                                            f->kind == F_TYPE ? "type" : "id");
        size_t i = 0;
        while (i < f->n && !value_matches(v, l->values[f->first + i]))
            i++;
        if (i == f->n)
            return 0;
    }
    if (default_applies) {
        const cJSON *v = entry_attr(l, item, o->default_filter);
        for (size_t i = 0; o->default_values[i]; i++)
            if (value_matches(v, o->default_values[i]))
                return 1;
        return 0;
    }
    return 1;
}

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

/* Adds the keys of one sort value ("a,-b"). 0, or -1 with msg set. */
static int add_sort_keys(const char *value, const res_def *o, sort_key *keys, size_t *n,
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
    *page = p ? parse_positive(p) : 1;
    *per_page = pp ? parse_positive(pp) : PER_PAGE_DEFAULT;
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
            add_sort_keys(r->query[i].value ? r->query[i].value : "", o, keys, nkeys, msg,
                          msglen))
            return -1;
    }
    if (*nkeys == 0 && o->default_sort &&
        add_sort_keys(o->default_sort, o, keys, nkeys, msg, msglen))
        return -1;
    return 0;
}

/* The row's records in sort order, all of them (filters come after). */
typedef struct order_memo {
    char spec[MAX_SORT_KEYS * (MAX_NAME + 1) + 1];
    size_t n;
    const cJSON *v[];
} order_memo;

static void entries_free(entry *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        cJSON_Delete(v[i].computed);
    free(v);
}

/* Sorts list by keys. Kept as the row's memo until the records change,
 * unless a key is computed (it may depend on the clock). NULL: no memory. */
static order_memo *ordered(list_ctx *l, const cJSON *list, store_memo *slot,
                           const sort_key *keys, size_t nkeys, int *owned)
{
    char spec[sizeof ((order_memo *)0)->spec] = "";
    size_t len = 0;
    int computed_key = 0;
    for (size_t k = 0; k < nkeys; k++) {
        len += (size_t)snprintf(spec + len, sizeof spec - len, "%s%s%s", k ? "," : "",
                                keys[k].desc ? "-" : "", keys[k].name);
        computed_key |= is_computed(list->child, keys[k].name);
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
            e->key[k] = entry_value(l, e, keys[k].name, 1);
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

/* Path, clock and every query pair but the paging ones. NULL: no memory. */
static char *kept_key(const res_ctx *c)
{
    const sim_request *r = c->req;
    size_t len = strlen(r->path) + 32;
    for (size_t i = 0; i < r->nquery; i++)
        len += strlen(r->query[i].key) + strlen(r->query[i].value ? r->query[i].value : "") + 2;
    char *key = malloc(len);
    if (!key)
        return NULL;
    size_t n = (size_t)snprintf(key, len, "%s\n%lld", r->path, (long long)r->now);
    for (size_t i = 0; i < r->nquery; i++) {
        const char *k = r->query[i].key;
        if (strcmp(k, "page") != 0 && strcmp(k, "per_page") != 0)
            n += (size_t)snprintf(key + n, len - n, "\n%s=%s", k,
                                  r->query[i].value ? r->query[i].value : "");
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
    order_memo *m = list->child ? ordered(l, list, &c->d->order[row], keys, nkeys, &owned)
                                : NULL;
    size_t n = m ? m->n : 0;
    k = malloc(sizeof *k + (n ? n : 1) * sizeof k->v[0]);
    if ((list->child && !m) || !k || compile_filters(l)) {
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
        if ((!keep || keep(c, e.rec, arg)) && item_passes(l, &e, default_applies))
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
        if (attr_filter_name(c->req->query[i].key, name) == 0 &&
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
