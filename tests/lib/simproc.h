/*
 * simproc: run a private lockcloud-sim for one C test program.
 *
 *   simproc *sim = simproc_start(NULL);          // or (const char *[]){"--rate-limit", "5/60", NULL}
 *   if (!sim) return 1;                          // reason already printed as a TAP "#" line
 *   printf("%s %s\n", simproc_url(sim), simproc_ca(sim));
 *
 *   cJSON *doc = NULL;                           // control endpoints, no auth
 *   int st = sim_ctl(sim, "POST", "/_sim/clock", "{\"advance\":3600}", &doc);
 *   cJSON_Delete(doc);
 *
 *   char *token = simproc_token(sim);            // demo client_credentials token
 *   simproc_res r;                               // any request, raw
 *   simproc_http(sim, &(simproc_req){.path = "/devices", .bearer = token}, &r);
 *   ... r.status, r.body, simproc_res_header(&r, "X-RateLimit-Remaining") ...
 *   simproc_res_free(&r); free(token);
 *
 *   simproc_stop(sim);                           // SIGTERM, wait, remove temp dir
 *
 * The binary is $LC_SIM_BIN (tests/run.sh sets it), else build/lockcloud-sim.
 * It is started as `--listen 127.0.0.1:0 --ca-out <tmpdir>/ca.pem <extra...>`
 * (no --ca-out when the extra arguments contain --http or --cert). Its
 * stderr is inherited, so simulator diagnostics and sanitizer reports reach
 * the test's stderr. Every function tolerates a NULL simproc. The child gets
 * PR_SET_PDEATHSIG(SIGTERM): it dies with the thread that started it.
 *
 * Fault "drop" and keep-alive: when a REUSED connection closes without an
 * answer, libcurl silently retries the request once on a new connection, so
 * a single drop is invisible to such a client. Use fresh_connection, or arm
 * the drop with "count": 2, to make the failure reach the caller.
 */
#ifndef LC_SIMPROC_H
#define LC_SIMPROC_H

#include <stddef.h>
#include <sys/types.h>
#include <cjson/cJSON.h>

typedef struct simproc simproc;

/* Demo OAuth application of the default fixture (sim/fixtures/README.md). */
#define SIMPROC_CLIENT_ID     "lockcloud-demo-client"
#define SIMPROC_CLIENT_SECRET "lockcloud-demo-secret"
#define SIMPROC_AUTH_CODE     "lockcloud-demo-code"
#define SIMPROC_REDIRECT_URI  "urn:ietf:wg:oauth:2.0:oob"

/* Starts the simulator and waits (at most 20 s) for its base URL.
 * extra_args: NULL-terminated list appended to the command line, or NULL.
 * Returns NULL on failure after printing "# simproc: ..." on stdout. */
simproc *simproc_start(const char *const *extra_args);

/* Stops it (SIGTERM, waits up to 10 s, then SIGKILL), removes the temp
 * directory and frees everything. Returns the exit status (0 = clean exit),
 * 128+signal when it died from a signal, -1 on error. */
int simproc_stop(simproc *sim);

const char *simproc_url(const simproc *sim); /* "https://127.0.0.1:40123"   */
const char *simproc_ca(const simproc *sim);  /* CA PEM path; NULL with --http/--cert */
const char *simproc_dir(const simproc *sim); /* private temp dir, for test files */
pid_t simproc_pid(const simproc *sim);

/* A request to the simulator. Zero-initialise and set what you need. */
typedef struct simproc_req {
    const char *method;          /* default "GET"                                 */
    const char *path;            /* appended to the base URL and sent as is
                                    (no "../" squashing), may include a query     */
    const char *const *headers;  /* NULL-terminated "Name: value" lines, or NULL  */
    const char *body;            /* request body, or NULL                         */
    size_t body_len;             /* 0: strlen(body)                               */
    const char *bearer;          /* adds "Authorization: Bearer <bearer>"         */
    const char *cafile;          /* CA to verify with; NULL: the simulator's CA   */
    int fresh_connection;        /* 1: open a new connection and close it after   */
    /* With a body and no Content-Type among headers, "application/json" is sent. */
    long timeout_ms;             /* 0: 15000                                      */
} simproc_req;

typedef struct simproc_res {
    long status;        /* HTTP status, 0 when no response arrived             */
    int curl_code;      /* CURLcode of the transfer (0 = CURLE_OK)             */
    char *body;         /* response body, NUL-terminated (never NULL after a call) */
    size_t body_len;
    char *headers;      /* raw header block of the final response              */
    double seconds;     /* total transfer time                                 */
    char *hdr_value_;   /* private: backs simproc_res_header()                 */
} simproc_res;

/* Performs one request with a libcurl handle kept in sim (so consecutive
 * requests reuse the TLS connection unless fresh_connection is set).
 * Returns res->status (0 on transport failure; see res->curl_code).
 * Always call simproc_res_free() afterwards. */
long simproc_http(simproc *sim, const simproc_req *req, simproc_res *res);

/* Value of a response header (case-insensitive name), trimmed; valid until
 * the next call for the same res or simproc_res_free(). NULL when absent. */
const char *simproc_res_header(simproc_res *res, const char *name);

/* Parses the body as JSON (caller frees with cJSON_Delete); NULL if not JSON. */
cJSON *simproc_res_json(const simproc_res *res);

void simproc_res_free(simproc_res *res);

/* Control request: method "GET"/"POST"/..., path "/_sim/...", json_body or
 * NULL. On return *response (when response is not NULL) holds the parsed
 * JSON answer or NULL. Returns the HTTP status, or -1 on transport failure. */
int sim_ctl(simproc *sim, const char *method, const char *path,
            const char *json_body, cJSON **response);

/* POST form-encoded body (e.g. "grant_type=client_credentials&...") to
 * /oauth/token; returns the HTTP status and the parsed answer in *response. */
int simproc_oauth(simproc *sim, const char *form, cJSON **response);

/* Standard padded base64 of n bytes at p (malloc'd, NUL-terminated). */
char *simproc_base64(const void *p, size_t n);

/* A "raw" fault (docs/SIMULATOR.md): the next `count` requests under `path`
 * are answered with status and body head + middle x times + tail, exactly.
 * Zero-initialise; unset fields take the simulator's defaults (status 200,
 * count 1, every path, empty parts). Bytes may hold NULs. */
typedef struct simproc_raw {
    int status;                  /* 0: 200                             */
    const void *head;   size_t head_len;
    const void *middle; size_t middle_len;
    long times;                  /* repeats of middle (0: none); sent
                                    only when middle is set            */
    const void *tail;   size_t tail_len;
    const char *path;            /* prefix, e.g. "/access_persons/"    */
    long count;                  /* 0: 1                               */
} simproc_raw;

/* Arms it; returns the HTTP status of POST /_sim/fault (200 = armed). */
int simproc_fault_raw(simproc *sim, const simproc_raw *raw);

/* A fresh access token for the demo client (client_credentials), malloc'd;
 * NULL on failure. */
char *simproc_token(simproc *sim);

#endif
