# lua: the lockcloud Lua module = private C module lockcloud.core
# ($(BUILD)/lua/lockcloud/core.so, linked with the static liblockcloud and
# exporting only luaopen_lockcloud_core) + the thin lua/lockcloud.lua.
# LUA_VERSION (Makefile) picks the headers via pkg-config lua$(LUA_VERSION);
# override LUA_CFLAGS for installs without a .pc file.
LUA_SRCS     := $(wildcard lua/src/*.c)
LUA_OBJS     := $(LUA_SRCS:%.c=$(BUILD)/%.o)
LUA_MAP      := lua/src/lockcloud_core.map
LUA_CORE_SO  := $(BUILD)/lua/lockcloud/core.so
LUA_MOD_CFLAGS := $(BASE_CFLAGS) -Icore/include -Ilua/src $(LUA_CFLAGS) $(CJSON_CFLAGS)

ALL_TARGETS  += $(LUA_CORE_SO)

.PHONY: lua install-lua uninstall-lua lua-compat
lua: $(LUA_CORE_SO)

$(BUILD)/lua/src/%.o: lua/src/%.c $(wildcard lua/src/*.h) $(CORE_HEADERS)
	@test -n "$(LUA_CFLAGS)" || { echo "lua: no pkg-config lua$(LUA_VERSION); set LUA_CFLAGS"; exit 1; }
	@mkdir -p $(dir $@)
	$(CC) $(LUA_MOD_CFLAGS) -c $< -o $@

# No -llua: the interpreter that loads the module provides the Lua API.
$(LUA_CORE_SO): $(LUA_OBJS) $(LIBLC_A) $(LUA_MAP)
	@mkdir -p $(dir $@)
	$(CC) -shared $(BASE_LDFLAGS) -Wl,--version-script=$(LUA_MAP) -o $@ \
	  $(LUA_OBJS) $(LIBLC_A) $(CORE_LIBS) -lm

install-lua: $(LUA_CORE_SO)
	install -d $(DESTDIR)$(LUA_CMOD_DIR)/lockcloud $(DESTDIR)$(LUA_LMOD_DIR)
	install -m 0755 $(LUA_CORE_SO) $(DESTDIR)$(LUA_CMOD_DIR)/lockcloud/core.so
	install -m 0644 lua/lockcloud.lua $(DESTDIR)$(LUA_LMOD_DIR)/lockcloud.lua

uninstall-lua:
	rm -f $(DESTDIR)$(LUA_CMOD_DIR)/lockcloud/core.so $(DESTDIR)$(LUA_LMOD_DIR)/lockcloud.lua
	-rmdir $(DESTDIR)$(LUA_CMOD_DIR)/lockcloud 2>/dev/null

# Compiles the C module against every other Lua version whose headers are
# installed (pkg-config lua5.1 lua5.2 lua5.3 luajit), warnings as errors.
lua-compat:
	@for v in 5.1 5.2 5.3 jit; do \
	  f=$$($(PKG_CONFIG) --cflags lua$$v 2>/dev/null) || { echo "lua$$v: headers not installed, skipped"; continue; }; \
	  for s in $(LUA_SRCS); do \
	    $(CC) $(BASE_CFLAGS) -Icore/include -Ilua/src $$f $(CJSON_CFLAGS) -fsyntax-only $$s || exit 1; \
	  done; echo "lua$$v: ok"; \
	done
