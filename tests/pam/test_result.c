/* Unit tests for the status mapping: every way a check can end, under both
 * failmodes, maps to exactly the documented PAM code. */
#include <string.h>
#include <security/pam_modules.h>

#include "result.h"
#include "tap.h"

static int code_for(lc_status st, long http, lcpam_failmode mode, const char **label)
{
    lcpam_outcome o;

    memset(&o, 0, sizeof o);
    lcpam_outcome_from_error(&o, st, http);
    return lcpam_pam_code(&o, mode, label);
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

    /* 404 is the cloud's answer, not an outage: denied in both modes. */
    for (int m = 0; m < 2; m++) {
        static const lc_status kinds[] = { LC_ERR_HTTP, LC_ERR_API_RESOURCE, LC_ERR_API_GENERAL };
        for (size_t i = 0; i < 3; i++) {
            memset(&o, 0, sizeof o);
            lcpam_outcome_from_error(&o, kinds[i], 404);
            ok(o.kind == LCPAM_GONE && lcpam_pam_code(&o, (lcpam_failmode)m, &label) == PAM_PERM_DENIED &&
               strcmp(o.decision.reason, "access person not found") == 0,
               "404 %s -> PAM_PERM_DENIED (%s)", lc_status_name(kinds[i]), m ? "safe" : "secure");
        }
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

    static const lc_status local[] = { LC_ERR_USAGE, LC_ERR_IO, LC_OK, (lc_status)77 };
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
