#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# up, status, exec, down of one lab, in the root namespace and --isolated:
# what up prints, status noticing hand-made changes, exec's exit code, and down
# leaving nothing behind.
. "$(dirname "$0")/lib.sh"

# lifecycle MODE LAB SUBNET-PREFIX UP-ARGS...: MODE is root or isolated; the
# lab's subnet is PREFIX.0/24, so nsK has PREFIX.K and the bridge PREFIX.254.
lifecycle() {
	local mode=$1 lab=$2 net=$3 br hostns k mac left port
	shift 3
	local -a in_host
	if [ "$mode" = isolated ]; then
		br=br0
		hostns="$lab-host"
		in_host=(ip netns exec "$hostns")
		port=veth-br # a namespace of the lab's own: the tutorial's names
	else
		br=$2 # after --bridge
		hostns="the root namespace"
		in_host=()
		port="$lab-b" # in the root namespace, ports are named after their lab
	fi
	on_exit "$NSTRACE" down --lab "$lab"

	expect_exit 0 "$mode: up" up --lab "$lab" --subnet "$net.0/24" "$@"
	for k in 1 2; do
		mac=$(ip netns exec "$lab-ns$k" cat /sys/class/net/veth-ns$k/address 2>/dev/null)
		if grep -qE "^ +$lab-ns$k +veth-ns$k +$net\.$k +$mac +↔ $port$k\$" "$OUT" && [ -n "$mac" ]; then
			pass "$mode: up prints $lab-ns$k, veth-ns$k, $net.$k and its MAC $mac"
		else
			fail "$mode: up prints $lab-ns$k, veth-ns$k, $net.$k and its MAC ${mac:-?}"
		fi
	done
	expect_out "$mode: up prints the bridge and its address" "bridge $br ($net.254) in $hostns"
	expect_out "$mode: up says how to enter" "enter it: sudo $NSTRACE exec --lab $lab ns1 -- bash"
	expect_out "$mode: up says how to enter with ip netns" "sudo ip netns exec $lab-ns1 bash"
	expect_out "$mode: up says how to remove it" "sudo $NSTRACE down --lab $lab"

	expect_exit 0 "$mode: status --lab of a fresh lab" status --lab "$lab"
	expect_out "$mode: status says intact" "intact"
	expect_no_out "$mode: status reports no change" "CHANGED"

	expect_exit 0 "$mode: exec ns1 ping ns2" exec --lab "$lab" ns1 -- ping -c1 -W2 "$net.2"
	expect_exit 0 "$mode: exec ns2 ping the bridge" exec --lab "$lab" ns2 -- ping -c1 -W2 "$net.254"
	expect_exit 7 "$mode: exec propagates the command's exit code" exec --lab "$lab" ns1 -- sh -c 'exit 7'
	expect_exit 0 "$mode: exec by full namespace name" exec --lab "$lab" "$lab-ns2" -- true
	expect_exit 0 "$mode: exec sees the namespace's own /sys, as ip netns exec" exec --lab "$lab" ns2 -- ls /sys/class/net
	expect_out "$mode: /sys/class/net inside ns2 lists veth-ns2" "veth-ns2"
	expect_no_out "$mode: /sys/class/net inside ns2 does not list ns1's link" "veth-ns1"
	expect_exit 127 "$mode: exec of a command that does not exist: 127" exec --lab "$lab" ns1 -- "$UNIQ-no-such-command"
	if [ "$mode" = isolated ]; then
		expect_exit 0 "$mode: exec into host sees the bridge" exec --lab "$lab" host -- ip link show "$br"
	fi

	# Hand-made changes: status exits 1 and names what changed; undone, intact again.
	ip netns exec "$lab-ns2" ip link set veth-ns2 down
	expect_exit 1 "$mode: status after veth-ns2 set down" status --lab "$lab"
	expect_out "$mode: status names veth-ns2 down" "CHANGED veth-ns2 in $lab-ns2: administratively down"
	ip netns exec "$lab-ns2" ip link set veth-ns2 up
	sleep 0.2
	expect_exit 0 "$mode: status after veth-ns2 set up again" status --lab "$lab"

	"${in_host[@]}" ip link set "${port}1" nomaster
	expect_exit 1 "$mode: status after ${port}1 detached" status --lab "$lab"
	expect_out "$mode: status names the detached port" "CHANGED port ${port}1 in $hostns: detached from the bridge"
	"${in_host[@]}" ip link set "${port}1" master "$br"
	expect_exit 0 "$mode: status after ${port}1 attached again" status --lab "$lab"

	ip netns exec "$lab-ns1" ip addr del "$net.1/24" dev veth-ns1
	expect_exit 1 "$mode: status after ns1's address deleted" status --lab "$lab"
	expect_out "$mode: status names the removed address" "CHANGED veth-ns1 in $lab-ns1: address $net.1/24 removed"
	run_nst exec --lab "$lab" ns1 -- ping -c1 -W1 "$net.2"
	[ "$RC" -ne 0 ] && pass "$mode: exec ns1 ping ns2 fails without ns1's address (exit $RC)" ||
		fail "$mode: exec ns1 ping ns2 without ns1's address: exit 0, expected non-zero"
	ip netns exec "$lab-ns1" ip addr add "$net.1/24" dev veth-ns1
	expect_exit 0 "$mode: status after the address is back" status --lab "$lab"

	expect_exit 0 "$mode: down --lab" down --lab "$lab"
	expect_out "$mode: down says what it removed" "removed lab $lab"
	expect_no_leftovers "$lab" "$mode: nothing of lab $lab remains"
	run_nst status --lab "$lab"
	[ "$RC" -eq 2 ] && pass "$mode: status --lab after down: no such lab (exit 2)" ||
		fail "$mode: status --lab after down: exit $RC, expected 2"
	if [ "$mode" = root ]; then
		if ip link show "$br" >/dev/null 2>&1; then fail "$mode: bridge $br removed"; else pass "$mode: bridge $br removed"; fi
		left=$(ip -o -d link show 2>/dev/null | grep -F -e "$br" -e "nstrace:$lab:" || true)
		[ -z "$left" ] && pass "$mode: ip -d link shows neither $br nor the lab's mark" ||
			fail "$mode: ip -d link still shows: $left"
	fi
}

# The root-namespace mode puts veth-br1/veth-br2 in the root namespace under
# those fixed names: skip it if something (another lab) already uses them.
if ip link show veth-br1 >/dev/null 2>&1 || ip link show veth-br2 >/dev/null 2>&1; then
	skip "root namespace mode: veth-br1 or veth-br2 already exists in the root namespace"
else
	lifecycle root "$UNIQ-r" 10.211.0 --bridge "${UNIQ}b"
fi
lifecycle isolated "$UNIQ-i" 10.212.0 --isolated
