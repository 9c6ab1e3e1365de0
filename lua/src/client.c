/* The client userdata: construction from an options table, the shared
 * close/__gc/__close destructor, and the primitive calls that lockcloud.lua
 * builds the friendly API on. Every call follows one order: check arguments
 * (may raise), create the box, call the core, then convert or raise. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lcore.h"
#include "options.h"
#include "request.h" /* core/src: lc_call_row and how answers are read */

/* The options are the core's table (core/src/options.h): this file only
 * reads Lua values (a string, a number of seconds, a boolean) and hands
 * them to the table's validator for the row's type, so a value means what
 * it means in the PAM module and the command-line tool. */
#define OPT_ERR "lockcloud.%s: option '%s' "

/* The constructor's vendor (argument 2 of core.new, kept at index 2), for
 * messages: "lockcloud.remotelock: option 'timeout' ...". */
static const char *vendor_of(lua_State *L)
{
    return lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "remotelock";
}

static void opt_fail(lua_State *L, lc_error *err)
{
    luaL_error(L, "lockcloud.%s: %s", vendor_of(L), err->message);
}

/* A string row: left on the stack, since it may have come from an __index
 * metamethod, so the table need not hold it, and later lookups may run the
 * collector. */
static void opt_text(lua_State *L, lc_config *cfg, const lc_option *o, lc_error *err)
{
    char label[64];
    const char *s;
    size_t len;

    if (lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, OPT_ERR "must be a string, got %s", vendor_of(L), o->name, luaL_typename(L, -1));
    s = lua_tolstring(L, -1, &len);
    if (len == 0 || memchr(s, '\0', len) != NULL)
        luaL_error(L, OPT_ERR "must be a non-empty string without NUL", vendor_of(L), o->name);
    snprintf(label, sizeof label, "option '%s'", o->name);
    if (lc_option_set_text(cfg, o, label, s, err) != LC_OK)
        opt_fail(L, err);
}

static void opt_number(lua_State *L, lc_config *cfg, const lc_option *o, lc_error *err)
{
    char label[64];

    if (lua_type(L, -1) != LUA_TNUMBER)
        luaL_error(L, OPT_ERR "must be a number of %s, got %s", vendor_of(L), o->name,
                   o->type == LC_OPT_SECONDS ? "seconds" : o->type == LC_OPT_BYTES ? "bytes" : "times",
                   luaL_typename(L, -1));
    snprintf(label, sizeof label, "option '%s'", o->name);
    if (lc_option_set_number(cfg, o, label, (double)lua_tonumber(L, -1), err) != LC_OK)
        opt_fail(L, err);
    lua_pop(L, 1);
}

static void opt_boolean(lua_State *L, lc_config *cfg, const lc_option *o, lc_error *err)
{
    if (lua_type(L, -1) != LUA_TBOOLEAN)
        luaL_error(L, OPT_ERR "must be a boolean, got %s", vendor_of(L), o->name,
                   luaL_typename(L, -1));
    if (lc_option_set_boolean(cfg, o, lua_toboolean(L, -1), err) != LC_OK)
        opt_fail(L, err);
    lua_pop(L, 1);
}

/* Every row of the table, read from the options table at index 1. */
static void read_options(lua_State *L, lc_config *cfg)
{
    lc_error err;

    lc_error_init(&err);
    for (const lc_option *o = lc_options; o->name; o++) {
        lua_getfield(L, 1, o->name);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            if (o->flags & LC_OPT_REQUIRED)
                luaL_error(L, OPT_ERR "is required", vendor_of(L), o->name);
            continue;
        }
        switch (o->type) {
        case LC_OPT_SECONDS:
        case LC_OPT_BYTES:
        case LC_OPT_COUNT: /* max_retries: a Lua number, like the others */
            opt_number(L, cfg, o, &err);
            break;
        case LC_OPT_BOOLEAN:
            opt_boolean(L, cfg, o, &err);
            break;
        default:
            opt_text(L, cfg, o, &err);
            break;
        }
    }
}

/* Compared with their length: "api_url\0x" is not api_url (it would be
 * ignored silently otherwise). */
static void check_option_names(lua_State *L)
{
    size_t len;
    const char *k;

    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "lockcloud.%s: option names must be strings", vendor_of(L));
        k = lua_tolstring(L, -1, &len);
        if (lc_option_find(k, len) == NULL) {
            if (memchr(k, '\0', len) != NULL)
                luaL_error(L, "lockcloud.%s: option name '%s...' holds a NUL byte",
                           vendor_of(L), k);
            luaL_error(L, "lockcloud.%s: unknown option '%s'", vendor_of(L), k);
        }
    }
}

/* core.new(options [, vendor]) -> client | nil, err. vendor: an
 * lc_vendor_find name (lockcloud.lua's constructor of that vendor passes
 * it); nil is "remotelock". */
static int client_new(lua_State *L)
{
    lc_config cfg;
    lcl_client *c;
    lcl_box *box;
    lc_status st;
    const char *vendor;

    luaL_checktype(L, 1, LUA_TTABLE);
    vendor = lua_isnoneornil(L, 2) ? NULL : lcl_check_text(L, 2, "vendor name");
    lua_settop(L, 2); /* the vendor name stays referenced at 2 */
    check_option_names(L);
    luaL_checkstack(L, 32, "lockcloud.new");
    memset(&cfg, 0, sizeof cfg);
    read_options(L, &cfg);
    cfg.vendor = vendor;

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
/* A call's answer as Lua values: a CSV row's text as a string (refused
 * when it holds a NUL byte, as lc_call does), an empty answer (204) as true, JSON as tables built straight
 * from its bytes, with lc_call's limits and messages. */
static int push_answer(lua_State *L, lc_client *client, const lc_endpoint *row, long status,
                       lcl_box *res, lc_status st)
{
    lc_json_limits lim;
    char what[256], doc_name[300];

    if (st != LC_OK || res->raw.len == 0 || status == 204) {
        lc_buf_free(&res->raw);
        return lcl_push_result(L, st, res);
    }
    if (row->flags & LC_EP_CSV_ANSWER) {
        st = lc_answer_text_check(row, res->raw.data, res->raw.len, &res->err);
        if (st != LC_OK)
            return lcl_push_result(L, st, res);
        lua_pushlstring(L, res->raw.data, res->raw.len);
        lcl_box_release(res);
        return 1;
    }
    lim = lc_answer_limits(client);
    lc_endpoint_what(row, what, sizeof what);
    lc_answer_name(doc_name, sizeof doc_name, what);
    st = lcl_read_json(L, res->raw.data, res->raw.len, &lim, doc_name, &res->err);
    if (st != LC_OK) {
        lc_answer_failed(&res->err, st, what, status);
        return lcl_push_result(L, st, res);
    }
    lcl_box_release(res);
    return 1;
}

static int client_call(lua_State *L)
{
    lcl_client *c;
    const char *name;
    const char **args, **query;
    lcl_box *body = NULL, *res;
    const lc_endpoint *row = NULL;
    long status = 0;
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
    st = lc_call_row(c->client, name, args, query, body ? body->doc : NULL, NULL, &res->raw,
                     &status, &row, &res->err);
    if (body != NULL)
        lcl_box_release(body);
    return push_answer(L, c->client, row, status, res, st);
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

/* client:flavour() -> "current" | "v1": the API form the client speaks */
static int client_flavour(lua_State *L)
{
    lcl_client *c = lcl_check_open_client(L, 1);
    lua_pushstring(L, lc_client_flavour(c->client));
    return 1;
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
    {"flavour", client_flavour},
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
