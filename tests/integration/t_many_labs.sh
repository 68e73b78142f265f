#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Four --isolated labs up at once: each works, none reaches another, status
# lists them all, down removes each.
. "$(dirname "$0")/lib.sh"

labs=(a b c d)
for i in 0 1 2 3; do
	on_exit "$NSTRACE" down --lab "$UNIQ-${labs[$i]}"
done
for i in 0 1 2 3; do
	expect_exit 0 "up --isolated $UNIQ-${labs[$i]} on 10.22$((i + 1)).0.0/24" \
		up --isolated --lab "$UNIQ-${labs[$i]}" --subnet "10.22$((i + 1)).0.0/24"
done

for i in 0 1 2 3; do
	expect_exit 0 "$UNIQ-${labs[$i]}: ns1 pings ns2" \
		exec --lab "$UNIQ-${labs[$i]}" ns1 -- ping -c1 -W2 "10.22$((i + 1)).0.2"
done

# No cross-talk: lab X's ns1 cannot reach the next lab's ns2.
for i in 0 1 2 3; do
	j=$(((i + 1) % 4))
	run_nst exec --lab "$UNIQ-${labs[$i]}" ns1 -- ping -c1 -W1 "10.22$((j + 1)).0.2"
	if [ "$RC" -ne 0 ]; then
		pass "$UNIQ-${labs[$i]}'s ns1 cannot reach $UNIQ-${labs[$j]}'s ns2 (exit $RC)"
	else
		fail "$UNIQ-${labs[$i]}'s ns1 reached $UNIQ-${labs[$j]}'s ns2 at 10.22$((j + 1)).0.2"
	fi
done

# status without --lab: every lab, each intact (other labs on the machine may
# exist and may be changed, so the exit code is not checked here).
run_nst status
for i in 0 1 2 3; do
	lab="$UNIQ-${labs[$i]}"
	expect_out "status lists $lab" "lab $lab: 2 namespaces, subnet 10.22$((i + 1)).0.0/24"
	block=$(awk -v h="lab $lab:" 'index($0, h) == 1 {on=1; print; next} /^lab /{on=0} on' "$OUT")
	if echo "$block" | grep -qx '  intact'; then
		pass "status says $lab is intact"
	else
		fail "status says $lab is intact: $block"
	fi
done

for i in 0 1 2 3; do
	expect_exit 0 "down --lab $UNIQ-${labs[$i]}" down --lab "$UNIQ-${labs[$i]}"
	expect_no_leftovers "$UNIQ-${labs[$i]}"
done
run_nst status
expect_no_out "status after down lists none of them" "lab $UNIQ-"
