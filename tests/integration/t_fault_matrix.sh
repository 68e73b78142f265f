#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 8: faults on every layer, made by hand with plain ip, bridge, sysctl,
# tc, iptables, nft, arptables and ebtables on a docker0-like topology that
# nstrace did not build, then traced with 'nstrace trace'. Each fault case
# asserts the exit code and the verdict id, pastes the printed fix into a
# shell and asserts the ping then succeeds. Healthy topologies carrying
# unrelated rules and unusual-but-harmless settings must give no verdict.
#   tests/run.sh fault_matrix            every case
#   MATRIX=port-down tests/run.sh fault_matrix   cases whose name has that
. "$(dirname "$0")/lib.sh"

NET=10.77.0
DST=$NET.2
FOREIGN_OBJ=""

# The topology of one case: bridge br0 (NET.254/24) in namespace $H, and
# endpoints $A (.1), $B (.2), $C (.3), each eth0 behind a veth vX on br0.
mk() {
	local x n=1
	ip netns add "$H" && on_exit ip netns del "$H"
	ip -n "$H" link set lo up
	ip -n "$H" link add br0 type bridge
	ip -n "$H" addr add "$NET.254/24" dev br0
	ip -n "$H" link set br0 up
	for x in a b c; do
		ip netns add "$P-$x" && on_exit ip netns del "$P-$x"
		ip -n "$P-$x" link set lo up
		ip -n "$H" link add "v$x" type veth peer name eth0 netns "$P-$x"
		ip -n "$H" link set "v$x" master br0 up
		ip -n "$P-$x" addr add "$NET.$n/24" dev eth0
		ip -n "$P-$x" link set eth0 up
		n=$((n + 1))
	done
}

# A router $R on the bridge (NET.253) leading to a second network 10.78.0.0/24
# where $T (10.78.0.2) lives; $A routes there via the router.
mk_routed() {
	ip netns add "$R" && on_exit ip netns del "$R"
	ip netns add "$T" && on_exit ip netns del "$T"
	ip -n "$R" link set lo up
	ip -n "$T" link set lo up
	ip -n "$H" link add vr type veth peer name eth0 netns "$R"
	ip -n "$H" link set vr master br0 up
	ip -n "$R" addr add "$NET.253/24" dev eth0
	ip -n "$R" link set eth0 up
	ip -n "$R" link add eth1 type veth peer name eth0 netns "$T"
	ip -n "$R" addr add 10.78.0.1/24 dev eth1
	ip -n "$R" link set eth1 up
	ip -n "$T" addr add 10.78.0.2/24 dev eth0
	ip -n "$T" link set eth0 up
	ip -n "$T" route add default via 10.78.0.1
	ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
	ip -n "$A" route add 10.78.0.0/24 via "$NET.253"
}

# The commands printed under "  fix:" (before the note line), one per line.
# wanted NAME: whether MATRIX (a substring filter) selects this case.
wanted() { [ -z "${MATRIX:-}" ] || [[ "$1" == *"$MATRIX"* ]]; }

# new_lab [ROUTED]: fresh names for the next case and its lab, built.
new_lab() {
	i=$((i + 1))
	P="$UNIQ-$i" H="$UNIQ-$i-h" A="$UNIQ-$i-a" B="$UNIQ-$i-b" C="$UNIQ-$i-c" R="$UNIQ-$i-r" T="$UNIQ-$i-t"
	mk >/dev/null 2>&1
	[ -n "${1:-}" ] && mk_routed >/dev/null 2>&1
	return 0
}

# drop_lab: delete exactly the namespaces new_lab made.
drop_lab() { for n in "$H" "$A" "$B" "$C" "$R" "$T"; do ip netns del "$n" 2>/dev/null; done; return 0; }

# pings DST: one echo answered within three tries. A neighbour entry the trace
# left INCOMPLETE keeps failing sends until its probes run out (3 s), even
# after the fix: a user would ping again too.
pings() {
	local try
	for try in 1 2 3; do
		ip netns exec "$A" ping -c 1 -W 2 "$1" >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}

printed_fix() {
	awk '/^  fix:$/ { on = 1; next } on && /^      \(/ { exit } on && /^    / { sub(/^    /, ""); print }' "$OUT"
}

