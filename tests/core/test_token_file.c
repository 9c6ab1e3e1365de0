/* Unit tests of the token file: permission checks, symlink refusal,
 * round trip, atomic 0600 writes, the lock (with a deadline), and
 * lc_client_new refusing an unsafe file. No network. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
        /* 0 is a deadline already past (lc_file_lock_take): one try, no wait. */
        t0 = lc_now_ms();
        st2 = lc_token_lock_acquire(p, 0, &lk, &e);
        took = lc_now_ms() - t0;
        ok(st2 == LC_ERR_TIMEOUT && lk.fd == -1 && took < 1000,
           "held lock + deadline 0: one try, no wait (%lld ms): %s", took, e.message);
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

/* One size limit: the largest tokens the writer may store (worst-case JSON
 * escaping: every byte a quote or a backslash) read back, and a token one
 * byte over the limit in the file is refused by the reader as well. */
static void test_size_limit(void)
{
    char p[256];
    lc_tokens t = { NULL, NULL, NULL, 0 }, u = { NULL, NULL, NULL, 0 };
    lc_error e;
    char *big = malloc(LC_TOKEN_MAX + 64);

    lc_error_init(&e);
    path_in(p, sizeof(p), "big.json");
    t.access = malloc(LC_TOKEN_MAX + 1);
    t.refresh = malloc(LC_TOKEN_MAX + 1);
    t.type = malloc(LC_TOKEN_MAX + 1);
    if (!big || !t.access || !t.refresh || !t.type)
        return;
    memset(t.access, '"', LC_TOKEN_MAX);
    memset(t.refresh, '\\', LC_TOKEN_MAX);
    memset(t.type, '"', LC_TOKEN_MAX);
    t.access[LC_TOKEN_MAX] = t.refresh[LC_TOKEN_MAX] = t.type[LC_TOKEN_MAX] = '\0';
    t.expires_at = 999999999999999LL;
    ok(lc_token_file_write(p, &t, &e) == LC_OK, "largest tokens written: %s", e.message);
    ok(lc_token_file_read(p, &u, &e) == LC_OK && u.access && !strcmp(u.access, t.access) &&
       u.refresh && !strcmp(u.refresh, t.refresh),
       "and read back: the reader's cap covers the largest file (%d bytes): %s",
       LC_TOKEN_FILE_MAX, e.message);
    snprintf(big, LC_TOKEN_MAX + 64, "{\"access_token\":\"%0*d\"}", LC_TOKEN_MAX + 1, 0);
    write_file(p, big, 0600);
    ok(lc_token_file_read(p, &u, &e) == LC_ERR_IO && strstr(e.message, "over 4096"),
       "a token over the limit in the file is refused: %s", e.message);
    unlink(p);
    free(big);
    lc_tokens_free(&t);
    lc_tokens_free(&u);
    lc_error_clear(&e);
}

/* A killed writer's "<file>.tmpXXXXXX" (holding tokens) is removed by the
 * next write; other files are left alone. */
static void test_stale_temps(void)
{
    char p[256], stale[300], other[300], near[300];
    lc_tokens t = { NULL, NULL, NULL, 0 };
    lc_error e;
    struct stat st;

    lc_error_init(&e);
    path_in(p, sizeof(p), "stale.json");
    snprintf(stale, sizeof(stale), "%s.tmpAb12Cd", p);
    snprintf(near, sizeof(near), "%s.tmpAb12Cd.keep", p);
    path_in(other, sizeof(other), "other.json.tmpAb12Cd");
    write_file(stale, "{\"access_token\":\"LEFT-BEHIND\"}", 0600);
    write_file(near, "x", 0600);
    write_file(other, "x", 0600);
    t.access = strdup("A2");
    ok(lc_token_file_write(p, &t, &e) == LC_OK, "write next to a stale temporary file");
    ok(stat(stale, &st) != 0 && errno == ENOENT, "the stale temporary file is gone");
    ok(stat(near, &st) == 0 && stat(other, &st) == 0, "files with other names are kept");
    unlink(near);
    unlink(other);
    unlink(p);
    lc_tokens_free(&t);
    lc_error_clear(&e);
}

