/* Status mapping, in one table-like place (duo_unix style): each way a check
 * can end maps to exactly one PAM code; nothing falls through to success. */
#include <stdio.h>
#include <security/pam_modules.h>

#include "result.h"

void lcpam_outcome_from_error(lcpam_outcome *out, lc_status st, long http_status)
{
    out->status = st;
    out->http_status = http_status;
    switch (st) {
    case LC_ERR_HTTP:
    case LC_ERR_API_RESOURCE:
    case LC_ERR_API_GENERAL:
        /* The cloud answered that the person does not exist: a decision,
         * not an outage, so failmode=safe must not turn it into IGNORE. */
        if (http_status == 404) {
            out->kind = LCPAM_GONE;
            out->decision.allow = 0;
            snprintf(out->decision.reason, sizeof out->decision.reason,
                     "access person not found");
            return;
        }
        out->kind = LCPAM_REMOTE;
        return;
    case LC_ERR_TRANSPORT:
    case LC_ERR_TLS:
    case LC_ERR_TIMEOUT:
    case LC_ERR_RATE_LIMITED:
    case LC_ERR_AUTH:
    case LC_ERR_PARSE:
        out->kind = LCPAM_REMOTE;
        return;
    case LC_OK: /* not an error: refuse to guess */
    case LC_ERR_USAGE:
    case LC_ERR_NOMEM:
    case LC_ERR_IO:
    default:
        out->kind = LCPAM_LOCAL;
        return;
    }
}

int lcpam_pam_code(const lcpam_outcome *out, lcpam_failmode mode, const char **label)
{
    const char *l = "error";
    int code = PAM_SERVICE_ERR;

    switch (out->kind) {
    case LCPAM_ALLOW:
        /* Belt and braces: the decision itself must agree. */
        if (out->decision.allow == 1) {
            l = "allow";
            code = PAM_SUCCESS;
        } else {
            l = "deny";
            code = PAM_PERM_DENIED;
        }
        break;
    case LCPAM_DENY:
    case LCPAM_GONE:
        l = "deny";
        code = PAM_PERM_DENIED;
        break;
    case LCPAM_REMOTE:
        if (mode == LCPAM_FAIL_SAFE) {
            l = "ignore";
            code = PAM_IGNORE;
        } else {
            l = "unavailable";
            code = PAM_AUTHINFO_UNAVAIL;
        }
        break;
    case LCPAM_LOCAL:
    default:
        code = out->status == LC_ERR_NOMEM ? PAM_BUF_ERR : PAM_SERVICE_ERR;
        break;
    }
    if (label)
        *label = l;
    return code;
}
