/* The webhook worker (see webhooks.h). One thread sends queued messages in
 * the order they come due; everything it shares with the server thread is
 * behind one mutex. Retries are due in simulator time (the clock copy), so
 * advancing the clock by 72 hours plays the documented retries at once. */
#include "webhooks.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>


#define DEADLINE_MS 3000L          /* documented: answer within 3 seconds  */
#define RETRY_EVERY 3600.0         /* documented: every hour ...            */
#define RETRIES 72                 /* ... for the next 72 hours             */
#define MAX_QUEUED 1024
#define MAX_LOG 1000
#define MAX_DEACTIVATE 64
#define MAX_TEXT 4096              /* url, secret, ids                     */

typedef struct job {
    struct job *next;
    char *subscriber_id, *event_id, *url, *secret, *body;
    int form;
    int attempts;         /* made so far                                  */
    double first_failure; /* simulator time, < 0: none yet                */
    double due;           /* simulator time of the next attempt           */
} job;

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;   /* new job, clock moved, reset or stop */
    pthread_t thread;
    int running, stop;
    unsigned long epoch; /* reset: results of older attempts are dropped */
    char *cafile;
    int allow_http;
    sim_clock clock;
    job *queue;          /* unordered; the earliest due goes first */
    size_t queued;
    int sending;         /* an attempt is in flight */
    cJSON *log;
    char *deactivate[MAX_DEACTIVATE];
    size_t ndeactivate;
} W = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void job_free(job *j)
{
    if (!j)
        return;
    free(j->subscriber_id);
    free(j->event_id);
    free(j->url);
    free(j->secret);
    free(j->body);
    free(j);
}

/* ---- bodies ------------------------------------------------------------ */

typedef struct buf {
    char *p;
    size_t len, cap;
    int failed;
} buf;

static void buf_add(buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* application/x-www-form-urlencoded escaping: unreserved kept, space '+'. */
static void buf_escape(buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        char e[3] = {'%', hex[ch >> 4], hex[ch & 15]};
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
            strchr("-._~", ch))
            buf_add(b, s, 1);
        else if (ch == ' ')
            buf_add(b, "+", 1);
        else
            buf_add(b, e, 3);
    }
}

/* An integral number in long long's range exactly (the cast is defined
 * only there), any other the shortest of %.15g/%.16g/%.17g that reads
 * back exactly (the core's json_print.c rule). */
static void form_number(double d, char *out, size_t len)
{
    if (d >= -0x1p63 && d < 0x1p63 && d == (double)(long long)d) {
        snprintf(out, len, "%lld", (long long)d);
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, len, "%.*g", prec, d);
        if (strtod(out, NULL) == d)
            return;
    }
}

static void form_value(buf *b, const char *key, const cJSON *v)
{
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        const cJSON *it;
        cJSON_ArrayForEach(it, v) {
            size_t klen = strlen(key) + (it->string ? strlen(it->string) : 0) + 3;
            char *k = malloc(klen);
            if (!k) {
                b->failed = 1;
                return;
            }
            snprintf(k, klen, "%s[%s]", key, cJSON_IsArray(v) ? "" : it->string);
            form_value(b, k, it);
            free(k);
        }
        return;
    }
    char num[64];
    const char *text = "";
    if (cJSON_IsString(v))
        text = v->valuestring;
    else if (cJSON_IsBool(v))
        text = cJSON_IsTrue(v) ? "true" : "false";
    else if (cJSON_IsNumber(v)) {
        form_number(v->valuedouble, num, sizeof num);
        text = num;
    }
    if (b->len)
        buf_add(b, "&", 1);
    buf_escape(b, key);
    buf_add(b, "=", 1);
    buf_escape(b, text);
}

