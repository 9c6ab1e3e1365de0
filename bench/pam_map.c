/* The user map is read and fully validated on every login, so its cost
 * per lookup must stay small and linear in the number of lines. Times
 * lcpam_map_lookup (open, checks, read, validate, duplicate check) for the
 * last user of generated maps of 100, 10,000 and 100,000 users, side by
 * side in one run, and the parse alone (lcpam_map_find_n on text already
 * in memory) to show what the file read costs. Times are CPU time of this
 * process (user + system), which a machine busy with other work disturbs
 * far less than wall time; wall_ms is printed beside it.
 * Prints "bench pam_map: users=N lookup_ms=X ns_per_line=Y parse_ms=Z ...". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "map.h"
#include "lines.h"

#define MIN_SECONDS 0.3
#define MIN_ROUNDS 5

static double now(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A map of n users like an admin would write: short names, UUID ids. */
static char *make_map(unsigned n, size_t *len)
{
    size_t cap = (size_t)n * 64 + 64, used = 0;
    char *buf = malloc(cap);

    if (!buf)
        return NULL;
    used += (size_t)snprintf(buf, cap, "# user access-person\n");
    for (unsigned i = 0; i < n; i++)
        used += (size_t)snprintf(buf + used, cap - used, "user%u 30000000-0000-4000-8000-%012x\n", i, i);
    *len = used;
    return buf;
}

static int write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "w");
    int ok = f && fwrite(text, 1, len, f) == len;

    if (f && fclose(f) != 0)
        ok = 0;
    return ok && chmod(path, 0644) == 0 ? 0 : -1;
}

/* Mean CPU seconds per call of one lookup (file or in-memory), or -1;
 * *wall gets the mean wall-clock seconds. */
static double time_lookup(const char *path, const char *text, size_t len, const char *user,
                          double *wall)
{
    char id[LCPAM_ID_MAX + 1], err[LCPAM_ERR_MAX + 64];
    unsigned rounds = 0;
    double start = now(CLOCK_PROCESS_CPUTIME_ID), wall_start = now(CLOCK_MONOTONIC), t;

    do {
        int r = path ? lcpam_map_lookup(path, user, id, sizeof id, err, sizeof err)
                     : lcpam_map_find_n(text, len, user, id, sizeof id, err, sizeof err);
        if (r != 1) {
            fprintf(stderr, "pam_map: lookup of %s failed (%d): %s\n", user, r, r < 0 ? err : "");
            return -1;
        }
        rounds++;
        t = now(CLOCK_PROCESS_CPUTIME_ID) - start;
    } while (t < MIN_SECONDS || rounds < MIN_ROUNDS);
    *wall = (now(CLOCK_MONOTONIC) - wall_start) / rounds;
    return t / rounds;
}

int main(void)
{
    static const unsigned sizes[] = { 100, 10000, 100000 };
    char dir[] = "/tmp/lcbenchmap.XXXXXX", path[128], user[32];
    int status = 0;

    if (!mkdtemp(dir)) {
        fprintf(stderr, "pam_map: mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    snprintf(path, sizeof path, "%s/map", dir);
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0] && status == 0; k++) {
        size_t len;
        char *text = make_map(sizes[k], &len);
        double file_s, parse_s, wall_s, parse_wall_s;

        if (!text || write_file(path, text, len) != 0) {
            fprintf(stderr, "pam_map: cannot build the %u-user map\n", sizes[k]);
            free(text);
            status = 1;
            break;
        }
        snprintf(user, sizeof user, "user%u", sizes[k] - 1);
        file_s = time_lookup(path, NULL, 0, user, &wall_s);
        parse_s = time_lookup(NULL, text, len, user, &parse_wall_s);
        if (file_s < 0 || parse_s < 0)
            status = 1;
        else
            printf("bench pam_map: users=%u bytes=%zu lookup_ms=%.3f ns_per_line=%.1f "
                   "parse_ms=%.3f wall_ms=%.3f\n", sizes[k], len, file_s * 1e3,
                   file_s * 1e9 / (sizes[k] + 1), parse_s * 1e3, wall_s * 1e3);
        free(text);
    }
    unlink(path);
    rmdir(dir);
    return status;
}
