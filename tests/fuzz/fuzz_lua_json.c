/* Fuzzes JSON <-> Lua conversion through the public Lua functions:
 * core.decode(bytes); when that gives a value, core.encode(value) and
 * core.decode of that text must give an equal value (deep comparison,
 * numbers exactly, arrays keep their array marking). Decoded strings never
 * hold NUL; decoded numbers are finite (beyond the double range is a parse
 * error). decode builds tables straight from the bytes (json_read.c); the
 * other path to Lua values, a cJSON tree converted by lcl_push_json (pager
 * items), must accept the same inputs and give an equal value. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "fuzz_util.h"
#include "lcore.h"

int luaopen_lockcloud_core(lua_State *L);

/* Runs with core = the module table, text = the input. Errors raised here
 * are invariant violations; decode refusing the input is fine. */
static const char check_lua[] =
    "local core, text, tree_decode = ...\n"
    "local function eq(a, b, depth)\n"
    "  if depth > 300 then return false end\n"
    "  if type(a) ~= type(b) then return false end\n"
    "  if type(a) ~= 'table' then\n"
    "    return a == b and math.type(a) == math.type(b)\n"
    "  end\n"
    "  if getmetatable(a) ~= getmetatable(b) then return false end\n"
    "  for k, v in pairs(a) do if not eq(v, rawget(b, k), depth + 1) then return false end end\n"
    "  for k in pairs(b) do if rawget(a, k) == nil then return false end end\n"
    "  return true\n"
    "end\n"
    "local function check_values(v, depth)\n"
    "  if type(v) == 'string' then assert(not v:find('\\0', 1, true), 'NUL in a decoded string') end\n"
    "  if type(v) == 'number' then assert(v == v and v ~= math.huge and v ~= -math.huge, 'decoded number not finite') end\n"
    "  if type(v) == 'table' and depth < 300 then\n"
    "    for k, x in pairs(v) do check_values(k, depth + 1); check_values(x, depth + 1) end\n"
    "  end\n"
    "end\n"
    "local v, err = core.decode(text)\n"
    "local tv = tree_decode(text)\n"
    "assert((v == nil) == (tv == nil), 'decode and the tree path disagree on accepting')\n"
    "if v == nil then\n"
    "  assert(err ~= nil, 'decode failed without an error')\n"
    "  return\n"
    "end\n"
    "assert(eq(v, tv, 0), 'decode differs from the tree path')\n"
    "check_values(v, 0)\n"
    "-- decode keeps integers within 2^53 (larger whole numbers stay floats),\n"
    "-- so whatever it produced, encode must accept\n"
    "local ok, text2 = pcall(core.encode, v)\n"
    "assert(ok, 'encode refused a decoded value: ' .. tostring(text2))\n"
    "local v2, err2 = core.decode(text2)\n"
    "assert(v2 ~= nil, 'decode refused what encode wrote: ' .. tostring(err2))\n"
    "assert(eq(v, v2, 0), 'decode(encode(v)) differs from v')\n";

/* One state for the whole run (a fresh one per input would cost 2 ms):
 * the check function and the module live in the registry. A full garbage
 * collection after each input frees what the input allocated, so
 * libFuzzer's malloc/free balance stays even and its leak check (costly)
 * runs only for real leaks. decode and encode keep no state between calls,
 * so every finding still reproduces on its own. */
static lua_State *L;
static int check_ref, core_ref;

/* tree_decode(text) -> value | nil: lc_json_parse, then lcl_push_json. */
static int tree_decode(lua_State *S)
{
    size_t len;
    const char *text = luaL_checklstring(S, 1, &len);
    cJSON *doc = NULL;
    lc_error err;
    char why[128];
    int pushed;

    lc_error_init(&err);
    if (lc_json_parse(text, len, NULL, "the input", &doc, &err) != LC_OK)
        return 0;
    pushed = lcl_push_json(S, doc, why, sizeof why) == 0;
    cJSON_Delete(doc);
    return pushed;
}

static void setup(void)
{
    L = luaL_newstate();
    if (!L)
        abort();
    luaL_openlibs(L);
    if (luaL_loadbuffer(L, check_lua, sizeof check_lua - 1, "=fuzz_lua_json") != LUA_OK) {
        fprintf(stderr, "%s\n", lua_tostring(L, -1));
        abort();
    }
    check_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushcfunction(L, luaopen_lockcloud_core);
    lua_call(L, 0, 1);
    core_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!L)
        setup();
    lua_rawgeti(L, LUA_REGISTRYINDEX, check_ref);
    lua_rawgeti(L, LUA_REGISTRYINDEX, core_ref);
    lua_pushlstring(L, (const char *)data, size);
    lua_pushcfunction(L, tree_decode);
    if (lua_pcall(L, 3, 0, 0) != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        /* running out of memory is not a finding of this target */
        if (!msg || !strstr(msg, "not enough memory")) {
            fprintf(stderr, "fuzz_lua_json: %s\n", msg ? msg : "(error object)");
            abort();
        }
        lua_pop(L, 1);
    }
    lua_gc(L, LUA_GCCOLLECT, 0);
    return 0;
}
