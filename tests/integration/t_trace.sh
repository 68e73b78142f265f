#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 5: trace a docker0-like topology built with plain ip, never by nstrace:
# bridge dock0 172.18.0.1/16 in a namespace of the test's own, three named
# "containers" with eth0 inside, and a fourth reachable only by PID.
. "$(dirname "$0")/lib.sh"
H="$UNIQ-dh"
br=dock0

ip netns add "$H"
on_exit ip netns del "$H"
ip netns exec "$H" ip link set lo up
ip netns exec "$H" ip link add "$br" type bridge
ip netns exec "$H" ip addr add 172.18.0.1/16 dev "$br"
ip netns exec "$H" ip link set "$br" up
for i in 1 2 3; do
	c="$UNIQ-c$i"
	ip netns add "$c"
	on_exit ip netns del "$c"
	ip netns exec "$H" ip link add "veth${i}a$$" type veth peer name eth0 netns "$c"
	ip netns exec "$H" ip link set "veth${i}a$$" master "$br" up
	ip netns exec "$c" ip addr add "172.18.0.$((i + 1))/16" dev eth0
	ip netns exec "$c" ip link set eth0 up
	ip netns exec "$c" ip link set lo up
done
unshare --net sleep 600 &
pid=$!
on_exit kill "$pid"
sleep 0.3
ip netns exec "$H" ip link add "veth4a$$" type veth peer name eth0 netns "$pid"
ip netns exec "$H" ip link set "veth4a$$" master "$br" up
nsenter -t "$pid" -n ip addr add 172.18.0.5/16 dev eth0
nsenter -t "$pid" -n ip link set eth0 up

snapshot() {
	for n in "$H" "$UNIQ-c1" "$UNIQ-c2" "$UNIQ-c3"; do
		ip netns exec "$n" ip -d link show | grep -v -e 'timer' -e 'link/ether' -e 'prog/'
		ip netns exec "$n" ip addr show | sed "s/ tentative//"
		ip netns exec "$n" sysctl -n net.ipv4.icmp_echo_ignore_all 2>/dev/null
	done
	ip netns exec "$H" bridge link show
	ip netns exec "$H" iptables -S
	nsenter -t "$pid" -n ip -d link show | grep -v -e 'timer' -e 'prog/'
	nsenter -t "$pid" -n ip addr show | sed "s/ tentative//"
}
before=$(snapshot)

expect_exit 0 "trace --from a named namespace" trace --from "$UNIQ-c1" --to 172.18.0.3
expect_out "discovers the bridge" "discovered: bridge $br in $H with 4 ports"
if grep -qE "eth0 +endpoint +172\.18\.0\.5/16" "$OUT"; then pass "finds the PID-only namespace"; else fail "finds the PID-only namespace"; fi
expect_out "prints the full request path" "$UNIQ-c1 (eth0) → veth1a$$ → $br* → veth2a$$ → eth0 ($UNIQ-c2)"
expect_out "prints the full reply path" "$UNIQ-c2 (eth0) → veth2a$$ → $br* → veth1a$$ → eth0 ($UNIQ-c1)"
expect_out "3/3 replies" "replies: 3/3"
expect_no_out "no verdict when healthy" "verdict:"

expect_exit 0 "trace --from a PID" trace --from "$pid" --to 172.18.0.2
# A namespace reached by PID is named by its process (issue 12): comm:PID.
expect_out "path from the PID namespace" "sleep:$pid (eth0) → veth4a$$ → $br* → veth1a$$ → eth0 ($UNIQ-c1)"
expect_exit 0 "trace --from a namespace file" trace --from "/run/netns/$UNIQ-c3" --to 172.18.0.5
expect_out "path to the PID namespace" "→ eth0 (sleep:$pid)"

