# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# nstrace: build the BPF objects, their skeletons, the CLI and the tests.
# `make V=1` shows full commands.
#
# Nothing below asks pkg-config or looks for libraries while the Makefile is
# read: `run` and `test` install what is missing first (`deps`) and then build
# in a new make, so a fresh machine builds in one go. Every flag that depends
# on installed packages is a recursive (=) variable, evaluated when a recipe
# runs.

OUTPUT    ?= build
ARCH      ?= $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
CLANG     ?= clang
BPFTOOL   ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
CC        ?= gcc
PKG_CONFIG ?= pkg-config
PREFIX    ?= /usr/local
DESTDIR   ?=
DEPS      ?= ./scripts/deps.sh

# libbpf, libelf and zlib are linked statically where their archives exist:
# every nstrace command starts a process, and resolving three fewer shared
# objects takes a quarter of its start-up time (see bench/).
LIBDIR      = $(shell $(PKG_CONFIG) --variable=libdir libbpf 2>/dev/null)
STATIC_LIBS = $(if $(and $(LIBDIR),$(wildcard $(LIBDIR)/libbpf.a),$(wildcard $(LIBDIR)/libelf.a),$(wildcard $(LIBDIR)/libz.a)),yes)
PKG_CFLAGS  = $(shell $(PKG_CONFIG) --cflags libbpf libmnl 2>/dev/null)
STATIC_LDLIBS  = -Wl,-Bstatic -lbpf -lelf -lz -Wl,-Bdynamic $(shell $(PKG_CONFIG) --libs libmnl 2>/dev/null)
DYNAMIC_LDLIBS = $(shell $(PKG_CONFIG) --libs libbpf libmnl 2>/dev/null) -lelf -lz
PKG_LIBS    = $(if $(STATIC_LIBS),$(STATIC_LDLIBS),$(DYNAMIC_LDLIBS))

STATIC_NOTE  = STATIC "libbpf libelf zlib from $(LIBDIR): three fewer shared objects to resolve at each start (bench/README.md)"
DYNAMIC_NOTE = DYNAMIC "libbpf libelf zlib: no static archives in $(or $(LIBDIR),the libdir of libbpf)"
LINK_NOTE    = $(if $(STATIC_LIBS),$(STATIC_NOTE),$(DYNAMIC_NOTE))

