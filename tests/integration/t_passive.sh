#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 10 section 3 and issue 12: passive mode prints each packet while it
# still runs, ends with one summary line, --summary prints only that and the
# verdicts, its record replays the same, and links outside the topology are
# named (lo, not if1). No assertion on time: the test waits for output.
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
on_exit rm -rf "$T"
lab="$UNIQ"
on_exit "$NSTRACE" down --lab "$lab"
expect_exit 0 "up" up --isolated --lab "$lab"

# Pings from ns1 to ns2 and to ns1's own address (over lo), while nstrace watches.
ip netns exec "$lab-ns1" ping -c 40 -i 0.2 -W 1 10.200.0.2 >/dev/null 2>&1 &
pinger=$!
on_exit kill "$pinger"
"$NSTRACE" trace --passive --lab "$lab" --record "$T/p.nst" >"$T/live.txt" 2>&1 &
tracer=$!
on_exit kill "$tracer"
printed_live=0
for _ in $(seq 1 100); do
	if grep -q '^\[1\] ' "$T/live.txt" && kill -0 "$tracer" 2>/dev/null; then
		printed_live=1
		break
	fi
	sleep 0.1
done
[ "$printed_live" -eq 1 ] && pass "a packet is printed while passive mode still runs" ||
	fail "no packet printed before exit"
ip netns exec "$lab-ns1" ping -c 3 -i 0.2 -W 1 10.200.0.1 >/dev/null 2>&1
sleep 0.5
kill -INT "$tracer"
wait "$tracer"
RC=$?
cp "$T/live.txt" "$OUT"
[ "$RC" -eq 0 ] && pass "Ctrl-C: exit 0, every echo request seen answered" || fail "Ctrl-C: exit $RC"
# (the summary wraps at 100 columns: read it joined)
if sed -n '/^summary: /,$p' "$OUT" | tr '\n' ' ' | tr -s ' ' |
	grep -qE '^summary: 1 flow, [0-9]+ echo requests \([0-9]+ answered, 0 unanswered(, [0-9]+ in flight at the end)?\), drops: NO_SOCKET ×[0-9]+ \(benign\).*, [0-9]+ events, 0 lost'; then
	pass "the summary line: flows, answered/unanswered, drops by reason, events, lost"
else
	fail "the summary line"
fi
expect_out "passive: echo request paths" "NS1 (veth-ns1) → veth-br1 → br0* → veth-br2 → veth-ns2 (NS2)"
if grep -qE '^ +[+0-9.]+ µs +ns1 +lo +netfilter INPUT' "$OUT"; then pass "ns1's loopback named lo"; else fail "ns1's loopback named lo"; fi
expect_no_out "no ifN for a link the namespace can name" " if1 "
n=$(grep -c '^\[[0-9]*\] ICMP echo request 10.200.0.1 > 10.200.0.2' "$OUT")
[ "$n" -ge 5 ] && pass "passive: $n echo requests printed" || fail "passive: $n echo requests printed"
first=$(grep -n '^\[[0-9]*\] ' "$OUT" | head -n1 | cut -d: -f1)
summ=$(grep -n '^summary: ' "$OUT" | cut -d: -f1)
[ -n "$first" ] && [ -n "$summ" ] && [ "$first" -lt "$summ" ] && pass "packets before the summary" || fail "packets before the summary"

# The record replays the same text.
"$NSTRACE" report "$T/p.nst" >"$T/replay.txt" 2>&1
cmp -s "$T/live.txt" "$T/replay.txt" && pass "report reproduces passive mode's text" || fail "report reproduces passive mode's text"

# --summary: the summary (and verdicts) only.
ip netns exec "$lab-ns1" ping -c 5 -i 0.2 -W 1 10.200.0.2 >/dev/null 2>&1 &
expect_exit 0 "--summary --duration 2s" trace --passive --lab "$lab" --summary --duration 2s
n=$(wc -l <"$OUT")
[ "$n" -le 2 ] && pass "--summary: $n line(s)" || fail "--summary: $n lines"
expect_out "--summary: the summary line" "summary: "

# A flow that goes unanswered: exit 1, its verdict, from the evidence kept.
ip netns exec "$lab-host" iptables -P FORWARD DROP
ip netns exec "$lab-ns1" ping -c 4 -i 0.2 -W 1 10.200.0.2 >/dev/null 2>&1 &
expect_exit 1 "passive with FORWARD DROP exits 1" trace --passive --lab "$lab" --summary --duration 2s
if tr '\n' ' ' <"$OUT" | grep -qE '[1-9][0-9]* unanswered'; then pass "unanswered counted"; else fail "unanswered counted"; fi
expect_out "and judged" "verdict: br-netfilter-iptables-drop"
ip netns exec "$lab-host" iptables -P FORWARD ACCEPT
