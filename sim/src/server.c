/* libmicrohttpd plumbing: per-request context, body collection, routing to
 * /oauth/, /_sim/ or the API, response building and the request log.
 * One internal polling thread runs everything, so handlers need no locks. */
#include "server.h"
#include "webhooks.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_API_BODY (1024 * 1024)           /* API and OAuth requests */
#define MAX_CONTROL_BODY (16 * 1024 * 1024)  /* POST /_sim/fixture     */
#define MAX_PATH 2048
#define CONNECTION_TIMEOUT_S 30
#define CONNECTION_LIMIT 256

/* State of one request, created by the URI callback (which sees the raw,
 * undecoded target) and freed by the completion callback. */
typedef struct req_ctx {
    char *raw_uri;
    unsigned long connection;
    int started;
    int too_large;
    size_t limit;
    char *body;
    size_t len, cap;
} req_ctx;

const char *sim_http_header(const sim_http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static unsigned long connection_id(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? (unsigned long)(uintptr_t)ci->socket_context : 0;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    sim_server *s = cls;
    (void)conn;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        *socket_context = (void *)(uintptr_t)++s->next_connection;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    req_ctx *ctx = calloc(1, sizeof(*ctx));
    if (!ctx)
        return NULL;
    ctx->raw_uri = strdup(uri ? uri : "");
    if (!ctx->raw_uri) {
        free(ctx);
        return NULL;
    }
    ctx->connection = connection_id(conn);
    ctx->limit = strncmp(ctx->raw_uri, "/_sim/", 6) == 0 ? MAX_CONTROL_BODY : MAX_API_BODY;
    return ctx;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    (void)cls; (void)conn; (void)code;
    req_ctx *ctx = *con_cls;
    if (ctx) {
        free(ctx->raw_uri);
        free(ctx->body);
        free(ctx);
        *con_cls = NULL;
    }
}

static int body_append(req_ctx *ctx, const char *data, size_t n)
{
    if (ctx->too_large || n > ctx->limit - ctx->len) {
        ctx->too_large = 1; /* keep reading, answer 413 at the end */
        return 0;
    }
    if (ctx->len + n + 1 > ctx->cap) {
        size_t cap = ctx->cap ? ctx->cap : 4096;
        while (cap < ctx->len + n + 1)
            cap *= 2;
        char *b = realloc(ctx->body, cap);
        if (!b)
            return -1;
        ctx->body = b;
        ctx->cap = cap;
    }
    memcpy(ctx->body + ctx->len, data, n);
    ctx->len += n;
    ctx->body[ctx->len] = '\0';
    return 0;
}

/* 1 when a decoded path contains a "." or ".." segment. */
static int has_dot_segment(const char *p)
{
    for (const char *seg = p; seg; seg = strchr(seg + 1, '/')) {
        const char *s = seg + 1;
        size_t len = strcspn(s, "/");
        if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
            return 1;
    }
    return 0;
}

typedef enum route { ROUTE_API, ROUTE_OAUTH, ROUTE_CONTROL } route;

/* Decodes the target and runs the handler. *path_out (malloc'd) is what the
 * request log records. */
static route dispatch(sim_server *s, req_ctx *ctx, struct MHD_Connection *conn,
                      const char *method, sim_reply *r, char **path_out)
{
    const char *raw = ctx->raw_uri;
    size_t raw_path_len = strcspn(raw, "?#");
    route rt = strncmp(raw, "/_sim/", 6) == 0 ? ROUTE_CONTROL
             : strncmp(raw, "/oauth/", 7) == 0 ? ROUTE_OAUTH : ROUTE_API;
    char *path = NULL, *raw_path = NULL;
    sim_pairs query = {0};
    char err[128];
    if (raw[0] != '/') {
        sim_reply_message(r, 400, "request target must be an absolute path");
    } else if (raw_path_len > MAX_PATH) {
        sim_reply_message(r, 414, "request path too long");
    } else if (!(path = sim_url_decode(raw, raw_path_len, 0))) {
        sim_reply_message(r, 400, "invalid path: bad percent-encoding, NUL or control "
                                  "character");
    } else if (has_dot_segment(path)) {
        sim_reply_message(r, 400, "invalid path: \".\" and \"..\" segments are not allowed");
    } else if (raw[raw_path_len] == '?' &&
               sim_pairs_parse(&query, raw + raw_path_len + 1,
                               strcspn(raw + raw_path_len + 1, "#"), err, sizeof(err)) != 0) {
        char msg[160];
        snprintf(msg, sizeof(msg), "invalid query string: %s", err);
        sim_reply_message(r, 400, msg);
    } else if (ctx->too_large) {
        sim_reply_message(r, 413, "request body too large");
    } else if (!(raw_path = strndup(raw, raw_path_len))) {
        sim_reply_message(r, 500, "out of memory");
    } else {
        sim_http_req req = {
            .method = method, .path = path, .raw_path = raw_path, .query = &query,
            .body = ctx->body ? ctx->body : "", .body_len = ctx->len, .conn = conn,
        };
        if (rt == ROUTE_CONTROL)
            sim_control_handle(s, &req, r);
        else if (rt == ROUTE_OAUTH)
            sim_oauth_handle(s, &req, r);
        else
            sim_api_handle(s, &req, r);
    }
    sim_pairs_free(&query);
    free(raw_path);
    if (!path) /* log something recognisable for undecodable targets */
        path = strndup(raw, raw_path_len > 256 ? 256 : raw_path_len);
    *path_out = path;
    return rt;
}

#define RAW_BLOCK (64 * 1024)

static ssize_t raw_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    size_t n = sim_rawbody_read(cls, pos, buf, max);
    return n ? (ssize_t)n : MHD_CONTENT_READER_END_OF_STREAM;
}

