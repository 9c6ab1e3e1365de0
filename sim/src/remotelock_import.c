/* POST /access_persons/import: a CSV of access persons, each granted one
 * accessible. The documented request is JSON ({"csv": text,
 * "accessible_type", "accessible_id", "send_access_instructions"}); a
 * text/csv body with those three as query parameters is taken too.
 * Headers name the columns in any order and case ("Start Date" is
 * start_date); a row with a start or end date is an access guest (its
 * time defaults to 00:00), else an access user; pin, prox_card
 * (card_number, prox_card_is_hex) and smart_card are its credentials.
 * The request is checked first (422 with nothing created); then each row
 * goes through the same rules as POST /access_persons and the grant as
 * POST .../accesses, and a row they refuse is skipped, as the cloud's
 * background import reports failed rows instead of failing the file. The
 * answer is the documented import action (201, no attributes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "remotelock.h"

#define MAX_COLS 16
#define MAX_ROWS 10000
#define MAX_FIELD 256

static const char *const columns[] = {
    "name", "email", "department", "start_date", "start_time", "end_date",
    "end_time", "pin", "prox_card", "prox_card_is_hex", "smart_card", NULL,
};
enum { COL_NAME, COL_EMAIL, COL_DEPARTMENT, COL_START_DATE, COL_START_TIME, COL_END_DATE,
       COL_END_TIME, COL_PIN, COL_PROX_CARD, COL_PROX_HEX, COL_SMART_CARD, NCOLS };

typedef struct csv {
    const char *p, *end;
} csv;

/* Reads one field into out (cut at MAX_FIELD - 1 bytes); returns 1 when
 * the record goes on, 0 at its end, -1 on a broken quote. */
static int csv_field(csv *r, char out[MAX_FIELD])
{
    size_t n = 0;
    int quoted = r->p < r->end && *r->p == '"';
    if (quoted)
        r->p++;
    while (r->p < r->end) {
        char ch = *r->p;
        if (quoted && ch == '"') {
            if (r->p + 1 < r->end && r->p[1] == '"') {
                r->p++;
            } else {
                quoted = 0;
                r->p++;
                continue;
            }
        } else if (!quoted && (ch == ',' || ch == '\n' || ch == '\r')) {
            break;
        }
        if (n + 1 < MAX_FIELD)
            out[n++] = ch;
        r->p++;
    }
    out[n] = '\0';
    if (quoted)
        return -1;
    if (r->p < r->end && *r->p == ',') {
        r->p++;
        return 1;
    }
    if (r->p < r->end && *r->p == '\r')
        r->p++;
    if (r->p < r->end && *r->p == '\n')
        r->p++;
    return 0;
}

/* One record into fields; the number of fields, or -1. */
static int csv_record(csv *r, char fields[MAX_COLS][MAX_FIELD])
{
    int n = 0, more;
    do {
        char sink[MAX_FIELD];
        more = csv_field(r, n < MAX_COLS ? fields[n] : sink);
        if (more < 0)
            return -1;
        n++;
    } while (more);
    return n;
}

/* "Start Date" -> start_date; the column index, or -1. */
static int column_of(const char *header)
{
    char key[MAX_FIELD];
    size_t n = 0;
    for (const char *s = header; *s && n + 1 < sizeof key; s++)
        key[n++] = *s == ' ' ? '_' : (*s >= 'A' && *s <= 'Z') ? (char)(*s - 'A' + 'a') : *s;
    key[n] = '\0';
    for (int i = 0; columns[i]; i++)
        if (strcmp(columns[i], key) == 0)
            return i;
    return -1;
}

/* The request's parameters, from the JSON body or (CSV body) the query. */
typedef struct params {
    const char *text;
    size_t len;
    const char *type, *id;
    int send; /* -1: missing or not a boolean */
} params;

static void read_params(const res_ctx *c, params *p)
{
    const cJSON *b = c->req->body;
    if (c->req->text_body) {
        const char *send = jsonapi_query(c->req, "send_access_instructions");
        p->text = c->req->text_body;
        p->len = c->req->text_body_len;
        p->type = jsonapi_query(c->req, "accessible_type");
        p->id = jsonapi_query(c->req, "accessible_id");
        p->send = !send ? -1 : strcmp(send, "true") == 0 ? 1 : strcmp(send, "false") == 0 ? 0 : -1;
        return;
    }
    const cJSON *send = cJSON_GetObjectItemCaseSensitive(b, "send_access_instructions");
    p->text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "csv"));
    p->len = p->text ? strlen(p->text) : 0;
    p->type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "accessible_type"));
    p->id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "accessible_id"));
    p->send = cJSON_IsBool(send) ? cJSON_IsTrue(send) : -1;
}

