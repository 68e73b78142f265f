# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Sourced by every integration test: unique names, checks, and a trap that
# removes whatever the test made, whatever happens.
set -u
NSTRACE=${NSTRACE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/nstrace}
TEST_NAME=$(basename "$0" .sh)
# Lab names: a-z0-9-, unique per test run.
UNIQ="t$(printf '%04x' $$)$(printf '%02x' $((RANDOM % 256)))"
OUT=$(mktemp)
CLEANUPS=()

pass() { echo "PASS $TEST_NAME: $1" >>"$NSTRACE_RESULTS"; echo "   ok: $1"; }
fail() {
	echo "FAIL $TEST_NAME: $1" >>"$NSTRACE_RESULTS"
	echo "   not ok: $1"
	[ -s "$OUT" ] && sed 's/^/      | /' "$OUT" | tail -n 40
	return 0
}
skip() { echo "SKIP $TEST_NAME: $1" >>"$NSTRACE_RESULTS"; echo "   skip: $1"; }

# on_exit CMD: run at exit, last registered first.
on_exit() { CLEANUPS=("$*" "${CLEANUPS[@]}"); }
run_cleanups() {
	for c in "${CLEANUPS[@]}"; do eval "$c" >/dev/null 2>&1; done
	rm -f "$OUT"
}
trap run_cleanups EXIT

# run_nst ARGS...: runs nstrace, output in $OUT, exit code in $RC.
run_nst() {
	"$NSTRACE" "$@" >"$OUT" 2>&1
	RC=$?
}

# expect_exit CODE DESC ARGS...
expect_exit() {
	local code=$1 desc=$2
	shift 2
	run_nst "$@"
	if [ "$RC" -eq "$code" ]; then pass "$desc (exit $code)"; else fail "$desc: exit $RC, expected $code"; fi
}

# expect_out DESC FIXED-STRING: $OUT contains it.
# The output with nstrace's wrapping undone: a line cut near the 100-column
# width and its indented continuation are one line again.
unwrapped() {
	awk '{ if (prev_long && $0 ~ /^    +[^ ]/) { sub(/^ +/, ""); line = line " " $0 }
	       else { if (NR > 1) print line; line = $0 }
	       prev_long = length($0) > 70 || (prev_long && $0 ~ /^    +[^ ]/) }
	     END { if (NR) print line }' "$1"
}
expect_out() {
	if grep -qF -- "$2" "$OUT" || unwrapped "$OUT" | grep -qF -- "$2"; then pass "$1"; else fail "$1: output lacks '$2'"; fi
}
expect_no_out() {
	if grep -qF -- "$2" "$OUT" || unwrapped "$OUT" | grep -qF -- "$2"; then fail "$1: output has '$2'"; else pass "$1"; fi
}

# BPF programs nstrace loads, by name (keep in step with bpf/*.bpf.c).
NSTRACE_PROG_NAMES='tc_ingress|tc_egress|trace_drop|trace_drop_noreason|nf_first|nf_last|fdb_update|neigh_update'
nstrace_prog_ids() {
	bpftool prog show 2>/dev/null | sed -nE "s/^([0-9]+): .* name ($NSTRACE_PROG_NAMES) .*/\1/p" | sort
}
# Programs some process holds open (directly or through a link): alive because their owner runs.
held_prog_ids() {
	cat /proc/[0-9]*/fdinfo/* 2>/dev/null | sed -n 's/^prog_id:[[:space:]]*//p' | sort -u
}
# Process PID holds BPF programs (it has loaded its observers).
holds_bpf() {
	cat /proc/"$1"/fdinfo/* 2>/dev/null | grep -q '^prog_id:'
}
# Others may run nstrace on this machine meanwhile: only programs that appeared
# after this test started and that no process holds can be this test's leak.
BPF_BASELINE=$(nstrace_prog_ids)
unheld_new_progs() {
	comm -23 <(comm -13 <(echo "$BPF_BASELINE") <(nstrace_prog_ids)) <(held_prog_ids)
}
# A program whose last fd was just closed lingers a moment before the kernel
# frees it (someone else's nstrace exiting): a leak is one that stays.
nstrace_progs() {
	local first
	first=$(unheld_new_progs)
	[ -z "$first" ] && return 0
	sleep 1
	comm -12 <(echo "$first") <(unheld_new_progs) | sed 's/^/prog id /'
}

# Nothing of lab $1 anywhere: namespaces, /run/netns, root links carrying its mark, BPF links.
# The kernel frees a namespace and a program some time after their last
# reference goes (deferred work, RCU): under load that can take a while, so
# look again for up to 3 s before calling anything left.
expect_no_leftovers() {
	local lab=$1 desc=${2:-"nothing of lab $1 remains"} left="" i
	for i in $(seq 1 30); do
		sleep 0.1
		left=""
		left+=$(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$lab-" || true)
		left+=$(ls /run/netns 2>/dev/null | grep "^$lab-" || true)
		left+=$(ip -o -d link show 2>/dev/null | grep -F "nstrace:$lab:" | awk -F': ' '{print $2}' || true)
		left+=$(nstrace_progs)
		[ -z "$left" ] && break
	done
	if [ -z "$left" ]; then pass "$desc"; else fail "$desc: left $left"; fi
}

# in_sandbox SCRIPT: runs bash SCRIPT in a mount namespace with a /run of its
# own (tmpfs: its own /run/netns and lab lock) and a network namespace of its
# own, so machine-wide commands (down --all, --orphans, the lab lock) see only
# the labs made inside it. The script is run only after proving the sandbox
# is private: a fresh /run, another network namespace, no trace of the
# canary namespace $UNIQ-canary made outside. Exit code: the script's, or 99.
in_sandbox() {
	local script=$1 outer_net
	outer_net=$(readlink /proc/self/ns/net)
	ip netns add "$UNIQ-canary" || return 99
	unshare --mount --net --propagation private env OUTER_NET="$outer_net" CANARY="$UNIQ-canary" LIB="$LIB" \
		NSTRACE="$NSTRACE" bash -c '
		mount -t tmpfs -o mode=0755 "nstrace-sandbox" /run || exit 99
		[ -z "$(ls -A /run)" ] || exit 99
		[ "$(readlink /proc/self/ns/net)" != "$OUTER_NET" ] || exit 99
		[ ! -e "/run/netns/$CANARY" ] || exit 99
		[ "$(ip -o link show | wc -l)" -eq 1 ] || exit 99
		. "$0"' "$script"
	local rc=$?
	ip netns del "$UNIQ-canary"
	return $rc
}
