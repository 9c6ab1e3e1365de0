/* Status mapping, in one table-like place (duo_unix style): each way a check
 * can end maps to exactly one PAM code; nothing falls through to success. */
#include <stdio.h>
#include <string.h>
#include <security/pam_modules.h>

#include "result.h"
/* The core's sanitizer and error renderer (internal, linked statically). */
#include "../core/src/error_render.h"

static void set_decision(lcpam_outcome *out, lcpam_outcome_kind kind, const char *reason)
{
    out->kind = kind;
    out->decision.allow = 0;
    snprintf(out->decision.reason, sizeof out->decision.reason, "%s", reason);
}

/* OAuth errors (RFC 6749 5.2) that blame the client's own credentials. */
static int client_refused(const char *oauth_error)
{
    return strcmp(oauth_error, "invalid_client") == 0 ||
           strcmp(oauth_error, "unauthorized_client") == 0;
}

void lcpam_outcome_from_error(lcpam_outcome *out, const lc_error *err, unsigned failed)
{
    lc_status st = err->kind;

    out->status = st;
    out->http_status = err->http_status;
    /* Quoted log fields: no quote, backslash, control byte or '=' (the
     * text may come from the server, and a reader splitting the line on
     * blanks would otherwise find "result=allow" in it). */
    lc_text_sanitize(out->request, sizeof out->request, err->request, LC_TEXT_FIELD);
    lc_error_render_detail(err, LC_TEXT_FIELD, out->message, sizeof out->message);
    switch (st) {
    case LC_ERR_PARSE:
        /* Duplicate key or NUL: the answer reads two ways. A decision
         * (deny) under both failmodes, never an outage to be ignored. */
        if (err->flags & LC_ERRF_AMBIGUOUS) {
            set_decision(out, LCPAM_DENY, "ambiguous answer");
            return;
        }
        out->kind = LCPAM_REMOTE;
        return;
    case LC_ERR_HTTP:
    case LC_ERR_API_RESOURCE:
    case LC_ERR_API_GENERAL:
        /* The cloud answered that the person does not exist: a decision,
         * not an outage, so failmode=safe must not turn it into IGNORE.
         * Only the person's own request says so (the core marks it): the
         * same status from the token endpoint is a misconfigured or broken
         * cloud. */
        if (err->http_status == 404 && (failed & LC_NEED_PERSON)) {
            set_decision(out, LCPAM_GONE, "access person not found");
            return;
        }
        out->kind = LCPAM_REMOTE;
        return;
    case LC_ERR_AUTH:
        /* The authorisation server says our client_id/client_secret are
         * wrong: a local configuration error, so failmode must not turn it
         * into PAM_IGNORE (a mistyped secret would admit every expired
         * guest behind a permitting stack). */
        if (client_refused(err->api_type)) {
            out->kind = LCPAM_LOCAL;
            return;
        }
        out->kind = LCPAM_REMOTE;
        return;
    case LC_ERR_TRANSPORT:
    case LC_ERR_TLS:
    case LC_ERR_TIMEOUT:
    case LC_ERR_RATE_LIMITED:
        out->kind = LCPAM_REMOTE;
        return;
    case LC_OK: /* not an error: refuse to guess */
    case LC_ERR_TOO_MANY: /* a pager's; PAM sends single GETs: a bug here */
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
