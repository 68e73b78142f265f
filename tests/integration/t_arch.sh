#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 9 (3): the BPF objects build for arm64 on this x86 machine, from the
# one arch-neutral vmlinux/vmlinux.h, and are the same programs and maps.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
on_exit rm -rf "$tmp"

for arch in arm64 x86; do
	make -s -C "$top" OUTPUT="$tmp/$arch" ARCH="$arch" "$tmp/$arch/nstrace.bpf.o" "$tmp/$arch/tc.bpf.o" >"$OUT" 2>&1
	RC=$?
	[ $RC -eq 0 ] && pass "make ARCH=$arch builds the BPF objects" || fail "make ARCH=$arch: exit $RC"
done
# The program, map, rodata and license sections of an object.
sections() {
	readelf -SW "$1" 2>/dev/null | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\).*/\1/p' |
		grep -E '^(tc|tp_btf|netfilter|\.maps|\.rodata|license)' | sort
}
for obj in nstrace tc; do
	f="$tmp/arm64/$obj.bpf.o"
	if readelf -h "$f" 2>/dev/null | grep -q 'Machine: *Linux BPF'; then
		pass "arm64 $obj.bpf.o is a BPF object"
	else
		fail "arm64 $obj.bpf.o is a BPF object"
	fi
	a=$(sections "$f")
	b=$(sections "$tmp/x86/$obj.bpf.o")
	[ -n "$a" ] && [ "$a" = "$b" ] && pass "$obj: the same program and map sections on arm64 and x86" ||
		fail "$obj: sections differ between arm64 and x86"
done
# What would make one header wrong for another arch: registers and kprobes.
if grep -nE 'PT_REGS|pt_regs|BPF_KPROBE|BPF_UPROBE|SEC\("(kprobe|kretprobe|uprobe|fentry|fexit)' \
	"$top"/bpf/*.c "$top"/bpf/*.h "$top"/bench/*.bpf.c >"$OUT"; then
	fail "the BPF sources use nothing arch-specific"
else
	pass "the BPF sources use nothing arch-specific"
fi
[ -f "$top/vmlinux/vmlinux.h" ] && pass "one vmlinux/vmlinux.h serves every arch" || fail "vmlinux/vmlinux.h exists"
