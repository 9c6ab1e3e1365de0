/* Catalogue look-ups over any vendor's rows (the rows themselves live in
 * catalogue_<vendor>_<group>.c) and the flavour rules: which form of a
 * vendor's API documents which row. */
#include <stdio.h>
#include <string.h>

#include "client.h"
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
    for (size_t p = 0; p < vendor->nparts; p++)
        for (size_t i = 0; i < vendor->parts[p]->n; i++)
            if (strcmp(vendor->parts[p]->rows[i].name, name) == 0)
                return &vendor->parts[p]->rows[i];
    return NULL;
}

const lc_endpoint *lc_vendor_endpoint_at(const lc_vendor *vendor, size_t index)
{
    if (!vendor)
        return NULL;
    for (size_t p = 0; p < vendor->nparts; p++) {
        if (index < vendor->parts[p]->n)
            return &vendor->parts[p]->rows[index];
        index -= vendor->parts[p]->n;
    }
    return NULL;
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

/* ---- flavours ------------------------------------------------------------ */

const lc_flavour *lc_flavour_find(const lc_vendor *vendor, const char *name)
{
    const lc_flavour *f = vendor ? vendor->protocol->flavours : NULL;

    if (f && !name)
        return f;
    for (; f && f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

lc_status lc_flavour_pick(const lc_vendor *vendor, const char *name, const lc_flavour **out,
                          lc_error *err)
{
    char names[128] = "";
    size_t len = 0;

    *out = lc_flavour_find(vendor, name);
    if (*out)
        return LC_OK;
    for (const lc_flavour *f = vendor->protocol->flavours; f && f->name && len < sizeof names; f++)
        len += (size_t)snprintf(names + len, sizeof names - len, "%s\"%s\"", len ? ", " : "",
                                f->name);
    return lc_err_set(err, LC_ERR_USAGE, "unknown flavour '%.40s' (the %s API has: %s)", name,
                      vendor->name, names);
}

const char *lc_vendor_flavour_at(const lc_vendor *vendor, size_t index)
{
    const lc_flavour *f = vendor ? vendor->protocol->flavours : NULL;

    for (size_t i = 0; f && f[i].name; i++)
        if (i == index)
            return f[i].name;
    return NULL;
}

static int documents(const lc_flavour *f, const lc_endpoint *ep)
{
    return !(ep->flags & f->outside);
}

int lc_endpoint_in_flavour(const lc_vendor *vendor, const lc_endpoint *ep, const char *flavour)
{
    const lc_flavour *f = flavour ? lc_flavour_find(vendor, flavour) : NULL;
    return f && ep && documents(f, ep);
}

const char *lc_client_flavour(const lc_client *c)
{
    return c ? c->flavour->name : NULL;
}

lc_status lc_client_endpoint(const lc_client *c, const char *name, const lc_endpoint **out,
                             lc_error *err)
{
    const lc_endpoint *ep = lc_vendor_endpoint_find(c->vendor, name);
    const lc_flavour *f;

    *out = NULL;
    if (!ep)
        return lc_err_set(err, LC_ERR_USAGE, "unknown endpoint '%.100s'", name ? name : "(null)");
    if (!documents(c->flavour, ep)) {
        for (f = c->vendor->protocol->flavours; f->name && !documents(f, ep); f++)
            ;
        return lc_err_set(err, LC_ERR_USAGE, "%s (%s %s) is documented only by %s (flavour "
                          "\"%s\"); this client speaks flavour \"%s\" (%s)", ep->name,
                          ep->method, ep->path, f->name ? f->title : "no flavour",
                          f->name ? f->name : "", c->flavour->name, c->flavour->title);
    }
    *out = ep;
    return LC_OK;
}
