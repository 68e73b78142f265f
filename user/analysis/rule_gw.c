// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Rules for a target beyond a gateway: the gateway's address, its forwarding, its routes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "analysis/plan.h"
#include "analysis/rules.h"
#include "model/cidr.h"
#include "model/packet.h"

/* An endpoint on the bridge that forwards and has its own route to dst: a gateway that would work. */
static int working_gateway(const struct evidence *e, const struct plan *p)
{
	const struct topo *t = e->topo;

	for (int i = 0; e->st && i < e->st->nroutes; i++) {
		const struct route_fact *r = &e->st->routes[i];
		const struct ns_state *ns = ns_of(e, r->ns_ino);

		if (r->dst.s_addr != p->dst.s_addr || r->src.s_addr || r->iif || !r->answered || r->err ||
		    r->ns_ino == t->ifs[p->src].netns_ino || !ns || ns->ip_forward != 1)
			continue;
		for (int k = 0; k < t->n; k++)
			if (t->ifs[k].netns_ino == r->ns_ino && t->ifs[k].role == TOPO_ENDPOINT &&
			    t->ifs[k].ifindex != r->oif && plan_addr(e, k).s_addr)
				return k;
	}
	return -1;
}

static int gateway_absent(const struct evidence *e, const struct plan *p, struct verdict *v)
{
	const struct topo_if *s = &e->topo->ifs[p->src];
	int good = working_gateway(e, p);
	char gw[16], dst[16], net[40], ip[16], better[16];
	const struct ns_ref *ref = ref_of(e, s->netns_ino);

	ip_str(p->nexthop.s_addr, gw, sizeof(gw));
	ip_str(p->dst.s_addr, dst, sizeof(dst));
	snprintf(net, sizeof(net), "%s/%d", ip_str(p->out->net.s_addr, ip, sizeof(ip)), p->out->net_len);
	add_line(v, "state: %s routes %s via %s (route %s)", s->ns_label, dst, gw, net);
	add_line(v, "state: no interface %s reaches has %s: its ARP requests go unanswered",
		 p->bridge >= 0 ? "the bridge" : "nstrace", gw);
	set_cause(v, "gateway-unreachable", 1, "%s's gateway for %s, %s, is an address nobody on its link has", s->ns_label,
		  dst, gw);
	if (good < 0)
		return 1;
	ip_str(plan_addr(e, good).s_addr, better, sizeof(better));
	add_line(v, "state: %s (%s) forwards and has a route to %s", e->topo->ifs[good].ns_label, better, dst);
	fix_revert(v, verdict_fix(v, ref, "routes via the neighbour that can forward there",
				  ARGV("ip", "route", "replace", net, "via", better, "dev", s->name)),
		   ref, ARGV("ip", "route", "replace", net, "via", gw, "dev", s->name));
	return 1;
}

/*
 * The target is on the source's own link, yet a route sends it via a gateway:
 * removing that route lets the connected one reach the target directly.
 * Offered after the gateway's own fix (the detour may be meant: a firewall).
 */
static void onlink_detour_fix(const struct evidence *e, const struct plan *p, struct verdict *v)
{
	const struct topo_if *s = &e->topo->ifs[p->src];
	const struct link_state *l = plan_link(e, p->src);
	const struct ns_ref *ref = ref_of(e, s->netns_ino);
	char net[40], ip[16], gw[16], table[16];
	int onlink = 0;

	if (!l || !p->out || !p->out->net_len || p->target < 0 || p->target == p->hop)
		return;
	for (int i = 0; i < l->naddrs && !onlink; i++)
		onlink = prefix_has(l->addrs[i], l->prefixlens[i], p->dst);
	if (!onlink)
		return;
	snprintf(net, sizeof(net), "%s/%d", ip_str(p->out->net.s_addr, ip, sizeof(ip)), p->out->net_len);
	ip_str(p->nexthop.s_addr, gw, sizeof(gw));
	snprintf(table, sizeof(table), "%d", p->out->table);
	fix_revert(v, verdict_fix(v, ref, "the target is on the source's own link: without this route it is reached directly",
				  ARGV("ip", "route", "del", net, "via", gw, "table", table)),
		   ref, ARGV("ip", "route", "add", net, "via", gw, "table", table));
}

/* The echo request reached the gateway and went no further, or nothing came back. */
int rule_gateway(const struct evidence *e, struct verdict *v)
{
	const struct plan *p = e->plan;
	const struct topo_if *g;
	const struct ns_state *ns;
	const struct link_state *l;
	const struct block_fact *b;
	char dst[16], src[16];

	if (!p->via_gateway)
		return 0;
	if (p->hop < 0)
		return p->out ? gateway_absent(e, p, v) : 0;
	g = &e->topo->ifs[p->hop];
	ns = ns_of(e, g->netns_ino);
	l = plan_link(e, p->hop);
	ip_str(p->dst.s_addr, dst, sizeof(dst));
	ip_str(p->src_addr.s_addr, src, sizeof(src));
	if (ns && l && (ns->ip_forward == 0 || l->conf.forwarding == 0)) {
		int global = ns->ip_forward == 0;
		char key[96], back[96];

		add_line(v, "state: %s: net.ipv4.ip_forward = %d, net.ipv4.conf.%s.forwarding = %d", g->ns_label,
			 ns->ip_forward, g->name, l->conf.forwarding);
		if (p->fwd && p->fwd->answered && p->fwd->err)
			add_line(v, "state: its input lookup for %s from %s on %s: %s", dst, src, g->name, strerror(p->fwd->err));
		set_cause(v, "gateway-forwarding-off", 1, "the gateway %s does not forward (IP forwarding is off %s), so %s is never passed on",
			  g->ns_label, global ? "in that namespace" : "on its interface", dst);
		snprintf(key, sizeof(key), global ? "net.ipv4.ip_forward=1" : "net.ipv4.conf.%s.forwarding=1", g->name);
		snprintf(back, sizeof(back), global ? "net.ipv4.ip_forward=0" : "net.ipv4.conf.%s.forwarding=0", g->name);
		fix_revert(v, verdict_fix(v, ref_of(e, g->netns_ino), "lets the gateway forward (it then routes for every neighbour)",
					  ARGV("sysctl", "-w", key)),
			   ref_of(e, g->netns_ino), ARGV("sysctl", "-w", back));
		onlink_detour_fix(e, p, v);
		return 1;
	}
	if (p->fwd && p->fwd->answered && p->fwd->err) {
		add_line(v, "state: %s's input lookup for %s from %s on %s: %s", g->ns_label, dst, src, g->name,
			 strerror(p->fwd->err));
		set_cause(v, "gateway-no-route", 1, "the gateway %s has no route on to %s", g->ns_label, dst);
		return 1;
	}
	if (p->back && p->back->answered && p->back->err) {
		add_line(v, "state: %s's route back to %s: %s", g->ns_label, src, strerror(p->back->err));
		set_cause(v, "gateway-no-route-back", 1, "the gateway %s has no route back to %s", g->ns_label, src);
		b = refusing_block(e, g->netns_ino, p->dst, p->src_addr);
		if (b)
			block_lines_fix(e, b, g->ns_label, v);
		return 1;
	}
	return 0;
}
