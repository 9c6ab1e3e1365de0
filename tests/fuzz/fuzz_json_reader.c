/* Fuzzes the strict JSON reader (json_reader.c) through its tree sink,
 * lc_json_parse, against cJSON's own parser: every document the reader
 * accepts, cJSON accepts too and reads as the same tree (types, keys in
 * order, string bytes, numbers bit for bit), so the reader is never more
 * lenient than cJSON and builds what cJSON would have. Refusals carry a
 * clean message, and the reader's duplicate-key, NUL and UTF-8 rules hold
 * in the tree it hands out. */
#include "../lib/cjson_same.h"
#include "errors.h"
#include "fuzz_util.h"
#include "json_parse.h"

/* No object holds a key twice. */
static int keys_unique(const cJSON *node)
{
    for (const cJSON *c = node ? node->child : NULL; c; c = c->next) {
        if (cJSON_IsObject(node))
            for (const cJSON *d = c->next; d; d = d->next)
                if (strcmp(c->string, d->string) == 0)
                    return 0;
        if (!keys_unique(c))
            return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lc_json_limits lim = lc_json_limits_for(1 << 20);
    cJSON *mine = NULL, *theirs;
    const char *end = NULL;
    lc_error err;

    lc_error_init(&err);
    if (lc_json_parse((const char *)data, size, &lim, "the input", &mine, &err) != LC_OK) {
        FZ_ASSERT(!mine);
        fz_check_text(err.message, sizeof err.message);
        return 0;
    }
    FZ_ASSERT(mine);
    FZ_ASSERT(lc_json_tree_utf8_valid(mine) && keys_unique(mine));
    theirs = cJSON_ParseWithLengthOpts((const char *)data, size, &end, 0);
    FZ_ASSERT(theirs != NULL);
    FZ_ASSERT(cjson_same(mine, theirs));
    cJSON_Delete(mine);
    cJSON_Delete(theirs);
    return 0;
}
