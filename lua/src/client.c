/* The client userdata: construction from an options table, the shared
 * close/__gc/__close destructor, and the primitive calls that lockcloud.lua
 * builds the friendly API on. Every call follows one order: check arguments
 * (may raise), create the box, call the core, then convert or raise. */
#include <math.h>
#include <string.h>

#include "lcore.h"

static const char *const option_names[] = {
    "api_url", "auth_url", "client_id", "client_secret", "cafile", "token_file",
    "proxy", "user_agent", "timeout", "connect_timeout", "allow_http",
    "max_response_bytes", NULL
};

static const char *opt_string(lua_State *L, const char *name, int required)
{
    const char *s;
    size_t len;

    lua_getfield(L, 1, name);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        if (required)
            luaL_error(L, "lockcloud.remotelock: option '%s' is required", name);
        return NULL;
    }
    if (lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "lockcloud.remotelock: option '%s' must be a string, got %s",
                   name, luaL_typename(L, -1));
    s = lua_tolstring(L, -1, &len);
    if (len == 0 || memchr(s, '\0', len) != NULL)
        luaL_error(L, "lockcloud.remotelock: option '%s' must be a non-empty string without NUL", name);
    /* Left on the stack: it may have come from an __index metamethod, so
     * the table need not hold it, and later lookups may run the collector. */
    return s;
}

static long opt_seconds(lua_State *L, const char *name)
{
    lua_Number sec;

    lua_getfield(L, 1, name);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return 0;
    }
    if (lua_type(L, -1) != LUA_TNUMBER)
        luaL_error(L, "lockcloud.remotelock: option '%s' must be a number of seconds, got %s",
                   name, luaL_typename(L, -1));
    sec = lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (!(sec > 0 && sec <= 86400))
        luaL_error(L, "lockcloud.remotelock: option '%s' must be between 0 and 86400 seconds", name);
    return (long)ceil(sec * 1000);
}

/* A byte count: the cap on one answer (lc_config.max_response_bytes). */
static size_t opt_bytes(lua_State *L, const char *name)
{
    lua_Number n;

    lua_getfield(L, 1, name);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return 0;
    }
    if (lua_type(L, -1) != LUA_TNUMBER)
        luaL_error(L, "lockcloud.remotelock: option '%s' must be a number of bytes, got %s",
                   name, luaL_typename(L, -1));
    n = lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (!(n >= 1024 && n <= 1073741824.0) || n != floor(n))
        luaL_error(L, "lockcloud.remotelock: option '%s' must be a whole number of bytes "
                   "from 1024 to 1073741824", name);
    return (size_t)n;
}

static int opt_boolean(lua_State *L, const char *name)
{
    int v;

    lua_getfield(L, 1, name);
    if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TBOOLEAN)
        luaL_error(L, "lockcloud.remotelock: option '%s' must be a boolean, got %s",
                   name, luaL_typename(L, -1));
    v = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return v;
}

/* Compared with their length: "api_url\0x" is not api_url (it would be
 * ignored silently otherwise). */
static void check_option_names(lua_State *L)
{
    size_t i, len;
    const char *k;

    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "lockcloud.remotelock: option names must be strings");
        k = lua_tolstring(L, -1, &len);
        for (i = 0; option_names[i] != NULL; i++)
            if (strlen(option_names[i]) == len && memcmp(k, option_names[i], len) == 0)
                break;
        if (option_names[i] == NULL) {
            if (memchr(k, '\0', len) != NULL)
                luaL_error(L, "lockcloud.remotelock: option name '%s...' holds a NUL byte", k);
            luaL_error(L, "lockcloud.remotelock: unknown option '%s'", k);
        }
    }
}

