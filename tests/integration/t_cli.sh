#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 12, terminal and CLI conventions: --version, -v everywhere, one line
# for a bad option, units, one spelling for namespaces, every row of the
# README's exit code table, colour only on a terminal, ASCII without UTF-8,
# lines within 100 columns.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
lab="$UNIQ"
on_exit "$NSTRACE" down --lab "$lab"

expect_exit 0 "--version" --version
if grep -qE '^nstrace [0-9]+\.[0-9]+\.[0-9]+ \(libbpf v?[0-9.]+, event ABI v2\)$' "$OUT"; then pass "--version says nstrace's, libbpf's and the ABI"; else fail "--version line"; fi
for cmd in run up down status exec trace report faults; do
	expect_exit 0 "$cmd -v --help" "$cmd" -v --help
done
expect_exit 2 "a bad option" run --frobnicate
n=$(wc -l <"$OUT")
[ "$n" -le 2 ] && pass "a bad option: $n lines, not the whole help" || fail "a bad option: $n lines"
expect_out "a bad option points at --help" "see '"

# Units: 100ms, 2s, bare numbers in the option's old unit.
expect_exit 2 "--interval 0ms" run --interval 0ms
expect_exit 2 "--interval 5x" run --interval 5x
expect_exit 2 "--interval 11s (over 10s)" run --interval 11s
expect_out "says the units" "like 100ms or 2s"
expect_exit 2 "trace --duration 0" trace --passive --duration 0
expect_exit 2 "trace --duration 25h" trace --passive --duration 25h

# One spelling for namespaces: ns2 or 2, in run, exec and trace.
expect_exit 0 "up" up --isolated --lab "$lab" --namespaces 3
expect_exit 0 "run --from 1 --to ns3 --interval 50ms" run --lab "$lab" --from 1 --to ns3 --count 2 --interval 50ms
expect_out "run names both as nsK" "ns1 (10.200.0.1) → ns3 (10.200.0.3)"
expect_exit 0 "run --from ns2 --to 1 --interval 0.05s" run --lab "$lab" --from ns2 --to 1 --count 1 --interval 0.05s
expect_exit 2 "run --from ns9" run --lab "$lab" --from ns9
expect_exit 2 "run --from nsx" run --lab "$lab" --from nsx
expect_exit 0 "exec 2 (a number for ns2)" exec --lab "$lab" 2 -- true
expect_exit 0 "trace --lab --from ns3" trace --lab "$lab" --from ns3 --to 10.200.0.1 --count 1
expect_out "trace names it ns3" "probes: 1 ICMP echo request(s) ns3 → 10.200.0.1"

# run --lab shows the topology as it is now: an address removed and a port detached by hand.
ip netns exec "$lab-ns1" ip addr flush dev veth-ns1
ip netns exec "$lab-host" ip link set veth-br2 nomaster
run_nst run --lab "$lab" --count 1
[ "$RC" -eq 1 ] && pass "run after hand-made changes exits 1" || fail "run after hand-made changes: exit $RC"
if grep -E "^ +ns1 +veth-ns1 +endpoint +- " "$OUT" | grep -qF "(made with 10.200.0.1/24)"; then pass "topology: ns1 has no address now"; else fail "topology: ns1's address shown as it is now"; fi
if grep -E "^ +host +veth-br2 +port" "$OUT" | grep -qF "no master (made in br0)"; then pass "topology: veth-br2 detached now"; else fail "topology: veth-br2 detached"; fi
run_nst down --lab "$lab"

