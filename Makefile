# lockcloud top-level build. Each component adds its rules in <dir>/build.mk.
# Targets: all check demo install uninstall bench sanitize fuzz clean deps

CC          ?= cc
PKG_CONFIG  ?= pkg-config
LUA_VERSION ?= 5.4
PREFIX      ?= /usr/local
DESTDIR     ?=
BUILD       ?= build

MULTIARCH   := $(shell $(CC) -print-multiarch 2>/dev/null)
LIBDIR      ?= $(PREFIX)/lib$(if $(MULTIARCH),/$(MULTIARCH))
INCLUDEDIR  ?= $(PREFIX)/include
BINDIR      ?= $(PREFIX)/bin
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
# Debian's Lua searches <multiarch libdir>/lua/V under /usr but plain
# lib/lua/V under /usr/local (see package.cpath); LuaJIT (LUA_VERSION=jit)
# searches the Lua 5.1 directories.
LUA_ABI      = $(if $(filter jit,$(LUA_VERSION)),5.1,$(LUA_VERSION))
LUA_CMOD_DIR ?= $(if $(filter /usr,$(PREFIX)),$(LIBDIR),$(PREFIX)/lib)/lua/$(LUA_ABI)
LUA_LMOD_DIR ?= $(PREFIX)/share/lua/$(LUA_ABI)
# PAM modules live in /lib/<multiarch>/security regardless of PREFIX on
# Debian; honour PREFIX only when it is not /usr or /usr/local.
PAMDIR      ?= $(if $(filter /usr /usr/local,$(PREFIX)),/lib/$(MULTIARCH)/security,$(PREFIX)/lib/security)

# Warnings are errors; sanitize builds add SAN_FLAGS.
WARN        := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
OPT         ?= -O2 -g
SAN_FLAGS   ?=
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(OPT) -fPIC -fvisibility=hidden $(SAN_FLAGS) $(CFLAGS)
BASE_LDFLAGS := $(SAN_FLAGS) $(LDFLAGS)

CURL_CFLAGS  := $(shell $(PKG_CONFIG) --cflags libcurl 2>/dev/null)
CURL_LIBS    := $(shell $(PKG_CONFIG) --libs libcurl 2>/dev/null)
CJSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcjson 2>/dev/null)
CJSON_LIBS   := $(shell $(PKG_CONFIG) --libs libcjson 2>/dev/null)
SSL_LIBS     := $(shell $(PKG_CONFIG) --libs libssl libcrypto 2>/dev/null)
MHD_CFLAGS   := $(shell $(PKG_CONFIG) --cflags libmicrohttpd 2>/dev/null)
MHD_LIBS     := $(shell $(PKG_CONFIG) --libs libmicrohttpd 2>/dev/null)

.PHONY: all tests check demo install uninstall bench sanitize clean deps\
        install-core install-sim install-lua install-pam\
        uninstall-core uninstall-sim uninstall-lua uninstall-pam
all:

include core/build.mk
include sim/build.mk
include lua/build.mk
include pam/build.mk
include cli/build.mk
include tests/build.mk
include bench/build.mk
include tests/fuzz/build.mk

# A sanitized build records its flags, so the test runner can tell tests
# (which then preload the sanitizer runtime or skip valgrind).
ifneq ($(strip $(SAN_FLAGS)),)
ALL_TARGETS += $(BUILD)/sanitize.env
$(BUILD)/sanitize.env: Makefile
	@mkdir -p $(dir $@)
	printf "LC_SAN_OPT='%s'\nLC_SAN_FLAGS='%s'\n" "$(OPT)" "$(SAN_FLAGS)" > $@
endif

all: $(ALL_TARGETS)

$(BUILD):
	mkdir -p $@

# Install missing Debian packages (no-op when everything is present).
deps:
	sh scripts/install-deps.sh

# `make check`: the gcc build, the same build under ASan/UBSan, and a
# warning-free clang build; one runner pass covers both test builds and
# ends with a single "N passed, N failed, N skipped" line.
SAN_OPT  := -O1 -g -fno-omit-frame-pointer
SAN_SAN  := -fsanitize=address,undefined -fno-sanitize-recover=undefined
SAN_MAKE := $(MAKE) BUILD=build-san OPT="$(SAN_OPT)" SAN_FLAGS="$(SAN_SAN)"

check: deps
	$(MAKE) all tests
	$(SAN_MAKE) all tests
	$(MAKE) CC=clang BUILD=build-clang all
	$(MAKE) fuzz-build
	LC_BUILDS="build build-san" sh tests/run.sh

# Only the sanitized suite.
sanitize: deps
	$(SAN_MAKE) all tests
	LC_BUILDS=build-san sh tests/run.sh

demo: deps
	$(MAKE) all
	LC_BUILD=$(abspath $(BUILD)) sh examples/demo.sh

bench: deps
	$(MAKE) all benches
	LC_BUILD=$(BUILD) sh scripts/bench.sh

# Each build.mk defines install-<component> / uninstall-<component>.
install: install-core install-sim install-lua install-pam install-cli
uninstall: uninstall-core uninstall-sim uninstall-lua uninstall-pam uninstall-cli

clean:
	rm -rf build build-san build-clang $(FUZZ_DIR)
