/*
 * The caller's environment, umask and resource limits play no part in a
 * PAM decision (issue 5, item 1 and its siblings). Through real libpam (pam_start_confdir, the built
 * module, the simulator over HTTPS), each check runs in a fresh process
 * (this program re-executed with --call) so that libcurl's and OpenSSL's
 * one-time initialisation happens inside the module's call, as under su:
 * The service is "failmode = safe" in front of pam_permit, so anything that
 * turns into an outage (PAM_IGNORE) lets expired eli in: the worst case.
 *  - clean environment: the reference decisions (casey allowed, eli denied);
 *  - hostile environment and umask 0: SSLKEYLOGFILE, every proxy variable (pointing at a loopback
 *    listener that counts connections), bad CA bundle variables, an
 *    OPENSSL_CONF that breaks every handshake, HOME with a .netrc, TZ,
 *    resolver variables. Same decisions, no key log file, no proxy
 *    connection, no group/world-writable file created;
 *  - low soft limits (6 open files, file size 0): same decisions;
 *  - a hard limit of 6 open files (raisable only with CAP_SYS_RESOURCE):
 *    eli is never let in (denied, or PAM_SERVICE_ERR when not raisable);
 *  - a limit of 1024 with all but 1..4 descriptors held open across exec:
 *    eli is never let in, casey still is;
 *  - after pam_acct_mgmt returns, environ (pointer and strings), the umask,
 *    the limits, the host's SIGCONT handler and its signal mask (SIGCONT
 *    blocked) are exactly what they were (the guard watches SIGCONT).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <security/pam_appl.h>

#include "simproc.h"
#include "tap.h"

#define CASEY "30000000-0000-4000-8000-000000000002"
#define ELI   "30000000-0000-4000-8000-000000000004"

extern char **environ;

/* ---- child: one PAM call, then report what it changed ------------------- */

static void host_on_cont(int sig)
{
    (void)sig;
}

static int no_conv(int n, const struct pam_message **msg, struct pam_response **resp, void *ud)
{
    (void)n; (void)msg; (void)resp; (void)ud;
    return PAM_CONV_ERR;
}

static int call_mode(const char *confdir, const char *service, const char *user)
{
    struct pam_conv conv = { no_conv, NULL };
    char **before = environ;
    char **copy;
    size_t n = 0;
    mode_t mask = umask(0);
    struct rlimit files[2], fsize[2];
    pam_handle_t *h = NULL;
    int rc, env_same = 1, limits_same, signals_same;
    struct sigaction cont[2], host;
    sigset_t block, masks[2];

    umask(mask);
    /* The host's own SIGCONT handler and a mask blocking SIGCONT: both
     * must be exactly as they were after the call. */
    memset(&host, 0, sizeof host);
    host.sa_handler = host_on_cont;
    sigemptyset(&host.sa_mask);
    sigaction(SIGCONT, &host, NULL);
    sigemptyset(&block);
    sigaddset(&block, SIGCONT);
    sigprocmask(SIG_BLOCK, &block, NULL);
    sigaction(SIGCONT, NULL, &cont[0]);
    sigprocmask(SIG_BLOCK, NULL, &masks[0]);
    getrlimit(RLIMIT_NOFILE, &files[0]);
    getrlimit(RLIMIT_FSIZE, &fsize[0]);
    while (environ[n])
        n++;
    copy = calloc(n + 1, sizeof *copy);
    for (size_t i = 0; copy && i < n; i++)
        copy[i] = strdup(environ[i]);
    rc = pam_start_confdir(service, user, &conv, confdir, &h);
    if (rc == PAM_SUCCESS)
        rc = pam_acct_mgmt(h, PAM_SILENT);
    if (environ != before || !copy)
        env_same = 0;
    for (size_t i = 0; env_same && i <= n; i++) {
        if (i == n ? environ[i] != NULL : (!environ[i] || !copy[i] || strcmp(environ[i], copy[i]) != 0))
            env_same = 0;
    }
    getrlimit(RLIMIT_NOFILE, &files[1]);
    getrlimit(RLIMIT_FSIZE, &fsize[1]);
    limits_same = files[0].rlim_cur == files[1].rlim_cur && files[0].rlim_max == files[1].rlim_max &&
                  fsize[0].rlim_cur == fsize[1].rlim_cur && fsize[0].rlim_max == fsize[1].rlim_max;
    sigaction(SIGCONT, NULL, &cont[1]);
    sigprocmask(SIG_BLOCK, NULL, &masks[1]);
    signals_same = cont[1].sa_handler == host_on_cont && cont[0].sa_flags == cont[1].sa_flags &&
                   sigismember(&masks[1], SIGCONT) == 1 && sigismember(&masks[0], SIGCONT) == 1;
    if (!signals_same)
        limits_same = 0; /* reported with the limits: process state the caller set */
    printf("rc=%d env=%s umask=%s limits=%s\n", rc, env_same ? "same" : "changed",
           umask(mask) == mask ? "same" : "changed", limits_same ? "same" : "changed");
    if (h)
        pam_end(h, rc);
    for (size_t i = 0; copy && i < n; i++)
        free(copy[i]);
    free(copy);
    return 0;
}

