#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 12: --explain teaches from the events of a real trace (the cable, the
# flood, the bridge learning a MAC, the neighbour entry resolving, why the
# request waited, br_netfilter's diversion, the drop), and --quiet keeps a
# 200-probe run under 10 lines.
. "$(dirname "$0")/lib.sh"
lab="$UNIQ"
on_exit "$NSTRACE" down --lab "$lab"

# expect_prose DESC TEXT: TEXT in $OUT with its lines joined (prose wraps at 100 columns).
expect_prose() {
	if tr '\n' ' ' <"$OUT" | tr -s ' ' | grep -qF -- "$2"; then pass "$1"; else fail "$1: output lacks '$2'"; fi
}

expect_exit 0 "run --isolated --explain" run --new --isolated --lab "$lab" --count 2 --explain
expect_out "explain section" "explain: what the events show"
expect_prose "the veth pair is a cable" "are the two ends of one veth pair, a virtual cable between two"
expect_prose "the ARP broadcast flooded" "is a broadcast (to ff:ff:ff:ff:ff:ff): br0 flooded it out of every other port (veth-br2)"
expect_prose "and up to the bridge's own stack" "up to its own IP stack"
mac1=$(grep -E "^ +ns1 +veth-ns1 " "$OUT" | grep -oE '([0-9a-f]{2}:){5}[0-9a-f]{2}' | head -n1)
if [ -n "$mac1" ] && grep -qF "br0 learned $mac1 (ns1/veth-ns1) on port veth-br1" "$OUT"; then
	pass "br0 learned ns1's MAC $mac1 on veth-br1 (a br_fdb_update event)"
else
	fail "br0 learned ns1's MAC on veth-br1 (mac '$mac1')"
fi
if grep -qE "ns1's neighbour entry for 10\.200\.0\.2 on veth-ns1 went INCOMPLETE → REACHABLE at [0-9.]+ (µs|ms)" "$OUT"; then
	pass "ns1's neighbour entry INCOMPLETE → REACHABLE (a neigh_update event)"
else
	fail "ns1's neighbour entry INCOMPLETE → REACHABLE"
fi
expect_out "ns2 learned ns1 from the request" "ns2's neighbour entry for 10.200.0.1 on veth-ns2 went NONE → STALE"
expect_prose "why the request waited" "had no MAC for"
expect_prose "br_netfilter's diversion, and what decides it" "Here the sysctl is 1 and br0's option is 0."
expect_out "the tutorial's commands" "ip link add veth-ns1 type veth peer name veth-br1"
expect_out "the tutorial's commands: addresses" "ip addr add 10.200.0.1/24 dev veth-ns1"

# With br_netfilter off, the same explanation says it did not divert: no hooks, no sentence.
expect_exit 0 "up" up --isolated --lab "$lab-n"
on_exit "$NSTRACE" down --lab "$lab-n"
ip netns exec "$lab-n-host" sysctl -qw net.bridge.bridge-nf-call-iptables=0
expect_exit 0 "run --lab with bridge-nf-call-iptables=0" run --lab "$lab-n" --count 1 --explain
expect_no_out "no diversion when both are 0" "crossed the IPv4 hooks"
run_nst down --lab "$lab-n"

# A drop, explained where it happened.
expect_exit 1 "run --break forward-drop --explain" run --new --break forward-drop --lab "$lab-d" --count 1 --explain
on_exit "$NSTRACE" down --lab "$lab-d"
expect_prose "the drop, explained" "entered netfilter FORWARD in host and never left it: a rule or the policy of that chain dropped it"

# --quiet: a 200-probe run says its result in a few lines.
run_nst run --new --isolated --lab "$lab-q" --count 200 --interval 5ms --quiet
on_exit "$NSTRACE" down --lab "$lab-q"
[ "$RC" -eq 0 ] && pass "200 probes --quiet exit 0" || fail "200 probes --quiet: exit $RC"
n=$(wc -l <"$OUT")
[ "$n" -lt 10 ] && pass "200 probes --quiet: $n lines (under 10)" || fail "200 probes --quiet: $n lines"
expect_out "--quiet keeps the replies" "replies: 200/200"
expect_out "--quiet says the drops in one line" "benign ignored"
expect_no_leftovers "$lab-q"

# Notes said once: 20 probes, one inferred-bridge footnote.
run_nst run --new --isolated --lab "$lab-o" --count 20 --interval 5ms
on_exit "$NSTRACE" down --lab "$lab-o"
n=$(grep -c "br0: inferred" "$OUT")
[ "$n" -eq 1 ] && pass "the inferred-bridge note said once in 20 probes" || fail "inferred-bridge note said $n times"
