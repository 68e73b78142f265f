/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared by nstrace's two BPF objects (nstrace.bpf.c: drops and netfilter
 * hooks, CO-RE; tc.bpf.c: tc observers, no CO-RE): the packet headers as
 * nstrace decodes them, the filters user space sets before load, and the ring
 * buffer every observation goes to. Include after vmlinux.h and bpf_helpers.h.
 *
 * The packet structs are nstrace's own, declared after vmlinux.h has popped
 * its preserve_access_index pragma: wire formats never move, so reading them
 * must not cost a CO-RE relocation (the tc object has none at all).
 */
#ifndef NSTRACE_OBSERVE_BPF_H
#define NSTRACE_OBSERVE_BPF_H

#include "nstrace/event.h"
#include "nstrace/names.h"

#define ETH_HLEN_ 14
#define ETH_P_IP_ 0x0800
#define ETH_P_ARP_ 0x0806
#define IPPROTO_ICMP_ 1
#define IP_OFFSET_MASK 0x1fff	/* fragment offset bits of frag_off */

struct pkt_eth {
	__u8 dst[6];
	__u8 src[6];
	__be16 proto;
};

struct pkt_arp {
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

struct pkt_ipv4 {
	__u8 ver_ihl;		/* version << 4 | header length in words */
	__u8 tos;
	__be16 tot_len;
	__be16 id;
	__be16 frag_off;
	__u8 ttl;
	__u8 protocol;
	__sum16 check;
	__be32 saddr;
	__be32 daddr;
};

struct pkt_icmp_echo {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be16 id;
	__be16 seq;
};

/*
 * Filters, set through the skeleton's rodata before load: the verifier sees
 * constants, so a filter that is off costs no instruction.
 */
const volatile __be32 filter_host = 0;		/* sender or target address; 0: any */
const volatile __be16 filter_icmp_id = 0;	/* ICMP only, when filter_has_icmp_id */
const volatile __u8 filter_has_icmp_id = 0;
const volatile __u8 filter_protos = (1 << NSTRACE_PROTO_ARP) | (1 << NSTRACE_PROTO_ICMP);
/* Wake the reader once this much is waiting (0: never; it polls on a timer). */
const volatile __u64 ringbuf_wake_bytes = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);	/* user space may resize it before load */
} events SEC(".maps");

/* Events lost because the ring buffer was full, per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost_events SEC(".maps");

/* What the headers said, before anything is reserved or zeroed. */
struct seen {
	__be32 saddr, daddr;
	__u8 smac[6], dmac[6];	/* Ethernet (ICMP) or ARP sender/target hardware */
	__u16 arp_op;
	__be16 icmp_id, icmp_seq;
	__u8 proto, icmp_type, icmp_code;
};

static __always_inline void seen_arp(struct seen *s, const struct pkt_arp *arp)
{
	s->proto = NSTRACE_PROTO_ARP;
	s->arp_op = bpf_ntohs(arp->op);
	s->saddr = arp->spa;
	s->daddr = arp->tpa;
	__builtin_memcpy(s->smac, arp->sha, 6);
	__builtin_memcpy(s->dmac, arp->tha, 6);
}

/* 0 if ip is the first (or only) fragment of an ICMP datagram: only that one starts with the ICMP header. */
static __always_inline int ipv4_icmp_first(const struct pkt_ipv4 *ip)
{
	return (ip->ver_ihl >> 4) == 4 && (ip->ver_ihl & 0xf) >= 5 && ip->protocol == IPPROTO_ICMP_ &&
	       !(ip->frag_off & bpf_htons(IP_OFFSET_MASK)) ? 0 : -1;
}

static __always_inline void seen_icmp(struct seen *s, const struct pkt_ipv4 *ip,
				      const struct pkt_icmp_echo *icmp)
{
	s->proto = NSTRACE_PROTO_ICMP;
	s->saddr = ip->saddr;
	s->daddr = ip->daddr;
	s->icmp_type = icmp->type;
	s->icmp_code = icmp->code;
	s->icmp_id = icmp->id;
	s->icmp_seq = icmp->seq;
}

/* The user's filters (passive mode), in the order cheapest first. */
static __always_inline int seen_wanted(const struct seen *s)
{
	if (!(filter_protos & (1 << s->proto)))
		return 0;
	if (filter_host && s->saddr != filter_host && s->daddr != filter_host)
		return 0;
	if (filter_has_icmp_id && s->proto == NSTRACE_PROTO_ICMP && s->icmp_id != filter_icmp_id)
		return 0;
	return 1;
}

static __always_inline void count_lost(void)
{
	__u32 zero = 0;
	__u64 *lost = bpf_map_lookup_elem(&lost_events, &zero);

	if (lost)
		__sync_fetch_and_add(lost, 1);
}

/* A zeroed record for s, or NULL (counted as lost) when the ring buffer is full. */
static __always_inline struct nstrace_event *event_reserve(const struct seen *s)
{
	struct nstrace_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_lost();
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->proto = s->proto;
	e->arp_op = s->arp_op;
	e->saddr = s->saddr;
	e->daddr = s->daddr;
	e->icmp_type = s->icmp_type;
	e->icmp_code = s->icmp_code;
	e->icmp_id = s->icmp_id;
	e->icmp_seq = s->icmp_seq;
	__builtin_memcpy(e->smac, s->smac, 6);
	__builtin_memcpy(e->dmac, s->dmac, 6);
	e->ts_ns = bpf_ktime_get_ns();
	return e;
}

static __always_inline void event_submit(struct nstrace_event *e)
{
	/*
	 * The reader polls on a timer: a wakeup per event would halve bridged
	 * packet rates. Only a filling buffer wakes it, so a flood is not lost.
	 */
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (ringbuf_wake_bytes && bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= ringbuf_wake_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(e, flags);
}

#endif /* NSTRACE_OBSERVE_BPF_H */
