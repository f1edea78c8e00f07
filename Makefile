# saker -- build, test, bench, install.
#
#   make                 build build/saker
#   make run             build, then show the main job on a bundled sample
#   make test            build and run every test, plain and under ASan+UBSan
#   make bench           throughput and size benchmarks, and the recorder's
#                        overhead when root (bench/README.md)
#   make bpf             the recorder's BPF object and skeleton (build/bpf/)
#   make install PREFIX=/usr/local
#
# Missing Debian packages: when run as root the build installs them
# (.ci/deps); otherwise it prints the apt-get line to run.

.DEFAULT_GOAL := all

PREFIX  ?= /usr/local
CC      ?= cc
V       ?= 0
Q       := $(if $(filter 1,$(V)),,@)

PKGS    := libzstd libcjson zlib check yaml-0.1 sqlite3 libmd ncursesw
CSTD    := -std=c11 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-missing-field-initializers -Wno-format-truncation
CFLAGS  ?= -O2 -g
BASE_CFLAGS = $(CSTD) $(WARN) -MMD -MP -Ibuild/bpf
LIBS    := -lbpf -lelf -lzstd -lcjson -lyaml -lz -lsqlite3 -lmd -lncursesw -ltinfo -lpthread
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt)

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC := $(wildcard reader/*.c) capture/writer.c capture/writer_zstd.c capture/event_table.c $(wildcard capture/procfs*.c) \
           capture/record_decode.c capture/record_out.c \
           $(filter-out analyzer/saker.c,$(wildcard analyzer/*.c))
# The browser (saker browse): ncurses panels over the hit DB and replay.h.
LIB_SRC += $(wildcard tui/*.c)
# record.c includes the BPF skeleton (build/bpf/record.skel.h, see `make bpf`).
MAIN_SRC := analyzer/saker.c capture/record.c
UNIT_SRC := $(wildcard tests/unit/*.c)
TOOL_SRC := tests/tools/gentrace.c
BENCH_SRC := bench/fmtbench.c

# Two build variants share the sources: build/ (release) and build/asan/.
define variant
$(1)OBJ_LIB  := $$(LIB_SRC:%.c=$(2)/%.o)
$(1)OBJ_MAIN := $$(MAIN_SRC:%.c=$(2)/%.o)
$(1)OBJ_UNIT := $$(UNIT_SRC:%.c=$(2)/%.o)
$(1)OBJ_TOOL := $$(TOOL_SRC:%.c=$(2)/%.o)

$(2)/%.o: %.c build/.deps-ok
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  CC      $$@")
	$$(Q)$$(CC) $$(BASE_CFLAGS) $$(CFLAGS) $(3) -c $$< -o $$@ || (rm -f $$@; false)

$(2)/libsaker.a: $$($(1)OBJ_LIB)
	@$$(if $$(Q),echo "  AR      $$@")
	$$(Q)rm -f $$@ && ar rcs $$@ $$^

$(2)/saker: $$($(1)OBJ_MAIN) $(2)/libsaker.a
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(CC) $$(CFLAGS) $(3) -o $$@ $$^ $$(LIBS) || (rm -f $$@; false)

$(2)/check_saker: $$($(1)OBJ_UNIT) $(2)/libsaker.a
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(CC) $$(CFLAGS) $(3) -o $$@ $$^ $$(CHECK_LIBS) $$(LIBS) || (rm -f $$@; false)

$(2)/gentrace: $$($(1)OBJ_TOOL) $(2)/libsaker.a
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(CC) $$(CFLAGS) $(3) -o $$@ $$^ $$(LIBS) || (rm -f $$@; false)

-include $$($(1)OBJ_LIB:.o=.d) $$($(1)OBJ_MAIN:.o=.d) $$($(1)OBJ_UNIT:.o=.d) $$($(1)OBJ_TOOL:.o=.d)
endef

$(eval $(call variant,REL_,build,))
$(eval $(call variant,SAN_,build/asan,$(SAN_FLAGS)))

# The benchmark program: release build only (timings under ASan mean nothing).
REL_OBJ_BENCH := $(BENCH_SRC:%.c=build/%.o)

build/fmtbench: $(REL_OBJ_BENCH) build/libsaker.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LIBS) || (rm -f $@; false)

-include $(REL_OBJ_BENCH:.o=.d)

# Synthetic hit databases for the browser's tests and benchmarks
# (tests/tools/mkhits.c; release build only, like fmtbench).
build/mkhits: build/tests/tools/mkhits.o build/libsaker.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LIBS) || (rm -f $@; false)

-include build/tests/tools/mkhits.d

# The kernel half of `saker record` (STYLE rule 1): vmlinux.h from the
# running kernel's BTF, then the BPF object, then the skeleton that
# capture/record.c includes (-Ibuild/bpf). llvm-strip -g drops the DWARF
# the skeleton would otherwise embed; BTF and CO-RE relocations stay.
BPF_CLANG   ?= clang
LLVM_STRIP  ?= llvm-strip
BPFTOOL     ?= bpftool
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
BPF_CFLAGS  := -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_x86 -I build/bpf -I capture
BPF_HDRS    := capture/record.h $(wildcard capture/record*.bpf.h)

build/bpf/vmlinux.h: $(VMLINUX_BTF) | build/.deps-ok
	@mkdir -p $(@D)
	@$(if $(Q),echo "  BTF     $@")
	$(Q)$(BPFTOOL) btf dump file $< format c > $@ || (rm -f $@; false)

build/bpf/record.bpf.o: capture/record.bpf.c $(BPF_HDRS) build/bpf/vmlinux.h
	@$(if $(Q),echo "  BPF     $@")
	$(Q)$(BPF_CLANG) $(BPF_CFLAGS) -c $< -o $@ && $(LLVM_STRIP) -g $@ || (rm -f $@; false)

build/bpf/record.skel.h: build/bpf/record.bpf.o
	@$(if $(Q),echo "  SKEL    $@")
	$(Q)$(BPFTOOL) gen skeleton $< > $@ || (rm -f $@; false)

bpf: build/bpf/record.skel.h

build/capture/record.o build/asan/capture/record.o: build/bpf/record.skel.h

# The recorder benchmark's floor (bench/record-bench): a counter on
# sys_exit, built like the recorder's BPF half; nothing else uses it.
build/bench/floor.bpf.o: bench/floor.bpf.c build/bpf/vmlinux.h
	@mkdir -p $(@D)
	@$(if $(Q),echo "  BPF     $@")
	$(Q)$(BPF_CLANG) $(BPF_CFLAGS) -c $< -o $@ && $(LLVM_STRIP) -g $@ || (rm -f $@; false)

build/bench/floor.skel.h: build/bench/floor.bpf.o
	@$(if $(Q),echo "  SKEL    $@")
	$(Q)$(BPFTOOL) gen skeleton $< > $@ || (rm -f $@; false)

build/bench/floor.o: build/bench/floor.skel.h
build/bench/floor.o: BASE_CFLAGS += -Ibuild/bench

build/floor: build/bench/floor.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ -lbpf -lelf -lz || (rm -f $@; false)

-include build/bench/floor.d

.PHONY: all run test test-plain test-asan bench bpf install deps clean
.DELETE_ON_ERROR:

all: build/saker

build/.deps-ok: .ci/deps
	$(Q)sh .ci/deps check-or-install
	@mkdir -p build && touch $@

deps:
	sh .ci/deps install

run: build/saker build/gentrace
	@sh samples/run-demo build

# `make test` is the README's test command and what .ci/run calls.
test: test-plain test-asan

test-plain: build/saker build/check_saker build/gentrace
	@echo "== unit tests (release build)"
	$(Q)build/check_saker
	@echo "== end-to-end tests (release build)"
	$(Q)sh tests/e2e/run build

test-asan: build/asan/saker build/asan/check_saker build/asan/gentrace
	@echo "== unit tests (ASan+UBSan build)"
	$(Q)ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    build/asan/check_saker
	@echo "== end-to-end tests (ASan+UBSan build)"
	$(Q)ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 sh tests/e2e/run build/asan

bench: build/saker build/gentrace build/fmtbench build/floor build/mkhits
	sh bench/run build

install: build/saker
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 0755 build/saker $(DESTDIR)$(PREFIX)/bin/saker
	install -m 0644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -d $(DESTDIR)$(PREFIX)/share/saker/rules && install -m 0644 rules/*.yaml $(DESTDIR)$(PREFIX)/share/saker/rules/

clean:
	rm -rf build
