/* lockcloud sync: builds the identity index (pam/identity_index.h) from
 * the configured pattern, and the places file (sync_places.c), out of
 * band, so that no login ever pages the account. Every status is indexed: a user the index forgot would be
 * unmapped, and the recommended stack lets an unmapped user through, so an
 * expired or deactivated guest must stay mapped (the cloud then denies).
 * Two walks: current and upcoming persons first, all of them indexed (two
 * for one user: ambiguous, denied); then expired and deactivated ones, one
 * per user the first walk did not map (a returning guest's old stays do
 * not make the user ambiguous; any of them is a deny). Either listing past
 * the API's 10,000-item cap fails the sync and keeps the old index. */
#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "identity_index.h"

#include "../core/src/json_print.h"

static const char sync_usage[] =
    "usage: lockcloud sync [--dry-run] [--json] [--config FILE]\n";

typedef struct sync_counts {
    size_t seen, skipped, users, ambiguous;
} sync_counts;

/* What a walk fills: the builder (live persons), or the list of inactive
 * ones (b NULL), added after the walk for users it left unmapped. */
typedef struct sync_walk {
    const lcpam_identity_conf *ic;
    lcpam_index_builder *b;
    lcpam_index_builder *inactive;
    sync_counts *n;
} sync_walk;

/* root and the system accounts (uid below LCCLI_FIRST_USER_UID, Debian's
 * UID_MIN) are never indexed. */
#define LCCLI_FIRST_USER_UID 1000
static int system_account(const char *user)
{
    struct passwd pw, *found = NULL;
    char buf[4096];

    return getpwnam_r(user, &pw, buf, sizeof buf, &found) == 0 && found &&
           found->pw_uid < LCCLI_FIRST_USER_UID;
}

/* Adds one person to the builder when its attribute fits the pattern. */
static lc_status take(void *ctx, const cJSON *item, lc_error *err)
{
    const sync_walk *w = ctx;
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(item, "attributes");
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(attrs,
                                                          lcpam_identity_attr_name(w->ic->attr));
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
    char user[LCPAM_USER_MAX + 1];
    lc_error lerr;
    lc_status st;

    w->n->seen++;
    if (!cJSON_IsString(value) || !cJSON_IsString(id) ||
        !lcpam_identity_user_of(w->ic, value->valuestring, user)) {
        w->n->skipped++;
        return LC_OK;
    }
    if (system_account(user)) {
        /* A guest's email or name is the guest's to choose: root@... must
         * not make the cloud the judge of root's logins. */
        w->n->skipped++;
        return LC_OK;
    }
    lc_error_init(&lerr);
    st = lcpam_index_builder_add(w->b ? w->b : w->inactive, user, id->valuestring, &lerr);
    if (st == LC_ERR_USAGE) {
        /* An id no login could use: skipped, like a misfit. */
        w->n->skipped++;
        return LC_OK;
    }
    if (st != LC_OK)
        *err = lerr;
    return st;
}

static int user_cmp(const void *a, const void *b)
{
    return strcmp(((const lcpam_index_pair *)a)->user, ((const lcpam_index_pair *)b)->user);
}

/* Both walks (see the top of this file). */
static int walk(lc_client *client, const lcpam_identity_conf *ic, lcpam_index_builder *b,
                sync_counts *n)
{
    static const char *const live[] = { "attributes[status][]", "current",
                                        "attributes[status][]", "upcoming", NULL };
    static const char *const gone[] = { "attributes[status][]", "expired",
                                        "attributes[status][]", "deactivated", NULL };
    lcpam_index_builder inactive, mapped;
    sync_walk w = { ic, b, NULL, n };
    int rc;
    lc_error err;

    lcpam_index_builder_init(&inactive);
    rc = lccli_each_person(client, live, take, &w);
    w.b = NULL;
    w.inactive = &inactive;
    if (rc == LCCLI_OK)
        rc = lccli_each_person(client, gone, take, &w);
    /* the users the live walk mapped, sorted, to look inactive ones up in */
    mapped = *b;
    mapped.pairs = b->count ? malloc(b->count * sizeof *b->pairs) : NULL;
    if (rc == LCCLI_OK && b->count && !mapped.pairs)
        rc = LCCLI_FAIL;
    if (mapped.pairs) {
        memcpy(mapped.pairs, b->pairs, b->count * sizeof *b->pairs);
        qsort(mapped.pairs, mapped.count, sizeof *mapped.pairs, user_cmp);
    }
    if (inactive.count)
        qsort(inactive.pairs, inactive.count, sizeof *inactive.pairs, user_cmp);
    lc_error_init(&err);
    for (size_t i = 0; rc == LCCLI_OK && i < inactive.count; i++) {
        const lcpam_index_pair *p = &inactive.pairs[i];
        if ((i > 0 && strcmp(p->user, inactive.pairs[i - 1].user) == 0) ||
            (mapped.pairs && bsearch(p, mapped.pairs, mapped.count, sizeof *p, user_cmp)))
            continue;
        if (lcpam_index_builder_add(b, p->user, p->id, &err) != LC_OK) {
            lccli_error("sync", &err);
            rc = LCCLI_FAIL;
        }
    }
    lc_error_clear(&err);
    free(mapped.pairs);
    lcpam_index_builder_free(&inactive);
    return rc;
}

