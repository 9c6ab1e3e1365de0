/*
 * pam_lockcloud: gate logins on physical-access rules kept in the cloud.
 *
 * Account management is the hook (sshd public-key logins skip auth but
 * always run account). The other groups return PAM_IGNORE: evaluating in
 * auth too would call the cloud twice per login for the same answer.
 *
 * One call = read config, map the user to an access person, ask the cloud
 * within one deadline, evaluate the rule, log one line, answer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#define PAM_SM_ACCOUNT
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "account.h"
#include "args.h"
#include "check.h"
#include "conf.h"
#include "creds.h"
#include "env.h"
#include "map.h"
#include "lines.h"
#include "groups.h"
#include "rules.h"
#include "cache_step.h"
#include "identity_index.h"
/* The core's sanitizer (internal to liblockcloud, linked statically). */
#include "../core/src/text.h"

#define LCPAM_EXPORT __attribute__((visibility("default")))
#define SHOWN_MAX 65

/* Everything one call needs; lives on the stack of that call. */
typedef struct call {
    pam_handle_t *pamh;
    int debug;
    int silent;
    struct timespec start;
    char user[SHOWN_MAX];    /* log-safe copies: the account once known */
    char typed[SHOWN_MAX];   /* the name as typed when NSS spells it otherwise, else "" */
    char service[SHOWN_MAX];
    const char *service_raw; /* PAM_SERVICE as the application set it (rules) */
    const char *rule;
    char rule_at[192];       /* rules_file: "FILE:LINE" of the line applied */
    const char *source;      /* "online" once the cloud was asked, "cached" for
                                a fresh record, "offline" for a record standing
                                in for an unreachable cloud, else "local" */
    char rule_key[LCPAM_CACHE_RULE_MAX + 1]; /* the applied rule's canonical
                                text: the decision cache's key          */
    char tell[LC_REASON_MAX + 64]; /* message for the user, "" for none */
    lcpam_env_guard *guard;  /* set while the caller's environment is hidden */
} call;

/* pam_syslog belongs to the host (libpam; pam_wrapper in the tests reads
 * its own settings from the environment): it runs in the host's environment. */
static void say(const call *c, int prio, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(const call *c, int prio, const char *fmt, ...)
{
    va_list ap;

    lcpam_env_pause(c->guard);
    va_start(ap, fmt);
    pam_vsyslog(c->pamh, prio, fmt, ap);
    va_end(ap);
    lcpam_env_resume(c->guard);
}

/* Copies s for a log line: anything outside [A-Za-z0-9._@-] becomes '?',
 * so a hostile user name cannot forge fields or lines. */
static void log_safe(char *dst, size_t dstlen, const char *s)
{
    lc_text_sanitize(dst, dstlen, s ? s : "-", LC_TEXT_NAME);
}

static long elapsed_ms(const struct timespec *start)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000L + (now.tv_nsec - start->tv_nsec) / 1000000L;
}

/* Library diagnostics: warnings and errors always, the rest with debug.
 * The library promises its messages carry no secrets or bodies. */
static void lib_log(void *userdata, int level, const char *message)
{
    const call *c = userdata;
    int prio = level <= LC_LOG_ERROR ? LOG_ERR : level == LC_LOG_WARN ? LOG_WARNING : LOG_DEBUG;

    if (level >= LC_LOG_INFO && !c->debug)
        return;
    say(c, prio, "liblockcloud: %s", message);
}

/* The one line per decision. detail is preformatted, log-safe. user= is
 * the account the decision is about; typed_user= follows only when the
 * login name was spelt otherwise ("ELI" for the account "eli"). */
static void log_decision(const call *c, int prio, const char *result, const char *detail)
{
    say(c, prio, "user=%s service=%s rule=%s result=%s %s source=%s latency_ms=%ld%s%s",
        c->user, c->service, c->rule, result, detail, c->source, elapsed_ms(&c->start),
        c->typed[0] ? " typed_user=" : "", c->typed);
}

static int local_error(const call *c, int code, const char *what)
{
    say(c, LOG_ERR, "%s", what);
    log_decision(c, LOG_ERR, "error", "reason=\"configuration\"");
    return code;
}

