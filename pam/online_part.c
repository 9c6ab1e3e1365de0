/* The network part's only export (online_api.h): the online check, with
 * what the loader needs to know it was built with the module. */
#include <lockcloud/lockcloud.h>

#include "check.h"
#include "online_api.h"

const lcpam_online_api *lcpam_online_part(void) __attribute__((visibility("default")));

const lcpam_online_api *lcpam_online_part(void)
{
    static const lcpam_online_api api = {
        LOCKCLOUD_VERSION, sizeof(lcpam_conf), sizeof(lcpam_creds), sizeof(lcpam_outcome),
        lcpam_check,
    };
    return &api;
}
