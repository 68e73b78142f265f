#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 11, item 10: a raw ICMP socket gets a copy of every ICMP packet of its
# namespace. With someone's ping -f in the source namespace, nstrace's own
# replies must still all be counted: its socket keeps only echo replies with
# its id (classic BPF) and has room for all of them.
. "$(dirname "$0")/lib.sh"
lab="$UNIQ-f"
on_exit "$NSTRACE" down --lab "$lab"
expect_exit 0 "up --isolated" up --isolated --lab "$lab"

for round in 1 2; do
	# Large echoes fill a default receive buffer (about 200 KiB) in some 90 packets.
	fp=""
	for _ in 1 2; do
		ip netns exec "$lab-ns1" ping -f -q -s 1400 -w 20 10.200.0.2 >/dev/null 2>&1 &
		fp="$fp $!"
		on_exit kill "$!"
	done
	sleep 0.5
	kill -0 $fp 2>/dev/null && pass "round $round: two ping -f run in ns1" || fail "round $round: ping -f is not running"
	expect_exit 0 "round $round: every probe answered under the flood" run --lab "$lab" --count 40 --interval 20
	expect_out "round $round: 40/40 replies" "replies: 40/40"
	kill $fp 2>/dev/null
	wait $fp 2>/dev/null
done
expect_exit 0 "down" down --lab "$lab"
expect_no_leftovers "$lab"
