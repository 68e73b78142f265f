// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Rules from the state of links, addresses and routes on the path. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "analysis/fixes.h"
#include "analysis/plan.h"
#include "analysis/rules.h"
#include "model/cidr.h"
#include "model/packet.h"

#define FLAG_UP 0x1
#define FLAG_LOWER_UP 0x10000
#define BR_STATE_FORWARDING 3

static const char *const port_states[] = { "disabled", "listening", "learning", "forwarding", "blocking" };

/* The interfaces a packet between two endpoints must cross, in order. */
static int expected_path(const struct topo *t, int from, int to, int out[5])
{
	int n = 0, p1, p2;

	if (from < 0 || to < 0)
		return 0;
	out[n++] = from;
	p1 = t->ifs[from].peer;
	p2 = t->ifs[to].peer;
	if (p1 >= 0) {
		out[n++] = p1;
		if (t->ifs[p1].master >= 0)
			out[n++] = t->ifs[p1].master;
	}
	if (p2 >= 0 && p2 != p1)
		out[n++] = p2;
	out[n++] = to;
	return n;
}

/* The path line comes first in a verdict about a link on the way. */
static void last_hop(const struct evidence *e, const struct packet *p, const char *what, struct verdict *v)
{
	if (p)
		describe_last_hop(e, p, v, what);
}

/* Pass 0: existence and admin state; a down link also takes its peer's carrier. */
static int link_admin(const struct evidence *e, const struct packet *p, int idx, const char *what,
		      struct verdict *v)
{
	const struct topo_if *x = &e->topo->ifs[idx];
	const struct link_state *l = &e->links[idx];

	if (l->exists && (l->flags & FLAG_UP))
		return 0;
	/* A bridge that is down is rule_bridge_down's: it disables every port too. */
	if (e->plan && x->role == TOPO_BRIDGE && l->exists)
		return 0;
	last_hop(e, p, what, v);
	if (!l->exists) {
		add_line(v, "state: %s does not exist in %s", x->name, x->ns_label);
		set_cause(v, "link-missing", 1, "%s, on the path of the %s, no longer exists: recreate it (for an nstrace lab: down, then up again)",
			  x->name, what);
		return 1;
	}
	add_line(v, "state: %s in %s is administratively down", x->name, x->ns_label);
	set_cause(v, "link-down", 1, "%s, on the path of the %s, is down", x->name, what);
	fix_link_up(v, ref_of(e, x->netns_ino), "brings the link up", x->name);
	return 1;
}

/* Pass 1: a port that left its bridge. */
static int link_master(const struct evidence *e, const struct packet *p, int idx, const char *what,
		       struct verdict *v)
{
	const struct topo_if *x = &e->topo->ifs[idx], *br;
	const struct ns_ref *ref = ref_of(e, x->netns_ino);

	if (x->role != TOPO_PORT || x->master < 0)
		return 0;
	br = &e->topo->ifs[x->master];
	if (e->links[idx].master_ifindex == br->ifindex)
		return 0;
	last_hop(e, p, what, v);
	add_line(v, "state: %s has %s (expected master %s)", x->name,
		 e->links[idx].master_ifindex ? "another master" : "no master", br->name);
	set_cause(v, "port-detached", 1, "%s is not a port of %s, so the bridge cannot deliver the %s through it",
		  x->name, br->name, what);
	fix_revert(v, verdict_fix(v, ref, "attaches the port to the bridge again",
				  ARGV("ip", "link", "set", "dev", x->name, "master", br->name)),
		   ref, ARGV("ip", "link", "set", "dev", x->name, "nomaster"));
	return 1;
}

/* Pass 2: carrier and the port's STP state. */
static int link_carrier(const struct evidence *e, const struct packet *p, int idx, const char *what,
			struct verdict *v)
{
	const struct topo *t = e->topo;
	const struct topo_if *x = &t->ifs[idx];
	const struct link_state *l = &e->links[idx];
	const struct ns_ref *ref = ref_of(e, x->netns_ino);
	struct fix *f;
	char was[8];