/* core.new(options) -> client | nil, err */
static int client_new(lua_State *L)
{
    lc_config cfg;
    lcl_client *c;
    lcl_box *box;
    lc_status st;

    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    check_option_names(L);
    luaL_checkstack(L, 16, "lockcloud.remotelock");
    memset(&cfg, 0, sizeof cfg);
    cfg.api_url = opt_string(L, "api_url", 0);
    cfg.auth_url = opt_string(L, "auth_url", 0);
    cfg.client_id = opt_string(L, "client_id", 1);
    cfg.client_secret = opt_string(L, "client_secret", 1);
    cfg.cafile = opt_string(L, "cafile", 0);
    cfg.token_file = opt_string(L, "token_file", 0);
    cfg.proxy = opt_string(L, "proxy", 0);
    cfg.user_agent = opt_string(L, "user_agent", 0);
    cfg.timeout_ms = opt_seconds(L, "timeout");
    cfg.connect_timeout_ms = opt_seconds(L, "connect_timeout");
    cfg.allow_http = opt_boolean(L, "allow_http");
    cfg.max_response_bytes = opt_bytes(L, "max_response_bytes");

    c = lcl_newuserdata(L, sizeof *c);
    c->client = NULL;
    c->pagers = NULL;
    luaL_getmetatable(L, LCL_CLIENT_MT);
    lua_setmetatable(L, -2);
    box = lcl_box_new(L);
    st = lc_client_new(&cfg, &c->client, &box->err);
    if (st != LC_OK)
        return lcl_push_result(L, st, box);
    lua_pop(L, 1); /* the box; the client is on top */
    return 1;
}

lcl_client *lcl_check_open_client(lua_State *L, int idx)
{
    lcl_client *c = luaL_checkudata(L, idx, LCL_CLIENT_MT);
    if (c->client == NULL)
        luaL_error(L, "lockcloud: client is closed");
    return c;
}

/* close(), __gc and __close: idempotent. Pagers go first: they point into
 * the client. */
static int client_close(lua_State *L)
{
    lcl_client *c = luaL_checkudata(L, 1, LCL_CLIENT_MT);
    lcl_pagers_detach(c);
    lc_client_free(c->client);
    c->client = NULL;
    return 0;
}

static int client_is_closed(lua_State *L)
{
    lcl_client *c = luaL_checkudata(L, 1, LCL_CLIENT_MT);
    lua_pushboolean(L, c->client == NULL);
    return 1;
}

static int client_tostring(lua_State *L)
{
    lcl_client *c = luaL_checkudata(L, 1, LCL_CLIENT_MT);
    lua_pushfstring(L, "lockcloud.client (%s): %p", c->client ? "open" : "closed", (void *)c);
    return 1;
}

/* client:_call(endpoint, path_args, query_pairs, body) -> document | true | nil, err */
static int client_call(lua_State *L)
{
    lcl_client *c;
    const char *name;
    const char **args, **query;
    lcl_box *body = NULL, *res;
    lc_status st;

    /* the arrays below are pushed: the body must be at 5, not at the top */
    lua_settop(L, 5);
    c = lcl_check_open_client(L, 1);
    name = lcl_check_text(L, 2, "endpoint name");
    args = lcl_string_array(L, 3, "path arguments");
    query = lcl_string_array(L, 4, "query parameters");

    if (!lua_isnoneornil(L, 5)) {
        body = lcl_box_new(L);
        lcl_to_json(L, 5, body);
    }
    res = lcl_box_new(L);
    st = lc_call(c->client, name, args, query, body ? body->doc : NULL, &res->doc, &res->err);
    if (body != NULL)
        lcl_box_release(body);
    return lcl_push_result(L, st, res);
}

/* client:_request(method, path, body) -> document | true | nil, err */
static int client_request(lua_State *L)
{
    lcl_client *c = lcl_check_open_client(L, 1);
    const char *method = lcl_check_text(L, 2, "method");
    const char *path = lcl_check_text(L, 3, "path");
    lcl_box *body = NULL, *res;
    lc_status st;

    if (!lua_isnoneornil(L, 4)) {
        body = lcl_box_new(L);
        lcl_to_json(L, 4, body);
    }
    res = lcl_box_new(L);
    st = lc_request(c->client, method, path, body ? body->doc : NULL, &res->doc, &res->err);
    if (body != NULL)
        lcl_box_release(body);
    return lcl_push_result(L, st, res);
}

