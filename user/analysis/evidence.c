// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Finding facts and events for the rules: namespaces, packets, drops, hooks. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "analysis/drops.h"
#include "analysis/fate.h"
#include "analysis/plan.h"
#include "analysis/rules.h"

const struct ns_state *ns_of(const struct evidence *e, uint32_t ino)
{
	for (int i = 0; i < e->nns; i++)
		if (e->ns[i].ref.ino == ino)
			return &e->ns[i];
	return NULL;
}

/* Where a fix for something in namespace ino runs; NULL: where nstrace runs. */
const struct ns_ref *ref_of(const struct evidence *e, uint32_t ino)
{
	const struct ns_state *ns = ns_of(e, ino);

	return ns ? &ns->ref : NULL;
}

const char *label_of(const struct evidence *e, uint32_t ino)
{
	const struct ns_state *ns = ns_of(e, ino);

	return ns ? ns->ref.label : "?";
}

/* The packet is of this kind, between these addresses, and (ICMP) of this flow's id. */
int packet_is(const struct evidence *e, const struct packet *p, int proto, int type,
	      uint32_t saddr, uint32_t daddr)
{
	return p->key.proto == proto && p->key.type == type && p->key.saddr == saddr &&
	       p->key.daddr == daddr && (proto != NSTRACE_PROTO_ICMP || ntohs(p->key.id) == e->flow.icmp_id);
}

const struct packet *find_packet(const struct evidence *e, int proto, int type,
				 uint32_t saddr, uint32_t daddr, int want_undelivered)
{
	for (int i = 0; i < e->pl->n; i++) {
		const struct packet *p = &e->pl->pkts[i];

		if (packet_is(e, p, proto, type, saddr, daddr) &&
		    (want_undelivered < 0 || p->delivered == !want_undelivered))
			return p;
	}
	return NULL;
}

/*
 * A flooded copy that a host it was not for refused: not the packet's fate.
 * Who it was for: the source, for what is addressed to it (the replies);
 * otherwise the next hop.
 */
static int flooded_copy(const struct evidence *e, const struct packet *p, const struct nstrace_event *ev)
{
	char reason[64];
	int to;

	if (!e->plan)
		return 0;
	to = p->key.daddr == e->plan->src_addr.s_addr ? e->plan->src : e->plan->hop;
	if (to < 0 || ev->netns_ino == e->topo->ifs[to].netns_ino)
		return 0;
	return !strcmp(drop_reason_str(e->nm, ev->drop_reason, reason, sizeof(reason)), "OTHERHOST");
}

const struct nstrace_event *first_drop(const struct evidence *e, const struct packet *p)
{
	for (int i = 0; i < p->nevents; i++) {
		const struct nstrace_event *ev = &e->ev[p->events[i]];

		if (ev->source == NSTRACE_SRC_DROP && !drop_benign_why(ev, e->nm) && !flooded_copy(e, p, ev))
			return ev;
	}
	return NULL;
}

/* A hook the packet entered at the first priority and never left at the last. */
const struct nstrace_event *nf_hook_died(const struct evidence *e, const struct packet *p)
{
	for (int i = 0; i < p->nevents; i++) {
		const struct nstrace_event *a = &e->ev[p->events[i]];
		int passed = 0;

		if (a->source != NSTRACE_SRC_NF || a->nf_edge != NSTRACE_NF_FIRST)
			continue;
		for (int j = 0; j < p->nevents; j++) {
			const struct nstrace_event *b = &e->ev[p->events[j]];

			if (b->source == NSTRACE_SRC_NF && b->nf_edge == NSTRACE_NF_LAST &&
			    b->nf_hook == a->nf_hook && b->netns_ino == a->netns_ino && b->ts_ns >= a->ts_ns)
				passed = 1;
		}
		if (!passed)
			return a;
	}
	return NULL;
}

void describe_last_hop(const struct evidence *e, const struct packet *p, struct verdict *v,
		       const char *what)
{
	int last = path_last_observed(p);
	char path[512], beyond[160] = "";
	struct fate f;

	if (last < 0)
		return;
	/* Where it was going when it died, past the last tc hook: across a bridge, to the next port. */
	packet_fate(e->topo, e->ev, p, e->nm, &f);
	if (f.kind == FATE_DROPPED && f.at >= 0 && f.at != p->hops[last].ifidx && f.via >= 0)
		snprintf(beyond, sizeof(beyond), "; then across %s towards %s, where it was dropped",
			 e->topo->ifs[f.via].name, e->topo->ifs[f.at].name);
	else if (f.kind == FATE_DROPPED && f.at >= 0 && f.at != p->hops[last].ifidx)
		snprintf(beyond, sizeof(beyond), "; then towards %s, where it was dropped", e->topo->ifs[f.at].name);
	add_line(v, "event: the %s was last seen %s %s (tc %s, %s); path %s%s", what,
		 p->hops[last].egress_seen ? "leaving" : "entering", e->topo->ifs[p->hops[last].ifidx].name,
		 p->hops[last].egress_seen ? "egress" : "ingress",
		 e->topo->ifs[p->hops[last].ifidx].ns_label, path_str(e->topo, p, path, sizeof(path)), beyond);
}

int owns(const struct link_state *l, struct in_addr a)
{
	for (int i = 0; i < l->naddrs; i++)
		if (l->addrs[i].s_addr == a.s_addr)
			return 1;
	return 0;
}

/* Which endpoint the lab meant to answer, from the topology facts. */
int intended_target(const struct evidence *e)
{
	return topo_find_addr(e->topo, e->flow.dst);
}

const struct packet *on_wire(const struct evidence *e, int proto, int type, uint32_t saddr,
			     uint32_t daddr)
{
	for (int i = 0; i < e->pl->n; i++) {
		const struct packet *p = &e->pl->pkts[i];

		if (p->nhops > 0 && packet_is(e, p, proto, type, saddr, daddr))
			return p;
	}
	return NULL;
}

int reached(const struct packet *p, int idx)
{
	for (int i = 0; p && i < p->nhops; i++)
		if (p->hops[i].ifidx == idx && p->hops[i].ingress_seen)
			return 1;
	return 0;
}
