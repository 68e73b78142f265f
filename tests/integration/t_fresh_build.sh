#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 9: one 'make run' (and one 'make test') on a machine without the
# build packages builds and runs. Emulated without touching this machine's
# packages: a pkg-config that knows no package until a stand-in for 'deps'
# has "installed" them, on a fresh copy of the tree. A Makefile that asked
# pkg-config while it was being read (before deps) links without libbpf and
# fails, as it did on a fresh Debian 12.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
on_exit rm -rf "$tmp"

tar -C "$top" --exclude=./build --exclude=./.git -cf - . | tar -C "$tmp" -xf -
real_pc=$(command -v pkg-config)
cat >"$tmp/fake-pkg-config" <<EOF
#!/bin/sh
# Knows nothing until fake-deps ran, then is the real one.
[ -e "$tmp/installed" ] || exit 1
exec "$real_pc" "\$@"
EOF
cat >"$tmp/fake-deps" <<EOF
#!/bin/sh
case "\$1" in
--check) exec "$top/scripts/deps.sh" --check ;;
*) echo "fake deps: installing"; touch "$tmp/installed" ;;
esac
EOF
chmod +x "$tmp/fake-pkg-config" "$tmp/fake-deps"
mk() { make -C "$tmp" --no-print-directory PKG_CONFIG="$tmp/fake-pkg-config" DEPS="$tmp/fake-deps" "$@"; }

# Before deps: a plain build stops early and names the packages, per distro.
mk all >"$OUT" 2>&1
RC=$?
[ $RC -ne 0 ] && pass "before deps, 'make' refuses (exit $RC)" || fail "before deps, 'make' refuses"
expect_out "names libbpf for Debian" "libbpf-dev"
expect_out "names libbpf for Fedora" "libbpf-devel"
expect_out "names libmnl for Arch" "libmnl"
expect_no_out "stops before compiling anything" "undefined reference"

# One 'make run': deps first, then a build that sees what deps installed.
mk run ARGS=--help >"$OUT" 2>&1
RC=$?
[ $RC -eq 0 ] && pass "one 'make run' on a fresh machine builds and runs (exit 0)" || fail "one 'make run' on a fresh machine: exit $RC"
expect_out "deps ran before the build" "fake deps: installing"
expect_out "the build says how it links libbpf" "libbpf libelf zlib"
expect_out "nstrace ran" "Usage: nstrace run"
expect_no_out "no undefined references" "undefined reference"
[ -x "$tmp/build/nstrace" ] && pass "the binary is build/nstrace" || fail "the binary is build/nstrace"

# The Makefile itself: no pkg-config call while it is read.
if grep -nE '^[A-Z_]+[[:space:]]*:=.*(pkg-config|PKG_CONFIG|wildcard \$\(LIBDIR)' "$tmp/Makefile" >"$OUT"; then
	fail "no flags frozen with := at parse time"
else
	pass "no flags frozen with := at parse time"
fi
