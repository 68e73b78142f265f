// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Observers for nstrace: tc ingress/egress on the lab's links, the kernel's
 * drop tracepoint, and netfilter hook edges. Each observation of an ARP or
 * IPv4 ICMP packet inside one of the watched namespaces becomes one
 * struct nstrace_event in the ring buffer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "nstrace/event.h"

#define ETH_HLEN_ 14
#define ETH_P_IP_ 0x0800
#define ETH_P_ARP_ 0x0806
#define IPPROTO_ICMP_ 1
#define TC_ACT_UNSPEC_ (-1)	/* tcx: TCX_NEXT; clsact: continue with next filter */
#define NF_ACCEPT_ 1
#define HEADER_UNSET 0xffff	/* skb->*_header before it is set */
#define IP_OFFSET_MASK 0x1fff	/* fragment offset bits of frag_off */

/* kfunc (6.3+): the tc context as the kernel sk_buff, to reach skb->dev. */
extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Namespaces (by inode) whose packets are reported. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} watched_netns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/* Events lost because the ring buffer was full, per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost_events SEC(".maps");

struct arp_eth_ipv4 {
	__be16 htype;
	__be16 ptype;
	__u8 hlen;
	__u8 plen;
	__be16 op;
	__u8 sha[6];
	__be32 spa;
	__u8 tha[6];
	__be32 tpa;
} __attribute__((packed));

struct icmp_echo_hdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be16 id;
	__be16 seq;
};

static __always_inline int netns_watched(__u32 ino)
{
	return bpf_map_lookup_elem(&watched_netns, &ino) != NULL;
}

static __always_inline void count_lost(void)
{
	__u32 zero = 0;
	__u64 *lost = bpf_map_lookup_elem(&lost_events, &zero);

	if (lost)
		__sync_fetch_and_add(lost, 1);
}

static __always_inline void submit(const struct nstrace_event *e)
{
	/* The reader polls on a timer: a wakeup per event would halve bridged packet rates. */
	if (bpf_ringbuf_output(&events, (void *)e, sizeof(*e), BPF_RB_NO_WAKEUP))
		count_lost();
}

static __always_inline void fill_arp(struct nstrace_event *e, const struct arp_eth_ipv4 *arp)
{
	e->proto = NSTRACE_PROTO_ARP;
	e->arp_op = bpf_ntohs(arp->op);
	e->saddr = arp->spa;
	e->daddr = arp->tpa;
	__builtin_memcpy(e->smac, arp->sha, 6);
	__builtin_memcpy(e->dmac, arp->tha, 6);
}

static __always_inline void fill_icmp(struct nstrace_event *e, const struct iphdr *ip,
				      const struct icmp_echo_hdr *icmp)
{
	e->proto = NSTRACE_PROTO_ICMP;
	e->saddr = ip->saddr;
	e->daddr = ip->daddr;
	e->icmp_type = icmp->type;
	e->icmp_code = icmp->code;
	e->icmp_id = icmp->id;
	e->icmp_seq = icmp->seq;
}

/* ---- tc observers: direct packet access on the frame as the link sees it ---- */

/* The start of the frame, for pcapng: ARP and ICMP frames are short, so copy what there is. */
static __always_inline void capture_tc(struct __sk_buff *ctx, struct nstrace_event *e)
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

static __always_inline int observe_tc(struct __sk_buff *ctx, __u8 dir)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct sk_buff *skb;
	struct nstrace_event e = {};
	__u32 ino;

	if ((void *)(eth + 1) > data_end)
		return TC_ACT_UNSPEC_;
	if (eth->h_proto != bpf_htons(ETH_P_ARP_) && eth->h_proto != bpf_htons(ETH_P_IP_))
		return TC_ACT_UNSPEC_;

	skb = bpf_cast_to_kern_ctx(ctx);
	ino = BPF_CORE_READ(skb, dev, nd_net.net, ns.inum);
	if (!netns_watched(ino))
		return TC_ACT_UNSPEC_;

	if (eth->h_proto == bpf_htons(ETH_P_ARP_)) {
		struct arp_eth_ipv4 *arp = (void *)(eth + 1);

		if ((void *)(arp + 1) > data_end || arp->ptype != bpf_htons(ETH_P_IP_))
			return TC_ACT_UNSPEC_;
		fill_arp(&e, arp);
	} else {
		struct iphdr *ip = (void *)(eth + 1);
		struct icmp_echo_hdr *icmp;

		/* Only a first (or whole) fragment starts with the ICMP header. */
		if ((void *)(ip + 1) > data_end || ip->version != 4 || ip->protocol != IPPROTO_ICMP_ ||
		    ip->ihl < 5 || (ip->frag_off & bpf_htons(IP_OFFSET_MASK)))
			return TC_ACT_UNSPEC_;
		icmp = (void *)ip + ip->ihl * 4;
		if ((void *)(icmp + 1) > data_end)
			return TC_ACT_UNSPEC_;
		fill_icmp(&e, ip, icmp);
	}
	/* Ethernet addresses, not the ARP ones: they show who the frame is for. */
	__builtin_memcpy(e.smac, eth->h_source, 6);
	__builtin_memcpy(e.dmac, eth->h_dest, 6);
	capture_tc(ctx, &e);

	e.ts_ns = bpf_ktime_get_ns();
	e.skb = (__u64)skb;
	e.netns_ino = ino;
	e.ifindex = ctx->ifindex;
	e.len = ctx->len;
	e.source = NSTRACE_SRC_TC;
	e.dir = dir;
	submit(&e);
	return TC_ACT_UNSPEC_;
}

