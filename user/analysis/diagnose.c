// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The diagnosis: the plan (analysis/plan.c) says where each packet of a
 * probe must go; the events say how far each went; the first stage that
 * failed is judged by the rules for that stage and place, drop events first,
 * then the state of what lies where the packet stopped. Other problems found
 * on the way are listed as "also wrong".
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "analysis/diagnose.h"
#include "analysis/plan.h"
#include "analysis/rules.h"
#include "model/packet.h"

/* Where a packet must get to: the next hop, or (no plan for it) the topology's owner of its destination. */
static int arrived(const struct packet *p, int idx)
{
	return idx >= 0 ? reached(p, idx) : p->delivered;
}

/* The first packet of the flow of this kind that did not arrive at idx. */
static const struct packet *first_lost(const struct evidence *e, int proto, int type, uint32_t saddr, uint32_t daddr,
				       int idx)
{
	for (int i = 0; i < e->pl->n; i++) {
		const struct packet *p = &e->pl->pkts[i];

		if (packet_is(e, p, proto, type, saddr, daddr) && !arrived(p, idx))
			return p;
	}
	return NULL;
}

static const struct packet *first_arrived(const struct evidence *e, int proto, int type, uint32_t saddr,
					  uint32_t daddr, int idx)
{
	for (int i = 0; i < e->pl->n; i++) {
		const struct packet *p = &e->pl->pkts[i];

		if (packet_is(e, p, proto, type, saddr, daddr) && arrived(p, idx))
			return p;
	}
	return NULL;
}

/* A packet that died: a drop or hook verdict explains it, else the state of the way it had to take. */
static int examine(const struct evidence *e, const struct packet *p, const char *what, int from, int to,
		   struct verdict *v)
{
	struct verdict generic;
	int r;

	if (rule_nat_rewrite(e, p, what, v))
		return 1;
	r = rule_drop(e, p, what, v);

	if (r > 0)
		return 1;
	if (r < 0 && p->nhops == 0) {
		/* Dropped before any link (e.g. NEIGH_FAILED): the ARP exchange tells why. */
		memset(v->id, 0, sizeof(v->id));
		v->nevidence = 1;
		return 0;
	}
	if (r < 0) {
		/* A drop no rule names: a broken link on the way is the cause, the drop its symptom. */
		generic = *v;
		v->id[0] = '\0';
		if (rule_bridge_down(e, NULL, what, v) || rule_links(e, NULL, what, from, to, v) ||
		    rule_duplicate_mac(e, NULL, what, v))
			return 1;
		*v = generic;
		return 1;
	}
	/* Never on a link (e.g. waiting for ARP): the links say nothing about it. */
	if (p->nhops == 0)
		return 0;
	return rule_bridge_down(e, p, what, v) || rule_links(e, p, what, from, to, v) ||
	       rule_duplicate_mac(e, p, what, v) || rule_port_delivery(e, p, what, v) || rule_mtu(e, p, -1, v);
}

/* The echo request arrived at the next hop and no reply came: the target, or the gateway, stays silent. */
static int unanswered(const struct evidence *e, const struct packet *p, struct verdict *v)
{
	const struct plan *pl = e->plan;
	int r;

	if (rule_nat_rewrite(e, p, "echo request", v))
		return 1;
	r = rule_drop(e, p, "echo request", v);
	if (r > 0)
		return 1;
	/* Beyond a gateway that passed it on: the target's own reasons to stay silent. */
	if (pl->via_gateway) {
		if (rule_gateway(e, v) || r < 0)
			return 1;
		if (pl->target < 0 || !reached(p, pl->target))
			return 0;
		add_line(v, "event: the echo request reached %s in %s through the gateway; no reply left it",
			 e->topo->ifs[pl->target].name, e->topo->ifs[pl->target].ns_label);
		return rule_echo_unanswered(e, v);
	}
	return r < 0 || rule_echo_unanswered(e, v) || rule_no_reply(e, p, v);
}

/* No echo request on the wire: the ARP exchange for the next hop failed, or never began. */
static int arp_stage(const struct evidence *e, struct verdict *v)
{
	const struct plan *pl = e->plan;
	uint32_t src = pl->src_addr.s_addr, hop = pl->nexthop.s_addr;
	const struct packet *req = on_wire(e, NSTRACE_PROTO_ARP, NSTRACE_ARP_REQUEST, src, hop);
	const struct packet *rep = on_wire(e, NSTRACE_PROTO_ARP, NSTRACE_ARP_REPLY, hop, src);

	if (rep && !arrived(rep, pl->src) && examine(e, rep, "ARP reply", pl->hop, pl->src, v))
		return 1;
	if (req && !rep) {
		if (examine(e, req, "ARP request", pl->src, pl->hop, v))
			return 1;
		if (pl->hop >= 0 && arrived(req, pl->hop)) {
			char path[512];

			add_line(v, "event: the ARP request reached %s in %s; path %s", e->topo->ifs[pl->hop].name,
				 e->topo->ifs[pl->hop].ns_label, path_str(e->topo, req, path, sizeof(path)));
			return rule_arp_unanswered(e, v) || rule_no_arp_reply(e, v);
		}
		if (pl->via_gateway)
			return rule_gateway(e, v);
		return rule_target_address(e, req, v);
	}
	if (req)
		return 0;
	/* Dropped before it reached a link: the source's own ARP firewall, say. */
	req = find_packet(e, NSTRACE_PROTO_ARP, NSTRACE_ARP_REQUEST, src, hop, -1);
	if (req && rule_drop(e, req, "ARP request", v) > 0)
		return 1;
	if (rule_source_noarp(e, v) || rule_source_no_solicit(e, v) || rule_neighbour(e, v) ||
	    rule_links(e, NULL, "ARP request", pl->src, pl->hop, v) ||
	    (pl->via_gateway && pl->hop < 0 && rule_gateway(e, v)))
		return 1;
	add_line(v, "event: no ARP request or echo request was seen on any observed link");
	return 0;
}