/* The token file's directory must not be writable by others: lc_client_new
 * and the lock refuse it, naming the directory, and create nothing. */
static void test_directory(void)
{
    char sub[256], p[300], lp[310];
    lc_config cfg;
    lc_client *c = NULL;
    lc_token_lock lk;
    lc_error e;
    struct stat st;
    static const struct { mode_t mode; const char *what; } bad[] = {
        { 01777, "sticky world-writable (like /tmp)" },
        { 0777, "world-writable" },
        { 0770, "group-writable" },
        { 0702, "writable by others only" },
    };

    lc_error_init(&e);
    memset(&cfg, 0, sizeof(cfg));
    path_in(sub, sizeof(sub), "shared");
    snprintf(p, sizeof(p), "%s/token", sub);
    snprintf(lp, sizeof(lp), "%s.lock", p);
    mkdir(sub, 0700);
    cfg.token_file = p;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        chmod(sub, bad[i].mode);
        ok(lc_client_new(&cfg, &c, &e) == LC_ERR_IO && !c && strstr(e.message, sub) &&
           strstr(e.message, "directory"), "%s token directory refused by lc_client_new: %s",
           bad[i].what, e.message);
        ok(lc_token_lock_acquire(p, lc_now_ms() + 1000, &lk, &e) == LC_ERR_IO &&
           stat(lp, &st) != 0, "%s: the lock refuses it and creates no lock file",
           bad[i].what);
    }
    chmod(sub, 0700);
    if (geteuid() == 0) {
        ok(chown(sub, 65534, 65534) == 0 && lc_client_new(&cfg, &c, &e) == LC_ERR_IO &&
           strstr(e.message, "owned by uid 65534"),
           "a directory owned by another user is refused: %s", e.message);
        chown(sub, 0, 0);
    } else {
        skip("not root: cannot give a directory to another uid");
    }
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && c, "a private (0700) directory is accepted");
    lc_client_free(c);
    c = NULL;

    /* Above it: others may write only where the sticky bit protects our
     * directory from being renamed away (as in /tmp). */
    chmod(sub, 0777);
    snprintf(p, sizeof(p), "%s/private", sub);
    mkdir(p, 0700);
    snprintf(p, sizeof(p), "%s/private/token", sub);
    ok(lc_client_new(&cfg, &c, &e) == LC_ERR_IO && strstr(e.message, "above it") &&
       strstr(e.message, sub), "a world-writable, non-sticky directory above it is refused: %s",
       e.message);
    chmod(sub, 01777);
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && c, "a sticky one (like /tmp) is accepted: %s",
       e.message);
    lc_client_free(c);
    c = NULL;
    if (geteuid() == 0) {
        chmod(sub, 0755);
        ok(chown(sub, 65534, 65534) == 0 && lc_client_new(&cfg, &c, &e) == LC_ERR_IO &&
           strstr(e.message, "above it is owned by uid 65534"),
           "a directory above it owned by another user is refused: %s", e.message);
        if (chown(sub, 0, 0) != 0)
            diag("chown back failed");
    } else {
        skip("not root: cannot give a directory to another uid");
    }
    snprintf(p, sizeof(p), "%s/private", sub);
    rmdir(p);
    rmdir(sub);
    lc_error_clear(&e);
}

/* A token directory reached through a symlink: the directories that matter
 * are those above where the link leads. Here the link sits in a private
 * directory but points into one another user owns, who could rename our
 * directory away and put their own in its place. */
