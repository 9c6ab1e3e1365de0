/*
 * liblockcloud: a small C client for cloud access-control APIs
 * (RemoteLock and its legacy LockState v1 form; Lockt later).
 *
 * Conventions
 *  - Every call returns an lc_status; LC_OK (0) is success. On failure the
 *    caller's lc_error (may be NULL) is overwritten (its previous contents
 *    are not freed, so an uninitialised lc_error is safe); release it with
 *    lc_error_clear() before reusing it. Success leaves it untouched.
 *    Nothing prints: diagnostics go to the log callback.
 *  - JSON documents are cJSON trees. A cJSON** "out" parameter receives a
 *    tree the caller owns (free with cJSON_Delete); "borrowed" pointers stay
 *    valid only as documented.
 *  - A client is not thread-safe; use one client per thread. Distinct
 *    clients share nothing but the token file (which is locked).
 */
#ifndef LOCKCLOUD_H
#define LOCKCLOUD_H

#include <stddef.h>
#include <time.h>
#include <cjson/cJSON.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define LC_API __attribute__((visibility("default")))
#else
#define LC_API
#endif

#define LOCKCLOUD_VERSION "0.1.0"

/* Error kinds. Stable numbers: bindings expose them by name (lc_status_name). */
typedef enum lc_status {
    LC_OK = 0,
    LC_ERR_USAGE,        /* caller error: bad argument, unknown endpoint   */
    LC_ERR_TRANSPORT,    /* connect refused, connection dropped, DNS ...    */
    LC_ERR_TLS,          /* certificate verification or handshake failure   */
    LC_ERR_TIMEOUT,      /* connect/total timeout or operation deadline     */
    LC_ERR_HTTP,         /* HTTP error status without a recognised API body */
    LC_ERR_API_RESOURCE, /* {"errors":[{attribute,messages,full_messages}]} */
    LC_ERR_API_GENERAL,  /* {"type":..., "message":...}                     */
    LC_ERR_RATE_LIMITED, /* 429; retry_after / rate_limit_reset are set    */
    LC_ERR_AUTH,         /* token refused, invalid_grant, no credentials    */
    LC_ERR_PARSE,        /* malformed JSON or unexpected document shape     */
    LC_ERR_NOMEM,
    LC_ERR_IO,           /* token file or other local file problem          */
    LC_ERR_TOO_MANY      /* more resources match than the API lists for one
                            query (10,000): narrow it with filters        */
} lc_status;

/* "usage", "transport", "tls", "timeout", "http", "api-resource",
 * "api-general", "rate-limited", "auth", "parse", "nomem", "io",
 * "too-many"; "ok". */
LC_API const char *lc_status_name(lc_status st);

/* lc_error.flags */
enum {
    /* LC_ERR_PARSE: the answer was well-formed JSON but ambiguous (a key
     * given twice in one object, or a string or key holding NUL or bytes
     * that are not valid UTF-8). Two
     * readers could see two different documents, so callers that decide
     * access treat it as a refusal, not as an outage. */
    LC_ERRF_AMBIGUOUS = 1u << 0
};

typedef struct lc_error {
    lc_status kind;
    long http_status;        /* 0 when no HTTP response was received          */
    char message[512];       /* human-readable; never contains secrets        */
    char request[64];        /* the request that failed: "POST /oauth/token",
                                "GET /access_persons/:id"; "" when none      */
    unsigned flags;          /* LC_ERRF_* bits                                */
    char api_type[64];       /* general API error "type", or OAuth "error"    */
    long retry_after;        /* seconds until a retry may succeed; -1 unknown */
    long long rate_limit_reset; /* X-RateLimit-Reset (epoch s); 0 unknown     */
    cJSON *api_errors;       /* owned copy of the API "errors" array, or NULL */
} lc_error;

LC_API void lc_error_init(lc_error *err);
LC_API void lc_error_clear(lc_error *err); /* frees api_errors, re-inits */

