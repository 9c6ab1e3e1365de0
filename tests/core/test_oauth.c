/* Integration: OAuth against the simulator. client_credentials,
 * authorization_code, rotating refresh tokens (an old refresh token is
 * dead), revoke, transparent renewal of expired or revoked tokens, the
 * token file (0600, shared between clients), and secrets kept out of
 * messages. */
#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "coretest.h"

static char tf1[512], tf2[512], tf3[512], tf4[512], tf5[512], tf6[512];

static lc_status list_devices(lc_client *c, lc_error *e)
{
    cJSON *out = NULL;
    lc_status st = lc_call(c, "devices.list", NULL, NULL, NULL, &out, e);
    if (!st && !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(out, "data")))
        st = LC_ERR_PARSE;
    cJSON_Delete(out);
    return st;
}

static int copy_file(const char *from, const char *to)
{
    char *text = slurp(from);
    FILE *f;
    int okay = 0;
    if (!text)
        return 0;
    unlink(to);
    f = fopen(to, "w");
    if (f) {
        chmod(to, 0600);
        okay = fputs(text, f) >= 0;
        okay &= fclose(f) == 0;
    }
    free(text);
    return okay;
}

/* Method and status of the last n requests, "GET /devices 403,...". */
static void last_requests(simproc *sim, int n, char *out, size_t len)
{
    cJSON *doc = sim_requests(sim);
    const cJSON *reqs = cJSON_GetObjectItemCaseSensitive(doc, "requests");
    int total = cJSON_GetArraySize(reqs);
    size_t used = 0;
    out[0] = '\0';
    for (int i = total - n < 0 ? 0 : total - n; i < total; i++) {
        const cJSON *r = cJSON_GetArrayItem(reqs, i);
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(r, "method");
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(r, "path");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(r, "status");
        int k = snprintf(out + used, len - used, "%s%s %s %d", used ? "," : "",
                         cJSON_IsString(m) ? m->valuestring : "?",
                         cJSON_IsString(p) ? p->valuestring : "?",
                         cJSON_IsNumber(s) ? s->valueint : 0);
        if (k < 0 || (size_t)k >= len - used)
            break;
        used += (size_t)k;
    }
    cJSON_Delete(doc);
}

static void test_client_credentials(simproc *sim)
{
    lc_config cfg = test_config(sim, NULL, NULL);
    lc_client *c = NULL;
    lc_error e;

    lc_error_init(&e);
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && lc_auth_client_credentials(c, &e) == LC_OK,
       "client_credentials grant");
    ok(list_devices(c, &e) == LC_OK, "API call with the client_credentials token");
    ok(lc_auth_refresh(c, &e) == LC_OK && list_devices(c, &e) == LC_OK,
       "lc_auth_refresh without a refresh token re-runs client_credentials");
    lc_client_free(c);
    c = NULL;

    cfg.client_secret = "WRONG-SECRET-1234";
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && lc_auth_client_credentials(c, &e) == LC_ERR_AUTH &&
       strcmp(e.api_type, "invalid_client") == 0 && e.http_status == 401,
       "unknown client is auth / invalid_client: %s", e.message);
    ok(!strstr(e.message, "WRONG-SECRET"), "the secret is not in the message");
    ok(list_devices(c, &e) == LC_ERR_AUTH, "on-demand token with a bad secret is auth");
    lc_client_free(c);
    lc_error_clear(&e);
}