char *sim_webhook_form(const cJSON *doc)
{
    buf b = {0};
    const cJSON *it;
    cJSON_ArrayForEach(it, doc)
        form_value(&b, it->string ? it->string : "", it);
    if (!b.failed && !b.p)
        buf_add(&b, "", 0);
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* ---- the attempt log (under the mutex) --------------------------------- */

static void log_attempt(const job *j, double at, const char *result, long status,
                        const char *error)
{
    char when[32];
    sim_time_format((time_t)at, when, sizeof when);
    if (!W.log && !(W.log = cJSON_CreateArray()))
        return;
    cJSON *e = cJSON_CreateObject();
    if (!e)
        return;
    cJSON_AddStringToObject(e, "subscriber_id", j->subscriber_id);
    cJSON_AddStringToObject(e, "event_id", j->event_id);
    cJSON_AddStringToObject(e, "url", j->url);
    cJSON_AddStringToObject(e, "content_type", j->form ? "form" : "json");
    cJSON_AddNumberToObject(e, "attempt", j->attempts);
    cJSON_AddStringToObject(e, "result", result);
    cJSON_AddNumberToObject(e, "status", (double)status);
    if (error)
        cJSON_AddStringToObject(e, "error", error);
    else
        cJSON_AddNullToObject(e, "error");
    cJSON_AddStringToObject(e, "at", when);
    cJSON_AddItemToArray(W.log, e);
    while (cJSON_GetArraySize(W.log) > MAX_LOG)
        cJSON_DeleteItemFromArray(W.log, 0);
}

/* ---- the target rule --------------------------------------------------- */

static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

/* 1 when addr is a loopback address (127.0.0.0/8, ::1, v4-mapped 127/8). */
static int loopback_addr(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const void *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(a))
            return 1;
        return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
    }
    return 0;
}

/* Checks the URL before anything resolves or connects: https (http only
 * when allowed), a loopback IP literal or "localhost" (pinned to
 * 127.0.0.1 so no name lookup happens). NULL when fine, else the reason;
 * *resolve gets the pin for localhost. */
static const char *target_refused(const char *url, int allow_http, struct curl_slist **resolve)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL;
    const char *why = NULL;
    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
        why = "refused: not an absolute URL";
    } else if (strcasecmp(scheme, "https") != 0 &&
               !(allow_http && strcasecmp(scheme, "http") == 0)) {
        why = allow_http ? "refused: not an http(s) URL"
                         : "refused: not an https URL (webhooks must be secured with HTTPS)";
    } else if (strcasecmp(host, "localhost") == 0) {
        char pin[96];
        snprintf(pin, sizeof pin, "%s:%s:127.0.0.1", host, port);
        *resolve = curl_slist_append(NULL, pin);
        if (!*resolve)
            why = "refused: out of memory";
    } else {
        struct sockaddr_in v4 = {.sin_family = AF_INET};
        struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
        char literal[64];
        size_t n = strlen(host);
        int is6 = n > 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof literal;
        if (is6)
            snprintf(literal, sizeof literal, "%.*s", (int)(n - 2), host + 1);
        if (is6 ? inet_pton(AF_INET6, literal, &v6.sin6_addr) != 1 ||
                      !loopback_addr((const struct sockaddr *)&v6)
                : inet_pton(AF_INET, host, &v4.sin_addr) != 1 ||
                      !loopback_addr((const struct sockaddr *)&v4))
            why = "refused: not a loopback address (the simulator contacts only 127.0.0.0/8, "
                  "::1 and localhost)";
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return why;
}

/* Last line of defence: whatever the URL said, only loopback connects. */
static curl_socket_t open_socket(void *cls, curlsocktype purpose, struct curl_sockaddr *a)
{
    (void)cls;
    if (purpose != CURLSOCKTYPE_IPCXN || !loopback_addr(&a->addr))
        return CURL_SOCKET_BAD;
    return socket(a->family, a->socktype, a->protocol);
}

static size_t discard(char *p, size_t size, size_t n, void *cls)
{
    (void)p; (void)cls;
    return size * n;
}

