/* Client credentials: kept out of the main config so that file can stay
 * world-readable documentation while the secret is 0600. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "creds.h"
#include "lines.h"
/* The core's option table (internal to liblockcloud, linked statically). */
#include "../core/src/options.h"

/* Each value is checked as the core's option table checks that option
 * (core/src/options.h): the same limits as in Lua or the command line. */
static int set_once(char **slot, const char *key, const char *v, char *err, size_t errlen)
{
    lc_error lerr;

    if (*slot) {
        snprintf(err, errlen, "duplicate key '%s'", key);
        return -1;
    }
    lc_error_init(&lerr);
    if (lc_option_check_text(lc_option_find(key, strlen(key)), NULL, v, &lerr) != LC_OK) {
        snprintf(err, errlen, "%.200s", lerr.message);
        return -1;
    }
    *slot = strdup(v);
    if (!*slot) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

static int parse_line(lcpam_creds *c, char *line, char *err, size_t errlen)
{
    char *k, *v;

    if (lcpam_kv_split(line, &k, &v, err, errlen) != 0)
        return -1;
    if (strcmp(k, "client_id") == 0)
        return set_once(&c->client_id, k, v, err, errlen);
    if (strcmp(k, "client_secret") == 0)
        return set_once(&c->client_secret, k, v, err, errlen);
    snprintf(err, errlen, "unknown key '%.40s'", k);
    return -1;
}

int lcpam_creds_parse(char *text, lcpam_creds *creds, char *err, size_t errlen)
{
    lcpam_lines it;
    char msg[LCPAM_ERR_MAX];
    char *line;
    int r;

    memset(creds, 0, sizeof *creds);
    lcpam_lines_init(&it, text);
    while ((r = lcpam_lines_next(&it, &line, err, errlen)) == 1) {
        if (parse_line(creds, line, msg, sizeof msg) != 0) {
            snprintf(err, errlen, "line %u: %s", it.lineno, msg);
            r = -1;
            break;
        }
    }
    if (r == 0 && (!creds->client_id || !creds->client_secret)) {
        snprintf(err, errlen, "client_id and client_secret are both required");
        r = -1;
    }
    if (r != 0) {
        lcpam_creds_free(creds);
        return -1;
    }
    return 0;
}

int lcpam_creds_load(const char *path, lcpam_creds *creds, char *err, size_t errlen)
{
    char msg[LCPAM_ERR_MAX];
    lc_file f;
    int r;

    memset(creds, 0, sizeof *creds);
    if (lcpam_file_load(path, LC_FILE_SECRET, LCPAM_FILE_MAX, &f, err, errlen) != 0)
        return -1;
    r = lcpam_creds_parse(f.data, creds, msg, sizeof msg);
    if (r != 0)
        snprintf(err, errlen, "%s: %s", path, msg);
    lc_file_free(&f);
    return r;
}

static void wipe_free(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

void lcpam_creds_free(lcpam_creds *creds)
{
    if (!creds)
        return;
    wipe_free(creds->client_id);
    wipe_free(creds->client_secret);
    creds->client_id = creds->client_secret = NULL;
}
