/* Name resolution is bounded by the client's timeout and deadline. A DNS
 * server that never answers (tests/lib/silent_dns.c) is made the only
 * resolver of this process through a private mount namespace whose
 * /etc/resolv.conf (glibc timeout 30 s) and /etc/nsswitch.conf are bind
 * mounts of files written here; the host's files are never touched. The
 * API and OAuth URLs use a name under .invalid, which must go to DNS.
 * Without CURLOPT_QUICK_EXIT libcurl joins its resolver thread before
 * returning, so each call below took the full 30 s. Needs root (mount
 * namespace, port 53); skipped with the reason otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "coretest.h"
#include "silent_dns.h"

#define RESOLVER_SILENCE_S 30  /* glibc waits this long per attempt        */
#define TIMEOUT_MS         2000
#define BOUND_MS           10000 /* generous: the fix gives ~2 s, none 30 s */

static char dir[] = "/tmp/lcdnsXXXXXX";
static char resolv[300], nss[300];

static int write_text(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int good = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    if (fd >= 0)
        close(fd);
    return good;
}

/* Moves this process into a private mount namespace where the silent
 * server is the only resolver. Returns 0, or -1 with why (skip reason). */
static int private_resolver(const silent_dns *d, char *why, size_t n)
{
    char text[256];
    struct stat st;

    if (unshare(CLONE_NEWNS) != 0) {
        snprintf(why, n, "mount namespaces unavailable: unshare: %s", strerror(errno));
        return -1;
    }
    /* Private propagation first, so no mount below reaches the host. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        snprintf(why, n, "cannot make mounts private: %s", strerror(errno));
        return -1;
    }
    if (stat("/etc/resolv.conf", &st) != 0) {
        snprintf(why, n, "no /etc/resolv.conf to cover: %s", strerror(errno));
        return -1;
    }
    snprintf(resolv, sizeof(resolv), "%s/resolv.conf", dir);
    snprintf(nss, sizeof(nss), "%s/nsswitch.conf", dir);
    snprintf(text, sizeof(text), "nameserver %s\noptions timeout:%d attempts:1\n", d->addr,
             RESOLVER_SILENCE_S);
    if (!write_text(resolv, text) || !write_text(nss, "hosts: files dns\n")) {
        snprintf(why, n, "cannot write %s: %s", dir, strerror(errno));
        return -1;
    }
    if (mount(resolv, "/etc/resolv.conf", NULL, MS_BIND, NULL) != 0) {
        snprintf(why, n, "cannot bind-mount resolv.conf: %s", strerror(errno));
        return -1;
    }
    if (stat("/etc/nsswitch.conf", &st) == 0 &&
        mount(nss, "/etc/nsswitch.conf", NULL, MS_BIND, NULL) != 0) {
        snprintf(why, n, "cannot bind-mount nsswitch.conf: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static lc_client *dns_client(long timeout_ms, test_log *log)
{
    lc_config cfg;
    lc_client *c = NULL;
    lc_error e;

    memset(&cfg, 0, sizeof(cfg));
    cfg.api_url = "https://api.lockcloud.invalid";
    cfg.auth_url = "https://auth.lockcloud.invalid";
    cfg.client_id = "dns-test-client";
    cfg.client_secret = "dns-test-secret";
    cfg.timeout_ms = timeout_ms;
    cfg.connect_timeout_ms = timeout_ms;
    cfg.log = test_log_cb;
    cfg.log_userdata = log;
    lc_error_init(&e);
    if (lc_client_new(&cfg, &c, &e) != LC_OK)
        diag("lc_client_new: %s", e.message);
    lc_error_clear(&e);
    return c;
}

/* One call through a silent resolver: it must end as a timeout (or a
 * transport error) within the bound, naming the token request. */
static void one_call(silent_dns *d, const char *label, long timeout_ms, long deadline_ms)
{
    test_log log = { .len = 0 };
    lc_client *c = dns_client(timeout_ms, &log);
    lc_error e;
    cJSON *out = NULL;
    long long t0, took;
    lc_status st;

    lc_error_init(&e);
    if (c && deadline_ms)
        lc_client_set_deadline_ms(c, deadline_ms);
    t0 = mono_ms();
    st = c ? lc_call(c, "devices.list", NULL, NULL, NULL, &out, &e) : LC_ERR_NOMEM;
    took = mono_ms() - t0;
    ok(st == LC_ERR_TIMEOUT || st == LC_ERR_TRANSPORT, "%s: %s: %s", label,
       lc_status_name(st), e.message);
    ok(took < BOUND_MS, "%s: returned within %d ms of a %d s resolver silence (%lld ms)",
       label, BOUND_MS, RESOLVER_SILENCE_S, took);
    ok(strcmp(e.request, "POST /oauth/token") == 0, "%s: the error names the token request "
       "(\"%s\")", label, e.request);
    ok(silent_dns_queries(d) > 0, "%s: the query did reach the silent resolver", label);
    t0 = mono_ms();
    lc_client_free(c);
    ok(mono_ms() - t0 < BOUND_MS, "%s: freeing the client does not wait for the resolver",
       label);
    cJSON_Delete(out);
    lc_error_clear(&e);
}

int main(void)
{
    silent_dns d = { .udp = -1, .tcp = -1 };
    char why[256];

    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    if (geteuid() != 0) {
        skip("not root: a private mount namespace and port 53 need root");
    } else if (silent_dns_start(&d) != 0) {
        skip(d.why);
    } else if (private_resolver(&d, why, sizeof(why)) != 0) {
        skip(why);
    } else {
        one_call(&d, "timeout_ms 2 s", TIMEOUT_MS, 0);
        one_call(&d, "deadline 2 s (timeout_ms 30 s)", 30000, TIMEOUT_MS);
    }
    silent_dns_stop(&d);
    /* The mounts live only in this process's namespace; drop them anyway. */
    umount2("/etc/nsswitch.conf", MNT_DETACH);
    umount2("/etc/resolv.conf", MNT_DETACH);
    if (resolv[0])
        unlink(resolv);
    if (nss[0])
        unlink(nss);
    if (rmdir(dir) != 0)
        diag("could not remove %s: %s", dir, strerror(errno));
    return tap_done();
}