i=0
# Docker's FORWARD rules for a bridge (br0 standing for docker0), as dockerd writes them;
# docker_rules broken: without the rule that accepts traffic within the bridge.
docker_rules() {
	ip netns exec "$H" sh -c "
		iptables -N DOCKER && iptables -N DOCKER-ISOLATION-STAGE-1 && iptables -N DOCKER-ISOLATION-STAGE-2 &&
		iptables -N DOCKER-USER && iptables -P FORWARD DROP &&
		iptables -A FORWARD -j DOCKER-USER && iptables -A FORWARD -j DOCKER-ISOLATION-STAGE-1 &&
		iptables -A FORWARD -o br0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT &&
		iptables -A FORWARD -o br0 -j DOCKER && iptables -A FORWARD -i br0 ! -o br0 -j ACCEPT &&
		{ [ '${1:-}' = broken ] || iptables -A FORWARD -i br0 -o br0 -j ACCEPT; } &&
		iptables -A DOCKER-ISOLATION-STAGE-1 -i br0 ! -o br0 -j DOCKER-ISOLATION-STAGE-2 &&
		iptables -A DOCKER-ISOLATION-STAGE-1 -j RETURN &&
		iptables -A DOCKER-ISOLATION-STAGE-2 -o br0 -j DROP && iptables -A DOCKER-ISOLATION-STAGE-2 -j RETURN &&
		iptables -A DOCKER-USER -j RETURN"
}

# case NAME VERDICT SETUP [DST [ROUTED]]: a fault.
case_fault() {
	local name=$1 want=$2 setup=$3 dst=${4:-$DST} routed=${5:-} got fix
	wanted "$name" || return 0
	new_lab "$routed"
	if ! eval "$setup" >/dev/null 2>&1; then
		fail "$name: setup failed: $setup"
		return 0
	fi
	run_nst trace --from "$A" --to "$dst" --count 2 --interval 200 ${EXTRA:-}
	[ "$RC" -eq 1 ] && pass "$name: exit 1" || fail "$name: exit $RC, expected 1"
	got=$(sed -n 's/^verdict: \([a-z-]*\).*/\1/p' "$OUT" | head -n1)
	[ "$got" = "$want" ] && pass "$name: verdict $want" || fail "$name: verdict '$got', expected $want"
	fix=$(printed_fix)
	# FIX_HAS (optional): the printed fix must say this (where the fix goes matters, not only that it works).
	if [ -n "${FIX_HAS:-}" ]; then
		[[ "$fix" == *"$FIX_HAS"* ]] && pass "$name: the fix uses $FIX_HAS" || fail "$name: the fix uses $FIX_HAS (got: $fix)"
	fi
	if [ -z "$fix" ]; then
		fail "$name: a fix is printed"
	else
		while IFS= read -r line; do sh -c "$line" >/dev/null 2>&1; done <<<"$fix"
		if pings "$dst"; then
			pass "$name: the printed fix makes the ping succeed"
		else
			fail "$name: the printed fix makes the ping succeed (ran: $(echo "$fix" | tr '\n' ';'))"
		fi
	fi
	drop_lab
}

# healthy NAME SETUP [DST [ROUTED]]: unusual but harmless: no verdict, exit 0.
healthy() {
	local name=$1 setup=$2 dst=${3:-$DST} routed=${4:-}
	wanted "$name" || return 0
	new_lab "$routed"
	if ! eval "$setup" >/dev/null 2>&1; then
		fail "healthy $name: setup failed: $setup"
		return 0
	fi
	run_nst trace --from "$A" --to "$dst" --count 2 --interval 200
	[ "$RC" -eq 0 ] && pass "healthy $name: exit 0" || fail "healthy $name: exit $RC, expected 0"
	expect_no_out "healthy $name: no verdict" "verdict:"
	drop_lab
}

# ---- links ----
case_fault "source link down" link-down 'ip -n $A link set eth0 down'
case_fault "target link down" link-down 'ip -n $B link set eth0 down'
case_fault "target port down" link-down 'ip -n $H link set vb down'
case_fault "source port down" link-down 'ip -n $H link set va down'
case_fault "bridge down" bridge-down 'ip -n $H link set br0 down'
case_fault "target NOARP" target-noarp 'ip -n $B link set eth0 arp off'
case_fault "source NOARP" source-noarp 'ip -n $A link set eth0 arp off'
case_fault "source sends no ARP request" source-no-arp-request 'ip netns exec $A sysctl -qw net.ipv4.neigh.eth0.mcast_solicit=0 net.ipv4.neigh.eth0.app_solicit=0'
case_fault "mtu below the probe" mtu-too-small 'ip -n $H link set vb mtu 68'

