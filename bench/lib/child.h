/* Child processes for benchmarks: a client under test runs in its own
 * process (its own peak RSS, its own interpreter) and reports through lines
 * on its stdout, which the bench timestamps as they arrive, so one clock
 * times every client the same way (Lua has no wall clock finer than a
 * second). */
#ifndef LC_BENCH_CHILD_H
#define LC_BENCH_CHILD_H

#include <stdio.h>
#include <sys/types.h>

typedef struct bench_child {
    pid_t pid;
    FILE *out; /* the child's stdout */
    FILE *in;  /* the child's stdin (bench_child_say) */
} bench_child;

/* Monotonic milliseconds. */
double bench_now_ms(void);

/* Starts argv[0] (searched in PATH) with stdout piped to ch->out and
 * stdin from ch->in; stderr is inherited. 0 on success, -1 (reason on
 * stderr) otherwise. */
int bench_child_start(bench_child *ch, char *const argv[]);

/* Writes one line to the child's stdin; 0 on success. */
int bench_child_say(bench_child *ch, const char *line);

/* Reads the next line (without its newline) into buf; *at_ms (may be NULL)
 * is when it arrived. 0 on success, -1 at end of output. */
int bench_child_line(bench_child *ch, char *buf, size_t len, double *at_ms);

/* Closes the pipes and waits; the exit status, or 128+signal. *cpu (may
 * be NULL): the child's CPU seconds, user + system. */
int bench_child_wait(bench_child *ch, double *cpu);

/* Runs argv to completion with stdout and stderr to /dev/null; its exit
 * status, or 128+signal, or -1 when it could not start. *cpu (may be
 * NULL) as for bench_child_wait. */
int bench_run_quiet(char *const argv[], double *cpu);

/* Path of an interpreter that can run `-c code` successfully, from a list
 * of candidates (NULL-terminated); NULL when none can. */
const char *bench_find_interpreter(const char *const *candidates, const char *code);

/* Median of n values (sorts them). */
double bench_median(double *v, size_t n);

#endif