static void test_code_and_rotation(simproc *sim)
{
    lc_client *c1 = NULL, *c2 = NULL;
    lc_error e;
    struct stat st;
    char *r0, *r1, *a0;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    c1 = test_client(sim, tf1, NULL);
    ok(lc_auth_exchange_code(c1, SIMPROC_AUTH_CODE, SIMPROC_REDIRECT_URI, &e) == LC_OK,
       "authorization_code exchange with the fixture code");
    ok(stat(tf1, &st) == 0 && (st.st_mode & 0777) == 0600 && S_ISREG(st.st_mode),
       "token file created 0600");
    r0 = token_file_field(tf1, "refresh_token");
    a0 = token_file_field(tf1, "access_token");
    ok(r0 && a0, "token file holds an access and a refresh token");
    ok(list_devices(c1, &e) == LC_OK, "API call with the exchanged token");
    ok(lc_auth_exchange_code(c1, SIMPROC_AUTH_CODE, SIMPROC_REDIRECT_URI, &e) == LC_ERR_AUTH &&
       strcmp(e.api_type, "invalid_grant") == 0, "a code is single-use: %s", e.message);
    ok(!strstr(e.message, SIMPROC_AUTH_CODE), "the code is not echoed in the message");

    /* Keep a copy of the old pair, rotate through c1, replay through c2. */
    ok(copy_file(tf1, tf2), "copied the token file (old refresh token)");
    ok(lc_auth_refresh(c1, &e) == LC_OK, "refresh");
    r1 = token_file_field(tf1, "refresh_token");
    ok(r1 && r0 && strcmp(r0, r1) != 0, "the refresh token rotated and the file has the new one");
    ok(list_devices(c1, &e) == LC_OK, "API call after the refresh");
    {
        /* The old refresh token is dead on the server... */
        char form[1024];
        cJSON *resp = NULL;
        const cJSON *code;
        int status;
        snprintf(form, sizeof(form), "grant_type=refresh_token&refresh_token=%s&client_id=%s"
                 "&client_secret=%s", r0 ? r0 : "", SIMPROC_CLIENT_ID, SIMPROC_CLIENT_SECRET);
        status = simproc_oauth(sim, form, &resp);
        code = cJSON_GetObjectItemCaseSensitive(resp, "error");
        ok(status == 400 && cJSON_IsString(code) && !strcmp(code->valuestring, "invalid_grant"),
           "reusing the old refresh token fails with invalid_grant (%d)", status);
        cJSON_Delete(resp);
    }
    {
        /* ...so a client holding it falls back to client_credentials. */
        test_log log = { .len = 0 };
        c2 = test_client(sim, tf2, &log);
        ok(c2 && lc_auth_refresh(c2, &e) == LC_OK && strstr(log.text, "invalid_grant"),
           "a client holding it falls back to client_credentials: %s", e.message);
        ok(r0 && !strstr(log.text, r0), "the refresh token is not in the log");
    }
    free(r0);
    free(r1);
    free(a0);
    lc_client_free(c2);
    lc_client_free(c1);
    lc_error_clear(&e);
}

static void test_expiry(simproc *sim)
{
    lc_client *c;
    lc_error e;
    char seen[512];
    char *r_before, *r_after;

    lc_error_init(&e);
    c = test_client(sim, tf1, NULL);
    ok(list_devices(c, &e) == LC_OK, "a new client adopts the tokens in the file");
    r_before = token_file_field(tf1, "refresh_token");
    ctl(sim, "/_sim/clock", "{\"advance\":7300}");
    ok(list_devices(c, &e) == LC_OK, "after the token expired the call still succeeds: %s",
       e.message);
    last_requests(sim, 3, seen, sizeof(seen));
    ok(strcmp(seen, "GET /devices 403,POST /oauth/token 200,GET /devices 200") == 0,
       "403, transparent refresh, retry: %s", seen);
    r_after = token_file_field(tf1, "refresh_token");
    ok(r_before && r_after && strcmp(r_before, r_after) != 0,
       "the rotated refresh token was stored");
    free(r_before);
    free(r_after);
    lc_client_free(c);

    /* client_credentials only (no refresh token): re-run the grant. */
    c = test_client(sim, NULL, NULL);
    ok(list_devices(c, &e) == LC_OK, "client_credentials client works");
    ctl(sim, "/_sim/clock", "{\"advance\":7300}");
    ok(list_devices(c, &e) == LC_OK, "after expiry it re-runs client_credentials");
    lc_client_free(c);
    lc_error_clear(&e);
}

static void test_external_revoke(simproc *sim)
{
    lc_client *c;
    lc_error e;
    char *a0, *a1, form[512], seen[512];
    simproc_res r;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    unlink(tf3);
    c = test_client(sim, tf3, NULL);
    ok(list_devices(c, &e) == LC_OK, "client_credentials token stored in a file");
    a0 = token_file_field(tf3, "access_token");
    snprintf(form, sizeof(form), "client_id=%s&client_secret=%s&token=%s", SIMPROC_CLIENT_ID,
             SIMPROC_CLIENT_SECRET, a0 ? a0 : "");
    memset(&r, 0, sizeof(r));
    simproc_http(sim, &(simproc_req){ .method = "POST", .path = "/oauth/revoke", .body = form,
                                      .headers = (const char *[]){
                                          "Content-Type: application/x-www-form-urlencoded",
                                          NULL } }, &r);
    ok(r.status == 200, "revoked the access token behind the client's back");
    simproc_res_free(&r);
    ok(list_devices(c, &e) == LC_OK, "the next call renews and succeeds");
    last_requests(sim, 3, seen, sizeof(seen));
    ok(strcmp(seen, "GET /devices 403,POST /oauth/token 200,GET /devices 200") == 0,
       "one renewal, one retry: %s", seen);
    a1 = token_file_field(tf3, "access_token");
    ok(a0 && a1 && strcmp(a0, a1) != 0, "the new token was stored");
    free(a0);
    free(a1);

    /* A 403 that persists: one retry only, then auth. */
    ctl(sim, "/_sim/fault", "{\"kind\":\"status\",\"status\":403,\"count\":5,\"path\":\"/devices\"}");
    ok(list_devices(c, &e) == LC_ERR_AUTH && e.http_status == 403,
       "persistent 403 is auth after one retry: %s", e.message);
    last_requests(sim, 3, seen, sizeof(seen));
    ok(strcmp(seen, "GET /devices 403,POST /oauth/token 200,GET /devices 403") == 0,
       "exactly one renewal and one retry: %s", seen);
    ctl(sim, "/_sim/reset", NULL);
    lc_client_free(c);
    lc_error_clear(&e);
}

