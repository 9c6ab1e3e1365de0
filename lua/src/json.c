/* JSON (cJSON trees) <-> Lua values.
 *
 * objects <-> tables; arrays <-> sequences carrying the lockcloud.array
 * metatable (so an empty array stays an array on the way back); null <->
 * lockcloud.null; integral numbers up to 2^53 become Lua integers where the
 * Lua version has them. Both directions stop at LCL_JSON_MAX_DEPTH levels. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lcore.h"

/* The address identifies lockcloud.null; the object itself is never written. */
static const char null_tag;

void lcl_push_null(lua_State *L)
{
    lua_pushlightuserdata(L, (void *)(uintptr_t)&null_tag);
}

int lcl_is_null(lua_State *L, int idx)
{
    return lua_type(L, idx) == LUA_TLIGHTUSERDATA
        && lua_touserdata(L, idx) == (void *)(uintptr_t)&null_tag;
}

/* ---- boxes ------------------------------------------------------------- */

void lcl_box_release(lcl_box *box)
{
    cJSON_Delete(box->doc);
    box->doc = NULL;
    lc_buf_free(&box->raw); /* wiped, as every answer buffer */
    free(box->text); /* from lc_json_print */
    box->text = NULL;
    lc_error_clear(&box->err);
}

static int box_gc(lua_State *L)
{
    lcl_box_release(luaL_checkudata(L, 1, LCL_BOX_MT));
    return 0;
}

