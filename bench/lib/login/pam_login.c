/* A minimal PAM client for benches that run whole logins at once: one
 * account check as a login's own process makes it, then exits.
 *   pam_login CONFDIR SERVICE USER
 * pam_start_confdir with the service files of CONFDIR, pam_acct_mgmt
 * (PAM_SILENT); exit status 0 when allowed, 1 when not, 2 on bad usage.
 * pamtester under pam_wrapper cannot run concurrently: pam_wrapper 1.1.4
 * copies the service files to /tmp/pam.<letter>, and processes starting
 * together race for a name (about one login in 200 fails at four at once
 * with "Initialization failure"). bench/build.mk builds it apart from the
 * sources every bench links. */
#include <stdio.h>
#include <syslog.h>

#include <security/pam_appl.h>

static int no_conv(int n, const struct pam_message **msg, struct pam_response **resp, void *ud)
{
    (void)n; (void)msg; (void)resp; (void)ud;
    return PAM_CONV_ERR;
}

int main(int argc, char **argv)
{
    struct pam_conv conv = { no_conv, NULL };
    pam_handle_t *h = NULL;
    int rc;

    if (argc != 4) {
        fprintf(stderr, "usage: pam_login CONFDIR SERVICE USER\n");
        return 2;
    }
    /* No LOG_CONS: with no syslog daemon the module's lines are dropped,
     * not written to the console. */
    openlog("pam_login", LOG_PID, LOG_AUTHPRIV);
    rc = pam_start_confdir(argv[2], argv[3], &conv, argv[1], &h);
    if (rc == PAM_SUCCESS)
        rc = pam_acct_mgmt(h, PAM_SILENT);
    pam_end(h, rc);
    return rc == PAM_SUCCESS ? 0 : 1;
}
