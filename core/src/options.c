/* The option table and its validators; see options.h. */
#include "options.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "errors.h"
#include "retry.h"

#define F(field) offsetof(lc_config, field)
#define TEXT_MAX 256
#define URL_MAX 512
#define PATH_MAX_LEN 4096
#define DAY_S 86400.0

const lc_option lc_options[] = {
    { "api_url", LC_OPT_URL, F(api_url), 0, URL_MAX, 0,
      "API base URL (default https://api.remotelock.com)" },
    { "auth_url", LC_OPT_URL, F(auth_url), 0, URL_MAX, 0,
      "OAuth server base URL (default https://connect.remotelock.com)" },
    { "client_id", LC_OPT_TEXT, F(client_id), 0, TEXT_MAX, LC_OPT_REQUIRED,
      "OAuth application id" },
    { "client_secret", LC_OPT_TEXT, F(client_secret), 0, TEXT_MAX,
      LC_OPT_REQUIRED | LC_OPT_SECRET, "OAuth application secret" },
    { "cafile", LC_OPT_PATH, F(cafile), 0, PATH_MAX_LEN, 0,
      "PEM CA bundle, read once at creation (default: the system store)" },
    { "token_file", LC_OPT_PATH, F(token_file), 0, PATH_MAX_LEN, 0,
      "token store shared by processes, in a directory only root or we can write "
      "(default: tokens in memory)" },
    { "proxy", LC_OPT_TEXT, F(proxy), 0, URL_MAX, 0,
      "proxy for every request (default none; the environment is ignored)" },
    { "user_agent", LC_OPT_TEXT, F(user_agent), 0, TEXT_MAX, 0,
      "User-Agent header (default liblockcloud/<version>)" },
    { "flavour", LC_OPT_TEXT, F(flavour), 0, 32, 0,
      "form of the API: \"current\" (default) or \"v1\" (LockState v1); a call to an "
      "endpoint the flavour does not document is refused" },
    { "timeout", LC_OPT_SECONDS, F(timeout_ms), 0, DAY_S, 0,
      "seconds one HTTP request may take (default 30)" },
    { "connect_timeout", LC_OPT_SECONDS, F(connect_timeout_ms), 0, DAY_S, 0,
      "seconds a connection may take (default 5)" },
    { "allow_http", LC_OPT_BOOLEAN, F(allow_http), 0, 1, 0,
      "allow plain http, to a loopback host only (tests)" },
    { "max_response_bytes", LC_OPT_BYTES, F(max_response_bytes), 1024, 1073741824.0, 0,
      "cap on one answer's body in bytes (default 16 MiB)" },
    { "max_rate_wait", LC_OPT_SECONDS, F(max_rate_wait_ms), 0, DAY_S, LC_OPT_ZERO_OFF,
      "most seconds one call waits for rate-limit windows, before sending and after a 429 "
      "(default 120; 0: never wait, a 429 is returned at once)" },
    { "max_retries", LC_OPT_COUNT, F(max_retries), 1, LC_MAX_RETRIES, LC_OPT_ZERO_OFF,
      "resends of a GET, PUT or DELETE after a transport error, timeout or 5xx "
      "(default 2; 0: none)" },
    { NULL, LC_OPT_TEXT, 0, 0, 0, 0, NULL }
};

const lc_option *lc_option_find(const char *name, size_t len)
{
    for (const lc_option *o = lc_options; name && o->name; o++)
        if (strlen(o->name) == len && memcmp(o->name, name, len) == 0)
            return o;
    return NULL;
}

static const char *label_of(const lc_option *o, const char *label)
{
    return label ? label : o->name;
}

static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

/* "https://" or "http://" (url.h decides when plain http may be used) and
 * something after it. */
static int url_scheme_ok(const char *v)
{
    size_t n = strncmp(v, "https://", 8) == 0 ? 8 : strncmp(v, "http://", 7) == 0 ? 7 : 0;
    return n && v[n] != '\0';
}

static int url_bytes_ok(const char *v)
{
    for (; *v; v++)
        if ((unsigned char)*v <= 0x20 || (unsigned char)*v >= 0x7f)
            return 0;
    return 1;
}

