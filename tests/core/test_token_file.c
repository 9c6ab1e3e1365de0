/* Unit tests of the token file: permission checks, symlink refusal,
 * round trip, atomic 0600 writes, the lock (with a deadline), and
 * lc_client_new refusing an unsafe file. No network. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"
#include "tap.h"
#include "token_store.h"

static char dir[] = "/tmp/lctokXXXXXX";

static void path_in(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

static void write_file(const char *p, const char *text, mode_t mode)
{
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
        if (write(fd, text, strlen(text)) < 0)
            perror("write");
        fchmod(fd, mode);
        close(fd);
    }
}

static int count_entries(void)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    while (d && (de = readdir(d)))
        if (de->d_name[0] != '.')
            n++;
    if (d)
        closedir(d);
    return n;
}

static void test_parse_serialize(void)
{
    lc_tokens t = { NULL, NULL, NULL, 0 }, u = { NULL, NULL, NULL, 0 };
    lc_buf b;
    lc_error e;
    lc_error_init(&e);
    lc_buf_init(&b, 0);
    t.access = strdup("acc\"ess\\x");
    t.refresh = strdup("ref/re\\sh+=");
    t.type = strdup("Bearer");
    t.expires_at = 1773144000;
    ok(lc_tokens_serialize(&t, &b) == 0, "serialize");
    ok(lc_tokens_parse(b.data, b.len, &u, &e) == LC_OK && !strcmp(u.access, t.access) &&
       !strcmp(u.refresh, t.refresh) && !strcmp(u.type, "Bearer") &&
       u.expires_at == 1773144000, "round trip keeps every field (escaping included)");
    ok(lc_tokens_parse("", 0, &u, &e) == LC_OK && u.access == NULL, "empty text = no tokens");
    ok(lc_tokens_parse("{}", 2, &u, &e) == LC_OK && u.access == NULL && u.refresh == NULL,
       "{} = no tokens");
    ok(lc_tokens_parse("{\"access_token\":5}", 18, &u, &e) == LC_ERR_IO,
       "wrong field type is io: %s", e.message);
    ok(lc_tokens_parse("{\"access_token\":\"SECRETVALUE", 28, &u, &e) == LC_ERR_IO &&
       !strstr(e.message, "SECRETVALUE"), "malformed file is io, contents not echoed");
    ok(lc_tokens_parse("[1,2]", 5, &u, &e) == LC_ERR_IO, "non-object is io");
    {
        /* A tampered file must not smuggle header lines into requests. */
        static const char *const hostile[] = {
            "{\"access_token\":\"HDRTOKEN\\r\\nX-Evil: 1\",\"expires_at\":99999999999}",
            "{\"refresh_token\":\"HDRTOKEN\\u0007x\"}",
            "{\"access_token\":\"HDR TOKEN\"}",
            "{\"access_token\":\"HDRT\u00c3\u00a9OKEN\"}",
        };
        for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++)
            ok(lc_tokens_parse(hostile[i], strlen(hostile[i]), &u, &e) == LC_ERR_IO &&
               !strstr(e.message, "HDR") && u.access == NULL,
               "token with control, space or non-ASCII bytes refused (%zu): %s", i, e.message);
    }
    lc_tokens_free(&t);
    lc_tokens_free(&u);
    lc_buf_free(&b);
    lc_error_clear(&e);
}

static void test_checks(void)
{
    char p[256], q[256];
    lc_tokens t = { NULL, NULL, NULL, 0 };
    lc_error e;
    struct stat st;
    lc_error_init(&e);

    path_in(p, sizeof(p), "missing.json");
    ok(lc_token_file_check(p, &e) == LC_OK, "missing file is fine");
    ok(lc_token_file_read(p, &t, &e) == LC_OK && t.access == NULL, "missing file reads empty");

    path_in(p, sizeof(p), "loose.json");
    write_file(p, "{\"access_token\":\"SECRET-LOOSE\"}", 0644);
    ok(lc_token_file_read(p, &t, &e) == LC_ERR_IO && strstr(e.message, "0644") &&
       !strstr(e.message, "SECRET"), "mode 0644 refused: %s", e.message);
    chmod(p, 0640);
    ok(lc_token_file_check(p, &e) == LC_ERR_IO, "mode 0640 refused");
    chmod(p, 0602);
    ok(lc_token_file_check(p, &e) == LC_ERR_IO, "mode 0602 refused");
    chmod(p, 0600);
    ok(lc_token_file_read(p, &t, &e) == LC_OK && t.access && !strcmp(t.access, "SECRET-LOOSE"),
       "mode 0600 accepted and read");

    path_in(q, sizeof(q), "link.json");
    ok(symlink(p, q) == 0, "made a symlink to a good file");
    ok(lc_token_file_read(q, &t, &e) == LC_ERR_IO && strstr(e.message, "symbolic link"),
       "symlink refused: %s", e.message);
    ok(lc_token_file_write(q, &t, &e) == LC_OK && lstat(q, &st) == 0 && S_ISREG(st.st_mode),
       "writing replaces the symlink itself, never its target");
    unlink(q);

    path_in(q, sizeof(q), "subdir");
    mkdir(q, 0700);
    ok(lc_token_file_read(q, &t, &e) == LC_ERR_IO, "a directory is refused: %s", e.message);
    rmdir(q);

    path_in(q, sizeof(q), "fifo");
    mkfifo(q, 0600);
    ok(lc_token_file_read(q, &t, &e) == LC_ERR_IO, "a FIFO is refused without blocking");
    unlink(q);

    if (geteuid() == 0) {
        path_in(q, sizeof(q), "foreign.json");
        write_file(q, "{}", 0600);
        ok(chown(q, 65534, 65534) == 0 && lc_token_file_check(q, &e) == LC_ERR_IO &&
           strstr(e.message, "owned"), "file owned by another uid refused: %s", e.message);
        unlink(q);
    } else {
        skip("not root: cannot make a file owned by another uid");
    }
    unlink(p);
    lc_tokens_free(&t);
    lc_error_clear(&e);
}

