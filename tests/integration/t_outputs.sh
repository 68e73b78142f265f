#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 12: the outputs of a real trace, read back by the tools people use:
# JSON Lines by jq, pcapng by tshark, the diagram by dot, a record by
# 'nstrace report' (the same text, byte for byte, without root).
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
on_exit rm -rf "$T"
lab="$UNIQ"
on_exit "$NSTRACE" down --lab "$lab"

# One healthy run, every format at once; --json takes stdout.
"$NSTRACE" run --new --isolated --lab "$lab" --count 3 --json --pcap "$T/run.pcapng" --svg "$T/run.svg" \
	--record "$T/run.nst" >"$T/run.json" 2>"$OUT"
RC=$?
[ $RC -eq 0 ] && pass "run with --json --pcap --svg --record exits 0" || fail "run with every output: exit $RC"
expect_no_leftovers "$lab" "run with every output leaves nothing"

# JSON Lines: every line parses on its own, and each type has its required fields.
bad=0 n=0
while IFS= read -r line; do
	n=$((n + 1))
	echo "$line" | jq -e . >/dev/null 2>&1 || bad=$((bad + 1))
done <"$T/run.json"
[ "$n" -gt 0 ] && [ "$bad" -eq 0 ] && pass "all $n JSON lines parse with jq" || fail "$bad of $n JSON lines do not parse"
required() { # TYPE JQ-TEST DESC
	local total ok
	total=$(jq -c "select(.type == \"$1\")" "$T/run.json" | wc -l)
	ok=$(jq -c "select(.type == \"$1\") | select($2)" "$T/run.json" | wc -l)
	if [ "$total" -gt 0 ] && [ "$total" -eq "$ok" ]; then pass "json $1: $3 ($total)"; else fail "json $1: $3 ($ok of $total)"; fi
}
required topology '.v == 1 and (.interfaces | length) == 5 and (.namespaces | length) == 3' "5 interfaces, 3 namespaces"
required event '.v == 1 and (.id | type) == "number" and (.ts_ns | type) == "number" and (.source | type) == "string" and (.ns | type) == "string" and (.dev | type) == "string"' "id, ts_ns, source, ns, dev"
required packet '.v == 1 and (.n | type) == "number" and (.summary | type) == "string" and (.hops | type) == "array" and (.fate.kind | type) == "string" and (.events | length) > 0' "n, summary, hops, fate, events"
required summary '.v == 1 and .mode == "probe" and .probes.sent == 3 and .probes.answered == 3 and .exit_code == 0 and .lost == 0 and (.drops | type) == "array"' "probes 3/3, exit code 0, drops, lost"
types=$(jq -r .type "$T/run.json" | sort -u | tr '\n' ' ')
[ "$types" = "event message packet start summary topology " ] && pass "json types: $types" || fail "json types: $types"
required start '.v == 1 and .command == "run" and (.nstrace | type) == "string" and (.kernel | startswith("Linux"))' "command, nstrace, kernel"
[ "$(head -n1 "$T/run.json" | jq -r .type)" = start ] && pass "json: start is the first line" || fail "json: start is the first line"
if jq -e 'select(.type == "packet" and (.summary | startswith("ICMP echo request")))' "$T/run.json" | jq -s -e 'length == 3 and all(.fate.kind == "delivered")' >/dev/null; then
	pass "json: 3 echo requests, delivered"
else
	fail "json: 3 echo requests, delivered"
fi
if jq -s -e '[.[] | select(.type == "event" and .source == "fdb")] | length >= 2' "$T/run.json" >/dev/null &&
	jq -s -e '[.[] | select(.type == "event" and .source == "neigh" and .neigh.from == "INCOMPLETE" and .neigh.to == "REACHABLE")] | length >= 1' "$T/run.json" >/dev/null; then
	pass "json: bridge learning and the neighbour entry resolving are events"
else
	fail "json: fdb and neigh events"
fi

# pcapng through tshark: interfaces by namespace/name, ARP, ICMP counts, direction.
if ! command -v tshark >/dev/null; then
	fail "tshark missing (scripts/deps.sh installs it)"
