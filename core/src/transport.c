/* HTTPS transport on libcurl; see transport.h. The handle is reset before
 * each request (curl_easy_reset keeps live connections and TLS sessions)
 * unless the previous one was a plain GET, which sets nothing a GET does
 * not set again, so no option can leak from one request into the next.
 *
 * Environment (audited for libcurl 7.88 / OpenSSL 3.0 / glibc 2.36, Debian
 * 12): what a request may read, and why none of it matters here.
 *  - proxies: http_proxy, HTTPS_PROXY, ALL_PROXY, NO_PROXY: CURLOPT_PROXY is
 *    always set ("" = none) and CURLOPT_NOPROXY "" (no_proxy cannot exempt
 *    a host from a configured proxy).
 *  - .netrc (HOME, CURL_HOME): CURLOPT_NETRC is set to IGNORED.
 *  - trust store: libcurl is built with a default bundle and directory and
 *    never falls back to OpenSSL's defaults, which read SSL_CERT_FILE and
 *    SSL_CERT_DIR; we still pass the trust store on every request (the
 *    cafile's certificates, parsed at lc_client_new, added to each new
 *    SSL_CTX by CURLOPT_SSL_CTX_FUNCTION with no CAINFO and no CAPATH, or
 *    libcurl's built-in paths recorded at lc_client_new).
 *  - SSLKEYLOGFILE: read and opened by curl_global_init (first
 *    lc_client_new); only a host can clear it (lockcloud.h says so).
 *  - OPENSSL_CONF, OPENSSL_MODULES, OPENSSL_ENGINES: read via secure_getenv
 *    at OpenSSL init (ignored in setuid programs such as su and sudo); no
 *    option can turn them off, hosts must clear them. OPENSSL_ia32cap only
 *    masks CPU features.
 *  - resolver: LOCALDOMAIN, RES_OPTIONS, HOSTALIASES (glibc; removed by the
 *    loader in setuid programs); TZ/LANG: not used by the core (times are
 *    epoch numbers, curl_getdate parses GMT, strerror text only).
 *  - CURL_SSL_BACKEND (multi-SSL builds only), CURL_DEBUG* (debug builds).
 *  cJSON reads nothing. The PAM module runs the whole call with an empty
 *  environment and umask 077, which covers the host-side items above.
 *
 * Name resolution: Debian's libcurl resolves in a thread. On a timeout it
 * would join that thread before returning, so a silent DNS server costs the
 * whole resolver timeout (glibc: up to 30 s) whatever our deadline says.
 * CURLOPT_QUICK_EXIT (7.87+) detaches the thread instead. The detached
 * thread runs libcurl code until getaddrinfo returns, so libcurl must never
 * be unloaded under it: pam_lockcloud.so is linked with -Wl,-z,nodelete. */
#include "transport.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "errors.h"
#include "log.h"

typedef struct xfer {
    lc_http_resp *resp;
    lc_rate_header_fn rate_header;
    lc_rate_limit rl;
    long retry_after;
    const lc_http_req *req;
    size_t body_pos;      /* read callback: bytes of req->body handed out   */
    int sends;            /* times libcurl began sending the request        */
    int resend_refused;   /* it wanted to send a non-idempotent one again   */
} xfer;

static const lc_rate_limit rl_unknown = { -1, -1, 0 };

void lc_http_resp_init(lc_http_resp *r)
{
    r->status = 0;
    lc_buf_init(&r->body, LC_MAX_BODY);
    r->retry_after = -1;
    r->rate_reset = 0;
    r->maybe_sent = 0;
}

void lc_http_resp_free(lc_http_resp *r)
{
    lc_buf_free(&r->body);
    lc_http_resp_init(r);
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    xfer *x = ud;
    if (lc_buf_append(&x->resp->body, p, size * n))
        return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
    return size * n;
}

