/* The strict JSON reader's cJSON form; see json_parse.h. json_reader.c
 * checks the bytes; the sink below builds the tree as values arrive. */
#include "json_parse.h"

#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "json_util.h"

/* ---- the tree sink --------------------------------------------------------- */

typedef struct tree {
    cJSON *root;
    cJSON *open[LC_JSON_MAX_DEPTH + 1]; /* the containers being filled */
    int depth;
    char *key;                          /* the pending member's key     */
} tree;

static char *copy_text(const char *s, size_t n)
{
    char *c = cJSON_malloc(n + 1);
    if (c) {
        memcpy(c, s, n);
        c[n] = '\0';
    }
    return c;
}

/* Links a new item (NULL: out of memory) to the container being filled,
 * under the pending key for an object. cJSON_AddItemToArray appends in
 * O(1) and serves objects too: a member is an item with its key in
 * ->string. */
static int attach(tree *t, cJSON *item)
{
    if (!item)
        return -1;
    item->string = t->key;
    t->key = NULL;
    if (t->depth == 0) {
        t->root = item;
        return 0;
    }
    if (!cJSON_AddItemToArray(t->open[t->depth - 1], item)) {
        cJSON_Delete(item);
        return -1;
    }
    return 0;
}

static int tree_begin(void *ud, int is_array)
{
    tree *t = ud;
    cJSON *c = is_array ? cJSON_CreateArray() : cJSON_CreateObject();

    if (attach(t, c))
        return -1;
    t->open[t->depth++] = c;
    return 0;
}

static int tree_end(void *ud, int is_array)
{
    (void)is_array;
    ((tree *)ud)->depth--;
    return 0;
}

static int tree_key(void *ud, const char *s, size_t n)
{
    tree *t = ud;
    return (t->key = copy_text(s, n)) ? 0 : -1;
}

/* valuestring set by hand: cJSON_CreateString wants a C string, and the
 * reader's spans are not; cJSON_Delete frees it as its own. */
static int tree_string(void *ud, const char *s, size_t n)
{
    cJSON *item = cJSON_CreateNull();
    char *v = item ? copy_text(s, n) : NULL;

    if (!v) {
        cJSON_Delete(item);
        return -1;
    }
    item->type = cJSON_String;
    item->valuestring = v;
    return attach(ud, item);
}

static int tree_number(void *ud, double d)
{
    return attach(ud, cJSON_CreateNumber(d));
}

static int tree_boolean(void *ud, int value)
{
    cJSON *item = cJSON_CreateBool(value);
    if (item)
        item->valueint = value; /* as cJSON's parser leaves a true */
    return attach(ud, item);
}

static int tree_null(void *ud)
{
    return attach(ud, cJSON_CreateNull());
}

static const lc_json_sink tree_sink = {
    tree_begin, tree_end, tree_key, tree_string, tree_number, tree_boolean, tree_null,
};

lc_status lc_json_parse(const char *text, size_t len, const lc_json_limits *lim,
                        const char *what, cJSON **out, lc_error *err)
{
    lc_json_reader rd;
    tree t;
    lc_status st;

    if (out)
        *out = NULL;
    if (!out || (!text && len))
        return lc_err_set(err, LC_ERR_USAGE, "lc_json_parse: bad arguments");
    t.root = NULL;
    t.depth = 0;
    t.key = NULL;
    lc_json_reader_init(&rd);
    st = lc_json_read(&rd, text, len, lim, what, &tree_sink, &t, err);
    lc_json_reader_free(&rd);
    if (t.key) {
        explicit_bzero(t.key, strlen(t.key));
        cJSON_free(t.key);
    }
    if (st) {
        lc_json_delete_wiped(t.root); /* token answers hold secrets */
        return st;
    }
    *out = t.root;
    return LC_OK;
}

/* Raw items (cJSON_CreateRaw) are printed as they are: checked too. */
static int node_utf8_valid(const cJSON *node)
{
    const cJSON *c;

    if (node->string && !lc_utf8_valid(node->string, strlen(node->string), NULL))
        return 0;
    if ((cJSON_IsString(node) || cJSON_IsRaw(node)) && node->valuestring &&
        !lc_utf8_valid(node->valuestring, strlen(node->valuestring), NULL))
        return 0;
    for (c = node->child; c; c = c->next)
        if (!node_utf8_valid(c))
            return 0;
    return 1;
}

int lc_json_tree_utf8_valid(const cJSON *node)
{
    return !node || node_utf8_valid(node);
}
