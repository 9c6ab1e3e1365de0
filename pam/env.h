/* The caller's process state must not steer the module (see env.c). */
#ifndef LCPAM_ENV_H
#define LCPAM_ENV_H

#include <locale.h>
#include <signal.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

/* The resource limits the guard lifts for the call (see env.c). */
#define LCPAM_ENV_NLIMITS 4
/* Free descriptors a check needs (sockets, CA bundle, token file, lock). */
#define LCPAM_ENV_FDS_NEEDED 64

typedef struct lcpam_env_guard {
    int active;             /* between begin and end */
    char **saved_environ;
    mode_t saved_umask;
    locale_t c_locale;      /* (locale_t)0 when newlocale failed */
    locale_t saved_locale;
    struct rlimit saved_limits[LCPAM_ENV_NLIMITS];
    int limit_changed[LCPAM_ENV_NLIMITS];
    int watching;           /* our SIGCONT handler is installed */
    struct sigaction saved_cont;
    sigset_t saved_mask;
} lcpam_env_guard;

/* From here to lcpam_env_end: an empty environment, umask 077, the C
 * locale (for this thread), resource limits no caller has lowered
 * (open files, file size, memory) and SIGCONT watched (unblocked for this
 * thread; a host handler still runs). Never fails. */
void lcpam_env_begin(lcpam_env_guard *g);

/* 0 when every lifted limit is high enough for a check; else -1 and err
 * names the limit (the caller refuses with PAM_SERVICE_ERR: a check
 * starved of descriptors or memory would fail like an outage). */
int lcpam_env_check(const lcpam_env_guard *g, char *err, size_t errlen);

/* 1 when the process was stopped and continued (SIGCONT) since
 * lcpam_env_begin: the caller (it may signal su, or press ^Z) then chose
 * how much time passed, so a timeout proves nothing about the cloud. */
int lcpam_env_was_stopped(const lcpam_env_guard *g);

/* Calls back into the host (pam_syslog: libpam, syslog, a test harness
 * such as pam_wrapper) run in the host's own environment: pause before,
 * resume after. Both are no-ops when g is NULL or not active. */
void lcpam_env_pause(lcpam_env_guard *g);
void lcpam_env_resume(lcpam_env_guard *g);

/* Puts back exactly what lcpam_env_begin found. Call on every return path. */
void lcpam_env_end(lcpam_env_guard *g);

#endif
