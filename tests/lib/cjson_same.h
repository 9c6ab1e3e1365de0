/* Exact comparison of two cJSON trees, for the tests and the fuzz target
 * that hold the strict reader's trees against cJSON's own parser. */
#ifndef LC_TEST_CJSON_SAME_H
#define LC_TEST_CJSON_SAME_H

#include <string.h>
#include <cjson/cJSON.h>

/* 1 when the sibling chains from a and b are the same: types, keys and
 * member order, string bytes, numbers bit for bit (valueint too). */
static inline int cjson_same(const cJSON *a, const cJSON *b)
{
    for (; a && b; a = a->next, b = b->next) {
        if ((a->type & 0xFF) != (b->type & 0xFF) || !a->string != !b->string ||
            (a->string && strcmp(a->string, b->string) != 0) ||
            !a->valuestring != !b->valuestring ||
            (a->valuestring && strcmp(a->valuestring, b->valuestring) != 0) ||
            memcmp(&a->valuedouble, &b->valuedouble, sizeof(double)) != 0 ||
            a->valueint != b->valueint || !cjson_same(a->child, b->child))
            return 0;
    }
    return !a && !b;
}

#endif
