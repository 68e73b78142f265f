#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 11: down --lab lists what it removes and --dry-run removes nothing;
# down --all asks on a terminal, is refused without one unless --yes;
# --orphans removes the labs whose run died; the lab lock says who holds it
# and gives up on Ctrl-C. Everything machine-wide runs in a sandbox (a /run
# and a network namespace of its own), so no one else's lab is ever at risk.
. "$(dirname "$0")/lib.sh"

# Scoped, on the real machine: one lab of this test.
lab="$UNIQ-d"
on_exit "$NSTRACE" down --lab "$lab"
expect_exit 0 "up --isolated" up --isolated --lab "$lab"
expect_exit 0 "down --lab --dry-run" down --lab "$lab" --dry-run
expect_out "dry run lists the namespaces" "would remove lab $lab: namespaces"
for ns in "$lab-host" "$lab-ns1" "$lab-ns2"; do
	expect_out "dry run names $ns" "$ns"
done
[ -e "/run/netns/$lab-ns1" ] && [ -e "/run/netns/$lab-host" ] && pass "dry run removed nothing" ||
	fail "dry run removed something"
expect_exit 0 "down --lab" down --lab "$lab"
expect_out "down lists what it removed" "removed lab $lab: namespaces"
expect_no_leftovers "$lab"
expect_exit 2 "down of a lab that is gone" down --lab "$lab"
expect_exit 2 "down with --lab and --all" down --lab "$lab" --all
expect_exit 2 "down with --all and --orphans" down --all --orphans

# A lab of this test outside the sandbox stands for everyone else's: the
# sandboxed down --all must not see it, and it must be whole afterwards.
keep="$UNIQ-keep"
on_exit "$NSTRACE" down --lab "$keep"
expect_exit 0 "up --isolated (a lab outside the sandbox)" up --isolated --lab "$keep"

# Everything that looks beyond this test's labs, in the sandbox.
sandboxed=$(mktemp)
on_exit rm -f "$sandboxed"
cat >"$sandboxed" <<'SANDBOX'
. "$LIB"
TEST_NAME=t_down
N=$NSTRACE
pass "sandbox: private /run and network namespace, outer canary invisible"
run_nst up --isolated --lab sa
run_nst up --lab sb --bridge sbbr --subnet 10.77.0.0/24
run_nst status
expect_out "sandbox: two labs" "lab sb: 2 namespaces"

expect_exit 0 "down --all --dry-run" down --all --dry-run
expect_out "dry run lists lab sa" "would remove lab sa: namespaces"
expect_out "dry run lists lab sb's links" "links sb-b1 sb-b2 sbbr"
[ -e /run/netns/sa-ns1 ] && ip link show sbbr >/dev/null 2>&1 && pass "--all --dry-run removed nothing" ||
	fail "--all --dry-run removed something"

"$N" down --all </dev/null >"$OUT" 2>&1
RC=$?
[ $RC -eq 2 ] && pass "--all without a terminal or --yes: exit 2" || fail "--all without a terminal: exit $RC, expected 2"
expect_out "refusal says why and what to add" "stdin is no terminal to ask on: add --yes"
[ -e /run/netns/sa-ns1 ] && pass "refused --all removed nothing" || fail "refused --all removed something"

echo n | script -qec "$N down --all" /dev/null >"$OUT" 2>&1
RC=$?
[ $RC -eq 1 ] && pass "--all answered n on a terminal: exit 1" || fail "--all answered n: exit $RC, expected 1"
expect_out "the question lists the labs" "remove these 2 labs? [y/N]"
expect_out "not confirmed" "not confirmed: nothing removed"
[ -e /run/netns/sa-ns1 ] && pass "declined --all removed nothing" || fail "declined --all removed something"

echo y | script -qec "$N down --all" /dev/null >"$OUT" 2>&1
RC=$?
[ $RC -eq 0 ] && pass "--all answered y on a terminal: exit 0" || fail "--all answered y: exit $RC"
expect_out "lists lab sa as removed" "removed lab sa: namespaces"
expect_out "lists lab sb's links as removed" "links sb-b1 sb-b2 sbbr"
[ -z "$(ls /run/netns)" ] && ! ip link show sbbr >/dev/null 2>&1 && pass "--all confirmed: nothing left" ||
	fail "--all confirmed: left $(ls /run/netns) $(ip -br link | grep -v '^lo')"