	if (!(l->flags & FLAG_LOWER_UP) && x->role != TOPO_BRIDGE) {
		last_hop(e, p, what, v);
		add_line(v, "state: %s in %s has no carrier (its peer %s is down or gone)", x->name,
			 x->ns_label, x->peer >= 0 ? t->ifs[x->peer].name : "?");
		set_cause(v, "link-down", 1, "%s has no carrier, so the %s cannot cross it", x->name, what);
		fix_link_up(v, x->peer >= 0 ? ref_of(e, t->ifs[x->peer].netns_ino) : ref,
			    "brings the peer up", x->peer >= 0 ? t->ifs[x->peer].name : x->name);
		return 1;
	}
	if (x->role != TOPO_PORT || l->port_state < 0 || l->port_state == BR_STATE_FORWARDING)
		return 0;
	last_hop(e, p, what, v);
	add_line(v, "state: bridge port %s is %s", x->name,
		 l->port_state < 5 ? port_states[l->port_state] : "in an unknown state");
	set_cause(v, "port-not-forwarding", 1, "bridge port %s is not forwarding (%s)", x->name,
		  l->port_state < 5 ? port_states[l->port_state] : "?");
	/* The kernel's STP runs the port through listening and learning, forward_delay each: it owns the state. */
	if (x->master >= 0 && (l->port_state == 1 || l->port_state == 2) && e->links[x->master].known &&
	    e->links[x->master].br.stp_state > 0) {
		const struct topo_if *br = &t->ifs[x->master];
		const struct ns_ref *bref = ref_of(e, br->netns_ino);

		add_line(v, "state: %s runs STP (stp_state %d), forward_delay %d.%02d s", br->name, e->links[x->master].br.stp_state,
			 e->links[x->master].br.forward_delay / 100, e->links[x->master].br.forward_delay % 100);
		set_cause(v, "port-not-forwarding", 1,
			  "bridge port %s is still %s: %s runs STP, so a port that comes up waits forward_delay in listening and again in learning",
			  x->name, port_states[l->port_state], br->name);
		/* With STP on, the kernel refuses a state set by hand (EBUSY); off, it leaves the port's timers running. */
		f = verdict_fix(v, bref, "turns STP off and the port to forwarding now; a loop between bridges would then flood",
				ARGV("ip", "link", "set", "dev", br->name, "type", "bridge", "stp_state", "0"));
		fix_step(v, f, ref, ARGV("bridge", "link", "set", "dev", x->name, "state", "3"));
		fix_revert(v, f, bref, ARGV("ip", "link", "set", "dev", br->name, "type", "bridge", "stp_state", "1"));
		return 1;
	}
	snprintf(was, sizeof(was), "%d", l->port_state);
	fix_revert(v, verdict_fix(v, ref, "sets the port to forwarding (STP off)",
				  ARGV("bridge", "link", "set", "dev", x->name, "state", "3")),
		   ref, ARGV("bridge", "link", "set", "dev", x->name, "state", was));
	return 1;
}

/* Two isolated ports never talk to each other. */
static int ports_isolated(const struct evidence *e, const struct packet *p, const int *hops, int n,
			  const char *what, struct verdict *v)
{
	const struct topo *t = e->topo;
	const struct ns_ref *ref;
	const char *port;

	if (n < 4 || e->links[hops[1]].port_isolated != 1 || e->links[hops[n - 2]].port_isolated != 1)
		return 0;
	last_hop(e, p, what, v);
	add_line(v, "state: bridge ports %s and %s are both isolated", t->ifs[hops[1]].name, t->ifs[hops[n - 2]].name);
	set_cause(v, "ports-isolated", 1, "%s and %s are isolated ports: the bridge forwards nothing between them",
		  t->ifs[hops[1]].name, t->ifs[hops[n - 2]].name);
	ref = ref_of(e, t->ifs[hops[1]].netns_ino);
	port = t->ifs[hops[1]].name;
	fix_revert(v, verdict_fix(v, ref, "turns isolation off on one port",
				  ARGV("bridge", "link", "set", "dev", port, "isolated", "off")),
		   ref, ARGV("bridge", "link", "set", "dev", port, "isolated", "on"));
	return 1;
}

int rule_links(const struct evidence *e, const struct packet *p, const char *what,
	       int from, int to, struct verdict *v)
{
	static int (*const passes[])(const struct evidence *, const struct packet *, int, const char *,
				     struct verdict *) = { link_admin, link_master, link_carrier };
	int hops[5], n = expected_path(e->topo, from, to, hops);

	for (int pass = 0; pass < 3; pass++) {
		for (int i = 0; i < n; i++) {
			/* A link whose namespace could not be read is unknown, not missing. */
			if (!e->links[hops[i]].known) {
				if (pass == 0)
					add_line(v, "state: could not read the links of %s: %s not checked",
						 e->topo->ifs[hops[i]].ns_label, e->topo->ifs[hops[i]].name);
				continue;
			}
			if (passes[pass](e, p, hops[i], what, v))
				return 1;
		}
	}
	return ports_isolated(e, p, hops, n, what, v);
}

