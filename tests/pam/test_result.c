/* Unit tests for the status mapping: every way a check can end, under both
 * failmodes, maps to exactly the documented PAM code. */
#include <stdio.h>
#include <string.h>
#include <security/pam_modules.h>

#include "check.h"
#include "result.h"
#include "tap.h"

/* What lc_call names the person request in err->request (for the log). */
#define PERSON_REQUEST "GET /access_persons/:id"

static lc_error make_err(lc_status st, long http, const char *request, unsigned flags)
{
    lc_error e;

    lc_error_init(&e);
    e.kind = st;
    e.http_status = http;
    e.flags = flags;
    snprintf(e.request, sizeof e.request, "%s", request);
    snprintf(e.message, sizeof e.message, "%s failed", request);
    return e;
}

/* failed: lc_access_docs.failed, the core's word on whose request failed. */
static int code_doc(lc_status st, long http, const char *request, unsigned failed,
                    unsigned flags, lcpam_failmode mode, const char **label, lcpam_outcome *o)
{
    lc_error e = make_err(st, http, request, flags);

    memset(o, 0, sizeof *o);
    lcpam_outcome_from_error(o, &e, failed);
    return lcpam_pam_code(o, mode, label);
}

/* A failure the core pinned on the person request when request names it. */
static int code_req(lc_status st, long http, const char *request, unsigned flags,
                    lcpam_failmode mode, const char **label, lcpam_outcome *o)
{
    unsigned failed = strcmp(request, PERSON_REQUEST) == 0 ? LC_NEED_PERSON : 0;

    return code_doc(st, http, request, failed, flags, mode, label, o);
}

static int code_for(lc_status st, long http, lcpam_failmode mode, const char **label)
{
    lcpam_outcome o;

    return code_req(st, http, PERSON_REQUEST, 0, mode, label, &o);
}

