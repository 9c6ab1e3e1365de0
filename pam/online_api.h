/* The seam between the PAM module and its network part (online.so, built
 * from online_part.c, check.c and the client code of liblockcloud). The
 * module maps the network part only when a login needs the cloud, so a
 * cached decision never loads libcurl, libssl or libcrypto. Both halves
 * come from one build: the loader refuses a part whose version or struct
 * sizes differ (a half-upgraded install) instead of misreading memory. */
#ifndef LCPAM_ONLINE_API_H
#define LCPAM_ONLINE_API_H

#include <stddef.h>

#include "decide.h"

/* Where the part lies, relative to the directory holding the module. */
#define LCPAM_ONLINE_PATH "pam_lockcloud/online.so"
/* The one symbol the part exports. */
#define LCPAM_ONLINE_SYMBOL "lcpam_online_part"

/* A checksum of the headers both halves are built from (pam/build.mk):
 * a rebuild that changed a shared struct is "another build" even at the
 * same version. */
#ifndef LCPAM_ABI_ID
#error "LCPAM_ABI_ID comes from pam/build.mk"
#endif

typedef struct lcpam_online_api {
    char version[32];       /* LOCKCLOUD_VERSION of the build               */
    unsigned long abi;      /* LCPAM_ABI_ID of the build                    */
    size_t conf_size;       /* sizeof(lcpam_conf)                           */
    size_t creds_size;      /* sizeof(lcpam_creds)                          */
    size_t outcome_size;    /* sizeof(lcpam_outcome)                        */
    lcpam_online_fn *check; /* check.h's lcpam_check                        */
} lcpam_online_api;

typedef const lcpam_online_api *lcpam_online_api_fn(void);

#endif