# ---- bridge ports and the bridge ----
case_fault "port detached" port-detached 'ip -n $H link set vb nomaster'
case_fault "port on another bridge" port-detached 'ip -n $H link add br2 type bridge && ip -n $H link set br2 up && ip -n $H link set vb master br2'
case_fault "port disabled" port-not-forwarding 'bridge -n $H link set dev vb state 0'
case_fault "STP on, a port just rejoined" port-not-forwarding 'ip -n $H link set br0 type bridge stp_state 1 && ip -n $H link set vb nomaster && ip -n $H link set vb master br0'
case_fault "ports isolated" ports-isolated 'bridge -n $H link set dev va isolated on && bridge -n $H link set dev vb isolated on'
case_fault "proxy ARP on the target's port" port-proxy-arp 'ip -n $H link set vb type bridge_slave proxy_arp on'
case_fault "locked port, source not authorised" port-locked 'bridge -n $H link set dev va locked on && bridge -n $H fdb del $(ip -n $A -br link show eth0 | awk "{print \$3}") dev va master'
case_fault "broadcast flood off" port-broadcast-off 'bridge -n $H link set dev vb bcast_flood off'
# Re-enslaving forgets what the port had learned (B sends IPv6 solicitations as soon as it is up).
case_fault "unknown unicast not flooded" port-unicast-off 'ip -n $H link set vb nomaster && ip -n $H link set vb master br0 && bridge -n $H link set dev vb learning off flood off'
case_fault "target has the source's MAC" duplicate-mac 'ip -n $B link set eth0 address $(ip -n $A -br link show eth0 | awk "{print \$3}")'
# The lowest MAC possible: br0, whose address was never set, takes it from vc too (the harder case).
case_fault "a bridge port has the target's MAC" duplicate-mac 'ip -n $B link set eth0 address 02:00:00:00:00:01 && ip -n $H link set vc address 02:00:00:00:00:01'
case_fault "static FDB to the wrong port" fdb-wrong-port 'bridge -n $H fdb replace $(ip -n $B -br link show eth0 | awk "{print \$3}") dev vc master static sticky'

# ---- addresses, routes, neighbours ----
case_fault "target address removed" target-address-missing 'ip -n $B addr flush dev eth0'
case_fault "target in another subnet" target-wrong-subnet 'ip -n $B addr flush dev eth0 && ip -n $B addr add 10.77.9.2/24 dev eth0'
case_fault "source in another subnet" source-wrong-subnet 'ip -n $A addr flush dev eth0 && ip -n $A addr add 10.77.9.1/24 dev eth0'
case_fault "source route deleted" source-no-route 'ip -n $A route del $NET.0/24 dev eth0'
case_fault "source routes the target out of lo" source-wrong-route 'ip -n $A route add $DST/32 dev lo'
case_fault "source unreachable route" route-unreachable 'ip -n $A route add unreachable $DST'
# ping binds to its source address, so a rule matching on it refuses ping's sends: the probes must not slip by.
case_fault "rule from the source's address" route-unreachable 'ip -n $A route add unreachable default table 50 && ip -n $A rule add from $NET.1 table 50 pref 100'
case_fault "source prohibit rule" route-prohibited 'ip -n $A rule add to $DST prohibit'
case_fault "target blackhole back" target-no-route-back 'ip -n $B route add blackhole $NET.1'
case_fault "target route deleted" target-no-route-back 'ip -n $B route del $NET.0/24 dev eth0'
case_fault "wrong static neighbour" neighbour-wrong-mac 'ip -n $A neigh replace $DST lladdr 02:00:00:00:00:99 dev eth0 nud permanent'
case_fault "wrong neighbour on the way back" neighbour-wrong-mac 'ip -n $B neigh replace $NET.1 lladdr 02:00:00:00:00:98 dev eth0 nud permanent'

# ---- sysctls ----
case_fault "target ignores ARP" target-arp-ignore 'ip netns exec $B sysctl -qw net.ipv4.conf.all.arp_ignore=8'
case_fault "target ignores echo" target-ignores-echo 'ip netns exec $B sysctl -qw net.ipv4.icmp_echo_ignore_all=1'

