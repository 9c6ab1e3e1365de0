/* The module's online check: loads the network part (online_api.h) on the
 * first login that needs the cloud and calls it. */
#ifndef LCPAM_ONLINE_LOAD_H
#define LCPAM_ONLINE_LOAD_H

#include "decide.h"

/* An lcpam_online_fn. When the part cannot be loaded (missing, not safely
 * installed, from another build) *out is a local fault naming the path:
 * PAM_SERVICE_ERR whatever the failmode, as for any installation error. */
lcpam_online_fn lcpam_online_check;

#endif
