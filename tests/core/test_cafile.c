/* The cafile check (lc_cafile_check, and lc_client_new using it): a
 * missing, unreadable or non-PEM bundle is a local configuration error that
 * names the path (io / usage), never "tls"; the PAM variant also wants the
 * bundle owned by root (or us) and not group/world writable. The good CA
 * is the one a real simulator generated. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cafile.h"
#include "coretest.h"

static char dir[] = "/tmp/lccaXXXXXX";

static void path_in(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

static int write_file(const char *p, const char *text, size_t len, mode_t mode)
{
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int good = fd >= 0 && write(fd, text, len) == (ssize_t)len;
    if (fd >= 0) {
        good &= fchmod(fd, mode) == 0;
        close(fd);
    }
    return good;
}

/* Expects kind and a message naming path without the word "tls". */
static void expect(const char *path, int root, lc_status kind, const char *what)
{
    lc_error e;
    lc_status st;

    lc_error_init(&e);
    st = lc_cafile_check(path, root, &e);
    ok(st == kind && strstr(e.message, path) && !strstr(e.message, "tls") &&
       !strstr(e.message, "TLS"), "%s is %s: %s", what, lc_status_name(kind), e.message);
    lc_error_clear(&e);
}

static void test_check(const char *ca)
{
    char p[256], q[256];
    char *pem = slurp(ca);
    size_t len = pem ? strlen(pem) : 0;
    lc_error e;

    lc_error_init(&e);
    ok(pem && len > 100, "read the simulator's CA (%zu bytes)", len);
    ok(lc_cafile_check(ca, 0, &e) == LC_OK, "the simulator's CA passes: %s", e.message);
    ok(lc_cafile_check(ca, 1, &e) == LC_OK, "and passes the root-owner rule (ours, 0600)");

    path_in(p, sizeof(p), "missing.pem");
    expect(p, 0, LC_ERR_IO, "a missing cafile");
    {
        lc_error_init(&e);
        lc_cafile_check(p, 0, &e);
        ok(strstr(e.message, "No such file") != NULL, "the message carries strerror");
    }
    expect(dir, 0, LC_ERR_IO, "a directory");

    path_in(p, sizeof(p), "empty.pem");
    write_file(p, "", 0, 0644);
    expect(p, 0, LC_ERR_USAGE, "an empty file");

    path_in(p, sizeof(p), "text.pem");
    write_file(p, "hello, not a certificate\n", 25, 0644);
    expect(p, 0, LC_ERR_USAGE, "a text file");

    path_in(p, sizeof(p), "der.pem");
    write_file(p, "\x30\x82\x01\x0a\x02\x82\x01\x01\x00", 9, 0644);
    expect(p, 0, LC_ERR_USAGE, "binary (DER-like) bytes");

    if (pem && len > 100) {
        /* A PEM block whose base64 is cut short does not parse. */
        char *cut = strdup(pem);
        char *end = cut ? strstr(cut, "-----END") : NULL;
        path_in(p, sizeof(p), "cut.pem");
        if (end && end - cut > 80) {
            memmove(end - 60, end, strlen(end) + 1);
            write_file(p, cut, strlen(cut), 0644);
        }
        expect(p, 0, LC_ERR_USAGE, "a truncated certificate");
        free(cut);

        /* The good certificate, then a broken block: OpenSSL's loader (what
         * libcurl uses) refuses the whole file, so must we. */
        path_in(p, sizeof(p), "tail.pem");
        {
            char *two = malloc(2 * len + 64);
            if (two) {
                snprintf(two, 2 * len + 64, "%s-----BEGIN CERTIFICATE-----\nAAAA\n"
                         "-----END CERTIFICATE-----\n", pem);
                write_file(p, two, strlen(two), 0644);
            }
            free(two);
        }
        expect(p, 0, LC_ERR_USAGE, "a good certificate followed by a broken one");

        path_in(p, sizeof(p), "ok.pem");
        write_file(p, pem, len, 0644);
        path_in(q, sizeof(q), "link.pem");
        ok(symlink(p, q) == 0 && lc_cafile_check(q, 1, &e) == LC_OK,
           "a symlink to a good bundle is followed (system bundles are links): %s", e.message);
        chmod(p, 0664);
        expect(q, 1, LC_ERR_IO, "a group-writable target behind a symlink (root rule)");
        ok(lc_cafile_check(q, 0, &e) == LC_OK, "without the root rule it is accepted");
        chmod(p, 0646);
        expect(p, 1, LC_ERR_IO, "a world-writable bundle (root rule)");
        chmod(p, 0644);
        if (geteuid() == 0) {
            ok(chown(p, 65534, 65534) == 0, "gave the bundle to uid 65534");
            expect(q, 1, LC_ERR_IO, "a bundle owned by another user (root rule)");
            ok(lc_cafile_check(q, 0, &e) == LC_OK, "without the root rule it is accepted");
        } else {
            skip("not root: cannot give a file to another uid");
            skip("not root: cannot give a file to another uid");
            skip("not root: cannot give a file to another uid");
        }
        unlink(q);
        unlink(p);
    }
    if (geteuid() != 0) {
        path_in(p, sizeof(p), "unreadable.pem");
        write_file(p, pem ? pem : "", len, 0000);
        expect(p, 0, LC_ERR_IO, "an unreadable cafile");
        unlink(p);
    } else {
        skip("root reads mode 0000 files: unreadable case needs an unprivileged run");
    }
    free(pem);
    lc_error_clear(&e);
}

