/* Configuration, credentials and the client, as the module reads them,
 * for an admin job rather than a login. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "creds.h"
#include "lines.h"

#include "../core/src/clock.h"
#include "../core/src/json_print.h"

void lccli_msg(const char *fmt, ...)
{
    va_list ap;

    fputs("lockcloud: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int lccli_usage(const char *sub, const char *what, const char *usage)
{
    lccli_msg("%s: %s", sub, what);
    fputs(usage, stderr);
    return LCCLI_USAGE;
}

int lccli_flush(int rc)
{
    if (rc == LCCLI_OK && fflush(stdout) != 0) {
        lccli_msg("cannot write the output");
        return LCCLI_FAIL;
    }
    return rc;
}

int lccli_json_out(cJSON *doc, int built, const char *sub)
{
    char *text = NULL;
    lc_error err;
    int r = -1;

    lc_error_init(&err);
    if (!built || !doc) {
        lccli_msg("%s: out of memory", sub);
    } else if (lc_json_print(doc, &text, NULL, &err) != LC_OK) {
        lccli_error("json", &err);
    } else {
        puts(text); /* a failed write is lccli_flush's to say */
        r = 0;
    }
    free(text);
    lc_error_clear(&err);
    cJSON_Delete(doc);
    return r;
}

void lccli_error(const char *what, const lc_error *err)
{
    char line[700];

    /* The core's one line: sanitised, never a secret. */
    lc_error_render(err, line, sizeof line);
    fprintf(stderr, "lockcloud: %s: %s\n", what,
            strncmp(line, "lockcloud: ", 11) == 0 ? line + 11 : line);
}

int lccli_load_conf(lccli *c, const char *path)
{
    char err[LCPAM_ERR_MAX * 2];

    memset(c, 0, sizeof *c);
    c->config_path = path ? path : LCPAM_DEFAULT_CONFIG;
    if (lcpam_conf_load(c->config_path, &c->conf, err, sizeof err) != 0) {
        lccli_msg("configuration: %s", err);
        return LCCLI_USAGE;
    }
    return LCCLI_OK;
}

/* WARN and ERROR lines of the core (rate-limit waits, resends) go to
 * stderr; they never hold a secret. */
static void log_line(void *ud, int level, const char *message)
{
    (void)ud;
    if (level <= LC_LOG_WARN)
        lccli_msg("%s", message);
}

int lccli_connect(lccli *c)
{
    char err[LCPAM_ERR_MAX * 2];
    lcpam_creds creds;
    lc_config cfg;
    lc_error lerr;
    lc_status st;

    if (lcpam_creds_load(c->conf.credentials_file, &creds, err, sizeof err) != 0) {
        lccli_msg("credentials: %s", err);
        return LCCLI_USAGE;
    }
    memset(&cfg, 0, sizeof cfg);
    cfg.api_url = c->conf.api_url;
    cfg.auth_url = c->conf.auth_url;
    cfg.cafile = c->conf.cafile;
    cfg.token_file = c->conf.token_file;
    cfg.client_id = creds.client_id;
    cfg.client_secret = creds.client_secret;
    cfg.timeout_ms = c->conf.timeout_s * 1000L;
    cfg.log = log_line;
    lc_error_init(&lerr);
    st = lc_client_new(&cfg, &c->client, &lerr);
    /* The client copied the secret; our copy goes now. */
    lcpam_creds_free(&creds);
    if (st != LC_OK) {
        lccli_error("client", &lerr);
        lc_error_clear(&lerr);
        return st == LC_ERR_USAGE ? LCCLI_USAGE : LCCLI_FAIL;
    }
    return LCCLI_OK;
}

void lccli_close(lccli *c)
{
    lc_client_free(c->client);
    lcpam_conf_free(&c->conf);
    memset(c, 0, sizeof *c);
}

/* The core waits only once a window is used up, the quickest schedule for
 * one client; but logins share the account's budget and are refused on a
 * 429, so a long walk stops short of it. */
static void spare_budget(lc_client *client)
{
    long limit, remaining;
    long long reset, wait_s;
    time_t now = time(NULL);

    lc_client_rate_limit(client, &limit, &remaining, &reset);
    if (limit <= 0 || remaining < 0 || remaining * 4 >= limit || reset <= (long long)now)
        return;
    wait_s = reset - (long long)now + 1;
    lc_sleep_ms(1000 * (wait_s > 61 ? 61 : wait_s));
}

int lccli_each_person(lc_client *client, lc_query *query, lccli_person_fn fn, void *ctx)
{
    return lccli_each(client, "access_persons.list", NULL, query, "access persons", fn, ctx);
}

int lccli_each(lc_client *client, const char *endpoint, lc_query *args, lc_query *query,
               const char *what, lccli_person_fn fn, void *ctx)
{
    lc_pager *pager = NULL;
    const cJSON *item;
    long page = 0, at = 0;
    lc_error err;
    lc_status st;

    lc_error_init(&err);
    st = lc_pager_new(client, endpoint, args, query, 0, &pager, &err);
    while (st == LC_OK) {
        st = lc_pager_next(pager, &item, &err);
        if (st != LC_OK || !item)
            break;
        lc_pager_position(pager, NULL, &at);
        if (at != page) {
            page = at;
            spare_budget(client);
        }
        st = fn(ctx, item, &err);
    }
    lc_pager_free(pager);
    if (st != LC_OK) {
        lccli_error(what, &err);
        lc_error_clear(&err);
        return LCCLI_FAIL;
    }
    return LCCLI_OK;
}