static int stop_requested(void *cls, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)cls; (void)a; (void)b; (void)c; (void)d;
    pthread_mutex_lock(&W.mu);
    int stop = W.stop;
    pthread_mutex_unlock(&W.mu);
    return stop;
}

/* One POST. Returns the HTTP status (0: none) and sets *result. */
static long attempt(const job *j, const char *cafile, int allow_http, const char **result,
                    char *err, size_t errlen)
{
    struct curl_slist *resolve = NULL, *headers = NULL;
    /* A control byte in the secret would end or split the X-Secret header.
     * The resource side refuses such a secret already; this is the last
     * line (a fixture's record, say). */
    const char *why = j->secret && has_control(j->secret)
                          ? "refused: the secret holds a control byte"
                          : target_refused(j->url, allow_http, &resolve);
    if (why) {
        snprintf(err, errlen, "%s", why);
        *result = "refused";
        curl_slist_free_all(resolve);
        return 0;
    }
    char secret[MAX_TEXT + 16];
    snprintf(secret, sizeof secret, "X-Secret: %s", j->secret ? j->secret : "");
    headers = curl_slist_append(headers, j->form ? "Content-Type: application/x-www-form-urlencoded"
                                                 : "Content-Type: application/json");
    if (j->secret && headers)
        headers = curl_slist_append(headers, secret);
    if (headers)
        headers = curl_slist_append(headers, "Expect:");
    CURL *h = curl_easy_init();
    long status = 0;
    char ebuf[CURL_ERROR_SIZE] = "";
    CURLcode rc = CURLE_OUT_OF_MEMORY;
    if (h && headers) {
        curl_easy_setopt(h, CURLOPT_URL, j->url);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, allow_http ? "http,https" : "https");
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
        curl_easy_setopt(h, CURLOPT_RESOLVE, resolve);
        curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, DEADLINE_MS);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
        if (cafile)
            curl_easy_setopt(h, CURLOPT_CAINFO, cafile);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(h, CURLOPT_USERAGENT, "lockcloud-sim webhook");
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, j->body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(j->body));
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, stop_requested);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
        rc = curl_easy_perform(h);
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    }
    curl_easy_cleanup(h);
    curl_slist_free_all(headers);
    curl_slist_free_all(resolve);
    if (rc == CURLE_OK && status >= 200 && status <= 299) {
        *result = "delivered";
        err[0] = '\0';
    } else if (rc == CURLE_OK) {
        *result = "failed";
        snprintf(err, errlen, "HTTP status %ld", status);
    } else {
        *result = rc == CURLE_OPERATION_TIMEDOUT ? "timeout" : "failed";
        snprintf(err, errlen, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
    }
    return status;
}

/* ---- the worker -------------------------------------------------------- */

/* Unlinks and returns the earliest job due by now, else NULL; *next gets
 * the earliest due time of the rest (or -1). Jobs are queued at the head,
 * so among jobs due at the same time the one furthest down is the oldest:
 * `<=` sends those in the order their events happened. Under the mutex. */
static job *take_due(double now, double *next)
{
    job **best = NULL;
    for (job **p = &W.queue; *p; p = &(*p)->next)
        if (!best || (*p)->due <= (*best)->due)
            best = p;
    *next = best ? (*best)->due : -1;
    if (!best || (*best)->due > now)
        return NULL;
    job *j = *best;
    *best = j->next;
    j->next = NULL;
    W.queued--;
    return j;
}

static void drop_subscriber(const char *id)
{
    for (job **p = &W.queue; *p;) {
        if (strcmp((*p)->subscriber_id, id) == 0) {
            job *dead = *p;
            *p = dead->next;
            W.queued--;
            job_free(dead);
        } else {
            p = &(*p)->next;
        }
    }
    if (W.ndeactivate < MAX_DEACTIVATE && (W.deactivate[W.ndeactivate] = strdup(id)))
        W.ndeactivate++;
}