/* Renders err as the one line every binding shows (Lua's tostring, the PAM
 * module's log, the command-line tool):
 *   "lockcloud: KIND (HTTP STATUS): MESSAGE (retry after N s)"
 * KIND is lc_status_name(kind); the status and the retry hint appear only
 * when known and not already named by the message. Control characters
 * and bytes that are not UTF-8 are replaced, and the line is cut to fit
 * between characters, never inside one. buf (len > 0) is always
 * NUL-terminated; returns the bytes written, NUL excluded. */
LC_API size_t lc_error_render(const lc_error *err, char *buf, size_t len);

/* ---- client ------------------------------------------------------------ */

typedef struct lc_client lc_client;

enum { LC_LOG_ERROR = 0, LC_LOG_WARN = 1, LC_LOG_INFO = 2, LC_LOG_DEBUG = 3 };
typedef void (*lc_log_fn)(void *userdata, int level, const char *message);

typedef struct lc_config {
    const char *api_url;        /* default: the vendor's
                                   ("https://api.remotelock.com")           */
    const char *auth_url;       /* OAuth server; default: the vendor's
                                   ("https://connect.remotelock.com")       */
    const char *client_id;      /* OAuth application id                     */
    const char *client_secret;  /* OAuth application secret                 */
    const char *cafile;         /* PEM CA bundle; NULL = system store. Read
                                   once by lc_client_new: missing/unreadable is
                                   LC_ERR_IO, no PEM certificate or over 4 MiB
                                   LC_ERR_USAGE. The client trusts exactly
                                   the bytes read then (kept until
                                   lc_client_free); the file is not read
                                   again, so later changes to it are ignored */
    const char *token_file;     /* shared token store; NULL = memory only.
                                   Its directory must be writable by no one
                                   but root or us (else LC_ERR_IO)           */
    const char *proxy;          /* NULL = none (environment is ignored)      */
    const char *user_agent;     /* NULL = "liblockcloud/<version>"           */
    long connect_timeout_ms;    /* 0 = 5000                                  */
    long timeout_ms;            /* per HTTP request, 0 = 30000               */
    int allow_http;             /* nonzero: plain http allowed, loopback only */
    size_t max_response_bytes;  /* cap on one answer's body (API and OAuth);
                                   0 = 16 MiB. A longer answer fails with
                                   LC_ERR_PARSE "response too large". The
                                   JSON value budget scales with it (cap/32
                                   + 4096 values), bounding the tree of one
                                   answer: under ~60 MB at 16 MiB, under
                                   1 MB at 64 KiB (plus its strings). Set it
                                   low when documents are small (the PAM
                                   module does)                             */
    lc_log_fn log;              /* NULL = silent                             */
    void *log_userdata;
    const char *vendor;         /* lc_vendor_find name; NULL = "remotelock";
                                   an unknown name is LC_ERR_USAGE. It picks
                                   the catalogue lc_call and lc_pager_new
                                   look names up in, the default URLs, how
                                   requests are signed and errors read     */
    const char *flavour;        /* the form of the vendor's API; NULL = its
                                   default (lc_vendor_flavour_at index 0).
                                   RemoteLock: "current" (Accept
                                   application/vnd.lockstate+json;
                                   version=1) or "v1", the legacy LockState
                                   v1 API (Accept application/vnd.lockstate.
                                   v1+json). Calling a row the flavour does
                                   not document is LC_ERR_USAGE naming the
                                   flavour that does; nothing is sent. An
                                   unknown name is LC_ERR_USAGE            */
    /* Rate limits and failures (issue 7). A call paces itself from the
     * vendor's rate-limit headers: when the last answer said the window is
     * used up, it waits for the window's reset before sending; on a 429 it
     * waits for Retry-After (else the reset) and sends again, whatever the
     * method (a 429 was not acted on). Only idempotent requests (GET, PUT,
     * DELETE: LC_EP_IDEMPOTENT) are sent again after a transport error, a
     * timeout or a 5xx answer, after a jittered exponential pause; a POST
     * is sent again only when it certainly never left (no connection), and
     * libcurl's own silent resend is refused for it (then LC_ERR_TRANSPORT
     * says it may have reached the server). No wait ever passes the
     * deadline; a wait that would is not begun and the error is returned.
     * Every wait and resend is one INFO or WARN log line.                 */
    long max_rate_wait_ms;      /* most one call waits for rate-limit
                                   windows, all its waits together;
                                   0 = 120000 (two of the documented 60 s
                                   windows); LC_OFF = never wait: a 429 is
                                   returned at once (the PAM module)        */
    int max_retries;            /* resends of an idempotent request after
                                   a transport error, timeout or 5xx;
                                   0 = 2; LC_OFF = none; at most 10        */
} lc_config;

