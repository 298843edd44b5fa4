# kesu — build, test, run, install.  See README.md.
#
#   make            build build/kesu (and build/kesu-pdf, the PDF renderer)
#   make run        install missing packages, build, create ./demo, open the TUI
#                   as AS (default guanli, the 生产管理组 coordinator)
#   make test       build and run the whole suite (SAN=1: under ASan + UBSan)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
SAN     ?= 0
AS      ?= guanli

PKGS     = ncursesw sqlite3 yaml-0.1 libcrypto jansson
TESTPKGS = cmocka
# Debian/Ubuntu packages that provide the above, and what the tests use.
APT_PKGS = build-essential pkg-config libncurses-dev libsqlite3-dev libyaml-dev \
           libssl-dev libjansson-dev libcmocka-dev libcsv-dev \
           libcairo2-dev libpango1.0-dev fonts-noto-cjk poppler-utils \
           tzdata locales tmux sqlite3 jq openssh-server openssh-client \
           groff-base valgrind clang chromium

ifeq ($(SAN),1)
BUILD   ?= build-san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
BUILD   ?= build
SANFLAGS =
endif

CC      ?= cc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude $(SANFLAGS)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv
TEST_LIBS  = $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)
# kesu-pdf alone links cairo and pango: kesu itself must not (start-up time)
PDFPKGS    = pangocairo fontconfig jansson
PDF_CFLAGS = $(shell pkg-config --cflags $(PDFPKGS) 2>/dev/null)
PDF_LIBS   = $(shell pkg-config --libs $(PDFPKGS) 2>/dev/null)
LDFLAGS += $(SANFLAGS)
# kesu itself takes these libraries from their static archives when they are
# installed (libc stays shared): a shared libcrypto alone costs every process
# 3,400 symbol relocations at start, sqlite 1,600 (docs/performance.md,
# "Start-up"). STATIC=0 links them all shared; a missing archive falls back
# to the shared library.
STATIC  ?= 1
STATIC_LIBS = ncursesw tinfo sqlite3 yaml crypto jansson csv
ifeq ($(STATIC),1)
KESU_LIBS = $(foreach l,$(STATIC_LIBS),$(if $(filter /%,$(shell $(CC) -print-file-name=lib$(l).a)),$(shell $(CC) -print-file-name=lib$(l).a),-l$(l))) -lm -ldl -pthread
else
KESU_LIBS = $(PKG_LIBS)
endif

