# lua: the lockcloud Lua module = private C module lockcloud.core (linked
# with the static liblockcloud, exporting only luaopen_lockcloud_core) + the
# thin lua/lockcloud.lua.
#
# The C module is built once per Lua version, each in its own directory and
# against its own headers (the C API differs between versions, so an object
# built for one never serves another):
#   $(BUILD)/lua/V/obj/*.o, $(BUILD)/lua/V/lockcloud/core.so  (V = 5.1 5.2 5.3 5.4 jit)
# `make all` builds every version whose headers pkg-config finds (lua5.1 ...
# luajit); 5.4 is required. LUA_CFLAGS_V overrides the headers of version V;
# LUA_CFLAGS (command line) those of LUA_VERSION. `make install` installs
# the module of LUA_VERSION where that interpreter looks for it.
LUA_ALL_VERSIONS := 5.1 5.2 5.3 5.4 jit
LUA_SRCS     := $(wildcard lua/src/*.c)
LUA_HDRS     := $(wildcard lua/src/*.h)
LUA_MAP      := lua/src/lockcloud_core.map
LUA_MOD_CFLAGS = $(BASE_CFLAGS) -Icore/include -Icore/src -Ilua/src $(CJSON_CFLAGS)

# luarocks passes the interpreter it targets (LUA_INTERP=$(LUA)): ask it
# which version it is, so the rock is built in that version's directory.
ifneq ($(strip $(LUA_INTERP)),)
LUA_VERSION := $(shell $(LUA_INTERP) -e 'io.write(jit and "jit" or _VERSION:match("%d+%.%d+"))')
endif
ifeq ($(filter $(LUA_VERSION),$(LUA_ALL_VERSIONS)),)
$(error LUA_VERSION must be one of $(LUA_ALL_VERSIONS), not '$(LUA_VERSION)')
endif
ifeq ($(origin LUA_CFLAGS),command line)
LUA_CFLAGS_$(LUA_VERSION) := $(LUA_CFLAGS)
endif

# Per version V: headers, directory, objects, module, and a stamp holding the
# compiler flags, rewritten only when they change, so that new headers (e.g.
# luarocks pointing LUA_INCDIR at another Lua) rebuild every object.
define LUA_VERSION_RULES
ifeq ($$(origin LUA_CFLAGS_$(1)),undefined)
LUA_CFLAGS_$(1) := $$(shell $$(PKG_CONFIG) --cflags lua$(1) 2>/dev/null)
endif
LUA_DIR_$(1)    := $$(BUILD)/lua/$(1)
LUA_OBJS_$(1)   := $$(LUA_SRCS:lua/src/%.c=$$(LUA_DIR_$(1))/obj/%.o)
LUA_SO_$(1)     := $$(LUA_DIR_$(1))/lockcloud/core.so
LUA_FLAGS_$(1)  := $$(LUA_DIR_$(1))/obj/cflags

$$(LUA_FLAGS_$(1)): FORCE
	@test -n "$$(LUA_CFLAGS_$(1))" || { echo "lua$(1): no pkg-config lua$(1); install its headers or set LUA_CFLAGS_$(1)"; exit 1; }
	@mkdir -p $$(dir $$@)
	@echo '$$(CC) $$(LUA_MOD_CFLAGS) $$(LUA_CFLAGS_$(1))' | cmp -s - $$@ || \
	  echo '$$(CC) $$(LUA_MOD_CFLAGS) $$(LUA_CFLAGS_$(1))' > $$@

# The objects include core/src headers too (json_parse.h, json_print.h).
$$(LUA_DIR_$(1))/obj/%.o: lua/src/%.c $$(LUA_HDRS) $$(CORE_HEADERS) $$(wildcard core/src/*.h) $$(LUA_FLAGS_$(1))
	$$(CC) $$(LUA_MOD_CFLAGS) $$(LUA_CFLAGS_$(1)) -c $$< -o $$@

# No -llua: the interpreter that loads the module provides the Lua API.
$$(LUA_SO_$(1)): $$(LUA_OBJS_$(1)) $$(LIBLC_A) $$(LUA_MAP)
	@mkdir -p $$(dir $$@)
	$$(CC) -shared $$(BASE_LDFLAGS) -Wl,--version-script=$$(LUA_MAP) -o $$@ \
	  $$(LUA_OBJS_$(1)) $$(LIBLC_A) $$(CORE_LIBS) -lm

.PHONY: lua$(1)
lua$(1): $$(LUA_SO_$(1))
endef
$(foreach v,$(LUA_ALL_VERSIONS),$(eval $(call LUA_VERSION_RULES,$(v))))

.PHONY: FORCE
FORCE:

# Versions whose headers are installed (LUA_VERSION always: its absence is
# an error, not a skip).
LUA_VERSIONS := $(sort $(LUA_VERSION) 5.4 $(foreach v,$(LUA_ALL_VERSIONS),$(if $(strip $(LUA_CFLAGS_$(v))),$(v))))
LUA_CORE_SO  := $(LUA_SO_$(LUA_VERSION))
ALL_TARGETS  += $(foreach v,$(LUA_VERSIONS),$(LUA_SO_$(v)))

.PHONY: lua lua-rock install-lua uninstall-lua lua-compat
lua: $(foreach v,$(LUA_VERSIONS),$(LUA_SO_$(v)))
# luarocks: only the version it targets
lua-rock: $(LUA_CORE_SO)
# kept for habit: every installed version is now really built
lua-compat: lua

# The pure-Lua helper modules installed beside lockcloud.lua (lockcloud.time,
# lockcloud.rental, ...), and the Lua reference: prose from docs/lua.md.in,
# method and query tables generated from the catalogue by
# lua/gen_reference.lua (run with the 5.4 module, which every build has; a
# sanitized module needs the sanitizer runtimes preloaded). docs/lua.md is
# the same text kept in git (tests/lua/reference.lua checks they match;
# `make lua-doc-update` rewrites it).
LUA_MODULES := $(wildcard lua/lockcloud/*.lua)
LUA_DOC     := $(BUILD)/doc/lua.md
LUA_DOC_ENV  = LUA_PATH="lua/?.lua;;" LUA_CPATH="$(LUA_DIR_5.4)/?.so;;" \
  $(if $(strip $(SAN_FLAGS)),ASAN_OPTIONS=detect_leaks=0 LD_PRELOAD="$$($(CC) -print-file-name=libasan.so) $$($(CC) -print-file-name=libubsan.so)")
ALL_TARGETS += $(LUA_DOC)

$(LUA_DOC): docs/lua.md.in lua/gen_reference.lua lua/lockcloud.lua $(LUA_MODULES) $(LUA_SO_5.4)
	@mkdir -p $(dir $@)
	$(LUA_DOC_ENV) lua5.4 lua/gen_reference.lua docs/lua.md.in > $@.tmp && mv $@.tmp $@

.PHONY: lua-doc lua-doc-update
lua-doc: $(LUA_DOC)
lua-doc-update: $(LUA_DOC)
	cp $(LUA_DOC) docs/lua.md

# Under luarocks (LUA_INTERP set) the rock tree records its own files and
# directories: no manifest of ours there.
# The Lua reference goes to the doc directory, except under luarocks,
# whose tree has no place for it.
LUA_INSTALL_DIRS = $(LUA_CMOD_DIR)/lockcloud $(LUA_LMOD_DIR)/lockcloud $(LUA_DOC_DIR)
LUA_DOC_DIR      = $(if $(strip $(LUA_INTERP)),,$(DOCDIR))
ifneq ($(strip $(LUA_INTERP)),)
install-lua uninstall-lua: DIRS_MANIFEST :=
endif

install-lua: $(LUA_CORE_SO) $(if $(LUA_DOC_DIR),$(LUA_DOC))
	@$(INSTALL_DIRS) $(LUA_INSTALL_DIRS)
	install -m 0755 $(LUA_CORE_SO) $(DESTDIR)$(LUA_CMOD_DIR)/lockcloud/core.so
	install -m 0644 lua/lockcloud.lua $(DESTDIR)$(LUA_LMOD_DIR)/lockcloud.lua
	install -m 0644 $(LUA_MODULES) $(DESTDIR)$(LUA_LMOD_DIR)/lockcloud/
	$(if $(LUA_DOC_DIR),install -m 0644 $(LUA_DOC) $(DESTDIR)$(LUA_DOC_DIR)/lua.md)

# Removes the files, then the directories install-lua created, once empty
# (lib/lua/V and share/lua/V that existed before stay).
uninstall-lua:
	rm -f $(DESTDIR)$(LUA_CMOD_DIR)/lockcloud/core.so $(DESTDIR)$(LUA_LMOD_DIR)/lockcloud.lua
	rm -f $(LUA_MODULES:lua/lockcloud/%=$(DESTDIR)$(LUA_LMOD_DIR)/lockcloud/%)
	$(if $(LUA_DOC_DIR),rm -f $(DESTDIR)$(LUA_DOC_DIR)/lua.md)
	@$(REMOVE_DIRS) $(LUA_INSTALL_DIRS)
