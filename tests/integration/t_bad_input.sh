#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issues 2 and 3: bad input gives one line, the documented exit code, and changes nothing.
. "$(dirname "$0")/lib.sh"

expect_exit 2 "--count 0" run --count 0
expect_out "--count 0 names the value" "invalid --count '0'"
expect_exit 2 "--count abc" run --count abc
expect_exit 2 "--count 5x" run --count 5x
expect_exit 2 "unknown option" run --frobnicate
expect_exit 2 "unknown command" frobnicate
expect_exit 2 "prefix of a command is not a command" ru
expect_exit 0 "--help" --help
expect_out "--help has examples" "EXAMPLES:"
expect_exit 0 "run --help" run --help
expect_out "run --help lists exit codes" "Exit codes"

# Not root: one line, exit 3.
if command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$NSTRACE" run >"$OUT" 2>&1
	RC=$?
	[ $RC -eq 3 ] && pass "not root: exit 3" || fail "not root: exit $RC, expected 3"
	[ "$(wc -l <"$OUT")" -eq 1 ] && pass "not root: one line" || fail "not root: one line"
	expect_out "not root: says why" "needs root"
else
	fail "setpriv missing (util-linux)"
fi

# Topology values (issue 3): exit 2, nothing created.
expect_exit 2 "subnet too small" up --lab "$UNIQ" --namespaces 4 --subnet 10.9.0.0/30
expect_out "names the subnet" "10.9.0.0/30"
expect_exit 2 "invalid CIDR" up --lab "$UNIQ" --subnet 10.9.0.0/99
expect_exit 2 "CIDR with host bits" up --lab "$UNIQ" --subnet 10.9.0.1/24
expect_exit 2 "namespaces 1" up --lab "$UNIQ" --namespaces 1
expect_exit 2 "namespaces 251" up --lab "$UNIQ" --namespaces 251
expect_exit 2 "bridge name over 15 characters" up --lab "$UNIQ" --bridge abcdefghijklmnop
expect_exit 2 "bridge name with /" up --lab "$UNIQ" --bridge a/b
expect_exit 2 "lab name with upper case" up --lab "Bad"
expect_exit 2 "lab name with _" up --lab "bad_name"
expect_exit 2 "down of a lab that does not exist" down --lab "$UNIQ-none"
expect_exit 2 "exec into an unknown lab" exec --lab "$UNIQ-none" ns1 -- true
expect_no_leftovers "$UNIQ" "bad input created nothing"

# An existing lab: up again is refused, exec into an unknown namespace is refused.
on_exit "$NSTRACE" down --lab "$UNIQ"
expect_exit 0 "up --isolated" up --isolated --lab "$UNIQ"
expect_exit 3 "up of an existing lab: the name is taken (README: 3)" up --isolated --lab "$UNIQ"
expect_exit 2 "exec into ns9 of a 2-namespace lab" exec --lab "$UNIQ" ns9 -- true
expect_out "exec names the namespace" "no namespace 'ns9'"
expect_exit 0 "down" down --lab "$UNIQ"

# A foreign bridge with our bridge name: exit 3, untouched, and down leaves it.
foreign="${UNIQ}fb"
ip link add "$foreign" type bridge
on_exit ip link del "$foreign"
ip link set "$foreign" up
before=$(ip -d link show "$foreign" | grep -v 'timer')
expect_exit 3 "run with a foreign bridge's name" run --new --lab "$UNIQ" --bridge "$foreign"
expect_out "says the name is taken" "interface '$foreign' already exists"
expect_exit 3 "up with a foreign bridge's name" up --lab "$UNIQ" --bridge "$foreign"
run_nst down --lab "$UNIQ"
after=$(ip -d link show "$foreign" 2>&1 | grep -v 'timer')
[ "$before" = "$after" ] && pass "foreign bridge untouched, also by down" || fail "foreign bridge changed: $after"
expect_no_leftovers "$UNIQ"

# A subnet that overlaps an existing route: exit 3, nothing made. The route
# comes from a veth pair the test makes (and removes) in the root namespace.
ov="${UNIQ}o"
ip link add "$ov" type veth peer name "${ov}p"
on_exit ip link del "$ov"
ip addr add 10.233.7.1/24 dev "$ov"
ip link set "$ov" up
expect_exit 3 "subnet overlapping a route" run --new --lab "$UNIQ" --bridge "${UNIQ}b" --subnet 10.233.0.0/16
expect_out "names both prefixes" "subnet 10.233.0.0/16 overlaps the existing route 10.233.7.0/24"
if ip link show "${UNIQ}b" >/dev/null 2>&1; then fail "no bridge made on overlap"; else pass "no bridge made on overlap"; fi
expect_no_leftovers "$UNIQ" "overlap refusal made nothing"

