# imapd top-level Makefile (hand-written; ./configure writes config.mk).
#
#   make            build build/imapd
#   make check      install missing Debian packages, configure, build, run all tests
#   make demo       same preparation, then run a demo server on 127.0.0.1:10143
#   make sanitize   the whole test suite built with ASan+UBSan (build-san/)
#   make install    PREFIX=/usr/local DESTDIR=
#   make fuzz, make bench   long-running targets, not part of check
#
# SANITIZE=1 builds into build-san/ with AddressSanitizer+UBSan.

SANITIZE ?=
B := build$(if $(SANITIZE),-san,)
-include config.mk

PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR = $(PREFIX)/sbin
MANDIR = $(PREFIX)/share/man
UNITDIR = $(PREFIX)/lib/systemd/system
SYSUSERSDIR = $(PREFIX)/lib/sysusers.d
DOCDIR = $(PREFIX)/share/doc/imapd
SYSCONFDIR ?= /etc
UNITS = imapd.socket imapd@.service imaps.socket imaps@.service \
	imapd.service imapd-master.socket

WARN = -Wall -Wextra -Wshadow -Wpointer-arith -Wmissing-prototypes \
	-Wstrict-prototypes -Wno-unused-parameter -Wno-sign-compare \
	-Wformat=2 -Wno-format-nonliteral
OPT ?= -O2 -g
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
HARDEN = -fstack-protector-strong -D_FORTIFY_SOURCE=2
ALL_CFLAGS = -std=gnu11 -D_GNU_SOURCE $(WARN) $(OPT) \
	$(if $(SANITIZE),$(SANFLAGS),$(HARDEN)) \
	$(BSD_CFLAGS) $(SSL_CFLAGS) -I. $(CFLAGS) -MMD -MP
ALL_LDFLAGS = $(if $(SANITIZE),$(SANFLAGS)) $(LDFLAGS)
LIBS = $(SSL_LIBS) $(PAM_LIBS) $(CRYPT_LIBS) $(BSD_LIBS)

LIB_SRCS := $(sort $(wildcard lib/*.c))
AUTH_SRCS := $(sort $(wildcard auth/*.c))
STORE_SRCS := $(sort $(wildcard storage/*.c storage/maildir/*.c))
IMAPD_SRCS := $(sort $(filter-out imapd/main.c,$(wildcard imapd/*.c)))
UNIT_SRCS := $(sort $(wildcard test/unit/check_*.c))
FUZZ_SRCS := $(sort $(wildcard test/fuzz/fuzz_*.c))
BENCH_SRCS := $(sort $(wildcard test/bench/bench_*.c))

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))
ARCHIVES = $(B)/libimapd.a $(B)/libstorage.a $(B)/libauth.a $(B)/libimap.a
UNIT_BINS := $(patsubst test/unit/%.c,$(B)/test/%,$(UNIT_SRCS))
BENCH_BINS := $(patsubst test/bench/%.c,$(B)/test/%,$(BENCH_SRCS))

.PHONY: all build prepare check test demo sanitize install uninstall \
	clean distclean fuzz bench unit
.DEFAULT_GOAL := all

all: prepare
	@$(MAKE) --no-print-directory build

# Install missing packages, then configure once.
prepare:
	@scripts/install-deps
	@scripts/add-system-user
	@if [ ! -f config.mk ] || [ configure.ac -nt config.mk ] || \
	    [ config.mk.in -nt config.mk ]; then \
		autoconf -f && ./configure --prefix=$(PREFIX) >/dev/null || \
		{ cat config.log | tail -20; exit 1; }; \
	fi

build: $(B)/imapd $(UNIT_BINS) $(BENCH_BINS)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libimap.a: $(call obj,$(LIB_SRCS))
$(B)/libauth.a: $(call obj,$(AUTH_SRCS))
$(B)/libstorage.a: $(call obj,$(STORE_SRCS))
$(B)/libimapd.a: $(call obj,$(IMAPD_SRCS))
$(B)/%.a:
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(B)/imapd: $(B)/obj/imapd/main.o $(ARCHIVES)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(ARCHIVES) $(LIBS)

$(B)/test/check_%: test/unit/check_%.c $(ARCHIVES)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) $(ALL_LDFLAGS) -o $@ $< \
		$(ARCHIVES) $(CHECK_LIBS) $(LIBS)

$(B)/test/bench_%: test/bench/bench_%.c $(ARCHIVES)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(ARCHIVES) $(LIBS)

# The whole suite: unit tests, protocol scripts, interop, system (root).
check: prepare
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory test

test:
	@B=$(B) test/run-all

unit: build
	@B=$(B) test/run-all unit

sanitize: prepare
	@$(MAKE) --no-print-directory SANITIZE=1 build
	@$(MAKE) --no-print-directory SANITIZE=1 test

demo: prepare
	@$(MAKE) --no-print-directory build
	@B=$(B) scripts/demo

fuzz: prepare
	@B=$(B) test/fuzz/run

bench: prepare
	@$(MAKE) --no-print-directory build
	@B=$(B) test/bench/run

# Binary, man pages, systemd units (ExecStart pointing at SBINDIR), the
# sysusers.d entry for the pre-auth user, the PAM file (never replacing
# an existing one) and examples. As root without DESTDIR it also creates
# the pre-auth user.
install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(DOCDIR) \
		$(DESTDIR)$(SYSCONFDIR)/pam.d
	install -m 755 $(B)/imapd $(DESTDIR)$(SBINDIR)/imapd
	install -m 644 man/imapd.8 $(DESTDIR)$(MANDIR)/man8/imapd.8
	install -m 644 man/imapd.conf.5 $(DESTDIR)$(MANDIR)/man5/imapd.conf.5
	for u in $(UNITS); do \
		sed 's|/usr/local/sbin/imapd|$(SBINDIR)/imapd|' dist/$$u \
			> $(DESTDIR)$(UNITDIR)/$$u && \
		chmod 644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	install -m 644 dist/imapd.sysusers $(DESTDIR)$(SYSUSERSDIR)/imapd.conf
	[ -e $(DESTDIR)$(SYSCONFDIR)/pam.d/imap ] || \
		install -m 644 dist/pam.d/imap $(DESTDIR)$(SYSCONFDIR)/pam.d/imap
	install -m 644 dist/imapd.conf.example dist/xinetd.imapd \
		$(DESTDIR)$(DOCDIR)/
	@if [ -z "$(DESTDIR)" ]; then scripts/add-system-user; fi

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/imapd $(DESTDIR)$(MANDIR)/man8/imapd.8 \
		$(DESTDIR)$(MANDIR)/man5/imapd.conf.5 \
		$(DESTDIR)$(SYSUSERSDIR)/imapd.conf
	for u in $(UNITS); do rm -f $(DESTDIR)$(UNITDIR)/$$u; done
	rm -rf $(DESTDIR)$(DOCDIR)

clean:
	rm -rf build build-san

distclean: clean
	rm -rf config.mk config.log config.status configure autom4te.cache

-include $(shell find $(B) -name '*.d' 2>/dev/null)