/*
 * Who the ARP request reached that could be meant: one with the target's host
 * part in another subnet (moved), or, failing that, the only one with no
 * address at all (lost it). -1 when the events do not single one out.
 */
static int meant_target(const struct evidence *e, const struct packet *arp, int *moved)
{
	uint32_t host = ntohl(e->flow.dst.s_addr);
	int with_host = -1, bare = -1, nbare = 0, nhost = 0;

	/* Every endpoint that saw it arrive: a flood reaches them all, the path walk follows one. */
	for (int k = 0; arp && k < arp->nevents; k++) {
		const struct nstrace_event *ev = &e->ev[arp->events[k]];
		int i = ev->source == NSTRACE_SRC_TC && ev->dir == NSTRACE_DIR_INGRESS ?
			topo_find(e->topo, ev->netns_ino, ev->ifindex) : -1;
		const struct link_state *l = i >= 0 ? &e->links[i] : NULL;

		if (!l || e->topo->ifs[i].role != TOPO_ENDPOINT || i == e->flow.src || !l->known || i == with_host || i == bare)
			continue;
		if (!l->naddrs) {
			bare = i;
			nbare++;
		}
		for (int a = 0; a < l->naddrs; a++) {
			uint32_t mask = l->prefixlens[a] ? ~0u << (32 - l->prefixlens[a]) : 0;

			if ((ntohl(l->addrs[a].s_addr) & ~mask) == (host & ~mask) && l->addrs[a].s_addr != e->flow.dst.s_addr) {
				with_host = i;
				nhost++;
			}
		}
	}
	*moved = nhost == 1;
	return nhost == 1 ? with_host : nbare == 1 ? bare : -1;
}

int rule_target_address(const struct evidence *e, const struct packet *arp, struct verdict *v)
{
	int moved = 0, target = intended_target(e);
	char a[16], b[16], path[512];
	int delivered_to = 0;

	for (int i = 0; i < e->topo->n; i++)
		if (e->topo->ifs[i].role == TOPO_ENDPOINT && i != e->flow.src && owns(&e->links[i], e->flow.dst))
			return 0;	/* someone owns it: not an address problem */
	ip_str(e->flow.dst.s_addr, a, sizeof(a));
	if (arp) {
		for (int h = 0; h < arp->nhops; h++)
			if (e->topo->ifs[arp->hops[h].ifidx].role == TOPO_ENDPOINT && arp->hops[h].ingress_seen)
				delivered_to = 1;
		add_line(v, "event: the ARP request for %s was %s; path %s", a,
			 delivered_to ? "delivered" : "flooded", path_str(e->topo, arp, path, sizeof(path)));
		add_line(v, "event: no ARP reply for %s was seen anywhere", a);
	}
	/* Addresses that could not be read are unknown, not missing. */
	if (target >= 0 && e->st && !e->links[target].known) {
		add_line(v, "state: could not read the addresses of %s in %s", e->topo->ifs[target].name,
			 e->topo->ifs[target].ns_label);
		return 0;
	}
	/* "Nobody has it" needs every endpoint's addresses read. */
	for (int i = 0; e->st && i < e->topo->n; i++)
		if (e->topo->ifs[i].role == TOPO_ENDPOINT && !e->links[i].known) {
			add_line(v, "state: could not read the addresses of %s in %s", e->topo->ifs[i].name,
				 e->topo->ifs[i].ns_label);
			return 0;
		}
	if (target < 0 || plan_owner(e, e->flow.dst) < 0)
		target = meant_target(e, arp, &moved);
	if (target >= 0 && e->links[target].naddrs > 0 && (moved || topo_find_addr(e->topo, e->flow.dst) == target)) {
		const struct link_state *l = &e->links[target];

		ip_str(l->addrs[0].s_addr, b, sizeof(b));
		add_line(v, "state: %s in %s has %s/%d, not %s", e->topo->ifs[target].name,
			 e->topo->ifs[target].ns_label, b, l->prefixlens[0], a);
		set_cause(v, "target-wrong-subnet", 1, "%s in %s has %s/%d instead of %s, so nobody answers ARP for %s",
			  e->topo->ifs[target].name, e->topo->ifs[target].ns_label, b, l->prefixlens[0], a, a);
		fix_addr(v, ref_of(e, e->topo->ifs[target].netns_ino), "gives the target the address the source is looking for",
			 "replace", e->flow.dst, e->links[e->flow.src].naddrs ? e->links[e->flow.src].prefixlens[0] :
			 e->topo->ifs[target].prefixlen, e->topo->ifs[target].name);
		return 1;
	}
	add_line(v, "state: no interface on the bridge has %s", a);
	set_cause(v, "target-address-missing", 1, "no namespace on the bridge has the address %s, so ARP for it gets no answer", a);
	if (target >= 0)
		fix_addr(v, ref_of(e, e->topo->ifs[target].netns_ino), "puts the address back", "add", e->flow.dst,
			 e->topo->ifs[target].prefixlen ? e->topo->ifs[target].prefixlen :
			 e->links[e->flow.src].naddrs ? e->links[e->flow.src].prefixlens[0] : 32,
			 e->topo->ifs[target].name);
	return 1;
}

