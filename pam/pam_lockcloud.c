/*
 * pam_lockcloud: gate logins on physical-access rules kept in the cloud.
 *
 * Account management is the hook (sshd public-key logins skip auth but
 * always run account). The other groups return PAM_IGNORE: evaluating in
 * auth too would call the cloud twice per login for the same answer.
 *
 * This file is the libpam side: the user and service, the environment
 * guard, the message. The decision is decide.c's; the network part is
 * loaded only when a login needs the cloud (online_load.c), so a cached
 * decision never maps libcurl or libcrypto.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#define PAM_SM_ACCOUNT
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "args.h"
#include "decide.h"
#include "env.h"
#include "online_load.h"
/* The core's sanitizer (internal to liblockcloud, linked statically). */
#include "../core/src/text.h"

#define LCPAM_EXPORT __attribute__((visibility("default")))

typedef struct host {
    pam_handle_t *pamh;
    lcpam_env_guard *guard; /* set while the caller's environment is hidden */
} host;

/* pam_syslog belongs to the host (libpam; pam_wrapper in the tests reads
 * its own settings from the environment): it runs in the host's environment. */
static void host_say(void *userdata, int prio, const char *line)
{
    host *h = userdata;

    if (h->guard)
        lcpam_env_pause(h->guard);
    pam_syslog(h->pamh, prio, "%s", line);
    if (h->guard)
        lcpam_env_resume(h->guard);
}

/* Before a user is known: the same one line as decide.c's. */
static int early_answer(host *h, const char *service, const char *user, int code,
                        const char *result, const char *reason)
{
    char line[512], svc[LCPAM_SHOWN_MAX], who[LCPAM_SHOWN_MAX];

    lc_text_sanitize(svc, sizeof svc, service ? service : "-", LC_TEXT_NAME);
    lc_text_sanitize(who, sizeof who, user ? user : "-", LC_TEXT_NAME);
    if (code == PAM_SERVICE_ERR)
        host_say(h, LOG_ERR, reason);
    snprintf(line, sizeof line, "user=%s service=%s rule=none result=%s reason=\"%s\" "
             "source=local latency_ms=0", who, svc, result,
             code == PAM_SERVICE_ERR ? "configuration" : reason);
    host_say(h, code == PAM_SERVICE_ERR ? LOG_ERR : LOG_NOTICE, line);
    return code;
}

/* The caller's environment, umask and locale play no part in a decision:
 * everything from reading the config to the answer runs inside the guard
 * (env.c). The application's conversation function (pam_get_user may
 * prompt; pam_error) runs outside it, in the application's own state. */
LCPAM_EXPORT int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    char err[256];
    const void *service = NULL;
    const char *user = NULL;
    lcpam_env_guard guard;
    lcpam_decide_ctx ctx;
    lcpam_verdict v;
    lcpam_args args;
    host h = { pamh, NULL };
    int r;

    if (pam_get_item(pamh, PAM_SERVICE, &service) != PAM_SUCCESS)
        service = NULL;
    if (lcpam_args_parse(argc, argv, &args, err, sizeof err) != 0)
        return early_answer(&h, service, NULL, PAM_SERVICE_ERR, "error", err);

    r = pam_get_user(pamh, &user, NULL);
    if (r != PAM_SUCCESS || !user || !*user) {
        early_answer(&h, service, r == PAM_SUCCESS ? user : NULL, PAM_USER_UNKNOWN,
                     "user_unknown", "no user name");
        return r == PAM_CONV_AGAIN ? PAM_INCOMPLETE : PAM_USER_UNKNOWN;
    }

    memset(&ctx, 0, sizeof ctx);
    ctx.config_path = args.config;
    ctx.service = service;
    ctx.debug = args.debug;
    ctx.guard = &guard;
    ctx.online = lcpam_online_check;
    ctx.say = host_say;
    ctx.say_userdata = &h;
    /* The deadline starts inside the guard: time spent in the application's
     * conversation (pam_get_user may prompt) is not the cloud's, and a stop
     * from here on is seen (lcpam_env_was_stopped). */
    lcpam_env_begin(&guard);
    h.guard = &guard;
    lcpam_decide(&ctx, user, &v);
    h.guard = NULL;
    lcpam_env_end(&guard);

    if (!(flags & PAM_SILENT) && v.tell[0])
        (void)pam_error(pamh, "%s", v.tell);
    return v.code;
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