run_nst up --isolated --lab sc
expect_exit 0 "--all --yes without a terminal" down --all --yes
expect_out "--yes lists what it removed" "removed lab sc"
expect_exit 0 "--all with no labs" down --all
expect_out "says there are none" "no labs"

# Orphans: a run killed with SIGKILL leaves a lab whose owner is dead.
run_nst up --isolated --lab keep
"$N" run --new --isolated --lab orph --count 200 --interval 100 >/dev/null 2>&1 &
p=$!
for _ in $(seq 1 100); do holds_bpf "$p" && break; sleep 0.1; done
run_nst status --lab orph
expect_out "status names a live run's lab's owner" "owned by pid $p"
expect_exit 3 "down --lab of a lab a live run owns" down --lab orph
expect_out "says whose it is" "belongs to pid $p"
kill -9 "$p"
wait "$p" 2>/dev/null
# run attaches clsact filters to its own links (README: Kernels): they hold
# their programs until the links go, which down --orphans does below.
expect_exit 1 "status after the owner's SIGKILL" status
expect_out "status: orphaned, owner named" "ORPHANED: its owner, pid $p, died"
block=$(awk '/^lab keep:/{on=1; print; next} /^lab /{on=0} on' "$OUT")
echo "$block" | grep -q ORPHANED && fail "a lab from up is not an orphan" || pass "a lab from up is not an orphan"
expect_exit 0 "down --orphans --dry-run" down --orphans --dry-run
expect_out "dry run lists the orphan" "would remove lab orph"
expect_no_out "dry run leaves the up lab alone" "lab keep"
expect_exit 0 "down --orphans" down --orphans
expect_out "removes the orphan" "removed lab orph"
for _ in $(seq 1 10); do [ -z "$(nstrace_progs)" ] && break; sleep 0.1; done
[ -z "$(nstrace_progs)" ] && pass "the killed run's BPF programs went with its links" || fail "BPF left: $(nstrace_progs)"
[ ! -e /run/netns/orph-ns1 ] && [ -e /run/netns/keep-ns1 ] && pass "only the orphan went" ||
	fail "down --orphans: $(ls /run/netns)"
expect_exit 0 "down --orphans with none left" down --orphans
expect_out "says there are none" "no orphaned labs"

# The lab lock: waiting says who holds it, and Ctrl-C gives up with nothing built.
flock --no-fork /run/nstrace.lock sleep 60 &
holder=$!
sleep 0.3
"$N" up --isolated --lab locked >"$OUT" 2>&1 &
w=$!
for _ in $(seq 1 50); do grep -q "waiting for the lab lock" "$OUT" && break; sleep 0.1; done
expect_out "says it waits for the lock" "waiting for the lab lock /run/nstrace.lock"
lockpid=$(sed -n 's/^.* pid \([0-9]*\) (.*holds it.*/\1/p' "$OUT")
[ -n "$lockpid" ] && [ "$(cat /proc/$lockpid/comm 2>/dev/null)" = "$(cat /proc/$holder/comm)" ] &&
	pass "names the holding process (pid $lockpid)" || fail "names the holding process: '$lockpid'"
kill -INT "$w"
wait "$w"
RC=$?
[ $RC -eq 1 ] && pass "Ctrl-C while waiting: exit 1" || fail "Ctrl-C while waiting: exit $RC, expected 1"
expect_out "says nothing was built" "interrupted while waiting for /run/nstrace.lock: nothing was built"
[ ! -e /run/netns/locked-ns1 ] && pass "no lab built after Ctrl-C" || fail "lab built after Ctrl-C"
kill "$holder"
wait "$holder" 2>/dev/null
"$N" down --all --yes >/dev/null 2>&1
SANDBOX
LIB="$(dirname "$0")/lib.sh" in_sandbox "$sandboxed"
rc=$?
[ $rc -eq 0 ] && pass "sandboxed part ran to its end" || fail "sandboxed part: exit $rc (99: the sandbox was not private; nothing ran)"
[ ! -e "/run/netns/$UNIQ-canary" ] && pass "outer canary namespace removed again" || fail "outer canary left"
# Cleanup by name only: the outer lab survived every down --all run in the sandbox.
run_nst status --lab "$keep"
expect_out "the lab outside the sandbox is whole after the sandboxed down --all" "intact"
expect_exit 0 "down --lab of the outside lab" down --lab "$keep"
expect_no_leftovers "$keep"
