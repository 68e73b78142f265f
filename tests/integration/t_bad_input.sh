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
expect_exit 2 "up of an existing lab" up --isolated --lab "$UNIQ"
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