/*
 * An address for the source in the target's subnet: the lab's own (the
 * topology's, when the source lost it), else the source's host part in the
 * subnet of the interface that has the target, if nothing uses it.
 */
static int suggest_source_addr(const struct evidence *e, struct in_addr *out, int *plen)
{
	const struct topo_if *s = &e->topo->ifs[e->flow.src];
	const struct link_state *l = &e->links[e->flow.src], *t;
	const struct plan *pl = e->plan;
	uint32_t mask;

	if (s->addr.s_addr && !owns(l, s->addr)) {
		*out = s->addr;
		*plen = s->prefixlen;
		return 1;
	}
	if (!pl || pl->target < 0 || !l->naddrs || !(t = &e->links[pl->target])->naddrs)
		return 0;
	*plen = t->prefixlens[0];
	mask = *plen ? ~0u << (32 - *plen) : 0;
	out->s_addr = htonl((ntohl(t->addrs[0].s_addr) & mask) | (ntohl(l->addrs[0].s_addr) & ~mask));
	return plan_owner(e, *out) < 0 && out->s_addr != t->addrs[0].s_addr;
}

/*
 * The source's route leaves by another device than its link into the bridge
 * (lo, a dummy): the probes never reach a link.
 */
static int source_wrong_route(const struct evidence *e, struct verdict *v)
{
	const struct plan *p = e->plan;
	const struct topo_if *s = &e->topo->ifs[p->src];
	const struct route_fact *r = p->out;
	const struct ns_ref *ref = ref_of(e, s->netns_ino);
	char a[16], net[32], ip[16], table[16], dev[24];
	struct fix *f;

	if (!r || !r->answered || r->err || r->oif <= 0 || r->oif == s->ifindex || r->type != 1 /* RTN_UNICAST */)
		return 0;
	ip_str(p->dst.s_addr, a, sizeof(a));
	snprintf(dev, sizeof(dev), "%s", r->oif_name[0] ? r->oif_name : "another device");
	snprintf(net, sizeof(net), "%s/%d", ip_str(r->net.s_addr, ip, sizeof(ip)), r->net_len);
	snprintf(table, sizeof(table), "%d", r->table);
	add_line(v, "state: %s's route lookup for %s: dev %s (route %s, table %d), not %s", s->ns_label, a, dev, net,
		 r->table, s->name);
	set_cause(v, "source-wrong-route", 1, "%s sends its packets for %s out of %s, not out of %s towards the bridge",
		  s->ns_label, a, dev, s->name);
	if (!r->oif_name[0] || !r->net_len)
		return 1;
	f = verdict_fix(v, ref, "removes the route that sends them astray: the connected route takes over",
			ARGV("ip", "route", "del", net, "dev", r->oif_name, "table", table));
	fix_revert(v, f, ref, ARGV("ip", "route", "add", net, "dev", r->oif_name, "table", table));
	return 1;
}