lcl_box *lcl_box_new(lua_State *L)
{
    lcl_box *box = lcl_newuserdata(L, sizeof *box);
    box->doc = NULL;
    box->text = NULL;
    lc_buf_init(&box->raw, 0);
    lc_error_init(&box->err);
    if (luaL_newmetatable(L, LCL_BOX_MT)) {
        lua_pushcfunction(L, box_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return box;
}

/* ---- JSON -> Lua ------------------------------------------------------- */

void lcl_push_json_number(lua_State *L, double d)
{
#if LCL_HAS_INTEGERS
    /* Integers only where the encoder takes them back (|d| <= 2^53, see
     * encode_number): 1e17 as an integer would be refused as "too large"
     * when echoed. -0 stays a float, as on 5.1/5.2/LuaJIT: integer 0 has no
     * sign. The range also keeps the cast defined. */
    if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && d == floor(d)
        && !(d == 0 && signbit(d))) {
        lua_pushinteger(L, (lua_Integer)d);
        return;
    }
#endif
    lua_pushnumber(L, (lua_Number)d);
}

/* Pushes item. Scalars need one slot, which the caller reserved; a
 * container reserves its own three (itself, a key, a value). mt: stack
 * index of the array metatable, looked up once per document. Dispatches
 * on the type byte itself: the cJSON_Is* calls were a fifth of the cost
 * of a scalar. */
static int push_value(lua_State *L, const cJSON *item, int depth, int mt, char *why,
                      size_t whylen)
{
    const cJSON *child;
    int n = 0, is_array;

    switch (item->type & 0xFF) {
    case cJSON_NULL:
        lcl_push_null(L);
        return 0;
    case cJSON_False:
    case cJSON_True:
        lua_pushboolean(L, (item->type & 0xFF) == cJSON_True);
        return 0;
    case cJSON_Number:
        lcl_push_json_number(L, item->valuedouble);
        return 0;
    case cJSON_String:
        /* a C string: documents come from lc_json_parse, which refuses
         * strings and keys holding NUL or invalid UTF-8, so nothing is cut
         * here. With its length: lua_pushstring would first look the
         * address up in Lua's cache of C strings, which a fresh tree
         * never hits. */
        lua_pushlstring(L, item->valuestring, strlen(item->valuestring));
        return 0;
    case cJSON_Array:
    case cJSON_Object:
        break;
    default:
        snprintf(why, whylen, "unsupported JSON value");
        return -1;
    }
    /* counts arrays and objects, as the encoder and the core's reader do */
    if (depth > LCL_JSON_MAX_DEPTH) {
        snprintf(why, whylen, "JSON nested deeper than %d levels", LCL_JSON_MAX_DEPTH);
        return -1;
    }
    if (!lua_checkstack(L, 3)) {
        snprintf(why, whylen, "Lua stack exhausted");
        return -1;
    }
    for (child = item->child; child; child = child->next)
        n++;
    is_array = (item->type & 0xFF) == cJSON_Array;
    lua_createtable(L, is_array ? n : 0, is_array ? 0 : n);
    n = 0;
    for (child = item->child; child; child = child->next) {
        if (!is_array) {
            const char *k = child->string != NULL ? child->string : "";
            lua_pushlstring(L, k, strlen(k));
        }
        if (push_value(L, child, depth + 1, mt, why, whylen) != 0) {
            lua_pop(L, is_array ? 1 : 2);
            return -1;
        }
        if (is_array)
            lua_rawseti(L, -2, ++n);
        else
            lua_rawset(L, -3);
    }
    if (is_array) {
        lua_pushvalue(L, mt);
        lua_setmetatable(L, -2);
    }
    return 0;
}

int lcl_push_json(lua_State *L, const cJSON *item, char *why, size_t whylen)
{
    int mt;

    if (!lua_checkstack(L, 2)) {
        snprintf(why, whylen, "Lua stack exhausted");
        return -1;
    }
    luaL_getmetatable(L, LCL_ARRAY_MT);
    mt = lua_gettop(L);
    if (push_value(L, item, 1, mt, why, whylen) != 0) {
        lua_pop(L, 1);
        return -1;
    }
    lua_remove(L, mt);
    return 0;
}

/* ---- Lua -> JSON ------------------------------------------------------- */

typedef struct encoder {
    lua_State *L;
    lcl_box *box;
    int visited; /* stack index of the set of tables being encoded */
} encoder;

static void encode(encoder *e, int idx, int depth, cJSON *parent, const char *key);

/* Links item into the tree at once, so the box owns it before anything
 * else can raise. */
static cJSON *attach(encoder *e, cJSON *parent, const char *key, cJSON *item)
{
    if (item == NULL)
        luaL_error(e->L, "lockcloud: out of memory encoding JSON");
    if (parent == NULL) {
        e->box->doc = item;
    } else if (key != NULL) {
        if (!cJSON_AddItemToObject(parent, key, item)) {
            cJSON_Delete(item);
            luaL_error(e->L, "lockcloud: out of memory encoding JSON");
        }
    } else if (!cJSON_AddItemToArray(parent, item)) {
        cJSON_Delete(item);
        luaL_error(e->L, "lockcloud: out of memory encoding JSON");
    }
    return item;
}

/* cJSON would print the bytes as they are, and a strict reader (ours
 * included) refuses JSON that is not UTF-8: a programmer error, raised
 * here rather than sent. The byte is 1-based, as string.sub counts. */
static void check_utf8(lua_State *L, const char *s, size_t len, const char *what)
{
    size_t bad;
    if (!lc_utf8_valid(s, len, &bad))
        luaL_error(L, "lockcloud: cannot encode a %s that is not valid UTF-8 as JSON "
                   "(byte %d)", what, (int)(bad < 2147483647u ? bad + 1 : 2147483647u));
}

/* 1: array of n elements (*n); 0: object with string keys. Any other key
 * shape raises. Empty tables are objects unless marked with the array
 * metatable; marked arrays may have holes (encoded as null). */
static int table_is_array(encoder *e, int idx, size_t *n)
{
    lua_State *L = e->L;
    size_t ints = 0, strings = 0;
    lua_Number max = 0;
    int marked = 0;

    if (lua_getmetatable(L, idx)) {
        luaL_getmetatable(L, LCL_ARRAY_MT);
        marked = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
    }
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) {
            size_t klen;
            const char *k = lua_tolstring(L, -1, &klen); /* a string: no conversion */
            /* cut at the NUL, "a\0x" would become "a": a second key "a" */
            if (memchr(k, '\0', klen) != NULL)
                luaL_error(L, "lockcloud: cannot encode a key holding a NUL byte as JSON");
            check_utf8(L, k, klen, "key");
            strings++;
        } else if (lua_type(L, -1) == LUA_TNUMBER) {
            lua_Number k = lua_tonumber(L, -1);
            if (k < 1 || k != floor(k) || k > 2147483647.0)
                luaL_error(L, "lockcloud: cannot encode table with key %f as JSON", k);
            if (k > max)
                max = k;
            ints++;
        } else {
            luaL_error(L, "lockcloud: cannot encode table with a %s key as JSON",
                       luaL_typename(L, -1));
        }
    }
    if (strings > 0 && (ints > 0 || marked))
        luaL_error(L, "lockcloud: cannot encode table mixing string and integer keys as JSON");
    if (strings > 0)
        return 0;
    /* marked arrays may have a few holes, not a billion nulls */
    if ((!marked && (lua_Number)ints != max) || max > 2 * (lua_Number)ints + 64)
        luaL_error(L, "lockcloud: cannot encode sparse array as JSON (use lockcloud.null for holes)");
    *n = (size_t)max;
    return marked || ints > 0;
}