/* After a failed attempt: the next retry, or deactivation after the last. */
static void failed(job *j, double at)
{
    if (j->first_failure < 0)
        j->first_failure = at;
    if (j->attempts > RETRIES) {
        drop_subscriber(j->subscriber_id);
        job_free(j);
        return;
    }
    j->due = j->first_failure + j->attempts * RETRY_EVERY;
    j->next = W.queue;
    W.queue = j;
    W.queued++;
}

static void *worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&W.mu);
    while (!W.stop) {
        double now = (double)sim_clock_now(&W.clock), next;
        job *j = take_due(now, &next);
        if (!j) {
            struct timespec until;
            clock_gettime(CLOCK_MONOTONIC, &until);
            /* The simulator clock runs at real speed between moves. */
            double wait = next < 0 || next - now > 60 ? 60 : next - now + 0.01;
            until.tv_sec += (time_t)wait;
            until.tv_nsec += (long)((wait - (double)(time_t)wait) * 1e9);
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&W.cv, &W.mu, &until);
            continue;
        }
        unsigned long epoch = W.epoch;
        W.sending = 1;
        char *cafile = W.cafile ? strdup(W.cafile) : NULL;
        int allow_http = W.allow_http;
        double at = j->first_failure < 0 ? now : j->due;
        pthread_mutex_unlock(&W.mu);
        const char *result;
        char err[CURL_ERROR_SIZE + 64];
        long status = attempt(j, cafile, allow_http, &result, err, sizeof err);
        free(cafile);
        pthread_mutex_lock(&W.mu);
        W.sending = 0;
        if (epoch != W.epoch || W.stop) {
            job_free(j);
            continue;
        }
        j->attempts++;
        log_attempt(j, at, result, status, err[0] ? err : NULL);
        /* A refused target is the simulator's rule, not the receiver's
         * failure: it is never retried. */
        if (strcmp(result, "delivered") == 0 || strcmp(result, "refused") == 0)
            job_free(j);
        else
            failed(j, at);
    }
    pthread_mutex_unlock(&W.mu);
    return NULL;
}

int sim_webhooks_start(const char *cafile, int allow_http, const sim_clock *clock,
                       char *err, size_t errlen)
{
    pthread_condattr_t ca;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, errlen, "webhooks: cannot initialise libcurl");
        return -1;
    }
    W.stop = 0;
    W.allow_http = allow_http;
    W.clock = *clock;
    W.cafile = cafile ? strdup(cafile) : NULL;
    if ((cafile && !W.cafile) || pthread_condattr_init(&ca) != 0 ||
        pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
        pthread_cond_init(&W.cv, &ca) != 0) {
        snprintf(err, errlen, "webhooks: out of resources");
        free(W.cafile);
        W.cafile = NULL;
        curl_global_cleanup();
        return -1;
    }
    pthread_condattr_destroy(&ca);
    /* The caller has blocked the stop signals: the worker inherits that. */
    if (pthread_create(&W.thread, NULL, worker, NULL) != 0) {
        snprintf(err, errlen, "webhooks: cannot start the worker thread: %s", strerror(errno));
        pthread_cond_destroy(&W.cv);
        free(W.cafile);
        W.cafile = NULL;
        curl_global_cleanup();
        return -1;
    }
    W.running = 1;
    sim_events_set_outbox(sim_webhooks_post);
    return 0;
}

static void clear_locked(void)
{
    while (W.queue) {
        job *j = W.queue;
        W.queue = j->next;
        job_free(j);
    }
    W.queued = 0;
    for (size_t i = 0; i < W.ndeactivate; i++)
        free(W.deactivate[i]);
    W.ndeactivate = 0;
    cJSON_Delete(W.log);
    W.log = NULL;
    W.epoch++;
}

void sim_webhooks_stop(void)
{
    if (!W.running)
        return;
    sim_events_set_outbox(NULL);
    pthread_mutex_lock(&W.mu);
    W.stop = 1;
    pthread_cond_signal(&W.cv);
    pthread_mutex_unlock(&W.mu);
    pthread_join(W.thread, NULL);
    pthread_mutex_lock(&W.mu);
    clear_locked();
    free(W.cafile);
    W.cafile = NULL;
    W.running = 0;
    pthread_mutex_unlock(&W.mu);
    pthread_cond_destroy(&W.cv);
    curl_global_cleanup();
}

