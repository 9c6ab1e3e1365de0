# pam_lockcloud.so: the PAM module, linked with the static liblockcloud and a
# version script so only pam_sm_* are exported.
PAM_CFLAGS   := $(BASE_CFLAGS) -Icore/include -Ipam $(CURL_CFLAGS) $(CJSON_CFLAGS)
PAM_LIBS     := $(CORE_LIBS) -lpam
PAM_SRCS     := $(wildcard pam/*.c)
PAM_OBJS     := $(PAM_SRCS:%.c=$(BUILD)/%.o)
# Everything but the entry points: linked into the C unit tests.
PAM_LIB_OBJS := $(filter-out $(BUILD)/pam/pam_lockcloud.o,$(PAM_OBJS))
PAM_SO       := $(BUILD)/pam_lockcloud.so
PAM_MAP      := pam/pam_lockcloud.map
PAM_DOCDIR   ?= $(PREFIX)/share/doc/lockcloud
PAM_MANDIR   ?= $(PREFIX)/share/man/man8

ALL_TARGETS  += $(PAM_SO)

.PHONY: pam
pam: $(PAM_SO)

$(BUILD)/pam/%.o: pam/%.c $(wildcard pam/*.h) $(CORE_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(PAM_CFLAGS) -c $< -o $@

$(PAM_SO): $(PAM_OBJS) $(LIBLC_A) $(PAM_MAP)
	$(CC) -shared -Wl,--version-script=$(PAM_MAP) -Wl,--no-undefined -Wl,-z,relro,-z,now \
	  $(BASE_LDFLAGS) -o $@ $(PAM_OBJS) $(LIBLC_A) $(PAM_LIBS)

# C unit tests of the module internals: tests/pam/test_*.c.
PAM_TEST_SRCS := $(wildcard tests/pam/test_*.c)
PAM_TEST_BINS := $(PAM_TEST_SRCS:tests/pam/%.c=$(BUILD)/tests/pam_%)
TEST_BINS     += $(PAM_TEST_BINS)

$(BUILD)/tests/pam_%: tests/pam/%.c $(PAM_LIB_OBJS) $(LIBLC_A) $(wildcard tests/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(PAM_CFLAGS) -Itests/lib -o $@ $< $(PAM_LIB_OBJS) $(LIBLC_A) $(BASE_LDFLAGS) $(PAM_LIBS)

install-pam: pam
	install -d $(DESTDIR)$(PAMDIR) $(DESTDIR)$(PAM_DOCDIR) $(DESTDIR)$(PAM_MANDIR)
	install -m 0644 $(PAM_SO) $(DESTDIR)$(PAMDIR)/
	install -m 0644 pam/lockcloud.conf.example $(DESTDIR)$(PAM_DOCDIR)/
	install -m 0644 pam/pam_lockcloud.8 $(DESTDIR)$(PAM_MANDIR)/

uninstall-pam:
	rm -f $(DESTDIR)$(PAMDIR)/pam_lockcloud.so
	rm -f $(DESTDIR)$(PAM_DOCDIR)/lockcloud.conf.example
	rm -f $(DESTDIR)$(PAM_MANDIR)/pam_lockcloud.8
