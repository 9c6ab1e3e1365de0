/* The one JSON writer for what the library sends (request bodies) and for
 * lockcloud.encode in Lua. cJSON's printer writes numbers with %1.15g and
 * keeps that form when it reads back only approximately equal, so
 * 6666666666666661 went out as 6.66666666666666e+15 and 0.30000000000000004
 * as 0.3. Here every number reads back bit-for-bit:
 *  - an integral value with |v| <= 2^53 is written as an integer
 *    (-0.0 as "-0", which every reader takes back as -0.0);
 *  - any other value in the shortest of %.15g, %.16g, %.17g that strtod
 *    reads back as the same double (%.17g always does);
 *  - NaN and infinity have no JSON form: LC_ERR_USAGE (cJSON would write
 *    null, a different document).
 * Strings and keys are escaped exactly as cJSON escapes them and must be
 * well-formed UTF-8 (else LC_ERR_USAGE: a strict reader, ours included,
 * refuses such JSON). Raw items are written as they are (checked as UTF-8
 * too). Nesting deeper than LC_JSON_MAX_DEPTH is LC_ERR_USAGE: the reader
 * refuses it. */
#ifndef LC_JSON_PRINT_H
#define LC_JSON_PRINT_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "lockcloud/lockcloud.h"

/* Writes doc without whitespace into *out (malloc'd, NUL-terminated; free
 * with free()), its length in *len (may be NULL). On failure *out is NULL
 * and err says why: LC_ERR_USAGE for a tree that has no faithful JSON
 * text, LC_ERR_NOMEM when memory ran out. */
lc_status lc_json_print(const cJSON *doc, char **out, size_t *len, lc_error *err);

/* Writes the number d into buf (at least LC_JSON_NUMBER_MAX bytes) by the
 * rules above. Returns the length, or 0 for NaN or infinity. */
#define LC_JSON_NUMBER_MAX 32
size_t lc_json_format_number(double d, char *buf);

#endif
