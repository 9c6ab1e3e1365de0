/* The network part's only export (online_api.h): the online check, with
 * what the loader needs to know it was built with the module. */
#include <lockcloud/lockcloud.h>
#include <openssl/crypto.h>

#include "check.h"
#include "online_api.h"

const lcpam_online_api *lcpam_online_part(void) __attribute__((visibility("default")));

const lcpam_online_api *lcpam_online_part(void)
{
    /* Before libcurl initialises OpenSSL (the first call registers the
     * exit handler): no OPENSSL_cleanup at exit, which would only free
     * what the exiting login process gives back anyway, at ~1.4M
     * instructions per login. The part is never unloaded (RTLD_NODELETE),
     * so nothing is used after exit. The system configuration (security
     * level) is still loaded. */
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_LOAD_CONFIG, NULL);
    static const lcpam_online_api api = {
        LOCKCLOUD_VERSION, LCPAM_ABI_ID, sizeof(lcpam_conf), sizeof(lcpam_creds), sizeof(lcpam_outcome),
        lcpam_check,
    };
    return &api;
}
