#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 11 (5): run on a 250-namespace lab, under the usual soft limit of 1024
# descriptors: the observers hold some 2,500 (a tc program copy per namespace,
# netfilter links in each), so nstrace must raise the limit to the hard one.
. "$(dirname "$0")/lib.sh"
lab="$UNIQ-big"
on_exit "$NSTRACE" down --lab "$lab"

expect_exit 0 "up --isolated --namespaces 250" up --isolated --lab "$lab" --namespaces 250 --subnet 10.234.0.0/24
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt 4096 ]; then
	skip "hard limit of open files is $hard here: 250 namespaces need about 2,500"
else
	(ulimit -Sn 1024 && "$NSTRACE" run --lab "$lab" --from 1 --to 250 --count 2 >"$OUT" 2>&1)
	RC=$?
	[ $RC -eq 0 ] && pass "run ns1 → ns250 with a soft limit of 1024 (exit 0)" || fail "run ns1 → ns250: exit $RC"
	expect_out "observes all 501 links" "ingress+egress on 501 links"
	expect_out "netfilter observers in all 251 namespaces" "netfilter hooks in 251 namespaces"
	expect_out "2 of 2 replies" "replies: 2/2"
	expect_out "the path to ns250" "NS1 (veth-ns1) → veth-br1 → br0* → veth-br250 → veth-ns250 (NS250)"
	expect_no_out "no descriptor shortage" "Too many open files"
fi
expect_exit 0 "down the 250-namespace lab" down --lab "$lab"
expect_no_leftovers "$lab"
