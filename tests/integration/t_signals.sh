#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 2: Ctrl-C or SIGTERM in the middle of a run still removes everything.
# Issue 12: the exit code says whether the probes sent were answered: 0 when
# all were (a working lab, stopped early), 1 when one was not.
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
	if grep -qE '^replies: ([1-9][0-9]*)/\1( |$)' "$OUT"; then want=0; else want=1; fi
	[ "$rc" -eq "$want" ] && pass "SIG$sig: exit $want, as the replies line says" ||
		fail "SIG$sig: exit $rc, expected $want ($(grep '^replies' "$OUT"))"
	expect_out "SIG$sig: says it was interrupted" "interrupted, removing the lab"
	expect_out "SIG$sig: still reports what it saw" "replies: "
	expect_no_leftovers "$lab" "SIG$sig: nothing left"
done

# Ctrl-C during a long --interval: the wait for replies looks at the signal
# every 50 ms, so the run ends long before the 10 s interval would (the bound
# below is most of one interval, not a speed claim).
lab="$UNIQ-w"
on_exit "$NSTRACE" down --lab "$lab"
"$NSTRACE" run --new --isolated --lab "$lab" --count 3 --interval 10000 >"$OUT" 2>&1 &
p=$!
for _ in $(seq 1 50); do grep -q '^probes\|^observers' "$OUT" && holds_bpf "$p" && break; sleep 0.1; done
sleep 0.5
kill -INT "$p"
for _ in $(seq 1 80); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$p" 2>/dev/null; then
	fail "SIGINT during a 10 s --interval: still running 8 s later"
	wait "$p"
else
	wait "$p"
	pass "SIGINT during a 10 s --interval: ended within the interval (exit $?)"
fi
expect_out "interval: says it was interrupted" "interrupted, removing the lab"
expect_no_leftovers "$lab" "interval: nothing left"