/* Runs one engine create with body, answering into a scratch response;
 * the created record's id (owned by the store), or NULL when refused. */
static const char *create(res_ctx *c, const char *row, const cJSON *parent, cJSON *body)
{
    sim_request rq = *c->req;
    sim_response scratch = {0};
    sim_response *real = c->res;
    const sim_request *sent = c->req;
    rq.body = body;
    rq.text_body = NULL;
    rq.text_body_len = 0;
    c->req = &rq;
    c->res = &scratch;
    res_op_create(c, res_def_find(c->api, row), parent);
    c->req = sent;
    c->res = real;
    const char *id = scratch.status == 201
                         ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
                               cJSON_GetObjectItemCaseSensitive(scratch.body, "data"), "id"))
                         : NULL;
    cJSON *list = res_list(c->d, c->api, res_def_find(c->api, row));
    const cJSON *rec = id ? store_find(list, id) : NULL;
    cJSON_Delete(scratch.body);
    cJSON_Delete(body);
    return rec ? rec_id(rec) : NULL;
}

static int add_text(cJSON *attrs, const char *key, const char *v)
{
    return v && *v ? jsonapi_add_str(attrs, key, v) : 0;
}

/* "2026-03-10" + "15:00" -> "2026-03-10T15:00" (time 00:00 when empty). */
static int add_when(cJSON *attrs, const char *key, const char *date, const char *time)
{
    char buf[MAX_FIELD * 2 + 2];
    snprintf(buf, sizeof buf, "%sT%s", date, time && *time ? time : "00:00");
    return jsonapi_add_str(attrs, key, buf);
}

/* The person body of one row; NULL without memory. */
static cJSON *person_body(char f[NCOLS][MAX_FIELD])
{
    int guest = f[COL_START_DATE][0] || f[COL_END_DATE][0];
    cJSON *body = cJSON_CreateObject(), *attrs = cJSON_CreateObject();
    int rc = jsonapi_add_str(body, "type", guest ? "access_guest" : "access_user");
    rc |= add_text(attrs, "name", f[COL_NAME]);
    rc |= add_text(attrs, "email", f[COL_EMAIL]);
    rc |= add_text(attrs, "department", f[COL_DEPARTMENT]);
    rc |= add_text(attrs, "pin", f[COL_PIN]);
    rc |= add_text(attrs, "card_number", f[COL_PROX_CARD]);
    rc |= add_text(attrs, "schlage_engage_smart_card_id", f[COL_SMART_CARD]);
    if (f[COL_PROX_HEX][0])
        rc |= jsonapi_add(attrs, "card_number_is_hex",
                          cJSON_CreateBool(strcmp(f[COL_PROX_HEX], "true") == 0 ||
                                           strcmp(f[COL_PROX_HEX], "1") == 0));
    if (guest) {
        rc |= add_when(attrs, "starts_at", f[COL_START_DATE], f[COL_START_TIME]);
        rc |= add_when(attrs, "ends_at", f[COL_END_DATE], f[COL_END_TIME]);
    }
    rc |= jsonapi_add(body, "attributes", attrs);
    if (rc) {
        cJSON_Delete(body);
        return NULL;
    }
    return body;
}

static cJSON *grant_body(const params *p)
{
    cJSON *body = cJSON_CreateObject(), *attrs = cJSON_CreateObject();
    int rc = jsonapi_add_str(attrs, "accessible_type", p->type);
    rc |= jsonapi_add_str(attrs, "accessible_id", p->id);
    rc |= jsonapi_add(body, "attributes", attrs);
    if (rc) {
        cJSON_Delete(body);
        return NULL;
    }
    return body;
}

