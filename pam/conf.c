/* Module configuration: "key = value" lines, '#' comments. Strict on
 * purpose: anything unexpected is an error, so a typo can never weaken the
 * policy (an ignored "failmode = secure" line would be an accidental allow). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "lines.h"
#include "places_index.h"
/* The core's CA bundle check (internal to liblockcloud, linked statically). */
#include "../core/src/cafile.h"

enum { K_API_URL, K_AUTH_URL, K_CAFILE, K_CREDENTIALS_FILE, K_TOKEN_FILE,
       K_MAP_FILE, K_FAILMODE, K_TIMEOUT, K_RULE, K_RULES_FILE, K_COUNT };

static const char *const key_names[K_COUNT] = {
    "api_url", "auth_url", "cafile", "credentials_file", "token_file",
    "map_file", "failmode", "timeout", "rule", "rules_file",
};

/* The module's own file keys, checked as the core's option table checks a
 * path (core/src/options.h); the other string keys are rows of that table. */
static const lc_option module_paths[] = {
    { "credentials_file", LC_OPT_PATH, LC_OPT_NO_FIELD, 0, 4096, LC_OPT_REQUIRED,
      "the 0600 file holding client_id and client_secret" },
    { "map_file", LC_OPT_PATH, LC_OPT_NO_FIELD, 0, 4096, LC_OPT_REQUIRED,
      "the file mapping Linux users to access person ids" },
    { "rules_file", LC_OPT_PATH, LC_OPT_NO_FIELD, 0, 4096, 0,
      "the per-service, per-user rules (pam/rules.h); excludes 'rule'" },
};

static const lc_option *row_for(int key)
{
    if (key == K_CREDENTIALS_FILE)
        return &module_paths[0];
    if (key == K_MAP_FILE)
        return &module_paths[1];
    if (key == K_RULES_FILE)
        return &module_paths[2];
    return lc_option_find(key_names[key], strlen(key_names[key]));
}

static char **string_slot(lcpam_conf *c, int key)
{
    switch (key) {
    case K_API_URL:          return &c->api_url;
    case K_AUTH_URL:         return &c->auth_url;
    case K_CAFILE:           return &c->cafile;
    case K_CREDENTIALS_FILE: return &c->credentials_file;
    case K_TOKEN_FILE:       return &c->token_file;
    case K_MAP_FILE:         return &c->map_file;
    case K_RULES_FILE:       return &c->rules_file;
    default:                 return NULL;
    }
}

static int set_string(lcpam_conf *c, int key, const char *v, char *err, size_t errlen)
{
    const lc_option *o = row_for(key);

    /* Credentials and tokens travel to these URLs: the module has no
     * allow_http, so plain http could never be used; say so at load. */
    if (o->type == LC_OPT_URL && strncmp(v, "http://", 7) == 0) {
        snprintf(err, errlen, "%s must be an https:// URL", o->name);
        return -1;
    }
    return lcpam_option_copy(o, v, string_slot(c, key), err, errlen);
}

/* The text is whole seconds; the module's cap (a login must not wait
 * longer) is tighter than the table's, which checks the value after. */
static int set_timeout(lcpam_conf *c, const char *v, char *err, size_t errlen)
{
    const lc_option *o = lc_option_find("timeout", 7);
    lc_error lerr;
    long n = 0;

    /* Digits only: no sign, no "10s", no overflow games. */
    if (strspn(v, "0123456789") != strlen(v) || strlen(v) > 4)
        n = -1;
    else
        n = strtol(v, NULL, 10);
    if (n < 1 || n > LCPAM_MAX_TIMEOUT_S) {
        snprintf(err, errlen, "timeout must be whole seconds from 1 to %d",
                 LCPAM_MAX_TIMEOUT_S);
        return -1;
    }
    lc_error_init(&lerr);
    if (lc_option_check_number(o, NULL, (double)n, &lerr) != LC_OK) {
        snprintf(err, errlen, "%.200s", lerr.message);
        return -1;
    }
    c->timeout_s = n;
    return 0;
}

static int set_value(lcpam_conf *c, int key, const char *v, char *err, size_t errlen)
{
    lc_error lerr;

    switch (key) {
    case K_FAILMODE:
        if (strcmp(v, "secure") == 0)
            c->failmode = LCPAM_FAIL_SECURE;
        else if (strcmp(v, "safe") == 0)
            c->failmode = LCPAM_FAIL_SAFE;
        else if (strcmp(v, "cached") == 0)
            c->failmode = LCPAM_FAIL_CACHED;
        else {
            snprintf(err, errlen, "failmode must be 'secure', 'safe' or 'cached'");
            return -1;
        }
        return 0;
    case K_TIMEOUT:
        return set_timeout(c, v, err, errlen);
    case K_RULE:
        if (lc_rule_parse(v, &c->rule, &lerr) != LC_OK) {
            snprintf(err, errlen, "rule: %.200s", lerr.message);
            return -1;
        }
        lcpam_terms_canonical(c->rule_text, sizeof c->rule_text, v);
        return 0;
    default:
        return set_string(c, key, v, err, errlen);
    }
}

/* What one parse carries from line to line. */
typedef struct conf_parse {
    lcpam_conf *conf;
    unsigned seen; /* bit per key already given */
} conf_parse;

