/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * nftables' own tracing: a table per family whose chains, at the lowest
 * priority of the hooks asked for, mark every packet with nftrace; the
 * kernel then reports each rule and policy verdict on NFNLGRP_NFTRACE.
 * The tables carry NFT_TABLE_F_OWNER: the kernel removes them when the
 * socket that made them closes, however nstrace ends.
 */
#ifndef NSTRACE_KERNEL_NFTRACE_H
#define NSTRACE_KERNEL_NFTRACE_H

#include <stdint.h>
#include "kernel/netlink.h"

#define NFTRACE_MAX_HOOKS 16

struct nftrace_hook {
	int family;		/* NFPROTO_* */
	int hook;
	char dev[16];		/* netdev family: the device */
};

/* A verdict nftables' trace reported that dropped a packet. */
struct nftrace_drop {
	int family;
	char table[32], chain[32];
	uint64_t handle;	/* the rule; 0 for the chain's policy */
	int is_policy;
	int proto;		/* 1 ARP, 2 ICMP (the packet's, from the headers the trace carries), 0 other */
	uint16_t icmp_id;	/* host order */
};

/* One namespace being traced: the socket owning its tables, and the one listening. */
struct nftrace {
	struct nl owner, listen;
	char table[32];
};

/* Both sockets bound inside the namespace behind netns_fd, the tables made; 0 or -errno (nothing left). */
int nftrace_start(struct nftrace *t, int netns_fd, const struct nftrace_hook *hooks, int n);
/* The drops reported so far (non-blocking), at most max; count. */
int nftrace_read(struct nftrace *t, struct nftrace_drop *out, int max);
/* Closes both sockets: the kernel removes the tables. */
void nftrace_stop(struct nftrace *t);

#endif
