/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which firewall chain, and where the kernel can tell which rule, stopped a
 * packet: the chains that could have (by namespace, family and hook, from
 * where the events place the packet) narrowed by the hooks the packet was
 * seen to enter and leave, then by the counters that grew while the probes
 * ran. Pure: reads the audit's firewall facts.
 */
#ifndef NSTRACE_ANALYSIS_FW_H
#define NSTRACE_ANALYSIS_FW_H

#include "analysis/diagnose.h"

enum fw_path {
	FW_PATH_BRIDGED = 1,	/* crossing a bridge of that namespace */
	FW_PATH_IN,		/* delivered to that namespace's own stack */
	FW_PATH_OUT,		/* sent by that namespace */
	FW_PATH_FORWARDED,	/* routed through that namespace */
};

/* Where a packet met a netfilter drop, as the events tell it. */
struct fw_site {
	uint32_t ino;		/* the namespace */
	int proto;		/* NSTRACE_PROTO_ARP or NSTRACE_PROTO_ICMP */
	int path;		/* enum fw_path */
	int hook;		/* the IPv4 hook it entered and never left (nf observers), -1 unknown */
	int saw_ipv4_hooks;	/* the IPv4 observers saw it in that namespace: a drop outside them was elsewhere */
	int br_nf_ip, br_nf_arp;	/* br_netfilter hands bridged IPv4/ARP to iptables/arptables there */
	int lost;		/* probes lost: a counter that grew by at least this much counted them */
	uint16_t icmp_id;	/* host order: the probes' echo id, to match nftables' trace */
};

struct fw_blame {
	const struct fw_chain *chain;	/* NULL: no single chain explains it */
	const struct fw_rule *rule;	/* NULL: the chain's policy */
	int by_counter;			/* a counter grew while the probes ran */
	int by_trace;			/* nftables' own trace reported this verdict for the packet */
	int by_silence;			/* the only policy that drops, every drop rule counted nothing */
	int candidates;			/* chains that could have dropped it */
};

/* Fills b; 1 when one chain (and rule or policy) is blamed, 0 otherwise. */
int fw_blame(const struct evidence *e, const struct fw_site *s, struct fw_blame *b);
/* The facts of namespace ino say its firewalls were read. */
int fw_known(const struct evidence *e, uint32_t ino);
/* "nftables table bridge fb, chain forward" and the like. */
const char *fw_chain_str(const struct fw_chain *ch, char *buf, int size);
/* Evidence lines naming the chain, rule or policy, counters and owner. */
void fw_blame_lines(const struct evidence *e, const struct fw_blame *b, struct verdict *v);
/* The fix that lets the packet through that chain: delete the rule, or set the policy to accept. */
void fw_blame_fix(struct verdict *v, const struct ns_ref *ns, const struct fw_blame *b);

#endif