SEC("tc")
int tc_ingress(struct __sk_buff *ctx)
{
	return observe_tc(ctx, NSTRACE_DIR_INGRESS);
}

SEC("tc")
int tc_egress(struct __sk_buff *ctx)
{
	return observe_tc(ctx, NSTRACE_DIR_EGRESS);
}

/* ---- kernel sk_buff decoding, for drops and netfilter hooks ---- */

/* The frame from head + start up to the end of the linear data, at most NSTRACE_FRAME_MAX bytes. */
static __always_inline void capture_kernel(struct nstrace_event *e, unsigned char *head, __u32 start,
					   __u32 tail, __u8 kind)
{
	__u32 n = tail > start ? tail - start : 0;

	if (n > NSTRACE_FRAME_MAX)
		n = NSTRACE_FRAME_MAX;
	if (!n || bpf_probe_read_kernel(e->frame, n, head + start))
		return;
	e->caplen = n;
	e->frame_kind = kind;
}

/*
 * Decode from skb->head + network_header: wherever the skb is freed, the
 * network header is where ARP/IP begins, while skb->data may still point at
 * the Ethernet header (tc) or already past IP (L4).
 */
static __always_inline int decode_kernel_skb(struct sk_buff *skb, struct nstrace_event *e)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 nh = BPF_CORE_READ(skb, network_header);
	__u16 mh = BPF_CORE_READ(skb, mac_header);
	__be16 proto = BPF_CORE_READ(skb, protocol);
	/* Linear data ends at tail: headers past it live in page frags, not here. */
	__u32 tail = BPF_CORE_READ(skb, tail);

	if (nh == HEADER_UNSET || !nh)
		return -1;

	if (proto == bpf_htons(ETH_P_ARP_)) {
		struct arp_eth_ipv4 arp;

		if (nh + sizeof(arp) > tail || bpf_probe_read_kernel(&arp, sizeof(arp), head + nh) ||
		    arp.ptype != bpf_htons(ETH_P_IP_))
			return -1;
		fill_arp(e, &arp);
	} else if (proto == bpf_htons(ETH_P_IP_)) {
		struct iphdr ip;
		struct icmp_echo_hdr icmp;

		if (nh + sizeof(ip) > tail || bpf_probe_read_kernel(&ip, sizeof(ip), head + nh) ||
		    ip.version != 4 || ip.protocol != IPPROTO_ICMP_ || ip.ihl < 5 ||
		    (ip.frag_off & bpf_htons(IP_OFFSET_MASK)))
			return -1;
		if (nh + ip.ihl * 4 + sizeof(icmp) > tail ||
		    bpf_probe_read_kernel(&icmp, sizeof(icmp), head + nh + ip.ihl * 4))
			return -1;
		fill_icmp(e, &ip, &icmp);
	} else {
		return -1;
	}
	if (mh != HEADER_UNSET && proto == bpf_htons(ETH_P_IP_)) {
		struct ethhdr eth;

		if (!bpf_probe_read_kernel(&eth, sizeof(eth), head + mh)) {
			__builtin_memcpy(e->smac, eth.h_source, 6);
			__builtin_memcpy(e->dmac, eth.h_dest, 6);
		}
	}
	e->len = BPF_CORE_READ(skb, len);
	e->skb = (__u64)skb;
	capture_kernel(e, head, mh != HEADER_UNSET && mh < nh ? mh : nh, tail,
		       mh != HEADER_UNSET && mh < nh ? NSTRACE_FRAME_ETH : NSTRACE_FRAME_L3);
	return 0;
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

SEC("tp_btf/kfree_skb")
int BPF_PROG(trace_drop, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	struct nstrace_event e = {};
	__u32 ifindex;
	__u32 ino = skb_netns_ino(skb, &ifindex);

	if (!ino || !netns_watched(ino))
		return 0;
	if (decode_kernel_skb(skb, &e))
		return 0;
	e.ts_ns = bpf_ktime_get_ns();
	e.netns_ino = ino;
	e.ifindex = ifindex;
	e.location = (__u64)location;
	e.drop_reason = reason;
	e.source = NSTRACE_SRC_DROP;
	submit(&e);
	return 0;
}

/* ---- netfilter hook edges (libbpf 1.1 has no SEC for these: typed by the loader) ---- */

static __always_inline int observe_nf(struct bpf_nf_ctx *ctx, __u8 edge)
{
	struct sk_buff *skb = ctx->skb;
	const struct nf_hook_state *state = ctx->state;
	struct nstrace_event e = {};
	__u32 ifindex;
	__u32 ino = BPF_CORE_READ(state, net, ns.inum);

	if (!netns_watched(ino))
		return NF_ACCEPT_;
	if (decode_kernel_skb(skb, &e))
		return NF_ACCEPT_;
	skb_netns_ino(skb, &ifindex);
	e.ts_ns = bpf_ktime_get_ns();
	e.netns_ino = ino;
	e.ifindex = ifindex;
	e.source = NSTRACE_SRC_NF;
	e.nf_hook = BPF_CORE_READ(state, hook);
	e.nf_edge = edge;
	submit(&e);
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
