/*
 * Environment guard for one pam_sm_acct_mgmt call.
 *
 * The module runs as root inside su, sudo, sshd and login, and su runs the
 * account stack with the invoking user's environment and umask still in
 * place. Much of what we link reads the environment: libcurl's global init
 * opens SSLKEYLOGFILE (TLS secrets to any path, created with the caller's
 * umask: a local root), libcurl honours *_proxy, CURL_* and HOME/.netrc,
 * OpenSSL reads OPENSSL_CONF (which can load engines: code), SSL_CERT_FILE
 * and SSL_CERT_DIR, libc reads TZ, LOCALDOMAIN, RES_OPTIONS, HOSTALIASES.
 * None of it is ours to honour, so for the duration of the call:
 *  - environ points at an empty environment: every getenv() sees nothing;
 *  - umask is 077: anything created despite our care is private;
 *  - this thread uses the C locale: messages (strerror) and character
 *    classes do not depend on the caller's LANG/LC_*;
 *  - the resource limits a caller can lower before running a setuid
 *    program are lifted: with `ulimit -n 6` the TLS setup failed for want
 *    of a descriptor, an "outage" that failmode = safe turned into
 *    PAM_IGNORE (an expired guest admitted by a permitting stack); so did
 *    a soft limit of 1024 with all but two descriptors held open across
 *    exec, so free descriptors are counted, not just the limit; a low
 *    address-space limit does the same through a failed allocation inside
 *    OpenSSL, and a file-size limit kills the process (SIGXFSZ) while the
 *    token file is written. Root (the module's normal case) may raise hard
 *    limits; an unprivileged caller gets its soft limits raised to its
 *    hard ones. Limits are process-wide (same thread caveat as environ);
 *  - SIGCONT is watched: the caller may stop su (^Z, or kill -STOP: su's
 *    real uid is the caller's) in the middle of the check and continue it
 *    after the deadline; the timeout that follows is of its making, and
 *    failmode = safe turned it into PAM_IGNORE. The handler only sets a
 *    flag and then runs the host's own handler, if any; the caller's
 *    signal mask (inherited across exec) cannot hide SIGCONT from it.
 * The one-time initialisations (libcurl, OpenSSL) happen inside the first
 * call, so they too see only the empty environment. Log lines go back to
 * the host (libpam's pam_syslog) in the host's environment: see pause.
 *
 * Thread safety: environ and the umask are process-wide. A host thread that
 * calls getenv() while a check runs sees an empty environment (it never
 * sees freed memory: both arrays stay valid); one that calls setenv() or
 * putenv() meanwhile loses that change when we restore environ. PAM
 * handles are single-threaded and the hosts we serve (su, sudo, sshd's
 * monitor, login) do not change their environment from another thread
 * during a PAM call; a host that does must serialise PAM calls itself. The
 * locale switch is per thread (uselocale) and has no such limit.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env.h"

extern char **environ;

/* Static and never written: valid whenever a thread happens to read it. */
static char *empty_environment[] = { NULL };

/* Each limit is raised to want when allowed; below need the call would
 * fail in ways that look like an outage, so it is refused instead. */
static const struct {
    int id;
    const char *name;
    rlim_t want, need;
} limits[LCPAM_ENV_NLIMITS] = {
    { RLIMIT_NOFILE, "RLIMIT_NOFILE (open files)", 1024, LCPAM_ENV_FDS_NEEDED },
    { RLIMIT_FSIZE, "RLIMIT_FSIZE (file size)", RLIM_INFINITY, 1024L * 1024 },
    { RLIMIT_AS, "RLIMIT_AS (address space)", RLIM_INFINITY, 1024L * 1024 * 1024 },
    { RLIMIT_DATA, "RLIMIT_DATA (data size)", RLIM_INFINITY, 256L * 1024 * 1024 },
};

static void lift_limit(lcpam_env_guard *g, int i)
{
    struct rlimit want;

    g->limit_changed[i] = 0;
    if (getrlimit(limits[i].id, &g->saved_limits[i]) != 0)
        return;
    want = g->saved_limits[i];
    /* RLIM_INFINITY is the largest rlim_t: "at least" covers it. */
    if (want.rlim_cur >= limits[i].want)
        return;
    want.rlim_cur = limits[i].want;
    if (want.rlim_max < limits[i].want)
        want.rlim_max = limits[i].want;
    if (setrlimit(limits[i].id, &want) == 0) {
        g->limit_changed[i] = 1;
        return;
    }
    /* Not allowed to raise the hard limit (no CAP_SYS_RESOURCE): go as
     * far as it allows. */
    want = g->saved_limits[i];
    if (want.rlim_cur == want.rlim_max)
        return;
    want.rlim_cur = want.rlim_max;
    g->limit_changed[i] = setrlimit(limits[i].id, &want) == 0;
}

/* How many of want descriptors can be had right now (taken, then given
 * back). The limit alone says nothing: descriptors inherited across exec
 * (su does not close them) count against it. */
static int free_fds(int want)
{
    int held[LCPAM_ENV_FDS_NEEDED];
    int n = 0, base = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (want > LCPAM_ENV_FDS_NEEDED)
        want = LCPAM_ENV_FDS_NEEDED;
    if (base < 0)
        return 0;
    held[n++] = base;
    while (n < want && (held[n] = fcntl(base, F_DUPFD_CLOEXEC, 0)) >= 0)
        n++;
    for (int i = 0; i < n; i++)
        close(held[i]);
    return n;
}

