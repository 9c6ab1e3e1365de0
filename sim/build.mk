# lockcloud-sim: the local HTTPS stand-in for the RemoteLock cloud.
# Independent of core/: it shares only the HTTP contract (docs/SIMULATOR.md).
SIM_BIN      := $(BUILD)/lockcloud-sim
SIM_SRCS     := $(wildcard sim/src/*.c)
SIM_OBJS     := $(SIM_SRCS:%.c=$(BUILD)/%.o)
SIM_LIB_OBJS := $(filter-out $(BUILD)/sim/src/main.o,$(SIM_OBJS))
SIM_FIXTURE_DIR := $(PREFIX)/share/lockcloud/fixtures
# Generated header with the installed fixture path and the version (from
# LC_VERSION in core/build.mk, the project's one version number); rewritten
# only when they change, so `make install PREFIX=...` rebuilds what needs it.
SIM_BUILD_H  := $(BUILD)/sim/gen/sim_build.h
SIM_CFLAGS   := $(BASE_CFLAGS) -Isim/src -I$(dir $(SIM_BUILD_H)) $(MHD_CFLAGS) $(CJSON_CFLAGS)
SIM_CFLAGS   += $(CURL_CFLAGS)
# libcurl: webhook deliveries (webhooks.c).
SIM_LIBS     := $(MHD_LIBS) $(CJSON_LIBS) $(SSL_LIBS) $(CURL_LIBS) -lm -lpthread

ALL_TARGETS  += $(SIM_BIN)

.PHONY: sim sim-tests FORCE
sim: $(SIM_BIN)

$(SIM_BUILD_H): FORCE
	@mkdir -p $(dir $@)
	@printf '#define SIM_FIXTURE_DIR "%s"\n#define SIM_VERSION "%s"\n' \
	  '$(SIM_FIXTURE_DIR)' '$(LC_VERSION)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/sim/src/%.o: sim/src/%.c $(wildcard sim/src/*.h) $(SIM_BUILD_H)
	@mkdir -p $(dir $@)
	$(CC) $(SIM_CFLAGS) -c $< -o $@

$(SIM_BIN): $(SIM_OBJS)
	$(CC) $(BASE_LDFLAGS) -o $@ $^ $(SIM_LIBS)

SIM_FIXTURES := $(wildcard sim/fixtures/*.json)

install-sim: sim
	@$(INSTALL_DIRS) $(BINDIR) $(SIM_FIXTURE_DIR)
	install -m 0755 $(SIM_BIN) $(DESTDIR)$(BINDIR)/
	$(if $(SIM_FIXTURES),install -m 0644 $(SIM_FIXTURES) $(DESTDIR)$(SIM_FIXTURE_DIR)/)

uninstall-sim:
	rm -f $(DESTDIR)$(BINDIR)/lockcloud-sim
	rm -f $(addprefix $(DESTDIR)$(SIM_FIXTURE_DIR)/,$(notdir $(SIM_FIXTURES)))
	@$(REMOVE_DIRS) $(BINDIR) $(SIM_FIXTURE_DIR)

# Tests: tests/sim/test_store*.c call the resource half directly (all sim
# objects but main.o); every other tests/sim/test_*.c talks HTTP to a real
# lockcloud-sim through tests/lib/simproc.c.
SIM_TEST_SRCS := $(wildcard tests/sim/test_*.c)
SIM_TEST_BINS := $(SIM_TEST_SRCS:tests/sim/%.c=$(BUILD)/tests/sim_%)
TEST_BINS     += $(SIM_TEST_BINS)

sim-tests: $(SIM_BIN) $(SIM_TEST_BINS)

$(BUILD)/tests/sim_test_store%: tests/sim/test_store%.c $(SIM_LIB_OBJS) $(wildcard sim/src/*.h) $(wildcard tests/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(SIM_CFLAGS) -Itests/lib -o $@ $< $(SIM_LIB_OBJS) $(BASE_LDFLAGS) $(SIM_LIBS)

# The webhook test runs its own HTTPS receiver (libmicrohttpd) with a
# certificate from the simulator's generator.
SIM_WEBHOOK_TEST_OBJS := $(BUILD)/sim/src/tls_cert.o $(BUILD)/sim/src/file_util.o
$(BUILD)/tests/sim_test_http_webhooks: tests/sim/test_http_webhooks.c $(SIM_WEBHOOK_TEST_OBJS) \
    $(wildcard tests/lib/*.c) $(wildcard tests/lib/*.h) $(wildcard tests/sim/*.h) | $(SIM_BIN)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Itests/lib -Isim/src $(MHD_CFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS) \
	  -o $@ $< $(SIM_WEBHOOK_TEST_OBJS) $(wildcard tests/lib/*.c) $(BASE_LDFLAGS) $(MHD_LIBS) \
	  $(CURL_LIBS) $(CJSON_LIBS) $(SSL_LIBS) -lpthread

$(BUILD)/tests/sim_test_%: tests/sim/test_%.c $(wildcard tests/lib/*.c) $(wildcard tests/lib/*.h) \
    $(wildcard tests/sim/*.h) | $(SIM_BIN)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Itests/lib $(CURL_CFLAGS) $(CJSON_CFLAGS) -o $@ $< \
	  $(wildcard tests/lib/*.c) $(BASE_LDFLAGS) $(CURL_LIBS) $(CJSON_LIBS)
