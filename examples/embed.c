/*
 * Embedding liblockcloud in a C program: list the account's devices and
 * unlock one.
 *
 *   cc embed.c $(pkg-config --cflags --libs lockcloud) -o embed
 *   LOCKCLOUD_CLIENT_ID=... LOCKCLOUD_CLIENT_SECRET=... \
 *       ./embed [--url URL] [--ca CAFILE] [DEVICE_ID]
 *
 * --url sets both the API and the OAuth base URL (lockcloud-sim serves
 * both on one port); without it the real RemoteLock hosts are used. With no
 * DEVICE_ID the first lock found is unlocked.
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
    fprintf(stderr, "%s failed: %s (%s)\n", what, err->message, lc_status_name(err->kind));
    if (err->kind == LC_ERR_RATE_LIMITED && err->retry_after >= 0)
        fprintf(stderr, "retry in %ld s\n", err->retry_after);
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
    int i, rc = 1;

    lc_error_init(&err);
    for (i = 1; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (strcmp(argv[i], "--url") == 0) {
            cfg.api_url = argv[i + 1];
            cfg.auth_url = argv[i + 1];
        } else if (strcmp(argv[i], "--ca") == 0) {
            cfg.cafile = argv[i + 1];
        } else {
            break;
        }
    }
    if (i < argc && argv[i][0] == '-') {
        fprintf(stderr, "usage: %s [--url URL] [--ca CAFILE] [DEVICE_ID]\n", argv[0]);
        return 2;
    }
    if (i < argc)
        snprintf(lock_id, sizeof(lock_id), "%s", argv[i]);
    cfg.client_id = getenv("LOCKCLOUD_CLIENT_ID");
    cfg.client_secret = getenv("LOCKCLOUD_CLIENT_SECRET");
    if (!cfg.client_id || !cfg.client_secret) {
        fprintf(stderr, "set LOCKCLOUD_CLIENT_ID and LOCKCLOUD_CLIENT_SECRET\n");
        return 2;
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