# The README's exit code table: every row, run for real.
table=$(sed -n '/^### Exit codes/,/^##[^#]/p' "$ROOT/README.md" | sed -n 's/^| \([0-9N]\) |.*/\1/p' | tr '\n' ' ')
[ "$table" = "0 1 2 3 N " ] && pass "README exit code table rows: $table" || fail "README exit code table rows: '$table'"
for code in $table; do
	case $code in
	0) expect_exit 0 "README row 0: every probe answered" run --new --isolated --lab "$lab-e0" --count 1
	   expect_exit 0 "README row 0: other commands done" faults ;;
	1) expect_exit 1 "README row 1: a probe not answered" run --new --break forward-drop --lab "$lab-e1" --count 1 --quiet
	   run_nst up --isolated --lab "$lab-e1"
	   ip netns exec "$lab-e1-ns2" ip link set veth-ns2 down
	   expect_exit 1 "README row 1: status saw a change" status --lab "$lab-e1"
	   run_nst down --lab "$lab-e1" ;;
	2) expect_exit 2 "README row 2: a bad value" run --count 0
	   expect_exit 2 "README row 2: a lab that does not exist" down --lab "$lab-none"
	   expect_exit 2 "README row 2: a file that is not a record" report /etc/hostname ;;
	3) run_nst up --isolated --lab "$lab-e3"
	   on_exit "$NSTRACE" down --lab "$lab-e3"
	   expect_exit 3 "README row 3: a name already taken (up twice)" up --isolated --lab "$lab-e3"
	   run_nst down --lab "$lab-e3"
	   setpriv --reuid=65534 --regid=65534 --clear-groups "$NSTRACE" run >"$OUT" 2>&1
	   [ $? -eq 3 ] && pass "README row 3: not root (exit 3)" || fail "README row 3: not root"
	   expect_exit 3 "README row 3: an output file that cannot be written" run --new --isolated --lab "$lab-e3" --pcap /nonexistent/x.pcapng ;;
	N) run_nst up --isolated --lab "$lab-en"
	   on_exit "$NSTRACE" down --lab "$lab-en"
	   expect_exit 7 "README row N: exec gives the command's exit code" exec --lab "$lab-en" ns1 -- sh -c 'exit 7'
	   run_nst down --lab "$lab-en" ;;
	*) fail "README exit code $code has no check here" ;;
	esac
done
expect_no_leftovers "$lab-e0"

# Colour only on a terminal; NO_COLOR and --no-color turn it off.
script -qec "$NSTRACE run --new --isolated --lab $lab-c --count 1 --quiet" /dev/null >"$OUT" 2>&1
grep -q $'\033\\[' "$OUT" && pass "colour on a terminal" || fail "colour on a terminal"
script -qec "NO_COLOR=1 $NSTRACE run --new --isolated --lab $lab-c --count 1 --quiet" /dev/null >"$OUT" 2>&1
grep -q $'\033\\[' "$OUT" && fail "NO_COLOR: no colour" || pass "NO_COLOR: no colour"
script -qec "$NSTRACE run --new --isolated --lab $lab-c --count 1 --quiet --no-color" /dev/null >"$OUT" 2>&1
grep -q $'\033\\[' "$OUT" && fail "--no-color: no colour" || pass "--no-color: no colour"
run_nst run --new --isolated --lab "$lab-c" --count 1 --quiet
grep -q $'\033\\[' "$OUT" && fail "not a terminal: no colour" || pass "not a terminal: no colour"

# ASCII when the locale is not UTF-8; every line within 100 columns either way.
LC_ALL=C "$NSTRACE" run --new --break forward-drop --lab "$lab-a" --count 2 --explain >"$OUT" 2>&1
n=$(tr -d '\000-\177' <"$OUT" | wc -c)
[ "$n" -eq 0 ] && pass "LC_ALL=C: ASCII only" || fail "LC_ALL=C: $n bytes outside ASCII"
expect_out "LC_ALL=C: arrows as ->" "NS1 (veth-ns1) -> veth-br1 -> br0*   x dropped"
expect_out "LC_ALL=C: us for µs" " us  ns1"
w=$(LC_ALL=C wc -L <"$OUT")
[ "$w" -le 100 ] && pass "LC_ALL=C: widest line $w columns" || fail "LC_ALL=C: widest line $w columns"
LC_ALL=C.UTF-8 "$NSTRACE" run --new --break forward-drop --lab "$lab-a" --count 2 --explain >"$OUT" 2>&1
w=$(LC_ALL=C.UTF-8 wc -L <"$OUT")
[ "$w" -le 100 ] && pass "UTF-8: widest line $w columns" || fail "UTF-8: widest line $w columns"
expect_no_leftovers "$lab-a"