static int done(lua_State *L, lc_status st, lcl_box *res)
{
    if (st != LC_OK)
        return lcl_push_result(L, st, res);
    lua_pushboolean(L, 1);
    return 1;
}

/* client:authenticate() -> true | nil, err  (client_credentials grant) */
static int client_authenticate(lua_State *L)
{
    lcl_client *c = lcl_check_open_client(L, 1);
    lcl_box *res = lcl_box_new(L);
    return done(L, lc_auth_client_credentials(c->client, &res->err), res);
}

/* client:auth_code(code, redirect_uri) -> true | nil, err */
static int client_auth_code(lua_State *L)
{
    lcl_client *c = lcl_check_open_client(L, 1);
    const char *code = lcl_check_text(L, 2, "code");
    const char *redirect = lcl_check_text(L, 3, "redirect_uri");
    lcl_box *res = lcl_box_new(L);
    return done(L, lc_auth_exchange_code(c->client, code, redirect, &res->err), res);
}

static int client_refresh(lua_State *L)
{
    lcl_client *c = lcl_check_open_client(L, 1);
    lcl_box *res = lcl_box_new(L);
    return done(L, lc_auth_refresh(c->client, &res->err), res);
}

static int client_revoke(lua_State *L)
{
    lcl_client *c = lcl_check_open_client(L, 1);
    lcl_box *res = lcl_box_new(L);
    return done(L, lc_auth_revoke(c->client, &res->err), res);
}

static void push_count(lua_State *L, long long v, int known)
{
    if (!known)
        lua_pushnil(L);
    else
#if LCL_HAS_INTEGERS
        lua_pushinteger(L, (lua_Integer)v);
#else
        lua_pushnumber(L, (lua_Number)v);
#endif
}

/* client:rate_limit() -> limit, remaining, reset_epoch (each nil when unknown) */
static int client_rate_limit(lua_State *L)
{
    lcl_client *c = lcl_check_open_client(L, 1);
    long limit = -1, remaining = -1;
    long long reset = 0;

    lc_client_rate_limit(c->client, &limit, &remaining, &reset);
    push_count(L, limit, limit >= 0);
    push_count(L, remaining, remaining >= 0);
    push_count(L, reset, reset > 0);
    return 3;
}

/* client:set_deadline(seconds) : overall deadline from now; 0/nil clears */
static int client_set_deadline(lua_State *L)
{
    lcl_client *c = lcl_check_open_client(L, 1);
    lua_Number sec = luaL_optnumber(L, 2, 0);

    luaL_argcheck(L, sec >= 0 && sec <= 86400, 2, "seconds between 0 and 86400");
    lc_client_set_deadline_ms(c->client, (long)ceil(sec * 1000));
    return 0;
}

static const luaL_Reg client_methods[] = {
    {"close", client_close},
    {"is_closed", client_is_closed},
    {"_call", client_call},
    {"_request", client_request},
    {"_pager", lcl_pager_new},
    {"authenticate", client_authenticate},
    {"auth_code", client_auth_code},
    {"refresh", client_refresh},
    {"revoke", client_revoke},
    {"rate_limit", client_rate_limit},
    {"set_deadline", client_set_deadline},
    {NULL, NULL}
};

/* Leaves core.new in the module table (at the top) and core.client_methods,
 * the __index table lockcloud.lua extends. */
void lcl_open_client(lua_State *L)
{
    luaL_newmetatable(L, LCL_CLIENT_MT);
    lua_pushcfunction(L, client_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, client_close);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, client_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, LCL_CLIENT_MT);
    lua_setfield(L, -2, "__name");
    lua_newtable(L);
    luaL_setfuncs(L, client_methods, 0);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__index");
    lua_setfield(L, -3, "client_methods");
    lua_pop(L, 1);
    lua_pushcfunction(L, client_new);
    lua_setfield(L, -2, "new");
}