else
	ts() { tshark -r "$T/run.pcapng" "$@" 2>/dev/null; }
	names=$(ts -T fields -e frame.interface_name | sort -u | tr '\n' ' ')
	for want in ns1/veth-ns1 ns2/veth-ns2 host/veth-br1 host/veth-br2 host/br0; do
		case " $names" in *" $want "*) pass "pcapng: interface $want" ;; *) fail "pcapng: interface $want (have: $names)" ;; esac
	done
	c=$(ts -Y 'frame.interface_name == "ns1/veth-ns1" && arp.opcode == 1' | wc -l)
	[ "$c" -ge 1 ] && pass "pcapng: ARP who-has leaving ns1 ($c)" || fail "pcapng: ARP who-has leaving ns1"
	c=$(ts -Y 'frame.interface_name == "ns1/veth-ns1" && arp.opcode == 2' | wc -l)
	[ "$c" -ge 1 ] && pass "pcapng: ARP is-at reaching ns1 ($c)" || fail "pcapng: ARP is-at reaching ns1"
	c=$(ts -Y 'frame.interface_name == "ns1/veth-ns1" && icmp.type == 8' | wc -l)
	[ "$c" -eq 3 ] && pass "pcapng: 3 echo requests on ns1/veth-ns1" || fail "pcapng: $c echo requests on ns1/veth-ns1, expected 3"
	c=$(ts -Y 'frame.interface_name == "ns1/veth-ns1" && icmp.type == 0' | wc -l)
	[ "$c" -eq 3 ] && pass "pcapng: 3 echo replies on ns1/veth-ns1" || fail "pcapng: $c echo replies on ns1/veth-ns1, expected 3"
	c=$(ts -Y 'frame.interface_name == "ns2/veth-ns2" && icmp.type == 8' | wc -l)
	[ "$c" -eq 3 ] && pass "pcapng: 3 echo requests reached ns2/veth-ns2" || fail "pcapng: $c echo requests on ns2/veth-ns2"
	c=$(ts -Y 'frame.interface_name == "ns1/veth-ns1" && icmp.type == 8 && frame.packet_flags_direction == 2' | wc -l)
	[ "$c" -eq 3 ] && pass "pcapng: requests leaving ns1 are outbound (epb_flags)" || fail "pcapng: $c outbound requests on ns1/veth-ns1"
	c=$(ts -Y 'frame.interface_name == "ns1/veth-ns1" && icmp.type == 0 && frame.packet_flags_direction == 1' | wc -l)
	[ "$c" -eq 3 ] && pass "pcapng: replies reaching ns1 are inbound (epb_flags)" || fail "pcapng: $c inbound replies on ns1/veth-ns1"
	c=$(ts -Y 'frame.interface_name == "host/veth-br2 (hooks)" && icmp.type == 8' | wc -l)
	[ "$c" -ge 3 ] && pass "pcapng: what the bridge's hooks saw, an interface of its own ($c)" || fail "pcapng: host/veth-br2 (hooks): $c"
	c=$(ts -Y 'frame.comment contains "netfilter FORWARD entered"' | wc -l)
	[ "$c" -ge 3 ] && pass "pcapng: the hook in each packet's comment" || fail "pcapng: hook comments ($c)"
fi

# The diagram: dot drew it; the --dot form renders too.
# (Graphviz writes '-' as &#45; in SVG text.)
if grep -q '<svg' "$T/run.svg" && grep -q 'veth&#45;br1' "$T/run.svg" && grep -q 'ns1 (netns)' "$T/run.svg"; then
	pass "svg drawn by dot, with the namespaces and ports"
else
	fail "svg drawn"
fi
expect_exit 0 "report --dot from the record" report "$T/run.nst" --dot "$T/run.dot" --quiet
dot -Tsvg "$T/run.dot" >"$T/again.svg" 2>"$OUT" && pass "dot -Tsvg renders the --dot file" || fail "dot -Tsvg renders the --dot file"
grep -q 'cluster_' "$T/run.dot" && pass "dot: namespaces as clusters" || fail "dot: namespaces as clusters"