LIB_SRC  = $(sort $(wildcard src/core/*.c src/store/*.c src/conf/*.c src/text/*.c src/cli/*.c src/tui/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/schema.o
SCHEMA   = $(sort $(wildcard schema/[0-9][0-9][0-9]_*.sql))
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps run test unit-test cli-test install uninstall clean

all: $(BUILD)/.deps-ok $(BUILD)/kesu $(BUILD)/kesu-pdf

# deps: make sure every library is there; install with apt-get as root,
# otherwise print the one command to run.
deps: $(BUILD)/.deps-ok
$(BUILD)/.deps-ok:
	@mkdir -p $(BUILD)
	@missing=""; \
	for p in $(PKGS) $(TESTPKGS); do pkg-config --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"; \
	pkg-config --exists pangocairo 2>/dev/null || missing="$$missing pangocairo"; \
	[ -e /usr/include/csv.h ] || missing="$$missing libcsv"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	for c in jq sqlite3 tmux ssh ssh-keygen sshd pdftotext pdftoppm valgrind clang chromium; do PATH="$$PATH:/usr/sbin:/sbin" command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	[ -e /usr/share/zoneinfo/Asia/Shanghai ] || missing="$$missing tzdata"; \
	if [ -n "$$missing" ]; then \
		echo "kesu: missing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PKGS) >/dev/null || exit 1; \
		else \
			echo "kesu: run:  sudo apt-get install -y $(APT_PKGS)"; exit 1; \
		fi; \
	fi
	@touch $@

$(BUILD)/%.o: %.c $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/gen/schema.c: $(SCHEMA) tools/embed-schema.sh
	@mkdir -p $(dir $@)
	sh tools/embed-schema.sh $@ $(SCHEMA)

$(BUILD)/gen/schema.o: $(BUILD)/gen/schema.c
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libkesu.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/kesu: $(BUILD)/src/main.o $(BUILD)/libkesu.a
	$(CC) $(LDFLAGS) -o $@ $^ $(KESU_LIBS)

# the PDF renderer: a print document on stdin, the PDF on stdout (src/pdf/)
$(BUILD)/src/pdf/kesu-pdf.o: PKG_CFLAGS = $(PDF_CFLAGS)
$(BUILD)/kesu-pdf: $(BUILD)/src/pdf/kesu-pdf.o
	$(CC) $(LDFLAGS) -o $@ $^ $(PDF_LIBS)

# every unit test links the shared fixtures of tests/unit/testlib.c
$(BUILD)/tests/testlib.o: tests/unit/testlib.c tests/unit/testlib.h $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testlib.h $(BUILD)/tests/testlib.o $(BUILD)/libkesu.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/tests/testlib.o $(BUILD)/libkesu.a $(PKG_LIBS) $(TEST_LIBS)

run: all
	@[ -d demo ] || ./$(BUILD)/kesu --data demo init --demo
	./$(BUILD)/kesu --data demo --as $(AS)

test: all $(UNIT_BIN) $(BUILD)/tools/guide-screens
	@BUILD=$(BUILD) sh tests/run.sh

# bench: generate N cases (default 1,000,000; kept in $(BUILD)/bench/ for the
# next run) and measure; results on stdout and in $(BUILD)/bench/results.txt.
# Not part of `make test`. See docs/performance.md.
BENCH_BIN = $(patsubst tests/bench/%.c,$(BUILD)/bench/bin/%,$(sort $(wildcard tests/bench/*.c)))
.PHONY: bench
bench: all $(BENCH_BIN)
	@BUILD=$(BUILD) N=$(if $(N),$(N),1000000) sh tests/bench/run.sh
$(BUILD)/bench/bin/%: tests/bench/%.c $(wildcard tests/bench/*.h) $(BUILD)/libkesu.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -Wl,--as-needed -o $@ $< $(BUILD)/libkesu.a $(PKG_LIBS)

# guide: take the screens of docs/guide.md from the program (tools/guide.sh;
# tests/cli/guide.sh checks they are current).
.PHONY: guide
guide: all $(BUILD)/tools/guide-screens
	@BUILD=$(BUILD) sh tools/guide.sh
$(BUILD)/tools/%: tools/%.c $(BUILD)/libkesu.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libkesu.a $(PKG_LIBS)

# install: the binary; presets, forms, calendars and the systemd units and
# crontab example (dist/, @BINDIR@ filled in) under share/kesu, which an
# installed kesu finds as ../share/kesu beside its bin/; man pages; bash
# completion. Nothing goes into /etc.
I_BIN   = $(DESTDIR)$(PREFIX)/bin
I_SHARE = $(DESTDIR)$(PREFIX)/share/kesu
I_MAN   = $(DESTDIR)$(PREFIX)/share/man
I_COMP  = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
I_LIBX  = $(DESTDIR)$(PREFIX)/lib/kesu
DIST_FILES = $(wildcard dist/*.service dist/*.timer) dist/crontab.example dist/README.md

install: all
	rm -rf $(I_SHARE)/presets $(I_SHARE)/forms $(I_SHARE)/calendars $(I_SHARE)/dist
	install -d $(I_BIN) $(I_SHARE)/dist $(I_MAN)/man1 $(I_MAN)/man5 $(I_COMP)
	install -m 0755 $(BUILD)/kesu $(I_BIN)/kesu
	install -d $(I_LIBX)
	install -m 0755 $(BUILD)/kesu-pdf $(I_LIBX)/kesu-pdf
	cp -R config/presets config/calendars forms $(I_SHARE)/
	chmod -R u+rwX,go+rX,go-w $(I_SHARE)/presets $(I_SHARE)/calendars $(I_SHARE)/forms
	for f in $(DIST_FILES); do \
		sed 's|@BINDIR@|$(PREFIX)/bin|g' $$f >$(I_SHARE)/dist/$${f#dist/} && \
		chmod 0644 $(I_SHARE)/dist/$${f#dist/} || exit 1; \
	done
	install -m 0644 docs/kesu.1 $(I_MAN)/man1/kesu.1
	install -m 0644 docs/kesu-config.5 $(I_MAN)/man5/kesu-config.5
	install -m 0644 dist/kesu.bash-completion $(I_COMP)/kesu

uninstall:
	rm -f $(I_BIN)/kesu $(I_MAN)/man1/kesu.1 $(I_MAN)/man5/kesu-config.5 $(I_COMP)/kesu
	rm -rf $(I_SHARE)
	rm -f $(I_LIBX)/kesu-pdf
	-rmdir $(I_LIBX) 2>/dev/null

# ---- reliability: fault injection, soak, fuzzing, valgrind (docs/reliability.md) ----
# $(BUILD)/tests/kesu-fault: kesu with the failing SQLite VFS of
# tests/reliability/faultvfs.c (tests/cli/faults.sh drives it).
REL_BIN = $(BUILD)/tests/kesu-fault
$(BUILD)/reliability/main.o: src/main.c $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Dmain=kesu_main -c $< -o $@
$(BUILD)/tests/kesu-fault: tests/reliability/faultvfs.c $(BUILD)/reliability/main.o $(BUILD)/libkesu.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/reliability/main.o $(BUILD)/libkesu.a $(PKG_LIBS)
test: $(REL_BIN)

# soak: the crash and concurrency tests at a size for minutes, not seconds.
.PHONY: soak
soak: all $(REL_BIN)
	KESU=$$PWD/$(BUILD)/kesu KESU_SRC=$$PWD ROUNDS=$(if $(ROUNDS),$(ROUNDS),300) W=6 A=4 sh tests/cli/crash.sh
	KESU=$$PWD/$(BUILD)/kesu KESU_SRC=$$PWD RW=8 RI=400 RC=20 sh tests/cli/concurrency.sh
	KESU=$$PWD/$(BUILD)/kesu KESU_SRC=$$PWD FAULTS_ALL=1 sh tests/cli/faults.sh
# fuzz: libFuzzer harnesses tests/fuzz/fuzz_NAME.c, each with its saved corpus
# tests/fuzz/corpus/NAME/ (any new fuzz_*.c is picked up).  Built with clang
# into build-fuzz (the library with -fsanitize=fuzzer-no-link,address,undefined).
# `make fuzz` runs each for FUZZ_SECONDS (default 300); new inputs go to
# build-fuzz/corpus/NAME, crashes to build-fuzz/crashes/NAME/.  `make test`
# runs each over its saved corpus plus FUZZ_SHORT seconds (tests/cli/fuzz.sh).
FUZZ_BUILD = build-fuzz
FUZZ_CC    = clang
FUZZ_SAN   = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS = -O1 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude $(FUZZ_SAN)
FUZZ_NAMES = $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BIN   = $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz/fuzz_%)
FUZZ_OBJ   = $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o) $(FUZZ_BUILD)/gen/schema.o
FUZZ_SECONDS ?= 300
.PHONY: fuzz fuzz-build fuzz-clang
fuzz-clang:
	@command -v $(FUZZ_CC) >/dev/null 2>&1 || { echo "kesu: $(FUZZ_CC) is missing, so the fuzz harnesses cannot be built or run (make deps installs it)"; exit 1; }
fuzz-build: fuzz-clang $(FUZZ_BIN)
$(FUZZ_BUILD)/%.o: %.c | fuzz-clang
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -MMD -MP -c $< -o $@
$(FUZZ_BUILD)/gen/schema.o: $(SCHEMA) tools/embed-schema.sh | fuzz-clang
	@mkdir -p $(dir $@)
	sh tools/embed-schema.sh $(FUZZ_BUILD)/gen/schema.c $(SCHEMA)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $(FUZZ_BUILD)/gen/schema.c -o $@
$(FUZZ_BUILD)/libkesu.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^
$(FUZZ_BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(FUZZ_BUILD)/libkesu.a | fuzz-clang
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -DKESU_SRC_DIR='"$(CURDIR)"' -o $@ $< $(FUZZ_BUILD)/libkesu.a $(PKG_LIBS)
fuzz: fuzz-build
	@for n in $(FUZZ_NAMES); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$n $(FUZZ_BUILD)/crashes/$$n tests/fuzz/corpus/$$n; \
		echo "fuzz_$$n: $(FUZZ_SECONDS) s"; \
		$(FUZZ_BUILD)/fuzz/fuzz_$$n $(FUZZ_BUILD)/corpus/$$n tests/fuzz/corpus/$$n \
			-max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(FUZZ_BUILD)/crashes/$$n/ -print_final_stats=1 \
			2>$(FUZZ_BUILD)/fuzz_$$n.log || { tail -40 $(FUZZ_BUILD)/fuzz_$$n.log; exit 1; }; \
		grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' $(FUZZ_BUILD)/fuzz_$$n.log; \
	done
test: fuzz-build
-include $(FUZZ_OBJ:.o=.d)
# valgrind: the CLI tests with kesu under valgrind (tests/valgrind.sh).  Slow
# (each kesu run costs some 2–3 s of CPU under valgrind), so not in `make test`.
.PHONY: valgrind
valgrind: all $(REL_BIN) $(BUILD)/tools/guide-screens
	@BUILD=$(BUILD) sh tests/valgrind.sh
# ---- end of reliability ----

clean:
	rm -rf build build-san build-fuzz

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/main.d $(BUILD)/src/pdf/kesu-pdf.d