/* Calls fn for each ambiguous user with its pairs [first, end). */
static void each_ambiguous(const lcpam_index_builder *b,
                           void (*fn)(void *ctx, const lcpam_index_pair *first, size_t n),
                           void *ctx)
{
    for (size_t i = 0; i < b->count;) {
        size_t j = i + 1;
        while (j < b->count && strcmp(b->pairs[j].user, b->pairs[i].user) == 0)
            j++;
        if (j - i > 1)
            fn(ctx, &b->pairs[i], j - i);
        i = j;
    }
}

/* User names and ids in the builder passed its checks: safe to print. */
static void ambiguous_line(void *ctx, const lcpam_index_pair *p, size_t n)
{
    (void)ctx;
    fprintf(stderr, "lockcloud: sync: user %s is ambiguous (denied until one person remains):",
            p->user);
    for (size_t k = 0; k < n; k++)
        fprintf(stderr, " %s", p[k].id);
    fputc('\n', stderr);
}

static void ambiguous_json(void *ctx, const lcpam_index_pair *p, size_t n)
{
    cJSON *o = cJSON_CreateObject(), *ids;

    cJSON_AddStringToObject(o, "user", p->user);
    ids = cJSON_AddArrayToObject(o, "ids");
    for (size_t k = 0; ids && k < n; k++)
        cJSON_AddItemToArray(ids, cJSON_CreateString(p[k].id));
    cJSON_AddItemToArray(ctx, o);
}

/* The index in place now (--dry-run): its size, build time and age; NULL
 * with the reason on stderr when it cannot be used. */
static cJSON *current_index(const lcpam_identity_conf *ic, time_t now)
{
    lcpam_index_info info;
    time_t t;
    struct tm tm;
    char when[32];
    lc_error err;
    cJSON *o;

    lc_error_init(&err);
    if (lcpam_index_lookup(ic, NULL, now, NULL, &info, &err) == LCPAM_INDEX_ERROR) {
        lccli_error("current index", &err);
        lc_error_clear(&err);
        return NULL;
    }
    t = (time_t)info.built_at;
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "users", info.count);
    cJSON_AddStringToObject(o, "built_at", when);
    cJSON_AddBoolToObject(o, "stale", info.stale);
    return o;
}

/* What one sync did, in text or as one JSON document. */
static int report(const lccli *c, const lcpam_index_builder *b, const sync_counts *n, int dry,
                  int json, time_t now, cJSON *places)
{
    int ident = c->conf.identity.attr != LCPAM_ATTR_NONE;
    cJSON *cur = dry && ident ? current_index(&c->conf.identity, now) : NULL, *doc, *amb;
    char *text = NULL;
    lc_error err;
    int rc = LCCLI_OK;

    if (places) {
        /* The places file's own line or member (sync_places.c). */
        cJSON_AddStringToObject(places, "places_file", c->conf.places_file);
        cJSON_AddBoolToObject(places, "written", !dry);
        if (!json)
            printf("places: schedules %d, exceptions %d, places %d, unplaced %d; %s %s\n",
                   cJSON_GetObjectItem(places, "schedules")->valueint,
                   cJSON_GetObjectItem(places, "exceptions")->valueint,
                   cJSON_GetObjectItem(places, "places")->valueint,
                   cJSON_GetObjectItem(places, "unplaced")->valueint,
                   dry ? "dry run, not written:" : "wrote", c->conf.places_file);
    }
    if (!json && !ident) {
        cJSON_Delete(places);
        return LCCLI_OK;
    }
    if (!json) {
        cJSON_Delete(places);
        each_ambiguous(b, ambiguous_line, NULL);
        if (cur)
            printf("current index: %d users, built %s%s\n",
                   cJSON_GetObjectItem(cur, "users")->valueint,
                   cJSON_GetObjectItem(cur, "built_at")->valuestring,
                   cJSON_IsTrue(cJSON_GetObjectItem(cur, "stale"))
                   ? " (stale: older than index_max_age)" : "");
        printf("persons seen %zu, skipped %zu; users mapped %zu, ambiguous %zu; %s %s\n",
               n->seen, n->skipped, n->users - n->ambiguous, n->ambiguous,
               dry ? "dry run, not written:" : "wrote", c->conf.identity.index_file);
        cJSON_Delete(cur);
        return LCCLI_OK;
    }
    doc = cJSON_CreateObject();
    if (!ident)
        goto places_only;
    cJSON_AddNumberToObject(doc, "persons_seen", (double)n->seen);
    cJSON_AddNumberToObject(doc, "skipped", (double)n->skipped);
    cJSON_AddNumberToObject(doc, "mapped", (double)(n->users - n->ambiguous));
    amb = cJSON_AddArrayToObject(doc, "ambiguous");
    each_ambiguous(b, ambiguous_json, amb);
    /* The path is the admin's own configuration, checked as a path. */
    cJSON_AddStringToObject(doc, "index_file", c->conf.identity.index_file);
    cJSON_AddBoolToObject(doc, "written", !dry);
    if (dry)
        cJSON_AddItemToObject(doc, "current_index", cur ? cur : cJSON_CreateNull());
places_only:
    if (places)
        cJSON_AddItemToObject(doc, "places", places);
    lc_error_init(&err);
    if (lc_json_print(doc, &text, NULL, &err) != LC_OK) {
        lccli_error("json", &err);
        rc = LCCLI_FAIL;
    } else {
        puts(text);
    }
    free(text);
    cJSON_Delete(doc);
    return rc;
}

