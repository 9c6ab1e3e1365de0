/* The module configuration file (config=, default /etc/security/lockcloud.conf). */
#ifndef LCPAM_CONF_H
#define LCPAM_CONF_H

#include <stddef.h>
#include <lockcloud/policy.h>

#include "decision_cache.h"
#include "identity_index.h"

#define LCPAM_DEFAULT_CONFIG "/etc/security/lockcloud.conf"
#define LCPAM_DEFAULT_TIMEOUT_S 3
#define LCPAM_MAX_TIMEOUT_S 120

/* What to answer when the cloud cannot give a decision. */
typedef enum lcpam_failmode {
    LCPAM_FAIL_SECURE = 0, /* PAM_AUTHINFO_UNAVAIL: the login is refused  */
    LCPAM_FAIL_SAFE,       /* PAM_IGNORE: the rest of the stack decides  */
    LCPAM_FAIL_CACHED      /* the last online decision within offline_grace
                              (never an allow past its stay end), else as
                              secure; needs cache_dir                    */
} lcpam_failmode;

typedef struct lcpam_conf {
    char *api_url;          /* NULL: library default                        */
    char *auth_url;         /* NULL: library default                        */
    char *cafile;           /* NULL: system trust store                     */
    char *credentials_file; /* required                                      */
    char *token_file;       /* NULL: tokens live for one PAM call only      */
    char *map_file;         /* required                                      */
    lcpam_failmode failmode;
    long timeout_s;         /* overall deadline per PAM call                */
    lc_rule rule;           /* without rules_file: every login's rule       */
    char rule_text[LC_RULE_TEXT_MAX + 1]; /* rule as written (the decision
                               cache's key without rules_file)           */
    char *rules_file;       /* NULL: rule applies; else rules.h picks one   */
    lcpam_cache_conf cache; /* cache_dir, cache_ttl, cache_negative_ttl,
                               offline_grace (decision_cache.h)       */
    lcpam_identity_conf identity; /* identity, index_file, index_max_age
                                     (identity_index.h)                  */
    char *places_file;      /* NULL: scheduled accesses never allow; else
                               lockcloud sync's places file (places_index.h) */
} lcpam_conf;

/* Parses configuration text (modified in place) into *conf. Unknown,
 * duplicate or missing-required keys and bad values are errors; on error
 * conf holds nothing (already freed). Returns 0 or -1 with err. */
/* "secure", "safe", "cached": as the config spells it. */
const char *lcpam_failmode_name(lcpam_failmode mode);

int lcpam_conf_parse(char *text, lcpam_conf *conf, char *err, size_t errlen);

/* lcpam_file_load(path) + lcpam_conf_parse; messages name the path. */
int lcpam_conf_load(const char *path, lcpam_conf *conf, char *err, size_t errlen);

void lcpam_conf_free(lcpam_conf *conf);

#endif
