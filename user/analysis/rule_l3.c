// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Rules from layer 3 facts: routes and the rules that refuse them, neighbours, the target's and gateway's side. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "analysis/fixes.h"
#include "analysis/plan.h"
#include "analysis/rules.h"
#include "model/cidr.h"
#include "model/packet.h"

#define FLAG_NOARP 0x80
#define NUD_NOARP_ 0x40
#define NUD_PERMANENT_ 0x80
#define RTN_BLACKHOLE_ 6
#define RTN_UNREACHABLE_ 7
#define RTN_PROHIBIT_ 8

static const char *route_type_word(int type)
{
	return type == RTN_UNREACHABLE_ ? "unreachable" : type == RTN_PROHIBIT_ ? "prohibit" :
	       type == RTN_BLACKHOLE_ ? "blackhole" : "unicast";
}


/* The route or rule of ns that refuses dst (from src), the most specific first; NULL if none read. */
const struct block_fact *refusing_block(const struct evidence *e, uint32_t ino, struct in_addr src, struct in_addr dst)
{
	const struct block_fact *best = NULL;

	for (int i = 0; e->st && i < e->st->nblocks; i++) {
		const struct block_fact *b = &e->st->blocks[i];

		if (b->ns_ino != ino || !prefix_has(b->dst, b->dst_len, dst) || !prefix_has(b->src, b->src_len, src))
			continue;
		/* Policy rules are consulted before any table: one that matches decides. */
		if (!best || (b->is_rule && !best->is_rule) ||
		    (b->is_rule == best->is_rule && (b->is_rule ? b->priority < best->priority : b->dst_len > best->dst_len)))
			best = b;
	}
	return best;
}

/* The refusing route or rule, named, with the command that removes it and the one that puts it back. */
void block_lines_fix(const struct evidence *e, const struct block_fact *b, const char *where, struct verdict *v)
{
	const struct ns_ref *ref = ref_of(e, b->ns_ino);
	char dst[40], src[40], ip[16], table[16], prio[16];
	struct fix *f;

	snprintf(dst, sizeof(dst), "%s/%d", ip_str(b->dst.s_addr, ip, sizeof(ip)), b->dst_len);
	snprintf(src, sizeof(src), "%s/%d", ip_str(b->src.s_addr, ip, sizeof(ip)), b->src_len);
	snprintf(table, sizeof(table), "%d", b->table);
	snprintf(prio, sizeof(prio), "%d", b->priority);
	if (b->is_rule) {
		add_line(v, "state: policy rule %d in %s: %s%s%s to %s %s", b->priority, where, b->src_len ? "from " : "",
			 b->src_len ? src : "", b->src_len ? " " : "", dst, route_type_word(b->type));
		f = verdict_fix(v, ref, "removes the policy rule that refuses it", ARGV("ip", "rule", "del", "priority", prio));
		if (b->src_len)
			fix_revert(v, f, ref, ARGV("ip", "rule", "add", "priority", prio, "from", src, "to", dst,
						   route_type_word(b->type)));
		else
			fix_revert(v, f, ref, ARGV("ip", "rule", "add", "priority", prio, "to", dst, route_type_word(b->type)));
		return;
	}
	add_line(v, "state: route %s %s in %s (table %d)", route_type_word(b->type), dst, where, b->table);
	f = verdict_fix(v, ref, "removes the route that refuses it",
			ARGV("ip", "route", "del", route_type_word(b->type), dst, "table", table));
	fix_revert(v, f, ref, ARGV("ip", "route", "add", route_type_word(b->type), dst, "table", table));
}

/* The source's own lookup refused by a route or rule of its own: that, not the link, is the cause. */
int rule_route_refused(const struct evidence *e, struct verdict *v)
{
	const struct plan *p = e->plan;
	const struct topo_if *s = &e->topo->ifs[p->src];
	const struct block_fact *b;
	static const char *const ids[] = { [RTN_UNREACHABLE_] = "route-unreachable", [RTN_PROHIBIT_] = "route-prohibited",
					   [RTN_BLACKHOLE_] = "route-blackhole" };
	char a[16];

	if (!p->out || !p->out->answered || !p->out->err || p->out->err == ENETUNREACH)
		return 0;
	b = refusing_block(e, s->netns_ino, p->src_addr, p->dst);
	if (!b)
		return 0;
	add_line(v, "state: %s's route lookup for %s: %s", s->ns_label, ip_str(p->dst.s_addr, a, sizeof(a)),
		 strerror(p->out->err));
	set_cause(v, ids[b->type], 1, "a %s %s in %s refuses %s: the kernel will not send there",
		  b->is_rule ? "policy rule" : "route", route_type_word(b->type), s->ns_label, a);
	block_lines_fix(e, b, s->ns_label, v);
	return 1;
}

