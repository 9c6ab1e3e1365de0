/* simproc: spawn and talk to a private lockcloud-sim (see simproc.h). */
#include "simproc.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define START_TIMEOUT_MS 20000
#define STOP_TIMEOUT_MS  10000

struct simproc {
    pid_t pid;
    char dir[256];
    char ca[300];
    int have_ca;
    char url[256];
    CURL *curl;
};

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

static void remove_dir(const char *dir)
{
    if (dir[0])
        nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int has_arg(const char *const *args, const char *name)
{
    for (size_t i = 0; args && args[i]; i++)
        if (strcmp(args[i], name) == 0)
            return 1;
    return 0;
}

/* Waits for the child for up to timeout_ms; returns the decoded status or -1. */
static int wait_child(pid_t pid, long timeout_ms)
{
    long deadline = now_ms() + timeout_ms;
    for (;;) {
        int st;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (r < 0 && errno != EINTR)
            return -1;
        if (now_ms() >= deadline)
            return -1;
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
}

/* Reads one line (without '\n') from fd within timeout_ms. 0 on success. */
static int read_line(int fd, char *buf, size_t len, long timeout_ms)
{
    size_t n = 0;
    long deadline = now_ms() + timeout_ms;
    while (n + 1 < len) {
        long left = deadline - now_ms();
        if (left <= 0)
            return -1;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        ssize_t got = read(fd, buf + n, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return -1;
        if (buf[n] == '\n') {
            buf[n] = '\0';
            return 0;
        }
        n++;
    }
    return -1;
}

static pid_t spawn(const char *bin, const char *const *argv, int out_fd, int close_fd)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* Child: die with the test program, stdout into the pipe. */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent)
        _exit(127);
    close(close_fd);
    if (dup2(out_fd, STDOUT_FILENO) < 0)
        _exit(127);
    close(out_fd);
    execv(bin, (char *const *)argv);
    fprintf(stderr, "simproc: cannot run %s: %s\n", bin, strerror(errno));
    _exit(127);
}

simproc *simproc_start(const char *const *extra_args)
{
    const char *bin = getenv("LC_SIM_BIN");
    if (!bin || !*bin)
        bin = "build/lockcloud-sim";
    simproc *sim = calloc(1, sizeof(*sim));
    if (!sim)
        return NULL;
    sim->pid = -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(sim->dir, sizeof(sim->dir), "%s/lcsimproc.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(sim->dir)) {
        printf("# simproc: mkdtemp: %s\n", strerror(errno));
        sim->dir[0] = '\0';
        goto fail;
    }
    snprintf(sim->ca, sizeof(sim->ca), "%s/ca.pem", sim->dir);
    sim->have_ca = !has_arg(extra_args, "--http") && !has_arg(extra_args, "--cert");

    size_t nextra = 0;
    while (extra_args && extra_args[nextra])
        nextra++;
    const char **argv = calloc(nextra + 6, sizeof(*argv));
    if (!argv)
        goto fail;
    size_t a = 0;
    argv[a++] = bin;
    argv[a++] = "--listen";
    argv[a++] = "127.0.0.1:0";
    if (sim->have_ca) {
        argv[a++] = "--ca-out";
        argv[a++] = sim->ca;
    }
    for (size_t i = 0; i < nextra; i++)
        argv[a++] = extra_args[i];
    argv[a] = NULL;

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) {
        printf("# simproc: pipe: %s\n", strerror(errno));
        free(argv);
        goto fail;
    }
    fflush(stdout);
    fflush(stderr);
    sim->pid = spawn(bin, argv, fds[1], fds[0]);
    free(argv);
    close(fds[1]);
    if (sim->pid < 0) {
        printf("# simproc: fork: %s\n", strerror(errno));
        close(fds[0]);
        goto fail;
    }
    int r = read_line(fds[0], sim->url, sizeof(sim->url), START_TIMEOUT_MS);
    close(fds[0]); /* the simulator prints nothing else on stdout */
    if (r != 0 || strncmp(sim->url, "http", 4) != 0) {
        printf("# simproc: %s printed no base URL (exit status %d)\n", bin,
               wait_child(sim->pid, 2000));
        goto fail;
    }
    if (sim->have_ca && access(sim->ca, R_OK) != 0) {
        printf("# simproc: no CA file at %s\n", sim->ca);
        goto fail;
    }
    sim->curl = curl_easy_init();
    if (!sim->curl) {
        printf("# simproc: curl_easy_init failed\n");
        goto fail;
    }
    return sim;
fail:
    simproc_stop(sim);
    return NULL;
}

