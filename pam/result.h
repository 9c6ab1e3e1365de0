/* Outcome of one online check and its PAM return code. Pure. */
#ifndef LCPAM_RESULT_H
#define LCPAM_RESULT_H

#include <lockcloud/policy.h>

#include "conf.h"

typedef enum lcpam_outcome_kind {
    LCPAM_ALLOW,  /* the rule allowed                                      */
    LCPAM_DENY,   /* the rule denied (malformed or ambiguous documents)    */
    LCPAM_GONE,   /* 404 on the person request: the person no longer exists */
    LCPAM_REMOTE, /* no decision: unreachable, timeout, TLS, 4xx/5xx, auth */
    LCPAM_LOCAL   /* local fault: usage, memory, token file                */
} lcpam_outcome_kind;

typedef struct lcpam_outcome {
    lcpam_outcome_kind kind;
    lc_decision decision;  /* ALLOW, DENY, GONE: rule and reason            */
    lc_status status;      /* REMOTE, LOCAL: what failed                     */
    long http_status;      /* REMOTE: HTTP status, 0 when none was received */
    char request[64];      /* REMOTE, LOCAL: the request that failed, log-safe */
    char message[256];     /* REMOTE, LOCAL: the library's message, log-safe */
    int config_error;      /* LOCAL: the installation or configuration is
                              wrong (cafile contents, the network part),
                              logged as a configuration error            */
} lcpam_outcome;

/* Classifies a failed fetch (err->kind != LC_OK) into out. failed is
 * lc_access_docs.failed: the LC_NEED_* bit of the document whose own
 * request got the answer in err (the core tells it; 0 when none did):
 *  - an ambiguous answer (LC_ERR_PARSE + LC_ERRF_AMBIGUOUS) is a DENY:
 *    two readers could disagree, so neither reading may grant access;
 *  - a 404 is GONE only when it answered the person's own request
 *    (failed has LC_NEED_PERSON; a 404 from the OAuth endpoint is a wrong
 *    auth_url: an outage);
 *  - usage, memory and I/O faults are LOCAL, everything else REMOTE.
 * request is copied and message rendered (lc_error_render_detail: the
 * message and a retry hint) as quoted log fields (LC_TEXT_FIELD): quotes,
 * backslashes, control bytes, non-ASCII and '=' replaced (no forged
 * key=value fields in the log line). */
void lcpam_outcome_from_error(lcpam_outcome *out, const lc_error *err, unsigned failed);

/* The PAM code for an outcome under a failmode, and a short label for the
 * log ("allow", "deny", "unavailable", "ignore", "error"). */
int lcpam_pam_code(const lcpam_outcome *out, lcpam_failmode mode, const char **label);

#endif
