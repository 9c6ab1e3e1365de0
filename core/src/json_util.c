/* JSON helpers; see json_util.h. */
#include "json_util.h"

#include <stdio.h>
#include <string.h>

static void wipe(cJSON *n, int depth)
{
    /* cJSON caps nesting at CJSON_NESTING_LIMIT, so recursion is bounded. */
    for (; n && depth < 1000; n = n->next) {
        if (n->valuestring)
            explicit_bzero(n->valuestring, strlen(n->valuestring));
        if (n->child)
            wipe(n->child, depth + 1);
    }
}

void lc_json_delete_wiped(cJSON *doc)
{
    if (!doc)
        return;
    wipe(doc, 0);
    cJSON_Delete(doc);
}

int lc_buf_put_json_string(lc_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    if (lc_buf_append(b, "\"", 1))
        return -1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[6];
        size_t n = 0;
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            n = 2;
        } else if (*p < 0x20) {
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[*p >> 4];
            esc[5] = hex[*p & 15];
            n = 6;
        } else {
            esc[0] = (char)*p;
            n = 1;
        }
        if (lc_buf_append(b, esc, n))
            return -1;
    }
    return lc_buf_append(b, "\"", 1);
}

const char *lc_json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}