/* Turns off an lc_config setting whose 0 means "the default". */
#define LC_OFF (-1)

/* Copies every string it needs; cfg may be freed afterwards.
 * Environment: requests ignore proxy variables, .netrc and the TLS
 * library's default CA variables. But the first lc_client_new runs
 * libcurl's global init, which reads SSLKEYLOGFILE and, when set, creates
 * that file and logs TLS secrets to it; OpenSSL's init reads OPENSSL_CONF
 * (except in setuid programs). Hosts that must not honour the caller's
 * environment (a PAM module, a setuid helper) clear it before the first
 * lc_client_new; pam_lockcloud runs with an empty environment. */
LC_API lc_status lc_client_new(const lc_config *cfg, lc_client **out, lc_error *err);
LC_API void lc_client_free(lc_client *client); /* NULL is a no-op */

/* Overall deadline for everything the client does until it is changed:
 * ms_from_now milliseconds from now (measured on CLOCK_MONOTONIC); 0 clears
 * it, a negative value means already expired. Requests past it fail with
 * LC_ERR_TIMEOUT and every HTTP timeout is capped by the time left. The PAM
 * module uses this to bound a whole login check. */
LC_API void lc_client_set_deadline_ms(lc_client *client, long ms_from_now);

/* Latest X-RateLimit-* values seen (-1 / 0 when unknown). */
LC_API void lc_client_rate_limit(const lc_client *client, long *limit,
                                 long *remaining, long long *reset_epoch);

/* ---- OAuth (RemoteLock) ------------------------------------------------ */
/* Requests obtain a token on demand: a stored access token if still valid,
 * else refresh_token (rotating) if one is stored, else client_credentials.
 * A 401/403 answer triggers one refresh and one retry. */

LC_API lc_status lc_auth_client_credentials(lc_client *client, lc_error *err);
LC_API lc_status lc_auth_exchange_code(lc_client *client, const char *code,
                                       const char *redirect_uri, lc_error *err);
LC_API lc_status lc_auth_refresh(lc_client *client, lc_error *err);
/* Revokes the current access token and forgets tokens (memory and file). */
LC_API lc_status lc_auth_revoke(lc_client *client, lc_error *err);

/* ---- vendors and the endpoint catalogue -------------------------------- */
/* A vendor is one cloud API: its default URLs, how requests are signed and
 * credentials renewed, how its error answers read, how it pages, and its
 * catalogue. "remotelock" (the current API and its legacy LockState v1
 * rows) is the only vendor today; "lockt" will be the second. */
typedef struct lc_vendor lc_vendor;

/* "remotelock"; NULL when unknown. */
LC_API const lc_vendor *lc_vendor_find(const char *name);
LC_API const char *lc_vendor_name(const lc_vendor *vendor);
/* The vendor a client speaks to (lc_config.vendor); NULL for NULL. */
LC_API const lc_vendor *lc_client_vendor(const lc_client *client);

enum {
    LC_EP_COLLECTION = 1 << 0, /* response is a paginated collection        */
    LC_EP_BODY       = 1 << 1, /* request carries a JSON body               */
    LC_EP_NO_CONTENT = 1 << 2, /* success is 204 with no body               */
    LC_EP_IDEMPOTENT = 1 << 3, /* sending it twice does what sending it once
                                  does (GET, PUT, DELETE): may be retried
                                  after a failure that may have reached the
                                  server                                    */
    LC_EP_LEGACY_V1  = 1 << 4, /* documented only by the LockState v1 API
                                  (flavour "v1")                            */
    LC_EP_CURRENT_ONLY = 1 << 5, /* documented only by the current API, not
                                  by LockState v1 (flavour "current").
                                  Neither flag: both document it           */
    LC_EP_CSV_ANSWER = 1 << 6  /* a 2xx answer is CSV text, not JSON: see
                                  lc_call and lc_call_raw                   */
};