static void test_revoke(simproc *sim)
{
    lc_client *c;
    lc_error e;
    char *a0, *r0, form[512];
    simproc_res r;
    cJSON *resp = NULL;
    int st;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    unlink(tf4);
    c = test_client(sim, tf4, NULL);
    ok(lc_auth_exchange_code(c, SIMPROC_AUTH_CODE, NULL, &e) == LC_OK,
       "exchange (default redirect_uri is the out-of-band one)");
    a0 = token_file_field(tf4, "access_token");
    r0 = token_file_field(tf4, "refresh_token");
    ok(lc_auth_revoke(c, &e) == LC_OK, "revoke");
    {
        char *a = token_file_field(tf4, "access_token"), *rf = token_file_field(tf4, "refresh_token");
        struct stat sb;
        ok(!a && !rf && stat(tf4, &sb) == 0 && (sb.st_mode & 0777) == 0600,
           "token file emptied (still 0600)");
        free(a);
        free(rf);
    }
    memset(&r, 0, sizeof(r));
    simproc_http(sim, &(simproc_req){ .path = "/devices", .bearer = a0 ? a0 : "x" }, &r);
    ok(r.status == 403, "the revoked access token is refused by the API (%ld)", r.status);
    simproc_res_free(&r);
    snprintf(form, sizeof(form), "grant_type=refresh_token&refresh_token=%s&client_id=%s"
             "&client_secret=%s", r0 ? r0 : "", SIMPROC_CLIENT_ID, SIMPROC_CLIENT_SECRET);
    st = simproc_oauth(sim, form, &resp);
    ok(st == 400, "the refresh token was revoked too (%d)", st);
    cJSON_Delete(resp);
    ok(list_devices(c, &e) == LC_OK,
       "after revoke the client falls back to client_credentials");
    free(a0);
    free(r0);
    lc_client_free(c);

    /* No credentials at all. */
    {
        lc_config cfg = test_config(sim, NULL, NULL);
        cfg.client_id = cfg.client_secret = NULL;
        c = NULL;
        ok(lc_client_new(&cfg, &c, &e) == LC_OK && lc_auth_refresh(c, &e) == LC_ERR_AUTH &&
           strstr(e.message, "no credentials"), "refresh without any credential is auth");
        ok(lc_auth_revoke(c, &e) == LC_OK, "revoke with nothing to revoke is fine");
        lc_client_free(c);
    }
    lc_error_clear(&e);
}

static void test_shared_file(simproc *sim)
{
    lc_client *a, *b;
    lc_error e;
    int before, after;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    unlink(tf3);
    a = test_client(sim, tf3, NULL);
    b = test_client(sim, tf3, NULL);
    ok(list_devices(a, &e) == LC_OK, "first client fetches a token");
    before = request_count(sim);
    ok(list_devices(b, &e) == LC_OK, "second client on the same file");
    after = request_count(sim);
    ok(after == before + 1, "it adopted the stored token (no token request: %d new)",
       after - before);
    chmod(tf3, 0644);
    ctl(sim, "/_sim/clock", "{\"advance\":7300}");
    ok(list_devices(a, &e) == LC_ERR_IO && strstr(e.message, "0644"),
       "a token file loosened to 0644 is refused at the next renewal: %s", e.message);
    chmod(tf3, 0600);
    ok(list_devices(a, &e) == LC_OK, "and accepted again once 0600");
    lc_client_free(a);
    lc_client_free(b);
    lc_error_clear(&e);
}

