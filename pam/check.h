/* One online check: the core's access pipeline (lc_access_fetch, then
 * lc_access_evaluate) run with a
 * client made for this login, its end mapped to an lcpam_outcome. */
#ifndef LCPAM_CHECK_H
#define LCPAM_CHECK_H

#include <time.h>
#include <lockcloud/lockcloud.h>

#include "conf.h"
#include "creds.h"
#include "result.h"

/* Asks the cloud about person_id (normalised by the core: lower case, at
 * most LC_ACCESS_ID_MAX characters) and evaluates conf->rule at now. budget_ms
 * bounds everything (connect, TLS, token, request); <= 0 means the local
 * work used it all up: a local failure (PAM_SERVICE_ERR), not an outage.
 * log/log_userdata receive library diagnostics. Always fills *out. */
void lcpam_check(const lcpam_conf *conf, const lcpam_creds *creds,
                 const char *person_id, long budget_ms, time_t now,
                 lc_log_fn log, void *log_userdata, lcpam_outcome *out);

#endif