/* Walk, build, write (unless dry), report. */
static int run(lccli *c, int dry, int json)
{
    lcpam_index_builder b;
    sync_counts n = { 0, 0, 0, 0 };
    int ident = c->conf.identity.attr != LCPAM_ATTR_NONE;
    cJSON *places = NULL, *summary = NULL;
    unsigned char *data = NULL;
    size_t len = 0;
    time_t now;
    lc_error err;
    int rc;

    lcpam_index_builder_init(&b);
    rc = ident ? walk(c->client, &c->conf.identity, &b, &n) : LCCLI_OK;
    now = time(NULL);
    lc_error_init(&err);
    if (rc == LCCLI_OK && ident) {
        lcpam_index_builder_finish(&b);
        lcpam_index_builder_counts(&b, &n.users, &n.ambiguous);
        if (lcpam_index_encode(&b, c->conf.identity.spec, (long long)now, &data, &len, &err)
            != LC_OK) {
            lccli_error("sync", &err);
            rc = LCCLI_FAIL;
        }
    }
    if (rc == LCCLI_OK && ident && !dry &&
        lcpam_index_write(c->conf.identity.index_file, data, len, &err) != LC_OK) {
        lccli_error("sync", &err);
        rc = LCCLI_FAIL;
    }
    /* The places file, when configured (sync_places.c). */
    if (rc == LCCLI_OK && c->conf.places_file)
        rc = lccli_places_build(c->client, (long long)now, &places, &summary);
    if (rc == LCCLI_OK && places && !dry)
        rc = lccli_places_write(c->conf.places_file, places);
    cJSON_Delete(places);
    if (rc == LCCLI_OK)
        rc = report(c, &b, &n, dry, json, now, summary);
    else
        cJSON_Delete(summary);
    lc_error_clear(&err);
    free(data);
    lcpam_index_builder_free(&b);
    return rc;
}

int lccli_sync(int argc, char **argv)
{
    static const struct option opts[] = {
        { "dry-run", no_argument, NULL, 'n' },
        { "json", no_argument, NULL, 'j' },
        { "config", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *config = NULL;
    int dry = 0, json = 0, o, rc;
    lccli c;

    opterr = 0;
    optind = 1;
    while ((o = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (o) {
        case 'n': dry = 1; break;
        case 'j': json = 1; break;
        case 'c': config = optarg; break;
        case 'h': fputs(sync_usage, stdout); return LCCLI_OK;
        default:
            return lccli_usage("sync", "unknown option or missing value", sync_usage);
        }
    }
    if (optind != argc)
        return lccli_usage("sync", "takes no arguments", sync_usage);
    rc = lccli_load_conf(&c, config);
    if (rc == LCCLI_OK && c.conf.identity.attr == LCPAM_ATTR_NONE && !c.conf.places_file) {
        lccli_msg("sync: %s sets no identity (e.g. identity = email:%%u@example.org) "
                  "and no places_file", c.config_path);
        rc = LCCLI_USAGE;
    }
    if (rc == LCCLI_OK)
        rc = lccli_connect(&c);
    if (rc == LCCLI_OK)
        rc = run(&c, dry, json);
    rc = lccli_flush(rc);
    lccli_close(&c);
    return rc;
}
