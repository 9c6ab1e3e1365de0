/* Outcome of one online check and its PAM return code. Pure. */
#ifndef LCPAM_RESULT_H
#define LCPAM_RESULT_H

#include <lockcloud/policy.h>

#include "conf.h"

typedef enum lcpam_outcome_kind {
    LCPAM_ALLOW,  /* the rule allowed                                      */
    LCPAM_DENY,   /* the rule denied (includes malformed documents)        */
    LCPAM_GONE,   /* 404: the mapped access person no longer exists        */
    LCPAM_REMOTE, /* no decision: unreachable, timeout, TLS, 4xx/5xx, auth */
    LCPAM_LOCAL   /* local fault: usage, memory, token file                */
} lcpam_outcome_kind;

typedef struct lcpam_outcome {
    lcpam_outcome_kind kind;
    lc_decision decision;  /* ALLOW, DENY, GONE: rule and reason            */
    lc_status status;      /* REMOTE, LOCAL: what failed                     */
    long http_status;      /* REMOTE: HTTP status, 0 when none was received */
} lcpam_outcome;

/* Classifies a failed lc_call (st != LC_OK) into out. */
void lcpam_outcome_from_error(lcpam_outcome *out, lc_status st, long http_status);

/* The PAM code for an outcome under a failmode, and a short label for the
 * log ("allow", "deny", "unavailable", "ignore", "error"). */
int lcpam_pam_code(const lcpam_outcome *out, lcpam_failmode mode, const char **label);

#endif
