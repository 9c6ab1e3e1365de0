/* Every documented example of the simulated RemoteLock slice
 * ($LC_TOP/../shared/spec/remotelock.json) replayed against the default
 * fixture: the status and the top-level keys must equal the documented
 * response's, and resources of the same type must carry the documented
 * attribute, link and meta keys in the documented order. Ids in the
 * examples are swapped for fixture ids of the same kind. */
#include "test_store_harness.h"

/* Keys the documentation shows only when set (schedules), or on some
 * examples only (device meta.restricted_actions ["replace"]). */
static const char *const optional_keys[] = {
    "lock_action_schedule_id", "auto_lock_schedule_id", "lock_action_schedule",
    "auto_lock_schedule", "access_schedule_id", "access_schedule", NULL,
};

static int is_optional(const char *key)
{
    for (size_t i = 0; optional_keys[i]; i++)
        if (strcmp(optional_keys[i], key) == 0)
            return 1;
    return 0;
}

/* Ordered key lists equal, skipping optional keys missing from ours. */
static int same_keys(const cJSON *doc, const cJSON *ours, char *why, size_t whylen, const char *where)
{
    const cJSON *d = doc ? doc->child : NULL, *o = ours ? ours->child : NULL;
    while (d || o) {
        if (d && o && strcmp(d->string, o->string) == 0) {
            d = d->next;
            o = o->next;
        } else if (d && is_optional(d->string)) {
            d = d->next;
        } else {
            snprintf(why, whylen, "%s: documented %s, got %s", where, d ? d->string : "(end)",
                     o ? o->string : "(end)");
            return 0;
        }
    }
    return 1;
}

static int same_resource(const cJSON *doc, const cJSON *ours, char *why, size_t whylen)
{
    cJSON *d = cJSON_Duplicate(doc, 1), *o = cJSON_Duplicate(ours, 1);
    /* meta differs between device examples; compare it only when both have it. */
    if (!cJSON_GetObjectItemCaseSensitive(o, "meta"))
        cJSON_DeleteItemFromObjectCaseSensitive(d, "meta");
    int ok_ = same_keys(d, o, why, whylen, "resource") &&
              same_keys(cJSON_GetObjectItemCaseSensitive(d, "attributes"),
                        cJSON_GetObjectItemCaseSensitive(o, "attributes"), why, whylen, "attributes") &&
              same_keys(cJSON_GetObjectItemCaseSensitive(d, "links"),
                        cJSON_GetObjectItemCaseSensitive(o, "links"), why, whylen, "links") &&
              same_keys(cJSON_GetObjectItemCaseSensitive(d, "meta"),
                        cJSON_GetObjectItemCaseSensitive(o, "meta"), why, whylen, "meta");
    cJSON_Delete(d);
    cJSON_Delete(o);
    return ok_;
}

/* Our first resource must match some documented resource of its type.
 * Returns 1 (match), 0 (mismatch, why set) or -1 (nothing to compare). */
static int compare_data(const cJSON *doc_data, const cJSON *our_data, char *why, size_t whylen)
{
    const cJSON *ours = cJSON_IsArray(our_data) ? cJSON_GetArrayItem(our_data, 0) : our_data;
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ours, "type"));
    if (!type)
        return -1;
    int compared = 0;
    const cJSON *d;
    if (cJSON_IsObject(doc_data)) {
        const char *dt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc_data, "type"));
        if (dt && strcmp(dt, type) == 0)
            return same_resource(doc_data, ours, why, whylen);
        return -1;
    }
    cJSON_ArrayForEach(d, doc_data) {
        const char *dt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "type"));
        if (!dt || strcmp(dt, type) != 0)
            continue;
        compared = 1;
        if (same_resource(d, ours, why, whylen))
            return 1;
    }
    return compared ? 0 : -1;
}

/* Fills the template with fixture ids ("@" is the person of the documented
 * type); keeps the example's query string. 0 for operations the simulator
 * does not implement. */