int simproc_stop(simproc *sim)
{
    if (!sim)
        return -1;
    int status = -1;
    if (sim->pid > 0) {
        kill(sim->pid, SIGTERM);
        status = wait_child(sim->pid, STOP_TIMEOUT_MS);
        if (status < 0) {
            printf("# simproc: simulator ignored SIGTERM, killing it\n");
            kill(sim->pid, SIGKILL);
            wait_child(sim->pid, STOP_TIMEOUT_MS);
        }
    }
    if (sim->curl)
        curl_easy_cleanup(sim->curl);
    remove_dir(sim->dir);
    free(sim);
    return status;
}

const char *simproc_url(const simproc *sim) { return sim ? sim->url : NULL; }
const char *simproc_ca(const simproc *sim) { return sim && sim->have_ca ? sim->ca : NULL; }
const char *simproc_dir(const simproc *sim) { return sim ? sim->dir : NULL; }
pid_t simproc_pid(const simproc *sim) { return sim ? sim->pid : -1; }

typedef struct buf {
    char *data;
    size_t len, cap;
} buf;

static int buf_add(buf *b, const char *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        /* Doubling: bodies of 64 MiB (raw faults) stay linear, also under
         * ASan, whose realloc always copies. */
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    return buf_add(ud, p, size * n) == 0 ? size * n : 0;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    buf *b = ud;
    /* Keep only the final response's headers (skip "100 Continue"). */
    if (size * n >= 5 && strncmp(p, "HTTP/", 5) == 0)
        b->len = 0;
    return buf_add(b, p, size * n) == 0 ? size * n : 0;
}

static int has_header(const char *const *headers, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; headers && headers[i]; i++)
        if (strncasecmp(headers[i], name, len) == 0 && headers[i][len] == ':')
            return 1;
    return 0;
}

long simproc_http(simproc *sim, const simproc_req *req, simproc_res *res)
{
    memset(res, 0, sizeof(*res));
    buf body = {0}, hdrs = {0};
    struct curl_slist *list = NULL;
    char line[4096];
    char *url = NULL;
    if (!sim || !sim->curl || !req->path) {
        res->curl_code = CURLE_FAILED_INIT;
        goto out;
    }
    CURL *c = sim->curl;
    curl_easy_reset(c);
    if (!(url = malloc(strlen(sim->url) + strlen(req->path) + 1))) {
        res->curl_code = CURLE_OUT_OF_MEMORY;
        goto out;
    }
    strcpy(url, sim->url);
    strcat(url, req->path);
    const char *method = req->method ? req->method : "GET";

    for (size_t i = 0; req->headers && req->headers[i]; i++)
        list = curl_slist_append(list, req->headers[i]);
    if (req->body && !has_header(req->headers, "Content-Type"))
        list = curl_slist_append(list, "Content-Type: application/json");
    if (req->bearer) {
        snprintf(line, sizeof(line), "Authorization: Bearer %s", req->bearer);
        list = curl_slist_append(list, line);
    }

    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req->timeout_ms > 0 ? req->timeout_ms : 15000L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    const char *ca = req->cafile ? req->cafile : simproc_ca(sim);
    if (ca)
        curl_easy_setopt(c, CURLOPT_CAINFO, ca);
    if (req->fresh_connection) {
        curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
    }
    if (req->body) {
        size_t blen = req->body_len ? req->body_len : strlen(req->body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)blen);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
    } else if (strcmp(method, "POST") == 0) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
    }
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    else if (strcmp(method, "GET") != 0 || req->body)
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hdrs);

    res->curl_code = (int)curl_easy_perform(c);
    if (res->curl_code == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
    curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &res->seconds);
    /* Detach our list and buffers from the reused handle. */
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
out:
    free(url);
    curl_slist_free_all(list);
    res->body = body.data ? body.data : calloc(1, 1);
    res->body_len = body.len;
    res->headers = hdrs.data ? hdrs.data : calloc(1, 1);
    return res->status;
}

