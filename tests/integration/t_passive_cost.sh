#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 10: passive mode observes each hop once (tc ingress; a veth pair is a
# cable) and still shows whole paths; its filters act in the BPF programs
# (filtered-out packets make no event); --stats shows the kernel's run counts.
# Issue 11 (9): lost events are counted and reported with what to do, under
# an ICMP flood.
. "$(dirname "$0")/lib.sh"
lab="$UNIQ"
on_exit "$NSTRACE" down --lab "$lab"
expect_exit 0 "up --isolated" up --isolated --lab "$lab"
ns1="$lab-ns1" ns2="$lab-ns2" ns3=""

# passive ARGS...: a passive trace of the lab for 2 s while ns1 pings ns2 (5 echo requests).
passive() {
	"$NSTRACE" trace --passive --lab "$lab" --duration 2 "$@" >"$OUT" 2>&1 &
	local pid=$!
	for _ in $(seq 1 50); do grep -q '^watching' "$OUT" && break; sleep 0.1; done
	ip netns exec "$ns1" ping -c 5 -i 0.1 -W 1 -q 10.200.0.2 >/dev/null 2>&1
	wait $pid
	RC=$?
}

passive --stats
[ $RC -eq 0 ] && pass "passive: every echo request answered (exit 0)" || fail "passive: exit $RC"
expect_out "passive: one hook per hop" "observers: tcx ingress on 5 links"
expect_out "passive: netfilter observers while ICMP is seen" "netfilter hooks in 3 namespaces while ICMP is seen"
expect_out "passive: whole request path from ingress alone" \
	"path: NS1 (veth-ns1) → veth-br1 → br0* → veth-br2 → veth-ns2 (NS2)"
expect_out "passive: whole reply path" "path: NS2 (veth-ns2) → veth-br2 → br0* → veth-br1 → veth-ns1 (NS1)"
expect_no_out "passive: no egress hook" " egress"
expect_out "passive --stats: header" "stats: BPF_ENABLE_STATS"
if grep -qE '^  tc_ingress +[0-9]+ cop(y|ies) +[1-9][0-9]* runs' "$OUT"; then
	pass "passive --stats: tc_ingress ran"
else
	fail "passive --stats: tc_ingress ran"
fi

passive --proto arp
expect_no_out "--proto arp: no ICMP event" "ICMP echo"
passive --host 10.200.0.99
expect_no_out "--host 10.200.0.99: no packet of .1 and .2" "ICMP echo request 10.200.0.1"
expect_no_out "--host 10.200.0.99: no ARP of .1 and .2" "ARP request who-has"
expect_out "--host: an empty trace still ends" "summary: 0 flows, 0 echo requests"
# Two ping sessions with ids of their own (ping -e): --icmp-id keeps one.
"$NSTRACE" trace --passive --lab "$lab" --duration 2 --icmp-id 4660 >"$OUT" 2>&1 &
pid=$!
for _ in $(seq 1 50); do grep -q '^watching' "$OUT" && break; sleep 0.1; done
ip netns exec "$ns1" ping -e 4660 -c 3 -i 0.1 -W 1 -q 10.200.0.2 >/dev/null 2>&1
ip netns exec "$ns1" ping -e 4661 -c 3 -i 0.1 -W 1 -q 10.200.0.2 >/dev/null 2>&1
wait $pid
expect_out "--icmp-id 4660: its echo requests" "id 0x1234 seq 3"
expect_no_out "--icmp-id 4660: not the other session's" "id 0x1235"
passive --interface veth-br2 --proto icmp
expect_out "--interface: one link observed" "observers: tcx ingress on 1 links"
expect_no_out "--interface veth-br2: nothing seen at veth-br1" "veth-br1     ingress"
if grep '^verdict:' "$OUT" | grep -qv '(inconclusive)$'; then
	fail "--interface: part of the path is no conclusive verdict"
else
	pass "--interface: part of the path is no conclusive verdict"
fi
expect_exit 2 "--interface that matches nothing" trace --passive --lab "$lab" --interface nosuchif --duration 1
expect_exit 2 "--proto needs arp or icmp" trace --passive --lab "$lab" --proto udp
expect_exit 2 "filters go with --passive" trace --lab "$lab" --from ns1 --to 10.200.0.2 --host 10.200.0.2

# A flood through a 4 KiB ring buffer: events are lost, counted and reported with what to do.
flood() { ip netns exec "$ns1" ping -f -c "$1" -q 10.200.0.2 >/dev/null 2>&1; }
"$NSTRACE" trace --passive --lab "$lab" --duration 2 --buffer 4 >"$OUT" 2>&1 &
pid=$!
for _ in $(seq 1 50); do grep -q '^watching' "$OUT" && break; sleep 0.1; done
flood 20000
wait $pid
expect_out "tiny buffer: loss counted" "lost (ring buffer full"
expect_out "tiny buffer: what to do" "rerun with --buffer 16, or trace less (--host, --icmp-id, --proto, --interface)"
# Nothing is wrong in this lab: a lost event must not read as a packet that died.
if grep '^verdict:' "$OUT" | grep -qv '(inconclusive)$'; then
	fail "tiny buffer: no conclusive verdict from a lossy trace (got: $(grep '^verdict:' "$OUT" | head -n1))"
else
	pass "tiny buffer: no conclusive verdict from a lossy trace"
fi

# The same flood with the default buffer: no loss, or a loss that is reported.
"$NSTRACE" trace --passive --lab "$lab" --duration 2 >"$OUT" 2>&1 &
pid=$!
for _ in $(seq 1 50); do grep -q '^watching' "$OUT" && break; sleep 0.1; done
flood 20000
wait $pid
if grep -q "^lost: " "$OUT"; then
	expect_out "default buffer under a flood: the loss is reported with what to do" "lost: "
else
	expect_no_out "default buffer under a flood: nothing lost, nothing said" "lost: "
	expect_out "default buffer under a flood: the flood was traced" "ICMP echo request 10.200.0.1 > 10.200.0.2"
fi
expect_exit 0 "down" down --lab "$lab"
expect_no_leftovers "$lab"
