/* Lazy pagination over a collection endpoint: pages are fetched one at a
 * time when the previous one is used up. Stops at meta.total_pages, at an
 * empty page, or where page * per_page would pass the API's 10,000 cap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "client.h"
#include "errors.h"
#include "pager.h"
#include "request.h"

#define MAX_PER_PAGE 50

struct lc_pager {
    lc_client *client;
    const lc_endpoint *ep;
    lc_buf base;        /* expanded path + caller's query                 */
    char what[256];
    int per_page;       /* 0 = API default                                */
    long next_page;     /* page to fetch next                             */
    int done;
    cJSON *doc;         /* last page fetched                               */
    const cJSON *next;  /* next item of its "data" array (borrowed); walked
                           by ->next: indexing would cost O(n) per item   */
};

/* page*per_page may not exceed 10,000. With per_page unknown, every page
 * still holds at least one item, so 10,000 pages is the bound: a server that
 * ignores "page" and never answers an empty page cannot loop us forever. */
int lc_page_within_cap(long page, long per_page)
{
    return page <= LC_MAX_RESOURCES / (per_page > 0 ? per_page : 1);
}

static int reserved_key(const char *k)
{
    return strcmp(k, "page") == 0 || strcmp(k, "per_page") == 0;
}

lc_status lc_pager_new(lc_client *client, const char *endpoint, lc_query *path_args,
                       lc_query *query, int per_page, lc_pager **out, lc_error *err)
{
    const lc_endpoint *ep;
    lc_pager *p;
    lc_status st;

    if (!out)
        return lc_err_set(err, LC_ERR_USAGE, "lc_pager_new: out is NULL");
    *out = NULL;
    if (!client)
        return lc_err_set(err, LC_ERR_USAGE, "client is NULL");
    ep = lc_endpoint_find(endpoint);
    if (!ep)
        return lc_err_set(err, LC_ERR_USAGE, "unknown endpoint '%.100s'",
                          endpoint ? endpoint : "(null)");
    if (!(ep->flags & LC_EP_COLLECTION))
        return lc_err_set(err, LC_ERR_USAGE, "%s is not a collection", ep->name);
    if (per_page < 0)
        return lc_err_set(err, LC_ERR_USAGE, "per_page must not be negative");
    for (size_t i = 0; query && query[i] && query[i + 1]; i += 2)
        if (reserved_key(query[i]))
            return lc_err_set(err, LC_ERR_USAGE, "the pager sets '%s' itself", query[i]);

    p = calloc(1, sizeof(*p));
    if (!p)
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    p->client = client;
    p->ep = ep;
    p->per_page = per_page > MAX_PER_PAGE ? MAX_PER_PAGE : per_page;
    p->next_page = 1;
    snprintf(p->what, sizeof(p->what), "%s %s", ep->method, ep->path);
    lc_buf_init(&p->base, 0);
    st = lc_build_path(&p->base, ep, path_args, query, err);
    if (st) {
        lc_pager_free(p);
        return st;
    }
    *out = p;
    return LC_OK;
}

static long meta_long(const cJSON *meta, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(meta, key);
    return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e9 ?
           (long)v->valuedouble : -1;
}

/* per_page in effect: ours, else what the server reported. */
static long effective_per_page(const lc_pager *p)
{
    if (p->per_page)
        return p->per_page;
    return p->doc ? meta_long(lc_pager_meta(p), "per_page") : -1;
}

static lc_status fetch(lc_pager *p, lc_error *err)
{
    lc_buf path;
    char num[64];
    cJSON *doc = NULL;
    const cJSON *data;
    lc_status st;

    lc_buf_init(&path, 0);
    if (p->per_page)
        snprintf(num, sizeof(num), "page=%ld&per_page=%d", p->next_page, p->per_page);
    else
        snprintf(num, sizeof(num), "page=%ld", p->next_page);
    if (lc_buf_puts(&path, lc_buf_str(&p->base)) ||
        lc_buf_puts(&path, strchr(lc_buf_str(&p->base), '?') ? "&" : "?") ||
        lc_buf_puts(&path, num)) {
        lc_buf_free(&path);
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    }
    st = lc_api_exchange(p->client, p->ep->method, path.data, p->what, NULL, &doc, err);
    lc_buf_free(&path);
    if (st)
        return st; /* the pager keeps its state: the caller may retry */
    data = cJSON_GetObjectItemCaseSensitive(doc, "data");
    if (!cJSON_IsArray(data)) {
        cJSON_Delete(doc);
        lc_err_set(err, LC_ERR_PARSE, "answer to %s has no \"data\" array", p->what);
        lc_err_request(err, p->what);
        return LC_ERR_PARSE;
    }
    cJSON_Delete(p->doc);
    p->doc = doc;
    p->next = data->child;
    {
        long total = meta_long(lc_pager_meta(p), "total_pages");
        if (!data->child || (total >= 0 && p->next_page >= total))
            p->done = 1;
    }
    p->next_page++;
    return LC_OK;
}

lc_status lc_pager_next(lc_pager *p, const cJSON **item, lc_error *err)
{
    if (!item)
        return lc_err_set(err, LC_ERR_USAGE, "lc_pager_next: item is NULL");
    *item = NULL;
    if (!p)
        return lc_err_set(err, LC_ERR_USAGE, "pager is NULL");
    for (;;) {
        long pp;
        if (p->next) {
            *item = p->next;
            p->next = p->next->next;
            return LC_OK;
        }
        if (p->done)
            return LC_OK;
        pp = effective_per_page(p);
        if (!lc_page_within_cap(p->next_page, pp)) {
            p->done = 1;
            return LC_OK;
        }
        {
            lc_status st = fetch(p, err);
            if (st)
                return st;
        }
    }
}

const cJSON *lc_pager_meta(const lc_pager *p)
{
    const cJSON *meta;
    if (!p || !p->doc)
        return NULL;
    meta = cJSON_GetObjectItemCaseSensitive(p->doc, "meta");
    return cJSON_IsObject(meta) ? meta : NULL;
}

void lc_pager_free(lc_pager *p)
{
    if (!p)
        return;
    cJSON_Delete(p->doc);
    lc_buf_free(&p->base);
    free(p);
}
