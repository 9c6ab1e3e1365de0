# pam_lockcloud.so: the PAM module, linked with the static liblockcloud and a
# version script so only pam_sm_* are exported. It comes in two halves: the
# module (libpam glue, configuration, rules, identity, decision cache) links
# no network library, and its network part pam_lockcloud/online.so (the online
# check and the client code) is loaded next to it only when a login needs
# the cloud (pam/online_api.h): a cached decision never maps libcurl.
# The two halves refuse each other unless built from the same headers.
PAM_ABI_ID   := $(shell cat pam/*.h core/src/*.h core/include/lockcloud/*.h | cksum | cut -d' ' -f1)
PAM_CFLAGS   := $(BASE_CFLAGS) -Icore/include -Ipam $(CURL_CFLAGS) $(CJSON_CFLAGS) \
                -DLCPAM_ABI_ID=$(PAM_ABI_ID)UL
PAM_LIBS     := $(CORE_LIBS) -lpam
PAM_SRCS     := $(wildcard pam/*.c)
PAM_OBJS     := $(PAM_SRCS:%.c=$(BUILD)/%.o)
# Everything but the entry points: linked into the C unit tests, and put in
# an archive from which each half (and the command) takes what it uses.
PAM_LIB_OBJS := $(filter-out $(BUILD)/pam/pam_lockcloud.o $(BUILD)/pam/online_part.o,$(PAM_OBJS))
PAM_LIB_A    := $(BUILD)/pam/libpamshared.a
PAM_SO       := $(BUILD)/pam_lockcloud.so
PAM_ONLINE_SO := $(BUILD)/pam_lockcloud/online.so
PAM_MAP      := pam/pam_lockcloud.map
PAM_DOCDIR   ?= $(DOCDIR)
PAM_MANDIR   ?= $(PREFIX)/share/man/man8
# State directory for the token cache (token_file in the example config):
# /var/lib/lockcloud for a system install, under PREFIX otherwise.
STATEDIR     ?= $(if $(filter /usr /usr/local,$(PREFIX)),/var/lib/lockcloud,$(PREFIX)/var/lib/lockcloud)

ALL_TARGETS  += $(PAM_SO) $(PAM_ONLINE_SO)

.PHONY: pam
pam: $(PAM_SO) $(PAM_ONLINE_SO)

$(BUILD)/pam/%.o: pam/%.c $(wildcard pam/*.h) $(CORE_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(PAM_CFLAGS) -c $< -o $@

$(PAM_LIB_A): $(PAM_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# The module links neither libcurl nor libcrypto: with --no-undefined, code
# that would need them fails this link. -z nodelete: the network part it
# loads may leave a detached resolver thread running inside libcurl after a
# call (CURLOPT_QUICK_EXIT); dlclose() at pam_end must never unmap the code
# under it.
$(PAM_SO): $(BUILD)/pam/pam_lockcloud.o $(PAM_LIB_A) $(LIBLC_A) $(PAM_MAP)
	$(CC) -shared -Wl,--version-script=$(PAM_MAP) -Wl,--no-undefined -Wl,-z,relro,-z,now,-z,nodelete \
	  $(BASE_LDFLAGS) -o $@ $(BUILD)/pam/pam_lockcloud.o $(PAM_LIB_A) $(LIBLC_A) $(CJSON_LIBS) -lpam

$(PAM_ONLINE_SO): $(BUILD)/pam/online_part.o $(PAM_LIB_A) $(LIBLC_A) pam/online.map
	@mkdir -p $(dir $@)
	$(CC) -shared -Wl,--version-script=pam/online.map -Wl,--no-undefined -Wl,-z,relro,-z,now,-z,nodelete \
	  $(BASE_LDFLAGS) -o $@ $(BUILD)/pam/online_part.o $(PAM_LIB_A) $(LIBLC_A) $(CORE_LIBS)

# C unit tests of the module internals: tests/pam/test_*.c.
PAM_TEST_SRCS := $(wildcard tests/pam/test_*.c)
PAM_TEST_BINS := $(PAM_TEST_SRCS:tests/pam/%.c=$(BUILD)/tests/pam_%)
TEST_BINS     += $(PAM_TEST_BINS)

# tests/lib/*.c: simproc, for tests that drive the module through libpam.
$(BUILD)/tests/pam_%: tests/pam/%.c $(PAM_LIB_OBJS) $(LIBLC_A) $(wildcard tests/lib/*.h) \
    $(wildcard bench/lib/*.c bench/lib/*.h) \
    $(wildcard tests/lib/*.c) | $(PAM_SO) $(PAM_ONLINE_SO) $(SIM_BIN)
	@mkdir -p $(dir $@)
	$(CC) $(PAM_CFLAGS) -Itests/lib -o $@ $< $(wildcard tests/lib/*.c) $(PAM_LIB_OBJS) $(LIBLC_A) \
	  $(BASE_LDFLAGS) $(PAM_LIBS)

# The example config and the man page name the installed STATEDIR.
install-pam: pam
	@$(INSTALL_DIRS) $(PAMDIR) $(PAMDIR)/pam_lockcloud $(PAM_DOCDIR) $(PAM_MANDIR)
	@$(INSTALL_DIRS) -m 0700 $(STATEDIR) $(STATEDIR)/decisions
	if [ "$$(id -u)" = 0 ]; then chown 0:0 $(DESTDIR)$(STATEDIR) $(DESTDIR)$(STATEDIR)/decisions; fi
	install -m 0644 $(PAM_SO) $(DESTDIR)$(PAMDIR)/
	install -m 0644 $(PAM_ONLINE_SO) $(DESTDIR)$(PAMDIR)/pam_lockcloud/
	install -m 0644 pam/lockcloud.rules.example $(DESTDIR)$(PAM_DOCDIR)/
	sed 's|/var/lib/lockcloud|$(STATEDIR)|g' pam/lockcloud.conf.example > $(DESTDIR)$(PAM_DOCDIR)/lockcloud.conf.example
	chmod 0644 $(DESTDIR)$(PAM_DOCDIR)/lockcloud.conf.example
	sed 's|/var/lib/lockcloud|$(STATEDIR)|g' pam/pam_lockcloud.8 > $(DESTDIR)$(PAM_MANDIR)/pam_lockcloud.8
	chmod 0644 $(DESTDIR)$(PAM_MANDIR)/pam_lockcloud.8

# The state directory goes only when empty: a token cache in it stays.
uninstall-pam:
	rm -f $(DESTDIR)$(PAMDIR)/pam_lockcloud.so $(DESTDIR)$(PAMDIR)/pam_lockcloud/online.so
	rm -f $(DESTDIR)$(PAM_DOCDIR)/lockcloud.conf.example $(DESTDIR)$(PAM_DOCDIR)/lockcloud.rules.example
	rm -f $(DESTDIR)$(PAM_MANDIR)/pam_lockcloud.8
	@$(REMOVE_DIRS) $(PAMDIR)/pam_lockcloud $(PAMDIR) $(PAM_DOCDIR) $(PAM_MANDIR) $(STATEDIR)/decisions $(STATEDIR)
	@if [ -n "$$(ls -A '$(DESTDIR)$(STATEDIR)' 2>/dev/null)" ]; then \
	  echo "note: kept $(DESTDIR)$(STATEDIR): it holds files (e.g. a cached token)"; fi