/* How a binding builds the body of an endpoint with LC_EP_BODY. */
typedef enum lc_body_style {
    LC_BODY_NONE = 0,   /* no body                                          */
    LC_BODY_ATTRIBUTES, /* {"attributes": {...}}: the caller gives the
                           attributes                                      */
    LC_BODY_TYPED,      /* {"type": "...", "attributes": {...}}: the caller
                           gives both (type among the endpoint's types)    */
    LC_BODY_DOCUMENT    /* the caller gives the whole document             */
} lc_body_style;

/* How a query key's value is written. */
typedef enum lc_param_kind {
    LC_PARAM_LIST = 1, /* a sequence as key[]=v per value; one value as key=v */
    LC_PARAM_STATUS,   /* attributes[status][]=v per value                    */
    LC_PARAM_SORT,     /* sort=attr or sort=-attr (descending), attr among
                          the endpoint's sorts                               */
    LC_PARAM_NESTED,   /* a table of sub-keys: key[sub]=v
                          (attributes = {location_id = x})                    */
    LC_PARAM_SCALAR    /* key=v                                               */
} lc_param_kind;

typedef struct lc_param {
    const char *name;   /* "type", "status", "sort", "id", "attributes"  */
    lc_param_kind kind;
} lc_param;

/* One row of a vendor's catalogue: everything the core and the bindings
 * need to know about one endpoint. Nothing outside the catalogue repeats a
 * path. Rows are static; pointers stay valid for the process lifetime. */
typedef struct lc_endpoint {
    const char *name;     /* "<resource>.<action>": "schedules.list"      */
    const char *method;   /* "GET", "POST", "PUT", "DELETE"               */
    const char *path;     /* "/access_persons/:id/accesses"; ":param"
                             segments are filled in order                 */
    int flags;            /* LC_EP_*                                      */
    const char *summary;  /* one line, from the API documentation         */
    const char *binding;  /* the bindings' method name: "schedules" (a
                             collection: iterator, and "schedules_list"),
                             "schedule", "create_schedule", "unlock"      */
    lc_body_style body;   /* LC_BODY_NONE unless LC_EP_BODY               */
    const lc_param *params;      /* query keys it takes, ended by a {NULL}
                                    row; NULL = none                      */
    const char *const *sorts;    /* sortable attributes, NULL-ended; NULL =
                                    not sortable                          */
    const char *default_sort;    /* "created_at", "-occurred_at"; NULL    */
    const char *const *types;    /* documented resource types (the [type]
                                    filter, a typed body's "type"),
                                    NULL-ended; NULL = not typed          */
} lc_endpoint;

/* The RemoteLock catalogue (lc_vendor_find("remotelock")). NULL when unknown. */
LC_API const lc_endpoint *lc_endpoint_find(const char *name);
/* Iterate: index 0.. until NULL. */
LC_API const lc_endpoint *lc_endpoint_at(size_t index);
/* The same for any vendor. */
LC_API const lc_endpoint *lc_vendor_endpoint_find(const lc_vendor *vendor, const char *name);
LC_API const lc_endpoint *lc_vendor_endpoint_at(const lc_vendor *vendor, size_t index);
/* The number of ":param" segments in ep->path. */
LC_API size_t lc_endpoint_path_params(const lc_endpoint *ep);

/* The forms of a vendor's API (lc_config.flavour), index 0 (the default)
 * .. until NULL: RemoteLock's are "current" and "v1". */
LC_API const char *lc_vendor_flavour_at(const lc_vendor *vendor, size_t index);
/* Nonzero when the vendor's flavour named flavour documents ep. */
LC_API int lc_endpoint_in_flavour(const lc_vendor *vendor, const lc_endpoint *ep,
                                  const char *flavour);
/* The flavour a client speaks ("current"); NULL for NULL. */
LC_API const char *lc_client_flavour(const lc_client *client);

/* Query parameters: NULL-terminated array of key, value pairs, e.g.
 * { "attributes[status][]", "current", "attributes[status][]", "upcoming", NULL }.
 * Keys and values are percent-encoded by the library. */
typedef const char *const lc_query;

