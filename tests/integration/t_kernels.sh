#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 9: the core works on the kernels people run (5.15 up). Each older path
# is forced on this kernel, and the tutorial trace and the forward-drop
# diagnosis run once per path:
#   default         run's own choice (clsact filters on its own links)
#   tcx             --attach tcx (tcx links, 6.6+)
#   clsact          NSTRACE_FORCE=clsact, even with --attach tcx (before 6.6)
#   no-nflink       NSTRACE_FORCE=no-nflink (before 6.4: no BPF netfilter links)
#   no-drop-reason  NSTRACE_FORCE=no-drop-reason (before 5.17: kfree_skb without reason)
#   old             NSTRACE_FORCE=old: all three at once (5.15)
# The README's table "kernel version → what works" is built from these results.
. "$(dirname "$0")/lib.sh"

verdict_of() { sed -n 's/^verdict: \([a-z-]*\).*/\1/p' "$OUT" | head -n1; }
TUTORIAL="NS1 (veth-ns1) → veth-br1 → br0* → veth-br2 → veth-ns2 (NS2)"

# mode  NSTRACE_FORCE  extra-option  tc-mode  reasons(1/0)  nflinks(1/0)
modes=(
	"default - - clsact 1 1"
	"tcx - --attach=tcx tcx 1 1"
	"clsact clsact --attach=tcx clsact 1 1"
	"no-nflink no-nflink - clsact 1 0"
	"no-drop-reason no-drop-reason - clsact 0 1"
	"old old --attach=tcx clsact 0 0"
)
i=0
for m in "${modes[@]}"; do
	read -r mode force opt tcmode reasons nflinks <<<"$m"
	[ "$force" = - ] && force=""
	[ "$opt" = - ] && opt=""
	lab="$UNIQ-$i"
	i=$((i + 1))
	on_exit "$NSTRACE" down --lab "$lab"

	# The tutorial: the path, all replies.
	NSTRACE_FORCE=$force expect_exit 0 "$mode: tutorial trace answers" run --new --isolated --lab "$lab" $opt
	expect_out "$mode: tutorial path" "path: $TUTORIAL"
	expect_out "$mode: 3 of 3 replies" "replies: 3/3"
	expect_out "$mode: tc observers as $tcmode" "observers: $tcmode ingress+egress on 5 links"
	if [ "$reasons" = 1 ]; then
		expect_no_out "$mode: drops carry reasons" "without drop reasons"
		expect_out "$mode: the benign drop is named by the kernel" "NO_SOCKET at ping_rcv"
	else
		expect_out "$mode: says drops have no reason" "tp_btf/kfree_skb without drop reasons"
		expect_out "$mode: says what that loses" "note: drops without the kernel's reason"
		expect_out "$mode: the drop's site is still named" "reason unknown at ping_rcv"
	fi
	if [ "$nflinks" = 1 ]; then
		expect_out "$mode: netfilter observers" "netfilter hooks in 3 namespaces"
		expect_out "$mode: a netfilter hook seen" "netfilter FORWARD passed"
	else
		expect_out "$mode: says there are no netfilter observers" ", no netfilter hooks"
		expect_out "$mode: says what that loses" "note: no netfilter observers"
		expect_no_out "$mode: no netfilter event" "netfilter FORWARD"
	fi
	expect_no_leftovers "$lab" "$mode: tutorial leaves nothing"

	# The forward-drop diagnosis: the right verdict, or an honest inconclusive one.
	NSTRACE_FORCE=$force expect_exit 1 "$mode: forward-drop exits 1" run --new --break forward-drop --lab "$lab" $opt
	expect_out "$mode: forward-drop: 0 of 3 replies" "replies: 0/3"
	got=$(verdict_of)
	# Every path names it: the reason, else the hook never left, else netfilter's own freeing site.
	[ "$got" = br-netfilter-iptables-drop ] && pass "$mode: forward-drop verdict br-netfilter-iptables-drop" ||
		fail "$mode: forward-drop verdict '$got', expected br-netfilter-iptables-drop"
	if [ "$reasons" = 1 ]; then
		expect_out "$mode: the kernel's reason" "NETFILTER_DROP at nft_do_chain"
	else
		expect_out "$mode: the drop's site without a reason" "reason unknown at nft_do_chain"
		if [ "$nflinks" = 1 ]; then
			expect_out "$mode: the hook edges decide" "the drop came inside the FORWARD hook it never left"
		else
			expect_out "$mode: the freeing site decides" "nft_do_chain frees only what a netfilter verdict dropped"
		fi
	fi
	expect_out "$mode: requests die at the bridge" "path: NS1 (veth-ns1) → veth-br1 → br0*   ✗ dropped"
	expect_out "$mode: on their way to veth-br2" "towards veth-br2"
	expect_no_leftovers "$lab" "$mode: forward-drop leaves nothing"
done

# A bad NSTRACE_FORCE word is refused, naming it.
NSTRACE_FORCE=clsact,bogus expect_exit 3 "NSTRACE_FORCE with an unknown word is refused" run --new --isolated --lab "$UNIQ-x"
expect_out "names the unknown word" "unknown word 'bogus'"
expect_no_leftovers "$UNIQ-x" "a refused NSTRACE_FORCE leaves nothing"
expect_exit 2 "--attach needs tcx or clsact" run --attach xdp