CFLAGS   ?= -O2 -g
CFLAGS   += -Wall -Wextra -Werror -std=gnu11 -Iinclude -I$(OUTPUT) -Iuser -MMD -MP
# Sanitizer and fuzzing builds add their flags here (check-asan, fuzz), never to CFLAGS.
EXTRA_CFLAGS ?=
ALL_CFLAGS = $(CFLAGS) $(EXTRA_CFLAGS) $(PKG_CFLAGS)
LDLIBS   += $(PKG_LIBS)
# One vmlinux/vmlinux.h for every arch: the programs read kernel structs only
# through CO-RE and use nothing arch-specific (no pt_regs, no kprobes), so
# 'make ARCH=arm64 bpf' builds the arm64 objects here. Little-endian arches only
# (-target bpf follows the host's byte order).
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Ivmlinux -Iinclude -Wall -Werror

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# The layers of user/ (see README, Layout); tests/layers.sh keeps them apart.
PURE_LAYERS := model analysis report
SRCS      := $(sort $(wildcard user/*/*.c))
OBJS      := $(patsubst user/%.c,$(OUTPUT)/user/%.o,$(SRCS))
PURE_OBJS := $(patsubst user/%.c,$(OUTPUT)/user/%.o,$(sort $(foreach l,$(PURE_LAYERS),$(wildcard user/$(l)/*.c))))
BPF_SRCS  := $(sort $(wildcard bpf/*.bpf.c))
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(OUTPUT)/%.bpf.o,$(BPF_SRCS))
SKELS     := $(patsubst bpf/%.bpf.c,$(OUTPUT)/%.skel.h,$(BPF_SRCS))
# bench/: the floor program and its loader (bench/cost.sh), built by 'make bench-bins'.
BENCH_BINS := $(OUTPUT)/bench/floor.bpf.o $(OUTPUT)/bench/floor
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/%,$(UNIT_SRCS))
# Besides the pure layers, unit tests replay recorded netlink replies and marks.
CODEC_OBJS := $(patsubst %,$(OUTPUT)/user/%.o,lab/mark lab/config kernel/netlink kernel/netlink_read kernel/netlink_link kernel/netns)
MNL_LIBS   = $(shell $(PKG_CONFIG) --libs libmnl 2>/dev/null)

# Sanitizers (check-asan) and libFuzzer targets (fuzz): clang, each in a build of its own.
SAN_FLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_FLAGS := $(SAN_FLAGS) -fsanitize=fuzzer-no-link
FUZZ_NAMES := $(patsubst tests/fuzz/%.c,%,$(sort $(wildcard tests/fuzz/*.c)))
ASAN_OUT   ?= $(OUTPUT)/asan
FUZZ_OUT   ?= $(OUTPUT)/fuzz
FUZZ_SECONDS ?= 60

.DELETE_ON_ERROR:
.PHONY: all bpf clean deps check-deps run test unit-test unit-bins integration-test vmlinux bench bench-bins \
	bench-cost bench-startup bench-lab bench-stream install uninstall check-asan fuzz fuzz-bins fuzz-run

all: $(OUTPUT)/nstrace

# Fails early, naming the package for Debian, Fedora and Arch, when a tool
# or library is missing (order-only: it never forces a rebuild).
check-deps:
	$(Q)CLANG="$(CLANG)" BPFTOOL="$(BPFTOOL)" PKG_CONFIG="$(PKG_CONFIG)" CC="$(CC)" $(DEPS) --check

$(OUTPUT) $(OUTPUT)/tests:
	$(Q)mkdir -p $@

$(OUTPUT)/%.bpf.o: bpf/%.bpf.c | check-deps $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -MF $@.d -c $< -o $@

bpf: $(BPF_OBJS)

$(OUTPUT)/bench/%.bpf.o: bench/%.bpf.c | check-deps
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -MF $@.d -c $< -o $@

$(OUTPUT)/bench/floor: bench/floor.c | check-deps
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $< $(LDLIBS) -o $@

bench-bins: $(BENCH_BINS)

$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@

# Only observe/ loads BPF objects; the skeletons must exist before it compiles.
$(filter $(OUTPUT)/user/observe/%,$(OBJS)): | $(SKELS)

$(OUTPUT)/user/%.o: user/%.c | check-deps
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(OUTPUT)/nstrace: $(OBJS)
	$(call msg,LINK,$@)
	$(Q)printf '  %-8s %s\n' $(LINK_NOTE)
	$(Q)$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) -o $@

$(OUTPUT)/tests/%: tests/unit/%.c $(PURE_OBJS) $(CODEC_OBJS) | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit $(filter %.c %.o,$^) $(MNL_LIBS) -o $@

unit-bins: $(UNIT_BINS)

# Installs only what is missing; Debian/Ubuntu only.
deps:
	$(Q)$(DEPS)

# A new make after deps: its flags come from the packages deps just installed.
run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(OUTPUT)/nstrace run $(ARGS)

unit-test:
	$(Q)$(MAKE) --no-print-directory unit-bins
	$(Q)./tests/run.sh --unit-only

test: deps
	$(Q)$(MAKE) --no-print-directory all unit-bins fuzz bench-bins $(OUTPUT)/bench/stream_bench
	$(Q)./tests/run.sh

# The unit tests and a few real commands, built with AddressSanitizer and UBSan.
check-asan: deps
	$(Q)$(MAKE) --no-print-directory OUTPUT=$(ASAN_OUT) CC=$(CLANG) EXTRA_CFLAGS="$(SAN_FLAGS)" all unit-bins
	$(Q)./tests/asan.sh $(ASAN_OUT)

# Every tests/fuzz/NAME.c is a libFuzzer target: $(FUZZ_OUT)/bin/NAME.
fuzz:
	$(Q)$(MAKE) --no-print-directory OUTPUT=$(FUZZ_OUT) CC=$(CLANG) EXTRA_CFLAGS="$(FUZZ_FLAGS)" fuzz-bins

fuzz-bins: $(patsubst %,$(OUTPUT)/bin/%,$(FUZZ_NAMES))

$(OUTPUT)/libnstrace.a: $(filter-out $(OUTPUT)/user/cli/main.o,$(OBJS))
	$(call msg,AR,$@)
	$(Q)ar rcs $@ $^

$(OUTPUT)/bin/%: tests/fuzz/%.c $(OUTPUT)/libnstrace.a
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -Itests/unit $< $(OUTPUT)/libnstrace.a $(LDLIBS) -o $@

# Each target for FUZZ_SECONDS (default 60), from the committed seeds.
fuzz-run: fuzz
	$(Q)./tests/fuzz_run.sh $(FUZZ_OUT)/bin $(FUZZ_SECONDS)


# Benchmarks (root): lab build vs an ip script, observer cost, start-up. Not tests.
bench: deps
	$(Q)$(MAKE) --no-print-directory all bench-bins
	$(Q)./bench/lab_build.sh
	$(Q)./bench/cost.sh
	$(Q)./bench/startup.sh

bench-lab: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)./bench/lab_build.sh

# Passive mode's processing on canned events: no root, no kernel.
$(OUTPUT)/bench/stream_bench: bench/stream_bench.c $(PURE_OBJS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $^ -o $@

bench-stream: $(OUTPUT)/bench/stream_bench
	$(Q)$(OUTPUT)/bench/stream_bench

bench-cost bench-startup: deps
	$(Q)$(MAKE) --no-print-directory all bench-bins
	$(Q)./bench/$(@:bench-%=%).sh

# The running kernel's types, for every arch (see BPF_CFLAGS); written whole or not at all.
vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/vmlinux.h.tmp
	mv vmlinux/vmlinux.h.tmp vmlinux/vmlinux.h

MANDIR        ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions

install: $(OUTPUT)/nstrace
	install -D -m 0755 $< $(DESTDIR)$(PREFIX)/sbin/nstrace
	install -D -m 0644 man/nstrace.8 $(DESTDIR)$(MANDIR)/man8/nstrace.8
	install -D -m 0644 completion/nstrace.bash $(DESTDIR)$(COMPLETIONDIR)/nstrace

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/nstrace $(DESTDIR)$(MANDIR)/man8/nstrace.8 $(DESTDIR)$(COMPLETIONDIR)/nstrace

clean:
	rm -rf $(OUTPUT)

-include $(wildcard $(OUTPUT)/*.d $(OUTPUT)/user/*/*.d $(OUTPUT)/tests/*.d $(OUTPUT)/bench/*.d $(OUTPUT)/bin/*.d)