static int answer(call *c, const lcpam_conf *conf, const lcpam_outcome *out)
{
    const char *label;
    char detail[LC_REASON_MAX + 512];
    int code = lcpam_pam_code(out, conf->failmode, &label);

    switch (out->kind) {
    case LCPAM_ALLOW:
    case LCPAM_DENY:
    case LCPAM_GONE:
        snprintf(detail, sizeof detail, "reason=\"%s\"", out->decision.reason);
        break;
    default:
        /* request: which one failed (a 404 from the token endpoint is not a
         * missing person); what: the library's message (path and errno for
         * local faults; secret-free by the library's contract). */
        snprintf(detail, sizeof detail, "error=%s http=%ld failmode=%s request=\"%s\" what=\"%s\"",
                 lc_status_name(out->status), out->http_status,
                 lcpam_failmode_name(conf->failmode),
                 out->request[0] ? out->request : "-", out->message);
        break;
    }
    log_decision(c, code == PAM_SUCCESS ? LOG_INFO : code == PAM_PERM_DENIED ? LOG_NOTICE
                    : out->kind == LCPAM_REMOTE ? LOG_WARNING : LOG_ERR, label, detail);

    if (code == PAM_PERM_DENIED)
        snprintf(c->tell, sizeof c->tell, "lockcloud: access denied: %s", out->decision.reason);
    else if (code == PAM_AUTHINFO_UNAVAIL)
        snprintf(c->tell, sizeof c->tell, "lockcloud: access service unavailable; try again later");
    return code;
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
    line = lcpam_rules_match(rules, c->service_raw, user, (const char *const *)groups.name,
                             groups.n);
    lcpam_groups_free(&groups);
    if (!line) {
        c->rule = "none";
        log_decision(c, LOG_NOTICE, "deny", "reason=\"no line of the rules file matches\"");
        snprintf(c->tell, sizeof c->tell, "lockcloud: access denied: no rule admits this login");
        return PAM_PERM_DENIED;
    }
    conf->rule = line->rule;
    snprintf(c->rule_key, sizeof c->rule_key, "%s", line->canonical);
    /* A path may hold '=' or '"': as a field value they must not forge one. */
    lc_text_sanitize(file, sizeof file, conf->rules_file, LC_TEXT_WORD);
    for (char *p = file; (p = strpbrk(p, "=\"")) != NULL; p++)
        *p = '?';
    snprintf(c->rule_at, sizeof c->rule_at, "%s:%u", file, line->lineno);
    c->rule = c->rule_at;
    return PAM_SUCCESS;
}

static lcpam_who who_is(call *c, const lcpam_conf *conf, const char *user,
                        char id[LC_ACCESS_ID_MAX + 1]);
static int decide_cached(call *c, const lcpam_conf *conf, const char *id);

/* Loads config, rules, map and credentials, then runs the check for the
 * account named user (canonical, see decide). */
static int decide_as(call *c, const char *config_path, const char *user)
{
    char err[LCPAM_ERR_MAX + 64];
    char id[LC_ACCESS_ID_MAX + 1];
    lcpam_conf conf;
    lcpam_who who;
    lcpam_rules rules = { NULL, 0, 0 };
    int code;

    if (lcpam_conf_load(config_path, &conf, err, sizeof err) != 0)
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
        return who == LCPAM_WHO_AMBIGUOUS ? PAM_PERM_DENIED
             : who == LCPAM_WHO_UNMAPPED ? PAM_USER_UNKNOWN : PAM_SERVICE_ERR;
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

/* Who user is (map_file, then the identity index): MAPPED or INDEXED with
 * id set; every other answer is logged here. */
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
        if (c->debug)
            say(c, LOG_DEBUG, "user=%s is access person %s (%s)", c->user, id,
                who == LCPAM_WHO_MAPPED ? "map file" : "identity index");
        break;
    case LCPAM_WHO_UNMAPPED:
        log_decision(c, LOG_NOTICE, "user_unknown",
                     conf->identity.spec ? "reason=\"not in map file or identity index\""
                                         : "reason=\"not in map file\"");
        break;
    case LCPAM_WHO_AMBIGUOUS:
        /* two access persons fit this user: neither may be trusted */
        log_decision(c, LOG_NOTICE, "deny", "reason=\"ambiguous identity: run lockcloud sync\"");
        snprintf(c->tell, sizeof c->tell, "lockcloud: access denied: ambiguous identity");
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
    long long budget_ms = conf->timeout_s * 1000L, start_ms;
    lcpam_cache_step step;
    lcpam_creds creds;
    lcpam_outcome out, outage;
    lcpam_from from;
    time_t decided_at;
    int r;

    start_ms = (long long)c->start.tv_sec * 1000 + c->start.tv_nsec / 1000000;
    /* Waiting on another login's check may take half the deadline; the
     * other half is left for our own request. */
    r = lcpam_cache_step_begin(&step, conf, id, c->rule_key, time(NULL), start_ms + budget_ms / 2,
                               &out, err, sizeof err);
    if (r < 0)
        return local_error(c, PAM_SERVICE_ERR, err);
    if (step.note[0])
        say(c, LOG_WARNING, "%s", step.note);
    if (r == 1) {
        c->source = "cached";
        return answer(c, conf, &out);
    }
    if (lcpam_creds_load(conf->credentials_file, &creds, err, sizeof err) != 0) {
        lcpam_cache_step_free(&step);
        return local_error(c, PAM_SERVICE_ERR, err);
    }
    c->source = "online";
    /* One deadline for the whole call, config reading included. */
    decided_at = time(NULL);
    lcpam_check(conf, &creds, id, budget_ms - elapsed_ms(&c->start), decided_at, lib_log, c,
                &out);
    lcpam_creds_free(&creds);
    /* A local failure before any request (the client could not be made:
     * bad token directory, cafile) never reached the cloud. */
    if (out.kind == LCPAM_LOCAL && !out.request[0])
        c->source = "local";
    /* Stopped and continued during the check: whoever did it (the caller
     * may signal su) chose how much time passed, so an outage now, most
     * likely a timeout, is not the cloud's word; failmode = safe would
     * turn it into PAM_IGNORE. A decision that did arrive stands. */
    if (out.kind == LCPAM_REMOTE && c->guard && lcpam_env_was_stopped(c->guard)) {
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
        c->source = "offline";
        say(c, LOG_WARNING, "the cloud gave no decision (%s: %s): the decision made online "
            "%lld s ago stands in (failmode cached, offline_grace %ld s)",
            lc_status_name(outage.status), outage.message,
            (long long)time(NULL) - step.offline_decided_at, conf->cache.offline_grace_s);
    }
    return answer(c, conf, &out);
}