/* The source's interface sends no ARP request for a new neighbour: it fails at once (NEIGH_FAILED). */
int rule_source_no_solicit(const struct evidence *e, struct verdict *v)
{
	const struct plan *p = e->plan;
	const struct link_state *l = plan_link(e, p->src);
	const struct topo_if *s = &e->topo->ifs[p->src];
	const struct ns_ref *ref = ref_of(e, s->netns_ino);
	char key[96], was[96];
	struct fix *f;

	if (!l || !l->known || l->conf.mcast_solicit != 0 || l->conf.app_solicit > 0)
		return 0;
	add_line(v, "state: net.ipv4.neigh.%s.mcast_solicit = 0 and app_solicit = %d in %s: no ARP request for a new neighbour",
		 s->name, l->conf.app_solicit, s->ns_label);
	set_cause(v, "source-no-arp-request", 1, "%s in %s sends no ARP request, so every neighbour it has not met fails at once",
		  s->name, s->ns_label);
	snprintf(key, sizeof(key), "net.ipv4.neigh.%s.mcast_solicit=3", s->name);
	snprintf(was, sizeof(was), "net.ipv4.neigh.%s.mcast_solicit=0", s->name);
	f = verdict_fix(v, ref, "asks with ARP again (3 requests, the kernel's default)", ARGV("sysctl", "-w", key));
	fix_revert(v, f, ref, ARGV("sysctl", "-w", was));
	return 1;
}

/* The source sends with NOARP: its frames go to its own MAC (the kernel resolves nothing). */
int rule_source_noarp(const struct evidence *e, struct verdict *v)
{
	const struct plan *p = e->plan;
	const struct link_state *l = plan_link(e, p->src);
	const struct topo_if *s = &e->topo->ifs[p->src];
	struct fix *f;

	if (!l || !l->known || !(l->flags & FLAG_NOARP) || p->hop == p->src)
		return 0;
	add_line(v, "state: %s in %s has NOARP: it resolves no neighbour and sends to its own MAC", s->name, s->ns_label);
	set_cause(v, "source-noarp", 1, "%s in %s does no ARP, so its packets for %s carry the wrong MAC", s->name,
		  s->ns_label, inet_ntoa(p->nexthop));
	f = verdict_fix(v, ref_of(e, s->netns_ino), "lets the source resolve its neighbours again",
			ARGV("ip", "link", "set", "dev", s->name, "arp", "on"));
	fix_revert(v, f, ref_of(e, s->netns_ino), ARGV("ip", "link", "set", "dev", s->name, "arp", "off"));
	return 1;
}

/*
 * One side's neighbour entry for the other: in the namespace of "from", the
 * entry for addr points at a MAC that "to" (the interface that has addr)
 * does not have.
 */
static int wrong_neighbour(const struct evidence *e, const struct topo_if *from, struct in_addr addr,
			   const struct topo_if *to, struct verdict *v)
{
	char mac[18], want[18], a[16];
	struct fix *f;

	for (int i = 0; i < e->st->nneigh; i++) {
		const struct neigh_fact *n = &e->st->neigh[i];
		int fixed = n->state & (NUD_PERMANENT_ | NUD_NOARP_);

		if (n->ns_ino != from->netns_ino || n->ifindex != from->ifindex || n->addr.s_addr != addr.s_addr ||
		    !n->has_lladdr || !memcmp(n->lladdr, to->mac, 6))
			continue;
		mac_str(n->lladdr, mac, sizeof(mac));
		mac_str(to->mac, want, sizeof(want));
		ip_str(addr.s_addr, a, sizeof(a));
		add_line(v, "state: %s's %s neighbour entry: %s is-at %s, but %s on %s has %s", from->ns_label,
			 fixed ? "static" : "cached", a, mac, to->name, to->ns_label, want);
		set_cause(v, "neighbour-wrong-mac", 1, "%s sends %s's packets to %s, a MAC nobody on the way has",
			  from->ns_label, a, mac);
		f = verdict_fix(v, ref_of(e, from->netns_ino), "forgets the wrong MAC: the next packet asks with ARP",
				ARGV("ip", "neigh", "del", a, "dev", from->name));
		fix_revert(v, f, ref_of(e, from->netns_ino), ARGV("ip", "neigh", "replace", a, "lladdr", mac, "dev", from->name,
								  "nud", fixed ? "permanent" : "stale"));
		return 1;
	}
	return 0;
}

