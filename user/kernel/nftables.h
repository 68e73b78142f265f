/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * nftables as the kernel holds it, read through nfnetlink (libmnl, no
 * libnftnl): every table, chain and rule, with the verdicts that can stop a
 * packet. Read-only; the caller checks nf_tables is present first, since a
 * query would otherwise make the kernel load it.
 */
#ifndef NSTRACE_KERNEL_NFTABLES_H
#define NSTRACE_KERNEL_NFTABLES_H

#include <stdint.h>
#include "kernel/netlink.h"

#define NFT_NAME_MAX 32

struct nft_table_rec {
	int family;		/* NFPROTO_* */
	char name[NFT_NAME_MAX];
	int dormant;		/* NFT_TABLE_F_DORMANT: its chains see nothing */
};

struct nft_chain_rec {
	int family;
	char table[NFT_NAME_MAX], name[NFT_NAME_MAX];
	int is_base;		/* attached to a hook */
	int hook, priority;	/* base chains */
	int policy;		/* NF_ACCEPT (1) or NF_DROP (0); -1 not a base chain */
	char type[16];		/* "filter", "nat", "route" */
	char dev[16];		/* netdev chains */
};

enum nft_rule_verdict {
	NFT_RULE_NONE = 0,	/* no final verdict (counts, marks, continues) */
	NFT_RULE_ACCEPT,
	NFT_RULE_DROP,
	NFT_RULE_REJECT,
	NFT_RULE_JUMP,		/* jump/goto/return */
	NFT_RULE_VMAP,		/* a verdict map: may drop, depending on the packet */
};

struct nft_rule_rec {
	int family;
	char table[NFT_NAME_MAX], chain[NFT_NAME_MAX];
	uint64_t handle;
	int verdict;		/* enum nft_rule_verdict */
	char target[NFT_NAME_MAX];	/* a jump's chain, or an xtables target's name (iptables-nft) */
	int matches;		/* expressions that select packets: 0 is unconditional */
	int has_counter;
	uint64_t packets;
};

/* Count or -errno; *out allocated (free it). */
int nft_table_dump(struct nl *nl, struct nft_table_rec **out);
int nft_chain_dump(struct nl *nl, struct nft_chain_rec **out);
int nft_rule_dump(struct nl *nl, struct nft_rule_rec **out);

#endif
