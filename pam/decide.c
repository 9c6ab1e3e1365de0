/*
 * One decision for one account (decide.h): read the config, pick the rule,
 * map the user to an access person, answer from a fresh cached record or
 * ask the cloud within one deadline, apply the failmode, log one line.
 *
 * Nothing here talks to the network or to libpam: the online check comes
 * in through ctx->online, log lines leave through ctx->say. That keeps the
 * PAM module's cached path free of libcurl (pam/online_load.c) and lets the
 * command answer exactly what a login would.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <security/_pam_types.h>

#include "account.h"
#include "cache_step.h"
#include "decide.h"
#include "groups.h"
#include "identity_index.h"
#include "lines.h"
#include "rules.h"
/* The core's internals (linked statically), curl-free. */
#include "../core/src/clock.h"
#include "../core/src/text.h"

/* Everything one decision needs; lives on the stack of lcpam_decide. */
typedef struct call {
    const lcpam_decide_ctx *ctx;
    lcpam_verdict *v;
    long long start_ms;         /* lc_now_ms() when the decision began */
    char typed[LCPAM_SHOWN_MAX];  /* the name as typed when NSS spells it
                                     otherwise, else ""                   */
    char service[LCPAM_SHOWN_MAX];
    const char *rule;
    char rule_key[LCPAM_CACHE_RULE_MAX + 1]; /* the applied rule's canonical
                                     text: the decision cache's key       */
} call;