/* Files in dir whose name starts with prefix. */
static int count_files(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    while (d && (de = readdir(d)))
        n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
    if (d)
        closedir(d);
    return n;
}

/* A refresh rotates the token on the server, then the token file cannot be
 * written (here: RLIMIT_FSIZE makes the write fail with EFBIG, as a full
 * disk would). The new pair must not be lost: the client keeps using it and
 * saves it once the file is writable again. */
static void test_unsaved_rotation(simproc *sim)
{
    lc_client *c = NULL, *c2 = NULL;
    lc_error e;
    struct rlimit orig, tiny;
    char *r0 = NULL, *r_kept = NULL, *r2 = NULL;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    c = test_client(sim, tf5, NULL);
    ok(c && lc_auth_exchange_code(c, SIMPROC_AUTH_CODE, NULL, &e) == LC_OK,
       "unsaved rotation: got a token pair");
    r0 = token_file_field(tf5, "refresh_token");

    signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &orig);
    tiny = orig;
    tiny.rlim_cur = 8;
    setrlimit(RLIMIT_FSIZE, &tiny);
    ok(lc_auth_refresh(c, &e) == LC_ERR_IO, "refresh whose token file write fails is io: %s",
       e.message);
    setrlimit(RLIMIT_FSIZE, &orig);
    signal(SIGXFSZ, SIG_DFL);
    r_kept = token_file_field(tf5, "refresh_token");
    ok(r0 && r_kept && strcmp(r0, r_kept) == 0,
       "the file still holds the old (now retired) refresh token");
    ok(count_files(simproc_dir(sim), "tokens5.json.tmp") == 0, "no temporary file left behind");

    ok(lc_auth_refresh(c, &e) == LC_OK,
       "the next refresh uses the rotated token kept in memory: %s", e.message);
    r2 = token_file_field(tf5, "refresh_token");
    ok(r2 && r0 && strcmp(r2, r0) != 0, "the file now holds a live refresh token again");
    ok(list_devices(c, &e) == LC_OK, "API call after recovering");
    c2 = test_client(sim, tf5, NULL);
    ok(c2 && lc_auth_refresh(c2, &e) == LC_OK,
       "another client refreshes from the file: nothing was lost: %s", e.message);
    free(r0);
    free(r_kept);
    free(r2);
    lc_client_free(c2);
    lc_client_free(c);
    lc_error_clear(&e);
}

/* POSTs /oauth/revoke for token behind the client's back. */
static long revoke_out_of_band(simproc *sim, const char *token)
{
    char form[1024];
    simproc_res r;
    long status;

    snprintf(form, sizeof(form), "client_id=%s&client_secret=%s&token=%s", SIMPROC_CLIENT_ID,
             SIMPROC_CLIENT_SECRET, token ? token : "");
    memset(&r, 0, sizeof(r));
    status = simproc_http(sim, &(simproc_req){ .method = "POST", .path = "/oauth/revoke",
                                               .body = form,
                                               .headers = (const char *[]){
                                                   "Content-Type: application/x-www-form-urlencoded",
                                                   NULL } }, &r);
    simproc_res_free(&r);
    return status;
}

/* A dead stored refresh token (revoked, or bogus as a crash between grant
 * and rename could leave) must not fail every call: after invalid_grant the
 * client falls back to client_credentials, logs it, and stores the result. */