/* The source's entry for its next hop, or the next hop's entry for the source (the way back). */
int rule_neighbour(const struct evidence *e, struct verdict *v)
{
	const struct plan *p = e->plan;
	const struct topo_if *s, *hop;

	if (p->hop < 0 || !e->st)
		return 0;
	s = &e->topo->ifs[p->src];
	hop = &e->topo->ifs[p->hop];
	return wrong_neighbour(e, s, p->nexthop, hop, v) || wrong_neighbour(e, hop, p->src_addr, s, v);
}

/* The effective value of an IPv4 conf key: the kernel combines all and the device by max (arp_ignore, rp_filter). */
static int conf_max(int all, int dev)
{
	return all > dev ? all : dev;
}

/* The sender is on the subnet of the address asked for, on that interface (arp_ignore=2 wants it). */
static int same_subnet(const struct link_state *l, struct in_addr asked, struct in_addr sender)
{
	for (int i = 0; i < l->naddrs; i++)
		if (l->addrs[i].s_addr == asked.s_addr && prefix_has(asked, l->prefixlens[i], sender))
			return 1;
	return 0;
}

/*
 * The input lookup of a packet from the source failed the reverse-path
 * check: EXDEV, or EINVAL when strict mode meets a source routed by lo.
 */
static int rpf_refused(const struct ns_state *ns, const struct link_state *l, const struct route_fact *in)
{
	if (!in || !in->answered)
		return 0;
	return in->err == EXDEV || (in->err == EINVAL && ns && l && conf_max(ns->all.rp_filter, l->conf.rp_filter) == 1);
}

/* The ARP request reached the next hop's interface, and no reply left: why that host stays silent. */
int rule_arp_unanswered(const struct evidence *e, struct verdict *v)
{
	const struct plan *p = e->plan;
	const struct topo_if *h;
	const struct link_state *l;
	const struct ns_state *ns;
	const struct ns_ref *ref;
	char a[16];
	int ignore;

	if (p->hop < 0 || !(l = plan_link(e, p->hop)) || !l->known)
		return 0;
	h = &e->topo->ifs[p->hop];
	ns = ns_of(e, h->netns_ino);
	ref = ref_of(e, h->netns_ino);
	ip_str(p->nexthop.s_addr, a, sizeof(a));
	if (l->flags & FLAG_NOARP) {
		add_line(v, "state: %s in %s has NOARP: it answers no ARP request", h->name, h->ns_label);
		set_cause(v, "target-noarp", 1, "%s in %s does no ARP, so nobody learns that %s is there", h->name,
			  h->ns_label, a);
		fix_revert(v, verdict_fix(v, ref, "answers ARP again", ARGV("ip", "link", "set", "dev", h->name, "arp", "on")),
			   ref, ARGV("ip", "link", "set", "dev", h->name, "arp", "off"));
		return 1;
	}
	ignore = ns ? conf_max(ns->all.arp_ignore, l->conf.arp_ignore) : -1;
	if (ignore >= 8 || (ignore == 2 && !same_subnet(l, p->nexthop, p->src_addr))) {
		add_line(v, "state: net.ipv4.conf arp_ignore in %s: all %d, %s %d: effective %d", h->ns_label,
			 ns->all.arp_ignore, h->name, l->conf.arp_ignore, ignore);
		set_cause(v, "target-arp-ignore", 1, "%s ignores ARP requests for its addresses (arp_ignore=%d), so %s stays unknown",
			  h->ns_label, ignore, a);
		fix_conf(v, ref, "answers ARP for its own addresses again", "arp_ignore", h->name, ns->all.arp_ignore,
			 l->conf.arp_ignore, 0);
		return 1;
	}
	if (ns && (ns->all.arp_filter == 1 || l->conf.arp_filter == 1) && p->back && p->back->answered &&
	    !p->back->err && p->back->oif && p->back->oif != h->ifindex) {
		add_line(v, "state: arp_filter is on in %s and its route back to %s leaves by another interface",
			 h->ns_label, inet_ntoa(p->src_addr));
		set_cause(v, "target-arp-filter", 1, "%s answers ARP only on the interface it would reply by (arp_filter), and %s is not it",
			  h->ns_label, h->name);
		fix_conf(v, ref, "answers ARP on every interface", "arp_filter", h->name, ns->all.arp_filter,
			 l->conf.arp_filter, 0);
		return 1;
	}
	/* arp_process() answers a request only if the input lookup from its sender passes, rp_filter included. */
	if (p->hop == p->target && rpf_refused(ns, l, p->t_in)) {
		char b[16];

		ip_str(p->src_addr.s_addr, b, sizeof(b));
		add_line(v, "state: %s's input lookup for %s from %s on %s fails the reverse-path check (%s); ARP asks it before replying",
			 h->ns_label, a, b, h->name, strerror(p->t_in->err));
		set_cause(v, "rp-filter-drop", 1, "%s answers no ARP from %s: reverse-path filtering rejects that source on %s",
			  h->ns_label, b, h->name);
		if (ns)
			fix_rp_loose(v, ref, ns->all.rp_filter);
		return 1;
	}
	return 0;
}

