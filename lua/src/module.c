/* luaopen_lockcloud_core: the private C layer of the lockcloud Lua module.
 * lockcloud.lua is the public face; this table offers the client
 * constructor, the JSON helpers and the endpoint catalogue. */
#include <string.h>

#include "json_print.h" /* core/src: the one exact JSON writer */
#include "lcore.h"

#if defined(__GNUC__)
#define LCL_EXPORT __attribute__((visibility("default")))
#else
#define LCL_EXPORT
#endif

LCL_EXPORT int luaopen_lockcloud_core(lua_State *L);

/* core.encode(value) -> JSON text; raises on values JSON cannot carry */
static int m_encode(lua_State *L)
{
    lcl_box *box;
    size_t len;

    luaL_checkany(L, 1);
    box = lcl_box_new(L);
    lcl_to_json(L, 1, box);
    /* the core's writer: numbers read back bit-for-bit (cJSON's printer
     * rounds to 15 digits); the tree holds nothing it refuses (lcl_to_json
     * raised first), so a failure here is memory */
    if (lc_json_print(box->doc, &box->text, &len, &box->err) != LC_OK)
        return luaL_error(L, "lockcloud: %s", box->err.message);
    lua_pushlstring(L, box->text, len); /* NUL is escaped: no byte is cut */
    lcl_box_release(box);
    return 1;
}

/* core.decode(text) -> value | nil, err (kind "parse"). The core's reader,
 * with the limits it applies to API answers: what the library refuses
 * (trailing data, duplicate keys, NUL in strings or keys) decode() refuses
 * too, so C and Lua never see two different documents in one text. */
static int m_decode(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    lcl_box *box = lcl_box_new(L);
    lc_status st;

    st = lc_json_parse(s, len, NULL, "the text given to lockcloud.decode", &box->doc, &box->err);
    return lcl_push_result(L, st, box);
}

/* core.array([t]) -> t marked as a JSON array (empty arrays round-trip) */
static int m_array(lua_State *L)
{
    if (lua_isnoneornil(L, 1)) {
        lua_settop(L, 0);
        lua_newtable(L);
    } else {
        luaL_checktype(L, 1, LUA_TTABLE);
        lua_settop(L, 1);
    }
    luaL_getmetatable(L, LCL_ARRAY_MT);
    lua_setmetatable(L, 1);
    return 1;
}

static int m_is_error(lua_State *L)
{
    int yes = 0;
    if (lua_type(L, 1) == LUA_TTABLE && lua_getmetatable(L, 1)) {
        luaL_getmetatable(L, LCL_ERROR_MT);
        yes = lua_rawequal(L, -1, -2);
    }
    lua_pushboolean(L, yes);
    return 1;
}

static void set_flag(lua_State *L, const char *name, int on)
{
    lua_pushboolean(L, on);
    lua_setfield(L, -2, name);
}

/* core.endpoints() -> { {name, method, path, summary, collection, body,
 * no_content}, ... } in catalogue order */
static int m_endpoints(lua_State *L)
{
    const lc_endpoint *ep;
    size_t i;

    lua_newtable(L);
    for (i = 0; (ep = lc_endpoint_at(i)) != NULL; i++) {
        lua_createtable(L, 0, 7);
        lua_pushstring(L, ep->name);
        lua_setfield(L, -2, "name");
        lua_pushstring(L, ep->method);
        lua_setfield(L, -2, "method");
        lua_pushstring(L, ep->path);
        lua_setfield(L, -2, "path");
        if (ep->summary != NULL) {
            lua_pushstring(L, ep->summary);
            lua_setfield(L, -2, "summary");
        }
        set_flag(L, "collection", (ep->flags & LC_EP_COLLECTION) != 0);
        set_flag(L, "body", (ep->flags & LC_EP_BODY) != 0);
        set_flag(L, "no_content", (ep->flags & LC_EP_NO_CONTENT) != 0);
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

static const luaL_Reg functions[] = {
    {"encode", m_encode},
    {"decode", m_decode},
    {"array", m_array},
    {"is_error", m_is_error},
    {"endpoints", m_endpoints},
    {NULL, NULL}
};

int luaopen_lockcloud_core(lua_State *L)
{
    lua_newtable(L);
    luaL_setfuncs(L, functions, 0);

    luaL_newmetatable(L, LCL_ARRAY_MT);
    lua_pushliteral(L, LCL_ARRAY_MT);
    lua_setfield(L, -2, "__name");
    lua_setfield(L, -2, "array_mt");

    lcl_open_error(L);
    luaL_getmetatable(L, LCL_ERROR_MT);
    lua_setfield(L, -2, "error_mt");
    lcl_open_pager(L);
    lcl_open_client(L);

    lcl_push_null(L);
    lua_setfield(L, -2, "null");
    lua_pushliteral(L, LOCKCLOUD_VERSION);
    lua_setfield(L, -2, "version");
    lua_pushinteger(L, LCL_JSON_MAX_DEPTH);
    lua_setfield(L, -2, "max_depth");
    return 1;
}
