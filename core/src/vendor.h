/* The vendor seam: one descriptor per cloud API. Everything the generic
 * request path (request.c, pager.c) needs to know about a vendor is here;
 * nothing else in the core names a vendor, and the transport knows none.
 *
 * One request: request.c adds the client's flavour's Accept (and
 * Content-Type with a body), the vendor's sign() adds its credentials,
 * the transport sends the plain header list; renew() may renew the
 * credentials once and ask for one resend; a non-2xx answer goes to
 * map_error(); rate_header() reads the answer's rate-limit headers;
 * collections are walked by the vendor's paging functions.
 * docs/ARCHITECTURE.md, "Vendor seam". */
#ifndef LC_VENDOR_H
#define LC_VENDOR_H

#include <stddef.h>
#include "lockcloud/lockcloud.h"
#include "buf.h"
#include "errors.h"
#include "http_headers.h"

/* What the generic path tells a vendor about one API request. */
typedef struct lc_api_req {
    const char *method;       /* "GET", "POST", ...                          */
    const char *path_query;   /* relative to api_url: "/devices?page=2"      */
    const char *what;         /* "GET /devices/:id" for messages and logs    */
    int flags;                /* the endpoint's LC_EP_* (for lc_request,
                                 LC_EP_IDEMPOTENT when its method is).
                                 LC_EP_IDEMPOTENT lets retry.c send it
                                 again after a 5xx, timeout or transport
                                 error that may have reached the server  */
    const cJSON *body;        /* NULL = none                                 */
    lc_buf *raw;              /* NULL: a 2xx answer is parsed as JSON; else
                                 its body is moved here as sent (a CSV
                                 answer, lc_call_raw), within the client's
                                 max_response_bytes                          */
    long *raw_status;         /* with raw: gets the 2xx status (NULL: not
                                 wanted)                                     */
} lc_api_req;

/* Where a pager stands in a collection. The generic pager owns it; the
 * vendor's paging functions read and move it. */
typedef struct lc_page_state {
    int per_page;             /* asked for (capped at max_per_page); 0 = the
                                 server's default                           */
    long page;                /* numbered styles: the page to fetch next (1..) */
    char after[64];           /* cursor styles ("after this id"): the cursor
                                 of the next page; "" = from the start      */
    const cJSON *last;        /* the last page's document; NULL before one   */
    int done;                 /* no page follows                             */
} lc_page_state;

/* A vendor's paging style. */
typedef struct lc_paging {
    const char *const *reserved;  /* query keys the pager writes itself (a
                                     caller's are refused), NULL-ended     */
    int max_per_page;             /* a larger per_page is capped to this  */
    /* Appends the query pairs of the next page ("page=2&per_page=50", no
     * leading separator) to q. Returns 0 when no further page may be asked
     * for (a server cap), nonzero otherwise; -1 with q->nomem on OOM. */
    int (*next_query)(const lc_page_state *s, lc_buf *q);
    /* Reads one fetched page: *first gets its first item (borrowed from
     * doc; items are walked by ->next), s moves on and s->done is set when
     * it was the last. LC_ERR_PARSE (err->request = what) when doc has no
     * list of items. */
    lc_status (*read_page)(lc_page_state *s, const cJSON *doc, const cJSON **first,
                           const char *what, lc_error *err);
} lc_paging;

/* One form of a vendor's API (lc_config.flavour): RemoteLock's current
 * API and its legacy LockState v1 form share everything but the Accept
 * header and the routes each documents. */
typedef struct lc_flavour {
    const char *name;       /* "current", "v1": lc_config.flavour           */
    const char *title;      /* "the current RemoteLock API", for messages   */
    const char *accept;     /* Accept of its API requests                   */
    int outside;            /* the LC_EP_* flag of rows it does not document */
} lc_flavour;

/* How requests to one vendor's API are made: everything but the
 * catalogue. */
typedef struct lc_protocol {
    const char *default_api_url;    /* lc_config.api_url when NULL          */
    const char *default_auth_url;   /* lc_config.auth_url when NULL; NULL =
                                       the vendor has no OAuth server       */
    const lc_flavour *flavours;     /* at least one; the first is the
                                       default; ended by a NULL name        */
    const char *content_type;       /* Content-Type of an API request body  */

    /* Adds the credential headers of one request to h (values that are
     * secrets through lc_http_headers_add_secret, so they are wiped).
     * May first obtain a credential (RemoteLock: an OAuth token). */
    lc_status (*sign)(lc_client *c, const lc_api_req *r, lc_http_headers *h, lc_error *err);
    /* Called once with the answer to a signed request: when its status
     * says the credentials were refused, renews them and sets *resend (the
     * request is then signed and sent once more, and that answer is
     * final). sent: the headers the refused request carried. NULL for a
     * vendor with static keys. */
    lc_status (*renew)(lc_client *c, const lc_api_req *r, long status,
                       const lc_http_headers *sent, int *resend, lc_error *err);
    /* Maps a non-2xx answer to an lc_error (err->request = what). */
    lc_status (*map_error)(lc_error *err, const lc_http_answer *a, const char *what);
    /* Reads the vendor's rate-limit headers of every answer, its OAuth
     * server's included (lc_client_rate_limit, lc_error.rate_limit_reset);
     * NULL = the vendor sends none. Retry-After is HTTP's, read by the
     * transport for every vendor. */
    lc_rate_header_fn rate_header;
    const lc_paging *paging;
} lc_protocol;

/* A run of catalogue rows: one file's resource group. */
typedef struct lc_catalogue_part {
    const lc_endpoint *rows;
    size_t n;
} lc_catalogue_part;

/* A vendor: its name, its catalogue and its protocol. The descriptor sits
 * beside its list of parts (catalogue_<name>.c); each part lives with its
 * rows (catalogue_<name>_<group>.c, where its row count is a constant);
 * the protocol lives in vendor_<name>.c. */
struct lc_vendor {
    const char *name;               /* "remotelock"                         */
    const lc_catalogue_part *const *parts; /* its endpoints, in order       */
    size_t nparts;
    const lc_protocol *protocol;
};

extern const lc_vendor lc_vendor_remotelock;      /* catalogue_remotelock.c */
extern const lc_protocol lc_protocol_remotelock;  /* vendor_remotelock.c    */

/* The flavour named name of the vendor (NULL: its default), or NULL. */
const lc_flavour *lc_flavour_find(const lc_vendor *vendor, const char *name);
/* The same for lc_client_new: an unknown name is LC_ERR_USAGE listing the
 * vendor's flavours. */
lc_status lc_flavour_pick(const lc_vendor *vendor, const char *name, const lc_flavour **out,
                          lc_error *err);

/* The endpoint named name for a call on c: LC_ERR_USAGE (nothing is sent)
 * for an unknown name, or a row c's flavour does not document (the
 * message names the flavour that does). lc_call and lc_pager_new. */
lc_status lc_client_endpoint(const lc_client *c, const char *name, const lc_endpoint **ep,
                             lc_error *err);

#endif