/* The accessible must be one a grant may name, and exist. */
static void check_accessible(res_ctx *c, const params *p, jsonapi_errors *e)
{
    cJSON *probe = store_record_new("", "access_person_access", cJSON_CreateObject());
    if (!p->type || !p->id) {
        jsonapi_error_add(e, p->type ? "accessible_id" : "accessible_type", "can't be blank");
    } else if (!probe || rec_set_str(probe, "accessible_type", p->type) ||
               rec_set_str(probe, "accessible_id", p->id)) {
        jsonapi_error_add(e, NULL, "out of memory");
    } else {
        res_ref_fault f = res_ref_check(c->d, c->api, &rl_accessible_ref, probe);
        if (f == RES_REF_BAD_TYPE || f == RES_REF_NO_TYPE)
            jsonapi_error_add(e, "accessible_type", "is not included in the list");
        else if (f == RES_REF_MISSING)
            jsonapi_error_add(e, "accessible", "must exist");
    }
    cJSON_Delete(probe);
}

/* The header's column map; 0, or -1 with e. */
static int read_header(csv *r, int map[MAX_COLS], int *ncols, jsonapi_errors *e)
{
    char fields[MAX_COLS][MAX_FIELD];
    int n = csv_record(r, fields), has_name = 0;
    if (n < 0 || n > MAX_COLS) {
        jsonapi_error_add(e, "csv", "is invalid");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        map[i] = column_of(fields[i]);
        has_name |= map[i] == COL_NAME;
    }
    *ncols = n;
    if (!has_name) {
        jsonapi_error_add(e, "csv", "must have a name column");
        return -1;
    }
    return 0;
}

/* Every record parses and the file is not too long: checked before any
 * row is created, so a broken file creates nothing. */
static int check_rows(csv r, jsonapi_errors *e)
{
    char fields[MAX_COLS][MAX_FIELD];
    int rows = 0;
    while (r.p < r.end) {
        if (csv_record(&r, fields) < 0) {
            jsonapi_error_add(e, "csv", "is invalid");
            return -1;
        }
        if (++rows > MAX_ROWS) {
            jsonapi_error_add(e, "csv", "has too many rows (maximum is 10000)");
            return -1;
        }
    }
    return 0;
}

static int respond_action(res_ctx *c)
{
    char id[STORE_ID_LEN];
    cJSON *links = cJSON_CreateObject();
    if (!links || store_new_id(c->d, id) ||
        jsonapi_link(links, "self", c->base, "/access_person_csv_import_actions/%s", id)) {
        cJSON_Delete(links);
        return -1;
    }
    cJSON *data = c->api->doc->resource("access_person_csv_import_action", id,
                                        cJSON_CreateObject(), links, NULL);
    if (!data)
        return -1;
    c->api->doc->data(c->res, 201, data);
    return 0;
}

void rl_person_import(res_ctx *c, cJSON *rec, const char *arg)
{
    (void)rec;
    (void)arg;
    params p = {0};
    read_params(c, &p);
    jsonapi_errors e;
    jsonapi_errors_init(&e);
    if (!p.text || !p.len)
        jsonapi_error_add(&e, "csv", "can't be blank");
    else if (memchr(p.text, '\0', p.len))
        jsonapi_error_add(&e, "csv", "is invalid");
    if (p.send < 0)
        jsonapi_error_add(&e, "send_access_instructions", "is not included in the list");
    check_accessible(c, &p, &e);
    csv r = {p.text, p.text ? p.text + p.len : NULL};
    int map[MAX_COLS], ncols = 0;
    if (e.count == 0)
        (void)(read_header(&r, map, &ncols, &e) || check_rows(r, &e));
    if (e.count > 0) {
        c->api->doc->invalid(c->res, &e);
        return;
    }
    jsonapi_errors_free(&e);
    char fields[MAX_COLS][MAX_FIELD], f[NCOLS][MAX_FIELD];
    while (r.p < r.end) {
        int n = csv_record(&r, fields);
        memset(f, 0, sizeof f);
        for (int i = 0; i < n && i < ncols; i++)
            if (map[i] >= 0)
                memcpy(f[map[i]], fields[i], MAX_FIELD);
        if (n == 1 && !fields[0][0])
            continue; /* a blank line */
        const char *pid = create(c, "access_persons", NULL, person_body(f));
        cJSON *person = pid ? res_find(c->d, c->api, res_def_find(c->api, "access_persons"), pid)
                            : NULL;
        if (person && !create(c, "accesses", person, grant_body(&p)))
            store_remove(res_list(c->d, c->api, res_def_find(c->api, "access_persons")),
                         person); /* no grant: the row did not import */
    }
    if (respond_action(c))
        c->api->doc->internal(c->res);
}