static void encode_table(encoder *e, int idx, int depth, cJSON *parent, const char *key)
{
    lua_State *L = e->L;
    cJSON *node;
    size_t i, n = 0;

    if (depth > LCL_JSON_MAX_DEPTH)
        luaL_error(L, "lockcloud: table nested deeper than %d levels", LCL_JSON_MAX_DEPTH);
    luaL_checkstack(L, 4, "lockcloud: encoding JSON");
    lua_pushvalue(L, idx);
    lua_rawget(L, e->visited);
    if (lua_toboolean(L, -1))
        luaL_error(L, "lockcloud: cannot encode cyclic table as JSON");
    lua_pop(L, 1);
    lua_pushvalue(L, idx);
    lua_pushboolean(L, 1);
    lua_rawset(L, e->visited);

    if (table_is_array(e, idx, &n)) {
        node = attach(e, parent, key, cJSON_CreateArray());
        for (i = 1; i <= n; i++) {
            lua_rawgeti(L, idx, (int)i);
            encode(e, lua_gettop(L), depth + 1, node, NULL);
            lua_pop(L, 1);
        }
    } else {
        node = attach(e, parent, key, cJSON_CreateObject());
        lua_pushnil(L);
        while (lua_next(L, idx) != 0) {
            /* keys are strings (checked), so lua_tostring cannot confuse lua_next */
            encode(e, lua_gettop(L), depth + 1, node, lua_tostring(L, -2));
            lua_pop(L, 1);
        }
    }

    lua_pushvalue(L, idx);
    lua_pushnil(L);
    lua_rawset(L, e->visited); /* shared (non-cyclic) subtables are fine */
}

static void encode_number(encoder *e, int idx, cJSON *parent, const char *key)
{
    lua_State *L = e->L;
    lua_Number d;

#if LCL_HAS_INTEGERS
    if (lua_isinteger(L, idx)) {
        lua_Integer i = lua_tointeger(L, idx);
        /* beyond 2^53 a JSON number (a double for most readers) loses digits */
        if (i > 9007199254740992LL || i < -9007199254740992LL)
            luaL_error(L, "lockcloud: integer %I too large for JSON (send it as a string)", i);
        attach(e, parent, key, cJSON_CreateNumber((double)i));
        return;
    }
#endif
    d = lua_tonumber(L, idx);
    if (isnan((double)d) || isinf((double)d))
        luaL_error(L, "lockcloud: cannot encode NaN or infinity as JSON");
    attach(e, parent, key, cJSON_CreateNumber((double)d));
}

static void encode(encoder *e, int idx, int depth, cJSON *parent, const char *key)
{
    lua_State *L = e->L;
    size_t len;
    const char *s;

    switch (lua_type(L, idx)) {
    case LUA_TBOOLEAN:
        attach(e, parent, key, cJSON_CreateBool(lua_toboolean(L, idx)));
        break;
    case LUA_TNUMBER:
        encode_number(e, idx, parent, key);
        break;
    case LUA_TSTRING:
        s = lua_tolstring(L, idx, &len);
        if (memchr(s, '\0', len) != NULL)
            luaL_error(L, "lockcloud: cannot encode a string holding a NUL byte as JSON");
        check_utf8(L, s, len, "string");
        attach(e, parent, key, cJSON_CreateString(s));
        break;
    case LUA_TTABLE:
        encode_table(e, idx, depth, parent, key);
        break;
    case LUA_TNIL:
        attach(e, parent, key, cJSON_CreateNull());
        break;
    default:
        if (lcl_is_null(L, idx)) {
            attach(e, parent, key, cJSON_CreateNull());
            break;
        }
        luaL_error(L, "lockcloud: cannot encode a %s value as JSON", luaL_typename(L, idx));
    }
}

void lcl_to_json(lua_State *L, int idx, lcl_box *box)
{
    encoder e;

    idx = lua_absindex(L, idx);
    e.L = L;
    e.box = box;
    lua_newtable(L);
    e.visited = lua_gettop(L);
    encode(&e, idx, 1, NULL, NULL);
    lua_pop(L, 1);
}