long long lc_http_header_num(const char *v, size_t len)
{
    char tmp[32];
    char *end;
    long long n;

    while (len && (*v == ' ' || *v == '\t')) {
        v++;
        len--;
    }
    while (len && isspace((unsigned char)v[len - 1]))
        len--;
    if (!len || len >= sizeof(tmp) || !isdigit((unsigned char)*v))
        return -1;
    memcpy(tmp, v, len);
    tmp[len] = '\0';
    errno = 0;
    n = strtoll(tmp, &end, 10);
    if (errno || *end)
        return -1;
    return n;
}

/* Either form is capped at a year: a date far ahead is as implausible as
 * a huge number. */
long lc_http_retry_after(const char *v, size_t len)
{
    char tmp[64];
    long long n = lc_http_header_num(v, len);
    time_t when, now;

    if (n >= 0)
        return n > 86400 * 365 ? 86400 * 365 : (long)n;
    if (len >= sizeof(tmp))
        return -1;
    memcpy(tmp, v, len);
    tmp[len] = '\0';
    when = curl_getdate(tmp, NULL);
    now = time(NULL);
    if (when == (time_t)-1)
        return -1;
    if (when <= now)
        return 0;
    return when - now > 86400 * 365 ? 86400 * 365 : (long)(when - now);
}

/* Every header line goes to the request's rate_header (the vendor's
 * reader: which names carry rate limits, and how to read them, is its
 * protocol, e.g. RemoteLock's X-RateLimit-*), except Retry-After: that one
 * is HTTP's own (RFC 9110, section 10.2.3: seconds or an HTTP date, on
 * any 429 or 503 from any server), so it is read here for every vendor.
 * A line is at most CURL_MAX_HTTP_HEADER long; readers copy nothing
 * unbounded. */
static size_t on_header(char *line, size_t size, size_t n, void *ud)
{
    static const char retry_after[] = "Retry-After";
    xfer *x = ud;
    size_t len = size * n;
    const char *colon = memchr(line, ':', len);
    size_t nlen = colon ? (size_t)(colon - line) : 0;

    if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        /* A new response (after 100 Continue, say): forget earlier headers. */
        x->rl = rl_unknown;
        x->retry_after = -1;
    } else if (!colon) {
        return len; /* the blank line that ends the head */
    } else if (nlen == sizeof(retry_after) - 1 && strncasecmp(line, retry_after, nlen) == 0) {
        x->retry_after = lc_http_retry_after(colon + 1, len - nlen - 1);
    } else if (x->rate_header) {
        x->rate_header(&x->rl, line, nlen, colon + 1, len - nlen - 1);
    }
    return len;
}

/* A request that is not idempotent (POST, PATCH) is sent once at most.
 * libcurl resends a request on a fresh connection, without telling us,
 * when a reused keep-alive connection closes before any answer
 * (Curl_retry_request: the usual stale-connection case, but also a server
 * that read the request, acted on it and died). Two guards stop that:
 *  - the pre-request callback runs before every sending, a resend
 *    included (it runs once the connection is up, before any byte of the
 *    request leaves): the second one is refused, which covers bodiless
 *    POSTs too;
 *  - the body goes through a read callback whose seek callback refuses
 *    to rewind, so no body can be sent twice even if libcurl resent
 *    without asking (it fails with CURLE_SEND_FAIL_REWIND instead).
 * Either way the caller gets a transport error saying the request may
 * have reached the server. The counter also tells whether anything may
 * have left at all (lc_http_resp.maybe_sent). */
static int on_prereq(void *ud, char *primary_ip, char *local_ip, int primary_port,
                     int local_port)
{
    xfer *x = ud;

    (void)primary_ip, (void)local_ip, (void)primary_port, (void)local_port;
    if (x->sends++ == 0 || x->req->idempotent)
        return CURL_PREREQFUNC_OK;
    x->resend_refused = 1;
    return CURL_PREREQFUNC_ABORT;
}

static size_t on_read(char *buf, size_t size, size_t n, void *ud)
{
    xfer *x = ud;
    size_t left = x->req->body_len - x->body_pos;

    if (left > size * n)
        left = size * n;
    memcpy(buf, x->req->body + x->body_pos, left);
    x->body_pos += left;
    return left;
}

