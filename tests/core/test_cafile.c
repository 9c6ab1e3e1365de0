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

/* The client trusts the bytes lc_client_new checked, never the file again:
 * a bundle turned to junk, removed, or swapped for another valid bundle
 * after lc_client_new (an admin's botched edit, a package update half done,
 * someone swapping a directory above it) changes nothing. Each client's
 * first request makes its first TLS handshake, after the change; before
 * the bytes were kept, libcurl read the path then (io, or tls for the
 * swapped bundle). */
static void test_bundle_changes_later(simproc *sim)
{
    lc_config cfg = test_config(sim, NULL, NULL);
    lc_client *junked = NULL, *removed = NULL, *swapped = NULL;
    lc_error e;
    char p[256];
    char *pem = slurp(simproc_ca(sim));
    char *other = slurp("/etc/ssl/certs/ca-certificates.crt");

    lc_error_init(&e);
    path_in(p, sizeof(p), "later.pem");
    cfg.cafile = p;
    ok(pem && write_file(p, pem, strlen(pem), 0644) &&
       lc_client_new(&cfg, &junked, &e) == LC_OK && lc_client_new(&cfg, &removed, &e) == LC_OK &&
       lc_client_new(&cfg, &swapped, &e) == LC_OK,
       "three clients made with a good copy of the CA: %s", e.message);
    write_file(p, "junk\n", 5, 0644);
    ok(junked && lc_auth_client_credentials(junked, &e) == LC_OK,
       "the bundle turned to junk after lc_client_new: the request still verifies with the "
       "bytes checked: %s", e.message);
    unlink(p);
    ok(removed && lc_auth_client_credentials(removed, &e) == LC_OK,
       "the bundle removed: still verifies: %s", e.message);
    if (other && strlen(other) > 1000) {
        write_file(p, other, strlen(other), 0644);
        ok(swapped && lc_auth_client_credentials(swapped, &e) == LC_OK,
           "the bundle swapped for another valid one (the system bundle, without our CA): "
           "still verifies with the original: %s", e.message);
        unlink(p);
    } else {
        skip("no system CA bundle to swap in");
    }
    lc_client_free(junked);
    lc_client_free(removed);
    lc_client_free(swapped);
    free(pem);
    free(other);
    lc_error_clear(&e);
}

/* The root rule also wants the directories above the bundle (as named and
 * as resolved) to be root's or ours and writable by others only when
 * sticky: else anyone could swap the bundle before it is read. */
static void test_directory_chain(const char *ca)
{
    char open_dir[256], sticky[256], p[256], q[256];
    char *pem = slurp(ca);
    lc_error e;

    lc_error_init(&e);
    path_in(open_dir, sizeof(open_dir), "open");
    path_in(sticky, sizeof(sticky), "sticky");
    ok(pem && mkdir(open_dir, 0700) == 0 && chmod(open_dir, 0777) == 0 &&
       mkdir(sticky, 0700) == 0 && chmod(sticky, 01777) == 0,
       "made a world-writable directory and a sticky one");
    path_in(p, sizeof(p), "open/ca.pem");
    write_file(p, pem ? pem : "", pem ? strlen(pem) : 0, 0644);
    lc_cafile_check(p, 1, &e);
    expect(p, 1, LC_ERR_IO, "a bundle in a world-writable directory (root rule)");
    ok(strstr(e.message, "without the sticky bit") && strstr(e.message, open_dir),
       "the message names the directory: %s", e.message);
    ok(lc_cafile_check(p, 0, &e) == LC_OK, "without the root rule it is accepted");

    /* A link in the open directory to a bundle that lies in a good one:
     * the link itself could be swapped, so the named chain counts too. */
    path_in(q, sizeof(q), "open/link.pem");
    path_in(p, sizeof(p), "ok.pem");
    write_file(p, pem ? pem : "", pem ? strlen(pem) : 0, 0644);
    ok(symlink(p, q) == 0, "linked %s to a bundle in a private directory", q);
    expect(q, 1, LC_ERR_IO, "a link in a world-writable directory (root rule)");
    /* And the other way round: a link in a good directory to a bundle in
     * the open one (the resolved chain). */
    path_in(q, sizeof(q), "open/ca.pem");
    path_in(p, sizeof(p), "link.pem");
    ok(symlink(q, p) == 0, "linked %s to the bundle in the open directory", p);
    expect(p, 1, LC_ERR_IO, "a link to a bundle in a world-writable directory (root rule)");
    unlink(p);

    path_in(p, sizeof(p), "sticky/ca.pem");
    write_file(p, pem ? pem : "", pem ? strlen(pem) : 0, 0644);
    lc_error_init(&e);
    ok(lc_cafile_check(p, 1, &e) == LC_OK,
       "a bundle in a sticky world-writable directory (as /tmp) passes: %s", e.message);
    unlink(p);
    path_in(p, sizeof(p), "open/link.pem");
    unlink(p);
    path_in(p, sizeof(p), "open/ca.pem");
    unlink(p);
    path_in(p, sizeof(p), "ok.pem");
    unlink(p);
    rmdir(open_dir);
    rmdir(sticky);
    free(pem);
    lc_error_clear(&e);
}

/* A bundle is kept in memory for the client's life: a file over the cap is
 * refused by name (usage), however it got there. */
static void test_size_cap(void)
{
    char p[256];
    lc_error e;
    int fd;

    lc_error_init(&e);
    path_in(p, sizeof(p), "huge.pem");
    fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ok(fd >= 0 && ftruncate(fd, (off_t)LC_CAFILE_MAX + 1) == 0, "made a sparse %zu-byte file",
       LC_CAFILE_MAX + 1);
    if (fd >= 0)
        close(fd);
    expect(p, 0, LC_ERR_USAGE, "a bundle over the 4 MiB cap");
    lc_cafile_check(p, 0, &e);
    ok(strstr(e.message, "4 MiB") != NULL, "the message gives the limit: %s", e.message);
    unlink(p);
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
        test_bundle_changes_later(sim);
        test_directory_chain(simproc_ca(sim));
        test_size_cap();
        ok(simproc_stop(sim) == 0, "simulator exited cleanly");
    }
    {
        static const char *const made[] = { "empty.pem", "text.pem", "der.pem", "cut.pem",
                                            "tail.pem", "ok.pem", "link.pem", "junk.pem",
                                            "later.pem", "huge.pem" };
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