static void test_dead_refresh_token(simproc *sim)
{
    test_log log = { .len = 0 };
    lc_client *c;
    lc_error e;
    char *a0, *r0, *a1, *r1, seen[512];
    FILE *f;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    unlink(tf6);
    c = test_client(sim, tf6, &log);
    ok(c && lc_auth_exchange_code(c, SIMPROC_AUTH_CODE, NULL, &e) == LC_OK,
       "dead refresh: a code grant stored a pair");
    a0 = token_file_field(tf6, "access_token");
    r0 = token_file_field(tf6, "refresh_token");
    ok(revoke_out_of_band(sim, r0) == 200, "revoked the grant out of band (both tokens die)");
    ok(list_devices(c, &e) == LC_OK, "the next call still succeeds: %s", e.message);
    last_requests(sim, 4, seen, sizeof(seen));
    ok(strcmp(seen, "GET /devices 403,POST /oauth/token 400,POST /oauth/token 200,"
                    "GET /devices 200") == 0,
       "403, refused refresh, client_credentials, retry: %s", seen);
    a1 = token_file_field(tf6, "access_token");
    r1 = token_file_field(tf6, "refresh_token");
    ok(a1 && a0 && strcmp(a0, a1) != 0 && !(r1 && r0 && strcmp(r0, r1) == 0),
       "the file holds the new token, not the dead refresh token");
    ok(strstr(log.text, "1 the stored refresh token was refused (invalid_grant): falling back "
                        "to client_credentials") != NULL, "logged as a warning");
    ok(!strstr(log.text, SIMPROC_CLIENT_SECRET) && !(r0 && strstr(log.text, r0)) &&
       !(a1 && strstr(log.text, a1)), "no secret or token in the log");
    lc_client_free(c);
    free(a0);
    free(r0);
    free(a1);
    free(r1);

    /* A bogus refresh token and no access token in the file. */
    f = fopen(tf6, "w");
    if (f) {
        fputs("{\"refresh_token\":\"bogus-dead-refresh-token\"}\n", f);
        fclose(f);
    }
    chmod(tf6, 0600);
    c = test_client(sim, tf6, NULL);
    ok(list_devices(c, &e) == LC_OK, "a bogus stored refresh token: the call succeeds: %s",
       e.message);
    a1 = token_file_field(tf6, "access_token");
    r1 = token_file_field(tf6, "refresh_token");
    ok(a1 && !(r1 && strcmp(r1, "bogus-dead-refresh-token") == 0),
       "and the file then holds the new token");
    free(a1);
    free(r1);
    lc_client_free(c);
    lc_error_clear(&e);
}

/* A wrong auth_url (here a path of the simulator that answers 404) is an
 * auth outcome naming the token request, never an API "not found"; an API
 * 404 still is one. */
static void test_which_request(simproc *sim)
{
    lc_config cfg = test_config(sim, NULL, NULL);
    lc_client *c = NULL;
    lc_error e;
    cJSON *out = NULL;
    char bad[512];
    const char *const missing[] = { "00000000-0000-4000-8000-00000000dead", NULL };
    lc_status st;

    ctl(sim, "/_sim/reset", NULL);
    lc_error_init(&e);
    snprintf(bad, sizeof(bad), "%s/_sim/nope", simproc_url(sim));
    cfg.auth_url = bad;
    ok(lc_client_new(&cfg, &c, &e) == LC_OK &&
       lc_call(c, "access_persons.get", missing, NULL, NULL, &out, &e) == LC_ERR_AUTH &&
       e.http_status == 404 && strcmp(e.request, "POST /oauth/token") == 0,
       "auth_url answering 404 is auth on \"%s\": %s", e.request, e.message);
    lc_client_free(c);
    c = test_client(sim, NULL, NULL);
    st = c ? lc_call(c, "access_persons.get", missing, NULL, NULL, &out, &e) : LC_ERR_NOMEM;
    ok((st == LC_ERR_API_GENERAL || st == LC_ERR_HTTP) && e.http_status == 404 &&
       strcmp(e.request, "GET /access_persons/:id") == 0,
       "an API 404 is %s on \"%s\": %s", lc_status_name(st), e.request, e.message);
    ctl(sim, "/_sim/fault", "{\"kind\":\"malformed\",\"count\":1,\"path\":\"/devices\"}");
    ok(list_devices(c, &e) == LC_ERR_PARSE && strcmp(e.request, "GET /devices") == 0,
       "a malformed answer names its request (\"%s\")", e.request);
    lc_client_free(c);
    cJSON_Delete(out);
    lc_error_clear(&e);
}

int main(void)
{
    simproc *sim = simproc_start(NULL);
    if (!sim) {
        ok(0, "simulator started");
        return tap_done();
    }
    snprintf(tf1, sizeof(tf1), "%s/tokens1.json", simproc_dir(sim));
    snprintf(tf2, sizeof(tf2), "%s/tokens2.json", simproc_dir(sim));
    snprintf(tf3, sizeof(tf3), "%s/tokens3.json", simproc_dir(sim));
    snprintf(tf4, sizeof(tf4), "%s/tokens4.json", simproc_dir(sim));
    snprintf(tf5, sizeof(tf5), "%s/tokens5.json", simproc_dir(sim));
    snprintf(tf6, sizeof(tf6), "%s/tokens6.json", simproc_dir(sim));
    test_client_credentials(sim);
    test_code_and_rotation(sim);
    test_expiry(sim);
    test_external_revoke(sim);
    test_revoke(sim);
    test_shared_file(sim);
    test_unsaved_rotation(sim);
    test_dead_refresh_token(sim);
    test_which_request(sim);
    ok(simproc_stop(sim) == 0, "simulator exited cleanly");
    return tap_done();
}
