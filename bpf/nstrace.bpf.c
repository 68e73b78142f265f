// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Observers for nstrace that read kernel memory (CO-RE): the kernel's drop
 * tracepoint and netfilter hook edges. Each ARP or IPv4 ICMP packet they see
 * inside one of the watched namespaces becomes one struct nstrace_event in
 * the ring buffer, which the tc observers (tc.bpf.c) share.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "observe.bpf.h"

#define NF_ACCEPT_ 1
#define HEADER_UNSET 0xffff	/* skb->*_header before it is set */

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Namespaces (by inode) whose packets are reported. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} watched_netns SEC(".maps");

/*
 * The kernel's own names for what a drop reports, made by the kernel at the
 * first drop of each kind: user space then never reads /proc/kallsyms (some
 * 60 ms) or parses BTF (some 20 ms) to name a drop. Filled only where
 * name_drops is set (bpf_snprintf with %pS: 5.13+).
 */
const volatile __u8 name_drops = 0;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);			/* kernel text address */
	__type(value, struct nstrace_name);	/* "nft_do_chain+0x5ad/0x7a0" */
} site_names SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);			/* enum skb_drop_reason value */
	__type(value, struct nstrace_name);	/* "SKB_DROP_REASON_NO_SOCKET" */
} reason_names SEC(".maps");

static __always_inline void name_site(__u64 location)
{
	struct nstrace_name n = {};

	if (bpf_map_lookup_elem(&site_names, &location))
		return;
	bpf_snprintf(n.name, sizeof(n.name), "%pS", &location, sizeof(location));
	bpf_map_update_elem(&site_names, &location, &n, BPF_NOEXIST);
}

static __always_inline void name_reason(__u32 reason)
{
	struct nstrace_name n = {};
	struct btf_ptr p = { .ptr = &reason, .type_id = bpf_core_type_id_kernel(enum skb_drop_reason) };

	if (bpf_map_lookup_elem(&reason_names, &reason))
		return;
	if (bpf_snprintf_btf(n.name, sizeof(n.name), &p, sizeof(p), BTF_F_COMPACT | BTF_F_NONAME) > 0)
		bpf_map_update_elem(&reason_names, &reason, &n, BPF_NOEXIST);
}

static __always_inline int netns_watched(__u32 ino)
{
	return ino && bpf_map_lookup_elem(&watched_netns, &ino) != NULL;
}

/* Where a decoded packet starts in skb->head, for the capture. */
struct skb_pos {
	unsigned char *head;
	__u32 start, tail;
	__u8 kind;
};

/*
 * Decode from skb->head + network_header: wherever the skb is freed, the
 * network header is where ARP/IP begins, while skb->data may still point at
 * the Ethernet header (tc) or already past IP (L4). The protocol is read
 * first, so everything that is not ARP or IPv4 costs one load.
 *
 * skb is a BTF pointer here (tp_btf, netfilter): its scalar fields are plain
 * loads, relocated by CO-RE, where BPF_CORE_READ calls a helper for each (a
 * netfilter hook that every forwarded packet crosses went from 220 to 145 ns
 * a run). Pointer fields still go through BPF_CORE_READ: the verifier checks
 * a pointer loaded from a BTF pointer with a linear search of the kernel's
 * BTF on every path that reaches it (btf_nested_type_is_trusted), which made
 * loading the object several times slower, for some 25 ns a run.
 */
static __always_inline int decode_skb(struct sk_buff *skb, struct seen *s, struct skb_pos *pos)
{
	__be16 proto = skb->protocol;
	unsigned char *head;
	__u16 nh, mh;
	__u32 tail;

	if (proto != bpf_htons(ETH_P_IP_) && proto != bpf_htons(ETH_P_ARP_))
		return -1;
	head = BPF_CORE_READ(skb, head);
	nh = skb->network_header;
	/* Linear data ends at tail: headers past it live in page frags, not here. */
	tail = skb->tail;
	if (nh == HEADER_UNSET || !nh)
		return -1;
	if (proto == bpf_htons(ETH_P_ARP_)) {
		struct pkt_arp arp;

		if (nh + sizeof(arp) > tail || bpf_probe_read_kernel(&arp, sizeof(arp), head + nh) ||
		    arp.ptype != bpf_htons(ETH_P_IP_))
			return -1;
		seen_arp(s, &arp);
	} else {
		struct {
			struct pkt_ipv4 ip;
			struct pkt_icmp_echo icmp;	/* where it is without IP options */
		} h;
		__u32 ihl;

		/* One read for both headers: IP options are rare, and cost a second read. */
		if (nh + sizeof(h.ip) > tail ||
		    bpf_probe_read_kernel(&h, nh + sizeof(h) <= tail ? sizeof(h) : sizeof(h.ip), head + nh) ||
		    ipv4_icmp_first(&h.ip))
			return -1;
		ihl = (h.ip.ver_ihl & 0xf) * 4;
		if (nh + ihl + sizeof(h.icmp) > tail)
			return -1;
		if (ihl != sizeof(h.ip) && bpf_probe_read_kernel(&h.icmp, sizeof(h.icmp), head + nh + ihl))
			return -1;
		seen_icmp(s, &h.ip, &h.icmp);
	}
	if (!seen_wanted(s))
		return -1;
	mh = skb->mac_header;
	pos->head = head;
	pos->tail = tail;
	pos->start = nh;
	pos->kind = NSTRACE_FRAME_L3;
	if (mh != HEADER_UNSET && mh < nh) {
		pos->start = mh;
		pos->kind = NSTRACE_FRAME_ETH;
		if (proto == bpf_htons(ETH_P_IP_)) {
			struct pkt_eth eth;

			if (!bpf_probe_read_kernel(&eth, sizeof(eth), head + mh)) {
				__builtin_memcpy(s->smac, eth.src, 6);
				__builtin_memcpy(s->dmac, eth.dst, 6);
			}
		}
	}
	return 0;
}

