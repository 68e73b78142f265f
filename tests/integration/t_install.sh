#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 12: 'make install' puts the binary, the man page nstrace(8) and the
# bash completion under DESTDIR/PREFIX; 'make uninstall' takes them away.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
D=$(mktemp -d)
on_exit rm -rf "$D"

make -s -C "$ROOT" install DESTDIR="$D" PREFIX=/usr >"$OUT" 2>&1 && pass "make install DESTDIR PREFIX=/usr" || fail "make install"
bin="$D/usr/sbin/nstrace" man="$D/usr/share/man/man8/nstrace.8" comp="$D/usr/share/bash-completion/completions/nstrace"
[ -x "$bin" ] && pass "binary installed, executable" || fail "binary installed"
[ -f "$man" ] && [ "$(stat -c %a "$man")" = 644 ] && pass "man page installed, mode 644" || fail "man page installed"
[ -f "$comp" ] && pass "bash completion installed" || fail "bash completion installed"
"$bin" --version >"$OUT" 2>&1 && expect_out "installed binary runs" "nstrace "

# The man page renders and says what a user looks for.
MANWIDTH=100 man -l "$man" >"$OUT" 2>&1 && pass "man -l renders nstrace(8)" || fail "man -l renders nstrace(8)"
for s in "NSTRACE(8)" "EXIT STATUS" "--pcap FILE" "--explain" "NO_COLOR" "comm:PID" "nstrace report"; do
	expect_out "man page: $s" "$s"
done
ver=$(sed -n 's/^#define NSTRACE_VERSION "\(.*\)"/\1/p' "$ROOT/user/cli/version.h")
grep -q "\"nstrace $ver\"" "$man" && pass "man page version is the binary's ($ver)" || fail "man page version is not $ver"

# The completion completes: commands, a command's options, fault names.
complete_words() { # WORDS...: what the completion offers for the last word
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _nstrace; printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@"
}
complete_words nstrace r | grep -qx run && complete_words nstrace r | grep -qx report &&
	pass "completion: commands" || fail "completion: commands"
complete_words nstrace run --p | grep -qx -- --pcap && pass "completion: run's options" || fail "completion: run's options"
complete_words nstrace trace --pass | grep -qx -- --passive && pass "completion: trace's options" || fail "completion: trace's options"
PATH="$(dirname "$bin"):$PATH" complete_words nstrace run --break forward | grep -qx forward-drop &&
	pass "completion: fault names from 'nstrace faults'" || fail "completion: fault names"

make -s -C "$ROOT" uninstall DESTDIR="$D" PREFIX=/usr >"$OUT" 2>&1 && pass "make uninstall" || fail "make uninstall"
left=$(find "$D" -type f)
[ -z "$left" ] && pass "uninstall removes all three" || fail "uninstall left: $left"