/* Calls a catalogue endpoint. path_args fill the ":param" segments in order
 * (NULL-terminated array; each value is percent-encoded). body may be NULL;
 * its strings and keys must be valid UTF-8, its numbers finite and its
 * nesting at most 128 deep (else LC_ERR_USAGE, nothing sent); numbers are
 * written so that they read back exactly.
 * *out receives the whole response document ({"data":...,"meta":...}) or
 * NULL for 204. A row with LC_EP_CSV_ANSWER answers text: *out is then a
 * cJSON string holding it (LC_ERR_PARSE when it holds a NUL byte, which a
 * C string cannot carry; lc_call_raw hands back every byte). */
LC_API lc_status lc_call(lc_client *client, const char *endpoint,
                         lc_query *path_args, lc_query *query,
                         const cJSON *body, cJSON **out, lc_error *err);

/* An answer's body as sent, unparsed. */
typedef struct lc_raw_answer {
    char *data;   /* len bytes and a NUL after them (the body may hold NUL
                     itself); NULL when the answer had no body             */
    size_t len;   /* at most the client's max_response_bytes              */
} lc_raw_answer;

/* lc_call, but a 2xx answer's body is handed back as bytes, not parsed
 * (any row; meant for LC_EP_CSV_ANSWER rows). Errors are read as for
 * lc_call. On success the caller frees *out with lc_raw_answer_free; on
 * failure *out is empty. */
LC_API lc_status lc_call_raw(lc_client *client, const char *endpoint,
                             lc_query *path_args, lc_query *query,
                             const cJSON *body, lc_raw_answer *out, lc_error *err);
/* Frees the bytes (wiped first) and empties *answer; NULL is a no-op. */
LC_API void lc_raw_answer_free(lc_raw_answer *answer);

/* Escape hatch: any method and path ("/devices?page=2"), path relative to
 * api_url. Same auth, retry and error handling as lc_call; with no
 * catalogue row, the method says whether it is idempotent (GET, HEAD, PUT,
 * DELETE, OPTIONS: may be sent again). */
LC_API lc_status lc_request(lc_client *client, const char *method,
                            const char *path, const cJSON *body,
                            cJSON **out, lc_error *err);

/* ---- lazy pagination --------------------------------------------------- */

typedef struct lc_pager lc_pager;

/* per_page 0 = the most the API allows (50); capped at 50. Every page
 * request says per_page, and a page holding more items than that is
 * LC_ERR_PARSE. Fetches nothing yet. */
LC_API lc_status lc_pager_new(lc_client *client, const char *endpoint,
                              lc_query *path_args, lc_query *query,
                              int per_page, lc_pager **out, lc_error *err);
/* *item is borrowed: valid until the next lc_pager_next/lc_pager_free.
 * At the end returns LC_OK with *item == NULL. Fetches a page on demand
 * (each page request gets the retries and rate-limit waits of lc_call).
 * Resuming: when a page request fails (429, timeout, transport, 5xx ...)
 * the error is returned, no item is handed out or skipped, and the pager
 * stays where it was: the next lc_pager_next asks for the same page again,
 * so a caller may wait (err->retry_after) and carry on, with no item lost
 * or repeated (as long as the collection does not change meanwhile: pages
 * are numbered). The API lists at most the first 10,000 resources of a
 * query (page * per_page <= 10,000): when more match, the call after the
 * 10,000th item returns LC_ERR_TOO_MANY telling the caller to narrow the
 * query with filters, and every later call too, sending nothing; the
 * pager never ends silently short of the collection, and never hands out
 * more than 10,000 items whatever the server says. */
LC_API lc_status lc_pager_next(lc_pager *pager, const cJSON **item, lc_error *err);
/* Where a pager stands: *items handed out so far, *page the page number
 * its next request asks for (the failed one after an error). Either may be
 * NULL; a NULL pager gives 0 and 0. */
LC_API void lc_pager_position(const lc_pager *pager, long long *items, long *page);
/* meta of the last page fetched, or NULL. Borrowed. */
LC_API const cJSON *lc_pager_meta(const lc_pager *pager);
LC_API void lc_pager_free(lc_pager *pager);

#ifdef __cplusplus
}
#endif
#endif