static void test_write(void)
{
    char p[256];
    lc_tokens t = { NULL, NULL, NULL, 0 }, u = { NULL, NULL, NULL, 0 };
    lc_error e;
    struct stat st;
    mode_t old = umask(0);
    int before;

    lc_error_init(&e);
    path_in(p, sizeof(p), "tokens.json");
    t.access = strdup("A1");
    t.refresh = strdup("R1");
    t.expires_at = 42;
    before = count_entries();
    ok(lc_token_file_write(p, &t, &e) == LC_OK, "write a new token file (umask 0)");
    ok(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600 && st.st_uid == geteuid(),
       "created 0600 and owned by us (mode %03o)", (unsigned)(st.st_mode & 0777));
    ok(count_entries() == before + 1, "no temporary file left behind");
    ok(lc_token_file_read(p, &u, &e) == LC_OK && !strcmp(u.refresh, "R1") && u.expires_at == 42,
       "reads back what was written");
    lc_tokens_free(&t);
    ok(lc_token_file_write(p, &t, &e) == LC_OK && lc_token_file_read(p, &u, &e) == LC_OK &&
       u.access == NULL && u.refresh == NULL, "writing no tokens empties it");
    umask(old);
    unlink(p);
    lc_tokens_free(&u);
    lc_error_clear(&e);
}

static void test_lock(void)
{
    char p[256], lp[300];
    lc_token_lock lk;
    lc_error e;
    struct stat st;
    int pipefd[2];
    pid_t pid;
    char c;

    lc_error_init(&e);
    path_in(p, sizeof(p), "locked.json");
    snprintf(lp, sizeof(lp), "%s.lock", p);
    ok(lc_token_lock_acquire(p, 0, &lk, &e) == LC_OK && lk.fd >= 0, "lock acquired");
    ok(stat(lp, &st) == 0 && (st.st_mode & 0777) == 0600, "lock file created 0600");
    lc_token_lock_release(&lk);
    ok(lk.fd == -1, "lock released");

    /* A child holds the lock; with a deadline we give up with a timeout. */
    if (pipe(pipefd) != 0)
        return;
    pid = fork();
    if (pid == 0) {
        int fd = open(lp, O_RDWR);
        flock(fd, LOCK_EX);
        if (write(pipefd[1], "x", 1) < 0)
            _exit(1);
        sleep(30);
        _exit(0);
    }
    if (read(pipefd[0], &c, 1) != 1)
        c = 0;
    {
        long long t0 = lc_now_ms();
        lc_status st2 = lc_token_lock_acquire(p, lc_now_ms() + 300, &lk, &e);
        long long took = lc_now_ms() - t0;
        ok(st2 == LC_ERR_TIMEOUT && lk.fd == -1, "held lock + deadline gives timeout: %s",
           e.message);
        ok(took < 10000, "gave up at the deadline (%lld ms)", took);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(pipefd[0]);
    close(pipefd[1]);
    ok(lc_token_lock_acquire(p, lc_now_ms() + 5000, &lk, &e) == LC_OK,
       "lock free again after the holder died");
    lc_token_lock_release(&lk);

    /* A symlinked lock file is refused too. */
    unlink(lp);
    ok(symlink("/etc/passwd", lp) == 0 && lc_token_lock_acquire(p, 0, &lk, &e) == LC_ERR_IO,
       "symlinked lock file refused: %s", e.message);
    unlink(lp);
    lc_error_clear(&e);
}

static void test_client_new(void)
{
    char p[256], q[256];
    lc_config cfg;
    lc_client *c = NULL;
    lc_error e;

    lc_error_init(&e);
    memset(&cfg, 0, sizeof(cfg));
    path_in(p, sizeof(p), "client.json");
    cfg.token_file = p;
    write_file(p, "{}", 0644);
    ok(lc_client_new(&cfg, &c, &e) == LC_ERR_IO && c == NULL,
       "lc_client_new refuses a 0644 token file: %s", e.message);
    chmod(p, 0600);
    path_in(q, sizeof(q), "client-link.json");
    symlink(p, q);
    cfg.token_file = q;
    ok(lc_client_new(&cfg, &c, &e) == LC_ERR_IO && c == NULL,
       "lc_client_new refuses a symlinked token file");
    cfg.token_file = p;
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && c, "a 0600 token file is accepted");
    lc_client_free(c);
    cfg.token_file = "";
    c = NULL;
    ok(lc_client_new(&cfg, &c, &e) == LC_ERR_USAGE, "empty token_file path is usage");
    unlink(q);
    unlink(p);
    lc_error_clear(&e);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_parse_serialize();
    test_checks();
    test_write();
    test_lock();
    test_client_new();
    {
        char cmd[300];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            diag("could not remove %s", dir);
    }
    return tap_done();
}
