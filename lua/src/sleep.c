/* core.sleep(seconds) and core.monotonic(): the blocking half of
 * lockcloud.sleep, whose scheduler (lockcloud.lua) yields instead when it
 * runs inside one of its coroutines. */
#include <errno.h>
#include <time.h>

#include "lcore.h"

#define MAX_SLEEP 31536000.0 /* a year: anything longer is a unit mistake */

/* core.sleep(seconds): sleeps the whole time, a signal's EINTR included. */
static int m_sleep(lua_State *L)
{
    lua_Number s = luaL_checknumber(L, 1);
    struct timespec left;

    if (!(s >= 0 && s <= MAX_SLEEP))
        return luaL_argerror(L, 1, "seconds from 0 to 31536000 expected");
    left.tv_sec = (time_t)s;
    left.tv_nsec = (long)((s - (lua_Number)left.tv_sec) * 1e9);
    if (left.tv_nsec > 999999999)
        left.tv_nsec = 999999999;
    while (nanosleep(&left, &left) != 0 && errno == EINTR)
        ;
    return 0;
}

/* core.monotonic() -> seconds of a clock that never jumps (wall-clock
 * changes do not move the scheduler's wake-up times). */
static int m_monotonic(lua_State *L)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    lua_pushnumber(L, (lua_Number)now.tv_sec + (lua_Number)now.tv_nsec / 1e9);
    return 1;
}

static const luaL_Reg functions[] = {
    {"sleep", m_sleep},
    {"monotonic", m_monotonic},
    {NULL, NULL}
};

void lcl_open_sleep(lua_State *L)
{
    luaL_setfuncs(L, functions, 0); /* into the module table below */
}
