/* core.tz_load(name) -> zone | nil, message: a zone of the system's
 * zoneinfo (/usr/share/zoneinfo/<name>), read once into a userdata with
 * zone:offset(utc) -> seconds east of UTC and zone:utc(local) -> instant,
 * fold (see tzfile.h). No process-global state (TZ, tzset) is touched. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lcore.h"
#include "tzfile.h"

#define LCL_ZONE_MT   "lockcloud.zone"
#define ZONEINFO_DIR  "/usr/share/zoneinfo/"
#define MAX_ZONE_NAME 128
#define MAX_ZONE_FILE (1024 * 1024)
#define MAX_SECONDS   9007199254740992.0 /* 2^53: exact in every Lua's numbers */

/* An IANA name ("America/Denver", "Etc/GMT+7", "UTC", "EST5EDT"): '/'-
 * separated components, each an uppercase ASCII letter followed by letters,
 * digits, '_', '+' or '-'. Every IANA zone and link is so named, while the
 * host's files beside them are not: "localtime" and "posixrules" (links to
 * the host's own zone), "posix/..." and "right/...", "zone.tab". The name
 * stays inside the zoneinfo directory whatever the API sent. */
static int zone_name_ok(const char *s, size_t len)
{
    size_t i;
    int start = 1;

    if (len == 0 || len > MAX_ZONE_NAME)
        return 0;
    for (i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '/') {
            if (start)
                return 0;
            start = 1;
            continue;
        }
        if (start && !(ch >= 'A' && ch <= 'Z'))
            return 0;
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '+' || ch == '-'))
            return 0;
        start = 0;
    }
    return !start;
}

/* The file's bytes (malloc'ed) or NULL with a reason. */
static unsigned char *read_zone(const char *path, size_t *len, const char **why)
{
    struct stat st;
    unsigned char *buf = NULL;
    size_t got = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO never hangs */

    *why = "unknown time zone";
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_ZONE_FILE) {
        close(fd);
        return NULL;
    }
    buf = malloc((size_t)st.st_size + 1);
    *why = "out of memory";
    while (buf != NULL && got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (buf != NULL && got != (size_t)st.st_size) {
        free(buf);
        *why = "cannot read the zone file";
        return NULL;
    }
    *len = got;
    return buf;
}

static int64_t check_seconds(lua_State *L, int idx)
{
    lua_Number v = luaL_checknumber(L, idx);
    if (!(v >= -MAX_SECONDS && v <= MAX_SECONDS) || v != (lua_Number)(int64_t)v)
        luaL_argerror(L, idx, "whole number of seconds expected");
    return (int64_t)v;
}

static lcl_tz *check_zone(lua_State *L)
{
    lcl_tz *tz = luaL_checkudata(L, 1, LCL_ZONE_MT);
    if (tz->offs == NULL)
        luaL_argerror(L, 1, "zone not loaded");
    return tz;
}

static int zone_offset(lua_State *L)
{
    lcl_tz *tz = check_zone(L);
    lua_pushinteger(L, lcl_tz_offset(tz, check_seconds(L, 2)));
    return 1;
}

static int zone_utc(lua_State *L)
{
    lcl_tz *tz = check_zone(L);
    int fold = 0;
    int64_t t = lcl_tz_utc(tz, check_seconds(L, 2), &fold);
    lua_pushinteger(L, (lua_Integer)t);
    lua_pushinteger(L, fold);
    return 2;
}

static int zone_gc(lua_State *L)
{
    lcl_tz_free(luaL_checkudata(L, 1, LCL_ZONE_MT));
    return 0;
}

/* Pushes an empty zone userdata: it owns the tables from the moment they
 * exist, so nothing leaks if Lua raises later. */
static lcl_tz *new_zone(lua_State *L)
{
    lcl_tz *tz = lcl_newuserdata(L, sizeof *tz);
    memset(tz, 0, sizeof *tz);
    luaL_getmetatable(L, LCL_ZONE_MT);
    lua_setmetatable(L, -2);
    return tz;
}

/* The zone on the stack parsed from data, or nil and the reason. */
static int parsed(lua_State *L, lcl_tz *tz, const unsigned char *data, size_t len)
{
    const char *why;
    if (lcl_tz_parse(data, len, tz, &why) == 0)
        return 1;
    lua_pushnil(L);
    lua_pushstring(L, why);
    return 2;
}

static int tz_load(lua_State *L)
{
    size_t len, flen = 0;
    const char *name = luaL_checklstring(L, 1, &len);
    char path[sizeof ZONEINFO_DIR + MAX_ZONE_NAME];
    const char *why;
    unsigned char *data;
    lcl_tz *tz;
    int rc;

    if (!zone_name_ok(name, len)) {
        lua_pushnil(L);
        lua_pushliteral(L, "not an IANA time zone name (like 'America/Denver', 'Etc/GMT+7' or "
                           "'UTC': each part starts with an uppercase letter)");
        return 2;
    }
    tz = new_zone(L);
    memcpy(path, ZONEINFO_DIR, sizeof ZONEINFO_DIR - 1);
    memcpy(path + sizeof ZONEINFO_DIR - 1, name, len + 1);
    data = read_zone(path, &flen, &why);
    if (data == NULL) {
        lua_pushnil(L);
        lua_pushstring(L, why);
        return 2;
    }
    rc = lcl_tz_parse(data, flen, tz, &why);
    free(data); /* before anything that may raise */
    if (rc != 0) {
        lua_pushnil(L);
        lua_pushstring(L, why);
        return 2;
    }
    return 1;
}

/* core.tz_parse(bytes) -> zone | nil, reason: a zone from TZif bytes
 * (tests feed it truncated and corrupted files). */
static int tz_parse(lua_State *L)
{
    size_t len;
    const char *data = luaL_checklstring(L, 1, &len);
    return parsed(L, new_zone(L), (const unsigned char *)data, len);
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
    lua_pushinteger(L, (lua_Integer)lcl_days_from_civil((int64_t)y, m, d));
    return 1;
}

static int civil_from_days(lua_State *L)
{
    lua_Number days = luaL_checknumber(L, 1);
    int64_t y;
    int m, d;
    if (!(days >= -4e8 && days <= 4e8))
        return luaL_error(L, "lockcloud: date out of range");
    lcl_civil_from_days((int64_t)days, &y, &m, &d);
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
