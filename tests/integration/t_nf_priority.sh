#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 11 (6): two sessions in one namespace. A netfilter priority another
# BPF program holds is retried next to it; when every priority nstrace tries
# is taken, the hook is skipped with a one-line warning and the session goes
# on. The sessions that hold the priorities are passive traces of the same lab
# (--namespace: only in its host namespace), which arm their netfilter
# observers when they see ICMP: a ping arms them before each run.
. "$(dirname "$0")/lib.sh"
lab="$UNIQ"
on_exit "$NSTRACE" down --lab "$lab"
expect_exit 0 "up --isolated" up --isolated --lab "$lab"

pids=()
kill_holders() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done; pids=(); }
on_exit kill_holders
# hold N: N passive traces holding the first and last priorities of the host's hooks.
hold() {
	local k
	for k in $(seq 1 "$1"); do
		"$NSTRACE" trace --passive --lab "$lab" --namespace "$lab-host" --attach clsact --duration 60 \
			>"$OUT.hold$k" 2>&1 &
		pids+=($!)
		on_exit rm -f "$OUT.hold$k"
		for _ in $(seq 1 100); do grep -q '^watching' "$OUT.hold$k" && break; sleep 0.1; done
		grep -q '^watching' "$OUT.hold$k" || { fail "holder $k started"; cat "$OUT.hold$k"; return 1; }
	done
	ip netns exec "$lab-ns1" ping -c 1 -W 1 10.200.0.2 >/dev/null 2>&1
	sleep 0.5
	pass "$1 other session(s) hold netfilter priorities in $lab-host"
}

hold 1
expect_exit 0 "run while another session holds the priorities" run --lab "$lab" --count 2
expect_out "netfilter observers in every namespace" "netfilter hooks in 3 namespaces"
expect_out "the bridge's FORWARD hook observed" "netfilter FORWARD passed"
expect_no_out "no warning: the next priority was free" "warning"
kill_holders

# Every priority nstrace tries (8 from each end) taken: skipped with a warning, never a failure.
hold 8
expect_exit 0 "run with every priority taken still traces" run --lab "$lab" --count 2
expect_out "warns once per skipped hook" "nstrace: warning: no netfilter observers on IPv4 FORWARD"
expect_out "says why" "Device or resource busy"
expect_out "netfilter observers in the other namespaces" "netfilter hooks in 2 namespaces"
expect_out "replies" "replies: 2/2"
n=$(grep -c "nstrace: warning: no netfilter observers" "$OUT")
[ "$n" -eq 3 ] && pass "one warning per skipped hook (PREROUTING, FORWARD, POSTROUTING)" ||
	fail "$n warnings, expected 3"
kill_holders
expect_exit 0 "down" down --lab "$lab"
expect_no_leftovers "$lab"
