/* The access pipeline: which documents a rule needs (lc_rule_needs), one
 * fetcher per document, then the pure decision (policy.c). Shared by the PAM
 * module and the command line, so neither decides on its own what to fetch
 * or how to normalise an id. */
#include <stdio.h>
#include <string.h>

#include <lockcloud/policy.h>

#include "errors.h"
#include "request.h"

/* Collections are read one page at a time, never walked: the largest page
 * RemoteLock serves. What one page cannot settle, the policy denies. */
#define ONE_PAGE "50"

/* One document: the person (catalogue row access_persons.get). */
static lc_status fetch_person(lc_client *client, const lc_rule *rule, lc_access_docs *docs,
                              lc_error *err)
{
    const char *const args[] = { docs->person_id, NULL };

    (void)rule;
    return lc_call(client, "access_persons.get", args, NULL, NULL, &docs->person, err);
}

/* The person's accesses, one page (a person holding more than a page of
 * accesses is denied when the match is not on it). */
static lc_status fetch_accesses(lc_client *client, const lc_rule *rule, lc_access_docs *docs,
                                lc_error *err)
{
    const char *const args[] = { docs->person_id, NULL };
    const char *const query[] = { "per_page", ONE_PAGE, NULL };

    (void)rule;
    return lc_call(client, "accesses.list", args, query, NULL, &docs->accesses, err);
}

/* The presence term's target when the rule has exactly one presence term
 * and it names a device (the events can then be narrowed to it), else NULL. */
static const lc_term *single_presence_device(const lc_rule *rule)
{
    const lc_term *found = NULL;

    for (unsigned i = 0; i < rule->nterms; i++) {
        if (rule->terms[i].kind != LC_TERM_PRESENCE)
            continue;
        if (found)
            return NULL;
        found = &rule->terms[i];
    }
    return found && strcmp(found->type, "location") != 0 ? found : NULL;
}

/* The person's unlocks, newest first, one page: filtered by type and the
 * person (the associated resource of an unlocked_event), and by the device
 * (its publisher) when only one device is asked about, so any unlock on
 * the page within the window settles it. */
static lc_status fetch_events(lc_client *client, const lc_rule *rule, lc_access_docs *docs,
                              lc_error *err)
{
    const lc_term *device = single_presence_device(rule);
    const char *query[] = {
        "type", "unlocked_event",
        "attributes[associated_resource_id]", docs->person_id,
        "sort", "-occurred_at",
        "per_page", ONE_PAGE,
        device ? "attributes[publisher_id]" : NULL, device ? device->id : NULL,
        NULL
    };

    return lc_call(client, "events.list", NULL, query, NULL, &docs->events, err);
}

/* The devices of every presence=location: term, one page. */
static lc_status fetch_devices(lc_client *client, const lc_rule *rule, lc_access_docs *docs,
                               lc_error *err)
{
    const char *query[2 * LC_RULE_TERMS_MAX + 3];
    size_t n = 0;

    for (unsigned i = 0; i < rule->nterms; i++) {
        if (rule->terms[i].kind != LC_TERM_PRESENCE ||
            strcmp(rule->terms[i].type, "location") != 0)
            continue;
        query[n++] = "attributes[location_id][]";
        query[n++] = rule->terms[i].id;
    }
    query[n++] = "per_page";
    query[n++] = ONE_PAGE;
    query[n] = NULL;
    return lc_call(client, "devices.list", NULL, query, NULL, &docs->devices, err);
}

/* Every document the pipeline can fetch, with the catalogue row its own
 * request uses. A rule reading a new document adds its LC_NEED_* bit, a
 * field in lc_access_docs and a row here. */
static const struct {
    unsigned need;
    const char *endpoint;
    lc_status (*fetch)(lc_client *, const lc_rule *, lc_access_docs *, lc_error *);
} fetchers[] = {
    { LC_NEED_PERSON, "access_persons.get", fetch_person },
    { LC_NEED_ACCESSES, "accesses.list", fetch_accesses },
    { LC_NEED_DEVICES, "devices.list", fetch_devices },
    { LC_NEED_EVENTS, "events.list", fetch_events },
};

/* Whether err describes endpoint's own request, not a request made on its
 * behalf (a token request): err->request is what lc_call names it
 * (lc_endpoint_what), cut and cleaned as lc_err_request does. */
