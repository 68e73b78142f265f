/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Diagnosis rules (pure): from recorded events and state read through
 * netlink and /proc/sys, name the root cause of a failed probe flow, the
 * evidence that proves it, and the fix. Never guesses: when the evidence is
 * not conclusive the verdict says what is known and what is not.
 */
#ifndef NSTRACE_DIAGNOSE_H
#define NSTRACE_DIAGNOSE_H

#include <stdio.h>
#include "path.h"

#define DIAG_MAX_ADDRS 4

/* Per namespace, as read from /proc/sys in that namespace; -1 = not present. */
struct ns_state {
	uint32_t ino;
	char label[48];		/* as in topo ns_label */
	char exec_prefix[160];	/* "", "ip netns exec NAME "...: for pasted commands */
	int bridge_nf_call_iptables, bridge_nf_call_arptables, bridge_nf_call_ip6tables;
	int icmp_echo_ignore_all;
	int ip_forward;
	/* From 'iptables -S FORWARD' where iptables is installed: extra evidence only. */
	char forward_policy[12];	/* "ACCEPT", "DROP", "" unknown */
	int forward_drop_rules;		/* rules jumping to DROP or REJECT, -1 unknown */
};

/* Per topo interface, as rtnetlink reports it now. */
struct link_state {
	int exists;
	unsigned int flags;	/* IFF_UP, IFF_LOWER_UP (0x10000) */
	int master_ifindex;
	int port_state;		/* BR_STATE_*, -1 not a port */
	int port_isolated;
	int br_nf_call_iptables, br_nf_call_arptables;	/* bridges only, -1 unknown */
	struct in_addr addrs[DIAG_MAX_ADDRS];
	int prefixlens[DIAG_MAX_ADDRS];
	int naddrs;
};

struct flow {
	int src;		/* topo index of the sending interface */
	struct in_addr dst;
	int sent, received;
	int send_errno;		/* first sendto() error, 0 if none */
	uint16_t icmp_id;	/* network order is not used: host order */
};

struct evidence {
	const struct topo *topo;
	const struct link_state *links;		/* topo->n entries */
	const struct ns_state *ns;
	int nns;
	const struct nstrace_event *ev;
	int nev;
	const struct packet_list *pl;
	const struct namer *nm;
	struct flow flow;
};

#define VERDICT_MAX_LINES 12

struct verdict {
	char id[40];
	int conclusive;
	char cause[320];
	char evidence[VERDICT_MAX_LINES][240];
	int nevidence;
	char fix[4][240];	/* [0] is the one --fix applies */
	char fix_note[4][200];
	int nfix;
};

/* 0: no verdict (every probe answered); 1: *v filled. */
int diagnose(const struct evidence *e, struct verdict *v);
/*
 * Facts that do not break anything now but would under another setting
 * (FORWARD DROP while br_netfilter is off). Returns how many lines.
 */
int diagnose_notes(const struct evidence *e, char lines[][240], int max);
void print_verdict(FILE *f, const struct verdict *v);

#endif