static int parse_line(void *ctx, char *line, char *err, size_t errlen)
{
    conf_parse *p = ctx;
    char *k, *v;
    int key;

    if (lcpam_kv_split(line, &k, &v, err, errlen) != 0)
        return -1;
    key = lcpam_key_claim(key_names, K_COUNT, k, &p->seen, err, errlen);
    if (key == LCPAM_KEY_DUPLICATE)
        return -1;
    if (key == LCPAM_KEY_OTHER) {
        /* The decision cache reads its own keys (decision_cache.c). */
        int r = lcpam_cache_conf_set(&p->conf->cache, k, v, err, errlen);
        if (r <= 0)
            return r;
        /* The identity index reads its own keys (identity_index.c). */
        r = lcpam_identity_conf_set(&p->conf->identity, k, v, err, errlen);
        if (r <= 0)
            return r;
        /* The places file reads its own key (places_index.c). */
        r = lcpam_places_conf_set(&p->conf->places_file, k, v, err, errlen);
        if (r <= 0)
            return r;
        /* k is [a-z0-9_]+ (checked by the split), safe to quote. */
        snprintf(err, errlen, "unknown key '%.40s'", k);
        return -1;
    }
    return set_value(p->conf, key, v, err, errlen);
}

const char *lcpam_failmode_name(lcpam_failmode mode)
{
    return mode == LCPAM_FAIL_SAFE ? "safe" : mode == LCPAM_FAIL_CACHED ? "cached" : "secure";
}

int lcpam_conf_parse(char *text, lcpam_conf *conf, char *err, size_t errlen)
{
    conf_parse p = { conf, 0 };
    int r;

    memset(conf, 0, sizeof *conf);
    conf->failmode = LCPAM_FAIL_SECURE;
    conf->timeout_s = LCPAM_DEFAULT_TIMEOUT_S;
    lc_rule_parse("guest_current", &conf->rule, NULL);
    snprintf(conf->rule_text, sizeof conf->rule_text, "guest_current");
    lcpam_cache_conf_defaults(&conf->cache);
    lcpam_identity_conf_defaults(&conf->identity);

    r = lcpam_lines_each(text, parse_line, &p, err, errlen);
    if (r == 0 && !conf->credentials_file) {
        snprintf(err, errlen, "credentials_file is required");
        r = -1;
    } else if (r == 0 && !conf->map_file) {
        snprintf(err, errlen, "map_file is required");
        r = -1;
    } else if (r == 0 && (p.seen & (1u << K_RULE)) && (p.seen & (1u << K_RULES_FILE))) {
        /* Which one would apply is not obvious: refuse both. */
        snprintf(err, errlen, "rule and rules_file exclude each other");
        r = -1;
    } else if (r == 0 && conf->failmode == LCPAM_FAIL_CACHED && !conf->cache.dir) {
        /* the decisions it falls back on live there */
        snprintf(err, errlen, "failmode cached needs cache_dir");
        r = -1;
    } else if (r == 0) {
        r = lcpam_identity_conf_check(&conf->identity, err, errlen);
    }
    if (r != 0) {
        lcpam_conf_free(conf);
        return -1;
    }
    return 0;
}

/* A bad cafile is the admin's error, not the cloud's: checked here, it
 * is PAM_SERVICE_ERR whatever the failmode; left to the TLS handshake it
 * would read as a TLS outage, which failmode = safe turns into PAM_IGNORE.
 * The target of a symlink is checked (system bundles are links): it must
 * be a root-owned, not group/world writable file in a safe directory.
 * Its PEM contents are checked before the online check (check.c): parsing
 * them needs libcrypto, which a cached decision must not load. */
static int check_cafile(const lcpam_conf *conf, char *err, size_t errlen)
{
    lc_ca_bundle bundle;
    lc_error lerr;

    if (!conf->cafile)
        return 0;
    lc_error_init(&lerr);
    if (lc_cafile_read(conf->cafile, 1, &bundle, &lerr) != LC_OK) {
        snprintf(err, errlen, "%.250s", lerr.message);
        lc_error_clear(&lerr);
        return -1;
    }
    lc_ca_bundle_free(&bundle);
    return 0;
}

/* Parse, then the cafile check: both errors name the config file. */
static int parse_and_check(void *ctx, char *text, size_t len, char *err, size_t errlen)
{
    lcpam_conf *conf = ctx;

    (void)len;
    if (lcpam_conf_parse(text, conf, err, errlen) != 0)
        return -1;
    if (check_cafile(conf, err, errlen) != 0) {
        lcpam_conf_free(conf);
        return -1;
    }
    return 0;
}

int lcpam_conf_load(const char *path, lcpam_conf *conf, char *err, size_t errlen)
{
    memset(conf, 0, sizeof *conf);
    return lcpam_file_parse(path, 0, LCPAM_FILE_MAX, parse_and_check, conf, err, errlen);
}

void lcpam_conf_free(lcpam_conf *conf)
{
    if (!conf)
        return;
    free(conf->api_url);
    free(conf->auth_url);
    free(conf->cafile);
    free(conf->credentials_file);
    free(conf->token_file);
    free(conf->map_file);
    free(conf->rules_file);
    lcpam_cache_conf_free(&conf->cache);
    lcpam_identity_conf_free(&conf->identity);
    free(conf->places_file);
    memset(conf, 0, sizeof *conf);
}