# report: the record re-made as JSON, as the live run made it (ids and all).
if "$NSTRACE" report "$T/run.nst" --json | cmp -s - "$T/run.json"; then pass "report --json equals run --json"; else fail "report --json equals run --json"; fi

# report reproduces run's text byte for byte, as another user, without a kernel's help.
lab2="$UNIQ-t"
on_exit "$NSTRACE" down --lab "$lab2"
"$NSTRACE" run --new --isolated --lab "$lab2" --count 2 --record "$T/text.nst" >"$T/run.txt" 2>/dev/null
chmod 644 "$T/text.nst"
chmod 755 "$T"
setpriv --reuid=65534 --regid=65534 --clear-groups "$NSTRACE" report "$T/text.nst" >"$T/report.txt" 2>"$OUT"
RC=$?
[ $RC -eq 0 ] && pass "report as nobody exits 0 (the run's exit code)" || fail "report as nobody: exit $RC"
if cmp -s "$T/run.txt" "$T/report.txt"; then pass "report reproduces run's text byte for byte"; else
	diff "$T/run.txt" "$T/report.txt" >"$OUT"
	fail "report reproduces run's text byte for byte"
fi

# A FORWARD drop: the diagram marks it, the record keeps it, the exit code is 1.
lab3="$UNIQ-d"
on_exit "$NSTRACE" down --lab "$lab3"
run_nst run --new --break forward-drop --lab "$lab3" --count 1 --dot "$T/drop.dot" --record "$T/drop.nst"
[ "$RC" -eq 1 ] && pass "forward-drop run exits 1" || fail "forward-drop run: exit $RC"
grep -q 'drop1 \[shape=octagon' "$T/drop.dot" && pass "dot: the drop point marked" || fail "dot: the drop point marked"
grep -q 'label="towards veth-br2"' "$T/drop.dot" && pass "dot: dropped on its way to veth-br2" || fail "dot: towards veth-br2"
dot -Tsvg "$T/drop.dot" >/dev/null 2>&1 && pass "dot renders the drop diagram" || fail "dot renders the drop diagram"
expect_exit 1 "report of the drop exits 1, as the run did" report "$T/drop.nst" --quiet
expect_out "report --quiet gives the verdict" "verdict: br-netfilter-iptables-drop"
# A verdict with --explain: the audit behind it and the firewall facts travel in the record.
"$NSTRACE" run --new --break forward-drop --lab "$lab3" --count 1 --explain --record "$T/explain.nst" >"$T/explain.txt" 2>/dev/null
if "$NSTRACE" report "$T/explain.nst" | cmp -s - "$T/explain.txt"; then
	pass "report reproduces a verdict and its --explain audit byte for byte"
else
	fail "report reproduces a verdict and its --explain audit byte for byte"
fi
grep -q '^audit (what was read on the way' "$T/explain.txt" && pass "--explain: the audit section" || fail "--explain: the audit section"
"$NSTRACE" report --json "$T/explain.nst" >"$T/explain.json" 2>/dev/null	# exits 1, as the run did
if jq -e -s '[.[] | select(.type == "verdict") | .state.firewall[] | select(.chain == "FORWARD" and .policy == 2)] | length > 0' "$T/explain.json" >/dev/null; then
	pass "JSON verdict: the FORWARD chain whose policy drops, from the record"
else
	fail "JSON verdict: the FORWARD chain whose policy drops, from the record"
fi

# A damaged record: a clear error with the byte, exit 2, never a crash.
head -c 300 "$T/drop.nst" >"$T/cut.nst"
expect_exit 2 "report of a truncated record" report "$T/cut.nst"
expect_out "says where" "byte "
printf 'not a record at all' >"$T/junk.nst"
expect_exit 2 "report of a file that is not a record" report "$T/junk.nst"
expect_out "says what" "not an nstrace record"
expect_exit 2 "report of a missing file" report "$T/none.nst"
expect_exit 2 "report --record is refused" report "$T/drop.nst" --record "$T/x.nst"
