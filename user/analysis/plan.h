/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The path a probe must take, from the facts: the source's own route lookup
 * names the next hop (the target, or a gateway), the addresses as they are
 * now name who owns the next hop and the target, and the topology names the
 * links between. Rules judge each stage against this plan and the events.
 */
#ifndef NSTRACE_ANALYSIS_PLAN_H
#define NSTRACE_ANALYSIS_PLAN_H

#include "analysis/diagnose.h"

#define PLAN_MAX_L2 6

struct plan {
	int src;			/* topo index of the sending interface */
	struct in_addr src_addr;	/* its address now (the topology's if unknown) */
	struct in_addr dst;
	const struct route_fact *out;	/* the source's route lookup to dst; NULL if not made */
	struct in_addr nexthop;		/* the gateway, or dst itself */
	int via_gateway;
	int hop;			/* topo index of the interface that owns nexthop now; -1 */
	int target;			/* topo index of the interface that owns dst now; -1 */
	int intended;			/* the topology's owner of dst (a lab's plan); -1 */
	int l2[PLAN_MAX_L2];		/* source end, its peer, bridge, hop's port, hop: the frames' way */
	int nl2;
	int bridge;			/* topo index of the bridge on the way; -1 */
	const struct route_fact *back;	/* the target's (or gateway's) route back to the source */
	const struct route_fact *in;	/* the target's input lookup for the request (rp_filter) */
	const struct route_fact *fwd;	/* the gateway's input lookup: does it forward? */
	const struct route_fact *src_in; /* the source's input lookup for the reply */
	const struct route_fact *t_in, *t_back;	/* the target's input lookup and route back (also beyond a gateway) */
};

void plan_make(const struct evidence *e, struct plan *p);
/* The interface that has addr now, from the audit (the topology's when nothing was read); -1. */
int plan_owner(const struct evidence *e, struct in_addr addr);
/* The route fact for that lookup, or NULL. */
const struct route_fact *plan_route(const struct evidence *e, uint32_t ino, struct in_addr src,
				    struct in_addr dst, int iif);
/* i's first address now, or the topology's. */
struct in_addr plan_addr(const struct evidence *e, int i);
/* The link facts of topo index i, or NULL when nothing was read. */
const struct link_state *plan_link(const struct evidence *e, int i);

#endif
