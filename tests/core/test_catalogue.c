/* The catalogue is the one description every binding reads, so its rows
 * must be internally consistent: a wrong flag or a missing terminator
 * would become a wrong generated method. No network. */
#include <string.h>

#include "lockcloud/lockcloud.h"
#include "tap.h"

static int in_list(const char *const *list, const char *s)
{
    for (; list && *list; list++)
        if (strcmp(*list, s) == 0)
            return 1;
    return 0;
}

static int takes(const lc_endpoint *ep, const char *key, lc_param_kind kind)
{
    for (const lc_param *p = ep->params; p && p->name; p++)
        if (strcmp(p->name, key) == 0)
            return p->kind == kind;
    return 0;
}

static void check_row(const lc_endpoint *ep)
{
    int get = !strcmp(ep->method, "GET"), post = !strcmp(ep->method, "POST");
    int coll = !!(ep->flags & LC_EP_COLLECTION), body = !!(ep->flags & LC_EP_BODY);
    const char *dot = strchr(ep->name, '.');

    ok(dot && dot != ep->name && dot[1] && !strchr(dot + 1, '.'), "%s: <resource>.<action>",
       ep->name);
    ok(ep->binding && *ep->binding && strspn(ep->binding, "abcdefghijklmnopqrstuvwxyz_") ==
       strlen(ep->binding), "%s: binding '%s' is a Lua identifier", ep->name,
       ep->binding ? ep->binding : "(null)");
    ok(ep->summary && *ep->summary, "%s: summary", ep->name);
    ok((body != 0) == (ep->body != LC_BODY_NONE) && (!body || !get), "%s: body style matches flags",
       ep->name);
    ok(!coll || get, "%s: collections are GETs", ep->name);
    ok(!(ep->flags & LC_EP_NO_CONTENT) || !strcmp(ep->method, "DELETE"),
       "%s: only DELETE answers 204", ep->name);
    ok(((ep->flags & LC_EP_IDEMPOTENT) != 0) == !post, "%s: idempotent unless POST", ep->name);
    ok(coll || (!ep->params && !ep->sorts && !ep->default_sort), "%s: only collections take queries",
       ep->name);
    ok((ep->sorts != NULL) == takes(ep, "sort", LC_PARAM_SORT), "%s: sorts iff a sort key",
       ep->name);
    ok(!ep->default_sort || in_list(ep->sorts, ep->default_sort + (*ep->default_sort == '-')),
       "%s: default sort is sortable", ep->name);
    ok(ep->body != LC_BODY_TYPED || (ep->types && ep->types[0]), "%s: typed body lists types",
       ep->name);
    ok(!takes(ep, "type", LC_PARAM_LIST) || !ep->types || ep->types[0],
       "%s: type list not empty", ep->name);
    size_t colons = 0;
    for (const char *p = ep->path; *p; p++)
        colons += *p == ':';
    ok(lc_endpoint_path_params(ep) == colons, "%s: %zu path parameters", ep->name, colons);
    ok(!(ep->flags & LC_EP_CSV_ANSWER) || (get && !coll),
       "%s: a CSV answer is a single GET's (a pager reads JSON pages)", ep->name);
}

/* Which flavours document a row follows its flags, and only them: every
 * row is in one flavour at least. */
static void check_flavours(const lc_vendor *v, const lc_endpoint *ep, size_t *now, size_t *v1)
{
    int only_v1 = !!(ep->flags & LC_EP_LEGACY_V1), only_now = !!(ep->flags & LC_EP_CURRENT_ONLY);
    int in_now = lc_endpoint_in_flavour(v, ep, "current"), in_v1 = lc_endpoint_in_flavour(v, ep, "v1");

    ok(!(only_v1 && only_now), "%s: not both LC_EP_LEGACY_V1 and LC_EP_CURRENT_ONLY", ep->name);
    ok(in_now == !only_v1 && in_v1 == !only_now,
       "%s: in flavour current %d, v1 %d, as its flags say", ep->name, in_now, in_v1);
    ok(!lc_endpoint_in_flavour(v, ep, "V1") && !lc_endpoint_in_flavour(v, ep, NULL) &&
       !lc_endpoint_in_flavour(NULL, ep, "v1"), "%s: in no unknown flavour", ep->name);
    *now += (size_t)in_now;
    *v1 += (size_t)in_v1;
}

int main(void)
{
    const lc_vendor *v = lc_vendor_find("remotelock");
    const lc_endpoint *ep;
    size_t n, now = 0, v1 = 0;

    ok(v && !strcmp(lc_vendor_name(v), "remotelock"), "remotelock vendor");
    ok(!lc_vendor_find("nope") && !lc_vendor_find(NULL) && !lc_vendor_name(NULL),
       "unknown vendors");
    for (n = 0; (ep = lc_vendor_endpoint_at(v, n)) != NULL; n++) {
        check_row(ep);
        check_flavours(v, ep, &now, &v1);
        ok(lc_endpoint_at(n) == ep && lc_vendor_endpoint_find(v, ep->name) == ep,
           "%s: found by name and index", ep->name);
        for (size_t j = 0; j < n; j++) {
            const lc_endpoint *o = lc_vendor_endpoint_at(v, j);
            if (!strcmp(o->binding, ep->binding) || !strcmp(o->name, ep->name))
                ok(0, "%s and %s share a name or binding", o->name, ep->name);
            if (!strcmp(o->method, ep->method) && !strcmp(o->path, ep->path))
                ok(0, "%s and %s share %s %s", o->name, ep->name, ep->method, ep->path);
        }
    }
    /* 000 documents 93 endpoints, 001 77 (tests/spec; test_catalogue_live.c
     * checks each documented one has its row), events.list is in both */
    ok(n >= 106, "catalogue has %zu rows", n);
    ok(now >= 94 && v1 >= 77, "flavour current has %zu rows, v1 %zu", now, v1);
    ok(!strcmp(lc_vendor_flavour_at(v, 0), "current") && !strcmp(lc_vendor_flavour_at(v, 1), "v1")
       && !lc_vendor_flavour_at(v, 2) && !lc_vendor_flavour_at(NULL, 0),
       "remotelock's flavours: current (the default), v1");
    ep = lc_endpoint_find("door_group_accesses.search");
    ok(ep && (ep->flags & LC_EP_CSV_ANSWER) && (ep->flags & LC_EP_CURRENT_ONLY),
       "the door group access search answers CSV, current API only");
    ep = lc_endpoint_find("access_persons.import");
    ok(ep && ep->body == LC_BODY_DOCUMENT && !strcmp(ep->method, "POST") &&
       !(ep->flags & LC_EP_CSV_ANSWER), "the CSV import sends a JSON document ({csv = ...})");
    ep = lc_endpoint_find("devices.power_on");
    ok(ep && (ep->flags & LC_EP_LEGACY_V1) && !lc_endpoint_in_flavour(v, ep, "current"),
       "power_on is LockState v1's alone");
    ep = lc_endpoint_find("schedules.create");
    ok(ep && ep->body == LC_BODY_TYPED && ep->types && !strcmp(ep->types[4], "thermostat_schedule")
       && !ep->types[5], "schedules.create takes the five schedule types");
    ok(lc_endpoint_path_params(lc_endpoint_find("accesses.update")) == 2 &&
       lc_endpoint_path_params(NULL) == 0, "path parameter count");
    ok(lc_vendor_endpoint_at(NULL, 0) == NULL && lc_vendor_endpoint_find(v, NULL) == NULL,
       "NULL arguments");
    return tap_done();
}
