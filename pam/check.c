/* The only part of the module that talks to the network. */
#include <string.h>

#include "check.h"

#define CONNECT_TIMEOUT_MS 5000L

static void fail(lcpam_outcome *out, const lcpam_conf *conf, lc_status st, long http)
{
    out->decision.rule = lc_rule_name(conf->rule.kind);
    lcpam_outcome_from_error(out, st, http);
}

void lcpam_check(const lcpam_conf *conf, const lcpam_creds *creds,
                 const char *person_id, long budget_ms, time_t now,
                 lc_log_fn log, void *log_userdata, lcpam_outcome *out)
{
    const char *const path_args[] = { person_id, NULL };
    lc_policy_input in;
    lc_client *client = NULL;
    lc_config cfg;
    lc_error err;
    cJSON *doc = NULL;
    lc_status st;

    memset(out, 0, sizeof *out);
    if (budget_ms <= 0) {
        fail(out, conf, LC_ERR_TIMEOUT, 0);
        return;
    }
    /* Only the person document exists in this slice; refuse rules that
     * would need data we do not fetch rather than evaluate them blind. */
    if (lc_rule_needs(&conf->rule) != LC_NEED_PERSON) {
        fail(out, conf, LC_ERR_USAGE, 0);
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
    cfg.log = log;
    cfg.log_userdata = log_userdata;

    lc_error_init(&err);
    st = lc_client_new(&cfg, &client, &err);
    if (st == LC_OK) {
        lc_client_set_deadline_ms(client, budget_ms);
        st = lc_call(client, "access_persons.get", path_args, NULL, NULL, &doc, &err);
    }
    if (st != LC_OK) {
        fail(out, conf, st, err.http_status);
    } else {
        memset(&in, 0, sizeof in);
        in.person = doc;
        in.person_id = person_id;
        in.now = now;
        out->kind = lc_policy_evaluate(&conf->rule, &in, &out->decision)
                    ? LCPAM_ALLOW : LCPAM_DENY;
        out->status = LC_OK;
    }
    cJSON_Delete(doc);
    lc_client_free(client);
    lc_error_clear(&err);
}
