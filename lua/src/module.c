/* luaopen_lockcloud_core: the private C layer of the lockcloud Lua module.
 * lockcloud.lua is the public face; this table offers the client
 * constructor and metatable, the JSON helpers and the endpoint catalogue
 * (from which lockcloud.lua generates the client methods). */
#include <string.h>

#include "json_print.h" /* core/src: the one exact JSON writer */
#include "options.h"    /* core/src: the one option table */
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
    lcl_box *box = lcl_box_new(L); /* holds the error */
    lc_status st;

    st = lcl_read_json(L, s, len, NULL, "the text given to lockcloud.decode", &box->err);
    if (st != LC_OK)
        return lcl_push_result(L, st, box);
    return 1;
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

static void set_string(lua_State *L, const char *name, const char *value)
{
    if (value == NULL)
        return; /* absent: the field stays nil */
    lua_pushstring(L, value);
    lua_setfield(L, -2, name);
}

/* Pushes a new table marked as a JSON array: endpoints() encodes as JSON,
 * empty lists as []. */
static void new_array(lua_State *L, int n)
{
    lua_createtable(L, n, 0);
    luaL_getmetatable(L, LCL_ARRAY_MT);
    lua_setmetatable(L, -2);
}

/* A NULL-ended string list (sorts, types) as an array field; NULL gives []. */
static void set_strings(lua_State *L, const char *name, const char *const *list)
{
    int i;

    new_array(L, 0);
    for (i = 0; list != NULL && list[i] != NULL; i++) {
        lua_pushstring(L, list[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, name);
}

static const char *body_style_name(lc_body_style style)
{
    switch (style) {
    case LC_BODY_ATTRIBUTES: return "attributes";
    case LC_BODY_TYPED:      return "typed";
    case LC_BODY_DOCUMENT:   return "document";
    case LC_BODY_NONE:       break;
    }
    return "none";
}

/* A kind lockcloud.lua does not know makes it refuse to load (a catalogue
 * row it cannot turn into a method must not pass unnoticed). */
static const char *param_kind_name(lc_param_kind kind)
{
    switch (kind) {
    case LC_PARAM_LIST:   return "list";
    case LC_PARAM_STATUS: return "status";
    case LC_PARAM_SORT:   return "sort";
    case LC_PARAM_NESTED: return "nested";
    case LC_PARAM_SCALAR: return "scalar";
    }
    return "unknown";
}

static void set_params(lua_State *L, const lc_param *params)
{
    int i;

    new_array(L, 0);
    for (i = 0; params != NULL && params[i].name != NULL; i++) {
        lua_createtable(L, 0, 2);
        set_string(L, "name", params[i].name);
        set_string(L, "kind", param_kind_name(params[i].kind));
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "params");
}

/* The vendor's flavours that document ep, in the vendor's order. */
static void set_flavours(lua_State *L, const lc_vendor *vendor, const lc_endpoint *ep)
{
    const char *f;
    size_t i;
    int n = 0;

    new_array(L, 0);
    for (i = 0; (f = lc_vendor_flavour_at(vendor, i)) != NULL; i++)
        if (lc_endpoint_in_flavour(vendor, ep, f)) {
            lua_pushstring(L, f);
            lua_rawseti(L, -2, ++n);
        }
    lua_setfield(L, -2, "flavours");
}

/* core.endpoints([vendor]) -> the vendor's catalogue (default
 * "remotelock"), one fresh table per row in catalogue order: name, method,
 * path, summary, binding, the flags collection, body, no_content,
 * idempotent, legacy_v1, csv_answer (the answer is CSV text: the method
 * returns a string), body_style ("none", "attributes", "typed",
 * "document"), params ({name=, kind=}: "list", "status", "sort", "nested",
 * "scalar"), sorts, default_sort, types, flavours (the API forms that
 * document the row, e.g. {"current", "v1"}; a client of another flavour
 * refuses the call with a usage error) and path_params (the number of
 * ":param" segments). Absent strings are nil, absent lists empty arrays. */
static int m_endpoints(lua_State *L)
{
    const char *vname = lua_isnoneornil(L, 1) ? "remotelock" : lcl_check_text(L, 1, "vendor name");
    const lc_vendor *vendor = lc_vendor_find(vname);
    const lc_endpoint *ep;
    size_t i;

    if (vendor == NULL)
        return luaL_error(L, "lockcloud.endpoints: unknown vendor '%s'", vname);
    luaL_checkstack(L, 8, "lockcloud.endpoints");
    new_array(L, 0);
    for (i = 0; (ep = lc_vendor_endpoint_at(vendor, i)) != NULL; i++) {
        lua_createtable(L, 0, 20);
        set_string(L, "name", ep->name);
        set_string(L, "method", ep->method);
        set_string(L, "path", ep->path);
        set_string(L, "summary", ep->summary);
        set_string(L, "binding", ep->binding);
        set_flag(L, "collection", (ep->flags & LC_EP_COLLECTION) != 0);
        set_flag(L, "body", (ep->flags & LC_EP_BODY) != 0);
        set_flag(L, "no_content", (ep->flags & LC_EP_NO_CONTENT) != 0);
        set_flag(L, "idempotent", (ep->flags & LC_EP_IDEMPOTENT) != 0);
        set_flag(L, "legacy_v1", (ep->flags & LC_EP_LEGACY_V1) != 0);
        set_flag(L, "csv_answer", (ep->flags & LC_EP_CSV_ANSWER) != 0);
        set_flavours(L, vendor, ep);
        set_string(L, "body_style", body_style_name(ep->body));
        set_params(L, ep->params);
        set_strings(L, "sorts", ep->sorts);
        set_string(L, "default_sort", ep->default_sort);
        set_strings(L, "types", ep->types);
        lua_pushinteger(L, (lua_Integer)lc_endpoint_path_params(ep));
        lua_setfield(L, -2, "path_params");
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

/* core.options() -> { {name=, required=}, ... }: the constructor's options
 * (the core's option table), in documentation order, so the reference's
 * list of options is checked against what the constructor takes. */
static int m_options(lua_State *L)
{
    const lc_option *o;
    int i = 0;

    new_array(L, 0);
    for (o = lc_options; o->name != NULL; o++) {
        lua_createtable(L, 0, 2);
        set_string(L, "name", o->name);
        set_flag(L, "required", (o->flags & LC_OPT_REQUIRED) != 0);
        lua_rawseti(L, -2, ++i);
    }
    return 1;
}

static const luaL_Reg functions[] = {
    {"encode", m_encode},
    {"decode", m_decode},
    {"array", m_array},
    {"is_error", m_is_error},
    {"endpoints", m_endpoints},
    {"options", m_options},
    {NULL, NULL}
};

int luaopen_lockcloud_core(lua_State *L)
{
    lua_newtable(L);
    luaL_setfuncs(L, functions, 0);
    lcl_open_tz(L);
    lcl_open_sleep(L);

    luaL_newmetatable(L, LCL_ARRAY_MT);
    lua_pushliteral(L, LCL_ARRAY_MT);
    lua_setfield(L, -2, "__name");
    lua_setfield(L, -2, "array_mt");

    lcl_open_error(L);
    luaL_getmetatable(L, LCL_ERROR_MT);
    lua_setfield(L, -2, "error_mt");
    lcl_open_pager(L);
    lcl_open_client(L);
    /* lockcloud.lua points its __index at the calling client's vendor table */
    luaL_getmetatable(L, LCL_CLIENT_MT);
    lua_setfield(L, -2, "client_mt");

    lcl_push_null(L);
    lua_setfield(L, -2, "null");
    lua_pushliteral(L, LOCKCLOUD_VERSION);
    lua_setfield(L, -2, "version");
    lua_pushinteger(L, LCL_JSON_MAX_DEPTH);
    lua_setfield(L, -2, "max_depth");
    return 1;
}
