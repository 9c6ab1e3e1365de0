/* Atomic write of the --url-file (see url_file.h). */
#include "url_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sim_url_file_write(const char *path, const char *url, char *err, size_t errlen)
{
    size_t plen = strlen(path), ulen = strlen(url);
    char *tmp = malloc(plen + sizeof(".XXXXXX"));
    char *line = malloc(ulen + 2);
    int fd = -1, saved = ENOMEM;
    const char *step = "cannot write";
    if (!tmp || !line)
        goto fail;
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".XXXXXX", sizeof(".XXXXXX"));
    memcpy(line, url, ulen);
    memcpy(line + ulen, "\n", 2);
    /* mkstemp makes 0600 whatever the umask; readers need 0644. */
    if ((fd = mkstemp(tmp)) < 0) {
        saved = errno;
        tmp[0] = '\0';
        goto fail;
    }
    size_t off = 0;
    while (off < ulen + 1) {
        ssize_t w = write(fd, line + off, ulen + 1 - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            saved = w < 0 ? errno : EIO;
            goto fail;
        }
        off += (size_t)w;
    }
    if (fchmod(fd, 0644) != 0) {
        saved = errno;
        goto fail;
    }
    int rc = close(fd);
    fd = -1;
    if (rc != 0) {
        saved = errno;
        goto fail;
    }
    if (rename(tmp, path) != 0) {
        saved = errno;
        step = "cannot rename a temporary file to";
        goto fail;
    }
    free(tmp);
    free(line);
    return 0;
fail:
    if (fd >= 0)
        close(fd);
    if (tmp && tmp[0])
        unlink(tmp);
    snprintf(err, errlen, "--url-file: %s %s: %s", step, path, strerror(saved));
    free(tmp);
    free(line);
    return -1;
}
