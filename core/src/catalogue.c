/* Catalogue look-ups over any vendor's rows (the rows themselves live in
 * catalogue_<vendor>.c). */
#include <string.h>

#include "vendor.h"

static const lc_vendor *const vendors[] = { &lc_vendor_remotelock };

const lc_vendor *lc_vendor_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof vendors / sizeof vendors[0]; i++)
        if (strcmp(vendors[i]->name, name) == 0)
            return vendors[i];
    return NULL;
}

const char *lc_vendor_name(const lc_vendor *vendor)
{
    return vendor ? vendor->name : NULL;
}

const lc_endpoint *lc_vendor_endpoint_find(const lc_vendor *vendor, const char *name)
{
    if (!vendor || !name)
        return NULL;
    for (size_t i = 0; i < vendor->ncatalogue; i++)
        if (strcmp(vendor->catalogue[i].name, name) == 0)
            return &vendor->catalogue[i];
    return NULL;
}

const lc_endpoint *lc_vendor_endpoint_at(const lc_vendor *vendor, size_t index)
{
    return vendor && index < vendor->ncatalogue ? &vendor->catalogue[index] : NULL;
}

const lc_endpoint *lc_endpoint_find(const char *name)
{
    return lc_vendor_endpoint_find(&lc_vendor_remotelock, name);
}

const lc_endpoint *lc_endpoint_at(size_t index)
{
    return lc_vendor_endpoint_at(&lc_vendor_remotelock, index);
}

size_t lc_endpoint_path_params(const lc_endpoint *ep)
{
    size_t n = 0;
    if (!ep || !ep->path)
        return 0;
    for (const char *p = ep->path; (p = strchr(p, '/')) != NULL; p++)
        if (p[1] == ':')
            n++;
    return n;
}
