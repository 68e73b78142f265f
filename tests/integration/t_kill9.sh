#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# 'run' killed with SIGKILL mid-probe: its BPF programs go with the process
# (tcx links are not pinned), the lab stays, status shows it, down --lab
# removes it.
. "$(dirname "$0")/lib.sh"

# kill9 MODE LAB RUN-ARGS...
kill9() {
	local mode=$1 lab=$2 pid i left
	shift 2
	on_exit "$NSTRACE" down --lab "$lab"

	"$NSTRACE" run --new --lab "$lab" --count 100 --interval 100 "$@" >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 1 50); do
		[ -e "/run/netns/$lab-ns2" ] && break
		sleep 0.1
	done
	if [ -e "/run/netns/$lab-ns2" ]; then pass "$mode: run made $lab-ns2"; else fail "$mode: run made $lab-ns2 within 5 s"; fi
	sleep 0.5
	if kill -0 "$pid" 2>/dev/null; then pass "$mode: run still probing after 0.5 s"; else fail "$mode: run already gone before kill -9"; fi
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	RC=$?
	[ $RC -eq 137 ] && pass "$mode: run died of SIGKILL" || fail "$mode: run exited $RC, expected 137 (SIGKILL)"

	# The kernel releases the links and programs as the process's files close;
	# allow it a moment, no more.
	for i in $(seq 1 10); do
		left=$(nstrace_progs)
		[ -z "$left" ] && break
		sleep 0.1
	done
	[ -z "$left" ] && pass "$mode: BPF programs gone with the process" ||
		fail "$mode: BPF programs left after SIGKILL: $left"

	run_nst status
	[ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] && pass "$mode: status after SIGKILL (exit $RC)" ||
		fail "$mode: status after SIGKILL: exit $RC, expected 0 or 1"
	expect_out "$mode: status shows the killed run's lab" "lab $lab:"

	expect_exit 0 "$mode: down --lab" down --lab "$lab"
	expect_out "$mode: down names the lab" "$lab"
	expect_no_leftovers "$lab" "$mode: nothing of lab $lab remains"
}

kill9 isolated "$UNIQ" --isolated

# The root-namespace mode: its ports are named after the lab there, so it
# never clashes with another lab in the root namespace.
br="${UNIQ}b"
kill9 root "$UNIQ-r" --bridge "$br" --subnet 10.213.0.0/24
if ip link show "$br" >/dev/null 2>&1; then fail "root: bridge $br removed by down"; else pass "root: bridge $br removed by down"; fi
for p in "$UNIQ-r-b1" "$UNIQ-r-b2"; do
	if ip link show "$p" >/dev/null 2>&1; then fail "root: $p removed by down"; else pass "root: $p removed by down"; fi
done
