-- Builds through the project's Makefile (the C module links the static
-- liblockcloud built from core/). From a checkout:
--   luarocks make lua/lockcloud-0.1.0-1.rockspec            (default Lua)
--   luarocks --lua-version=5.1 make lua/lockcloud-0.1.0-1.rockspec
-- The Makefile asks the interpreter luarocks targets ($(LUA)) for its
-- version and builds in build/rock/lua/<version> against $(LUA_INCDIR), so
-- rocks for several Lua versions never share an object; a changed include
-- directory rebuilds every object of that version.
-- Needs the C build dependencies (found with pkg-config by the Makefile):
-- libcurl, libcjson, a C11 compiler. install-lua installs lockcloud.lua, the
-- helper modules lua/lockcloud/*.lua and the C module (the reference, a
-- build product of `make all`, is not part of the rock).
rockspec_format = "3.0"
package = "lockcloud"
version = "0.1.0-1"
source = {
   url = "git+file:///lockcloud", -- replaced by the release URL when published
   tag = "v0.1.0",
}
description = {
   summary = "RemoteLock cloud access control (guests, accesses, locks, events) from Lua",
   detailed = [[
      Thin Lua layer over liblockcloud: an OAuth 2.0 client (rotating refresh
      tokens, shared token file), one method per endpoint generated from the
      library's catalogue (lockcloud.endpoints()), lazy paginated iterators,
      structured error objects and JSON <-> Lua conversion with
      lockcloud.null; helpers in lockcloud/*.lua (check-in undone on
      failure, check-out, stays extended in the location's time zone from
      the system's zoneinfo, find by name, locks needing attention, an event
      watcher resumable from a cursor, a sleep that yields to other tasks,
      CSV). Reference: docs/lua.md.
   ]],
   license = "MIT",
   labels = { "access-control", "remotelock", "oauth2", "json" },
}
dependencies = {
   "lua >= 5.1, < 5.5",
}
build = {
   type = "make",
   build_target = "lua-rock",
   build_variables = {
      BUILD = "build/rock",
      CFLAGS = "$(CFLAGS)",
      LUA_INTERP = "$(LUA)",
      LUA_CFLAGS = "-I$(LUA_INCDIR)",
   },
   install_target = "install-lua",
   install_variables = {
      BUILD = "build/rock",
      CFLAGS = "$(CFLAGS)", -- the same flags as the build: nothing is rebuilt
      LUA_INTERP = "$(LUA)",
      LUA_CFLAGS = "-I$(LUA_INCDIR)",
      LUA_CMOD_DIR = "$(LIBDIR)",
      LUA_LMOD_DIR = "$(LUADIR)",
   },
}
