/* Client credentials: kept out of the main config so that file can stay
 * world-readable documentation while the secret is 0600. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "creds.h"
#include "lines.h"

/* Each value is checked as the core's option table checks that option
 * (core/src/options.h): the same limits as in Lua or the command line. */
static int set_once(char **slot, const char *key, const char *v, char *err, size_t errlen)
{
    if (*slot) {
        snprintf(err, errlen, "duplicate key '%s'", key);
        return -1;
    }
    return lcpam_option_copy(lc_option_find(key, strlen(key)), v, slot, err, errlen);
}

static int parse_line(void *ctx, char *line, char *err, size_t errlen)
{
    lcpam_creds *c = ctx;
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
    int r;

    memset(creds, 0, sizeof *creds);
    r = lcpam_lines_each(text, parse_line, creds, err, errlen);
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

static int parse_text(void *ctx, char *text, size_t len, char *err, size_t errlen)
{
    (void)len;
    return lcpam_creds_parse(text, ctx, err, errlen);
}

int lcpam_creds_load(const char *path, lcpam_creds *creds, char *err, size_t errlen)
{
    memset(creds, 0, sizeof *creds);
    return lcpam_file_parse(path, LC_FILE_SECRET, LCPAM_FILE_MAX, parse_text, creds, err,
                            errlen);
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
