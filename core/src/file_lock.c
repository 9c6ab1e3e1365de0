/* Lock files with a deadline; see file_lock.h. */
#include "file_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "clock.h"

/* Short: the holders (a token refresh, one online check) take tens of
 * milliseconds, and a login waits on them. */
#define POLL_MS 2

lc_status lc_file_lock_take(const char *path, const lc_file_rules *rules, long long deadline_ms,
                            lc_file_lock *lk, lc_error *err)
{
    lc_status st = LC_OK;
    int fd;

    lk->fd = -1;
    fd = lc_file_open(path, O_RDWR | O_CREAT, rules, &st, err);
    if (fd < 0)
        return st;
    /* LOCK_NB and a poll, not a blocking flock: flock has no timeout. */
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK) {
            st = lc_err_set(err, LC_ERR_IO, "cannot lock %s: %s", path, strerror(errno));
            break;
        }
        if (lc_now_ms() >= deadline_ms) {
            st = lc_err_set(err, LC_ERR_TIMEOUT, "timed out waiting for the %s %s (another "
                            "process holds it)", rules->label ? rules->label : "lock file",
                            path);
            break;
        }
        lc_sleep_ms(POLL_MS);
    }
    if (st) {
        close(fd);
        return st;
    }
    lk->fd = fd;
    return LC_OK;
}

void lc_file_lock_release(lc_file_lock *lk)
{
    if (lk->fd >= 0) {
        flock(lk->fd, LOCK_UN);
        close(lk->fd);
    }
    lk->fd = -1;
}
