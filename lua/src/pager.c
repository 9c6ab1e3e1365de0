/* Pager userdata: lazy page-by-page iteration over a collection endpoint.
 *
 * A pager points into its client, so the client keeps a list of its live
 * pagers and frees them before itself, and each pager holds a registry
 * reference to its client so the client is not collected first. */
#include <string.h>

#include "lcore.h"

struct lcl_pager {
    lc_pager *pager;       /* NULL when finished or closed */
    lcl_client *owner;     /* NULL once unlinked */
    lcl_pager *prev, *next;
    int client_ref;        /* registry reference keeping the client alive */
    int finished;          /* reached the end: next() keeps returning nil */
};

static void unlink_pager(lcl_pager *p)
{
    if (p->owner == NULL)
        return;
    if (p->prev != NULL)
        p->prev->next = p->next;
    else
        p->owner->pagers = p->next;
    if (p->next != NULL)
        p->next->prev = p->prev;
    p->owner = NULL;
    p->prev = p->next = NULL;
}

static void free_pager(lcl_pager *p)
{
    unlink_pager(p);
    lc_pager_free(p->pager);
    p->pager = NULL;
}

void lcl_pagers_detach(lcl_client *c)
{
    while (c->pagers != NULL)
        free_pager(c->pagers);
}

/* close(), __gc and __close: idempotent. */
static int pager_close(lua_State *L)
{
    lcl_pager *p = luaL_checkudata(L, 1, LCL_PAGER_MT);
    free_pager(p);
    if (p->client_ref != LUA_NOREF) {
        luaL_unref(L, LUA_REGISTRYINDEX, p->client_ref);
        p->client_ref = LUA_NOREF;
    }
    return 0;
}

/* client:_pager(endpoint, path_args, query_pairs, per_page) -> pager | nil, err */
int lcl_pager_new(lua_State *L)
{
    lcl_client *c;
    const char *name;
    const char **args, **query;
    lua_Integer per_page;
    lcl_pager *p;
    lcl_box *res;
    lc_status st;

    /* the arrays below are pushed: per_page must be at 5, not at the top */
    lua_settop(L, 5);
    c = lcl_check_open_client(L, 1);
    name = lcl_check_text(L, 2, "endpoint name");
    args = lcl_string_array(L, 3, "path arguments");
    query = lcl_string_array(L, 4, "query parameters");
    per_page = luaL_optinteger(L, 5, 0);

    luaL_argcheck(L, per_page >= 0 && per_page <= 50, 5, "per_page must be 1..50");
    p = lcl_newuserdata(L, sizeof *p);
    memset(p, 0, sizeof *p);
    p->client_ref = LUA_NOREF;
    luaL_getmetatable(L, LCL_PAGER_MT);
    lua_setmetatable(L, -2);
    res = lcl_box_new(L);
    st = lc_pager_new(c->client, name, args, query, (int)per_page, &p->pager, &res->err);
    if (st != LC_OK)
        return lcl_push_result(L, st, res);
    /* link first (cannot fail), so a raise in luaL_ref leaves nothing unowned */
    p->owner = c;
    p->next = c->pagers;
    if (c->pagers != NULL)
        c->pagers->prev = p;
    c->pagers = p;
    lua_pop(L, 1); /* the box */
    lua_pushvalue(L, 1);
    p->client_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 1;
}

/* pager:next() -> item | nil (end) | nil, err. After the end, further calls
 * keep returning nil (meta() still describes the last page). After an
 * error the pager stays where it was: the next call asks for the failed
 * page again, so an iterator that raised is resumed by calling it again
 * (lc_pager_next). */
static int pager_next(lua_State *L)
{
    lcl_pager *p = luaL_checkudata(L, 1, LCL_PAGER_MT);
    const cJSON *item = NULL;
    lcl_box *res;
    lc_status st;
    char why[128];

    if (p->finished) {
        lua_pushnil(L);
        return 1;
    }
    if (p->pager == NULL)
        return luaL_error(L, "lockcloud: iterator used after close (or after its client was closed)");
    res = lcl_box_new(L);
    st = lc_pager_next(p->pager, &item, &res->err);
    if (st != LC_OK)
        return lcl_push_result(L, st, res);
    if (item == NULL) {
        p->finished = 1;
        lua_pushnil(L);
        return 1;
    }
    /* item is borrowed from the pager, which stays owned by the userdata */
    if (lcl_push_json(L, item, why, sizeof why) != 0) {
        res->err.kind = LC_ERR_PARSE;
        strncpy(res->err.message, why, sizeof res->err.message - 1);
        return lcl_push_result(L, LC_ERR_PARSE, res);
    }
    return 1;
}

/* pager:meta() -> meta of the last page fetched ({page, per_page,
 * total_pages, total_count}) or nil */
static int pager_meta(lua_State *L)
{
    lcl_pager *p = luaL_checkudata(L, 1, LCL_PAGER_MT);
    const cJSON *meta = p->pager != NULL ? lc_pager_meta(p->pager) : NULL;
    char why[128];

    if (meta == NULL || lcl_push_json(L, meta, why, sizeof why) != 0)
        lua_pushnil(L);
    return 1;
}

/* pager:position() -> items handed out, page its next request asks for
 * (the failed one after an error): where a resumed walk carries on. */
static int pager_position(lua_State *L)
{
    lcl_pager *p = luaL_checkudata(L, 1, LCL_PAGER_MT);
    long long items = 0;
    long page = 0;

    lc_pager_position(p->pager, &items, &page);
    lua_pushinteger(L, (lua_Integer)items);
    lua_pushinteger(L, (lua_Integer)page);
    return 2;
}

static const luaL_Reg pager_methods[] = {
    {"next", pager_next},
    {"meta", pager_meta},
    {"position", pager_position},
    {"close", pager_close},
    {NULL, NULL}
};

void lcl_open_pager(lua_State *L)
{
    luaL_newmetatable(L, LCL_PAGER_MT);
    lua_pushcfunction(L, pager_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, pager_close);
    lua_setfield(L, -2, "__close");
    lua_pushliteral(L, LCL_PAGER_MT);
    lua_setfield(L, -2, "__name");
    lua_newtable(L);
    luaL_setfuncs(L, pager_methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
}
