/* Lazy pagination over a collection endpoint: pages are fetched one at a
 * time when the previous one is used up. What a page request looks like and
 * when the walk ends is the client's vendor's paging style (lc_paging in
 * vendor.h); this file only drives it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "client.h"
#include "errors.h"
#include "pager.h"
#include "request.h"
#include "vendor.h"

struct lc_pager {
    lc_client *client;
    const lc_endpoint *ep;
    const lc_paging *style; /* the client's vendor's                      */
    lc_buf base;        /* expanded path + caller's query                 */
    char what[256];
    lc_page_state st;
    cJSON *doc;         /* last page fetched (st.last)                    */
    const cJSON *next;  /* next item of that page (borrowed); walked by
                           ->next: indexing would cost O(n) per item      */
    long long handed;   /* items handed out (lc_pager_position)           */
};

static int reserved_key(const lc_paging *style, const char *k)
{
    for (size_t i = 0; style->reserved && style->reserved[i]; i++)
        if (strcmp(k, style->reserved[i]) == 0)
            return 1;
    return 0;
}

lc_status lc_pager_new(lc_client *client, const char *endpoint, lc_query *path_args,
                       lc_query *query, int per_page, lc_pager **out, lc_error *err)
{
    const lc_endpoint *ep;
    const lc_paging *style;
    lc_pager *p;
    lc_status st;

    if (!out)
        return lc_err_set(err, LC_ERR_USAGE, "lc_pager_new: out is NULL");
    *out = NULL;
    if (!client)
        return lc_err_set(err, LC_ERR_USAGE, "client is NULL");
    st = lc_client_endpoint(client, endpoint, &ep, err); /* known, in the flavour */
    if (st)
        return st;
    if (!(ep->flags & LC_EP_COLLECTION))
        return lc_err_set(err, LC_ERR_USAGE, "%s is not a collection", ep->name);
    if (per_page < 0)
        return lc_err_set(err, LC_ERR_USAGE, "per_page must not be negative");
    style = client->vendor->protocol->paging;
    for (size_t i = 0; query && query[i] && query[i + 1]; i += 2)
        if (reserved_key(style, query[i]))
            return lc_err_set(err, LC_ERR_USAGE, "the pager sets '%s' itself", query[i]);

    p = calloc(1, sizeof(*p));
    if (!p)
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    p->client = client;
    p->ep = ep;
    p->style = style;
    /* Always ours, never the server's default: the cap on one query and
     * the check of each page's size must not rest on what a server says. */
    p->st.per_page = per_page == 0 || per_page > style->max_per_page ? style->max_per_page
                     : per_page;
    p->st.page = 1;
    lc_endpoint_what(ep, p->what, sizeof(p->what));
    lc_buf_init(&p->base, 0);
    st = lc_build_path(&p->base, ep, path_args, query, err);
    if (st) {
        lc_pager_free(p);
        return st;
    }
    *out = p;
    return LC_OK;
}

/* The walk has not ended (the last page said more follow, or could not
 * say) but the style may ask for no further page (the API's cap on one
 * query, RemoteLock: page * per_page <= 10,000), or LC_MAX_RESOURCES
 * items were handed out and another is there. Ending here would hand the
 * caller a silently short collection. A condition of the data, not a
 * misuse: a runtime kind of its own. */
static lc_status capped(const lc_pager *p, lc_error *err)
{
    lc_err_set(err, LC_ERR_TOO_MANY, "%s: more resources match than the API lists for one "
               "query (it stopped after the first %lld): narrow the query with filters (type, "
               "attributes, ids) and list each part", p->what, p->handed);
    lc_err_request(err, p->what);
    return LC_ERR_TOO_MANY;
}

/* Fetches the next page. On an error the pager keeps its state (page
 * number, cursor, nothing handed out): the next call asks for the same
 * page again, which is how a caller resumes. */
static lc_status fetch(lc_pager *p, lc_error *err)
{
    lc_buf path;
    cJSON *doc = NULL;
    const cJSON *first = NULL;
    lc_api_req r = { .method = p->ep->method, .what = p->what, .flags = p->ep->flags };
    lc_status st;
    int q;

    lc_buf_init(&path, 0);
    if (lc_buf_puts(&path, lc_buf_str(&p->base)) ||
        lc_buf_puts(&path, strchr(lc_buf_str(&p->base), '?') ? "&" : "?")) {
        lc_buf_free(&path);
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    }
    q = p->style->next_query(&p->st, &path);
    if (q <= 0) {
        lc_buf_free(&path);
        return q < 0 ? lc_err_set(err, LC_ERR_NOMEM, "out of memory") : capped(p, err);
    }
    r.path_query = path.data;
    st = lc_api_exchange(p->client, &r, &doc, err);
    lc_buf_free(&path);
    if (!st)
        st = p->style->read_page(&p->st, doc, &first, p->what, err);
    if (st) {
        cJSON_Delete(doc);
        return st;
    }
    cJSON_Delete(p->doc);
    p->doc = doc;
    p->st.last = doc;
    p->next = first;
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
        lc_status st;
        if (p->next) {
            /* items, not pages: a server ignoring "page" cannot make us
             * hand out its first pages again and again */
            if (p->handed >= LC_MAX_RESOURCES)
                return capped(p, err);
            *item = p->next;
            p->next = p->next->next;
            p->handed++;
            return LC_OK;
        }
        if (p->st.done)
            return LC_OK;
        st = fetch(p, err);
        if (st)
            return st;
    }
}

void lc_pager_position(const lc_pager *p, long long *items, long *page)
{
    if (items)
        *items = p ? p->handed : 0;
    if (page)
        *page = p ? p->st.page : 0;
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
