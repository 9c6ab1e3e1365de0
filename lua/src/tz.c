/* core.tz_load(name) -> zone | nil, message: a zone of the system's
 * zoneinfo (/usr/share/zoneinfo/<name>), read once by the core's reader
 * (core/src/tz.c) into a userdata with zone:offset(utc) -> seconds east of
 * UTC and zone:utc(local) -> instant, fold (see tz.h). No process-global
 * state (TZ, tzset) is touched. */
#include <string.h>

#include "lcore.h"
#include "tz.h"

#define LCL_ZONE_MT   "lockcloud.zone"
#define MAX_SECONDS   9007199254740992.0 /* 2^53: exact in every Lua's numbers */

static int64_t check_seconds(lua_State *L, int idx)
{
    lua_Number v = luaL_checknumber(L, idx);
    if (!(v >= -MAX_SECONDS && v <= MAX_SECONDS) || v != (lua_Number)(int64_t)v)
        luaL_argerror(L, idx, "whole number of seconds expected");
    return (int64_t)v;
}

static const lc_tz *check_zone(lua_State *L)
{
    lc_tz **box = luaL_checkudata(L, 1, LCL_ZONE_MT);
    if (*box == NULL)
        luaL_argerror(L, 1, "zone not loaded");
    return *box;
}

static int zone_offset(lua_State *L)
{
    const lc_tz *tz = check_zone(L);
    lua_pushinteger(L, lc_tz_offset_at(tz, check_seconds(L, 2)));
    return 1;
}

static int zone_utc(lua_State *L)
{
    const lc_tz *tz = check_zone(L);
    int fold = 0;
    int64_t t = lc_tz_utc(tz, check_seconds(L, 2), &fold);
    lua_pushinteger(L, (lua_Integer)t);
    lua_pushinteger(L, fold);
    return 2;
}

static int zone_gc(lua_State *L)
{
    lc_tz **box = luaL_checkudata(L, 1, LCL_ZONE_MT);
    lc_tz_free(*box);
    *box = NULL;
    return 0;
}

/* Pushes an empty zone userdata, which owns the zone from the moment it
 * exists, so nothing leaks if Lua raises later. */
static lc_tz **new_zone(lua_State *L)
{
    lc_tz **box = lcl_newuserdata(L, sizeof *box);
    *box = NULL;
    luaL_getmetatable(L, LCL_ZONE_MT);
    lua_setmetatable(L, -2);
    return box;
}

/* The zone userdata on the stack holding tz, or nil and err's message. */
static int zone_or_nil(lua_State *L, lc_tz **box, lc_tz *tz, lc_error *err)
{
    *box = tz;
    if (tz != NULL)
        return 1;
    lua_pushnil(L);
    lua_pushstring(L, err->message);
    lc_error_clear(err);
    return 2;
}

static int tz_load(lua_State *L)
{
    size_t len;
    const char *name = luaL_checklstring(L, 1, &len);
    lc_tz **box = new_zone(L);
    lc_error err;

    lc_error_init(&err);
    /* a NUL inside the Lua string would cut the C name short */
    if (!lc_tz_name_ok(name, len))
        name = "";
    return zone_or_nil(L, box, lc_tz_load(name, &err), &err);
}

/* core.tz_parse(bytes) -> zone | nil, reason: a zone from TZif bytes
 * (tests feed it truncated and corrupted files). */
static int tz_parse(lua_State *L)
{
    size_t len;
    const char *data = luaL_checklstring(L, 1, &len);
    lc_tz **box = new_zone(L);
    lc_error err;

    lc_error_init(&err);
    return zone_or_nil(L, box, lc_tz_parse((const unsigned char *)data, len, &err), &err);
}

/* core.days_from_civil(y, m, d), core.civil_from_days(days) -> y, m, d:
 * the calendar for lockcloud.lua's timestamp arithmetic (Lua 5.1 has no
 * integers, so this stays exact in C). */
static int days_from_civil(lua_State *L)
{
    lua_Number y = luaL_checknumber(L, 1);
    int m = (int)luaL_checkinteger(L, 2), d = (int)luaL_checkinteger(L, 3);
    if (!(y >= -1e6 && y <= 1e6) || m < 1 || m > 12 || d < 1 || d > 31)
        return luaL_error(L, "lockcloud: date out of range");
    lua_pushinteger(L, (lua_Integer)lc_days_from_civil((int64_t)y, m, d));
    return 1;
}

static int civil_from_days(lua_State *L)
{
    lua_Number days = luaL_checknumber(L, 1);
    int64_t y;
    int m, d;
    if (!(days >= -4e8 && days <= 4e8))
        return luaL_error(L, "lockcloud: date out of range");
    lc_civil_from_days((int64_t)days, &y, &m, &d);
    lua_pushinteger(L, (lua_Integer)y);
    lua_pushinteger(L, m);
    lua_pushinteger(L, d);
    return 3;
}

static const luaL_Reg zone_methods[] = {
    {"offset", zone_offset},
    {"utc", zone_utc},
    {NULL, NULL}
};

static const luaL_Reg functions[] = {
    {"tz_load", tz_load},
    {"tz_parse", tz_parse},
    {"days_from_civil", days_from_civil},
    {"civil_from_days", civil_from_days},
    {NULL, NULL}
};

void lcl_open_tz(lua_State *L)
{
    luaL_newmetatable(L, LCL_ZONE_MT);
    lua_pushcfunction(L, zone_gc);
    lua_setfield(L, -2, "__gc");
    lua_newtable(L);
    luaL_setfuncs(L, zone_methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, LCL_ZONE_MT);
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);
    luaL_setfuncs(L, functions, 0); /* into the module table below */
}