static void test_symlinked_directory(void)
{
    char home[256], state[300], link[256], p[300];
    lc_config cfg;
    lc_client *c = NULL;
    lc_error e;

    if (geteuid() != 0) {
        skip("not root: cannot give a directory to another uid");
        return;
    }
    lc_error_init(&e);
    memset(&cfg, 0, sizeof(cfg));
    path_in(home, sizeof(home), "alice");
    snprintf(state, sizeof(state), "%s/state", home);
    path_in(link, sizeof(link), "via");
    snprintf(p, sizeof(p), "%s/token", link);
    cfg.token_file = p;
    if (mkdir(home, 0755) != 0 || mkdir(state, 0700) != 0 || symlink(state, link) != 0 ||
        chown(home, 65534, 65534) != 0)
        diag("setting up %s failed", home);
    ok(lc_client_new(&cfg, &c, &e) == LC_ERR_IO && !c && strstr(e.message, home) &&
       strstr(e.message, "owned by uid 65534"),
       "a symlinked token directory inside another user's directory is refused: %s",
       e.message);
    lc_client_free(c);
    unlink(link);
    rmdir(state);
    rmdir(home);
    lc_error_clear(&e);
}

/* With no deadline, waiting for a lock that a stopped process holds is
 * bounded by timeout_ms. Without the bound this blocked forever (the alarm
 * then kills the test). No request is ever sent (the URLs are unroutable
 * loopback ones). */
static void test_lock_wait_bounded(void)
{
    char p[256], lp[300];
    lc_config cfg;
    lc_client *c = NULL;
    lc_error e;
    int pipefd[2];
    pid_t pid;
    char x;

    lc_error_init(&e);
    path_in(p, sizeof(p), "held.json");
    snprintf(lp, sizeof(lp), "%s.lock", p);
    memset(&cfg, 0, sizeof(cfg));
    cfg.api_url = cfg.auth_url = "https://127.0.0.1:9";
    cfg.client_id = "id";
    cfg.client_secret = "secret";
    cfg.token_file = p;
    cfg.timeout_ms = 300;
    if (pipe(pipefd) != 0)
        return;
    pid = fork();
    if (pid == 0) {
        int fd = open(lp, O_RDWR | O_CREAT, 0600);
        flock(fd, LOCK_EX);
        if (write(pipefd[1], "x", 1) < 0)
            _exit(1);
        raise(SIGSTOP); /* a stopped holder never lets go */
        _exit(0);
    }
    if (read(pipefd[0], &x, 1) != 1)
        x = 0;
    alarm(60);
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && lc_auth_refresh(c, &e) == LC_ERR_TIMEOUT &&
       strstr(e.message, lp), "no deadline: the lock wait ends at timeout_ms, naming the lock "
       "file: %s", e.message);
    alarm(0);
    lc_client_free(c);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(pipefd[0]);
    close(pipefd[1]);
    unlink(lp);
    lc_error_clear(&e);
}

/* The largest timeout_ms an embedder may pass ("no limit" as LONG_MAX):
 * the lock deadline derived from it must not overflow (a signed overflow,
 * fatal in the sanitized build; in a plain build it wrapped negative, so a
 * held lock failed at once instead of being waited for). No request is
 * sent: revoking no tokens only rewrites the file under the lock. */
static void test_huge_timeout(void)
{
    char p[256], lp[300];
    lc_config cfg;
    lc_client *c = NULL;
    lc_error e;

    lc_error_init(&e);
    path_in(p, sizeof(p), "huge.json");
    snprintf(lp, sizeof(lp), "%s.lock", p);
    memset(&cfg, 0, sizeof(cfg));
    cfg.api_url = cfg.auth_url = "https://127.0.0.1:9";
    cfg.token_file = p;
    cfg.timeout_ms = LONG_MAX;
    ok(lc_client_new(&cfg, &c, &e) == LC_OK && lc_auth_revoke(c, &e) == LC_OK,
       "timeout_ms LONG_MAX: the token lock is taken (deadline without overflow): %s",
       e.message);
    lc_client_free(c);
    unlink(p);
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
    test_size_limit();
    test_stale_temps();
    test_directory();
    test_symlinked_directory();
    test_lock_wait_bounded();
    test_huge_timeout();
    {
        char cmd[300];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            diag("could not remove %s", dir);
    }
    return tap_done();
}
