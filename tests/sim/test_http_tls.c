/* lockcloud-sim transport: generated CA, wrong CA, --cert/--key, --http,
 * IPv6 loopback, the command line (loopback only, bad arguments exit 2). */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "http_common.h"

extern char **environ;

static const char *sim_bin(void)
{
    const char *b = getenv("LC_SIM_BIN");
    return b && *b ? b : "build/lockcloud-sim";
}

/* Runs the simulator with args (stdout/stderr to /dev/null) and returns its
 * exit status, killing it if it is still running after 10 s (a refused
 * command line must exit at once, never serve). */
static int run_sim(const char *const *args)
{
    const char *argv[16] = {sim_bin()};
    size_t n = 1;
    for (size_t i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    for (int i = 0; i < 1000; i++) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -2;
}

/* GET url with libcurl directly; returns the CURLcode, status in *status. */
static int raw_get(const char *url, const char *cafile, long *status)
{
    CURL *c = curl_easy_init();
    *status = 0;
    if (!c)
        return -1;
    FILE *devnull = fopen("/dev/null", "w");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, devnull);
    if (cafile)
        curl_easy_setopt(c, CURLOPT_CAINFO, cafile);
    int rc = (int)curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(c);
    if (devnull)
        fclose(devnull);
    return rc;
}

static void test_generated_ca(void)
{
    simproc *a = start_or_die(NULL);
    simproc *b = start_or_die(NULL);
    ok(strncmp(simproc_url(a), "https://127.0.0.1:", 18) == 0,
       "first stdout line is the https base URL with the real port (%s)", simproc_url(a));
    struct stat st;
    ok(stat(simproc_ca(a), &st) == 0 && (st.st_mode & 0777) == 0644,
       "--ca-out wrote the CA certificate with mode 0644");
    simproc_res r;
    long s = simproc_http(a, &(simproc_req){.path = "/_sim/clock"}, &r);
    ok(s == 200 && r.curl_code == 0, "HTTPS verified against the generated CA: 200 (%ld)", s);
    simproc_res_free(&r);

    /* The other simulator's CA must not vouch for this one. */
    s = simproc_http(a, &(simproc_req){.path = "/_sim/clock", .cafile = simproc_ca(b),
                                       .fresh_connection = 1}, &r);
    ok(s == 0 && r.curl_code == CURLE_PEER_FAILED_VERIFICATION,
       "a different CA is refused (curl code %d)", r.curl_code);
    simproc_res_free(&r);

    /* The certificate names localhost too (hostname verification on). */
    char url[300];
    snprintf(url, sizeof(url), "https://localhost:%s/_sim/clock",
             strrchr(simproc_url(a), ':') + 1);
    int rc = raw_get(url, simproc_ca(a), &s);
    ok(rc == 0 && s == 200, "https://localhost:PORT verifies too (curl %d, %ld)", rc, s);
    /* Plain HTTP to the TLS port gets no HTTP answer. */
    snprintf(url, sizeof(url), "http://127.0.0.1:%s/_sim/clock", strrchr(simproc_url(a), ':') + 1);
    rc = raw_get(url, NULL, &s);
    ok(s != 200, "plain HTTP to the HTTPS port is not served (curl %d, status %ld)", rc, s);

    ok(simproc_stop(a) == 0 && simproc_stop(b) == 0, "both simulators exit 0 on SIGTERM");
}

static void test_http_mode(void)
{
    static const char *const args[] = {"--http", NULL};
    simproc *sim = start_or_die(args);
    ok(strncmp(simproc_url(sim), "http://127.0.0.1:", 17) == 0 && simproc_ca(sim) == NULL,
       "--http: base URL is http:// (%s)", simproc_url(sim));
    ok(sim_ctl(sim, "GET", "/_sim/clock", NULL, NULL) == 200, "--http serves plain HTTP");
    char url[300];
    long s;
    snprintf(url, sizeof(url), "https://127.0.0.1:%s/_sim/clock",
             strrchr(simproc_url(sim), ':') + 1);
    int rc = raw_get(url, NULL, &s);
    ok(rc != 0 && s == 0, "--http does not speak TLS (curl %d)", rc);
    ok(simproc_stop(sim) == 0, "--http simulator exits 0");
}

