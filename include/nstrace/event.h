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

#define NSTRACE_ARP_REQUEST 1
#define NSTRACE_ARP_REPLY 2
#define NSTRACE_ICMP_ECHOREPLY 0
#define NSTRACE_ICMP_ECHO 8

struct nstrace_event {
	__u64 ts_ns;		/* bpf_ktime_get_ns() */
	__u64 skb;		/* skb address: correlates hops within a namespace */
	__u64 location;		/* drops: kernel text address that freed the skb */
	__u32 netns_ino;	/* inode of the namespace of the device */
	__u32 ifindex;		/* device index in that namespace (0: none) */
	__u32 drop_reason;	/* enum skb_drop_reason of the running kernel */
	__u32 len;		/* skb->len */
	__be32 saddr;		/* ARP sender IP or IPv4 source */
	__be32 daddr;		/* ARP target IP or IPv4 destination */
	__u8 smac[6];		/* Ethernet source (tc) or ARP sender hw */
	__u8 dmac[6];		/* Ethernet destination (tc) or ARP target hw */
	__u16 arp_op;		/* host order */
	__be16 icmp_id;
	__be16 icmp_seq;
	__u8 source;		/* enum nstrace_source */
	__u8 dir;		/* enum nstrace_dir, tc only */
	__u8 proto;		/* enum nstrace_proto */
	__u8 icmp_type;
	__u8 icmp_code;
	__u8 nf_hook;		/* NF_INET_* hook number, nf only */
	__u8 nf_edge;		/* enum nstrace_nf_edge, nf only */
	__u8 pad[7];
};

_Static_assert(sizeof(struct nstrace_event) == 80, "nstrace_event ABI changed");

#endif /* NSTRACE_EVENT_H */
