/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel state as facts, read by audit/ and judged by analysis/. A read that
 * failed is a fact too: the *_known fields say what could not be read, so a
 * rule never mistakes "could not read" for "absent".
 */
#ifndef NSTRACE_MODEL_STATE_H
#define NSTRACE_MODEL_STATE_H

#include <stdint.h>
#include <netinet/in.h>
#include "model/topo.h"

#define STATE_MAX_ADDRS 4

/* Per namespace, as read from /proc/sys in that namespace; -1 = not present. */
struct ns_state {
	struct ns_ref ref;
	int links_known;	/* the link dump succeeded: absent links are absent */
	int addrs_known;	/* the address dump succeeded */
	int bridge_nf_call_iptables, bridge_nf_call_arptables, bridge_nf_call_ip6tables;
	int icmp_echo_ignore_all;
	int ip_forward;
	/* From 'iptables -S FORWARD' where iptables is installed: extra evidence only. */
	char forward_policy[12];	/* "ACCEPT", "DROP", "" unknown */
	int forward_drop_rules;		/* rules jumping to DROP or REJECT, -1 unknown */
};

/* Per topo interface, as rtnetlink reports it now. */
struct link_state {
	int known;		/* its namespace's link dump succeeded */
	int exists;
	unsigned int flags;	/* IFF_UP, IFF_LOWER_UP (0x10000) */
	int master_ifindex;
	int port_state;		/* BR_STATE_*, -1 not a port */
	int port_isolated;
	int br_nf_call_iptables, br_nf_call_arptables;	/* bridges only, -1 unknown */
	struct in_addr addrs[STATE_MAX_ADDRS];
	int prefixlens[STATE_MAX_ADDRS];
	int naddrs;
};

#endif
