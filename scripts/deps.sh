#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# What nstrace needs to build and test.
#   scripts/deps.sh          install what is missing (Debian/Ubuntu, as root); idempotent
#   scripts/deps.sh --check  exit 1 naming each missing build tool or library,
#                            with its package on Debian, Fedora and Arch
set -euo pipefail

CLANG=${CLANG:-clang}
BPFTOOL=${BPFTOOL:-bpftool}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
CC=${CC:-gcc}

# what : how to tell it is there : Debian package : Fedora package : Arch package
build_needs=(
	"C compiler:cmd $CC:gcc:gcc:gcc"
	"clang (BPF compiler):cmd $CLANG:clang:clang:clang"
	"bpftool (skeletons):cmd $BPFTOOL:bpftool:bpftool:bpf"
	"pkg-config:cmd $PKG_CONFIG:pkg-config:pkgconf-pkg-config:pkgconf"
	"libbpf headers and library:pkg libbpf:libbpf-dev:libbpf-devel:libbpf"
	"libmnl headers and library:pkg libmnl:libmnl-dev:libmnl-devel:libmnl"
	"libelf headers:hdr libelf.h:libelf-dev:elfutils-libelf-devel:libelf"
	"zlib headers:hdr zlib.h:zlib1g-dev:zlib-devel:zlib"
)

# Debian package : Fedora : Arch : command or file that proves it is installed (build and tests;
# tshark, graphviz and jq read nstrace's pcapng, diagrams and JSON back in the tests,
# and graphviz draws --svg)
install_needs=(
	"clang:clang:clang:clang"
	"llvm:llvm:llvm:llvm-strip"
	"make:make:make:make"
	"gcc:gcc:gcc:gcc"
	"pkg-config:pkgconf-pkg-config:pkgconf:pkg-config"
	"libbpf-dev:libbpf-devel:libbpf:/usr/include/bpf/libbpf.h"
	"bpftool:bpftool:bpf:bpftool"
	"libelf-dev:elfutils-libelf-devel:libelf:/usr/include/libelf.h"
	"zlib1g-dev:zlib-devel:zlib:/usr/include/zlib.h"
	"libmnl-dev:libmnl-devel:libmnl:/usr/include/libmnl/libmnl.h"
	"iproute2:iproute:iproute2:ip"
	"iptables:iptables-nft:iptables-nft:iptables"
	"arptables:arptables-legacy:arptables:arptables"
	"ebtables:ebtables-legacy:ebtables:ebtables"
	"nftables:nftables:nftables:nft"
	"iputils-ping:iputils:iputils:ping"
	"procps:procps-ng:procps-ng:sysctl"
	"util-linux:util-linux:util-linux:unshare"
	"tshark:wireshark-cli:wireshark-cli:tshark"
	"graphviz:graphviz:graphviz:dot"
	"jq:jq:jq:jq"
	"libclang-rt-dev:compiler-rt:compiler-rt:clang-rt:fuzzer"
)

has_cmd() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ] || [ -x "$1" ]; }
# clang's runtime library NAME (libFuzzer, the sanitizers): make fuzz and check-asan link it.
has_clang_rt() { has_cmd "$CLANG" && [ -e "$("$CLANG" -print-runtime-dir 2>/dev/null)/libclang_rt.$1-$(uname -m).a" ]; }

present() {
	local how=${1%% *} what=${1#* }
	case "$how" in
	cmd) has_cmd "$what" ;;
	pkg) has_cmd "$PKG_CONFIG" && "$PKG_CONFIG" --exists "$what" 2>/dev/null ;;
	hdr) printf '#include <%s>\n' "$what" | "$CC" -E -x c - >/dev/null 2>&1 ;;
	esac
}

if [ "${1:-}" = "--check" ]; then
	missing=0
	for n in "${build_needs[@]}"; do
		IFS=: read -r what how deb fedora arch <<<"$n"
		present "$how" && continue
		[ $missing -eq 0 ] && echo "nstrace: cannot build: missing tools or libraries (run 'sudo make deps' on Debian/Ubuntu):" >&2
		missing=1
		printf '  %-28s Debian/Ubuntu: %-14s Fedora: %-22s Arch: %s\n' "$what" "$deb" "$fedora" "$arch" >&2
	done
	exit $missing
fi

missing=() missing_rows=()
for n in "${install_needs[@]}"; do
	IFS=: read -r deb fedora arch proof <<<"$n"
	case "$proof" in
	/*) [ -e "$proof" ] ;;
	clang-rt:*) has_clang_rt "${proof#clang-rt:}" ;;
	*) has_cmd "$proof" ;;
	esac && continue
	missing+=("$deb")
	missing_rows+=("$(printf '  %-14s Fedora: %-22s Arch: %s' "$deb" "$fedora" "$arch")")
done
[ ${#missing[@]} -eq 0 ] && exit 0

# Where this script cannot install, it says what to install on each distro.
cannot_install() {
	echo "nstrace: missing packages: ${missing[*]}: $1; install them (Debian/Ubuntu, Fedora, Arch names):" >&2
	printf '%s\n' "${missing_rows[@]}" >&2
	exit 1
}
command -v apt-get >/dev/null 2>&1 || cannot_install "no apt-get here"
[ "$(id -u)" -eq 0 ] || cannot_install "installing needs root (on Debian/Ubuntu: sudo make deps)"
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
