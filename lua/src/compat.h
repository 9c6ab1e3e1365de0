/* The few Lua C API differences between 5.1/LuaJIT, 5.2, 5.3 and 5.4 that
 * the binding touches, papered over in one place. Everything else in lua/src
 * uses only the API common to all of them. */
#ifndef LCL_COMPAT_H
#define LCL_COMPAT_H

#include <lua.h>
#include <lauxlib.h>

#if LUA_VERSION_NUM < 502
/* Lua 5.1 and LuaJIT */
#ifndef LUA_OK
#define LUA_OK 0
#endif
#define lua_rawlen(L, i) lua_objlen((L), (i))

static inline int lcl_absindex(lua_State *L, int idx)
{
    return (idx > 0 || idx <= LUA_REGISTRYINDEX) ? idx : lua_gettop(L) + idx + 1;
}
#define lua_absindex(L, i) lcl_absindex((L), (i))

static inline void lcl_setfuncs(lua_State *L, const luaL_Reg *l, int nup)
{
    luaL_checkstack(L, nup + 1, "too many upvalues");
    for (; l->name != NULL; l++) {
        int i;
        for (i = 0; i < nup; i++)
            lua_pushvalue(L, -nup);
        lua_pushcclosure(L, l->func, nup);
        lua_setfield(L, -(nup + 2), l->name);
    }
    lua_pop(L, nup);
}
#define luaL_setfuncs(L, l, n) lcl_setfuncs((L), (l), (n))
#endif

/* Integer subtype: 5.3 and later distinguish integers from floats. */
#if LUA_VERSION_NUM >= 503
#define LCL_HAS_INTEGERS 1
#else
#define LCL_HAS_INTEGERS 0
#endif

/* Lua 5.4 gives new userdata user values by default; one is not needed. */
#if LUA_VERSION_NUM >= 504
#define lcl_newuserdata(L, sz) lua_newuserdatauv((L), (sz), 0)
#else
#define lcl_newuserdata(L, sz) lua_newuserdata((L), (sz))
#endif

#endif