static int judge(const struct evidence *e, struct verdict *v)
{
	const struct plan *pl = e->plan;
	uint32_t src = pl->src_addr.s_addr, dst = pl->dst.s_addr;
	const struct packet *p;

	if (rule_source(e, v))
		return 1;
	/* The echo request, then its reply: the first that went missing decides. */
	p = first_lost(e, NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHO, src, dst, pl->hop);
	if (p && examine(e, p, "echo request", pl->src, pl->hop, v))
		return 1;
	p = first_lost(e, NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHOREPLY, dst, src, pl->src);
	if (p && examine(e, p, "echo reply", pl->via_gateway ? pl->hop : pl->target, pl->src, v))
		return 1;
	p = first_arrived(e, NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHO, src, dst, pl->hop);
	if (p && !find_packet(e, NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHOREPLY, dst, src, -1) && unanswered(e, p, v))
		return 1;
	if (!on_wire(e, NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHO, src, dst))
		return arp_stage(e, v);
	/* On the wire, nothing lost that the events show: what the state says. */
	return rule_neighbour(e, v) || rule_source_noarp(e, v);
}

/*
 * What the observers could not see weakens what their silence shows: a lost
 * event looks like a packet that died, an unobserved link like one it never
 * reached. The verdict says so rather than stand on it.
 */
static void weigh_gaps(const struct evidence *e, struct verdict *v)
{
	const struct evidence_gaps *g = &e->gaps;
	int gaps = !!g->lost + !!g->partial + (!v->conclusive || g->lost || g->partial) * (!!g->no_nf + !!g->no_reasons);

	/* These lines matter more than the last of the others: make room. */
	if (v->nevidence > VERDICT_MAX_LINES - gaps)
		v->nevidence = VERDICT_MAX_LINES - gaps;
	if (g->lost) {
		add_line(v, "events: %llu lost (the ring buffer was full): a hop or hook edge not shown may have been passed",
			 (unsigned long long)g->lost);
		v->conclusive = 0;
	}
	if (g->partial) {
		add_line(v, "events: only some links were observed: where observation ends is no evidence of loss");
		v->conclusive = 0;
	}
	if (v->conclusive)
		return;
	if (g->no_nf)
		add_line(v, "events: netfilter hooks were not observed on this kernel: a firewall drop shows only as a kernel drop");
	if (g->no_reasons)
		add_line(v, "events: this kernel gives no drop reasons: a drop's cause comes from its place and the state alone");
}

int diagnose(const struct evidence *in, struct verdict *v)
{
	struct evidence e = *in;
	struct plan plan;
	char a[16];

	memset(v, 0, sizeof(*v));
	/* Nothing sent (interrupted before the first probe): nothing to judge. */
	if (in->flow.sent == 0 || in->flow.received == in->flow.sent)
		return 0;
	plan_make(&e, &plan);
	e.plan = &plan;
	add_line(v, "probe: %d of %d echo requests answered", e.flow.received, e.flow.sent);
	if (!judge(&e, v)) {
		checked_lines(&e, v);
		set_cause(v, "inconclusive", 0,
			  "%d of %d probes to %s went unanswered, but no drop, firewall verdict or state read here explains where",
			  e.flow.sent - e.flow.received, e.flow.sent, ip_str(plan.dst.s_addr, a, sizeof(a)));
	}
	also_wrong(&e, v);
	weigh_gaps(&e, v);
	return 1;
}

int diagnose_notes(const struct evidence *e, char lines[][NOTE_MAX], int max)
{
	int n = 0;

	for (int i = 0; i < e->nns && n < max; i++) {
		const struct ns_state *ns = &e->ns[i];
		int blocks = !strcmp(ns->forward_policy, "DROP") || ns->forward_drop_rules > 0;

		if (!blocks || ns->bridge_nf_call_iptables != 0)
			continue;
		for (int b = 0; b < e->topo->n && n < max; b++) {
			const struct topo_if *x = &e->topo->ifs[b];

			if (x->role != TOPO_BRIDGE || x->netns_ino != ns->ref.ino || e->links[b].br_nf_call_iptables == 1)
				continue;
			snprintf(lines[n++], NOTE_MAX,
				 "note: iptables FORWARD in %s %s, harmless now (net.bridge.bridge-nf-call-iptables=0); it would drop IPv4 bridged by %s if br_netfilter were turned on",
				 ns->ref.label, !strcmp(ns->forward_policy, "DROP") ? "has policy DROP" : "has DROP/REJECT rules", x->name);
		}
	}
	return n;
}