static void test_cert_files(void)
{
    char dir[] = "/tmp/lcsimtls.XXXXXX";
    if (!mkdtemp(dir)) {
        skip("mkdtemp failed");
        return;
    }
    char cmd[1024], cert[64], key[64];
    snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
    snprintf(key, sizeof(key), "%s/key.pem", dir);
    snprintf(cmd, sizeof(cmd),
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
             "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost "
             "-keyout %s -out %s >/dev/null 2>&1", key, cert);
    if (system(cmd) != 0) {
        skip("openssl command line tool unavailable");
        return;
    }
    const char *args[] = {"--cert", cert, "--key", key, NULL};
    simproc *sim = simproc_start(args);
    simproc_res r;
    long s = simproc_http(sim, &(simproc_req){.path = "/_sim/clock", .cafile = cert}, &r);
    ok(sim && s == 200, "--cert/--key: serves the given certificate (%ld, curl %d)", s,
       r.curl_code);
    simproc_res_free(&r);
    ok(simproc_stop(sim) == 0, "--cert simulator exits 0");

    const char *swapped[] = {"--cert", key, "--key", cert, NULL};
    ok(run_sim(swapped) == 1, "--cert/--key swapped: start-up error, exit 1");
    const char *missing[] = {"--cert", "/nonexistent/c.pem", "--key", key, NULL};
    ok(run_sim(missing) == 1, "--cert of a missing file: exit 1");
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        diag("could not remove %s", dir);
}

static void test_ipv6(void)
{
    static const char *const args[] = {"--listen", "[::1]:0", NULL};
    /* simproc adds --listen 127.0.0.1:0 first; the later --listen wins. */
    simproc *sim = simproc_start(args);
    if (!sim) {
        skip("no IPv6 loopback here");
        return;
    }
    ok(strncmp(simproc_url(sim), "https://[::1]:", 14) == 0, "--listen [::1]:0 gives %s",
       simproc_url(sim));
    ok(sim_ctl(sim, "GET", "/_sim/clock", NULL, NULL) == 200,
       "HTTPS over ::1 verifies (IP:::1 in the certificate)");
    simproc_stop(sim);
}

static void test_command_line(void)
{
    static const struct { const char *args[6]; const char *what; } bad[] = {
        {{"--listen", "0.0.0.0:0"}, "--listen 0.0.0.0:0"},
        {{"--listen", "10.1.2.3:8443"}, "--listen 10.1.2.3:8443"},
        {{"--listen", "192.168.1.10:0"}, "--listen 192.168.1.10:0"},
        {{"--listen", "[::]:0"}, "--listen [::]:0"},
        {{"--listen", "[fe80::1]:0"}, "--listen [fe80::1]:0"},
        {{"--listen", "example.com:443"}, "--listen example.com:443 (names other than localhost)"},
        {{"--listen", "127.0.0.1"}, "--listen without a port"},
        {{"--listen", "127.0.0.1:70000"}, "--listen with port 70000"},
        {{"--listen"}, "--listen without a value"},
        {{"--rate-limit", "0/60"}, "--rate-limit 0/60"},
        {{"--rate-limit", "10"}, "--rate-limit without a window"},
        {{"--rate-limit", "ten/60"}, "--rate-limit ten/60"},
        {{"--token-ttl", "-5"}, "--token-ttl -5"},
        {{"--token-ttl", "1e3"}, "--token-ttl 1e3"},
        {{"--cert", "/tmp/x.pem"}, "--cert without --key"},
        {{"--cert", "/tmp/c", "--key", "/tmp/k", "--ca-out", "/tmp/ca"}, "--cert with --ca-out"},
        {{"--bogus"}, "an unknown option"},
        {{"extra"}, "a stray argument"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int st = run_sim(bad[i].args);
        ok(st == 2, "%s: refused with exit 2 (got %d)", bad[i].what, st);
    }
    static const char *const help[] = {"--help", NULL};
    ok(run_sim(help) == 0, "--help exits 0");
    static const char *const nofix[] = {"--listen", "127.0.0.1:0", "--fixture",
                                        "/nonexistent/fixture.json", NULL};
    ok(run_sim(nofix) == 1, "a missing --fixture file: exit 1");
    static const char *const badca[] = {"--listen", "127.0.0.1:0", "--ca-out",
                                        "/nonexistent/dir/ca.pem", NULL};
    ok(run_sim(badca) == 1, "an unwritable --ca-out: exit 1");
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    test_generated_ca();
    test_http_mode();
    test_cert_files();
    test_ipv6();
    test_command_line();
    curl_global_cleanup();
    return tap_done();
}
