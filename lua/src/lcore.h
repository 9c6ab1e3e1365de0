/* Internal interface shared by the files of the lockcloud.core Lua module.
 * Nothing here is exported: the shared object exports only
 * luaopen_lockcloud_core (see lockcloud_core.map). */
#ifndef LCL_CORE_H
#define LCL_CORE_H

#include <lockcloud/lockcloud.h>
#include "buf.h"        /* core/src */
#include "json_parse.h" /* core/src: the one strict JSON reader */
#include "compat.h"

#define LCL_CLIENT_MT "lockcloud.client"
#define LCL_PAGER_MT  "lockcloud.pager"
#define LCL_BOX_MT    "lockcloud.box"
#define LCL_ERROR_MT  "lockcloud.error"
#define LCL_ARRAY_MT  "lockcloud.array"

/* Nesting limit (arrays and objects) for JSON <-> Lua conversion in both
 * directions: hostile documents or tables must not exhaust the C stack. The
 * core's reader has the same limit, so whatever encode() writes, decode()
 * and the core read back. */
#define LCL_JSON_MAX_DEPTH LC_JSON_MAX_DEPTH

/* A box owns every C resource one operation produces (result document,
 * encoded text, error with its API errors). It is a userdata created BEFORE
 * the resources exist, so a Lua error raised at any later point (conversion,
 * out of memory) lets the garbage collector free them: nothing is ever
 * unowned while Lua may longjmp. */
typedef struct lcl_box {
    cJSON *doc;
    char *text;
    lc_buf raw;   /* an answer's bytes, before they become Lua values */
    lc_error err;
} lcl_box;

lcl_box *lcl_box_new(lua_State *L);       /* pushes the box */
void lcl_box_release(lcl_box *box);       /* frees contents now; idempotent */

/* json.c */
void lcl_push_null(lua_State *L);
int lcl_is_null(lua_State *L, int idx);
/* Pushes the Lua form of item. Returns 0, or -1 with nothing pushed and a
 * reason in why (nesting too deep, Lua stack exhausted). */
int lcl_push_json(lua_State *L, const cJSON *item, char *why, size_t whylen);
/* Pushes a JSON number as lcl_push_json does: an integer where the Lua
 * version has them and the value is whole within 2^53. */
void lcl_push_json_number(lua_State *L, double d);
/* json_read.c */
/* Pushes the Lua form of the JSON document text[0..len), read by the
 * core's strict reader (json_reader.h) with lim and what. On failure
 * pushes nothing and returns the error (err filled). Raises only what Lua
 * raises (out of memory). */
lc_status lcl_read_json(lua_State *L, const char *text, size_t len, const lc_json_limits *lim,
                        const char *what, lc_error *err);
/* Encodes the value at idx into box->doc. Raises on values JSON cannot
 * represent, cycles and excessive nesting (programmer errors); the partial
 * tree is owned by the box meanwhile. */
void lcl_to_json(lua_State *L, int idx, lcl_box *box);

/* error.c */
/* Pushes the Lua error object for err (a table with metatable
 * LCL_ERROR_MT). Does not clear err. */
void lcl_push_error(lua_State *L, const lc_error *err);
/* Turns a failed call into the Lua convention: usage errors raise (they are
 * programmer errors); everything else returns nil, err. */
int lcl_fail(lua_State *L, lcl_box *box);
/* Pushes the converted result document (or true when there is none) and
 * returns 1, or returns lcl_fail(). box->doc is released after conversion. */
int lcl_push_result(lua_State *L, lc_status st, lcl_box *box);
void lcl_open_error(lua_State *L);

/* args.c */
/* The string argument at idx, which must not hold NUL (C would see only
 * the part before it); raises an argument error naming what otherwise. */
const char *lcl_check_text(lua_State *L, int idx, const char *what);
/* NULL-terminated C string array from the sequence of strings at idx. nil
 * gives NULL and pushes nothing; otherwise the array is a userdata pushed on
 * the stack (so the GC frees it), and the strings stay referenced by the
 * table at idx, which the caller keeps on the stack. Raises on non-strings. */
const char **lcl_string_array(lua_State *L, int idx, const char *what);

/* client.c, pager.c */
typedef struct lcl_pager lcl_pager;
typedef struct lcl_client {
    lc_client *client;  /* NULL once closed */
    lcl_pager *pagers;  /* live pagers: freed before the client */
} lcl_client;

lcl_client *lcl_check_open_client(lua_State *L, int idx);
void lcl_open_client(lua_State *L);
void lcl_open_pager(lua_State *L);
int lcl_pager_new(lua_State *L);          /* client:_pager(...) */
void lcl_pagers_detach(lcl_client *c);    /* frees every pager of c */

/* tz.c, sleep.c: add their functions to the module table on the stack */
void lcl_open_tz(lua_State *L);
void lcl_open_sleep(lua_State *L);

#endif
