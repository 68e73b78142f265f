#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# 'run' killed with SIGKILL mid-probe: the lab stays, status shows it, down
# --lab removes it, and nothing is left. run attaches clsact filters to the
# lab's own links (a tcx link costs an RCU grace period to come and to go):
# those stay with the lab until down removes its links; every other program
# (drops, netfilter) goes with the process. With --attach tcx every program
# goes with the process.
. "$(dirname "$0")/lib.sh"

# kill9 MODE LAB RUN-ARGS...
kill9() {
	local mode=$1 lab=$2 pid i left tcx=0
	shift 2
	case " $* " in *" --attach tcx "*) tcx=1 ;; esac
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

	# The kernel releases the links and programs as the process's files close
	# (tracing programs after an RCU tasks-trace grace period); allow it 2 s.
	# What clsact filters hold stays on the lab's links until down.
	for i in $(seq 1 20); do
		left=$(nstrace_progs)
		[ "$tcx" -eq 0 ] && left=$(echo "$left" | while read -r _ _ id; do
			[ -n "$id" ] && bpftool prog show id "$id" 2>/dev/null | grep -qE ' name tc_(ingress|egress) ' ||
				echo "$id"; done)
		[ -z "$left" ] && break
		sleep 0.1
	done
	if [ "$tcx" -eq 1 ]; then
		[ -z "$left" ] && pass "$mode: BPF programs gone with the process" ||
			fail "$mode: BPF programs left after SIGKILL: $left"
	else
		[ -z "$left" ] && pass "$mode: only the tc filters on the lab's own links outlive the process" ||
			fail "$mode: programs other than the lab's tc filters left after SIGKILL: $left"
	fi

	run_nst status
	[ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] && pass "$mode: status after SIGKILL (exit $RC)" ||
		fail "$mode: status after SIGKILL: exit $RC, expected 0 or 1"
	expect_out "$mode: status shows the killed run's lab" "lab $lab:"

	expect_exit 0 "$mode: down --lab" down --lab "$lab"
	expect_out "$mode: down names the lab" "$lab"
	expect_no_leftovers "$lab" "$mode: nothing of lab $lab remains"
}

kill9 isolated "$UNIQ" --isolated
kill9 isolated-tcx "$UNIQ-t" --isolated --attach tcx

# The root-namespace mode: its ports are named after the lab there, so it
# never clashes with another lab in the root namespace.
br="${UNIQ}b"
kill9 root "$UNIQ-r" --bridge "$br" --subnet 10.213.0.0/24
if ip link show "$br" >/dev/null 2>&1; then fail "root: bridge $br removed by down"; else pass "root: bridge $br removed by down"; fi
for p in "$UNIQ-r-b1" "$UNIQ-r-b2"; do
	if ip link show "$p" >/dev/null 2>&1; then fail "root: $p removed by down"; else pass "root: $p removed by down"; fi
done
