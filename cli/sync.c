/* lockcloud sync: builds the identity index (pam/identity_index.h) from
 * the configured pattern, out of band, so that no login ever pages the
 * account. Persons current or upcoming are indexed: only they can be
 * admitted until someone edits them (and the next sync sees that), the
 * expired history grows without bound and would reach the API's 10,000-item
 * listing cap, and a returning guest's old stays do not make their user
 * ambiguous. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "identity_index.h"

static const char sync_usage[] =
    "usage: lockcloud sync [--dry-run] [--config FILE]\n";

typedef struct sync_counts {
    size_t seen, skipped, users, ambiguous;
} sync_counts;

/* What the walk fills. */
typedef struct sync_walk {
    const lcpam_identity_conf *ic;
    lcpam_index_builder *b;
    sync_counts *n;
} sync_walk;

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
    lc_error_init(&lerr);
    st = lcpam_index_builder_add(w->b, user, id->valuestring, &lerr);
    if (st == LC_ERR_USAGE) {
        /* An id no login could use: skipped, like a misfit. */
        w->n->skipped++;
        return LC_OK;
    }
    if (st != LC_OK)
        *err = lerr;
    return st;
}

/* Current and upcoming persons only (see the top of this file). */
static int walk(lc_client *client, const lcpam_identity_conf *ic, lcpam_index_builder *b,
                sync_counts *n)
{
    static const char *const query[] = { "attributes[status][]", "current",
                                         "attributes[status][]", "upcoming", NULL };
    sync_walk w = { ic, b, n };

    return lccli_each_person(client, query, take, &w);
}

/* Ambiguous users on stderr, one line each with every person that fits. */
static void report_ambiguous(const lcpam_index_builder *b)
{
    for (size_t i = 0; i < b->count;) {
        size_t j = i + 1;
        while (j < b->count && strcmp(b->pairs[j].user, b->pairs[i].user) == 0)
            j++;
        if (j - i > 1) {
            fprintf(stderr, "lockcloud: sync: user %s is ambiguous (denied until one person "
                    "remains):", b->pairs[i].user);
            for (size_t k = i; k < j; k++)
                fprintf(stderr, " %s", b->pairs[k].id);
            fputc('\n', stderr);
        }
        i = j;
    }
}

/* The index that is there now, for --dry-run: its age, or why it fails. */
static void report_current(const lcpam_identity_conf *ic, time_t now)
{
    lcpam_index_info info;
    lc_error err;
    char when[32];

    lc_error_init(&err);
    if (lcpam_index_lookup(ic, NULL, now, NULL, &info, &err) == LCPAM_INDEX_ERROR) {
        lccli_error("current index", &err);
        lc_error_clear(&err);
        return;
    }
    {
        time_t t = (time_t)info.built_at;
        struct tm tm;
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    }
    printf("current index: %u users, built %s%s\n", (unsigned)info.count, when,
           info.stale ? " (stale: older than index_max_age)" : "");
}

int lccli_sync(int argc, char **argv)
{
    static const struct option opts[] = {
        { "dry-run", no_argument, NULL, 'n' },
        { "config", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *config = NULL;
    int dry = 0, o, rc;
    lcpam_index_builder b;
    sync_counts n = { 0, 0, 0, 0 };
    unsigned char *data = NULL;
    size_t len = 0;
    time_t now;
    lc_error err;
    lccli c;

    opterr = 0;
    optind = 1;
    while ((o = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (o) {
        case 'n': dry = 1; break;
        case 'c': config = optarg; break;
        case 'h': fputs(sync_usage, stdout); return LCCLI_OK;
        default:
            lccli_msg("sync: unknown option or missing value");
            fputs(sync_usage, stderr);
            return LCCLI_USAGE;
        }
    }
    if (optind != argc) {
        lccli_msg("sync: takes no arguments");
        fputs(sync_usage, stderr);
        return LCCLI_USAGE;
    }
    rc = lccli_load_conf(&c, config);
    if (rc == LCCLI_OK && c.conf.identity.attr == LCPAM_ATTR_NONE) {
        lccli_msg("sync: %s sets no identity (e.g. identity = email:%%u@example.org)",
                  c.config_path);
        rc = LCCLI_USAGE;
    }
    lcpam_index_builder_init(&b);
    if (rc == LCCLI_OK)
        rc = lccli_connect(&c);
    if (rc == LCCLI_OK)
        rc = walk(c.client, &c.conf.identity, &b, &n);
    now = time(NULL);
    lc_error_init(&err);
    if (rc == LCCLI_OK) {
        lcpam_index_builder_finish(&b);
        lcpam_index_builder_counts(&b, &n.users, &n.ambiguous);
        report_ambiguous(&b);
        if (lcpam_index_encode(&b, c.conf.identity.spec, (long long)now, &data, &len, &err)
            != LC_OK) {
            lccli_error("sync", &err);
            rc = LCCLI_FAIL;
        }
    }
    if (rc == LCCLI_OK && dry)
        report_current(&c.conf.identity, now);
    if (rc == LCCLI_OK && !dry &&
        lcpam_index_write(c.conf.identity.index_file, data, len, &err) != LC_OK) {
        lccli_error("sync", &err);
        rc = LCCLI_FAIL;
    }
    if (rc == LCCLI_OK)
        printf("persons seen %zu, skipped %zu; users mapped %zu, ambiguous %zu; %s %s\n",
               n.seen, n.skipped, n.users - n.ambiguous, n.ambiguous,
               dry ? "dry run, not written:" : "wrote", c.conf.identity.index_file);
    lc_error_clear(&err);
    free(data);
    lcpam_index_builder_free(&b);
    lccli_close(&c);
    return rc;
}
