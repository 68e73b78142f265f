/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The BPF <-> user-space ABI: one record per observation. */
#ifndef NSTRACE_EVENT_H
#define NSTRACE_EVENT_H

#ifdef __VMLINUX_H__
/* BPF side: types come from vmlinux.h */
#else
#include <linux/types.h>
#endif

/* What produced the record. */
enum nstrace_source {
	NSTRACE_SRC_TC = 1,	/* tc/tcx observer on a link */
	NSTRACE_SRC_DROP = 2,	/* tp_btf/kfree_skb */
	NSTRACE_SRC_NF = 3,	/* BPF netfilter hook observer */
	NSTRACE_SRC_FDB = 4,	/* a bridge learned or moved a MAC (bridge FDB tracepoint) */
	NSTRACE_SRC_NEIGH = 5,	/* a neighbour entry changed state (neigh tracepoint) */
};

/* Direction of a tc observation. */
enum nstrace_dir {
	NSTRACE_DIR_INGRESS = 1,
	NSTRACE_DIR_EGRESS = 2,
};

/* Decoded payload kind. */
enum nstrace_proto {
	NSTRACE_PROTO_ARP = 1,
	NSTRACE_PROTO_ICMP = 2,	/* IPv4 ICMP */
};

/* Which end of a netfilter hook saw the packet. */
enum nstrace_nf_edge {
	NSTRACE_NF_FIRST = 1,	/* first priority: packet entered the hook */
	NSTRACE_NF_LAST = 2,	/* last priority: packet survived the hook */
};

/* Where frame[] starts. */
enum nstrace_frame_kind {
	NSTRACE_FRAME_NONE = 0,
	NSTRACE_FRAME_ETH = 1,	/* at the Ethernet header */
	NSTRACE_FRAME_L3 = 2,	/* at the ARP or IPv4 header (no link-layer header yet) */
};

#define NSTRACE_ARP_REQUEST 1
#define NSTRACE_ARP_REPLY 2
#define NSTRACE_ICMP_ECHOREPLY 0
#define NSTRACE_ICMP_ECHO 8

/* Bytes of each frame kept: Ethernet + ARP (42), or Ethernet + IPv4 + ICMP echo header and 22 bytes of payload. */
#define NSTRACE_FRAME_MAX 64
/* drop_reason when the running kernel's tracepoint has none (before 5.17). */
#define NSTRACE_REASON_UNKNOWN 0xffffffffu

struct nstrace_event {
	__u64 ts_ns;		/* bpf_ktime_get_ns() */
	__u64 skb;		/* skb address where the program has it, else 0 */
	__u64 location;		/* drops: kernel text address that freed the skb */
	__u32 netns_ino;	/* inode of the namespace of the device (tc: filled in by user space) */
	__u32 ifindex;		/* device index in that namespace (0: none); FDB: the port */
	__u32 observer;		/* tc: the id user space gave the attachment that saw it; 0 otherwise */
	__u32 drop_reason;	/* enum skb_drop_reason of the running kernel, or NSTRACE_REASON_UNKNOWN */
	__u32 len;		/* skb->len */
	__u32 aux;		/* FDB: the bridge's ifindex */
	__be32 saddr;		/* ARP sender IP or IPv4 source; NEIGH: the neighbour's address */
	__be32 daddr;		/* ARP target IP or IPv4 destination */
	__u8 smac[6];		/* Ethernet source (tc) or ARP sender hw; FDB: the MAC; NEIGH: its lladdr */
	__u8 dmac[6];		/* Ethernet destination (tc) or ARP target hw */
	__u16 arp_op;		/* host order */
	__be16 icmp_id;
	__be16 icmp_seq;
	__u16 vlan;		/* FDB: VLAN id, 0 if none */
	__u8 source;		/* enum nstrace_source */
	__u8 dir;		/* enum nstrace_dir, tc only */
	__u8 proto;		/* enum nstrace_proto */
	__u8 icmp_type;
	__u8 icmp_code;
	__u8 nf_hook;		/* NF_INET_* hook number, nf only */
	__u8 nf_edge;		/* enum nstrace_nf_edge, nf only */
	__u8 caplen;		/* bytes of frame[] filled */
	__u8 state_old;		/* NEIGH: NUD_* before */
	__u8 state_new;		/* NEIGH: NUD_* after */
	__u8 frame_kind;	/* enum nstrace_frame_kind */
	__u8 pad[1];
	__u8 frame[NSTRACE_FRAME_MAX];	/* the packet as the hook saw it, from frame_kind on */
};

_Static_assert(sizeof(struct nstrace_event) == 152, "nstrace_event ABI changed");

#endif /* NSTRACE_EVENT_H */
