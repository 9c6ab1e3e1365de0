# Benchmarks (`make bench`): bench/*.c are built into $(BUILD)/bench/ and
# linked like the C tests (static liblockcloud, the PAM module internals and
# the test helpers that start a simulator) plus bench/lib/ (child processes
# timed by their output lines); scripts/bench.sh runs every binary there
# and every bench/*.sh. Each prints "bench NAME: figures" lines.
# Speed and memory targets live here, never in timed tests.
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_BINS := $(BENCH_SRCS:bench/%.c=$(BUILD)/bench/%)
BENCHLIB_SRCS := $(wildcard bench/lib/*.c)

.PHONY: benches
benches: $(BENCH_BINS)

$(BUILD)/bench/%: bench/%.c $(PAM_LIB_OBJS) $(LIBLC_A) $(TESTLIB_SRCS) $(wildcard tests/lib/*.h) \
                  $(BENCHLIB_SRCS) $(wildcard bench/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(PAM_CFLAGS) -Icore/src -Itests/lib -Ibench/lib -o $@ $< $(TESTLIB_SRCS) \
	  $(BENCHLIB_SRCS) $(PAM_LIB_OBJS) $(LIBLC_A) $(BASE_LDFLAGS) $(PAM_LIBS) -lpthread

# bench/lib/login/pam_login.c: a minimal PAM client for benches running
# whole logins at once (bench/pam_burst.c), built beside the benches, not
# as one (scripts/bench.sh runs $(BUILD)/bench/* only).
BENCH_PAM_LOGIN := $(BUILD)/bench-tools/pam_login
benches: $(BENCH_PAM_LOGIN)
$(BENCH_PAM_LOGIN): bench/lib/login/pam_login.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -o $@ $< $(BASE_LDFLAGS) -lpam
