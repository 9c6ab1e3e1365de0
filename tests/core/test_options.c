/* The one option table (core/src/options.c): every row is well-formed and
 * sets the lc_config field it names; every type refuses its bad values
 * with a message that names the option and never quotes the value. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "options.h"
#include "tap.h"

#define SECRET "S3CRET-VALUE"

/* A value that must pass for each type, and values that must not. */
static const char *good_text(lc_opt_type t)
{
    return t == LC_OPT_URL ? "https://api.example.com" : t == LC_OPT_PATH ? "/etc/" SECRET
                                                                           : SECRET;
}

static int named_not_echoed(const lc_error *e, const lc_option *o, const char *label)
{
    return e->kind == LC_ERR_USAGE && strstr(e->message, label ? label : o->name) &&
           !strstr(e->message, SECRET) && !strstr(e->message, "S3CRET");
}

static void test_rows(void)
{
    size_t n = 0, fields_ok = 1, docs_ok = 1;

    for (const lc_option *o = lc_options; o->name; o++, n++) {
        docs_ok &= o->doc && *o->doc && !strchr(o->doc, '\n');
        fields_ok &= o->field != LC_OPT_NO_FIELD && o->field < sizeof(lc_config);
        ok(lc_option_find(o->name, strlen(o->name)) == o, "'%s' is found by name", o->name);
        for (const lc_option *p = lc_options; p < o; p++)
            if (!strcmp(p->name, o->name) || p->field == o->field)
                ok(0, "'%s' and '%s' share a name or a field", p->name, o->name);
    }
    /* One number on purpose: a row lost or added must be noticed here. */
    ok(n == 15, "15 rows (every lc_config option a binding sets): %zu", n);
    ok(fields_ok && docs_ok, "every row sets a field of lc_config and has a one-line doc");
    ok(lc_option_find("colour", 6) == NULL && lc_option_find("timeout\0x", 9) == NULL &&
       lc_option_find("timeou", 6) == NULL && lc_option_find(NULL, 0) == NULL,
       "unknown names, a name with NUL and a prefix are not found");
}

/* Each row's setter writes exactly its lc_config field. */
static void test_fields(void)
{
    lc_config c;
    lc_error e;

    memset(&c, 0, sizeof c);
    lc_error_init(&e);
#define SET_TEXT(name, v) lc_option_set_text(&c, lc_option_find(name, strlen(name)), NULL, v, &e)
#define SET_NUM(name, v) lc_option_set_number(&c, lc_option_find(name, strlen(name)), NULL, v, &e)
    ok(SET_TEXT("api_url", "https://a.example") == LC_OK && !strcmp(c.api_url, "https://a.example") &&
       SET_TEXT("auth_url", "http://127.0.0.1:8") == LC_OK && !strcmp(c.auth_url, "http://127.0.0.1:8") &&
       SET_TEXT("client_id", "id") == LC_OK && !strcmp(c.client_id, "id") &&
       SET_TEXT("client_secret", "sec") == LC_OK && !strcmp(c.client_secret, "sec") &&
       SET_TEXT("cafile", "/ca.pem") == LC_OK && !strcmp(c.cafile, "/ca.pem") &&
       SET_TEXT("token_file", "/t/tok") == LC_OK && !strcmp(c.token_file, "/t/tok") &&
       SET_TEXT("proxy", "http://proxy:3128") == LC_OK && !strcmp(c.proxy, "http://proxy:3128") &&
       SET_TEXT("user_agent", "me/1 (x)") == LC_OK && !strcmp(c.user_agent, "me/1 (x)"),
       "text rows set their fields (plain http passes here: lc_client_new decides it)");
    ok(SET_NUM("timeout", 2.5) == LC_OK && c.timeout_ms == 2500 &&
       SET_NUM("connect_timeout", 0.0001) == LC_OK && c.connect_timeout_ms == 1 &&
       SET_NUM("timeout", 86400) == LC_OK && c.timeout_ms == 86400000L,
       "seconds are stored as ms, rounded up (0.0001 s is 1 ms, not 0)");
    ok(SET_NUM("max_response_bytes", 65536) == LC_OK && c.max_response_bytes == 65536,
       "bytes are stored as size_t");
    ok(SET_TEXT("flavour", "v1") == LC_OK && !strcmp(c.flavour, "v1") &&
       SET_NUM("max_rate_wait", 30) == LC_OK && c.max_rate_wait_ms == 30000 &&
       SET_NUM("max_retries", 3) == LC_OK && c.max_retries == 3,
       "flavour, max_rate_wait (ms) and max_retries (a count) set their fields");
    ok(lc_option_set_boolean(&c, lc_option_find("allow_http", 10), 7, &e) == LC_OK &&
       c.allow_http == 1, "a boolean is stored as 0 or 1");
    ok(SET_NUM("api_url", 1) == LC_ERR_USAGE && SET_TEXT("timeout", "5") == LC_ERR_USAGE &&
       lc_option_set_boolean(&c, lc_option_find("cafile", 6), 1, &e) == LC_ERR_USAGE,
       "a value of the wrong type for the row is refused");
    static const lc_option own = { "map_file", LC_OPT_PATH, LC_OPT_NO_FIELD, 0, 4096, 0, "x" };
    ok(lc_option_check_text(&own, NULL, "/m", &e) == LC_OK &&
       lc_option_set_text(&c, &own, NULL, "/m", &e) == LC_ERR_USAGE,
       "a binding's own row is checked, never stored");
}