/* The frame from head + start up to the end of the linear data, at most NSTRACE_FRAME_MAX bytes. */
static __always_inline void capture(struct nstrace_event *e, const struct skb_pos *pos)
{
	__u32 n = pos->tail > pos->start ? pos->tail - pos->start : 0;

	if (n > NSTRACE_FRAME_MAX)
		n = NSTRACE_FRAME_MAX;
	if (!n || bpf_probe_read_kernel(e->frame, n, pos->head + pos->start))
		return;
	e->caplen = n;
	e->frame_kind = pos->kind;
}

/* The device's namespace, or the socket's for packets not yet on a device. */
static __always_inline __u32 skb_netns_ino(struct sk_buff *skb, __u32 *ifindex)
{
	struct net_device *dev = BPF_CORE_READ(skb, dev);
	struct sock *sk;

	if (dev) {
		*ifindex = BPF_CORE_READ(dev, ifindex);
		return BPF_CORE_READ(dev, nd_net.net, ns.inum);
	}
	*ifindex = 0;
	sk = BPF_CORE_READ(skb, sk);
	if (sk)
		return BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	return 0;
}

static __always_inline void observe_drop(struct sk_buff *skb, void *location, __u32 reason)
{
	struct nstrace_event *e;
	struct skb_pos pos;
	struct seen s = {};
	__u32 ifindex, ino;

	if (decode_skb(skb, &s, &pos))
		return;
	ino = skb_netns_ino(skb, &ifindex);
	if (!netns_watched(ino))
		return;
	e = event_reserve(&s);
	if (!e)
		return;
	e->skb = (__u64)skb;
	e->len = skb->len;
	e->netns_ino = ino;
	e->ifindex = ifindex;
	e->location = (__u64)location;
	e->drop_reason = reason;
	e->source = NSTRACE_SRC_DROP;
	capture(e, &pos);
	event_submit(e);
	if (name_drops) {
		name_site((__u64)location);
		if (reason != NSTRACE_REASON_UNKNOWN)
			name_reason(reason);
	}
}

/* 5.17+ (commit c504e5c2f964, "net: skb: introduce kfree_skb_reason()"); 6.12 added rx_sk after it. */
SEC("tp_btf/kfree_skb")
int BPF_PROG(trace_drop, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	observe_drop(skb, location, reason);
	return 0;
}

/* Before 5.17 the tracepoint is (skb, location): reading a third argument would not load. */
SEC("tp_btf/kfree_skb")
int BPF_PROG(trace_drop_noreason, struct sk_buff *skb, void *location)
{
	observe_drop(skb, location, NSTRACE_REASON_UNKNOWN);
	return 0;
}

/* ---- netfilter hook edges (6.4+; libbpf 1.1 has no SEC for these: typed by the loader) ---- */

static __always_inline int observe_nf(struct bpf_nf_ctx *ctx, __u8 edge)
{
	struct sk_buff *skb = ctx->skb;
	const struct nf_hook_state *state = ctx->state;
	struct nstrace_event *e;
	struct skb_pos pos;
	struct seen s = {};
	__u32 ifindex, ino;

	if (decode_skb(skb, &s, &pos))
		return NF_ACCEPT_;
	ino = BPF_CORE_READ(state, net, ns.inum);
	if (!netns_watched(ino))
		return NF_ACCEPT_;
	e = event_reserve(&s);
	if (!e)
		return NF_ACCEPT_;
	skb_netns_ino(skb, &ifindex);
	e->skb = (__u64)skb;
	e->len = skb->len;
	e->netns_ino = ino;
	e->ifindex = ifindex;
	e->source = NSTRACE_SRC_NF;
	e->nf_hook = state->hook;
	e->nf_edge = edge;
	capture(e, &pos);
	event_submit(e);
	return NF_ACCEPT_;
}

SEC("netfilter")
int nf_first(struct bpf_nf_ctx *ctx)
{
	return observe_nf(ctx, NSTRACE_NF_FIRST);
}

SEC("netfilter")
int nf_last(struct bpf_nf_ctx *ctx)
{
	return observe_nf(ctx, NSTRACE_NF_LAST);
}