/* ---- parent ---------------------------------------------------------------- */

static char dir[512];
static char proxy_url[64];

static const char *at(const char *name)
{
    static char paths[8][600];
    static int next;
    char *p = paths[next++ % 8];

    snprintf(p, 600, "%s/%s", dir, name);
    return p;
}

static int put(const char *name, const char *content, mode_t mode)
{
    const char *p = at(name);
    FILE *f = fopen(p, "w");

    if (!f)
        return -1;
    fputs(content, f);
    if (fclose(f) != 0)
        return -1;
    return chmod(p, mode);
}

typedef struct run_result {
    int rc;
    int env_same;
    int umask_same;
    int limits_same;
} run_result;

/* What the caller lowers before the call; 0 = leave alone. */
typedef struct caller_limits {
    rlim_t files_soft, files_hard;
    int fsize_zero;     /* soft file size limit 0 */
    int free_fds;       /* soft limit 1024 (the guard's goal), all but this
                         * many descriptors held open across exec */
} caller_limits;

static void lower_limits(const caller_limits *l)
{
    struct rlimit r;

    if (l->files_soft && getrlimit(RLIMIT_NOFILE, &r) == 0) {
        r.rlim_cur = l->files_soft;
        if (l->files_hard)
            r.rlim_max = l->files_hard;
        setrlimit(RLIMIT_NOFILE, &r);
    }
    if (l->fsize_zero && getrlimit(RLIMIT_FSIZE, &r) == 0) {
        r.rlim_cur = 0;
        setrlimit(RLIMIT_FSIZE, &r);
    }
    if (l->free_fds && getrlimit(RLIMIT_NOFILE, &r) == 0) {
        int last = -1, fd;

        r.rlim_cur = 1024;
        if (r.rlim_max < r.rlim_cur)
            r.rlim_max = r.rlim_cur;
        setrlimit(RLIMIT_NOFILE, &r);
        /* Inherited by the exec'd program: dup() clears FD_CLOEXEC. */
        while ((fd = dup(2)) >= 0)
            last = fd;
        for (int i = 0; i < l->free_fds && last > 2; i++)
            close(last--);
    }
}

/* Runs this program with --call in envp, umask mask and limits lim;
 * parses its report. */
static int run_call(char *const envp[], mode_t mask, const caller_limits *lim, const char *user,
                    run_result *r)
{
    char line[256] = "";
    char env_word[16] = "", umask_word[16] = "", limits_word[16] = "";
    int fds[2], status;
    pid_t pid;
    FILE *in;

    memset(r, 0, sizeof *r);
    r->rc = -1;
    if (pipe(fds) != 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        char *const argv[] = { "test_env_guard", "--call", (char *)at("services"), "lc",
                               (char *)user, NULL };
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        umask(mask);
        lower_limits(lim);
        execve("/proc/self/exe", argv, envp);
        _exit(127);
    }
    close(fds[1]);
    in = fdopen(fds[0], "r");
    while (in && fgets(line, sizeof line, in))
        if (strncmp(line, "rc=", 3) == 0)
            break;
    if (in)
        fclose(in);
    waitpid(pid, &status, 0);
    if (sscanf(line, "rc=%d env=%15s umask=%15s limits=%15s", &r->rc, env_word, umask_word,
               limits_word) != 4) {
        diag("no report from the call (status %d)", status);
        return -1;
    }
    r->env_same = strcmp(env_word, "same") == 0;
    r->umask_same = strcmp(umask_word, "same") == 0;
    r->limits_same = strcmp(limits_word, "same") == 0;
    return 0;
}

/* A loopback listener standing in for a proxy: counts connections made. */
static int listener(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        return -1;
    snprintf(proxy_url, sizeof proxy_url, "http://127.0.0.1:%u", ntohs(a.sin_port));
    return fd;
}

