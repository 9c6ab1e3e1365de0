/* JSON bytes -> Lua values, straight from the core's strict reader
 * (json_reader.h): no cJSON tree in between, which halves the cost of an
 * answer. The values are those lcl_push_json gives for the same document
 * (json.c: the array metatable, lockcloud.null, integers).
 *
 * A container's members wait on the Lua stack until it ends, and the
 * table is then created at its exact size: no rehash while it fills. Past
 * PENDING_MAX members the table is created (sized for twice as many) and
 * later members go straight in, so the stack a document needs stays
 * within every Lua's C stack limit (Lua 5.1 and LuaJIT allow 8000 slots:
 * 128 levels x FRAME_SLOTS = 6400). A document that is a bare scalar
 * needs one slot, which every C function has. */
#include <stdio.h>
#include <string.h>

#include "errors.h" /* core/src */
#include "lcore.h"

#define PENDING_MAX 24

typedef struct frame {
    int base;      /* stack index of the table, or of its first pending slot */
    int count;     /* members so far                                         */
    int is_array;
    int made;      /* the table exists at base                               */
} frame;

typedef struct builder {
    lua_State *L;
    int mt;                                  /* the array metatable's index */
    int depth;
    frame open[LCL_JSON_MAX_DEPTH + 1];
    const char *why;                         /* a sink failure's reason     */
} builder;

static int room(builder *b, int n)
{
    if (lua_checkstack(b->L, n))
        return 0;
    b->why = "Lua stack exhausted";
    return -1;
}

/* Creates f's table at f->base from its pending members (the table moves
 * below them; each lua_raw* pops the topmost). hint: the size to make. */
static void make_table(builder *b, frame *f, int hint)
{
    lua_State *L = b->L;
    int n = f->count;

    lua_createtable(L, f->is_array ? hint : 0, f->is_array ? 0 : hint);
    lua_insert(L, f->base);
    if (f->is_array) {
        for (int i = n; i >= 1; i--)
            lua_rawseti(L, f->base, i);
    } else {
        for (int i = 0; i < n; i++)
            lua_rawset(L, f->base);
    }
    f->made = 1;
}

/* The value just pushed (after its key, in an object) joins its container. */
static inline int added(builder *b)
{
    frame *f;

    if (b->depth == 0)
        return 0; /* the document itself: it stays on the stack */
    f = &b->open[b->depth - 1];
    f->count++;
    if (f->made) {
        if (f->is_array)
            lua_rawseti(b->L, f->base, f->count);
        else
            lua_rawset(b->L, f->base);
    } else if (f->count >= PENDING_MAX) {
        make_table(b, f, 2 * f->count);
    }
    return 0;
}

/* The stack a container can need at once, reserved when it begins, so
 * that its members need no check: its pending members and the key and
 * value being added (2 x PENDING_MAX), then its table. */
#define FRAME_SLOTS (2 * PENDING_MAX + 2)

static int on_begin(void *ud, int is_array)
{
    builder *b = ud;
    frame *f;

    if (room(b, FRAME_SLOTS))
        return -1;
    f = &b->open[b->depth++];
    f->base = lua_gettop(b->L) + 1;
    f->count = 0;
    f->is_array = is_array;
    f->made = 0;
    return 0;
}

static int on_end(void *ud, int is_array)
{
    builder *b = ud;
    frame *f = &b->open[--b->depth];

    if (!f->made)
        make_table(b, f, f->count);
    if (is_array) {
        lua_pushvalue(b->L, b->mt);
        lua_setmetatable(b->L, -2);
    }
    return added(b);
}

static int on_key(void *ud, const char *s, size_t n)
{
    builder *b = ud;

    lua_pushlstring(b->L, s, n);
    return 0;
}

static int on_string(void *ud, const char *s, size_t n)
{
    builder *b = ud;

    lua_pushlstring(b->L, s, n);
    return added(b);
}

static int on_number(void *ud, double d)
{
    builder *b = ud;

    lcl_push_json_number(b->L, d);
    return added(b);
}

static int on_boolean(void *ud, int value)
{
    builder *b = ud;

    lua_pushboolean(b->L, value);
    return added(b);
}

static int on_null(void *ud)
{
    builder *b = ud;

    lcl_push_null(b->L);
    return added(b);
}

static const lc_json_sink lua_sink = {
    on_begin, on_end, on_key, on_string, on_number, on_boolean, on_null,
};

/* What the protected reader works on. */
typedef struct read_job {
    lc_json_reader rd;
    const char *text;
    size_t len;
    const lc_json_limits *lim;
    const char *what;
    lc_error *err;
    lc_status st;
} read_job;

/* Under lua_pcall, so that a Lua error (out of memory) lands where the
 * reader's scratch is freed. Leaves the document, or nothing. */
static int read_protected(lua_State *L)
{
    read_job *job = lua_touserdata(L, 1);
    builder b;

    lua_settop(L, 0);
    luaL_getmetatable(L, LCL_ARRAY_MT);
    b.L = L;
    b.mt = 1;
    b.depth = 0;
    b.why = NULL;
    job->st = lc_json_read(&job->rd, job->text, job->len, job->lim, job->what, &lua_sink, &b,
                           job->err);
    if (job->st == LC_ERR_NOMEM && b.why)
        lc_err_set(job->err, LC_ERR_PARSE, "%s reading %s", b.why, job->what);
    if (job->st)
        return 0;
    return 1;
}

lc_status lcl_read_json(lua_State *L, const char *text, size_t len, const lc_json_limits *lim,
                        const char *what, lc_error *err)
{
    read_job job;
    int rc;

    lc_json_reader_init(&job.rd);
    job.text = text;
    job.len = len;
    job.lim = lim;
    job.what = what;
    job.err = err;
    job.st = LC_OK;
    luaL_checkstack(L, 2, "lockcloud: reading JSON");
    lua_pushcfunction(L, read_protected);
    lua_pushlightuserdata(L, &job);
    rc = lua_pcall(L, 1, 1, 0);
    lc_json_reader_free(&job.rd);
    if (rc != 0)
        lua_error(L); /* the reader's scratch is freed: raise it on */
    if (job.st) {
        lua_pop(L, 1); /* the nil read_protected returned nothing as */
        return job.st;
    }
    return LC_OK;
}
