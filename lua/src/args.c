/* Lua sequences of strings -> NULL-terminated C string arrays (lc_query). */
#include <string.h>

#include "lcore.h"

const char *lcl_check_text(lua_State *L, int idx, const char *what)
{
    size_t len;
    const char *s = luaL_checklstring(L, idx, &len);
    if (memchr(s, '\0', len) != NULL)
        luaL_argerror(L, idx, lua_pushfstring(L, "%s holds a NUL byte", what));
    return s;
}

const char **lcl_string_array(lua_State *L, int idx, const char *what)
{
    const char **arr;
    size_t i, n, len;

    idx = lua_absindex(L, idx);
    if (lua_isnoneornil(L, idx))
        return NULL;
    luaL_checktype(L, idx, LUA_TTABLE);
    n = lua_rawlen(L, idx);
    if (n > 10000)
        luaL_error(L, "lockcloud: too many %s", what);
    /* a userdata, so the array is collected even if a later check raises */
    arr = lcl_newuserdata(L, (n + 1) * sizeof *arr);
    for (i = 0; i < n; i++) {
        lua_rawgeti(L, idx, (int)i + 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "lockcloud: %s must be strings (item %d is %s)", what,
                       (int)i + 1, luaL_typename(L, -1));
        /* the table at idx keeps the string alive while the caller runs */
        arr[i] = lua_tolstring(L, -1, &len);
        /* C would see only the part before a NUL: "X\0..." must not act on X */
        if (memchr(arr[i], '\0', len) != NULL)
            luaL_error(L, "lockcloud: %s must not hold a NUL byte (item %d)", what, (int)i + 1);
        lua_pop(L, 1);
    }
    arr[n] = NULL;
    return arr;
}