const char *simproc_res_header(simproc_res *res, const char *name)
{
    size_t nlen = strlen(name);
    free(res->hdr_value_);
    res->hdr_value_ = NULL;
    for (const char *p = res->headers; p && *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > nlen && strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
            const char *v = p + nlen + 1;
            const char *end = p + len;
            while (v < end && (*v == ' ' || *v == '\t'))
                v++;
            while (end > v && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
                end--;
            res->hdr_value_ = strndup(v, (size_t)(end - v));
            return res->hdr_value_;
        }
        p = eol ? eol + 1 : p + len;
    }
    return NULL;
}

cJSON *simproc_res_json(const simproc_res *res)
{
    if (!res->body || res->body_len == 0)
        return NULL;
    return cJSON_ParseWithLength(res->body, res->body_len);
}

void simproc_res_free(simproc_res *res)
{
    free(res->body);
    free(res->headers);
    free(res->hdr_value_);
    memset(res, 0, sizeof(*res));
}

static int json_call(simproc *sim, const simproc_req *req, cJSON **response)
{
    simproc_res r;
    long st = simproc_http(sim, req, &r);
    if (response)
        *response = simproc_res_json(&r);
    if (st == 0)
        printf("# simproc: %s %s failed: %s\n", req->method, req->path,
               curl_easy_strerror((CURLcode)r.curl_code));
    simproc_res_free(&r);
    return st ? (int)st : -1;
}

int sim_ctl(simproc *sim, const char *method, const char *path,
            const char *json_body, cJSON **response)
{
    if (response)
        *response = NULL;
    simproc_req req = {.method = method ? method : "GET", .path = path, .body = json_body};
    return json_call(sim, &req, response);
}

int simproc_oauth(simproc *sim, const char *form, cJSON **response)
{
    if (response)
        *response = NULL;
    static const char *const hdrs[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    simproc_req req = {.method = "POST", .path = "/oauth/token", .body = form, .headers = hdrs};
    return json_call(sim, &req, response);
}

char *simproc_token(simproc *sim)
{
    cJSON *doc = NULL;
    char *token = NULL;
    int st = simproc_oauth(sim, "grant_type=client_credentials&client_id=" SIMPROC_CLIENT_ID
                                "&client_secret=" SIMPROC_CLIENT_SECRET, &doc);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "access_token");
    if (st == 200 && cJSON_IsString(t))
        token = strdup(t->valuestring);
    else
        printf("# simproc: no token (status %d)\n", st);
    cJSON_Delete(doc);
    return token;
}

char *simproc_base64(const void *p, size_t n)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *in = p;
    char *out = malloc((n + 2) / 3 * 4 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned long q = (unsigned long)in[i] << 16;
        if (i + 1 < n)
            q |= (unsigned long)in[i + 1] << 8;
        if (i + 2 < n)
            q |= in[i + 2];
        out[o++] = abc[q >> 18 & 63];
        out[o++] = abc[q >> 12 & 63];
        out[o++] = i + 1 < n ? abc[q >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? abc[q & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

int simproc_fault_raw(simproc *sim, const simproc_raw *raw)
{
    cJSON *doc = cJSON_CreateObject();
    char *b64 = NULL, *text = NULL;
    int st = -1;
    cJSON_AddStringToObject(doc, "kind", "raw");
    if (raw->status)
        cJSON_AddNumberToObject(doc, "status", raw->status);
    if (raw->path)
        cJSON_AddStringToObject(doc, "path", raw->path);
    if (raw->count)
        cJSON_AddNumberToObject(doc, "count", (double)raw->count);
    const struct { const char *key; const void *p; size_t n; } parts[] = {
        {"head", raw->head, raw->head_len},
        {"middle", raw->middle, raw->middle_len},
        {"tail", raw->tail, raw->tail_len},
    };
    for (size_t i = 0; i < 3; i++) {
        if (!parts[i].p)
            continue;
        if (!(b64 = simproc_base64(parts[i].p, parts[i].n)) ||
            !cJSON_AddStringToObject(doc, parts[i].key, b64))
            goto out;
        free(b64);
        b64 = NULL;
    }
    if (raw->middle)
        cJSON_AddNumberToObject(doc, "times", (double)raw->times);
    if ((text = cJSON_PrintUnformatted(doc)))
        st = sim_ctl(sim, "POST", "/_sim/fault", text, NULL);
out:
    free(b64);
    free(text);
    cJSON_Delete(doc);
    return st;
}
