/* Small checks for control documents. */
#include "json_util.h"

#include <math.h>
#include <string.h>

int sim_json_int(const cJSON *item, long min, long max, long *out)
{
    if (!cJSON_IsNumber(item))
        return 0;
    double v = item->valuedouble;
    if (!isfinite(v) || v != floor(v) || v < (double)min || v > (double)max)
        return 0;
    *out = (long)v;
    return 1;
}

const char *sim_json_unknown_key(const cJSON *obj, const char *const *allowed)
{
    for (const cJSON *it = obj ? obj->child : NULL; it; it = it->next) {
        size_t i = 0;
        while (allowed[i] && (!it->string || strcmp(allowed[i], it->string) != 0))
            i++;
        if (!allowed[i])
            return it->string ? it->string : "";
    }
    return NULL;
}
