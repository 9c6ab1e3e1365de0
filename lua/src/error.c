/* lc_error -> Lua error objects, and the "nil, err" / raise convention.
 *
 * An error object is a plain table (kind, status, message, type,
 * retry_after, rate_limit_reset, errors) with a metatable whose __tostring
 * renders, through the core's renderer (lc_error_render), e.g.
 *   lockcloud: rate-limited (HTTP 429): Your account has ... (retry after 37 s)
 * The core guarantees messages carry no secrets. */
#include <math.h>
#include <string.h>

#include "error_render.h"
#include "lcore.h"

static void set_string(lua_State *L, const char *field, const char *value)
{
    if (value != NULL && value[0] != '\0') {
        lua_pushstring(L, value);
        lua_setfield(L, -2, field);
    }
}

static void set_integer(lua_State *L, const char *field, long long value)
{
#if LCL_HAS_INTEGERS
    lua_pushinteger(L, (lua_Integer)value);
    lua_setfield(L, -2, field);
#else
    lua_pushnumber(L, (lua_Number)value);
    lua_setfield(L, -2, field);
#endif
}

void lcl_push_error(lua_State *L, const lc_error *err)
{
    char why[128];

    lua_createtable(L, 0, 8);
    set_string(L, "kind", lc_status_name(err->kind));
    set_string(L, "message", err->message[0] ? err->message : lc_status_name(err->kind));
    if (err->http_status > 0)
        set_integer(L, "status", err->http_status);
    set_string(L, "request", err->request);
    if (err->flags & LC_ERRF_AMBIGUOUS) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "ambiguous");
    }
    set_string(L, "type", err->api_type);
    if (err->retry_after >= 0)
        set_integer(L, "retry_after", err->retry_after);
    if (err->rate_limit_reset > 0)
        set_integer(L, "rate_limit_reset", err->rate_limit_reset);
    /* Per-attribute errors are a bonus: a conversion failure (absurd nesting)
     * leaves the field out rather than hiding the error itself. */
    if (err->api_errors != NULL && lcl_push_json(L, err->api_errors, why, sizeof why) == 0)
        lua_setfield(L, -2, "errors");
    luaL_getmetatable(L, LCL_ERROR_MT);
    lua_setmetatable(L, -2);
}

int lcl_fail(lua_State *L, lcl_box *box)
{
    if (box->err.kind == LC_ERR_USAGE)
        return luaL_error(L, "lockcloud: %s", box->err.message);
    lua_pushnil(L);
    lcl_push_error(L, &box->err);
    lcl_box_release(box);
    return 2;
}

int lcl_push_result(lua_State *L, lc_status st, lcl_box *box)
{
    char why[128];

    if (st != LC_OK) {
        if (box->err.kind == LC_OK)
            box->err.kind = st;
        return lcl_fail(L, box);
    }
    if (box->doc == NULL) {
        lua_pushboolean(L, 1);
        return 1;
    }
    if (lcl_push_json(L, box->doc, why, sizeof why) != 0) {
        lc_error_clear(&box->err);
        box->err.kind = LC_ERR_PARSE;
        strncpy(box->err.message, why, sizeof box->err.message - 1);
        return lcl_fail(L, box);
    }
    lcl_box_release(box);
    return 1;
}

/* A whole number in [min, 9.2e18] at idx, else fallback: the fields may be
 * any value a script stored (a cast of NaN or of a number out of range
 * would be undefined behaviour). */
static long whole_field(lua_State *L, int idx, double min, long fallback)
{
    lua_Number v;

    if (lua_type(L, idx) != LUA_TNUMBER)
        return fallback;
    v = lua_tonumber(L, idx);
    return v >= min && v <= 9.2e18 && v == floor(v) ? (long)v : fallback;
}

/* __tostring: lc_error_render's line (error_render.h), the same the PAM
 * module and the command-line tool print:
 *   "lockcloud: KIND (HTTP STATUS): MESSAGE (retry after N s)"
 * Reads the fields, so it also renders tables a user built or changed; a
 * status or retry_after that is not a whole number is left out. */
static int error_tostring(lua_State *L)
{
    lc_error_parts p;
    size_t klen = 0, mlen = 0, cap;
    char *buf;

    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "kind");        /* 2 */
    lua_getfield(L, 1, "status");      /* 3 */
    lua_getfield(L, 1, "message");     /* 4 */
    lua_getfield(L, 1, "retry_after"); /* 5 */
    p.kind = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &klen) : NULL;
    p.http_status = whole_field(L, 3, 1, 0);
    /* with its length: a NUL in it is shown as a space, not the end */
    p.message = lua_type(L, 4) == LUA_TSTRING ? lua_tolstring(L, 4, &mlen) : NULL;
    p.message_len = mlen;
    p.retry_after = whole_field(L, 5, 0, -1);
    cap = klen + mlen + 128; /* the prefix, status and hint fit in 128 */
    buf = lua_newuserdata(L, cap);
    lua_pushlstring(L, buf, lc_error_render_parts(&p, buf, cap));
    return 1;
}

void lcl_open_error(lua_State *L)
{
    luaL_newmetatable(L, LCL_ERROR_MT);
    lua_pushcfunction(L, error_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "lockcloud.error");
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);
}
