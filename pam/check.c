/* The only part of the module that talks to the network. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "map.h"

#define CONNECT_TIMEOUT_MS 5000L
/* A person document is a few KiB; nothing the module reads comes near
 * this. The cap also scales the parser's value budget, so a hostile
 * answer costs little memory (the library default is 16 MiB). */
#define PAM_MAX_RESPONSE_BYTES (1024u * 1024u)

static void fail(lcpam_outcome *out, const lcpam_conf *conf, const lc_error *err)
{
    out->decision.rule = lc_rule_name(conf->rule.kind);
    lcpam_outcome_from_error(out, err);
}

static void fail_local(lcpam_outcome *out, const lcpam_conf *conf, lc_status st,
                       const char *message)
{
    lc_error err;

    lc_error_init(&err);
    err.kind = st;
    snprintf(err.message, sizeof err.message, "%s", message);
    fail(out, conf, &err);
}

/* Map ids are hex, in either case (the map file allows both); the cloud
 * writes them in lower case. ASCII only: no locale may change an id. */
static int lower_id(char *dst, size_t dstlen, const char *id)
{
    size_t i;

    for (i = 0; id[i]; i++) {
        if (i + 1 >= dstlen)
            return -1;
        dst[i] = (id[i] >= 'A' && id[i] <= 'Z') ? (char)(id[i] - 'A' + 'a') : id[i];
    }
    dst[i] = '\0';
    return 0;
}

void lcpam_check(const lcpam_conf *conf, const lcpam_creds *creds,
                 const char *person_id, long budget_ms, time_t now,
                 lc_log_fn log, void *log_userdata, lcpam_outcome *out)
{
    char id[LCPAM_ID_MAX + 1];
    const char *const path_args[] = { id, NULL };
    lc_policy_input in;
    lc_client *client = NULL;
    lc_config cfg;
    lc_error err;
    cJSON *doc = NULL;
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
    if (lower_id(id, sizeof id, person_id) != 0) {
        fail_local(out, conf, LC_ERR_USAGE, "access person id is too long");
        return;
    }
    /* Only the person document exists in this slice; refuse rules that
     * would need data we do not fetch rather than evaluate them blind. */
    if (lc_rule_needs(&conf->rule) != LC_NEED_PERSON) {
        fail_local(out, conf, LC_ERR_USAGE, "the rule needs data this module does not fetch");
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
    cfg.log = log;
    cfg.log_userdata = log_userdata;

    lc_error_init(&err);
    st = lc_client_new(&cfg, &client, &err);
    if (st == LC_OK) {
        lc_client_set_deadline_ms(client, budget_ms);
        st = lc_call(client, "access_persons.get", path_args, NULL, NULL, &doc, &err);
    }
    if (st != LC_OK) {
        fail(out, conf, &err);
    } else {
        memset(&in, 0, sizeof in);
        in.person = doc;
        in.person_id = id;
        in.now = now;
        out->kind = lc_policy_evaluate(&conf->rule, &in, &out->decision)
                    ? LCPAM_ALLOW : LCPAM_DENY;
        out->status = LC_OK;
    }
    cJSON_Delete(doc);
    lc_client_free(client);
    lc_error_clear(&err);
}