# ---- firewalls ----
case_fault "nft input policy drop" endpoint-firewall-drop 'ip netns exec $B nft -f - <<<"table inet f { chain input { type filter hook input priority 0; policy drop; }; }"'
case_fault "nft output rule drop" endpoint-firewall-drop 'ip netns exec $A nft -f - <<<"table ip f { chain output { type filter hook output priority 0; icmp type echo-request counter drop; }; }"'
case_fault "iptables input reject" endpoint-firewall-drop 'ip netns exec $B iptables -A INPUT -p icmp -j REJECT'
case_fault "iptables-legacy input policy" endpoint-firewall-drop 'ip netns exec $B iptables-legacy -P INPUT DROP'
case_fault "FORWARD DROP with br_netfilter" br-netfilter-iptables-drop 'ip netns exec $H iptables -P FORWARD DROP'
case_fault "legacy FORWARD rule with br_netfilter" br-netfilter-iptables-drop 'ip netns exec $H iptables-legacy -A FORWARD -p icmp -j DROP'
FIX_HAS=DOCKER-USER case_fault "Docker-like FORWARD DROP" br-netfilter-iptables-drop 'ip netns exec $H sh -c "iptables -N DOCKER-USER && iptables -A DOCKER-USER -j RETURN && iptables -A FORWARD -j DOCKER-USER && iptables -P FORWARD DROP"'
# The drop is in a chain FORWARD jumps to (kube-proxy, Docker's isolation chains work this way).
case_fault "kube-like chain jumped to from FORWARD" br-netfilter-iptables-drop 'ip netns exec $H sh -c "iptables -N KUBE-FORWARD && iptables -A KUBE-FORWARD -p icmp -j DROP && iptables -A FORWARD -j KUBE-FORWARD"'
case_fault "legacy user chain jumped to from FORWARD" br-netfilter-iptables-drop 'ip netns exec $H sh -c "iptables-legacy -N LAB-ISOLATE && iptables-legacy -A LAB-ISOLATE -p icmp -j DROP && iptables-legacy -A FORWARD -j LAB-ISOLATE"'
# The fix must go to DOCKER-USER: the policy is named because no drop rule's counter grew.
FIX_HAS=DOCKER-USER case_fault "Docker's rules without the bridge's accept" br-netfilter-iptables-drop 'docker_rules broken'
case_fault "nft bridge forward policy drop" bridge-firewall-drop 'ip netns exec $H nft -f - <<<"table bridge fb { chain forward { type filter hook forward priority 0; policy drop; }; }"'
case_fault "nft bridge rule drops ARP" bridge-firewall-drop 'ip netns exec $H nft -f - <<<"table bridge fb { chain forward { type filter hook forward priority 0; ether type arp counter drop; }; }"'
case_fault "ebtables drops IPv4" bridge-firewall-drop 'ip netns exec $H ebtables -A FORWARD -p IPv4 -j DROP'
case_fault "arptables-legacy FORWARD DROP" br-netfilter-arp-drop 'ip netns exec $H arptables-legacy -P FORWARD DROP'
case_fault "arptables input drop in target" endpoint-firewall-drop 'ip netns exec $B arptables -A INPUT -j DROP'
case_fault "netdev ingress drop" ingress-firewall-drop 'ip netns exec $B nft -f - <<<"table netdev nd { chain ing { type filter hook ingress device eth0 priority 0; ip protocol icmp counter drop; }; }"'

# ---- beyond the bridge ----
case_fault "gateway nobody has" gateway-unreachable 'ip -n $A route replace 10.78.0.0/24 via $NET.99' 10.78.0.2 routed
case_fault "gateway forwarding off" gateway-forwarding-off 'ip netns exec $R sysctl -qw net.ipv4.ip_forward=0' 10.78.0.2 routed
case_fault "gateway FORWARD DROP" gateway-firewall-drop 'ip netns exec $R iptables -P FORWARD DROP' 10.78.0.2 routed
case_fault "gateway blackholes the way back" gateway-no-route-back 'ip -n $R route add blackhole $NET.1' 10.78.0.2 routed
case_fault "target beyond the gateway has no way back" target-no-route-back 'ip -n $T route del default' 10.78.0.2 routed
# The router masquerades: the request reaches the target with the router's address, which the target drops.
case_fault "masquerading router, target drops its address" endpoint-firewall-drop 'ip -n $T route del default && ip netns exec $R iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE && ip netns exec $T iptables -A INPUT -s 10.78.0.1 -p icmp -j DROP' 10.78.0.2 routed

