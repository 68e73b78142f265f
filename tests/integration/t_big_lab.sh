#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# A 50-namespace --isolated lab: pairs across it answer, status is intact, down
# leaves nothing; a 100-namespace lab comes up and goes down too.
. "$(dirname "$0")/lib.sh"
big="$UNIQ-a"
huge="$UNIQ-b"
on_exit "$NSTRACE" down --lab "$big"
on_exit "$NSTRACE" down --lab "$huge"

expect_exit 0 "up --isolated --namespaces 50" up --isolated --lab "$big" --namespaces 50 --subnet 10.230.0.0/24
expect_out "up lists ns50" "$big-ns50"

pairs=("1 50" "50 1" "17 33" "2 49")
while [ ${#pairs[@]} -lt 10 ]; do
	a=$((RANDOM % 50 + 1))
	b=$((RANDOM % 50 + 1))
	[ "$a" -ne "$b" ] && pairs+=("$a $b")
done
for p in "${pairs[@]}"; do
	set -- $p
	expect_exit 0 "ns$1 pings ns$2 (10.230.0.$2)" exec --lab "$big" "ns$1" -- ping -c1 -W2 "10.230.0.$2"
done

expect_exit 0 "status --lab of the 50-namespace lab" status --lab "$big"
expect_out "status says intact" "intact"
expect_no_out "status reports no change" "CHANGED"
n=$(grep -cE "^ +$big-ns[0-9]+ " "$OUT")
[ "$n" -eq 50 ] && pass "status lists 50 namespaces" || fail "status lists $n namespaces, expected 50"
expect_exit 0 "down the 50-namespace lab" down --lab "$big"
expect_no_leftovers "$big"

expect_exit 0 "up --isolated --namespaces 100" up --isolated --lab "$huge" --namespaces 100 --subnet 10.231.0.0/24
n=$(ls /run/netns 2>/dev/null | grep -cE "^$huge-ns[0-9]+\$")
[ "$n" -eq 100 ] && pass "100 namespaces in /run/netns" || fail "$n namespaces of $huge in /run/netns, expected 100"
expect_exit 0 "status --lab of the 100-namespace lab" status --lab "$huge"
expect_out "status says intact" "intact"
expect_exit 0 "ns1 pings ns100" exec --lab "$huge" ns1 -- ping -c1 -W2 10.231.0.100
expect_exit 0 "down the 100-namespace lab" down --lab "$huge"
expect_no_leftovers "$huge"
