/* Small checks for control documents. */
#ifndef SIM_JSON_UTIL_H
#define SIM_JSON_UTIL_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* 1 when item is a number holding an integer in [min, max] (stored in *out). */
int sim_json_int(const cJSON *item, long min, long max, long *out);
/* Name of the first key of obj not in allowed (NULL-terminated), or NULL. */
const char *sim_json_unknown_key(const cJSON *obj, const char *const *allowed);

#endif