/* The echo request reached the target, no reply left: its route back, or its reverse-path filter. */
int rule_echo_unanswered(const struct evidence *e, struct verdict *v)
{
	const struct plan *p = e->plan;
	const struct topo_if *t;
	const struct block_fact *b;
	char a[16];

	if (p->target < 0)
		return 0;
	t = &e->topo->ifs[p->target];
	ip_str(p->src_addr.s_addr, a, sizeof(a));
	if (rpf_refused(ns_of(e, t->netns_ino), plan_link(e, p->target), p->t_in)) {
		const struct ns_state *ns = ns_of(e, t->netns_ino);

		add_line(v, "state: %s's input lookup for %s arriving on %s fails the reverse-path check (%s)",
			 t->ns_label, a, t->name, strerror(p->t_in->err));
		set_cause(v, "rp-filter-drop", 1, "%s drops the request by reverse-path filtering: its route back to %s is not via %s",
			  t->ns_label, a, t->name);
		if (ns)
			fix_rp_loose(v, ref_of(e, t->netns_ino), ns->all.rp_filter);
		return 1;
	}
	if (!p->t_back || !p->t_back->answered || !p->t_back->err)
		return 0;
	add_line(v, "state: %s's route lookup back to %s: %s", t->ns_label, a, strerror(p->t_back->err));
	set_cause(v, "target-no-route-back", 1, "%s has no route back to %s, so it cannot answer an echo request",
		  t->ns_label, a);
	b = refusing_block(e, t->netns_ino, p->dst, p->src_addr);
	if (b) {
		block_lines_fix(e, b, t->ns_label, v);
		return 1;
	}
	/* No route at all: the source is on the target's own subnet, whose connected route is gone. */
	for (int i = 0; e->links && i < e->links[p->target].naddrs; i++) {
		const struct link_state *l = &e->links[p->target];
		struct cidr c = { { htonl(ntohl(l->addrs[i].s_addr) & (l->prefixlens[i] ? ~0u << (32 - l->prefixlens[i]) : 0)) },
				  l->prefixlens[i] };
		char net[32], ip[16];
		const struct ns_ref *ref = ref_of(e, t->netns_ino);

		if (!cidr_contains(&c, p->src_addr))
			continue;
		snprintf(net, sizeof(net), "%s/%d", ip_str(c.net.s_addr, ip, sizeof(ip)), c.prefixlen);
		fix_revert(v, verdict_fix(v, ref, "restores the connected route", ARGV("ip", "route", "add", net, "dev", t->name)),
			   ref, ARGV("ip", "route", "del", net, "dev", t->name));
		return 1;
	}
	/* Beyond a gateway: the way back is through the gateway's address on the target's own link. */
	if (p->via_gateway && p->hop >= 0 && t->peer >= 0 && e->topo->ifs[t->peer].netns_ino == e->topo->ifs[p->hop].netns_ino) {
		const struct link_state *sl = plan_link(e, p->src);
		struct in_addr via = plan_addr(e, t->peer);
		const struct ns_ref *ref = ref_of(e, t->netns_ino);
		char net[32], ip[16], gw[16];
		int len = sl && sl->naddrs ? sl->prefixlens[0] : 32;
		uint32_t mask = len ? ~0u << (32 - len) : 0;

		if (!via.s_addr)
			return 1;
		snprintf(net, sizeof(net), "%s/%d", ip_str(htonl(ntohl(p->src_addr.s_addr) & mask), ip, sizeof(ip)), len);
		ip_str(via.s_addr, gw, sizeof(gw));
		fix_revert(v, verdict_fix(v, ref, "routes the source's subnet back through the gateway",
					  ARGV("ip", "route", "add", net, "via", gw)),
			   ref, ARGV("ip", "route", "del", net, "via", gw));
	}
	return 1;
}