static int connections(int fd)
{
    int n = 0, c;

    while ((c = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
        close(c);
        n++;
    }
    return n;
}

/* Files under dir that are group or world writable (made under umask 0). */
static int loose_files(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char sub[1024];
    struct stat st;
    int n = 0;

    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        if (lstat(sub, &st) != 0 || S_ISLNK(st.st_mode))
            continue;
        if (st.st_mode & (S_IWGRP | S_IWOTH)) {
            diag("group/world writable: %s (%04o)", sub, (unsigned)(st.st_mode & 07777));
            n++;
        }
        if (S_ISDIR(st.st_mode))
            n += loose_files(sub);
    }
    if (d)
        closedir(d);
    return n;
}

static int setup(simproc *sim, const char *module)
{
    char text[4096];
    int bad = 0;

    snprintf(dir, sizeof dir, "%s/pamenv", simproc_dir(sim));
    if (mkdir(dir, 0700) != 0 || mkdir(at("services"), 0700) != 0 || mkdir(at("state"), 0700) != 0 ||
        mkdir(at("home"), 0755) != 0)
        return -1;
    bad |= put("credentials", "client_id = " SIMPROC_CLIENT_ID "\nclient_secret = "
               SIMPROC_CLIENT_SECRET "\n", 0600);
    bad |= put("map", "casey " CASEY "\neli " ELI "\n", 0644);
    snprintf(text, sizeof text,
             "api_url = %s\nauth_url = %s\ncafile = %s\ncredentials_file = %s\n"
             "map_file = %s\ntoken_file = %s\ntimeout = 30\nfailmode = safe\n",
             simproc_url(sim), simproc_url(sim), simproc_ca(sim), at("credentials"), at("map"),
             at("state/token"));
    bad |= put("lockcloud.conf", text, 0644);
    /* Worst case: an outage (PAM_IGNORE) falls through to pam_permit. */
    snprintf(text, sizeof text, "account required %s config=%s\naccount required pam_permit.so\n",
             module, at("lockcloud.conf"));
    bad |= put("services/lc", text, 0644);
    /* The hostile side: a bundle that verifies nothing, an OpenSSL config
     * that allows no cipher suite the server offers, a .netrc. */
    bad |= put("bad-bundle.pem", "-----BEGIN CERTIFICATE-----\nnot base64\n"
               "-----END CERTIFICATE-----\n", 0644);
    bad |= put("openssl.cnf", "openssl_conf = init\n[init]\nssl_conf = ssl\n[ssl]\n"
               "system_default = sys\n[sys]\nMinProtocol = TLSv1.3\n"
               "Ciphersuites = TLS_AES_128_CCM_8_SHA256\nCipherString = aNULL\n", 0644);
    bad |= put("home/.netrc", "machine 127.0.0.1 login mallory password netrc-secret\n", 0600);
    return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
    const char *build = getenv("LC_BUILD") ? getenv("LC_BUILD") : "build";
    char module[600], e[24][700];
    char *clean[4], *hostile[25];
    run_result ref[2], got[2];
    const char *users[2] = { "casey", "eli" };
    const int want[2] = { PAM_SUCCESS, PAM_PERM_DENIED };
    struct stat st;
    simproc *sim;
    int lfd, n = 0;

    if (argc == 5 && strcmp(argv[1], "--call") == 0)
        return call_mode(argv[2], argv[3], argv[4]);

    snprintf(module, sizeof module, "%s/pam_lockcloud.so", build);
    if (module[0] != '/' || stat(module, &st) != 0) {
        ok(0, "module %s built (set LC_BUILD to an absolute build dir)", module);
        return tap_done();
    }
    sim = simproc_start(NULL);
    if (!sim || setup(sim, module) != 0 || (lfd = listener()) < 0) {
        ok(0, "simulator, files and proxy listener set up");
        simproc_stop(sim);
        return tap_done();
    }

    clean[0] = "PATH=/usr/bin:/bin";
    clean[1] = NULL;
#define HOSTILE(...) snprintf(e[n], sizeof e[n], __VA_ARGS__), hostile[n] = e[n], n++
    HOSTILE("PATH=/usr/bin:/bin");
    HOSTILE("SSLKEYLOGFILE=%s", at("keylog"));
    HOSTILE("http_proxy=%s", proxy_url);
    HOSTILE("https_proxy=%s", proxy_url);
    HOSTILE("HTTPS_PROXY=%s", proxy_url);
    HOSTILE("ALL_PROXY=%s", proxy_url);
    HOSTILE("all_proxy=%s", proxy_url);
    HOSTILE("CURL_CA_BUNDLE=%s", at("bad-bundle.pem"));
    HOSTILE("SSL_CERT_FILE=%s", at("bad-bundle.pem"));
    HOSTILE("SSL_CERT_DIR=%s", dir);
    HOSTILE("OPENSSL_CONF=%s", at("openssl.cnf"));
    HOSTILE("HOME=%s", at("home"));
    HOSTILE("CURL_HOME=%s", at("home"));
    HOSTILE("TZ=XYZ-14:00");
    HOSTILE("RES_OPTIONS=timeout:30 attempts:5");
    HOSTILE("LOCALDOMAIN=example.invalid");
    HOSTILE("LC_ALL=C.UTF-8");
    hostile[n] = NULL;

    {
        const caller_limits none = { 0, 0, 0, 0 };
        const caller_limits low = { 6, 0, 1, 0 };
        const caller_limits hard = { 6, 6, 0, 0 };

        for (int i = 0; i < 2; i++) {
            int r1 = run_call(clean, 022, &none, users[i], &ref[i]);
            ok(r1 == 0 && ref[i].rc == want[i], "clean environment: %s -> %s (got %d)", users[i],
               want[i] == PAM_SUCCESS ? "PAM_SUCCESS" : "PAM_PERM_DENIED", ref[i].rc);
        }
        for (int i = 0; i < 2; i++) {
            int r1 = run_call(hostile, 0, &none, users[i], &got[i]);
            ok(r1 == 0 && got[i].rc == ref[i].rc,
               "hostile environment, umask 0: %s gets the same decision (%d, clean %d)",
               users[i], got[i].rc, ref[i].rc);
            ok(got[i].env_same, "%s: after the call environ is the same array with the same strings",
               users[i]);
            ok(got[i].umask_same, "%s: after the call the umask is the caller's again (0)", users[i]);
        }
        for (int i = 0; i < 2; i++) {
            int r1 = run_call(clean, 022, &low, users[i], &got[i]);
            ok(r1 == 0 && got[i].rc == ref[i].rc,
               "soft limits of 6 open files and file size 0: %s gets the same decision (%d, clean %d)",
               users[i], got[i].rc, ref[i].rc);
            ok(got[i].limits_same, "%s: after the call the resource limits are the caller's again",
               users[i]);
        }
        /* The hard limit: raised where the module may (CAP_SYS_RESOURCE),
         * else the check is refused; never an outage that lets eli in. */
        run_call(clean, 022, &hard, "eli", &got[1]);
        ok(got[1].rc == PAM_PERM_DENIED || got[1].rc == PAM_SERVICE_ERR,
           "hard limit of 6 open files: eli denied or PAM_SERVICE_ERR, never let in (got %d)", got[1].rc);
        ok(got[1].limits_same, "hard limit case: the limits are the caller's again");
    }
    /* The limit is high enough but the caller holds all but a few
     * descriptors across exec (su keeps them): with 2 free the config
     * files were read and the TLS setup failed, an outage, so eli was let
     * in. Free descriptors are counted and made room for. */
    for (int k = 1; k <= 4; k++) {
        const caller_limits fill = { 0, 0, 0, k };
        run_call(clean, 022, &fill, "eli", &got[1]);
        ok(got[1].rc == PAM_PERM_DENIED || got[1].rc == PAM_SERVICE_ERR,
           "%d descriptor(s) left free below a 1024 limit: eli denied or PAM_SERVICE_ERR, never let in "
           "(got %d)", k, got[1].rc);
        ok(got[1].limits_same, "%d free: the limits are the caller's again", k);
    }
    {
        const caller_limits fill = { 0, 0, 0, 2 };
        run_call(clean, 022, &fill, "casey", &got[0]);
        ok(got[0].rc == PAM_SUCCESS, "2 descriptors free: casey still allowed (room made, got %d)",
           got[0].rc);
    }
    ok(stat(at("keylog"), &st) != 0 && errno == ENOENT, "SSLKEYLOGFILE was never created");
    n = connections(lfd);
    ok(n == 0, "no connection reached the proxy listener (%d)", n);
    ok(loose_files(dir) == 0, "nothing group or world writable was created under umask 0");
    ok(stat(at("state/token"), &st) == 0 && (st.st_mode & 077) == 0,
       "the token file exists and is private");

    close(lfd);
    simproc_stop(sim); /* removes dir with the simulator's temp dir */
    return tap_done();
}
