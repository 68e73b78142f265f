#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 2: FORWARD DROP in an isolated lab's host namespace, seen through br_netfilter.
. "$(dirname "$0")/lib.sh"
on_exit "$NSTRACE" down --lab "$UNIQ"

expect_exit 0 "up --isolated" up --isolated --lab "$UNIQ"
ip netns exec "$UNIQ-host" iptables -P FORWARD DROP
expect_exit 1 "run exits 1 when FORWARD drops" run --lab "$UNIQ" --count 3
expect_out "replies counted" "replies: 0/3"
expect_out "drop reason and location from the kernel" "NETFILTER_DROP at nft_do_chain"
# Issue 12: the path ends where the drop was, in FORWARD on the way to veth-br2, and never says
# more than the events do.
expect_out "requests end at the bridge, dropped" "path: NS1 (veth-ns1) → veth-br1 → br0*   ✗ dropped"
expect_out "the drop: FORWARD towards veth-br2" "dropped in netfilter FORWARD (host) towards veth-br2: NETFILTER_DROP at nft_do_chain"
expect_no_out "no 'not delivered' next to a known drop" "not delivered"
# The requests never leave veth-br2: no egress line on veth-br2 inside any echo request block.
if awk '/^\[[0-9]+\] ICMP echo request/{inreq=1; next} /^\[/{inreq=0} inreq && /veth-br2 +egress/{found=1} END{exit !found}' "$OUT"; then
	fail "echo requests never leave veth-br2"
else
	pass "echo requests never leave veth-br2"
fi
if awk '/^\[[0-9]+\] ICMP echo request/{inreq=1; next} /^\[/{inreq=0} inreq && /veth-br1 +ingress/{found=1} END{exit !found}' "$OUT"; then
	pass "echo requests seen entering veth-br1"
else
	fail "echo requests seen entering veth-br1"
fi
expect_exit 0 "down" down --lab "$UNIQ"
expect_no_leftovers "$UNIQ"
