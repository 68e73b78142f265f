// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "analysis/plan.h"

const struct link_state *plan_link(const struct evidence *e, int i)
{
	return e->links && i >= 0 ? &e->links[i] : NULL;
}

struct in_addr plan_addr(const struct evidence *e, int i)
{
	const struct link_state *l = plan_link(e, i);

	return l && l->naddrs ? l->addrs[0] : e->topo->ifs[i].addr;
}

int plan_owner(const struct evidence *e, struct in_addr addr)
{
	const struct topo *t = e->topo;

	if (!e->links)
		return topo_find_addr(t, addr);
	for (int i = 0; i < t->n; i++) {
		const struct link_state *l = &e->links[i];

		/* Not read: the topology's word for it is all there is. */
		if (!l->known && t->ifs[i].addr.s_addr == addr.s_addr &&
		    (t->ifs[i].role == TOPO_ENDPOINT || t->ifs[i].role == TOPO_BRIDGE))
			return i;
		for (int a = 0; a < l->naddrs; a++)
			if (l->addrs[a].s_addr == addr.s_addr)
				return i;
	}
	return -1;
}

const struct route_fact *plan_route(const struct evidence *e, uint32_t ino, struct in_addr src,
				    struct in_addr dst, int iif)
{
	for (int i = 0; e->st && i < e->st->nroutes; i++) {
		const struct route_fact *r = &e->st->routes[i];

		if (r->ns_ino == ino && r->src.s_addr == src.s_addr && r->dst.s_addr == dst.s_addr && r->iif == iif)
			return r;
	}
	return NULL;
}

/* Source end, its peer port, the bridge, the hop's port, the hop's end: as many as are known. */
static void plan_l2(const struct topo *t, struct plan *p)
{
	int port = t->ifs[p->src].peer, hop_port = p->hop >= 0 ? t->ifs[p->hop].peer : -1;

	p->nl2 = 0;
	p->l2[p->nl2++] = p->src;
	if (port >= 0) {
		p->l2[p->nl2++] = port;
		p->bridge = t->ifs[port].master;
	}
	if (p->bridge >= 0)
		p->l2[p->nl2++] = p->bridge;
	if (p->hop < 0 || p->hop == p->bridge || p->hop == p->src)
		return;
	if (hop_port >= 0 && hop_port != port)
		p->l2[p->nl2++] = hop_port;
	p->l2[p->nl2++] = p->hop;
}

void plan_make(const struct evidence *e, struct plan *p)
{
	const struct topo *t = e->topo;
	const struct topo_if *s = &t->ifs[e->flow.src];

	memset(p, 0, sizeof(*p));
	p->src = e->flow.src;
	p->dst = e->flow.dst;
	p->src_addr = plan_addr(e, p->src);
	p->bridge = -1;
	p->out = plan_route(e, s->netns_ino, p->src_addr, p->dst, 0);
	p->nexthop = p->dst;
	if (p->out && p->out->answered && !p->out->err && p->out->gateway.s_addr &&
	    p->out->gateway.s_addr != p->dst.s_addr) {
		p->nexthop = p->out->gateway;
		p->via_gateway = 1;
	}
	p->hop = plan_owner(e, p->nexthop);
	p->target = plan_owner(e, p->dst);
	p->intended = topo_find_addr(t, p->dst);
	plan_l2(t, p);
	p->src_in = plan_route(e, s->netns_ino, p->dst, p->src_addr, s->ifindex);
	if (p->via_gateway && p->hop >= 0) {
		p->fwd = plan_route(e, t->ifs[p->hop].netns_ino, p->src_addr, p->dst, t->ifs[p->hop].ifindex);
		/* As the audit made it: the reply arriving where the request left, else a plain output lookup. */
		if (p->fwd && p->fwd->answered && !p->fwd->err && p->fwd->oif > 0)
			p->back = plan_route(e, t->ifs[p->hop].netns_ino, p->dst, p->src_addr, p->fwd->oif);
		else
			p->back = plan_route(e, t->ifs[p->hop].netns_ino, (struct in_addr){ 0 }, p->src_addr, 0);
	} else if (p->target >= 0) {
		p->in = plan_route(e, t->ifs[p->target].netns_ino, p->src_addr, p->dst, t->ifs[p->target].ifindex);
		p->back = plan_route(e, t->ifs[p->target].netns_ino, p->dst, p->src_addr, 0);
	}
	if (p->target >= 0) {
		p->t_in = plan_route(e, t->ifs[p->target].netns_ino, p->src_addr, p->dst, t->ifs[p->target].ifindex);
		p->t_back = plan_route(e, t->ifs[p->target].netns_ino, p->dst, p->src_addr, 0);
	}
}
