# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang into
# $(FUZZ_DIR) from the sources themselves (the internal functions are
# hidden in the shared library): library objects with
# -fsanitize=fuzzer-no-link, targets linked with -fsanitize=fuzzer.
#   make fuzz-build                      build every target
#   make fuzz [FUZZ_TIME=60] [FUZZ_TARGETS="fuzz_url ..."]
#                                        run each for FUZZ_TIME seconds
FUZZ_DIR     ?= build-fuzz
FUZZ_CC      ?= clang
FUZZ_TIME    ?= 60
FUZZ_TARGETS ?=
# The targets use Lua 5.4 whatever LUA_VERSION says.
FUZZ_LUA_CFLAGS := $(shell $(PKG_CONFIG) --cflags lua5.4 2>/dev/null)
FUZZ_LUA_LIBS   := $(shell $(PKG_CONFIG) --libs lua5.4 2>/dev/null)
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fno-omit-frame-pointer -fPIC \
                $(FUZZ_SAN) -fsanitize=fuzzer-no-link -Icore/include -Icore/src -Ipam \
                -Ilua/src $(CURL_CFLAGS) $(CJSON_CFLAGS) $(FUZZ_LUA_CFLAGS) \
                -DLCPAM_ABI_ID=$(PAM_ABI_ID)UL
# The policy target checks the strict JSON reader's contract once it exists.
FUZZ_DEFS    := $(if $(wildcard core/src/json_parse.c),-DLC_FUZZ_STRICT_JSON)

FUZZ_CORE_OBJS := $(CORE_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_PAM_OBJS  := $(filter-out $(FUZZ_DIR)/obj/pam/pam_lockcloud.o,$(PAM_SRCS:%.c=$(FUZZ_DIR)/obj/%.o))
FUZZ_LUA_OBJS  := $(LUA_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_HEADERS   := $(wildcard core/include/lockcloud/*.h core/src/*.h pam/*.h lua/src/*.h tests/fuzz/*.h tests/lib/*.h)

FUZZ_CORE_BINS := $(addprefix $(FUZZ_DIR)/,fuzz_json_reader fuzz_token_file fuzz_oauth_token fuzz_http_error fuzz_policy fuzz_url fuzz_tzif)
FUZZ_PAM_BINS  := $(addprefix $(FUZZ_DIR)/,fuzz_decision_record fuzz_pam_conf fuzz_pam_creds fuzz_pam_map fuzz_pam_rules fuzz_identity_index fuzz_places_index)
FUZZ_LUA_BINS  := $(FUZZ_DIR)/fuzz_lua_json
FUZZ_BINS      := $(FUZZ_CORE_BINS) $(FUZZ_PAM_BINS) $(FUZZ_LUA_BINS)

# The simulator's resource side (what sim_resources_handle needs), with
# its own include path: sim/src and core/src share header names.
FUZZ_SIM_SRCS  := $(wildcard sim/src/engine*.c sim/src/remotelock*.c sim/src/schema_*.c) sim/src/store.c \
                  sim/src/resources_schema.c sim/src/jsonapi.c sim/src/tz.c sim/src/form.c
FUZZ_SIM_OBJS  := $(FUZZ_SIM_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_SIM_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) \
                   -fsanitize=fuzzer-no-link -Isim/src $(CJSON_CFLAGS)
FUZZ_SIM_BINS  := $(FUZZ_DIR)/fuzz_sim_request
FUZZ_BINS      += $(FUZZ_SIM_BINS)

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	FUZZ_DIR=$(FUZZ_DIR) FUZZ_TIME=$(FUZZ_TIME) sh tests/fuzz/run.sh $(FUZZ_TARGETS)

$(FUZZ_DIR)/obj/%.o: %.c $(FUZZ_HEADERS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/obj/sim/src/%.o: sim/src/%.c $(wildcard sim/src/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_SIM_CFLAGS) -c $< -o $@

$(FUZZ_SIM_BINS): $(FUZZ_DIR)/%: tests/fuzz/%.c $(FUZZ_SIM_OBJS) tests/fuzz/fuzz_util.h
	$(FUZZ_CC) $(FUZZ_SIM_CFLAGS) -DFUZZ_SIM_FIXTURE='"$(CURDIR)/sim/fixtures/default.json"' \
	  -fsanitize=fuzzer -o $@ $< $(FUZZ_SIM_OBJS) $(CJSON_LIBS) -lm

$(FUZZ_CORE_BINS): $(FUZZ_DIR)/%: tests/fuzz/%.c $(FUZZ_CORE_OBJS) $(FUZZ_HEADERS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_DEFS) -fsanitize=fuzzer -o $@ $< $(FUZZ_CORE_OBJS) $(CORE_LIBS)

$(FUZZ_PAM_BINS): $(FUZZ_DIR)/%: tests/fuzz/%.c $(FUZZ_PAM_OBJS) $(FUZZ_CORE_OBJS) $(FUZZ_HEADERS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_PAM_OBJS) $(FUZZ_CORE_OBJS) \
	  $(CORE_LIBS) -lpam

$(FUZZ_LUA_BINS): $(FUZZ_DIR)/%: tests/fuzz/%.c $(FUZZ_LUA_OBJS) $(FUZZ_CORE_OBJS) $(FUZZ_HEADERS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LUA_OBJS) $(FUZZ_CORE_OBJS) \
	  $(CORE_LIBS) $(FUZZ_LUA_LIBS) -lm
