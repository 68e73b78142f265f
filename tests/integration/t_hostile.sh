#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 11, item 2: a topology built with plain ip whose namespace and
# interface names are shell code (';', $(), backquotes, quotes, spaces) is
# traced and --fix'ed with no command injection: every command runs with
# execve, and every printed command, pasted into sh, does exactly what it
# says. Canary: an injection would 'touch' files in the directory everything
# runs in; it must stay empty.
. "$(dirname "$0")/lib.sh"

D=$(mktemp -d)
on_exit rm -rf "$D"
cd "$D" || exit 1
canary() { # DESC: the canary directory is still empty
	local found
	found=$(ls -A "$D")
	[ -z "$found" ] && pass "$1: no command injected (canary directory empty)" ||
		fail "$1: injected: $D holds $found"
}

# Names: namespaces may hold anything but '/'; interfaces no '/', ':' or space.
H="$UNIQ h;touch q1;\$(touch q2)\`touch q3\`'\"x"
C1="$UNIQ c1 \$(touch q4)"
C2="$UNIQ c2;touch q5 '"
BR='b;touch${IFS}z'
P1='$(touch${IFS}q)'
P2='`touch${IFS}r`'
E="'\";touch\${IFS}s"
for n in "$H" "$C1" "$C2"; do
	ip netns add "$n" || fail "ip netns add '$n'"
	on_exit ip netns del "$(printf %q "$n")"
	ip netns exec "$n" ip link set lo up
