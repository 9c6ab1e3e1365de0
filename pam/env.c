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
 *    classes do not depend on the caller's LANG/LC_*.
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
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env.h"

extern char **environ;

/* Static and never written: valid whenever a thread happens to read it. */
static char *empty_environment[] = { NULL };

void lcpam_env_begin(lcpam_env_guard *g)
{
    g->active = 1;
    g->saved_environ = environ;
    environ = empty_environment;
    g->saved_umask = umask(077);
    g->saved_locale = (locale_t)0;
    g->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (g->c_locale)
        g->saved_locale = uselocale(g->c_locale);
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
    if (g->c_locale) {
        uselocale(g->saved_locale);
        freelocale(g->c_locale);
        g->c_locale = (locale_t)0;
    }
    umask(g->saved_umask);
    environ = g->saved_environ;
}