# Issue 11: every value below refused with exit 2, naming the value and the rule.
bad() { # DESC FRAGMENT ARGS...: exit 2, and the message has FRAGMENT
	local desc=$1 frag=$2
	shift 2
	expect_exit 2 "$desc" "$@"
	expect_out "$desc: names the value and the rule" "$frag"
}
bad "integer with +" "invalid --count '+5': expected a whole number" run --count +5
bad "integer with a leading space" "invalid --count ' 5'" run --count " 5"
bad "integer with a trailing space" "invalid --interval '5 '" run --interval "5 "
bad "subnet 0.0.0.0/0" "a lab's prefix is /8 to /30" up --lab "$UNIQ" --subnet 0.0.0.0/0
bad "subnet /7" "subnet 10.0.0.0/7: a lab's prefix is /8 to /30" up --lab "$UNIQ" --subnet 10.0.0.0/7
bad "subnet /31" "subnet 10.9.0.0/31" up --lab "$UNIQ" --subnet 10.9.0.0/31
bad "loopback subnet" "overlaps 127.0.0.0/8 (loopback)" up --lab "$UNIQ" --subnet 127.0.0.0/24
bad "multicast subnet" "overlaps 224.0.0.0/4 (multicast)" up --lab "$UNIQ" --subnet 224.0.0.0/24
bad "link-local subnet" "overlaps 169.254.0.0/16 (link-local)" up --lab "$UNIQ" --subnet 169.254.0.0/16
bad "a /8 around link-local" "overlaps 169.254.0.0/16" run --subnet 169.0.0.0/8
bad "reserved subnet" "overlaps 240.0.0.0/4" up --lab "$UNIQ" --subnet 250.1.0.0/16
bad "'this network' subnet" "overlaps 0.0.0.0/8" up --lab "$UNIQ" --subnet 0.1.0.0/16
bad "bridge br:0" "'br:0' is not a valid interface name: an interface name has no '/' or ':'" up --lab "$UNIQ" --bridge br:0
bad "bridge .." "'..' is not a valid interface name" up --lab "$UNIQ" --bridge ..
bad "bridge ." "'.' is not a valid interface name" up --lab "$UNIQ" --bridge .
bad "bridge /" "'/' is not a valid interface name" up --lab "$UNIQ" --bridge /
bad "bridge empty" "is 1 to 15 bytes long" up --lab "$UNIQ" --bridge ""
bad "bridge with a space" "no white space" up --lab "$UNIQ" --bridge "br 0"
bad "bridge with %" "'%' would make the kernel pick a number" up --lab "$UNIQ" --bridge "br%d"
bad "bridge too long" "at most 15 bytes" up --lab "$UNIQ" --bridge abcdefghijklmnop
bad "bridge lo" "bridge name 'lo' is taken: it is every namespace's loopback" up --lab "$UNIQ" --isolated --bridge lo
bad "bridge named like the lab's port" "'veth-br2' is the name of the lab's port for ns2" up --lab "$UNIQ" --isolated --bridge veth-br2
bad "bridge named like a root-namespace port" "'$UNIQ-b1' is the name of the lab's port for ns1" up --lab "$UNIQ" --bridge "$UNIQ-b1"
bad "trace --bridge br:0" "trace: invalid --bridge: 'br:0'" trace --passive --bridge br:0
bad "run --lab of a lab that does not exist" "no lab named '$UNIQ-typo' (see" run --lab "$UNIQ-typo"
expect_out "run --lab TYPO says how to build it" "add --new to build it"
bad "build options without --new" "--isolated describes a lab to build: add --new" run --lab "$UNIQ-typo" --isolated
bad "trace --from a regular file" "--from '/etc/passwd' is not a network namespace (/etc/passwd is a regular file)" trace --from /etc/passwd --to 10.1.2.3
bad "trace --from a directory" "--from '/etc' is not a network namespace (/etc is a directory)" trace --from /etc --to 10.1.2.3
bad "trace --from a mount namespace" "is a namespace of another kind" trace --from /proc/self/ns/mnt --to 10.1.2.3
bad "trace --netns a regular file" "--netns '/etc/passwd' is not a network namespace" trace --passive --netns /etc/passwd
bad "trace --to the broadcast address" "it is the broadcast address" trace --from 1 --to 255.255.255.255
bad "trace --to multicast" "it is a multicast address" trace --from 1 --to 224.0.0.1
bad "trace --to loopback" "it is a loopback address" trace --from 1 --to 127.0.0.1
expect_no_leftovers "$UNIQ" "refused values created nothing"

# Not root: each command says what it needs root for, not what run does.
if command -v setpriv >/dev/null; then
	for c in "status:reads the state inside every lab namespace" "down:reads and removes namespaces and links" \
		"exec ns1 -- true:enters a lab namespace" "up:creates namespaces and links" \
		"trace --from x --to 10.1.1.1:loads BPF programs and enters namespaces"; do
		args=${c%%:*} why=${c#*:}
		# shellcheck disable=SC2086
		setpriv --reuid=65534 --regid=65534 --clear-groups "$NSTRACE" $args >"$OUT" 2>&1
		RC=$?
		[ $RC -eq 3 ] && pass "not root: ${args%% *} exits 3" || fail "not root: ${args%% *} exit $RC, expected 3"
		expect_out "not root: ${args%% *} says why" "${args%% *} needs root: it $why"
		expect_no_out "not root: ${args%% *} does not claim BPF or namespaces it does not make" "it creates namespaces and loads BPF"
	done
fi

# down during 'run --lab': run must not report success on a removed lab.
rl="$UNIQ-rm"
on_exit "$NSTRACE" down --lab "$rl"
run_nst up --isolated --lab "$rl"
"$NSTRACE" run --lab "$rl" --count 30 --interval 100 >"$OUT" 2>&1 &
rp=$!
for _ in $(seq 1 100); do holds_bpf "$rp" && break; sleep 0.1; done
sleep 0.3
"$NSTRACE" down --lab "$rl" >/dev/null 2>&1
wait "$rp"
RC=$?
[ $RC -eq 3 ] && pass "run on a lab removed under it: exit 3" || fail "run on a lab removed under it: exit $RC, expected 3"
expect_out "says the lab was removed while traced" "lab '$rl' was removed while it was traced (namespace $rl-"
expect_no_leftovers "$rl" "nothing of the removed lab remains"