done
ip netns exec "$H" ip link add "$BR" type bridge
ip netns exec "$H" ip addr add 10.99.0.1/24 dev "$BR"
ip netns exec "$H" ip link set "$BR" up
k=2
for pair in "$P1|$C1" "$P2|$C2"; do
	p=${pair%%|*} c=${pair#*|}
	ip netns exec "$H" ip link add "$p" type veth peer name "$E" netns "$c"
	ip netns exec "$H" ip link set "$p" master "$BR" up
	ip netns exec "$c" ip addr add "10.99.0.$k/24" dev "$E"
	ip netns exec "$c" ip link set "$E" up
	k=$((k + 1))
done
[ "$(ip netns exec "$H" ip -o link show master "$BR" | wc -l)" -eq 2 ] && pass "hostile topology built with ip" ||
	fail "hostile topology built with ip"

# The printed commands (fix, or, look, revert), one per line.
printed_commands() {
	awk '/^  (fix|or|look|or look):$/ {on=1; next} /^revert:$/ {on=2; next}
	     on==1 && /^    [^ (-]/ {sub(/^    /, ""); print; next}
	     on==2 && /^  [^ ]/ {sub(/^  /, ""); print; next}
	     /^[^ ]/ {on=0}' "$OUT"
}

expect_exit 0 "trace from a hostile namespace name" trace --from "$C1" --to 10.99.0.3 --count 2
expect_out "path through hostile interface names" "$P1 → $BR* → $P2 → $E"
expect_out "2/2 replies" "replies: 2/2"
canary "healthy trace"

# A port set down: the verdict names it, --fix --yes brings it up with execve.
ip netns exec "$H" ip link set "$P2" down
expect_exit 1 "trace with the hostile port down" trace --from "$C1" --to 10.99.0.3 --count 2
expect_out "verdict link-down" "verdict: link-down"
cmd=$(printed_commands | head -n1)
[ -n "$cmd" ] && pass "a fix is printed: $cmd" || fail "no fix printed"
sh -c "$cmd" >/dev/null 2>&1
ip netns exec "$H" ip -o link show "$P2" | grep -q '<.*,UP' && pass "the printed fix, pasted into sh, brought $P2 up" ||
	fail "the printed fix, pasted into sh, did not bring $P2 up: $cmd"
canary "pasted link-down fix"

ip netns exec "$H" ip link set "$P2" down
expect_exit 2 "trace --fix without --yes is refused" trace --from "$C1" --to 10.99.0.3 --fix
expect_out "--fix needs --yes" "add --yes"
expect_exit 0 "trace --fix --yes fixes the hostile port and traces again" trace --from "$C1" --to 10.99.0.3 --count 2 --fix --yes
expect_out "the fix was applied" "--fix: applying:"
expect_out "second trace" "== after the fix =="
expect_out "second trace answered" "replies: 2/2"
canary "--fix --yes"
rev=$(printed_commands | tail -n1)
sh -c "$rev" >/dev/null 2>&1
ip netns exec "$H" ip -o link show "$P2" | grep -q '<.*,UP' && fail "the printed revert, pasted into sh, set $P2 down: $rev" ||
	pass "the printed revert, pasted into sh, set $P2 down again"
canary "pasted revert"
ip netns exec "$H" ip link set "$P2" up

# FORWARD DROP through br_netfilter, the bridge's own option on too: the fixes
# name the hostile namespace and the hostile bridge.
ip netns exec "$H" iptables -P FORWARD DROP
ip netns exec "$H" ip link set dev "$BR" type bridge nf_call_iptables 1
expect_exit 1 "trace with FORWARD DROP" trace --from "$C1" --to 10.99.0.3 --count 2
expect_out "verdict br-netfilter-iptables-drop" "verdict: br-netfilter-iptables-drop"
n=0
while IFS= read -r cmd; do
	n=$((n + 1))
	sh -c "$cmd" >/dev/null 2>&1
	rc=$?
	[ $rc -eq 0 ] && pass "printed command $n runs in sh: $cmd" || fail "printed command $n fails in sh (exit $rc): $cmd"
done < <(printed_commands)
[ $n -ge 3 ] && pass "$n commands printed and pasted" || fail "only $n commands printed"
[ "$(ip netns exec "$H" sysctl -n net.bridge.bridge-nf-call-iptables)" = 0 ] &&
	pass "the sysctl fix reached the hostile namespace" || fail "the sysctl fix did not reach the hostile namespace"
ip netns exec "$H" ip -d link show "$BR" | grep -q "nf_call_iptables 0" &&
	pass "the bridge option fix reached the hostile bridge" || fail "the bridge option fix did not reach $BR"
ip netns exec "$H" iptables -S FORWARD | grep -qF -- "-i $BR -o $BR -j ACCEPT" &&
	pass "the iptables fix names the hostile bridge" || fail "the iptables fix: $(ip netns exec "$H" iptables -S FORWARD)"
canary "pasted FORWARD fixes"

# The names cut at 40 characters once: a long hostile name is traced by its whole name.
L="$UNIQ-a-namespace-name-well-over-forty-characters;\$(touch q6)"
ip netns add "$L"
on_exit ip netns del "$(printf %q "$L")"
ip netns exec "$H" ip link add "p3$$" type veth peer name eth0 netns "$L"
ip netns exec "$H" ip link set "p3$$" master "$BR" up
ip netns exec "$L" ip addr add 10.99.0.4/24 dev eth0
ip netns exec "$L" ip link set eth0 up
ip netns exec "$H" iptables -P FORWARD ACCEPT
expect_exit 0 "trace to a namespace with a long hostile name" trace --from "$C1" --to 10.99.0.4 --count 1
expect_out "its peer is found, not unresolved" "replies: 1/1"
expect_no_out "nothing unresolved" "unresolved:"
canary "long name"

# Control bytes in names (an interface may hold ESC and BEL: only '/', ':' and
# white space are refused) reach the terminal as \xNN, never raw: a name must
# not retitle the window, clear the screen or move the cursor.
X="$UNIQ-x"
ip netns add "$X"
on_exit ip netns del "$X"
ESCNAME=$(printf 'e\033]0;t\007\033[2J')
ip netns exec "$H" ip link add "p4$$" type veth peer name "$ESCNAME" netns "$X"
ip netns exec "$H" ip link set "p4$$" master "$BR" up
ip netns exec "$X" ip addr add 10.99.0.5/24 dev "$ESCNAME"
ip netns exec "$X" ip link set "$ESCNAME" up
expect_exit 0 "trace from an interface whose name holds ESC and BEL" trace --from "$X" --to 10.99.0.4 --count 1
if LC_ALL=C grep -q "$(printf '\033')\|$(printf '\007')" "$OUT"; then
	fail "no raw ESC or BEL in the output"
else
	pass "no raw ESC or BEL in the output"
fi
expect_out "the name shown with its control bytes written out" 'e\x1b]0;t\x07\x1b[2J'
