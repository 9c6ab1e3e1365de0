/* The strict JSON reader (json_reader.h) building a cJSON tree: for API
 * answers, OAuth answers, error bodies, the token file. Stricter than
 * cJSON alone, so that no two readers can see two different documents:
 *  - the whole input must be one JSON document: trailing data, a second
 *    document or a raw NUL byte is a parse error;
 *  - a key given twice in one object, or a string or key holding NUL
 *    ("\u0000") or bytes that are not well-formed UTF-8 (RFC 3629), is a
 *    parse error flagged LC_ERRF_AMBIGUOUS;
 *  - a number that no finite double holds (1e400, -1e400, 10e308) is a
 *    parse error (not ambiguous): cJSON would read it as infinity, which
 *    no writer can give back. Underflow is accepted: 1e-400 reads as 0 and
 *    tiny values as subnormals, finite values that every correctly
 *    rounding reader reads alike;
 *  - nesting depth and the number of values are bounded, so a small hostile
 *    answer cannot cost memory out of proportion to its size. */
#ifndef LC_JSON_PARSE_H
#define LC_JSON_PARSE_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "json_reader.h"
#include "lockcloud/lockcloud.h"

/* Parses text[0..len) into *out (caller frees with cJSON_Delete). lim NULL
 * = lc_json_limits_for(0). what names the document in error messages
 * ("the answer to GET /devices"). On failure *out is NULL and err says
 * why, kind LC_ERR_PARSE (LC_ERR_NOMEM when allocation failed). */
lc_status lc_json_parse(const char *text, size_t len, const lc_json_limits *lim,
                        const char *what, cJSON **out, lc_error *err);

/* 1 when every string value and key in the tree is well-formed UTF-8: a
 * body built from unchecked bytes is refused before it is sent. */
int lc_json_tree_utf8_valid(const cJSON *node);

#endif
