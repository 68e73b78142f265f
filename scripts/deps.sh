#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Installs what nstrace needs to build and test, only what is missing.
# Debian/Ubuntu only; idempotent.
set -euo pipefail

# package:command-or-file that proves it is installed
needs=(
	"clang:clang"
	"llvm:llvm-strip"
	"make:make"
	"gcc:gcc"
	"pkg-config:pkg-config"
	"libbpf-dev:/usr/include/bpf/libbpf.h"
	"bpftool:bpftool"
	"libelf-dev:/usr/include/libelf.h"
	"zlib1g-dev:/usr/include/zlib.h"
	"libmnl-dev:/usr/include/libmnl/libmnl.h"
	"iproute2:ip"
	"iptables:iptables"
	"arptables:arptables"
	"iputils-ping:ping"
	"procps:sysctl"
	"util-linux:unshare"
)

present() {
	case "$1" in
	/*) [ -e "$1" ] ;;
	*) command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ] ;;
	esac
}

missing=()
for n in "${needs[@]}"; do
	present "${n#*:}" || missing+=("${n%%:*}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "nstrace: missing packages: ${missing[*]}: no apt-get here (install their equivalents by hand)" >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "nstrace: missing packages: ${missing[*]}: installing needs root (run: sudo make deps)" >&2
	exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
