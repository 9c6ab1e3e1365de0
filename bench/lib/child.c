/* Child processes for benchmarks; see child.h. */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

double bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int bench_child_start(bench_child *ch, char *const argv[])
{
    posix_spawn_file_actions_t fa;
    int out[2], in[2], rc;

    ch->pid = -1;
    ch->out = ch->in = NULL;
    if (pipe2(out, O_CLOEXEC) != 0)
        return -1;
    if (pipe2(in, O_CLOEXEC) != 0) {
        close(out[0]);
        close(out[1]);
        return -1;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
    rc = posix_spawnp(&ch->pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    close(in[0]);
    if (rc != 0) {
        fprintf(stderr, "bench: cannot start %s: %s\n", argv[0], strerror(rc));
        close(out[0]);
        close(in[1]);
        ch->pid = -1;
        return -1;
    }
    ch->out = fdopen(out[0], "r");
    ch->in = fdopen(in[1], "w");
    if (!ch->out || !ch->in) {
        if (!ch->out)
            close(out[0]);
        if (!ch->in)
            close(in[1]);
        bench_child_wait(ch, NULL);
        return -1;
    }
    return 0;
}

int bench_child_say(bench_child *ch, const char *line)
{
    if (!ch->in || fprintf(ch->in, "%s\n", line) < 0 || fflush(ch->in) != 0)
        return -1;
    return 0;
}

int bench_child_line(bench_child *ch, char *buf, size_t len, double *at_ms)
{
    if (!ch->out || !fgets(buf, (int)len, ch->out))
        return -1;
    if (at_ms)
        *at_ms = bench_now_ms();
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

/* waitpid, keeping the child's CPU seconds in *cpu when asked. */
static pid_t wait_cpu(pid_t pid, int *st, double *cpu)
{
    struct rusage ru;
    pid_t r;

    do
        r = wait4(pid, st, 0, &ru);
    while (r < 0 && errno == EINTR);
    if (r > 0 && cpu)
        *cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    return r;
}

int bench_child_wait(bench_child *ch, double *cpu)
{
    int st;
    pid_t r;

    if (ch->in)
        fclose(ch->in);
    if (ch->out)
        fclose(ch->out);
    ch->out = ch->in = NULL;
    if (ch->pid <= 0)
        return -1;
    r = wait_cpu(ch->pid, &st, cpu);
    ch->pid = -1;
    if (r < 0)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int bench_run_quiet(char *const argv[], double *cpu)
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int st, rc;

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    if (wait_cpu(pid, &st, cpu) < 0)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

const char *bench_find_interpreter(const char *const *candidates, const char *code)
{
    for (size_t i = 0; candidates[i]; i++) {
        char *argv[] = { (char *)candidates[i], "-c", (char *)code, NULL };
        if (bench_run_quiet(argv, NULL) == 0)
            return candidates[i];
    }
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *v, size_t n)
{
    if (n == 0)
        return -1;
    qsort(v, n, sizeof v[0], cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