# ---- healthy, with noise ----
healthy "unrelated iptables rules" 'ip netns exec $H sh -c "iptables -A INPUT -p tcp --dport 22 -j DROP && iptables -A FORWARD -s 192.0.2.0/24 -j DROP" && ip netns exec $B iptables -A INPUT -p tcp --dport 23 -j REJECT'
healthy "unrelated nft rules" 'ip netns exec $B nft -f - <<<"table inet f { chain input { type filter hook input priority 0; policy accept; tcp dport 23 drop; }; }" && ip netns exec $H nft -f - <<<"table bridge fb { chain forward { type filter hook forward priority 0; ether type vlan drop; }; }"'
healthy "strict rp_filter, arp_ignore 1, arp_announce 2" 'for n in $A $B $H; do ip netns exec $n sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2; done'
healthy "learning off, hairpin and proxy ARP on" 'bridge -n $H link set dev va learning off hairpin on && ip netns exec $H sysctl -qw net.ipv4.conf.br0.proxy_arp=1'
healthy "jumbo MTU and a second bridge" 'for l in va vb vc br0; do ip -n $H link set $l mtu 9000; done && ip -n $A link set eth0 mtu 9000 && ip -n $B link set eth0 mtu 9000 && ip -n $H link add br9 type bridge'
healthy "ebtables and arptables rules for others" 'ip netns exec $H ebtables -A FORWARD -p IPv6 -j DROP && ip netns exec $B arptables-legacy -A INPUT -s 192.0.2.1 -j DROP'
healthy "Docker-like chains, br_netfilter off" 'ip netns exec $H sh -c "sysctl -qw net.bridge.bridge-nf-call-iptables=0 && iptables -N DOCKER-USER && iptables -A FORWARD -j DOCKER-USER && iptables -P FORWARD DROP"'
healthy "Docker's full FORWARD rules" 'docker_rules'
healthy "through a router" 'true' 10.78.0.2 routed
healthy "through a masquerading router" 'ip -n $T route del default && ip netns exec $R iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE' 10.78.0.2 routed

# ---- passive, on the bridge only: what a router sends on is not "not delivered" ----
if wanted "passive through a router"; then
	new_lab routed
	"$NSTRACE" trace --passive --netns "$H" --bridge br0 --duration 3 >"$OUT" 2>&1 &
	tp=$!
	for _ in $(seq 1 50); do grep -q '^watching' "$OUT" && break; sleep 0.1; done
	ip netns exec "$A" ping -c 1 -W 2 10.78.0.2 >/dev/null 2>&1
	wait "$tp"
	expect_out "passive through a router: routed on, beyond the observed links" "(on towards 10.78.0.2, beyond the observed links)"
	if grep -q "eth0 ($R).*not delivered" "$OUT"; then
		fail "passive through a router: the request is not called undelivered"
	else
		pass "passive through a router: the request is not called undelivered"
	fi
	drop_lab
fi

# ---- strict reverse-path filtering stops ARP too (arp_process asks the input route) ----
# Its fix alone cannot make the ping work here (the reply would follow the route by lo): verdict only.
if wanted "rp_filter and ARP"; then
	new_lab
	ip -n "$B" route add "$NET.1/32" dev lo
	ip netns exec "$B" sysctl -qw net.ipv4.conf.all.rp_filter=1
	run_nst trace --from "$A" --to "$DST" --count 2 --interval 200
	[ "$RC" -eq 1 ] && pass "rp_filter and ARP: exit 1" || fail "rp_filter and ARP: exit $RC, expected 1"
	expect_out "rp_filter and ARP: verdict" "verdict: rp-filter-drop"
	expect_out "rp_filter and ARP: the lookup ARP makes" "ARP asks it before replying"
	drop_lab
fi

# ---- NAT: a packet that leaves a hook under other addresses did not die there ----
if wanted DNAT; then
	new_lab
	ip netns exec "$H" iptables -t nat -A PREROUTING -d "$DST" -j DNAT --to-destination "$NET.3"
	run_nst trace --from "$A" --to "$DST" --count 2 --interval 200
	[ "$RC" -eq 1 ] && pass "DNAT elsewhere: exit 1" || fail "DNAT elsewhere: exit $RC, expected 1"
	expect_out "DNAT elsewhere: verdict" "verdict: nat-rewrite"
	expect_out "DNAT elsewhere: the rewrite, from the events" "and left it as $NET.1 > $NET.3 (NAT)"
	expect_out "DNAT elsewhere: why the rewritten packet died" "net.ipv4.ip_forward = 0 in $H"
	expect_no_out "DNAT elsewhere: no firewall blamed" "no chain read there could have"
	drop_lab
