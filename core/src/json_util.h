/* Small JSON helpers for documents that may hold secrets. */
#ifndef LC_JSON_UTIL_H
#define LC_JSON_UTIL_H

#include <cjson/cJSON.h>
#include "buf.h"

/* Wipes every string in the tree, then deletes it. NULL is a no-op. */
void lc_json_delete_wiped(cJSON *doc);
/* Appends s as a quoted, escaped JSON string. */
int lc_buf_put_json_string(lc_buf *b, const char *s);
/* Borrowed string member, or NULL when absent or not a string. */
const char *lc_json_str(const cJSON *obj, const char *key);

#endif
