/*
 * Embedding liblockcloud in a C program: list the account's devices and
 * unlock one.
 *
 *   cc embed.c $(pkg-config --cflags --libs lockcloud) -o embed
 *   ./embed [URL [CAFILE [DEVICE_ID]]]
 *
 * URL is used for both the API and the OAuth server (lockcloud-sim serves
 * both on one port); without it the real RemoteLock hosts are used. CAFILE
 * is the CA bundle to trust (the simulator writes one at start). With no
 * DEVICE_ID the first lock found is unlocked. Credentials come from
 * LOCKCLOUD_CLIENT_ID / LOCKCLOUD_CLIENT_SECRET and default to the
 * simulator's demo application.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lockcloud/lockcloud.h>

static void log_line(void *ud, int level, const char *msg)
{
    (void)ud;
    if (level <= LC_LOG_WARN)
        fprintf(stderr, "lockcloud: %s\n", msg);
}

static const char *attr(const cJSON *item, const char *name)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(item, "attributes");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, name);
    return cJSON_IsString(v) ? v->valuestring : "?";
}

static int fail(const char *what, lc_error *err)
{
    /* The message already says when to retry after a 429 (err->retry_after
     * holds the number for a program that waits). */
    fprintf(stderr, "%s failed: %s (%s)\n", what, err->message, lc_status_name(err->kind));
    lc_error_clear(err);
    return 1;
}

/* Lists every device (pages are fetched as needed) and remembers the id
 * of the first lock. */
static int list_devices(lc_client *client, char *first_lock, size_t len, lc_error *err)
{
    lc_pager *pager = NULL;
    const cJSON *item;
    lc_status st;

    if (lc_pager_new(client, "devices.list", NULL, NULL, 50, &pager, err))
        return fail("listing devices", err);
    while ((st = lc_pager_next(pager, &item, err)) == LC_OK && item) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(item, "type");
        if (!cJSON_IsString(id) || !cJSON_IsString(type))
            continue;
        printf("%-38s %-10s %-20s %s\n", id->valuestring, type->valuestring,
               attr(item, "name"), attr(item, "state"));
        if (!first_lock[0] && strcmp(type->valuestring, "lock") == 0)
            snprintf(first_lock, len, "%s", id->valuestring);
    }
    lc_pager_free(pager);
    return st ? fail("listing devices", err) : 0;
}

int main(int argc, char **argv)
{
    lc_config cfg = { 0 };
    lc_client *client = NULL;
    lc_error err;
    cJSON *doc = NULL;
    char lock_id[128] = "";
    int rc = 1;

    lc_error_init(&err);
    if (argc > 4 || (argc > 1 && argv[1][0] == '-')) {
        fprintf(stderr, "usage: %s [URL [CAFILE [DEVICE_ID]]]\n", argv[0]);
        return 2;
    }
    if (argc > 1)
        cfg.api_url = cfg.auth_url = argv[1];
    if (argc > 2)
        cfg.cafile = argv[2];
    if (argc > 3)
        snprintf(lock_id, sizeof(lock_id), "%s", argv[3]);
    cfg.client_id = getenv("LOCKCLOUD_CLIENT_ID");
    cfg.client_secret = getenv("LOCKCLOUD_CLIENT_SECRET");
    if (!cfg.client_id || !cfg.client_secret) {
        cfg.client_id = "lockcloud-demo-client";
        cfg.client_secret = "lockcloud-demo-secret";
    }
    cfg.log = log_line;

    if (lc_client_new(&cfg, &client, &err))
        return fail("creating the client", &err);
    /* Tokens are obtained on demand (client_credentials here). */
    if (list_devices(client, lock_id, sizeof(lock_id), &err))
        goto out;
    if (!lock_id[0]) {
        fprintf(stderr, "no lock to unlock\n");
        goto out;
    }
    if (lc_call(client, "devices.unlock", (lc_query[]){ lock_id, NULL }, NULL, NULL, &doc,
                &err)) {
        fail("unlocking", &err);
        goto out;
    }
    printf("unlocked %s: state %s\n", lock_id,
           attr(cJSON_GetObjectItemCaseSensitive(doc, "data"), "state"));
    rc = 0;
out:
    cJSON_Delete(doc);
    lc_client_free(client);
    return rc;
}
