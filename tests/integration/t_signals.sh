#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 2: Ctrl-C or SIGTERM in the middle of a run still removes everything.
. "$(dirname "$0")/lib.sh"

for sig in INT TERM HUP; do
	lab="$UNIQ-$(echo "$sig" | tr 'A-Z' 'a-z')"
	on_exit "$NSTRACE" down --lab "$lab"
	"$NSTRACE" run --new --isolated --lab "$lab" --count 200 --interval 100 >"$OUT" 2>&1 &
	p=$!
	for _ in $(seq 1 50); do [ -e "/run/netns/$lab-ns2" ] && holds_bpf "$p" && break; sleep 0.1; done
	sleep 0.5
	kill -"$sig" "$p"
	wait "$p"
	rc=$?
	[ "$rc" -eq 1 ] && pass "SIG$sig: exit 1 (not every probe answered)" || fail "SIG$sig: exit $rc, expected 1"
	expect_out "SIG$sig: says it was interrupted" "interrupted, removing the lab"
	expect_out "SIG$sig: still reports what it saw" "replies: "
	expect_no_leftovers "$lab" "SIG$sig: nothing left"
done