static char *dup_bounded(const char *s)
{
    return s && strlen(s) <= MAX_TEXT ? strdup(s) : NULL;
}

void sim_webhooks_post(const sim_webhook_msg *m, time_t now)
{
    if (!W.running || !m || !m->url || !m->subscriber_id || !m->event_id)
        return;
    job *j = calloc(1, sizeof *j);
    if (!j)
        return;
    j->form = !m->content_type || strcmp(m->content_type, "json") != 0;
    j->subscriber_id = dup_bounded(m->subscriber_id);
    j->event_id = dup_bounded(m->event_id);
    j->url = dup_bounded(m->url);
    j->secret = m->secret ? dup_bounded(m->secret) : NULL;
    j->body = j->form ? sim_webhook_form(m->payload) : cJSON_PrintUnformatted(m->payload);
    j->first_failure = -1;
    j->due = (double)now;
    if (!j->subscriber_id || !j->event_id || !j->url || !j->body ||
        (m->secret && !j->secret)) {
        job_free(j);
        return;
    }
    pthread_mutex_lock(&W.mu);
    if (W.queued >= MAX_QUEUED) {
        log_attempt(j, (double)now, "dropped", 0, "the delivery queue is full");
        job_free(j);
    } else {
        j->next = W.queue;
        W.queue = j;
        W.queued++;
        pthread_cond_signal(&W.cv);
    }
    pthread_mutex_unlock(&W.mu);
}

void sim_webhooks_clock(const sim_clock *clock)
{
    if (!W.running)
        return;
    pthread_mutex_lock(&W.mu);
    W.clock = *clock;
    pthread_cond_signal(&W.cv);
    pthread_mutex_unlock(&W.mu);
}

void sim_webhooks_sync(sim_store *store, time_t now)
{
    char *ids[MAX_DEACTIVATE];
    size_t n = 0;
    if (!W.running)
        return;
    pthread_mutex_lock(&W.mu);
    /* Messages of a subscriber made inactive or deleted since are dropped. */
    for (job **p = &W.queue; *p;) {
        if (!sim_subscriber_active(store, (*p)->subscriber_id)) {
            job *dead = *p;
            *p = dead->next;
            W.queued--;
            log_attempt(dead, (double)now, "dropped", 0, "the subscriber is inactive or gone");
            job_free(dead);
        } else {
            p = &(*p)->next;
        }
    }
    n = W.ndeactivate;
    memcpy(ids, W.deactivate, n * sizeof ids[0]);
    W.ndeactivate = 0;
    pthread_mutex_unlock(&W.mu);
    for (size_t i = 0; i < n; i++) {
        sim_subscriber_deactivate(store, ids[i], now);
        free(ids[i]);
    }
}

void sim_webhooks_reset(void)
{
    if (!W.running)
        return;
    pthread_mutex_lock(&W.mu);
    clear_locked();
    pthread_mutex_unlock(&W.mu);
}

cJSON *sim_webhooks_to_json(void)
{
    cJSON *doc = cJSON_CreateObject();
    pthread_mutex_lock(&W.mu);
    cJSON *log = W.log ? cJSON_Duplicate(W.log, 1) : cJSON_CreateArray();
    size_t queued = W.queued;
    int sending = W.sending;
    pthread_mutex_unlock(&W.mu);
    if (!doc || !log) {
        cJSON_Delete(doc);
        cJSON_Delete(log);
        return NULL;
    }
    cJSON_AddNumberToObject(doc, "queued", (double)queued);
    cJSON_AddBoolToObject(doc, "sending", sending);
    cJSON_AddItemToObject(doc, "attempts", log);
    return doc;
}