/* The caller may hold all but a few descriptors below the limit: raise
 * the soft (and, for root, hard) limit above what it holds. */
static void make_room_for_fds(lcpam_env_guard *g)
{
    struct rlimit now, want;
    int got = free_fds(LCPAM_ENV_FDS_NEEDED);

    if (got >= LCPAM_ENV_FDS_NEEDED || getrlimit(RLIMIT_NOFILE, &now) != 0)
        return;
    if (!g->limit_changed[0])
        g->saved_limits[0] = now; /* untouched so far: still the caller's */
    want = now;
    want.rlim_cur = now.rlim_cur + (rlim_t)LCPAM_ENV_FDS_NEEDED;
    if (want.rlim_max < want.rlim_cur)
        want.rlim_max = want.rlim_cur;
    if (setrlimit(RLIMIT_NOFILE, &want) != 0) {
        if (now.rlim_cur == now.rlim_max)
            return;
        want = now;
        want.rlim_cur = now.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &want) != 0)
            return;
    }
    /* Entry 0 of limits[] is RLIMIT_NOFILE; its saved value is the caller's. */
    g->limit_changed[0] = 1;
}

int lcpam_env_check(const lcpam_env_guard *g, char *err, size_t errlen)
{
    struct rlimit now;
    int got;

    (void)g;
    got = free_fds(LCPAM_ENV_FDS_NEEDED);
    if (got < LCPAM_ENV_FDS_NEEDED) {
        snprintf(err, errlen, "only %d free file descriptors, below the %d a check needs "
                 "(held or limited by the caller and not raisable)", got, LCPAM_ENV_FDS_NEEDED);
        return -1;
    }
    for (int i = 0; i < LCPAM_ENV_NLIMITS; i++) {
        if (getrlimit(limits[i].id, &now) != 0 || now.rlim_cur >= limits[i].need)
            continue;
        snprintf(err, errlen, "resource limit %s is %llu, below the %llu a check needs "
                 "(lowered by the caller and not raisable)", limits[i].name,
                 (unsigned long long)now.rlim_cur, (unsigned long long)limits[i].need);
        return -1;
    }
    return 0;
}

/* Set by the handler; the host's action for SIGCONT while we watch. One
 * check at a time per process, as for environ. */
static volatile sig_atomic_t continued;
static struct sigaction host_cont;

static void on_cont(int sig, siginfo_t *info, void *ctx)
{
    continued = 1;
    if (host_cont.sa_flags & SA_SIGINFO) {
        if (host_cont.sa_sigaction)
            host_cont.sa_sigaction(sig, info, ctx);
    } else if (host_cont.sa_handler != SIG_DFL && host_cont.sa_handler != SIG_IGN &&
               host_cont.sa_handler) {
        host_cont.sa_handler(sig);
    }
}

static void watch_cont(lcpam_env_guard *g)
{
    struct sigaction sa;
    sigset_t cont;

    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_cont;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    continued = 0;
    g->watching = sigaction(SIGCONT, NULL, &host_cont) == 0 &&
                  sigaction(SIGCONT, &sa, &g->saved_cont) == 0;
    sigemptyset(&cont);
    sigaddset(&cont, SIGCONT);
    (void)pthread_sigmask(SIG_UNBLOCK, &cont, &g->saved_mask);
}

static void unwatch_cont(lcpam_env_guard *g)
{
    (void)pthread_sigmask(SIG_SETMASK, &g->saved_mask, NULL);
    if (g->watching)
        (void)sigaction(SIGCONT, &g->saved_cont, NULL);
    g->watching = 0;
}

int lcpam_env_was_stopped(const lcpam_env_guard *g)
{
    /* Not watching (sigaction failed): no proof either way; assume stopped. */
    return g && g->active && (continued || !g->watching);
}

void lcpam_env_begin(lcpam_env_guard *g)
{
    watch_cont(g);
    g->active = 1;
    g->saved_environ = environ;
    environ = empty_environment;
    g->saved_umask = umask(077);
    g->saved_locale = (locale_t)0;
    g->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (g->c_locale)
        g->saved_locale = uselocale(g->c_locale);
    for (int i = 0; i < LCPAM_ENV_NLIMITS; i++)
        lift_limit(g, i);
    make_room_for_fds(g);
}

void lcpam_env_pause(lcpam_env_guard *g)
{
    if (g && g->active)
        environ = g->saved_environ;
}

void lcpam_env_resume(lcpam_env_guard *g)
{
    if (g && g->active)
        environ = empty_environment;
}

void lcpam_env_end(lcpam_env_guard *g)
{
    g->active = 0;
    unwatch_cont(g);
    for (int i = 0; i < LCPAM_ENV_NLIMITS; i++)
        if (g->limit_changed[i])
            (void)setrlimit(limits[i].id, &g->saved_limits[i]);
    if (g->c_locale) {
        uselocale(g->saved_locale);
        freelocale(g->c_locale);
        g->c_locale = (locale_t)0;
    }
    umask(g->saved_umask);
    environ = g->saved_environ;
}
