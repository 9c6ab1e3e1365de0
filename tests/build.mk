# Test programs: each component's build.mk appends its C test binaries
# (built into $(BUILD)/tests/) to TEST_BINS. Script tests (tests/*/*.t) need
# no build step. This file is included last so TEST_BINS is complete.
TESTLIB_CFLAGS := $(BASE_CFLAGS) -Itests/lib -Icore/include $(CURL_CFLAGS) $(CJSON_CFLAGS)

tests: $(ALL_TARGETS) $(TEST_BINS)