# Passive: the test's own ping in a container namespace.
(sleep 1.5; ip netns exec "$UNIQ-c2" ping -c 3 -i 0.2 -W 1 172.18.0.4 >/dev/null 2>&1) &
pinger=$!
expect_exit 0 "trace --passive" trace --passive --netns "$H" --bridge "$br" --duration 4
for s in 1 2 3; do
	if grep -q "ICMP echo request 172.18.0.3 > 172.18.0.4 id 0x[0-9a-f]* seq $s" "$OUT" &&
		grep -q "ICMP echo reply 172.18.0.4 > 172.18.0.3 id 0x[0-9a-f]* seq $s" "$OUT"; then
		pass "passive: echo seq $s request and reply"
	else
		fail "passive: echo seq $s request and reply"
	fi
done
expect_out "passive: request path" "$UNIQ-c2 (eth0) → veth2a$$ → $br* → veth3a$$ → eth0 ($UNIQ-c3)"
expect_out "passive: reply path" "$UNIQ-c3 (eth0) → veth3a$$ → $br* → veth2a$$ → eth0 ($UNIQ-c2)"
wait "$pinger"

after=$(snapshot)
if [ "$before" = "$after" ]; then pass "nothing in the topology changed"; else diff <(echo "$before") <(echo "$after") >"$OUT"; fail "topology changed"; fi
[ -z "$(nstrace_progs)" ] && pass "no observer left after trace" || fail "observers left: $(nstrace_progs)"

# A fault made by the test: FORWARD DROP with br_netfilter on (1 by default in a new namespace).
ip netns exec "$H" iptables -P FORWARD DROP
expect_exit 1 "trace with FORWARD DROP exits 1" trace --from "$UNIQ-c1" --to 172.18.0.3 --count 2
expect_out "same verdict as run" "verdict: br-netfilter-iptables-drop"
expect_out "fix names the namespace" "ip netns exec $H sysctl -w net.bridge.bridge-nf-call-iptables=0"
ip netns exec "$H" iptables -P FORWARD ACCEPT

# Someone else's tc program (clsact, cls_bpf) on c3's port drops ICMP to c3:
# nstrace coexists with it, reports its drops as such, and leaves it working,
# also after kill -9.
obj=$(mktemp --suffix=.o)
on_exit rm -f "$obj"
clang -O2 -g -target bpf -I"/usr/include/$(uname -m)-linux-gnu" -c "$(dirname "$0")/foreign_tc.bpf.c" -o "$obj"
ip netns exec "$H" tc qdisc add dev "veth3a$$" clsact
ip netns exec "$H" tc filter add dev "veth3a$$" egress pref 7 bpf da obj "$obj" sec tc
foreign_there() { ip netns exec "$H" tc filter show dev "veth3a$$" egress | grep -q "pref 7 bpf"; }
foreign_works() { ! ip netns exec "$UNIQ-c1" ping -c 1 -W 1 172.18.0.4 >/dev/null 2>&1 &&
	ip netns exec "$UNIQ-c1" ping -c 1 -W 1 172.18.0.3 >/dev/null 2>&1; }
foreign_works && pass "foreign program drops ICMP to c3 before nstrace" || fail "foreign program works before nstrace"
expect_exit 1 "trace through the foreign program exits 1" trace --from "$UNIQ-c1" --to 172.18.0.4 --count 2
expect_out "its drop is reported as a tc drop" "TC_EGRESS"
expect_out "verdict names the tc program" "verdict: tc-program-drop"
expect_exit 0 "other destinations still pass" trace --from "$UNIQ-c1" --to 172.18.0.3 --count 2
foreign_there && pass "foreign filter still there after nstrace exits" || fail "foreign filter gone after nstrace"
foreign_works && pass "foreign program still works after nstrace exits" || fail "foreign program stopped working"
"$NSTRACE" trace --from "$UNIQ-c1" --to 172.18.0.3 --count 100 --interval 100 >/dev/null 2>&1 &
tp=$!
for _ in $(seq 1 50); do holds_bpf "$tp" && break; sleep 0.1; done
sleep 0.5
kill -9 "$tp"
wait "$tp" 2>/dev/null
sleep 0.3
[ -z "$(nstrace_progs)" ] && pass "kill -9: no observer left" || fail "kill -9: observers left"
foreign_there && pass "kill -9: foreign filter still there" || fail "kill -9: foreign filter gone"
foreign_works && pass "kill -9: foreign program still works" || fail "kill -9: foreign program stopped working"
ip netns exec "$H" tc qdisc del dev "veth3a$$" clsact