int rule_source(const struct evidence *e, struct verdict *v)
{
	const struct topo_if *s = &e->topo->ifs[e->flow.src];
	const struct link_state *l = &e->links[e->flow.src];
	struct in_addr suggest;
	char a[16], b[16];
	int plen;

	if (e->plan && (rule_route_refused(e, v) || source_wrong_route(e, v)))
		return 1;
	if (e->flow.send_errno == EMSGSIZE && e->plan) {
		struct packet echo;

		memset(&echo, 0, sizeof(echo));
		echo.key.proto = NSTRACE_PROTO_ICMP;
		echo.key.id = htons(e->flow.icmp_id);
		add_line(v, "event: sendto from %s failed: %s (don't fragment was set)", s->ns_label, strerror(EMSGSIZE));
		return rule_mtu(e, &echo, e->flow.src, v);
	}
	if (e->flow.send_errno != ENETUNREACH && e->flow.send_errno != EHOSTUNREACH &&
	    e->flow.send_errno != EADDRNOTAVAIL)
		return 0;
	ip_str(e->flow.dst.s_addr, a, sizeof(a));
	add_line(v, "event: sendto %s from %s failed: %s", a, s->ns_label, strerror(e->flow.send_errno));
	if (e->st && !l->known) {
		add_line(v, "state: could not read the links of %s", s->ns_label);
		return 0;
	}
	/* A down link takes its connected route with it: that, not the route, is the cause. */
	if (l->exists && !(l->flags & FLAG_UP)) {
		add_line(v, "state: %s in %s is administratively down", s->name, s->ns_label);
		set_cause(v, "link-down", 1, "%s, the source's own interface, is down, so %s has no route to %s",
			  s->name, s->ns_label, a);
		fix_link_up(v, ref_of(e, s->netns_ino), "brings the link (and its connected route) up", s->name);
		return 1;
	}
	for (int i = 0; i < l->naddrs; i++) {
		struct cidr c = { { htonl(ntohl(l->addrs[i].s_addr) & (l->prefixlens[i] ? ~0u << (32 - l->prefixlens[i]) : 0)) },
				  l->prefixlens[i] };

		if (!cidr_contains(&c, e->flow.dst))
			continue;
		ip_str(l->addrs[i].s_addr, b, sizeof(b));
		add_line(v, "state: %s in %s has %s/%d, which contains %s, yet the kernel found no route",
			 s->name, s->ns_label, b, l->prefixlens[i], a);
		set_cause(v, "source-no-route", 1, "namespace %s has no route to %s although its address is in that subnet (the route was removed)",
			  s->ns_label, a);
		{
			char net[32];
			const struct ns_ref *ref = ref_of(e, s->netns_ino);

			snprintf(net, sizeof(net), "%s/%d", ip_str(c.net.s_addr, b, sizeof(b)), c.prefixlen);
			fix_revert(v, verdict_fix(v, ref, "restores the connected route",
						  ARGV("ip", "route", "add", net, "dev", s->name)),
				   ref, ARGV("ip", "route", "del", net, "dev", s->name));
		}
		return 1;
	}
	if (l->naddrs == 0) {
		add_line(v, "state: %s in %s has no IPv4 address", s->name, s->ns_label);
		set_cause(v, "source-address-missing", 1, "%s in %s has no address, so there is no route to %s", s->name, s->ns_label, a);
	} else {
		ip_str(l->addrs[0].s_addr, b, sizeof(b));
		add_line(v, "state: %s in %s has %s/%d, a subnet without %s", s->name, s->ns_label, b, l->prefixlens[0], a);
		set_cause(v, "source-wrong-subnet", 1, "%s in %s has %s/%d, which does not contain %s, so it has no route there",
			  s->name, s->ns_label, b, l->prefixlens[0], a);
	}
	if (suggest_source_addr(e, &suggest, &plen))
		fix_addr(v, ref_of(e, s->netns_ino), "gives the source an address in the target's subnet", "replace",
			 suggest, plen, s->name);
	return 1;
}

int rule_no_reply(const struct evidence *e, const struct packet *req, struct verdict *v)
{
	int target = intended_target(e);
	const struct ns_state *ns;
	char path[512];

	if (target < 0)
		return 0;
	ns = ns_of(e, e->topo->ifs[target].netns_ino);
	add_line(v, "event: the echo request reached %s; path %s", e->topo->ifs[target].ns_label,
		 path_str(e->topo, req, path, sizeof(path)));
	add_line(v, "event: no echo reply left %s and no drop was reported", e->topo->ifs[target].ns_label);
	if (ns && ns->icmp_echo_ignore_all == 1) {
		add_line(v, "state: net.ipv4.icmp_echo_ignore_all = 1 in %s", ns->ref.label);
		set_cause(v, "target-ignores-echo", 1, "namespace %s ignores echo requests (net.ipv4.icmp_echo_ignore_all=1)", ns->ref.label);
		fix_sysctl(v, &ns->ref, "answers pings again", "net.ipv4.icmp_echo_ignore_all", 0, 1);
		return 1;
	}
	if (ns)
		add_line(v, "state: net.ipv4.icmp_echo_ignore_all = %d in %s", ns->icmp_echo_ignore_all, ns->ref.label);
	set_cause(v, "target-no-reply", 0,
		  "the echo request reached %s, which sent no reply; no drop, firewall verdict or setting read here explains why",
		  e->topo->ifs[target].ns_label);
	return 1;
}