static int own_request(const lc_client *client, const char *endpoint, const lc_error *err)
{
    const lc_endpoint *ep = lc_vendor_endpoint_find(lc_client_vendor(client), endpoint);
    char what[256], named[sizeof err->request];

    if (!ep || !err || !err->request[0])
        return 0;
    lc_endpoint_what(ep, what, sizeof what);
    lc_err_sanitize(named, sizeof named, what);
    return strcmp(named, err->request) == 0;
}

#define NFETCHERS (sizeof fetchers / sizeof fetchers[0])

/* allow and deny: decided without documents. */
static int fixed_rule(const lc_rule *rule)
{
    return (rule->kind == LC_RULE_ALLOW || rule->kind == LC_RULE_DENY) && rule->nterms == 0;
}

static unsigned fetchable(void)
{
    unsigned all = 0;

    for (size_t i = 0; i < NFETCHERS; i++)
        all |= fetchers[i].need;
    return all;
}

void lc_access_docs_free(lc_access_docs *docs)
{
    if (!docs)
        return;
    cJSON_Delete(docs->person);
    cJSON_Delete(docs->accesses);
    cJSON_Delete(docs->events);
    cJSON_Delete(docs->devices);
    memset(docs, 0, sizeof *docs);
}

lc_status lc_access_fetch(lc_client *client, const lc_rule *rule, const char *person_id,
                          lc_access_docs *docs, lc_error *err)
{
    unsigned need;
    lc_status st;

    if (!docs)
        return lc_err_set(err, LC_ERR_USAGE, "access fetch: no documents to fill");
    memset(docs, 0, sizeof *docs);
    if (!client || !rule)
        return lc_err_set(err, LC_ERR_USAGE, "access fetch: missing client or rule");
    need = lc_rule_needs(rule);
    /* Refuse before any request rather than evaluate a rule blind. */
    if (need == 0 && !fixed_rule(rule))
        return lc_err_set(err, LC_ERR_USAGE, "rule '%s' needs no document: not a valid rule",
                          lc_rule_name(rule->kind));
    if (need & ~fetchable())
        return lc_err_set(err, LC_ERR_USAGE,
                          "rule '%s' needs a document the access pipeline does not fetch",
                          lc_rule_name(rule->kind));
    st = lc_access_id_normalize(person_id, docs->person_id, sizeof docs->person_id, err);
    if (st != LC_OK)
        return st;
    for (size_t i = 0; i < NFETCHERS; i++) {
        if (!(need & fetchers[i].need))
            continue;
        st = fetchers[i].fetch(client, rule, docs, err);
        if (st != LC_OK) {
            lc_access_docs_free(docs);
            if (own_request(client, fetchers[i].endpoint, err))
                docs->failed = fetchers[i].need;
            return st;
        }
        docs->fetched |= fetchers[i].need;
    }
    return LC_OK;
}

int lc_access_evaluate(const lc_rule *rule, const lc_access_docs *docs, time_t now,
                       lc_decision *out)
{
    lc_policy_input in;
    unsigned need = lc_rule_needs(rule);

    if (!out)
        return 0;
    if (!docs || (need & ~docs->fetched)) {
        out->rule = lc_rule_name(rule ? rule->kind : LC_RULE_NONE);
        out->allow = 0;
        out->valid_until = 0;
        snprintf(out->reason, sizeof out->reason, "%s",
                 docs ? "a document the rule needs was not fetched" : "no documents");
        return 0;
    }
    memset(&in, 0, sizeof in);
    in.person = docs->person;
    /* Always checked: an empty id (a cache that forgot it) matches no one. */
    in.person_id = docs->person_id;
    in.accesses = docs->accesses;
    in.events = docs->events;
    in.devices = docs->devices;
    in.schedules = docs->schedules;
    in.exceptions = docs->exceptions;
    in.zones_of = docs->zones_of;
    in.zones_userdata = docs->zones_userdata;
    in.now = now;
    return lc_policy_evaluate(rule, &in, out);
}

lc_status lc_access_check(lc_client *client, const lc_rule *rule, const char *person_id,
                          time_t now, lc_decision *out, lc_error *err)
{
    lc_access_docs docs;
    lc_status st;

    st = lc_access_fetch(client, rule, person_id, &docs, err);
    if (st == LC_OK) {
        lc_access_evaluate(rule, &docs, now, out);
    } else if (out) {
        out->rule = lc_rule_name(rule ? rule->kind : LC_RULE_NONE);
        out->allow = 0;
        out->valid_until = 0;
        snprintf(out->reason, sizeof out->reason, "no decision: %s", lc_status_name(st));
    }
    lc_access_docs_free(&docs);
    return st;
}