# A port whose peer lives in a namespace with no name and no process (held by a
# bind mount outside /run/netns): said as unresolved, the rest still traced.
held=$(mktemp)
on_exit rm -f "$held"
on_exit umount "$held"
unshare --net sleep 30 &
gp=$!
sleep 0.3
mount --bind "/proc/$gp/ns/net" "$held"
ip netns exec "$H" ip link add "veth5a$$" type veth peer name eth0 netns "$gp"
ip netns exec "$H" ip link set "veth5a$$" master "$br" up
kill "$gp"
wait "$gp" 2>/dev/null
expect_exit 0 "trace with an unresolvable port" trace --from "$UNIQ-c1" --to 172.18.0.3 --count 1
expect_out "says what it cannot resolve" "unresolved: port veth5a$$: its peer is in a namespace with no name and no process"
expect_out "still traces the rest" "replies: 1/1"
ip netns exec "$H" ip link del "veth5a$$"

# An nstrace lab traced with --lab: nsK names and the lab's own bridge.
on_exit "$NSTRACE" down --lab "$UNIQ-l"
run_nst up --isolated --lab "$UNIQ-l" --namespaces 3
expect_exit 0 "trace --lab --from ns1" trace --lab "$UNIQ-l" --from ns1 --to 10.200.0.3 --count 2
# One spelling for a lab's namespaces (issue 12): ns1, as run says it.
expect_out "trace --lab path" "NS1 (veth-ns1) → veth-br1 → br0* → veth-br3 → veth-ns3 (NS3)"
expect_exit 0 "trace --lab --from 1 (a number for ns1)" trace --lab "$UNIQ-l" --from 1 --to 10.200.0.2 --count 1
expect_out "trace --lab --from 1 path" "NS1 (veth-ns1) → veth-br1 → br0* → veth-br2 → veth-ns2 (NS2)"
expect_exit 2 "trace --lab with an unknown nsK" trace --lab "$UNIQ-l" --from ns9 --to 10.200.0.3
run_nst down --lab "$UNIQ-l"

# A source that cannot send and has nothing to trace: the answer is "no", exit 1, not a usage error.
ip netns add "$UNIQ-lonely"
on_exit ip netns del "$UNIQ-lonely"
ip -n "$UNIQ-lonely" link set lo up
expect_exit 1 "trace from a namespace with no route and no veth" trace --from "$UNIQ-lonely" --to 172.18.0.3
expect_out "says it has no route" "has no route to 172.18.0.3 (Network is unreachable)"

# Bad input.
expect_exit 2 "trace without --from/--to" trace
expect_exit 2 "trace --to not an address" trace --from "$UNIQ-c1" --to 172.18.0
expect_exit 2 "trace from an unknown namespace" trace --from "$UNIQ-nope" --to 172.18.0.3
expect_exit 2 "trace --passive with --from" trace --passive --from "$UNIQ-c1"
expect_exit 2 "passive, no such bridge" trace --passive --netns "$H" --bridge nosuchbr --duration 1
# Only the source's routes know a subnet's broadcast address and its own addresses.
expect_exit 2 "trace --to the source subnet's broadcast address" trace --from "$UNIQ-c1" --to 172.18.255.255
expect_out "says it is a broadcast address" "--to 172.18.255.255 is a broadcast address for $UNIQ-c1"
expect_exit 2 "trace --to the source's own address" trace --from "$UNIQ-c1" --to 172.18.0.2
expect_out "says it is the source's own" "--to 172.18.0.2 is an address of $UNIQ-c1 (its routes say so)"
