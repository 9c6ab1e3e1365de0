/* GET /groups/:id/door_group_accesses/search.csv: the group's accesses as
 * CSV (the documentation shows only "[binary data]"; the columns are the
 * simulator's, see SIMULATOR.md), RFC 4180 with CRLF line ends. */
#include <stdlib.h>
#include <string.h>
#include "remotelock.h"

typedef struct text {
    char *s;
    size_t len, cap;
    int failed;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->failed)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->len + n + 1) * 2;
        char *s2 = realloc(t->s, cap);
        if (!s2) {
            t->failed = 1;
            return;
        }
        t->s = s2;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

/* One RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void field(text *t, const char *v, int last)
{
    v = v ? v : "";
    if (strpbrk(v, ",\"\r\n")) {
        put(t, "\"", 1);
        for (const char *p = v; *p; p++) {
            put(t, p, 1);
            if (*p == '"')
                put(t, "\"", 1); /* doubled */
        }
        put(t, "\"", 1);
    } else {
        put(t, v, strlen(v));
    }
    put(t, last ? "\r\n" : ",", last ? 2 : 1);
}

static const char *const csv_columns[] = {
    "access_person_id", "access_person_type", "name", "email", "status", "starts_at",
    "ends_at", NULL,
};

/* A row per grant to the group, in creation order: the person's id,
 * type, name, email, status and stay (empty for users). */
static char *accesses_csv(res_ctx *c, const cJSON *group)
{
    text t = {0};
    const cJSON *a;
    for (size_t i = 0; csv_columns[i]; i++)
        field(&t, csv_columns[i], !csv_columns[i + 1]);
    cJSON_ArrayForEach(a, rl_list(c->d, "accesses")) {
        const char *type = rec_str(a, "accessible_type"), *id = rec_str(a, "accessible_id");
        if (!type || !id || strcmp(type, "door_group") != 0 || strcmp(id, rec_id(group)) != 0)
            continue;
        const cJSON *p = res_find(c->d, c->api, res_def_find(c->api, "access_persons"),
                                  rec_str(a, "access_person_id"));
        if (!p)
            continue;
        field(&t, rec_id(p), 0);
        field(&t, rec_type(p), 0);
        field(&t, rec_str(p, "name"), 0);
        field(&t, rec_str(p, "email"), 0);
        field(&t, rl_person_status(c, p), 0);
        field(&t, rec_str(p, "starts_at"), 0);
        field(&t, rec_str(p, "ends_at"), 1);
    }
    if (t.failed) {
        free(t.s);
        return NULL;
    }
    return t.s;
}

void rl_group_accesses_csv(res_ctx *c, const cJSON *group)
{
    char *csv = accesses_csv(c, group);
    cJSON *raw = csv ? cJSON_CreateRaw(csv) : NULL;
    free(csv);
    if (!raw) {
        c->api->doc->internal(c->res);
        return;
    }
    c->res->status = 200;
    c->res->body = raw;
    c->res->content_type = "text/csv";
}
