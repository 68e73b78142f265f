// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tc observers: ingress and egress of the links nstrace chose. Every ARP or
 * IPv4 ICMP frame becomes one struct nstrace_event.
 *
 * Nothing here reads kernel memory: the namespace and interface are known
 * where the program was attached. User space loads one copy of this object
 * per group of links whose ifindexes are unique within the group (ifindexes
 * repeat across namespaces), each with its own observer_id, and maps
 * (observer, ifindex) back to (namespace, ifindex). No CO-RE relocation, no
 * kfunc: it loads on any kernel with ring buffers (5.8+) and clsact, and
 * needs no vmlinux BTF, so a copy per group is cheap to load.
 */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "observe.bpf.h"

#define TC_ACT_UNSPEC_ (-1)	/* tcx: TCX_NEXT; clsact: continue with next filter */

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Which group of links this copy is attached to (never 0: 0 means "not tc"). */
const volatile __u32 observer_id = 0;

/* The start of the frame, for pcapng: ARP and ICMP frames are short, so copy what there is. */
static __always_inline void capture(struct __sk_buff *ctx, struct nstrace_event *e)
{
	/* 64-bit, and pinned: clang 14 would reload ctx->len or zero-extend a copy the verifier cannot follow. */
	__u64 n = ctx->len;

	barrier_var(n);
	if (n > NSTRACE_FRAME_MAX)
		n = NSTRACE_FRAME_MAX;
	if (n < ETH_HLEN_ || bpf_skb_load_bytes(ctx, 0, e->frame, n))
		return;
	e->caplen = n;
	e->frame_kind = NSTRACE_FRAME_ETH;
}

/*
 * Direct packet reads only, and every other frame rejected before anything
 * else is done: on a busy link this program runs for every packet.
 */
static __always_inline int observe(struct __sk_buff *ctx, __u8 dir)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct pkt_eth *eth = data;
	struct nstrace_event *e;
	struct seen s = {};

	if ((void *)(eth + 1) > data_end)
		return TC_ACT_UNSPEC_;
	if (eth->proto == bpf_htons(ETH_P_IP_)) {
		struct pkt_ipv4 *ip = (void *)(eth + 1);
		struct pkt_icmp_echo *icmp;

		if ((void *)(ip + 1) > data_end || ipv4_icmp_first(ip))
			return TC_ACT_UNSPEC_;
		icmp = (void *)ip + (ip->ver_ihl & 0xf) * 4;
		if ((void *)(icmp + 1) > data_end)
			return TC_ACT_UNSPEC_;
		seen_icmp(&s, ip, icmp);
		/* Ethernet addresses, not the ARP ones: they show who the frame is for. */
		__builtin_memcpy(s.smac, eth->src, 6);
		__builtin_memcpy(s.dmac, eth->dst, 6);
	} else if (eth->proto == bpf_htons(ETH_P_ARP_)) {
		struct pkt_arp *arp = (void *)(eth + 1);

		if ((void *)(arp + 1) > data_end || arp->ptype != bpf_htons(ETH_P_IP_))
			return TC_ACT_UNSPEC_;
		seen_arp(&s, arp);
		__builtin_memcpy(s.smac, eth->src, 6);
		__builtin_memcpy(s.dmac, eth->dst, 6);
	} else {
		return TC_ACT_UNSPEC_;
	}
	if (!seen_wanted(&s))
		return TC_ACT_UNSPEC_;

	e = event_reserve(&s);
	if (!e)
		return TC_ACT_UNSPEC_;
	/* The kernel's sk_buff is the context itself: its address groups a packet's hops. */
	e->skb = (__u64)(long)ctx;
	e->observer = observer_id;
	e->ifindex = ctx->ifindex;
	e->len = ctx->len;
	e->source = NSTRACE_SRC_TC;
	e->dir = dir;
	capture(ctx, e);
	event_submit(e);
	return TC_ACT_UNSPEC_;
}

SEC("tc")
int tc_ingress(struct __sk_buff *ctx)
{
	return observe(ctx, NSTRACE_DIR_INGRESS);
}

SEC("tc")
int tc_egress(struct __sk_buff *ctx)
{
	return observe(ctx, NSTRACE_DIR_EGRESS);
}
