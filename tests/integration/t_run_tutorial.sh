#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 2: the tutorial's topology in the root namespace, traced end to end.
. "$(dirname "$0")/lib.sh"
br="${UNIQ}br"
on_exit "$NSTRACE" down --lab "$UNIQ"

# In the root namespace a lab other than the tutorial's names its ports after itself.
p1="$UNIQ-b1" p2="$UNIQ-b2"
expect_exit 0 "run in the root namespace answers 3/3" run --new --lab "$UNIQ" --bridge "$br"
expect_out "prints the request path" "NS1 (veth-ns1) → $p1 → $br* → $p2 → veth-ns2 (NS2)"
expect_out "prints the reply path" "NS2 (veth-ns2) → $p2 → $br* → $p1 → veth-ns1 (NS1)"
expect_out "shows ARP request" "ARP request who-has 10.200.0.2 tell 10.200.0.1"
expect_out "shows ARP reply" "ARP reply 10.200.0.2 is-at"
expect_out "says the bridge hop was inferred" "* $br: inferred: $p1 and $p2 are its ports"
expect_out "counts replies" "replies: 3/3"
# run attaches clsact filters to its own links: a tcx link waits an RCU grace period to come and to go.
expect_out "uses clsact filters on its own links" "observers: clsact ingress+egress on 5 links"
if grep -q "^lost: " "$OUT"; then fail "no ring buffer loss"; else pass "no ring buffer loss"; fi
for n in 1 2 3; do
	if grep -q "ICMP echo request 10.200.0.1 > 10.200.0.2 id 0x[0-9a-f]* seq $n" "$OUT"; then
		pass "echo request seq $n traced"
	else
		fail "echo request seq $n traced"
	fi
done
expect_no_leftovers "$UNIQ" "run removes its namespaces, links and BPF programs"
if ip link show "$br" >/dev/null 2>&1; then fail "bridge $br removed"; else pass "bridge $br removed"; fi
tc_left=$(tc filter show dev lo ingress 2>/dev/null)
[ -z "$tc_left" ] && pass "no tc filter left on the host" || fail "tc filter left: $tc_left"

# The README's own command, when its default names are free on this machine.
if ip link show br0 >/dev/null 2>&1 || ip link show veth-br1 >/dev/null 2>&1 ||
	ip route | grep -q '^10\.200\.0\.' || ls /run/netns/nstrace-* >/dev/null 2>&1; then
	skip "make run: br0, veth-br1, 10.200.0.0/24 or nstrace-* in use on this machine"
else
	on_exit "$NSTRACE" down --lab nstrace
	(cd "$(dirname "$0")/../.." && make -s run) >"$OUT" 2>&1
	RC=$?
	[ $RC -eq 0 ] && pass "make run exits 0" || fail "make run exits 0 (got $RC)"
	expect_out "make run prints the tutorial path" "NS1 (veth-ns1) → veth-br1 → br0* → veth-br2 → veth-ns2 (NS2)"
	expect_out "make run gets 3/3" "replies: 3/3"
	expect_no_leftovers nstrace "make run leaves nothing behind"
fi