/* lc_client_new refuses a bad cafile up front: no request, no "tls". */
static void test_client_new(simproc *sim)
{
    lc_config cfg = test_config(sim, NULL, NULL);
    lc_client *c = NULL;
    lc_error e;
    char p[256];
    int before = request_count(sim);

    lc_error_init(&e);
    path_in(p, sizeof(p), "nowhere/ca.pem");
    cfg.cafile = p;
    ok(lc_client_new(&cfg, &c, &e) == LC_ERR_IO && !c && strstr(e.message, p) &&
       !strstr(e.message, "tls"), "lc_client_new: missing cafile is io naming it: %s",
       e.message);
    path_in(p, sizeof(p), "junk.pem");
    write_file(p, "junk\n", 5, 0644);
    ok(lc_client_new(&cfg, &c, &e) == LC_ERR_USAGE && !c && strstr(e.message, p),
       "lc_client_new: a non-PEM cafile is usage naming it: %s", e.message);
    unlink(p);
    ok(request_count(sim) == before, "nothing was sent");
    cfg.cafile = simproc_ca(sim);
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && c, "a good cafile gives a client");
    lc_client_free(c);
    lc_error_clear(&e);
}

/* A bundle that goes bad after lc_client_new (an admin's botched edit, a
 * package update half done) is still a local error naming the file when a
 * request cannot load it: io, never "tls" (which the PAM module's failmode
 * would treat as a cloud outage). */
static void test_bundle_goes_bad(simproc *sim)
{
    lc_config cfg = test_config(sim, NULL, NULL);
    lc_client *c = NULL;
    lc_error e;
    char p[256];
    char *pem = slurp(simproc_ca(sim));

    lc_error_init(&e);
    path_in(p, sizeof(p), "later.pem");
    cfg.cafile = p;
    ok(pem && write_file(p, pem, strlen(pem), 0644) && lc_client_new(&cfg, &c, &e) == LC_OK,
       "client made with a good copy of the CA: %s", e.message);
    write_file(p, "junk\n", 5, 0644);
    ok(lc_auth_client_credentials(c, &e) == LC_ERR_IO && strstr(e.message, p) &&
       !strstr(e.message, "TLS") && !strcmp(e.request, "POST /oauth/token"),
       "the bundle turned to junk before the first request: io naming it: %s", e.message);
    unlink(p);
    ok(lc_auth_client_credentials(c, &e) == LC_ERR_IO && strstr(e.message, p),
       "and a removed bundle too: %s", e.message);
    lc_client_free(c);
    free(pem);
    lc_error_clear(&e);
}

int main(void)
{
    simproc *sim;

    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    sim = simproc_start(NULL);
    if (!sim) {
        ok(0, "simulator started");
    } else {
        test_check(simproc_ca(sim));
        test_client_new(sim);
        test_bundle_goes_bad(sim);
        ok(simproc_stop(sim) == 0, "simulator exited cleanly");
    }
    {
        static const char *const made[] = { "empty.pem", "text.pem", "der.pem", "cut.pem",
                                            "tail.pem", "ok.pem", "link.pem", "junk.pem",
                                            "later.pem" };
        char p[256];
        for (size_t i = 0; i < sizeof made / sizeof *made; i++) {
            path_in(p, sizeof(p), made[i]);
            unlink(p);
        }
    }
    if (rmdir(dir) != 0)
        diag("could not remove %s", dir);
    return tap_done();
}
