/* The only part of the module that talks to the network: a client for this
 * login (deadline, 1 MiB answer cap, HTTPS only) handed to the core's access
 * pipeline (fetch, then the pure decision); its outcome goes to result.c's
 * table, with the core's word on which document's request failed. */
#include <stdio.h>
#include <string.h>

#include <lockcloud/policy.h>

#include "check.h"
#include "../core/src/errors.h"
#include "map.h"
#include "places_index.h"

/* Every id the map accepts must be one the core's pipeline accepts. */
_Static_assert(LCPAM_ID_MAX <= LC_ACCESS_ID_MAX, "map ids longer than the core takes");

#define CONNECT_TIMEOUT_MS 5000L
/* A person document is a few KiB; nothing the module reads comes near
 * this. The cap also scales the parser's value budget, so a hostile
 * answer costs little memory (the library default is 16 MiB). */
#define PAM_MAX_RESPONSE_BYTES (1024u * 1024u)
/* A login waits for no rate-limit window (a 429 is an outage at once, for
 * failmode) and sends nothing again: one answer decides. (The core would
 * start no pause past the deadline, so resends could be allowed; the
 * module's answer tests arm a single 5xx answer and expect it to decide.) */
#define PAM_MAX_RETRIES LC_OFF

static void fail(lcpam_outcome *out, const lcpam_conf *conf, const lc_error *err,
                 unsigned failed)
{
    out->decision.rule = lc_rule_name(conf->rule.kind);
    lcpam_outcome_from_error(out, err, failed);
}

static void fail_local(lcpam_outcome *out, const lcpam_conf *conf, lc_status st,
                       const char *message)
{
    lc_error err;

    lc_error_init(&err);
    err.kind = st;
    snprintf(err.message, sizeof err.message, "%s", message);
    fail(out, conf, &err, 0);
}

/* The pure decision, with what lockcloud sync stored for scheduled
 * accesses (no request). A places file that is missing, refused or
 * malformed, or that lacks a schedule or zone this decision needs, is a
 * local fault (LC_ERR_USAGE/IO naming the file): a deny built on it would
 * be cached and would end sessions (lockcloud sweep) for want of a sync. */
static lc_status decide_with_places(const lcpam_conf *conf, lc_access_docs *docs, time_t now,
                                    lc_decision *decision, lc_error *err)
{
    lcpam_places *places;
    lc_status st = lcpam_places_lend(conf->places_file, docs, &places, err);

    if (st != LC_OK)
        return st;
    lc_access_evaluate(&conf->rule, docs, now, decision);
    if (lcpam_places_release(places, decision))
        return lc_err_set(err, LC_ERR_USAGE, "places file %s: %s", conf->places_file,
                          decision->reason);
    return LC_OK;
}

void lcpam_check(const lcpam_conf *conf, const lcpam_creds *creds,
                 const char *person_id, long budget_ms, time_t now,
                 lc_log_fn log, void *log_userdata, lcpam_outcome *out)
{
    lc_client *client = NULL;
    lc_access_docs docs;
    lc_decision decision;
    unsigned failed = 0;
    int places_fault = 0;
    lc_config cfg;
    lc_error err;
    lc_status st;

    memset(out, 0, sizeof *out);
    if (budget_ms <= 0) {
        /* Nothing was asked of the cloud: reading the files or the account
         * lookup took the whole timeout. That is local, not an outage, so
         * failmode = safe must not turn it into PAM_IGNORE. */
        fail_local(out, conf, LC_ERR_TIMEOUT,
                   "deadline used up before the cloud was asked (local work took the whole timeout)");
        out->kind = LCPAM_LOCAL;
        return;
    }
    memset(&cfg, 0, sizeof cfg);
    cfg.api_url = conf->api_url;
    cfg.auth_url = conf->auth_url;
    cfg.client_id = creds->client_id;
    cfg.client_secret = creds->client_secret;
    cfg.cafile = conf->cafile;
    cfg.token_file = conf->token_file;
    cfg.connect_timeout_ms = budget_ms < CONNECT_TIMEOUT_MS ? budget_ms : CONNECT_TIMEOUT_MS;
    cfg.timeout_ms = budget_ms;
    cfg.allow_http = 0;
    cfg.max_response_bytes = PAM_MAX_RESPONSE_BYTES;
    cfg.max_rate_wait_ms = LC_OFF;
    cfg.max_retries = PAM_MAX_RETRIES;
    cfg.log = log;
    cfg.log_userdata = log_userdata;

    lc_error_init(&err);
    st = lc_client_new(&cfg, &client, &err);
    /* The client could not be made: local, never a TLS outage, so
     * PAM_SERVICE_ERR whatever the failmode. A cafile whose PEM contents
     * do not parse (the configuration check read only the file: parsing
     * needs libcrypto, which a cached decision must not load) is a usage
     * error, logged as the configuration error it is; a token file it
     * cannot use is logged with its path and errno. */
    if (st != LC_OK) {
        fail(out, conf, &err, 0);
        out->kind = LCPAM_LOCAL;
        out->config_error = err.kind == LC_ERR_USAGE;
        lc_error_clear(&err);
        return;
    }
    lc_client_set_deadline_ms(client, budget_ms);
    /* The core fetches what the rule needs (refusing, before any request,
     * a rule whose documents it cannot fetch or an id it cannot use) and
     * decides; on a failure it says whose request failed (docs.failed). */
    st = lc_access_fetch(client, &conf->rule, person_id, &docs, &err);
    if (st == LC_OK)
        places_fault = decide_with_places(conf, &docs, now, &decision, &err) != LC_OK;
    failed = docs.failed;
    lc_access_docs_free(&docs);
    if (places_fault) {
        fail(out, conf, &err, 0);
        out->kind = LCPAM_LOCAL;
        out->config_error = 1;
    } else if (st != LC_OK) {
        fail(out, conf, &err, failed);
    } else {
        out->decision = decision;
        out->kind = decision.allow ? LCPAM_ALLOW : LCPAM_DENY;
        out->status = LC_OK;
    }
    lc_client_free(client);
    lc_error_clear(&err);
}