static int on_seek(void *ud, curl_off_t offset, int origin)
{
    xfer *x = ud;

    (void)offset, (void)origin;
    x->resend_refused = 1;
    return CURL_SEEKFUNC_FAIL;
}

static lc_status map_curl(lc_client *c, CURLcode rc, const lc_http_req *req,
                          int deadline_bound, lc_error *err)
{
    const char *detail = c->curl_err[0] ? c->curl_err : curl_easy_strerror(rc);
    lc_status kind;
    const char *label;

    switch (rc) {
    case CURLE_SSL_CACERT_BADFILE:
        /* A CA bundle could not be loaded (the system bundle, read by path,
         * changed or removed): a local error, never the peer's. */
        return lc_err_set(err, LC_ERR_IO, "cannot load the CA bundle %s for %s: %s",
                          c->cafile ? c->cafile : c->sys_cainfo, req->what, detail);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CLIENTCERT:
        kind = LC_ERR_TLS;
        label = "TLS failure";
        break;
    case CURLE_OPERATION_TIMEDOUT:
        kind = LC_ERR_TIMEOUT;
        label = deadline_bound ? "operation deadline exceeded" : "timed out";
        break;
    case CURLE_OUT_OF_MEMORY:
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        kind = LC_ERR_USAGE;
        label = "refused URL";
        break;
    default:
        /* COULDNT_CONNECT, COULDNT_RESOLVE_HOST, GOT_NOTHING, RECV_ERROR,
         * SEND_ERROR, PARTIAL_FILE, ... */
        kind = LC_ERR_TRANSPORT;
        label = "connection failed";
        break;
    }
    return lc_err_set(err, kind, "%s on %s: %s", label, req->what, detail);
}

static lc_status add_header(struct curl_slist **list, const char *h)
{
    struct curl_slist *n = curl_slist_append(*list, h);
    if (!n)
        return LC_ERR_NOMEM;
    *list = n;
    return LC_OK;
}

