/* URL decoding for paths, query strings and form bodies. */
#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *sim_url_decode(const char *in, size_t len, int plus_space)
{
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '%') {
            if (len - i < 3 || hexval(in[i + 1]) < 0 || hexval(in[i + 2]) < 0)
                goto bad;
            c = (unsigned char)(hexval(in[i + 1]) * 16 + hexval(in[i + 2]));
            i += 2;
        } else if (c == '+' && plus_space) {
            c = ' ';
        }
        if (c < 0x20 || c == 0x7f)
            goto bad;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return out;
bad:
    free(out);
    return NULL;
}

int sim_pairs_add(sim_pairs *p, const char *key, const char *value)
{
    if (p->n == SIM_MAX_PAIRS)
        return -1;
    sim_kv *items = realloc(p->items, (p->n + 1) * sizeof(*items));
    if (!items)
        return -1;
    p->items = items;
    char *k = strdup(key), *v = strdup(value);
    if (!k || !v) {
        free(k);
        free(v);
        return -1;
    }
    items[p->n].key = k;
    items[p->n].value = v;
    p->n++;
    return 0;
}

int sim_pairs_parse(sim_pairs *p, const char *s, size_t len, char *err, size_t errlen)
{
    p->items = NULL;
    p->n = 0;
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && s[end] != '&')
            end++;
        if (end > i) {
            size_t eq = i;
            while (eq < end && s[eq] != '=')
                eq++;
            char *k = sim_url_decode(s + i, eq - i, 1);
            char *v = eq < end ? sim_url_decode(s + eq + 1, end - eq - 1, 1) : strdup("");
            int rc = k && v ? sim_pairs_add(p, k, v) : -1;
            free(k);
            free(v);
            if (rc != 0) {
                snprintf(err, errlen, p->n == SIM_MAX_PAIRS ? "too many parameters"
                                                            : "invalid URL encoding");
                sim_pairs_free(p);
                return -1;
            }
        }
        i = end + 1;
    }
    return 0;
}

const char *sim_pairs_get(const sim_pairs *p, const char *key)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->items[i].key, key) == 0)
            return p->items[i].value;
    return NULL;
}

size_t sim_pairs_count(const sim_pairs *p, const char *key)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++)
        n += strcmp(p->items[i].key, key) == 0;
    return n;
}

void sim_pairs_free(sim_pairs *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free((char *)p->items[i].key);
        free((char *)p->items[i].value);
    }
    free(p->items);
    p->items = NULL;
    p->n = 0;
}