/* A "0 means off" row: 0 passes and is stored as LC_OFF (the field's own
 * 0 is its default), in the field's own width. */
static int zero_is_off(const lc_option *o, const char *label, lc_error *e)
{
    lc_config c;
    long stored;

    memset(&c, 0, sizeof c);
    if (lc_option_check_number(o, label, 0, e) != LC_OK ||
        lc_option_set_number(&c, o, label, 0, e) != LC_OK)
        return 0;
    stored = o->type == LC_OPT_COUNT ? *(int *)((char *)&c + o->field)
                                     : *(long *)((char *)&c + o->field);
    if (stored != LC_OFF)
        diag("%s: 0 stored as %ld, not LC_OFF", o->name, stored);
    return stored == LC_OFF;
}

/* The number rows' bad values; 0 is one unless the row takes it as off. */
static int numbers_refused(const lc_option *o, const char *label, const double *bad, size_t n,
                           lc_error *e)
{
    int all = 1;

    for (size_t i = 0; i < n; i++) {
        int refused;
        if (bad[i] == 0 && !signbit(bad[i]) && (o->flags & LC_OPT_ZERO_OFF))
            continue;
        refused = lc_option_check_number(o, label, bad[i], e) == LC_ERR_USAGE &&
                  named_not_echoed(e, o, label);
        if (!refused)
            diag("%s: bad value %zu passed: %s", o->name, i, e->message);
        all &= refused;
    }
    if (o->flags & LC_OPT_ZERO_OFF)
        all &= zero_is_off(o, label, e);
    return all;
}

static const char *type_name(lc_opt_type t)
{
    return t == LC_OPT_URL ? "URL" : t == LC_OPT_PATH ? "path" : t == LC_OPT_TEXT ? "text" :
           t == LC_OPT_SECONDS ? "seconds" : t == LC_OPT_BYTES ? "bytes" :
           t == LC_OPT_COUNT ? "count" : "boolean";
}

/* Every row gets every bad value of its type. */
static void test_bad_values(void)
{
    char long_text[5000];
    lc_error e;

    memset(long_text, 'a', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    memcpy(long_text + 1, SECRET, strlen(SECRET));
    long_text[0] = '/';
    lc_error_init(&e);
    for (const lc_option *o = lc_options; o->name; o++) {
        const char *label = o == lc_options ? "option 'api_url'" : NULL;
        int all = 1;

        if (o->type == LC_OPT_TEXT || o->type == LC_OPT_URL || o->type == LC_OPT_PATH) {
            const char *bad[] = { "", SECRET "\r\nX-Injected: 1", long_text,
                                  o->type == LC_OPT_URL ? "ftp://" SECRET : "",
                                  o->type == LC_OPT_URL ? "https://" : "",
                                  o->type == LC_OPT_URL ? "https://a " SECRET : "",
                                  o->type == LC_OPT_URL ? "https://\xc3\xa9" SECRET : "",
                                  o->type == LC_OPT_PATH ? "rel/" SECRET : "" };
            all &= lc_option_check_text(o, label, good_text(o->type), &e) == LC_OK;
            for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                int refused = lc_option_check_text(o, label, bad[i], &e) == LC_ERR_USAGE &&
                              named_not_echoed(&e, o, label);
                if (!refused)
                    diag("%s: bad value %zu passed or leaked: %s", o->name, i, e.message);
                all &= refused;
            }
        } else if (o->type == LC_OPT_SECONDS || o->type == LC_OPT_BYTES) {
            const double bad[] = { 0, -1, o->max + 1, NAN, INFINITY, -INFINITY, 1e300,
                                   o->type == LC_OPT_BYTES ? 1023 : 86400.001,
                                   o->type == LC_OPT_BYTES ? 4096.5 : -0.0 };
            all &= lc_option_check_number(o, label, o->type == LC_OPT_BYTES ? 4096 : 0.5, &e) == LC_OK;
            all &= numbers_refused(o, label, bad, sizeof bad / sizeof bad[0], &e);
        } else if (o->type == LC_OPT_COUNT) {
            const double bad[] = { 0, -0.0, -1, o->max + 1, o->min - 0.5, 1.5, NAN, INFINITY,
                                   1e300 };
            all &= lc_option_check_number(o, label, 2, &e) == LC_OK &&
                   lc_option_check_text(o, label, "2", &e) == LC_ERR_USAGE;
            all &= numbers_refused(o, label, bad, sizeof bad / sizeof bad[0], &e);
        } else {
            all &= lc_option_check_text(o, label, "true", &e) == LC_ERR_USAGE &&
                   lc_option_check_number(o, label, 1, &e) == LC_ERR_USAGE;
        }
        ok(all, "%s (%s%s): good value passes; every bad value refused naming it", o->name,
           type_name(o->type), (o->flags & LC_OPT_ZERO_OFF) ? ", 0 is off" : "");
    }
    const lc_option *t = lc_option_find("timeout", 7);
    ok(lc_option_check_number(t, "option 'timeout'", 0, &e) == LC_ERR_USAGE &&
       !strcmp(e.message, "option 'timeout' must be between 0 and 86400 seconds"),
       "the binding's label leads the message: %s", e.message);
    ok(lc_option_check_text(lc_option_find("user_agent", 10), NULL, "a\nb", &e) == LC_ERR_USAGE &&
       !strcmp(e.message, "user_agent holds a control character"),
       "a header value with a line break is refused: %s", e.message);
}

int main(void)
{
    test_rows();
    test_fields();
    test_bad_values();
    return tap_done();
}
