/* lc_error -> Lua error objects, and the "nil, err" / raise convention.
 *
 * An error object is a plain table (kind, status, message, type,
 * retry_after, rate_limit_reset, errors) with a metatable whose __tostring
 * renders e.g.
 *   lockcloud: rate-limited (HTTP 429): Your account has ... (retry after 37 s)
 * The core guarantees messages carry no secrets. */
#include <string.h>

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

/* Pushes pre .. number at idx .. post. The fields may be any number a user
 * stored, so no cast to int (out of range or NaN is undefined behaviour):
 * integral values in int range print as %d, others as Lua prints them. */
static void push_number_text(lua_State *L, const char *pre, int idx, const char *post)
{
    lua_Number v = lua_tonumber(L, idx);

    if (v >= -2147483647.0 && v <= 2147483647.0 && v == (lua_Number)(int)v) {
        lua_pushfstring(L, "%s%d%s", pre, (int)v, post);
    } else {
        lua_pushvalue(L, idx);
        lua_pushfstring(L, "%s%s%s", pre, lua_tostring(L, -1), post);
        lua_remove(L, -2);
    }
}

/* __tostring: "lockcloud: KIND (HTTP STATUS): MESSAGE (retry after N s)".
 * Reads the fields, so it also renders tables a user built or changed. The
 * status and retry hints are left out when the message already says them
 * (the core's messages often name the HTTP status). */
static int error_tostring(lua_State *L)
{
    luaL_Buffer b;
    const char *msg;
    size_t msglen = 0;

    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "kind");        /* 2 */
    lua_getfield(L, 1, "status");      /* 3 */
    lua_getfield(L, 1, "message");     /* 4 */
    lua_getfield(L, 1, "retry_after"); /* 5 */
    /* with its length: a user-built message may hold NUL */
    msg = lua_type(L, 4) == LUA_TSTRING ? lua_tolstring(L, 4, &msglen) : "";
    if (lua_type(L, 3) == LUA_TNUMBER)
        push_number_text(L, "HTTP ", 3, "");
    else
        lua_pushliteral(L, "");        /* 6 */
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "lockcloud: ");
    if (lua_type(L, 2) == LUA_TSTRING) {
        lua_pushvalue(L, 2);
        luaL_addvalue(&b); /* whole, NUL included */
    } else {
        luaL_addstring(&b, "error");
    }
    if (lua_rawlen(L, 6) > 0 && strstr(msg, lua_tostring(L, 6)) == NULL) {
        luaL_addstring(&b, " (");
        luaL_addstring(&b, lua_tostring(L, 6));
        luaL_addstring(&b, ")");
    }
    if (msglen > 0) {
        luaL_addstring(&b, ": ");
        luaL_addlstring(&b, msg, msglen);
    }
    if (lua_type(L, 5) == LUA_TNUMBER && strstr(msg, "retry after") == NULL) {
        push_number_text(L, " (retry after ", 5, " s)");
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
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