static int build_path(const cJSON *ex, char *out, size_t outlen)
{
    static const struct {
        const char *method, *tmpl, *path;
    } map[] = {
        {"GET", "/access_persons", "/access_persons"},
        {"POST", "/access_persons", "/access_persons"},
        {"GET", "/access_persons/:id", "/access_persons/@"},
        {"PUT", "/access_persons/:id", "/access_persons/@"},
        {"DELETE", "/access_persons/:id", "/access_persons/@"},
        {"PUT", "/access_persons/:id/deactivate", "/access_persons/@/deactivate"},
        {"GET", "/access_persons/:access_person_id/accesses", "/access_persons/" P(1) "/accesses"},
        /* The grant example's person is a guest; Casey has no Pool Gate grant yet. */
        {"POST", "/access_persons/:access_person_id/accesses", "/access_persons/" P(2) "/accesses"},
        {"GET", "/access_persons/:access_person_id/accesses/:id", "/access_persons/" P(1) "/accesses/" A(1)},
        {"PUT", "/access_persons/:access_person_id/accesses/:id", "/access_persons/" P(1) "/accesses/" A(1)},
        {"DELETE", "/access_persons/:access_person_id/accesses/:id", "/access_persons/" P(1) "/accesses/" A(1)},
        {"GET", "/devices", "/devices"},
        {"GET", "/devices/:id", "/devices/" D(1)},
        {"PUT", "/devices/:id/lock", "/devices/" D(1) "/lock"},
        {"PUT", "/devices/:id/unlock", "/devices/" D(1) "/unlock"},
        {"PUT", "/devices/:id/lock/:access_person_id", "/devices/" D(1) "/lock/" P(2)},
        {"PUT", "/devices/:id/unlock/:access_person_id", "/devices/" D(1) "/unlock/" P(2)},
        {"GET", "/devices/:id/access_person_accesses", "/devices/" D(1) "/access_person_accesses"},
        {"GET", "/locations", "/locations"},
        {"GET", "/locations/:id", "/locations/" L(1)},
        {"GET", "/events/:id", "/events/" E(1)},
        {"GET", "/notifications", "/notifications"},
    };
    const char *method = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ex, "method"));
    const char *tmpl = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ex, "template"));
    const char *path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ex, "path"));
    const char *doc_type = cJSON_GetStringValue(h_get(cJSON_GetObjectItemCaseSensitive(ex, "response"),
                                                      "data.type"));
    const char *query = path ? strchr(path, '?') : NULL;
    const char *person = doc_type && strcmp(doc_type, "access_guest") == 0 ? P(2) : P(1);
    for (size_t i = 0; method && tmpl && i < sizeof map / sizeof map[0]; i++) {
        if (strcmp(map[i].method, method) != 0 || strcmp(map[i].tmpl, tmpl) != 0)
            continue;
        const char *at = strchr(map[i].path, '@');
        if (at)
            snprintf(out, outlen, "%.*s%s%s%s", (int)(at - map[i].path), map[i].path, person, at + 1,
                     query ? query : "");
        else
            snprintf(out, outlen, "%s%s", map[i].path, query ? query : "");
        return 1;
    }
    return 0;
}

/* The example's body, with accessible ids swapped for fixture ones. */
static char *build_body(const cJSON *ex)
{
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(ex, "body");
    if (!body || cJSON_IsNull(body))
        return NULL;
    cJSON *copy = cJSON_Duplicate(body, 1);
    cJSON *attrs = cJSON_GetObjectItemCaseSensitive(copy, "attributes");
    if (cJSON_GetObjectItemCaseSensitive(attrs, "accessible_id")) {
        cJSON_ReplaceItemInObjectCaseSensitive(attrs, "accessible_id", cJSON_CreateString(D(2)));
        cJSON_ReplaceItemInObjectCaseSensitive(attrs, "accessible_type", cJSON_CreateString("lock"));
    }
    char *text = cJSON_PrintUnformatted(copy);
    cJSON_Delete(copy);
    return text;
}

int main(void)
{
    char path[1024];
    h_path(path, sizeof path, "../shared/spec/remotelock.json");
    char *text = h_read_file(path);
    cJSON *spec = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!cJSON_IsArray(spec)) {
        skip("documented examples not found at $LC_TOP/../shared/spec/remotelock.json");
        cJSON_Delete(spec);
        return tap_done();
    }
    int replayed = 0;
    const cJSON *ex;
    cJSON_ArrayForEach(ex, spec) {
        char target[1024], why[256] = "";
        if (!build_path(ex, target, sizeof target))
            continue;
        const char *method = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ex, "method"));
        const char *title = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ex, "title"));
        int line = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(ex, "line"));
        int status = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(ex, "status"));
        const cJSON *doc = cJSON_GetObjectItemCaseSensitive(ex, "response");
        char *body = build_body(ex);
        harness h;
        h_init(&h);
        int routed = h_call(&h, method, target, body);
        free(body);
        replayed++;
        if (!ok(routed == 1 && h.status == status, "line %d %s %s: status %d (documented %d)", line,
                method, target, h.status, status)) {
            char *got = h.body ? cJSON_PrintUnformatted(h.body) : NULL;
            diag("%s", got ? got : "(no body)");
            free(got);
        }
        if (cJSON_IsNull(doc) || !doc) {
            ok(h.body == NULL, "line %d: no body, as documented", line);
        } else {
            ok(same_keys(doc, h.body, why, sizeof why, "top level"), "line %d (%s): top-level keys %s",
               line, title ? title : "", why);
            if (cJSON_GetObjectItemCaseSensitive(doc, "meta"))
                ok(same_keys(h_get(doc, "meta"), h_get(h.body, "meta"), why, sizeof why, "meta"),
                   "line %d: collection meta keys %s", line, why);
            int cmp = compare_data(h_get(doc, "data"), h_get(h.body, "data"), why, sizeof why);
            if (cmp >= 0)
                ok(cmp == 1, "line %d: %s shape matches the documentation %s", line,
                   h_str(&h, cJSON_IsArray(h_get(h.body, "data")) ? "data.0.type" : "data.type"), why);
        }
        h_free(&h);
    }
    ok(replayed >= 30, "replayed %d documented examples", replayed);
    cJSON_Delete(spec);
    return tap_done();
}
