/* One decision for one account, the way a login takes it: configuration,
 * rules file, identity (map file, then the identity index), the decision
 * cache, the online check, failmode. The PAM module and the `lockcloud`
 * command (check, sweep) share it, so the command answers exactly what a
 * login would. It logs the one line per decision through ctx->log. */
#ifndef LCPAM_DECIDE_H
#define LCPAM_DECIDE_H

#include <time.h>
#include <lockcloud/policy.h>

#include "conf.h"
#include "creds.h"
#include "env.h"
#include "result.h"

/* The online check (check.h's lcpam_check). The module reaches it through
 * its network part, loaded only when a login needs the cloud; the command
 * links it. */
typedef void lcpam_online_fn(const lcpam_conf *conf, const lcpam_creds *creds,
                             const char *person_id, long budget_ms, time_t now,
                             lc_log_fn log, void *log_userdata, lcpam_outcome *out);

/* What kind of answer a decision is (the command's exit status and the
 * sweep follow it; the PAM code is in lcpam_verdict.code). */
typedef enum lcpam_verdict_kind {
    LCPAM_V_ALLOW,    /* the rule admits the user                         */
    LCPAM_V_DENY,     /* the rule refuses: the cloud's word, a record of it,
                         a rules file line (deny, no line), an ambiguous
                         identity or a person the cloud no longer has      */
    LCPAM_V_UNMAPPED, /* the user maps to no access person                */
    LCPAM_V_OUTAGE,   /* the cloud gave no decision (failmode applied)    */
    LCPAM_V_ERROR     /* configuration or local fault (PAM_SERVICE_ERR)   */
} lcpam_verdict_kind;

#define LCPAM_SHOWN_MAX 65

typedef struct lcpam_verdict {
    lcpam_verdict_kind kind;
    int code;                      /* the PAM answer                        */
    const char *result;            /* the log's result= word                */
    const char *source;            /* "online", "cached", "offline", "local" */
    char user[LCPAM_SHOWN_MAX];    /* the account, log-safe                 */
    char rule[192];                /* "FILE:LINE", a rule name or "none"   */
    char person[LC_ACCESS_ID_MAX + 1]; /* the access person, "" if none     */
    char reason[400];              /* why (DENY, ALLOW), or what failed      */
    char tell[LC_REASON_MAX + 64]; /* the message for the user, "" for none */
    time_t valid_until;            /* decision's own limit; 0 unknown       */
    int config_error;              /* ERROR: the configuration or the
                                      installation is at fault (not a local
                                      runtime fault such as a token file)  */
    long latency_ms;
} lcpam_verdict;

/* Receives log lines (syslog priority, text without newline). */
typedef void lcpam_say_fn(void *userdata, int prio, const char *line);

typedef struct lcpam_decide_ctx {
    const char *config_path;
    const char *service;       /* the PAM service (rules file), may be NULL */
    int debug;                 /* debug lines too                           */
    lcpam_env_guard *guard;    /* the module's environment guard, or NULL   */
    lcpam_online_fn *online;   /* NULL: no online check possible (error)    */
    lcpam_say_fn *say;
    void *say_userdata;
} lcpam_decide_ctx;

/* Decides for the account user (as given; NSS's spelling is used when it
 * differs) and fills *v. Returns v->code. The deadline (timeout in the
 * configuration) counts from this call. */
int lcpam_decide(const lcpam_decide_ctx *ctx, const char *user, lcpam_verdict *v);

#endif