static void say(const call *c, int prio, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(const call *c, int prio, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    if (prio == LOG_DEBUG && !c->ctx->debug)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (c->ctx->say)
        c->ctx->say(c->ctx->say_userdata, prio, line);
}

/* Copies s for a log line: anything outside [A-Za-z0-9._@-] becomes '?',
 * so a hostile user name cannot forge fields or lines. */
static void log_safe(char *dst, size_t dstlen, const char *s)
{
    lc_text_sanitize(dst, dstlen, s ? s : "-", LC_TEXT_NAME);
}

static long elapsed_ms(const call *c)
{
    return (long)(lc_now_ms() - c->start_ms);
}

/* Library diagnostics: warnings and errors always, the rest with debug.
 * The library promises its messages carry no secrets or bodies. */
static void lib_log(void *userdata, int level, const char *message)
{
    const call *c = userdata;
    int prio = level <= LC_LOG_ERROR ? LOG_ERR : level == LC_LOG_WARN ? LOG_WARNING : LOG_DEBUG;

    if (level >= LC_LOG_INFO && !c->ctx->debug)
        return;
    say(c, prio, "liblockcloud: %s", message);
}

/* The one line per decision, and what the verdict says. detail is
 * preformatted, log-safe. user= is the account the decision is about;
 * typed_user= follows only when the login name was spelt otherwise ("ELI"
 * for the account "eli"). */
static int conclude(call *c, lcpam_verdict_kind kind, int code, int prio, const char *result,
                    const char *detail)
{
    lcpam_verdict *v = c->v;

    v->kind = kind;
    v->code = code;
    v->result = result;
    if (c->rule != v->rule)
        snprintf(v->rule, sizeof v->rule, "%s", c->rule);
    v->latency_ms = elapsed_ms(c);
    say(c, prio, "user=%s service=%s rule=%s result=%s %s source=%s latency_ms=%ld%s%s",
        v->user, c->service, c->rule, result, detail, v->source, v->latency_ms,
        c->typed[0] ? " typed_user=" : "", c->typed);
    return code;
}

static int local_error(call *c, int code, const char *what)
{
    c->v->config_error = 1;
    say(c, LOG_ERR, "%s", what);
    snprintf(c->v->reason, sizeof c->v->reason, "%.*s", (int)sizeof c->v->reason - 1, what);
    return conclude(c, LCPAM_V_ERROR, code, LOG_ERR, "error", "reason=\"configuration\"");
}

/* The kind follows the PAM code the login gets, so the command and the
 * sweep can never read an answer differently from the module. */
static lcpam_verdict_kind kind_of(int code)
{
    switch (code) {
    case PAM_SUCCESS:      return LCPAM_V_ALLOW;
    case PAM_PERM_DENIED:  return LCPAM_V_DENY;
    case PAM_USER_UNKNOWN: return LCPAM_V_UNMAPPED;
    case PAM_SERVICE_ERR:  return LCPAM_V_ERROR;
    default:               return LCPAM_V_OUTAGE; /* IGNORE, AUTHINFO_UNAVAIL */
    }
}

static int answer(call *c, const lcpam_conf *conf, const lcpam_outcome *out)
{
    const char *label;
    char detail[LC_REASON_MAX + 512];
    lcpam_verdict *v = c->v;
    int code = lcpam_pam_code(out, conf->failmode, &label);

    switch (out->kind) {
    case LCPAM_ALLOW:
    case LCPAM_DENY:
    case LCPAM_GONE:
        snprintf(detail, sizeof detail, "reason=\"%s\"", out->decision.reason);
        snprintf(v->reason, sizeof v->reason, "%s", out->decision.reason);
        v->valid_until = out->decision.valid_until;
        break;
    default:
        /* request: which one failed (a 404 from the token endpoint is not a
         * missing person); what: the library's message (path and errno for
         * local faults; secret-free by the library's contract). */
        snprintf(detail, sizeof detail, "error=%s http=%ld failmode=%s request=\"%s\" what=\"%s\"",
                 lc_status_name(out->status), out->http_status,
                 lcpam_failmode_name(conf->failmode),
                 out->request[0] ? out->request : "-", out->message);
        snprintf(v->reason, sizeof v->reason, "%s: %s", lc_status_name(out->status),
                 out->message);
        break;
    }
    if (code == PAM_PERM_DENIED)
        snprintf(v->tell, sizeof v->tell, "lockcloud: access denied: %s", out->decision.reason);
    else if (code == PAM_AUTHINFO_UNAVAIL)
        snprintf(v->tell, sizeof v->tell, "lockcloud: access service unavailable; try again later");
    return conclude(c, kind_of(code), code,
                    code == PAM_SUCCESS ? LOG_INFO : code == PAM_PERM_DENIED ? LOG_NOTICE
                    : out->kind == LCPAM_REMOTE ? LOG_WARNING : LOG_ERR, label, detail);
}

/* rules_file: the first line for this service, this account and its
 * groups (looked up only when the file names a group) gives the rule,
 * and c->rule names it as FILE:LINE. No line is a denial. Returns
 * PAM_SUCCESS with conf->rule set, else the answer, logged. */
static int pick_rule(call *c, lcpam_conf *conf, const lcpam_rules *rules, const char *user)
{
    char err[LCPAM_ERR_MAX + 64], file[160];
    lcpam_groups groups = { NULL, 0 };
    const lcpam_rule_line *line;

    if (rules->uses_groups && lcpam_groups_lookup(user, &groups, err, sizeof err) != 0)
        return local_error(c, PAM_SERVICE_ERR, err);
    line = lcpam_rules_match(rules, c->ctx->service, user, (const char *const *)groups.name,
                             groups.n);
    lcpam_groups_free(&groups);
    if (!line) {
        c->rule = "none";
        snprintf(c->v->reason, sizeof c->v->reason, "no line of the rules file matches");
        snprintf(c->v->tell, sizeof c->v->tell, "lockcloud: access denied: no rule admits this login");
        return conclude(c, LCPAM_V_DENY, PAM_PERM_DENIED, LOG_NOTICE, "deny",
                        "reason=\"no line of the rules file matches\"");
    }
    conf->rule = line->rule;
    snprintf(c->rule_key, sizeof c->rule_key, "%s", line->canonical);
    /* A path may hold '=' or '"': as a field value they must not forge one. */
    lc_text_sanitize(file, sizeof file, conf->rules_file, LC_TEXT_WORD);
    for (char *p = file; (p = strpbrk(p, "=\"")) != NULL; p++)
        *p = '?';
    snprintf(c->v->rule, sizeof c->v->rule, "%s:%u", file, line->lineno);
    c->rule = c->v->rule;
    return PAM_SUCCESS;
}

/* Who user is (map_file, then the identity index): MAPPED or INDEXED with
 * id set; every other answer is concluded here. */
static lcpam_who who_is(call *c, const lcpam_conf *conf, const char *user,
                        char id[LC_ACCESS_ID_MAX + 1])
{
    lcpam_index_info info;
    lc_error err;
    lcpam_who who;

    lc_error_init(&err);
    who = lcpam_identity_resolve(conf->map_file, &conf->identity, user, time(NULL), id, &info,
                                 &err);
    if (info.count && info.stale)
        say(c, LOG_WARNING, "the identity index is stale (built at %lld): run lockcloud sync",
            info.built_at);
    switch (who) {
    case LCPAM_WHO_MAPPED:
    case LCPAM_WHO_INDEXED:
        say(c, LOG_DEBUG, "user=%s is access person %s (%s)", c->v->user, id,
            who == LCPAM_WHO_MAPPED ? "map file" : "identity index");
        snprintf(c->v->person, sizeof c->v->person, "%s", id);
        break;
    case LCPAM_WHO_UNMAPPED:
        snprintf(c->v->reason, sizeof c->v->reason, "%s",
                 conf->identity.spec ? "not in map file or identity index" : "not in map file");
        conclude(c, LCPAM_V_UNMAPPED, PAM_USER_UNKNOWN, LOG_NOTICE, "user_unknown",
                 conf->identity.spec ? "reason=\"not in map file or identity index\""
                                     : "reason=\"not in map file\"");
        break;
    case LCPAM_WHO_AMBIGUOUS:
        /* two access persons fit this user: neither may be trusted */
        snprintf(c->v->reason, sizeof c->v->reason, "ambiguous identity: run lockcloud sync");
        snprintf(c->v->tell, sizeof c->v->tell, "lockcloud: access denied: ambiguous identity");
        conclude(c, LCPAM_V_DENY, PAM_PERM_DENIED, LOG_NOTICE, "deny",
                 "reason=\"ambiguous identity: run lockcloud sync\"");
        break;
    default:
        local_error(c, PAM_SERVICE_ERR, err.message);
        break;
    }
    lc_error_clear(&err);
    return who;
}

/* The decision for person id under conf->rule: a fresh cached record, or
 * the cloud (then stored), or under failmode cached during an outage the
 * last online decision (cache_step.h). */
static int decide_cached(call *c, const lcpam_conf *conf, const char *id)
{
    char err[LCPAM_ERR_MAX + 64];
    long long budget_ms = conf->timeout_s * 1000L;
    lcpam_cache_step step;
    lcpam_creds creds;
    lcpam_outcome out, outage;
    lcpam_from from;
    time_t decided_at;
    int r;

    /* Waiting on another login's check may take half the deadline; the
     * other half is left for our own request. */
    r = lcpam_cache_step_begin(&step, conf, id, c->rule_key, time(NULL), c->start_ms + budget_ms / 2,
                               &out, err, sizeof err);
    if (r < 0)
        return local_error(c, PAM_SERVICE_ERR, err);
    if (step.note[0])
        say(c, LOG_WARNING, "%s", step.note);
    if (r == 1) {
        c->v->source = "cached";
        return answer(c, conf, &out);
    }
    if (!c->ctx->online) {
        lcpam_cache_step_free(&step);
        return local_error(c, PAM_SERVICE_ERR, "no online check available");
    }
    if (lcpam_creds_load(conf->credentials_file, &creds, err, sizeof err) != 0) {
        lcpam_cache_step_free(&step);
        return local_error(c, PAM_SERVICE_ERR, err);
    }
    c->v->source = "online";
    /* One deadline for the whole call, config reading included. */
    decided_at = time(NULL);
    c->ctx->online(conf, &creds, id, budget_ms - elapsed_ms(c), decided_at, lib_log, c,
                   &out);
    lcpam_creds_free(&creds);
    if (out.kind == LCPAM_LOCAL && out.config_error) {
        c->v->source = "local";
        lcpam_cache_step_free(&step);
        return local_error(c, PAM_SERVICE_ERR, out.message);
    }
    /* A local failure before any request (the client could not be made:
     * bad token directory, cafile) never reached the cloud. */
    if (out.kind == LCPAM_LOCAL && !out.request[0])
        c->v->source = "local";
    /* Stopped and continued during the check: whoever did it (the caller
     * may signal su) chose how much time passed, so an outage now, most
     * likely a timeout, is not the cloud's word; failmode = safe would
     * turn it into PAM_IGNORE. A decision that did arrive stands. */
    if (out.kind == LCPAM_REMOTE && c->ctx->guard && lcpam_env_was_stopped(c->ctx->guard)) {
        say(c, LOG_ERR, "the process was stopped and continued during the check: "
            "its %s is not trusted as an outage", lc_status_name(out.status));
        out.kind = LCPAM_LOCAL;
    }
    step.note[0] = '\0';
    outage = out;
    from = lcpam_cache_step_end(&step, conf, decided_at, &out);
    lcpam_cache_step_free(&step);
    if (step.note[0])
        say(c, LOG_WARNING, "%s", step.note);
    if (from == LCPAM_FROM_OFFLINE) {
        c->v->source = "offline";
        say(c, LOG_WARNING, "the cloud gave no decision (%s: %s): the decision made online "
            "%lld s ago stands in (failmode cached, offline_grace %ld s)",
            lc_status_name(outage.status), outage.message,
            (long long)time(NULL) - step.offline_decided_at, conf->cache.offline_grace_s);
    }
    return answer(c, conf, &out);
}

/* Loads config, rules, map and credentials, then runs the check for the
 * account named user (canonical, see lcpam_decide). */
static int decide_as(call *c, const char *user)
{
    char err[LCPAM_ERR_MAX + 64];
    char id[LC_ACCESS_ID_MAX + 1];
    lcpam_conf conf;
    lcpam_who who;
    lcpam_rules rules = { NULL, 0, 0 };
    int code;

    if (lcpam_conf_load(c->ctx->config_path, &conf, err, sizeof err) != 0)
        return local_error(c, PAM_SERVICE_ERR, err);
    c->rule = lc_rule_name(conf.rule.kind);
    snprintf(c->rule_key, sizeof c->rule_key, "%s", conf.rule_text);
    /* Read before the map: a broken rules file refuses every login. */
    if (conf.rules_file && lcpam_rules_load(conf.rules_file, &rules, err, sizeof err) != 0) {
        lcpam_conf_free(&conf);
        return local_error(c, PAM_SERVICE_ERR, err);
    }

    who = who_is(c, &conf, user, id);
    if (who != LCPAM_WHO_MAPPED && who != LCPAM_WHO_INDEXED) {
        lcpam_rules_free(&rules);
        lcpam_conf_free(&conf);
        return c->v->code;
    }
    /* Unmapped users stay user_unknown whatever the rules say: the stack
     * decides for them as without rules_file. */
    if (conf.rules_file) {
        code = pick_rule(c, &conf, &rules, user);
        lcpam_rules_free(&rules);
        if (code != PAM_SUCCESS) {
            lcpam_conf_free(&conf);
            return code;
        }
    }

    code = decide_cached(c, &conf, id);
    lcpam_conf_free(&conf);
    return code;
}

/* The map is read under the account's own name, as NSS gives it: with a
 * directory that folds case, "ELI" found nothing in a map listing "eli",
 * the recommended stack ignored the user_unknown and pam_unix (via NSS)
 * let the same account in. A name NSS does not know is used as typed: no
 * account means no login (pam_unix and the services refuse it), and a
 * mapped one is still checked. A database that cannot answer is a local
 * error: which account this is, and so whether it is mapped, is unknown. */
int lcpam_decide(const lcpam_decide_ctx *ctx, const char *user, lcpam_verdict *v)
{
    char err[LCPAM_ERR_MAX + 64];
    lcpam_account acct;
    call c;
    int code;

    memset(&c, 0, sizeof c);
    memset(v, 0, sizeof *v);
    c.start_ms = lc_now_ms();
    c.ctx = ctx;
    c.v = v;
    c.rule = "none";
    v->source = "local";
    log_safe(c.service, sizeof c.service, ctx->service);
    log_safe(v->user, sizeof v->user, user);

    if (ctx->guard && lcpam_env_check(ctx->guard, err, sizeof err) != 0)
        return local_error(&c, PAM_SERVICE_ERR, err);
    if (lcpam_account_lookup(user, &acct, err, sizeof err) != 0)
        return local_error(&c, PAM_SERVICE_ERR, err);
    if (strcmp(acct.name, user) != 0) {
        memcpy(c.typed, v->user, sizeof c.typed);
        log_safe(v->user, sizeof v->user, acct.name);
    }
    if (!acct.known)
        say(&c, LOG_DEBUG, "user=%s is not in the user database: map looked up as typed", v->user);
    code = decide_as(&c, acct.name);
    lcpam_account_free(&acct);
    return code;
}
