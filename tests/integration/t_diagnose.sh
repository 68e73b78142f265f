#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 4: every --break fault gives its verdict with evidence and exit 1, and
# --fix makes the second trace pass; the same faults made by hand give the same
# verdicts; a healthy lab with FORWARD DROP but bridge-nf-call-iptables=0 passes.
. "$(dirname "$0")/lib.sh"

verdict_of() { sed -n 's/^verdict: \([a-z-]*\).*/\1/p' "$OUT" | head -n1; }

expect_exit 0 "faults lists the faults" faults
nfaults=$(wc -l <"$OUT")
[ "$nfaults" -ge 8 ] && pass "at least 8 faults listed ($nfaults)" || fail "at least 8 faults listed"

# fault  expected-verdict  an evidence fragment
cases=(
	"forward-drop br-netfilter-iptables-drop net.bridge.bridge-nf-call-iptables = 1"
	"arp-forward-drop br-netfilter-arp-drop net.bridge.bridge-nf-call-arptables = 1"
	"port-detached port-detached has no master"
	"port-down link-down is administratively down"
	"target-down link-down veth-ns2 in ns2 is administratively down"
	"address-missing target-address-missing no interface on the bridge has 10.200.0.2"
	"wrong-subnet target-wrong-subnet has 10.200.1.2/24"
	"source-wrong-subnet source-wrong-subnet Network is unreachable"
	"target-firewall endpoint-firewall-drop netfilter INPUT in ns2"
	"echo-ignored target-ignores-echo icmp_echo_ignore_all = 1"
)
i=0
for c in "${cases[@]}"; do
	read -r fault id fragment <<<"$c"
	lab="$UNIQ-$i"
	i=$((i + 1))
	on_exit "$NSTRACE" down --lab "$lab"
	expect_exit 1 "--break $fault" run --new --break "$fault" --lab "$lab" --count 2
	got=$(verdict_of)
	[ "$got" = "$id" ] && pass "$fault: verdict $id" || fail "$fault: verdict '$got', expected $id"
	expect_out "$fault: evidence" "$fragment"
	expect_out "$fault: a fix" "  fix:"
	expect_exit 0 "--break $fault --fix passes after the fix" run --new --break "$fault" --fix --lab "$lab" --count 2
	expect_out "$fault --fix: second trace" "== after the fix =="
	expect_no_leftovers "$lab" "$fault: nothing left"
done

# The same faults made by hand on a lab from 'up', traced with --lab.
hand() { # DESC VERDICT SETUP-COMMAND...
	local desc=$1 id=$2 lab="$UNIQ-h$i"
	shift 2
	i=$((i + 1))
	on_exit "$NSTRACE" down --lab "$lab"
	run_nst up --isolated --lab "$lab"
	eval "$(printf '%s' "$*" | sed "s/LAB/$lab/g")" >/dev/null 2>&1
	expect_exit 1 "by hand: $desc" run --lab "$lab" --count 2
	got=$(verdict_of)
	[ "$got" = "$id" ] && pass "by hand: $desc: verdict $id" || fail "by hand: $desc: verdict '$got', expected $id"
	run_nst down --lab "$lab"
}
hand "iptables FORWARD DROP" br-netfilter-iptables-drop "ip netns exec LAB-host iptables -P FORWARD DROP"
hand "FORWARD DROP with only the bridge's nf_call_iptables" br-netfilter-iptables-drop \
	"ip netns exec LAB-host sysctl -w net.bridge.bridge-nf-call-iptables=0; ip netns exec LAB-host ip link set dev br0 type bridge nf_call_iptables 1; ip netns exec LAB-host iptables -P FORWARD DROP"
hand "a FORWARD rule dropping ICMP" br-netfilter-iptables-drop "ip netns exec LAB-host iptables -A FORWARD -p icmp -j DROP"
hand "arptables-legacy FORWARD DROP" br-netfilter-arp-drop "ip netns exec LAB-host arptables-legacy -P FORWARD DROP"
hand "nomaster" port-detached "ip netns exec LAB-host ip link set veth-br2 nomaster"
hand "port down" link-down "ip netns exec LAB-host ip link set veth-br1 down"
hand "address deleted" target-address-missing "ip netns exec LAB-ns2 ip addr flush dev veth-ns2"
hand "address in another subnet" target-wrong-subnet "ip netns exec LAB-ns2 ip addr flush dev veth-ns2; ip netns exec LAB-ns2 ip addr add 10.200.7.2/24 dev veth-ns2"
hand "target INPUT drops echo" endpoint-firewall-drop "ip netns exec LAB-ns2 iptables -A INPUT -p icmp -j DROP"
hand "source OUTPUT drops echo" endpoint-firewall-drop "ip netns exec LAB-ns1 iptables -A OUTPUT -p icmp -j DROP"
hand "target ignores echo" target-ignores-echo "ip netns exec LAB-ns2 sysctl -w net.ipv4.icmp_echo_ignore_all=1"
hand "ebtables drops bridged IPv4" bridge-firewall-drop "ip netns exec LAB-host sysctl -w net.bridge.bridge-nf-call-iptables=0; ip netns exec LAB-host ebtables -A FORWARD -p IPv4 -j DROP"

# Healthy: FORWARD DROP is harmless while br_netfilter is off.
lab="$UNIQ-ok"
on_exit "$NSTRACE" down --lab "$lab"
run_nst up --isolated --lab "$lab"
ip netns exec "$lab-host" sysctl -qw net.bridge.bridge-nf-call-iptables=0
ip netns exec "$lab-host" iptables -P FORWARD DROP
expect_exit 0 "FORWARD DROP with bridge-nf-call-iptables=0 passes" run --lab "$lab"
expect_no_out "no verdict on a healthy lab" "verdict:"
expect_out "says the FORWARD DROP would bite with br_netfilter on" "note: iptables FORWARD in host has policy DROP, harmless now"
run_nst down --lab "$lab"

# --break never touches the real host; --fix there needs --yes.
expect_exit 2 "--fix without --isolated or --yes" run --new --fix --lab "$UNIQ-x" --bridge "${UNIQ}x"
expect_exit 2 "unknown fault" run --break no-such-fault
expect_no_leftovers "$UNIQ-x"
