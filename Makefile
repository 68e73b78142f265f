# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# nstrace: build the BPF object, its skeleton, the CLI and the tests.
# `make V=1` shows full commands.

OUTPUT   ?= build
ARCH     ?= $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
CLANG    ?= clang
BPFTOOL  ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
CC       ?= gcc
PREFIX   ?= /usr/local
DESTDIR  ?=

PKGS      := libbpf libmnl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libbpf, libelf and zlib linked statically where their archives exist: every
# nstrace command starts a process, and resolving three fewer shared objects
# takes a quarter of its start-up time (see bench/).
LIBDIR     := $(shell pkg-config --variable=libdir libbpf 2>/dev/null)
ifeq ($(wildcard $(LIBDIR)/libbpf.a $(LIBDIR)/libelf.a $(LIBDIR)/libz.a),$(LIBDIR)/libbpf.a $(LIBDIR)/libelf.a $(LIBDIR)/libz.a)
PKG_LIBS   := -Wl,-Bstatic -lbpf -lelf -lz -Wl,-Bdynamic $(shell pkg-config --libs libmnl 2>/dev/null)
else
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lelf -lz
endif

CFLAGS   ?= -O2 -g
CFLAGS   += -Wall -Wextra -Werror -std=gnu11 -Iinclude -I$(OUTPUT) -Iuser $(PKG_CFLAGS) -MMD -MP
LDLIBS   += $(PKG_LIBS)
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Ivmlinux/$(ARCH) -Iinclude -Wall -Werror

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# Pure logic: no kernel I/O, unit-tested without root.
PURE_SRCS := user/decode.c user/path.c user/output.c user/cidr.c user/diagnose.c
# Kernel I/O.
KIO_SRCS  := user/netlink.c user/netns.c user/lab.c user/labcheck.c user/probes.c \
             user/nflink.c user/traffic.c user/collect.c user/ksyms.c user/session.c user/state.c user/faults.c user/report.c user/discover.c
CLI_SRCS  := user/main.c user/cmd_run.c user/cmd_lab.c user/cmd_trace.c
SRCS      := $(PURE_SRCS) $(KIO_SRCS) $(CLI_SRCS)
OBJS      := $(patsubst user/%.c,$(OUTPUT)/user/%.o,$(SRCS))
PURE_OBJS := $(patsubst user/%.c,$(OUTPUT)/user/%.o,$(PURE_SRCS))
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/%,$(UNIT_SRCS))

.DELETE_ON_ERROR:
.PHONY: all clean deps run test unit-test integration-test vmlinux bench install

all: $(OUTPUT)/nstrace

$(OUTPUT) $(OUTPUT)/user $(OUTPUT)/tests:
	$(Q)mkdir -p $@

$(OUTPUT)/nstrace.bpf.o: bpf/nstrace.bpf.c | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -MF $@.d -c $< -o $@

$(OUTPUT)/nstrace.skel.h: $(OUTPUT)/nstrace.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name nstrace_bpf > $@

# Every user object may include the skeleton through probes.h: generate it first.
$(OUTPUT)/user/%.o: user/%.c $(OUTPUT)/nstrace.skel.h | $(OUTPUT)/user
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(OUTPUT)/nstrace: $(OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(OUTPUT)/tests/%: tests/unit/%.c $(PURE_OBJS) | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/unit $^ $(LDLIBS) -o $@

# Installs only what is missing; Debian/Ubuntu only.
deps:
	$(Q)./scripts/deps.sh

run: deps all
	$(OUTPUT)/nstrace run $(ARGS)

unit-test: $(UNIT_BINS)
	$(Q)./tests/run.sh --unit-only

test: deps all $(UNIT_BINS)
	$(Q)./tests/run.sh

bench: deps all
	$(Q)./bench/lab_build.sh

vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/$(ARCH)/vmlinux.h

install: $(OUTPUT)/nstrace
	install -D -m 0755 $< $(DESTDIR)$(PREFIX)/sbin/nstrace

clean:
	rm -rf $(OUTPUT)

-include $(wildcard $(OUTPUT)/*.d $(OUTPUT)/user/*.d $(OUTPUT)/tests/*.d)
