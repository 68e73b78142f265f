#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 11, big labs and concurrency: two runs building their own labs and a
# trace of a third lab, all at the same time, all succeed, and all three
# were observing at one moment (not one after the other).
. "$(dirname "$0")/lib.sh"
a="$UNIQ-a" b="$UNIQ-b" c="$UNIQ-c"
for l in "$a" "$b" "$c"; do on_exit "$NSTRACE" down --lab "$l"; done
oa=$(mktemp) ob=$(mktemp) oc=$(mktemp)
on_exit rm -f "$oa" "$ob" "$oc"

expect_exit 0 "up --isolated the lab to trace" up --isolated --lab "$c" --namespaces 3
"$NSTRACE" run --new --isolated --lab "$a" --count 20 --interval 100 >"$oa" 2>&1 &
pa=$!
"$NSTRACE" run --new --isolated --lab "$b" --namespaces 3 --from 3 --to 1 --count 20 --interval 100 >"$ob" 2>&1 &
pb=$!
"$NSTRACE" trace --lab "$c" --from ns2 --to 10.200.0.3 --count 20 --interval 100 >"$oc" 2>&1 &
pc=$!
together=0
for _ in $(seq 1 100); do
	holds_bpf "$pa" && holds_bpf "$pb" && holds_bpf "$pc" && together=1 && break
	sleep 0.05
done
[ $together -eq 1 ] && pass "the two runs and the trace observed at the same time" ||
	fail "the two runs and the trace never observed at the same time"
for p in "a:$pa:$oa" "b:$pb:$ob" "c:$pc:$oc"; do
	IFS=: read -r n pid out <<<"$p"
	wait "$pid"
	rc=$?
	cp "$out" "$OUT"
	[ $rc -eq 0 ] && pass "$n: exit 0" || fail "$n: exit $rc"
	expect_out "$n: every probe answered" "replies: 20/20"
done
expect_no_leftovers "$a" "run a removed its lab"
expect_no_leftovers "$b" "run b removed its lab"
expect_exit 0 "the traced lab is intact" status --lab "$c"
expect_exit 0 "down the traced lab" down --lab "$c"
expect_no_leftovers "$c"