fi

# ---- a failed read never becomes a confident verdict ----
# The same faults, with the audit's reads made to fail (NSTRACE_TEST_FAIL_READ,
# a test hook): the verdict must not be conclusive about what could not be read.
failed_read() { # NAME READS SETUP [DST [ROUTED]]
	local name=$1 reads=$2 setup=$3 dst=${4:-$DST} routed=${5:-}
	wanted "$name" || return 0
	new_lab "$routed"
	eval "$setup" >/dev/null 2>&1
	NSTRACE_TEST_FAIL_READ=$reads run_nst trace --from "$A" --to "$dst" --count 2 --interval 200
	[ "$RC" -eq 1 ] && pass "$name: exit 1" || fail "$name: exit $RC, expected 1"
	if grep -q '^verdict: .* (inconclusive)$' "$OUT"; then
		pass "$name: not conclusive"
	else
		fail "$name: not conclusive (got: $(grep '^verdict:' "$OUT"))"
	fi
	expect_out "$name: says what it could not read" "could not read"
	drop_lab
}
failed_read "port detached, links unreadable" links 'ip -n $H link set vb nomaster'
failed_read "address removed, links unreadable" links 'ip -n $B addr flush dev eth0'
failed_read "bridge chain, firewalls unreadable" firewall 'ip netns exec $H nft -f - <<<"table bridge fb { chain forward { type filter hook forward priority 0; ether type arp drop; }; }"'

# ---- --explain shows the audit behind the verdict ----
if wanted explain; then
	new_lab
	ip -n "$H" link set vb nomaster
	run_nst trace --from "$A" --to "$DST" --count 1 --explain
	expect_out "--explain: an audit section" "audit (what was read on the way"
	expect_out "--explain: the detached port flagged" "vb: up, carrier, mtu 1500, NOT a port of br0"
	expect_out "--explain: the route lookups" "route $NET.1 -> $DST: on-link"
	expect_out "--explain: the bridge's br_netfilter settings" "to iptables: sysctl"
	drop_lab
fi

# ---- nftables' own trace names a rule that neither counters nor uniqueness can ----
two_bridge_tables='ip netns exec $H nft -f - <<<"table bridge fa { chain forward { type filter hook forward priority 0; ether type vlan drop; }; }" && ip netns exec $H nft -f - <<<"table bridge fb { chain forward { type filter hook forward priority 10; ip protocol icmp drop; }; }"'
EXTRA=--nftrace case_fault "nftrace names an uncounted rule" bridge-firewall-drop "$two_bridge_tables"
if wanted nftrace; then
	new_lab
	eval "$two_bridge_tables" >/dev/null 2>&1
	run_nst trace --from "$A" --to "$DST" --count 2 --interval 200 --nftrace
	expect_out "--nftrace: says what it adds" "nftrace: 1 namespace(s) with nftables chains that can drop"
	expect_out "--nftrace: the trace is the evidence" "nftables' own trace reported that rule dropped the probe"
	expect_out "--nftrace: the rule, named" "nftables table bridge fb, chain forward: rule handle"
	expect_out "--nftrace: deletes exactly it" "nft delete rule bridge fb forward handle"
	if ip netns exec "$H" nft list tables | grep -q nstrace_trace; then fail "--nftrace: its table is gone after exit"; else pass "--nftrace: its table is gone after exit"; fi
	run_nst trace --from "$A" --to "$DST" --count 2 --interval 200
	expect_no_out "without --nftrace: no rule named" "rule handle"
	"$NSTRACE" trace --from "$A" --to "$DST" --count 50 --interval 100 --nftrace >/dev/null 2>&1 &
	tp=$!
	for _ in $(seq 1 50); do ip netns exec "$H" nft list tables 2>/dev/null | grep -q nstrace_trace && break; sleep 0.1; done
	ip netns exec "$H" nft list tables | grep -q nstrace_trace && pass "--nftrace: table there while tracing" || fail "--nftrace: table there while tracing"
	kill -9 "$tp"
	wait "$tp" 2>/dev/null
	sleep 0.3
	if ip netns exec "$H" nft list tables | grep -q nstrace_trace; then fail "--nftrace: kill -9 leaves no table"; else pass "--nftrace: kill -9 leaves no table"; fi
	drop_lab
fi
