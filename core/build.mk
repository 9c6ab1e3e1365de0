# liblockcloud: shared library (with SONAME) and PIC static archive.
# The Lua and PAM modules link the static archive and export only their
# entry points, so they carry no runtime dependency on an installed .so.
LC_SOVERSION := 0
LC_VERSION   := 0.1.0
CORE_CFLAGS  := $(BASE_CFLAGS) -Icore/include -Icore/src $(CURL_CFLAGS) $(CJSON_CFLAGS)
CORE_LIBS    := $(CURL_LIBS) $(CJSON_LIBS) $(SSL_LIBS)
CORE_SRCS    := $(wildcard core/src/*.c)
CORE_OBJS    := $(CORE_SRCS:%.c=$(BUILD)/%.o)
CORE_HEADERS := $(wildcard core/include/lockcloud/*.h)
LIBLC_A      := $(BUILD)/liblockcloud.a
LIBLC_SO     := $(BUILD)/liblockcloud.so.$(LC_VERSION)
LIBLC_PC     := $(BUILD)/lockcloud.pc

ALL_TARGETS  += $(LIBLC_A) $(LIBLC_SO) $(BUILD)/liblockcloud.so $(LIBLC_PC)

.PHONY: core
core: $(LIBLC_A) $(LIBLC_SO) $(BUILD)/liblockcloud.so $(LIBLC_PC)

$(BUILD)/core/src/%.o: core/src/%.c $(CORE_HEADERS) $(wildcard core/src/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -c $< -o $@

$(LIBLC_A): $(CORE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(LIBLC_SO): $(CORE_OBJS)
	$(CC) -shared -Wl,-soname,liblockcloud.so.$(LC_SOVERSION) -Wl,--no-undefined \
	  $(BASE_LDFLAGS) -o $@ $^ $(CORE_LIBS)

$(BUILD)/liblockcloud.so: $(LIBLC_SO)
	ln -sf liblockcloud.so.$(LC_VERSION) $(BUILD)/liblockcloud.so.$(LC_SOVERSION)
	ln -sf liblockcloud.so.$(LC_VERSION) $@

# The paths baked into lockcloud.pc, kept in a stamp rewritten only when
# they change, so `make install PREFIX=...` regenerates the .pc file.
LIBLC_PC_VARS := $(BUILD)/lockcloud.pc.vars
$(LIBLC_PC_VARS): FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(PREFIX)' '$(LIBDIR)' '$(INCLUDEDIR)' '$(LC_VERSION)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(LIBLC_PC): core/lockcloud.pc.in $(LIBLC_PC_VARS)
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(LC_VERSION)|' $< > $@

# Shared install helpers. INSTALL_DIRS (install -d) records each directory
# it creates in one manifest; REMOVE_DIRS, given the same directories after
# the files are gone, removes the recorded ones once empty, so no directory
# that existed before the install is ever removed (scripts/install-dirs.sh).
DOCDIR      ?= $(PREFIX)/share/doc/lockcloud
LDCONFIG    ?= ldconfig
DIRS_MANIFEST ?= $(PREFIX)/share/lockcloud/installed-dirs
INSTALL_DIRS = sh scripts/install-dirs.sh create '$(DESTDIR)' '$(DIRS_MANIFEST)'
REMOVE_DIRS  = sh scripts/install-dirs.sh remove '$(DESTDIR)' '$(DIRS_MANIFEST)'
# A real install (no DESTDIR) refreshes the loader cache, so programs find
# liblockcloud.so.0 without LD_LIBRARY_PATH; only root can write the cache.
RUN_LDCONFIG = if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then $(LDCONFIG); \
               elif [ -z "$(DESTDIR)" ]; then echo "note: run ldconfig as root"; fi

CORE_INSTALL_DIRS = $(LIBDIR) $(INCLUDEDIR)/lockcloud $(PKGCONFIGDIR) $(DOCDIR)

.PHONY: FORCE
install-core: core
	@$(INSTALL_DIRS) $(CORE_INSTALL_DIRS)
	install -m 0755 $(LIBLC_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf liblockcloud.so.$(LC_VERSION) $(DESTDIR)$(LIBDIR)/liblockcloud.so.$(LC_SOVERSION)
	ln -sf liblockcloud.so.$(LC_SOVERSION) $(DESTDIR)$(LIBDIR)/liblockcloud.so
	install -m 0644 $(LIBLC_A) $(DESTDIR)$(LIBDIR)/
	install -m 0644 $(CORE_HEADERS) $(DESTDIR)$(INCLUDEDIR)/lockcloud/
	install -m 0644 $(LIBLC_PC) $(DESTDIR)$(PKGCONFIGDIR)/
	install -m 0644 LICENSE $(DESTDIR)$(DOCDIR)/
	@$(RUN_LDCONFIG)

uninstall-core:
	rm -f $(DESTDIR)$(LIBDIR)/liblockcloud.so $(DESTDIR)$(LIBDIR)/liblockcloud.so.$(LC_SOVERSION) \
	      $(DESTDIR)$(LIBDIR)/liblockcloud.so.$(LC_VERSION) $(DESTDIR)$(LIBDIR)/liblockcloud.a
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/lockcloud/,$(notdir $(CORE_HEADERS)))
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/lockcloud.pc $(DESTDIR)$(DOCDIR)/LICENSE
	@$(REMOVE_DIRS) $(CORE_INSTALL_DIRS)
	@$(RUN_LDCONFIG)

# C unit/integration tests: tests/core/test_*.c, each linked with the shared
# test helpers in tests/lib/*.c and the static library.
CORE_TEST_SRCS := $(wildcard tests/core/test_*.c)
TESTLIB_SRCS   := $(wildcard tests/lib/*.c)
CORE_TEST_BINS := $(CORE_TEST_SRCS:tests/core/%.c=$(BUILD)/tests/core_%)
TEST_BINS      += $(CORE_TEST_BINS)

.PHONY: core-tests
core-tests: $(CORE_TEST_BINS)

$(BUILD)/tests/core_%: tests/core/%.c $(TESTLIB_SRCS) $(wildcard tests/lib/*.h) $(LIBLC_A)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Icore/include -Icore/src -Itests/lib $(CURL_CFLAGS) $(CJSON_CFLAGS) \
	  -o $@ $< $(TESTLIB_SRCS) $(LIBLC_A) $(BASE_LDFLAGS) $(CORE_LIBS) -lpthread

# The C embedding example, built exactly as a user would build it: through
# the pkg-config file, pointed at this build tree instead of PREFIX.
EMBED_BIN := $(BUILD)/examples/embed
ALL_TARGETS += $(EMBED_BIN)
EMBED_PC  = PKG_CONFIG_PATH=$(BUILD) $(PKG_CONFIG) \
            --define-variable=includedir=$(CURDIR)/core/include \
            --define-variable=libdir=$(abspath $(BUILD))

.PHONY: examples
examples: $(EMBED_BIN)

$(EMBED_BIN): examples/embed.c $(LIBLC_PC) $(BUILD)/liblockcloud.so $(CORE_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $$($(EMBED_PC) --cflags lockcloud) -o $@ $< \
	  $(BASE_LDFLAGS) $$($(EMBED_PC) --libs lockcloud) -Wl,-rpath,$(abspath $(BUILD))