static void raw_release(void *cls)
{
    sim_rawbody_unref(cls);
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, sim_reply *r)
{
    struct MHD_Response *resp;
    int json = r->body_len || r->raw;
    if (r->raw && r->raw->total) {
        /* Generated while sending: the reference moves to the response. */
        resp = MHD_create_response_from_callback(r->raw->total, RAW_BLOCK, raw_reader,
                                                 r->raw, raw_release);
        if (resp)
            r->raw = NULL;
    } else if (r->body) {
        resp = MHD_create_response_from_buffer(r->body_len, r->body, MHD_RESPMEM_MUST_FREE);
        if (resp)
            r->body = NULL; /* MHD frees it now */
    } else {
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (!resp)
        return MHD_NO;
    /* JSON unless the reply names its own type (a CSV answer). */
    for (size_t i = 0; i < r->nheaders; i++) {
        json &= strcasecmp(r->headers[i].name, MHD_HTTP_HEADER_CONTENT_TYPE) != 0;
        MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
    }
    if (json)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned int)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* Runs the request, logs it (unless /_sim/) and answers or drops. */
static enum MHD_Result finish(sim_server *s, req_ctx *ctx, struct MHD_Connection *conn,
                              const char *method)
{
    sim_reply r = {0};
    char *path = NULL;
    /* Webhook subscribers the worker gave up on are deactivated first. */
    sim_webhooks_sync(s->store, sim_clock_now(&s->clock));
    route rt = dispatch(s, ctx, conn, method, &r, &path);
    if (!r.drop && (r.status < 100 || r.status > 599))
        sim_reply_message(&r, 500, "internal error: no answer");
    if (rt != ROUTE_CONTROL)
        sim_reqlog_add(&s->log, method, path ? path : "?", r.drop ? 0 : r.status,
                       ctx->connection);
    free(path);
    enum MHD_Result ret = r.drop ? MHD_NO : send_reply(conn, &r);
    sim_reply_free(&r);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    sim_server *s = cls;
    req_ctx *ctx = *con_cls;
    (void)url; (void)version; /* the raw target from on_uri is used instead */
    if (!ctx)
        return MHD_NO; /* out of memory in on_uri */
    if (!ctx->started) {
        ctx->started = 1;
        /* Refuse a declared oversized body before reading it. */
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > ctx->limit) {
            ctx->too_large = 1;
            return finish(s, ctx, conn, method);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (body_append(ctx, upload_data, *upload_data_size) != 0)
            return MHD_NO;
        *upload_data_size = 0;
        return MHD_YES;
    }
    return finish(s, ctx, conn, method);
}

__attribute__((format(printf, 2, 0)))
static void on_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    /* Said for every deliberate "drop" fault: noise, not news. */
    if (strncmp(fmt, "Application reported internal error", 35) == 0)
        return;
    fputs("lockcloud-sim: ", stderr);
    vfprintf(stderr, fmt, ap);
}