int main(void)
{
    lcpam_outcome o;
    const char *label;

    memset(&o, 0, sizeof o);
    o.kind = LCPAM_ALLOW;
    o.decision.allow = 1;
    ok(lcpam_pam_code(&o, LCPAM_FAIL_SECURE, &label) == PAM_SUCCESS && strcmp(label, "allow") == 0,
       "allow -> PAM_SUCCESS");
    o.decision.allow = 0;
    ok(lcpam_pam_code(&o, LCPAM_FAIL_SAFE, &label) == PAM_PERM_DENIED && strcmp(label, "deny") == 0,
       "ALLOW kind with a deny decision is still denied");
    o.kind = LCPAM_DENY;
    ok(lcpam_pam_code(&o, LCPAM_FAIL_SECURE, &label) == PAM_PERM_DENIED, "deny -> PAM_PERM_DENIED (secure)");
    ok(lcpam_pam_code(&o, LCPAM_FAIL_SAFE, &label) == PAM_PERM_DENIED, "deny -> PAM_PERM_DENIED (safe)");
    ok(lcpam_pam_code(&o, LCPAM_FAIL_SAFE, NULL) == PAM_PERM_DENIED, "NULL label tolerated");

    /* 404 on the person request is the cloud's answer, not an outage:
     * denied in both modes. */
    for (int m = 0; m < 2; m++) {
        static const lc_status kinds[] = { LC_ERR_HTTP, LC_ERR_API_RESOURCE, LC_ERR_API_GENERAL };
        for (size_t i = 0; i < 3; i++) {
            int code = code_req(kinds[i], 404, PERSON_REQUEST, 0, (lcpam_failmode)m, &label, &o);
            ok(o.kind == LCPAM_GONE && code == PAM_PERM_DENIED &&
               strcmp(o.decision.reason, "access person not found") == 0,
               "404 %s on the person request -> PAM_PERM_DENIED (%s)", lc_status_name(kinds[i]),
               m ? "safe" : "secure");
        }
    }
    /* The same status from another request (a wrong auth_url) is an outage. */
    static const struct { lc_status st; const char *req; } not_person[] = {
        { LC_ERR_HTTP, "POST /oauth/token" }, { LC_ERR_API_GENERAL, "POST /oauth/token" },
        { LC_ERR_AUTH, "POST /oauth/token" }, { LC_ERR_AUTH, PERSON_REQUEST },
        { LC_ERR_HTTP, "" }, { LC_ERR_HTTP, "GET /access_persons/:id/accesses" },
    };
    for (size_t i = 0; i < sizeof not_person / sizeof not_person[0]; i++) {
        int sec = code_req(not_person[i].st, 404, not_person[i].req, 0, LCPAM_FAIL_SECURE, &label, &o);
        int safe = code_req(not_person[i].st, 404, not_person[i].req, 0, LCPAM_FAIL_SAFE, &label, &o);
        ok(o.kind == LCPAM_REMOTE && sec == PAM_AUTHINFO_UNAVAIL && safe == PAM_IGNORE &&
           strcmp(o.request, not_person[i].req) == 0,
           "404 %s on '%s' -> outage (UNAVAIL / IGNORE), request kept", lc_status_name(not_person[i].st),
           not_person[i].req);
    }
    /* GONE is the core's word (lc_access_docs.failed), not a path: a 404
     * whose request text reads like the person's but that the core did not
     * pin on the person's own request is an outage; a pinned one is gone
     * whatever the text says. */
    {
        int sec = code_doc(LC_ERR_HTTP, 404, PERSON_REQUEST, 0, 0, LCPAM_FAIL_SECURE, &label, &o);
        int safe = code_doc(LC_ERR_HTTP, 404, PERSON_REQUEST, 0, 0, LCPAM_FAIL_SAFE, &label, &o);
        ok(o.kind == LCPAM_REMOTE && sec == PAM_AUTHINFO_UNAVAIL && safe == PAM_IGNORE,
           "404 not pinned on the person request by the core -> outage, whatever request says");
        sec = code_doc(LC_ERR_API_RESOURCE, 404, "-", LC_NEED_PERSON, 0, LCPAM_FAIL_SAFE, &label, &o);
        ok(o.kind == LCPAM_GONE && sec == PAM_PERM_DENIED,
           "404 the core pinned on the person request -> PAM_PERM_DENIED (safe)");
        sec = code_doc(LC_ERR_HTTP, 500, PERSON_REQUEST, LC_NEED_PERSON, 0, LCPAM_FAIL_SAFE, &label, &o);
        ok(o.kind == LCPAM_REMOTE && sec == PAM_IGNORE,
           "500 on the person request stays an outage");
    }

    /* An ambiguous answer (duplicate key, NUL) is a denial in both modes;
     * a plain parse error stays an outage. */
    for (int m = 0; m < 2; m++) {
        int code = code_req(LC_ERR_PARSE, 200, PERSON_REQUEST, LC_ERRF_AMBIGUOUS,
                            (lcpam_failmode)m, &label, &o);
        ok(o.kind == LCPAM_DENY && code == PAM_PERM_DENIED && strcmp(label, "deny") == 0 &&
           strcmp(o.decision.reason, "ambiguous answer") == 0,
           "ambiguous answer -> PAM_PERM_DENIED (%s)", m ? "safe" : "secure");
        code = code_req(LC_ERR_PARSE, 200, "POST /oauth/token", LC_ERRF_AMBIGUOUS,
                        (lcpam_failmode)m, &label, &o);
        ok(code == PAM_PERM_DENIED, "ambiguous token answer -> PAM_PERM_DENIED (%s)", m ? "safe" : "secure");
    }
    ok(code_req(LC_ERR_PARSE, 200, PERSON_REQUEST, 0, LCPAM_FAIL_SAFE, &label, &o) == PAM_IGNORE,
       "plain parse error (trailing data, truncated) stays an outage");

    /* The library's message and request reach the log line, made safe. */
    {
        lc_error e = make_err(LC_ERR_IO, 0, "GET /x", 0);
        snprintf(e.message, sizeof e.message, "token file /tmp/a\"b\nc: No such file or directory");
        lcpam_outcome_from_error(&o, &e, 0);
        ok(o.kind == LCPAM_LOCAL && strcmp(o.message, "token file /tmp/a?b?c: No such file or directory") == 0,
           "message copied with quote and newline neutralised");
        /* what= is the core renderer's detail: the retry hint a message
         * lacks is added, as in Lua's tostring; '=' never survives. */
        e = make_err(LC_ERR_RATE_LIMITED, 429, "GET /x", 0);
        e.retry_after = 7;
        snprintf(e.message, sizeof e.message, "slow down: result=allow \xc3\xa9");
        lcpam_outcome_from_error(&o, &e, 0);
        ok(strcmp(o.message, "slow down: result?allow ? (retry after 7 s)") == 0,
           "message rendered with its retry hint, log-safe: %s", o.message);
        lc_error_clear(&e);
    }

    static const struct { lc_status st; long http; } remote[] = {
        { LC_ERR_TRANSPORT, 0 }, { LC_ERR_TLS, 0 }, { LC_ERR_TIMEOUT, 0 },
        { LC_ERR_HTTP, 500 }, { LC_ERR_HTTP, 503 }, { LC_ERR_API_GENERAL, 500 },
        { LC_ERR_API_RESOURCE, 422 }, { LC_ERR_HTTP, 400 }, { LC_ERR_RATE_LIMITED, 429 },
        { LC_ERR_AUTH, 401 }, { LC_ERR_AUTH, 403 }, { LC_ERR_PARSE, 200 },
    };
    for (size_t i = 0; i < sizeof remote / sizeof remote[0]; i++) {
        int sec = code_for(remote[i].st, remote[i].http, LCPAM_FAIL_SECURE, &label);
        int sec_ok = sec == PAM_AUTHINFO_UNAVAIL && strcmp(label, "unavailable") == 0;
        int safe = code_for(remote[i].st, remote[i].http, LCPAM_FAIL_SAFE, &label);
        ok(sec_ok && safe == PAM_IGNORE && strcmp(label, "ignore") == 0,
           "%s/%ld -> AUTHINFO_UNAVAIL (secure), IGNORE (safe)",
           lc_status_name(remote[i].st), remote[i].http);
    }

    /* The authorisation server refusing our own client credentials is the
     * admin's configuration: PAM_SERVICE_ERR whatever the failmode. Other
     * OAuth refusals (invalid_grant, server trouble) stay outages. */
    static const char *const client_errors[] = { "invalid_client", "unauthorized_client" };
    for (size_t i = 0; i < 2; i++) {
        lc_error e = make_err(LC_ERR_AUTH, 401, "POST /oauth/token", 0);
        snprintf(e.api_type, sizeof e.api_type, "%s", client_errors[i]);
        lcpam_outcome_from_error(&o, &e, 0);
        ok(o.kind == LCPAM_LOCAL && lcpam_pam_code(&o, LCPAM_FAIL_SAFE, &label) == PAM_SERVICE_ERR &&
           lcpam_pam_code(&o, LCPAM_FAIL_SECURE, &label) == PAM_SERVICE_ERR,
           "OAuth %s -> PAM_SERVICE_ERR in both modes", client_errors[i]);
    }
    {
        lc_error e = make_err(LC_ERR_AUTH, 400, "POST /oauth/token", 0);
        snprintf(e.api_type, sizeof e.api_type, "invalid_grant");
        lcpam_outcome_from_error(&o, &e, 0);
        ok(o.kind == LCPAM_REMOTE, "OAuth invalid_grant stays an outage");
    }

    /* A deadline used up before the cloud was asked (slow files, a slow
     * account lookup) is local: PAM_SERVICE_ERR, never PAM_IGNORE. */
    {
        char conf_text[] = "credentials_file = /c\nmap_file = /m\nfailmode = safe\n";
        char cerr[256];
        lcpam_conf conf;
        lcpam_creds creds = { NULL, NULL };

        if (lcpam_conf_parse(conf_text, &conf, cerr, sizeof cerr) != 0) {
            ok(0, "test config parses: %s", cerr);
        } else {
            for (long budget = 0; budget >= -1; budget--) {
                lcpam_check(&conf, &creds, "30000000-0000-4000-8000-000000000002", budget, 0,
                            NULL, NULL, &o);
                ok(o.kind == LCPAM_LOCAL && lcpam_pam_code(&o, LCPAM_FAIL_SAFE, &label) == PAM_SERVICE_ERR &&
                   strstr(o.message, "before the cloud was asked") != NULL,
                   "budget %ld ms left before the request -> PAM_SERVICE_ERR under failmode = safe", budget);
            }
            lcpam_conf_free(&conf);
        }
    }

    static const lc_status local[] = { LC_ERR_USAGE, LC_ERR_IO, LC_ERR_TOO_MANY, LC_OK,
                                       (lc_status)77 };
    for (size_t i = 0; i < sizeof local / sizeof local[0]; i++) {
        ok(code_for(local[i], 0, LCPAM_FAIL_SAFE, &label) == PAM_SERVICE_ERR && strcmp(label, "error") == 0 &&
           code_for(local[i], 0, LCPAM_FAIL_SECURE, &label) == PAM_SERVICE_ERR,
           "local fault %d -> PAM_SERVICE_ERR in both modes (never IGNORE)", (int)local[i]);
    }
    ok(code_for(LC_ERR_NOMEM, 0, LCPAM_FAIL_SAFE, &label) == PAM_BUF_ERR, "nomem -> PAM_BUF_ERR");

    memset(&o, 0, sizeof o);
    o.kind = (lcpam_outcome_kind)99;
    ok(lcpam_pam_code(&o, LCPAM_FAIL_SAFE, &label) == PAM_SERVICE_ERR, "unknown outcome kind -> PAM_SERVICE_ERR");
    return tap_done();
}