/* RFC 9110 token characters (a header name). */
static int is_token(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+-.^_`|~", *s))
            return 0;
    return 1;
}

/* No CR or LF (a second header smuggled in), nor other controls. */
static int is_field_value(const char *s)
{
    for (; *s; s++)
        if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
            return 0;
    return 1;
}

static void free_headers(struct curl_slist *list);

/* Builds the curl header list: the caller's lines in order, then two that
 * only suppress curl defaults (a form Content-Type on a bodiless POST, the
 * "Expect: 100-continue" round trip for larger bodies). A line may hold a
 * credential, so the list is wiped before it is freed (free_headers), and
 * so is the scratch buffer (lc_buf_free). Messages name headers, never
 * their values. */
static lc_status build_headers(const lc_http_req *req,
                               struct curl_slist **out, lc_error *err)
{
    lc_buf line;
    lc_status st = LC_OK;
    int has_type = 0;

    *out = NULL;
    lc_buf_init(&line, 0);
    for (size_t i = 0; !st && i < req->nheaders; i++) {
        const lc_http_header *h = &req->headers[i];
        if (!h->name || !is_token(h->name) || !h->value || !is_field_value(h->value)) {
            lc_buf_free(&line);
            free_headers(*out);
            *out = NULL;
            return lc_err_set(err, LC_ERR_USAGE, "request header %.40s of %s is not a valid "
                              "header", h->name && is_token(h->name) ? h->name : "(bad name)",
                              req->what);
        }
        has_type |= strcasecmp(h->name, "Content-Type") == 0;
        lc_buf_reset(&line);
        if (lc_buf_puts(&line, h->name) || lc_buf_puts(&line, ": ") ||
            lc_buf_puts(&line, h->value))
            st = LC_ERR_NOMEM;
        if (!st)
            st = add_header(out, lc_buf_str(&line));
    }
    if (!st && !has_type)
        st = add_header(out, "Content-Type:");
    if (!st)
        st = add_header(out, "Expect:");
    lc_buf_free(&line);
    if (st) {
        free_headers(*out);
        *out = NULL;
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    }
    return LC_OK;
}

static void free_headers(struct curl_slist *list)
{
    for (struct curl_slist *l = list; l; l = l->next)
        explicit_bzero(l->data, strlen(l->data));
    curl_slist_free_all(list);
}

/* CURLOPT_SSL_CTX_FUNCTION: libcurl made a new SSL_CTX for a connection
 * (its store holds nothing: no CAINFO, no CAPATH); the cafile's
 * certificates become its trust anchors. Failing fails the handshake. */
static CURLcode trust_cafile(CURL *h, void *ssl_ctx, void *certs)
{
    (void)h;
    return lc_ca_certs_trust(certs, ssl_ctx) ? CURLE_SSL_CACERT_BADFILE : CURLE_OK;
}

/* The options every request of this client sets alike, on a fresh or
 * reset handle; returns nonzero when one failed. */
static int set_constant_options(lc_client *c)
{
    CURL *h = c->curl;
    int bad = 0;

    bad |= curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, c->allow_http ? "http,https" : "https") != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK;
    if (c->cafile) {
        /* Exactly the certificates lc_client_new checked (the file is not
         * read, nor the bundle parsed, again; they live as long as the
         * client), and nothing else: no CAINFO, no CAPATH, so libcurl
         * loads no bundle of its own into the store. */
        bad |= curl_easy_setopt(h, CURLOPT_CAINFO, NULL) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_CAPATH, NULL) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, trust_cafile) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_SSL_CTX_DATA, c->ca) != CURLE_OK;
    } else {
        bad |= curl_easy_setopt(h, CURLOPT_CAINFO, c->sys_cainfo) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_CAPATH, c->sys_capath) != CURLE_OK;
    }
    bad |= curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_PROXY, c->proxy ? c->proxy : "") != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_NOPROXY, "") != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_QUICK_EXIT, 1L) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_USERAGENT, c->user_agent) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->curl_err) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, on_prereq) != CURLE_OK;
    return bad;
}

/* A GET without a body sets nothing beyond set_request_options: the
 * handle keeps the constant options from one such request to the next. */
static int is_plain_get(const lc_http_req *req)
{
    return !req->body && strcmp(req->method, "GET") == 0;
}

/* What changes from one request to the next, and the method's options (a
 * request that is not a plain GET leaves the handle to be reset: nothing
 * of it, POST, a body, a read callback, reaches the next request). Returns
 * nonzero when one failed. */
static int set_request_options(lc_client *c, const lc_http_req *req, struct curl_slist *hdrs,
                               xfer *x, long total_ms)
{
    CURL *h = c->curl;
    int bad = 0;
    int has_body = req->body != NULL;
    int is_get = strcmp(req->method, "GET") == 0;
    int is_post = strcmp(req->method, "POST") == 0;

    bad |= curl_easy_setopt(h, CURLOPT_URL, req->url) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, total_ms) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_WRITEDATA, x) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_HEADERDATA, x) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_PREREQDATA, x) != CURLE_OK;
    if (is_plain_get(req)) /* a GET whatever this handle did before */
        bad |= curl_easy_setopt(h, CURLOPT_HTTPGET, 1L) != CURLE_OK;

    /* POST, PUT and PATCH always carry a Content-Length (0 without a
     * body); other methods only when given a body (Lockt's DELETE). A
     * body that must not be sent twice is read once, never rewound. */
    if (has_body && !req->idempotent) {
        bad |= curl_easy_setopt(h, CURLOPT_POST, 1L) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                                (curl_off_t)req->body_len) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_READDATA, x) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, on_seek) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_SEEKDATA, x) != CURLE_OK;
    } else if (has_body || is_post || !strcmp(req->method, "PUT") ||
               !strcmp(req->method, "PATCH")) {
        bad |= curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                                (curl_off_t)(has_body ? req->body_len : 0)) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_POSTFIELDS, has_body ? req->body : "") != CURLE_OK;
    }
    if (!strcmp(req->method, "HEAD"))
        bad |= curl_easy_setopt(h, CURLOPT_NOBODY, 1L) != CURLE_OK;
    else if (!is_post && (has_body || !is_get))
        bad |= curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method) != CURLE_OK;
    return bad;
}

lc_status lc_http_perform(lc_client *c, const lc_http_req *req, lc_http_resp *resp,
                          lc_error *err)
{
    struct curl_slist *hdrs = NULL;
    xfer x = { resp, req->rate_header, rl_unknown, -1, req, 0, 0, 0 };
    long total_ms = c->timeout_ms;
    int deadline_bound = 0, was_plain;
    long long t0 = lc_now_ms();
    CURLcode rc;
    lc_status st;

    lc_http_resp_free(resp);
    resp->body.limit = c->max_response_bytes; /* this client's cap */
    if (c->deadline_ms) {
        long long left = c->deadline_ms - t0;
        if (left <= 0) {
            lc_err_set(err, LC_ERR_TIMEOUT, "operation deadline exceeded before %s", req->what);
            lc_err_request(err, req->what);
            return LC_ERR_TIMEOUT;
        }
        if (left < total_ms) {
            total_ms = (long)left;
            deadline_bound = 1;
        }
    }
    st = build_headers(req, &hdrs, err);
    if (st)
        return st;

    /* A handle left by anything but a plain GET (or never set up) starts
     * over: curl_easy_reset keeps live connections and TLS sessions. */
    was_plain = c->curl_plain;
    c->curl_plain = 0; /* until this request's options are all set */
    if (!was_plain)
        curl_easy_reset(c->curl);
    c->curl_err[0] = '\0';
    if ((!was_plain && set_constant_options(c)) ||
        set_request_options(c, req, hdrs, &x, total_ms)) {
        free_headers(hdrs);
        return lc_err_set(err, LC_ERR_USAGE, "libcurl refused an option for %s", req->what);
    }
    c->curl_plain = is_plain_get(req);
    rc = curl_easy_perform(c->curl);
    /* Drop pointers to stack and header memory before the list is freed.
     * Setting POSTFIELDS, even to NULL, makes the handle's method POST:
     * only a handle the next request resets gets it. */
    curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
    if (!c->curl_plain)
        curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, NULL);
    free_headers(hdrs);

    if (rc != CURLE_OK) {
        /* Only our body callback refuses data: memory or the size cap. */
        if (x.resend_refused)
            st = lc_err_set(err, LC_ERR_TRANSPORT, "the connection closed without an answer "
                            "to %s: it may have reached the server, and was not sent again "
                            "(it is not idempotent)", req->what);
        else if (rc == CURLE_WRITE_ERROR && resp->body.nomem)
            st = lc_err_set(err, LC_ERR_NOMEM, "out of memory");
        else if (rc == CURLE_WRITE_ERROR)
            st = lc_err_set(err, LC_ERR_PARSE, "response too large (over %zu bytes) on %s",
                            c->max_response_bytes, req->what);
        else
            st = map_curl(c, rc, req, deadline_bound, err);
        lc_err_request(err, req->what);
        lc_log(c, LC_LOG_WARN, "%s failed: %s", req->what, lc_status_name(st));
        lc_http_resp_free(resp);
        resp->maybe_sent = x.sends > 0;
        return st;
    }
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &resp->status);
    resp->retry_after = x.retry_after;
    resp->rate_reset = x.rl.reset > 0 ? x.rl.reset : 0;
    if (x.rl.limit >= 0)
        c->rl_limit = x.rl.limit;
    if (x.rl.remaining >= 0)
        c->rl_remaining = x.rl.remaining;
    if (x.rl.reset > 0)
        c->rl_reset = x.rl.reset;
    lc_log(c, LC_LOG_DEBUG, "%s -> HTTP %ld (%lld ms)", req->what, resp->status,
           lc_now_ms() - t0);
    return LC_OK;
}
