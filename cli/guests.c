/* lockcloud guests: the account's access persons with the ids the map
 * file takes, through the core's pager (which paces itself on the rate
 * limit), as a table or one JSON document. Every string from the server is
 * sanitised (core/src/text.c) before it reaches the terminal. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#include "../core/src/errors.h"
#include "../core/src/json_print.h"
#include "../core/src/text.h"

#define STATUS_MAX 4
static const char *const statuses[STATUS_MAX] = { "current", "upcoming", "expired",
                                                  "deactivated" };
/* Columns, in order; the attribute each reads ("id" and "type" are the
 * resource's own members). */
static const char *const columns[] = { "id", "type", "status", "starts_at", "ends_at", "name",
                                       "email" };
#define NCOL (sizeof columns / sizeof columns[0])
#define CELL_MAX 256

static const char guests_usage[] =
    "usage: lockcloud guests [--json] [--status S[,S...]] [--config FILE]\n"
    "  S: current, upcoming, expired, deactivated or all (repeatable);\n"
    "     default: current and upcoming (the API's default)\n";

/* Adds the statuses of one --status value to want (bit per status). */
static int parse_status(const char *v, unsigned *want)
{
    const char *p = v;

    if (strcmp(v, "all") == 0) {
        *want |= (1u << STATUS_MAX) - 1;
        return 0;
    }
    while (*p) {
        size_t n = strcspn(p, ","), i;
        for (i = 0; i < STATUS_MAX; i++)
            if (strlen(statuses[i]) == n && strncmp(p, statuses[i], n) == 0)
                break;
        if (i == STATUS_MAX)
            return -1;
        *want |= 1u << i;
        p += n;
        if (*p == ',' && *++p == '\0')
            return -1;
    }
    return v[0] ? 0 : -1;
}

/* One cell: the member's string, sanitised; "" for null or missing. */
static void cell(const cJSON *item, const char *col, char *dst, size_t dstlen)
{
    const cJSON *src = item;

    if (strcmp(col, "id") != 0 && strcmp(col, "type") != 0)
        src = cJSON_GetObjectItemCaseSensitive(item, "attributes");
    src = cJSON_GetObjectItemCaseSensitive(src, col);
    /* An id or type is one word; the rest is human text. */
    lc_text_sanitize(dst, dstlen, cJSON_IsString(src) ? src->valuestring : "",
                     strcmp(col, "id") == 0 || strcmp(col, "type") == 0 ? LC_TEXT_WORD
                                                                         : LC_TEXT_MESSAGE);
}

/* Characters (not bytes) of sanitised UTF-8, for column widths. */
static size_t width(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

typedef struct rows {
    char (*cells)[NCOL][CELL_MAX];
    size_t count, cap;
} rows;

static int rows_add(rows *r, const cJSON *item)
{
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        void *p = realloc(r->cells, cap * sizeof *r->cells);
        if (!p)
            return -1;
        r->cells = p;
        r->cap = cap;
    }
    for (size_t c = 0; c < NCOL; c++)
        cell(item, columns[c], r->cells[r->count][c], CELL_MAX);
    r->count++;
    return 0;
}

static void print_table(const rows *r)
{
    size_t w[NCOL];

    for (size_t c = 0; c < NCOL; c++) {
        w[c] = strlen(columns[c]);
        for (size_t i = 0; i < r->count; i++)
            if (width(r->cells[i][c]) > w[c])
                w[c] = width(r->cells[i][c]);
    }
    for (size_t c = 0; c < NCOL; c++) {
        for (const char *h = columns[c]; *h; h++)
            putchar(*h >= 'a' && *h <= 'z' ? *h - 'a' + 'A' : *h);
        printf("%*s", c + 1 < NCOL ? (int)(w[c] - strlen(columns[c]) + 2) : 0, "");
    }
    putchar('\n');
    for (size_t i = 0; i < r->count; i++) {
        for (size_t c = 0; c < NCOL; c++) {
            const char *v = r->cells[i][c][0] ? r->cells[i][c] : "-";
            fputs(v, stdout);
            if (c + 1 < NCOL)
                printf("%*s", (int)(w[c] - width(v) + 2), "");
        }
        putchar('\n');
    }
}

static int print_json(const rows *r)
{
    cJSON *doc = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(doc, "access_persons");
    int rc = LCCLI_OK;

    if (!list || !cJSON_AddNumberToObject(doc, "count", (double)r->count))
        rc = LCCLI_FAIL;
    for (size_t i = 0; rc == LCCLI_OK && i < r->count; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(list, o)) {
            cJSON_Delete(o);
            rc = LCCLI_FAIL;
            break;
        }
        for (size_t c = 0; c < NCOL; c++) {
            const char *v = r->cells[i][c];
            if (!(v[0] ? cJSON_AddStringToObject(o, columns[c], v)
                       : cJSON_AddNullToObject(o, columns[c])))
                rc = LCCLI_FAIL;
        }
    }
    return lccli_json_out(doc, rc == LCCLI_OK, "guests") == 0 ? LCCLI_OK : LCCLI_FAIL;
}

static lc_status add_row(void *ctx, const cJSON *person, lc_error *err)
{
    if (rows_add(ctx, person) != 0)
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    return LC_OK;
}

/* Walks the collection into r; LCCLI_OK or LCCLI_FAIL (printed). */
static int fetch(lc_client *client, unsigned want, rows *r)
{
    const char *query[2 * STATUS_MAX + 1];
    size_t q = 0;

    for (size_t i = 0; i < STATUS_MAX; i++)
        if (want & (1u << i)) {
            query[q++] = "attributes[status][]";
            query[q++] = statuses[i];
        }
    query[q] = NULL;
    return lccli_each_person(client, query, add_row, r);
}

int lccli_guests(int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "status", required_argument, NULL, 's' },
        { "config", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *config = NULL;
    unsigned want = 0;
    int json = 0, o, rc;
    rows r = { NULL, 0, 0 };
    lccli c;

    opterr = 0;
    optind = 1;
    while ((o = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (o) {
        case 'j': json = 1; break;
        case 'c': config = optarg; break;
        case 's':
            if (parse_status(optarg, &want) != 0) {
                lccli_msg("guests: --status takes current, upcoming, expired, deactivated "
                          "or all");
                return LCCLI_USAGE;
            }
            break;
        case 'h': fputs(guests_usage, stdout); return LCCLI_OK;
        default:
            return lccli_usage("guests", "unknown option or missing value", guests_usage);
        }
    }
    if (optind != argc)
        return lccli_usage("guests", "takes no arguments", guests_usage);
    rc = lccli_load_conf(&c, config);
    if (rc == LCCLI_OK)
        rc = lccli_connect(&c);
    if (rc == LCCLI_OK)
        rc = fetch(c.client, want, &r);
    if (rc == LCCLI_OK) {
        if (json)
            rc = print_json(&r);
        else
            print_table(&r);
    }
    rc = lccli_flush(rc);
    free(r.cells);
    lccli_close(&c);
    return rc;
}