/* The map is read under the account's own name, as NSS gives it: with a
 * directory that folds case, "ELI" found nothing in a map listing "eli",
 * the recommended stack ignored the user_unknown and pam_unix (via NSS)
 * let the same account in. A name NSS does not know is used as typed: no
 * account means no login (pam_unix and the services refuse it), and a
 * mapped one is still checked. A database that cannot answer is a local
 * error: which account this is, and so whether it is mapped, is unknown.
 * Inside the guard: NSS modules (libldap, for one) read the environment. */
static int decide(call *c, const char *config_path, const char *user)
{
    char err[LCPAM_ERR_MAX + 64];
    lcpam_account acct;
    int code;

    if (c->guard && lcpam_env_check(c->guard, err, sizeof err) != 0)
        return local_error(c, PAM_SERVICE_ERR, err);
    if (lcpam_account_lookup(user, &acct, err, sizeof err) != 0)
        return local_error(c, PAM_SERVICE_ERR, err);
    if (strcmp(acct.name, user) != 0) {
        memcpy(c->typed, c->user, sizeof c->typed);
        log_safe(c->user, sizeof c->user, acct.name);
    }
    if (!acct.known && c->debug)
        say(c, LOG_DEBUG, "user=%s is not in the user database: map looked up as typed", c->user);
    code = decide_as(c, config_path, acct.name);
    lcpam_account_free(&acct);
    return code;
}

/* The caller's environment, umask and locale play no part in a decision:
 * everything from reading the config to the answer runs inside the guard
 * (env.c). The application's conversation function (pam_get_user may
 * prompt; pam_error) runs outside it, in the application's own state. */
LCPAM_EXPORT int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    char err[LCPAM_ERR_MAX];
    const void *service = NULL;
    const char *user = NULL;
    lcpam_env_guard guard;
    lcpam_args args;
    call c;
    int r, code;

    memset(&c, 0, sizeof c);
    clock_gettime(CLOCK_MONOTONIC, &c.start);
    c.pamh = pamh;
    c.silent = (flags & PAM_SILENT) != 0;
    c.rule = "none";
    c.source = "local";
    if (pam_get_item(pamh, PAM_SERVICE, &service) != PAM_SUCCESS)
        service = NULL;
    log_safe(c.service, sizeof c.service, service);
    c.service_raw = service;

    if (lcpam_args_parse(argc, argv, &args, err, sizeof err) != 0) {
        log_safe(c.user, sizeof c.user, NULL);
        return local_error(&c, PAM_SERVICE_ERR, err);
    }
    c.debug = args.debug;

    r = pam_get_user(pamh, &user, NULL);
    log_safe(c.user, sizeof c.user, r == PAM_SUCCESS ? user : NULL);
    if (r != PAM_SUCCESS || !user || !*user) {
        log_decision(&c, LOG_NOTICE, "user_unknown", "reason=\"no user name\"");
        return r == PAM_CONV_AGAIN ? PAM_INCOMPLETE : PAM_USER_UNKNOWN;
    }

    lcpam_env_begin(&guard);
    c.guard = &guard;
    /* The deadline starts inside the guard: time spent in the application's
     * conversation (pam_get_user may prompt) is not the cloud's, and a stop
     * from here on is seen (lcpam_env_was_stopped). */
    clock_gettime(CLOCK_MONOTONIC, &c.start);
    code = decide(&c, args.config, user);
    c.guard = NULL;
    lcpam_env_end(&guard);

    if (!c.silent && c.tell[0])
        (void)pam_error(pamh, "%s", c.tell);
    return code;
}

/* Not evaluated here: see the comment at the top and pam_lockcloud(8). */
LCPAM_EXPORT int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    (void)pamh; (void)flags; (void)argc; (void)argv;
    return PAM_IGNORE;
}

LCPAM_EXPORT int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    (void)pamh; (void)flags; (void)argc; (void)argv;
    return PAM_IGNORE;
}

LCPAM_EXPORT int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    (void)pamh; (void)flags; (void)argc; (void)argv;
    return PAM_IGNORE;
}

LCPAM_EXPORT int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    (void)pamh; (void)flags; (void)argc; (void)argv;
    return PAM_IGNORE;
}

LCPAM_EXPORT int pam_sm_chauthtok(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    (void)pamh; (void)flags; (void)argc; (void)argv;
    return PAM_IGNORE;
}
