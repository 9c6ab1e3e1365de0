/* Loading the network part (online_api.h) next to the module, once per
 * process. It runs code as root inside every login service, so it is held
 * to the rules of the files the module trusts: every directory above it
 * owned by root (or us) and not writable by others, the file itself a
 * regular file owned by root (or us) and writable by no one else. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "online_api.h"
#include "online_load.h"
#include "../core/src/clock.h"
#include "../core/src/dir_chain.h"
#include "../core/src/text.h"

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static const lcpam_online_api *loaded; /* never unloaded (RTLD_NODELETE) */

/* <directory of this module>/LCPAM_ONLINE_PATH. */
static int part_path(char *dst, size_t size, char *err, size_t errlen)
{
    Dl_info info;
    const char *slash;
    int n;

    if (!dladdr((void *)lcpam_online_check, &info) || !info.dli_fname ||
        info.dli_fname[0] != '/' || !(slash = strrchr(info.dli_fname, '/'))) {
        snprintf(err, errlen, "network part: cannot tell where the module lies "
                 "(load it by absolute path)");
        return -1;
    }
    n = snprintf(dst, size, "%.*s/%s", (int)(slash - info.dli_fname), info.dli_fname,
                 LCPAM_ONLINE_PATH);
    if (n < 0 || (size_t)n >= size) {
        snprintf(err, errlen, "network part: the module's path is too long");
        return -1;
    }
    return 0;
}

/* Opens real and checks the open file; returns the descriptor (kept open
 * so the very file checked is the one loaded) or -1 with err. */
static int open_checked(const char *path, const char *real, char *err, size_t errlen)
{
    struct stat st;
    int fd = open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "network part %.200s: %s (reinstall lockcloud)", path,
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || (st.st_uid != 0 && st.st_uid != geteuid()) ||
        (st.st_mode & (S_IWGRP | S_IWOTH))) {
        snprintf(err, errlen, "network part %.200s: not a regular file owned by root and "
                 "writable only by it (refused)", path);
        close(fd);
        return -1;
    }
    return fd;
}

/* dlopen of the descriptor checked (/proc/self/fd/N), so no rename between
 * the check and the load can swap the file; where /proc is not mounted,
 * the path (its directories are root's alone: checked above). RTLD_NODELETE:
 * libcurl may leave a resolver thread behind a call (CURLOPT_QUICK_EXIT);
 * its code must stay mapped. */
static void *open_part(int fd, const char *real)
{
    char byfd[64];
    struct stat st;

    snprintf(byfd, sizeof byfd, "/proc/self/fd/%d", fd);
    if (stat(byfd, &st) != 0)
        return dlopen(real, RTLD_LAZY | RTLD_LOCAL | RTLD_NODELETE);
    return dlopen(byfd, RTLD_LAZY | RTLD_LOCAL | RTLD_NODELETE);
}

static const lcpam_online_api *load(char *err, size_t errlen)
{
    char path[4096], label[4200];
    char *real = NULL;
    const lcpam_online_api *api = NULL;
    lcpam_online_api_fn *get;
    lc_error lerr;
    void *h = NULL;
    int fd;

    if (part_path(path, sizeof path, err, errlen) != 0)
        return NULL;
    lc_error_init(&lerr);
    snprintf(label, sizeof label, "network part %s", path);
    if (lc_dir_chain_check(label, path, &real, &lerr) != LC_OK) {
        snprintf(err, errlen, "%.250s", lerr.message);
        goto done;
    }
    fd = open_checked(path, real, err, errlen);
    if (fd < 0)
        goto done;
    h = open_part(fd, real);
    close(fd);
    if (!h) {
        const char *why = dlerror();
        snprintf(err, errlen, "network part %.200s: %.200s", path, why ? why : "not loaded");
        goto done;
    }
    *(void **)&get = dlsym(h, LCPAM_ONLINE_SYMBOL);
    if (get)
        api = get();
    if (!api || strcmp(api->version, LOCKCLOUD_VERSION) != 0 || api->abi != LCPAM_ABI_ID ||
        api->conf_size != sizeof(lcpam_conf) || api->creds_size != sizeof(lcpam_creds) ||
        api->outcome_size != sizeof(lcpam_outcome) || !api->check) {
        snprintf(err, errlen, "network part %.200s: not from this build of pam_lockcloud "
                 "(reinstall lockcloud)", path);
        api = NULL;
    }
done:
    lc_error_clear(&lerr);
    free(real);
    return api;
}

void lcpam_online_check(const lcpam_conf *conf, const lcpam_creds *creds, const char *person_id,
                        long budget_ms, time_t now, lc_log_fn log, void *log_userdata,
                        lcpam_outcome *out)
{
    char err[512];
    const lcpam_online_api *api;
    long long t0;

    /* Loading counts against the login's deadline like any other work. */
    t0 = lc_now_ms();
    pthread_mutex_lock(&load_lock);
    if (!loaded)
        loaded = load(err, sizeof err);
    api = loaded;
    pthread_mutex_unlock(&load_lock);
    if (api) {
        budget_ms -= (long)(lc_now_ms() - t0);
        api->check(conf, creds, person_id, budget_ms, now, log, log_userdata, out);
        return;
    }
    memset(out, 0, sizeof *out);
    out->kind = LCPAM_LOCAL;
    out->status = LC_ERR_IO;
    out->config_error = 1;
    out->decision.rule = lc_rule_name(conf->rule.kind);
    lc_text_sanitize(out->message, sizeof out->message, err, LC_TEXT_FIELD);
}