lc_status lc_option_check_text(const lc_option *o, const char *label, const char *v,
                               lc_error *err)
{
    const char *l = label_of(o, label);
    size_t n = v ? strlen(v) : 0;

    if (o->type != LC_OPT_TEXT && o->type != LC_OPT_URL && o->type != LC_OPT_PATH)
        return lc_err_set(err, LC_ERR_USAGE, "%s does not take text", l);
    if (n == 0)
        return lc_err_set(err, LC_ERR_USAGE, "%s must not be empty", l);
    switch (o->type) {
    case LC_OPT_URL:
        /* Credentials and tokens travel here: no blanks, nothing hidden. */
        if (!url_scheme_ok(v))
            return lc_err_set(err, LC_ERR_USAGE, "%s must be an https:// URL", l);
        if (n > o->max || !url_bytes_ok(v))
            return lc_err_set(err, LC_ERR_USAGE, "%s is not a valid URL (printable ASCII "
                              "without blanks, at most %.0f bytes)", l, o->max);
        return LC_OK;
    case LC_OPT_PATH:
        if (v[0] != '/')
            return lc_err_set(err, LC_ERR_USAGE, "%s must be an absolute path", l);
        break;
    default:
        break;
    }
    if (n > o->max)
        return lc_err_set(err, LC_ERR_USAGE, "%s is too long (at most %.0f bytes)", l, o->max);
    /* A header value (user_agent) or a secret must not carry line breaks. */
    if (has_control(v))
        return lc_err_set(err, LC_ERR_USAGE, "%s holds a control character", l);
    return LC_OK;
}

lc_status lc_option_check_number(const lc_option *o, const char *label, double v, lc_error *err)
{
    const char *l = label_of(o, label);

    if ((o->flags & LC_OPT_ZERO_OFF) && v == 0 && !signbit(v))
        return LC_OK;
    switch (o->type) {
    case LC_OPT_SECONDS:
        if (!(v > o->min && v <= o->max))
            return lc_err_set(err, LC_ERR_USAGE, "%s must be between %.0f and %.0f seconds",
                              l, o->min, o->max);
        return LC_OK;
    case LC_OPT_BYTES:
        if (!(v >= o->min && v <= o->max) || v != (double)(long long)v)
            return lc_err_set(err, LC_ERR_USAGE, "%s must be a whole number of bytes "
                              "from %.0f to %.0f", l, o->min, o->max);
        return LC_OK;
    case LC_OPT_COUNT:
        if (!(v >= o->min && v <= o->max) || v != (double)(long long)v)
            return lc_err_set(err, LC_ERR_USAGE, "%s must be a whole number from %.0f to %.0f%s",
                              l, (o->flags & LC_OPT_ZERO_OFF) ? 0 : o->min, o->max,
                              (o->flags & LC_OPT_ZERO_OFF) ? " (0: off)" : "");
        return LC_OK;
    default:
        return lc_err_set(err, LC_ERR_USAGE, "%s does not take a number", l);
    }
}

static lc_status no_field(const lc_option *o, lc_error *err)
{
    return lc_err_set(err, LC_ERR_USAGE, "option '%s' sets no lc_config field", o->name);
}

lc_status lc_option_set_text(lc_config *cfg, const lc_option *o, const char *label,
                             const char *v, lc_error *err)
{
    lc_status st = lc_option_check_text(o, label, v, err);

    if (st)
        return st;
    if (o->field == LC_OPT_NO_FIELD)
        return no_field(o, err);
    *(const char **)(void *)((char *)cfg + o->field) = v;
    return LC_OK;
}

lc_status lc_option_set_number(lc_config *cfg, const lc_option *o, const char *label,
                               double v, lc_error *err)
{
    lc_status st = lc_option_check_number(o, label, v, err);
    void *slot;

    if (st)
        return st;
    if (o->field == LC_OPT_NO_FIELD)
        return no_field(o, err);
    slot = (char *)cfg + o->field;
    if ((o->flags & LC_OPT_ZERO_OFF) && v == 0) {
        if (o->type == LC_OPT_COUNT)
            *(int *)slot = LC_OFF;
        else
            *(long *)slot = LC_OFF;
    } else if (o->type == LC_OPT_COUNT) {
        *(int *)slot = (int)v;
    } else if (o->type == LC_OPT_SECONDS) {
        double ms = v * 1000; /* rounded up: 0.0001 s is 1 ms, never 0 */
        long whole = (long)ms;
        *(long *)slot = whole < ms ? whole + 1 : whole;
    } else
        *(size_t *)slot = (size_t)v;
    return LC_OK;
}

lc_status lc_option_set_boolean(lc_config *cfg, const lc_option *o, int v, lc_error *err)
{
    if (o->type != LC_OPT_BOOLEAN)
        return lc_err_set(err, LC_ERR_USAGE, "%s does not take a boolean", o->name);
    if (o->field == LC_OPT_NO_FIELD)
        return no_field(o, err);
    *(int *)(void *)((char *)cfg + o->field) = v != 0;
    return LC_OK;
}
