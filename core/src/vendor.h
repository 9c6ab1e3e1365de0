/* The vendor seam: one descriptor per cloud API. Everything the generic
 * request path needs to know about a vendor is here; nothing else in the
 * core names a vendor. */
#ifndef LC_VENDOR_H
#define LC_VENDOR_H

#include <stddef.h>
#include "lockcloud/lockcloud.h"

struct lc_vendor {
    const char *name;               /* "remotelock"                         */
    const lc_endpoint *catalogue;   /* its endpoints                        */
    size_t ncatalogue;
};

/* The vendors' catalogues (catalogue_<vendor>.c). */
extern const lc_vendor lc_vendor_remotelock;

#endif