int sim_server_init(sim_server *s, const sim_options *opts, char *err, size_t errlen)
{
    memset(s, 0, sizeof(*s));
    s->opts = *opts;
    s->startup_cfg = (sim_config){opts->token_ttl, opts->rate_limit, opts->rate_window};
    s->cfg = s->startup_cfg;
    sim_surfaces_rate_configure(s);
    if (!(s->store = sim_store_new())) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (sim_fixture_read_file(opts->fixture, &s->startup_fixture, err, errlen) != 0)
        return -1;
    /* Without a "clock" key the simulator starts at the real time. */
    time_t start = time(NULL);
    sim_clock_set(&s->clock, (double)start);
    if (sim_fixture_apply(s, s->startup_fixture, err, errlen) != 0)
        return -1;
    s->startup_clock = (double)sim_clock_now(&s->clock);
    if (opts->http)
        return 0;
    if (opts->cert)
        return sim_tls_load(&s->tls, opts->cert, opts->key, err, errlen);
    return sim_tls_generate(&s->tls, opts->ca_out, err, errlen);
}

/* The listening socket, bound here so the port (and with it base_url) is
 * known before MHD's thread starts: the handlers read base_url on that
 * thread, and a write after the start would race with them. -1 with err. */
static int listen_socket(sim_server *s, char *err, size_t errlen)
{
    struct sockaddr_storage bound;
    socklen_t len = sizeof bound;
    int one = 1;
    int fd = socket(s->opts.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (const struct sockaddr *)&s->opts.addr, s->opts.addrlen) != 0 ||
        listen(fd, SOMAXCONN) != 0 || getsockname(fd, (struct sockaddr *)&bound, &len) != 0) {
        snprintf(err, errlen, "cannot listen on %s: %s", s->opts.host, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    unsigned port = ntohs(bound.ss_family == AF_INET6
                              ? ((const struct sockaddr_in6 *)&bound)->sin6_port
                              : ((const struct sockaddr_in *)&bound)->sin_port);
    snprintf(s->base_url, sizeof(s->base_url), "%s://%s:%u", s->opts.http ? "http" : "https",
             s->opts.host, port);
    return fd;
}

int sim_server_start(sim_server *s, char *err, size_t errlen)
{
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
    if (s->opts.addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (!s->opts.http)
        flags |= MHD_USE_TLS;
    int fd = listen_socket(s, err, errlen);
    if (fd < 0)
        return -1;
    struct MHD_OptionItem ops[] = {
        {MHD_OPTION_LISTEN_SOCKET, fd, NULL},
        {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, s},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s},
        {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, s},
        {MHD_OPTION_CONNECTION_TIMEOUT, CONNECTION_TIMEOUT_S, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, CONNECTION_LIMIT, NULL},
        {s->opts.http ? MHD_OPTION_END : MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls.cert_pem},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls.key_pem},
        {MHD_OPTION_END, 0, NULL},
    };
    /* The logger must come first to catch messages about later options. */
    s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
                                 MHD_OPTION_EXTERNAL_LOGGER, on_log, s,
                                 MHD_OPTION_ARRAY, ops, MHD_OPTION_END);
    /* The daemon owns fd now: MHD closes it on stop and on a failed start. */
    if (!s->daemon) {
        snprintf(err, errlen, "cannot start the HTTP%s server on %s (a certificate/key "
                              "GnuTLS refuses?)",
                 s->opts.http ? "" : "S", s->opts.host);
        return -1;
    }
    return 0;
}

void sim_server_free(sim_server *s)
{
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    s->daemon = NULL;
    if (s->store)
        sim_store_free(s->store);
    s->store = NULL;
    cJSON_Delete(s->startup_fixture);
    s->startup_fixture = NULL;
    sim_oauth_app_free(&s->app);
    sim_tokens_clear(&s->tokens);
    sim_faults_clear(&s->faults);
    sim_reqlog_clear(&s->log);
    sim_tls_free(&s->tls);
}
