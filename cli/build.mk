# lockcloud: the admin command (cli/). It reads the module's configuration
# through the module's own objects: those are put in an archive, so the
# linker takes only what the command uses (conf, creds, lines, the
# identity index, what they need) and never the libpam-facing ones; a
# libpam symbol pulled in by mistake fails the link (no -lpam here).
# sd-bus (libsystemd) is the command's alone: the sweep talks to logind;
# the PAM module never links it.
SYSTEMD_CFLAGS := $(shell $(PKG_CONFIG) --cflags libsystemd 2>/dev/null)
SYSTEMD_LIBS   := $(shell $(PKG_CONFIG) --libs libsystemd 2>/dev/null)
CLI_CFLAGS   := $(BASE_CFLAGS) -Icore/include -Ipam -Icli $(CURL_CFLAGS) $(CJSON_CFLAGS) $(SYSTEMD_CFLAGS)
CLI_SRCS     := $(wildcard cli/*.c)
CLI_OBJS     := $(CLI_SRCS:%.c=$(BUILD)/%.o)
CLI_PAM_A    := $(PAM_LIB_A)
CLI_BIN      := $(BUILD)/lockcloud
# An admin tool reading root-only files: sbin, man section 1 as named.
SBINDIR      ?= $(PREFIX)/sbin
CLI_MANDIR   ?= $(PREFIX)/share/man/man1
# The sweep's units (installed, never enabled: the sweep is opt-in).
SYSTEMD_UNITDIR ?= $(PREFIX)/lib/systemd/system
SWEEP_UNITS  := systemd/lockcloud-sweep.service systemd/lockcloud-sweep.timer

ALL_TARGETS  += $(CLI_BIN)

.PHONY: cli install-cli uninstall-cli
cli: $(CLI_BIN)

$(BUILD)/cli/%.o: cli/%.c cli/cli.h $(wildcard pam/*.h) $(CORE_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CLI_CFLAGS) -c $< -o $@

# The command is not a library: no -fPIC needed, but harmless; -pie is the
# toolchain default.
$(CLI_BIN): $(CLI_OBJS) $(CLI_PAM_A) $(LIBLC_A)
	$(CC) -Wl,--no-undefined -Wl,-z,relro,-z,now $(BASE_LDFLAGS) -o $@ $(CLI_OBJS) \
	  $(CLI_PAM_A) $(LIBLC_A) $(CORE_LIBS) $(SYSTEMD_LIBS)

install-cli: cli
	@$(INSTALL_DIRS) $(SBINDIR) $(CLI_MANDIR)
	install -m 0755 $(CLI_BIN) $(DESTDIR)$(SBINDIR)/lockcloud
	sed -e 's|/var/lib/lockcloud|$(STATEDIR)|g' -e 's|/usr/lib/systemd/system|$(SYSTEMD_UNITDIR)|g' \
	  cli/lockcloud.1 > $(DESTDIR)$(CLI_MANDIR)/lockcloud.1
	chmod 0644 $(DESTDIR)$(CLI_MANDIR)/lockcloud.1
	@$(INSTALL_DIRS) $(SYSTEMD_UNITDIR)
	for u in $(SWEEP_UNITS); do \
	  sed -e 's|/usr/sbin/lockcloud|$(SBINDIR)/lockcloud|g' -e 's|/var/lib/lockcloud|$(STATEDIR)|g' \
	    $$u > $(DESTDIR)$(SYSTEMD_UNITDIR)/$${u#systemd/} && \
	  chmod 0644 $(DESTDIR)$(SYSTEMD_UNITDIR)/$${u#systemd/} || exit 1; done

uninstall-cli:
	rm -f $(DESTDIR)$(SBINDIR)/lockcloud $(DESTDIR)$(CLI_MANDIR)/lockcloud.1
	rm -f $(SWEEP_UNITS:systemd/%=$(DESTDIR)$(SYSTEMD_UNITDIR)/%)
	@$(REMOVE_DIRS) $(SBINDIR) $(CLI_MANDIR) $(SYSTEMD_UNITDIR)
