/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the rule files of analysis/: finding facts and events, and the rules themselves. */
#ifndef NSTRACE_ANALYSIS_RULES_H
#define NSTRACE_ANALYSIS_RULES_H

#include "analysis/diagnose.h"

#define add_line verdict_line
#define set_cause verdict_cause

const struct ns_state *ns_of(const struct evidence *e, uint32_t ino);

/* Where a fix for something in namespace ino runs; NULL: where nstrace runs. */
const struct ns_ref *ref_of(const struct evidence *e, uint32_t ino);

const char *label_of(const struct evidence *e, uint32_t ino);

/* The packet is of this kind, between these addresses, and (ICMP) of this flow's id. */
int packet_is(const struct evidence *e, const struct packet *p, int proto, int type,
	      uint32_t saddr, uint32_t daddr);

const struct packet *find_packet(const struct evidence *e, int proto, int type,
				 uint32_t saddr, uint32_t daddr, int want_undelivered);

const struct nstrace_event *first_drop(const struct evidence *e, const struct packet *p);

/* A hook the packet entered at the first priority and never left at the last. */
const struct nstrace_event *nf_hook_died(const struct evidence *e, const struct packet *p);

void describe_last_hop(const struct evidence *e, const struct packet *p, struct verdict *v,
		       const char *what);

int owns(const struct link_state *l, struct in_addr a);

/* Which endpoint the lab meant to answer, from the topology facts. */
int intended_target(const struct evidence *e);

const struct packet *on_wire(const struct evidence *e, int proto, int type, uint32_t saddr,
			     uint32_t daddr);

int rule_drop(const struct evidence *e, const struct packet *p, const char *what,
	      struct verdict *v);

/* The packet left a netfilter hook under other addresses (NAT): what became of the rewritten one. */
int rule_nat_rewrite(const struct evidence *e, const struct packet *p, const char *what, struct verdict *v);

int rule_links(const struct evidence *e, const struct packet *p, const char *what,
	       int from, int to, struct verdict *v);

int rule_target_address(const struct evidence *e, const struct packet *arp, struct verdict *v);

int rule_source(const struct evidence *e, struct verdict *v);

int rule_no_reply(const struct evidence *e, const struct packet *req, struct verdict *v);

/* The packet was seen entering topo interface idx. */
int reached(const struct packet *p, int idx);

/* analysis/rule_l3.c */
struct block_fact;
const struct block_fact *refusing_block(const struct evidence *e, uint32_t ino, struct in_addr src, struct in_addr dst);
void block_lines_fix(const struct evidence *e, const struct block_fact *b, const char *where, struct verdict *v);
int rule_route_refused(const struct evidence *e, struct verdict *v);
int rule_source_noarp(const struct evidence *e, struct verdict *v);
int rule_neighbour(const struct evidence *e, struct verdict *v);
int rule_arp_unanswered(const struct evidence *e, struct verdict *v);
int rule_echo_unanswered(const struct evidence *e, struct verdict *v);
/* analysis/rule_gw.c */
int rule_gateway(const struct evidence *e, struct verdict *v);
/* analysis/rule_l2.c */
int rule_mtu(const struct evidence *e, const struct packet *p, int at, struct verdict *v);
int rule_bridge_down(const struct evidence *e, const struct packet *p, const char *what, struct verdict *v);
int rule_port_delivery(const struct evidence *e, const struct packet *p, const char *what, struct verdict *v);
/* Two endpoints on the bridge share a MAC: the source and the next hop, or the next hop (or source) and another. */
int rule_duplicate_mac(const struct evidence *e, const struct packet *p, const char *what, struct verdict *v);
/* A frame dropped entering a locked port whose endpoint's MAC the bridge does not have there. */
int rule_port_locked(const struct evidence *e, int port, struct verdict *v);
/* analysis/also.c: other problems on the way, listed after the one the events prove. */
void also_wrong(const struct evidence *e, struct verdict *v);
void checked_lines(const struct evidence *e, struct verdict *v);
int rule_no_arp_reply(const struct evidence *e, struct verdict *v);
/* The source's interface sends no ARP request at all (neigh mcast_solicit and app_solicit 0). */
int rule_source_no_solicit(const struct evidence *e, struct verdict *v);

#endif
