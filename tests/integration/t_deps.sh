#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 9 (4): where 'make deps' cannot install (no apt-get, or not root), it
# names each missing package for Debian/Ubuntu, Fedora and Arch. Emulated
# with an empty PATH: every tool looks missing, and there is no apt-get.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)

env -i PATH=/nonexistent /bin/bash "$top/scripts/deps.sh" >"$OUT" 2>&1
RC=$?
[ $RC -eq 1 ] && pass "deps without apt-get exits 1" || fail "deps without apt-get: exit $RC, expected 1"
expect_out "says why it cannot install" "no apt-get here"
expect_out "names the Debian package" "iputils-ping"
expect_out "names the Fedora package" "Fedora: iputils"
expect_out "names the Arch package" "Arch: iputils"
expect_out "names clang per distro" "clang          Fedora: clang                  Arch: clang"
expect_no_out "installs nothing" "installing:"
