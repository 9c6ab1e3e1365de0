/* Listing filters as documented ("Filtering"): id[] and type / type[],
 * attributes[x] / attributes[x][] (any listed value matches), compiled once
 * per listing, and the attribute values they read: stored, or computed
 * (through the row's computed_str hook when it has one, so filtering every
 * person by status builds no JSON). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_list.h"
#include "resources_schema.h"

int list_attr_filter_name(const char *key, char name[MAX_NAME])
{
    static const char prefix[] = "attributes[";
    if (strncmp(key, prefix, sizeof prefix - 1) != 0)
        return -1;
    const char *p = key + sizeof prefix - 1;
    size_t n = 0;
    while (p[n] && p[n] != ']' && n + 1 < MAX_NAME) {
        char ch = p[n];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
            return -1;
        n++;
    }
    if (n == 0 || p[n] != ']' || (strcmp(p + n + 1, "") != 0 && strcmp(p + n + 1, "[]") != 0))
        return -1;
    memcpy(name, p, n);
    name[n] = '\0';
    return 0;
}

static int is_type_key(const char *k)
{
    return strcmp(k, "type") == 0 || strcmp(k, "type[]") == 0 || strcmp(k, "[type]") == 0 ||
           strcmp(k, "[type][]") == 0;
}

static int is_id_key(const char *k)
{
    return strcmp(k, "id") == 0 || strcmp(k, "id[]") == 0;
}

/* Query value v equals the JSON value j as the client would spell it. */
static int value_matches(const cJSON *j, const char *v)
{
    char buf[64];
    if (cJSON_IsString(j))
        return strcmp(j->valuestring, v) == 0;
    if (cJSON_IsBool(j))
        return strcmp(v, cJSON_IsTrue(j) ? "true" : "false") == 0;
    if (cJSON_IsNumber(j)) {
        snprintf(buf, sizeof buf, "%.17g", j->valuedouble);
        return strcmp(buf, v) == 0;
    }
    if (cJSON_IsNull(j))
        return v[0] == '\0' || strcmp(v, "null") == 0;
    return 0;
}

int list_is_computed(const cJSON *rec, const char *name)
{
    const attr_spec *a = schema_attr(schema_find(rec_type(rec)), name);
    return a && (a->flags & ATTR_RENDER) != 0;
}

const cJSON *list_entry_value(list_ctx *l, entry *e, const char *name, int lasting)
{
    size_t i = 0;
    while (i < l->nnames && strcmp(l->names[i], name) != 0)
        i++;
    int computed = i < l->nnames ? l->computed[i] : list_is_computed(e->rec, name);
    if (i == l->nnames && i < MAX_NAMES) {
        l->names[i] = name;
        l->computed[i] = computed;
        l->nnames++;
    }
    if (!computed)
        return cJSON_GetObjectItemCaseSensitive(rec_attrs(e->rec), name);
    const char *fast = !lasting && l->def->hooks.computed_str
                           ? l->def->hooks.computed_str(l->c, e->rec, name)
                           : NULL;
    if (fast) {
        l->scratch.type = cJSON_String;
        l->scratch.valuestring = (char *)(uintptr_t)fast; /* read only */
        return &l->scratch;
    }
    if (!e->computed) {
        cJSON *c = res_computed(l->c, l->def, e->rec);
        e->computed = c ? c : cJSON_CreateNull();
    }
    return cJSON_GetObjectItemCaseSensitive(e->computed, name);
}

static const cJSON *entry_attr(list_ctx *l, entry *e, const char *name)
{
    return list_entry_value(l, e, name, 0);
}

/* Filters compiled once per listing: a group per type, id or attribute
 * name; an item passes a group when any of its values matches, and the
 * listing when it passes every group. */
static int filter_kind(const char *key, char name[MAX_NAME])
{
    if (is_type_key(key))
        return F_TYPE;
    if (is_id_key(key))
        return F_ID;
    return list_attr_filter_name(key, name) == 0 ? F_ATTR : 0;
}

int list_compile_filters(list_ctx *l)
{
    const sim_request *r = l->c->req;
    l->values = malloc((r->nquery ? r->nquery : 1) * sizeof *l->values);
    if (!l->values)
        return -1;
    size_t nv = 0;
    for (size_t pass = 0; pass < 2; pass++) { /* count per group, then place */
        for (size_t g = 0; pass == 1 && g < l->ngroups; g++) {
            l->groups[g].first = nv;
            nv += l->groups[g].n;
            l->groups[g].n = 0;
        }
        for (size_t i = 0; i < r->nquery; i++) {
            char name[MAX_NAME] = "";
            int kind = filter_kind(r->query[i].key, name);
            size_t g = 0;
            if (!kind)
                continue;
            while (g < l->ngroups &&
                   (l->groups[g].kind != kind || strcmp(l->groups[g].name, name) != 0))
                g++;
            if (g == l->ngroups) { /* only in the first pass */
                if (g == MAX_GROUPS) { /* cannot happen: MAX_GROUPS == MAX_QUERY */
                    free(l->values);
                    l->values = NULL;
                    return -1;
                }
                l->groups[g].kind = kind;
                memcpy(l->groups[g].name, name, sizeof name);
                l->groups[g].n = 0;
                l->ngroups++;
            }
            if (pass == 1)
                l->values[l->groups[g].first + l->groups[g].n] =
                    r->query[i].value ? r->query[i].value : "";
            l->groups[g].n++;
        }
    }
    return 0;
}

int list_item_passes(list_ctx *l, entry *item, int default_applies)
{
    const res_def *o = l->view;
    for (size_t g = 0; g < l->ngroups; g++) {
        const fgroup *f = &l->groups[g];
        const cJSON *v = f->kind == F_ATTR ? entry_attr(l, item, f->name)
                         : cJSON_GetObjectItemCaseSensitive(item->rec,
                                                            f->kind == F_TYPE ? "type" : "id");
        size_t i = 0;
        while (i < f->n && !value_matches(v, l->values[f->first + i]))
            i++;
        if (i == f->n)
            return 0;
    }
    if (default_applies) {
        const cJSON *v = entry_attr(l, item, o->default_filter);
        for (size_t i = 0; o->default_values[i]; i++)
            if (value_matches(v, o->default_values[i]))
                return 1;
        return 0;
    }
    return 1;
}

