// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Rules from layer 2 facts on the frames' way: the bridge, its ports' flooding, its FDB, MTUs. */
#include <stdio.h>
#include <string.h>
#include "analysis/fixes.h"
#include "analysis/plan.h"
#include "analysis/rules.h"
#include "model/packet.h"

#define FLAG_UP 0x1
#define NUD_NOARP_ 0x40
#define NUD_PERMANENT_ 0x80

/* IPv4 bytes of the packet (MTU counts from the IP header): the flow's size, else what tc saw. */
static int packet_bytes(const struct evidence *e, const struct packet *p)
{
	int bytes = 0;

	if (p->key.proto == NSTRACE_PROTO_ARP)
		return 28;
	if (e->flow.size > 0 && ntohs(p->key.id) == e->flow.icmp_id)
		return e->flow.size + 28;
	for (int i = 0; i < p->nevents; i++) {
		const struct nstrace_event *ev = &e->ev[p->events[i]];

		if (ev->source == NSTRACE_SRC_TC && (int)ev->len - 14 > bytes)
			bytes = (int)ev->len - 14;
	}
	return bytes;
}

/* The frames' way has a link whose MTU is below the packet: the port or end, not the bridge (its MTU follows its ports). */
int rule_mtu(const struct evidence *e, const struct packet *p, int at, struct verdict *v)
{
	const struct plan *pl = e->plan;
	int bytes = packet_bytes(e, p), worst = -1, good = 0;
	char mtu[16], old[16];

	if (!pl || bytes <= 0)
		return 0;
	for (int i = 0; i < pl->nl2; i++) {
		const struct link_state *l = plan_link(e, pl->l2[i]);

		if (!l || !l->known || !l->exists || !l->mtu)
			continue;
		if (l->mtu >= bytes && l->mtu > good)
			good = l->mtu;
		if (l->mtu < bytes && e->topo->ifs[pl->l2[i]].role != TOPO_BRIDGE &&
		    (worst < 0 || pl->l2[i] == at))
			worst = pl->l2[i];
	}
	if (worst < 0 || !good)
		return 0;
	snprintf(mtu, sizeof(mtu), "%d", good);
	snprintf(old, sizeof(old), "%d", e->links[worst].mtu);
	add_line(v, "state: %s in %s has MTU %d; the %s is %d bytes of IPv4 (the rest of the way takes %d)",
		 e->topo->ifs[worst].name, e->topo->ifs[worst].ns_label, e->links[worst].mtu,
		 p->key.proto == NSTRACE_PROTO_ARP ? "ARP packet" : "echo request", bytes, good);
	set_cause(v, "mtu-too-small", 1, "%s's MTU (%d) is smaller than the %d-byte packets, so they are dropped there",
		  e->topo->ifs[worst].name, e->links[worst].mtu, bytes);
	fix_revert(v, verdict_fix(v, ref_of(e, e->topo->ifs[worst].netns_ino), "gives it the MTU of the rest of the way",
				  ARGV("ip", "link", "set", "dev", e->topo->ifs[worst].name, "mtu", mtu)),
		   ref_of(e, e->topo->ifs[worst].netns_ino), ARGV("ip", "link", "set", "dev", e->topo->ifs[worst].name, "mtu", old));
	return 1;
}

/* The bridge on the way is down: it forwards nothing, and its ports are disabled with it. */
int rule_bridge_down(const struct evidence *e, const struct packet *p, const char *what, struct verdict *v)
{
	const struct plan *pl = e->plan;
	const struct link_state *l = pl ? plan_link(e, pl->bridge) : NULL;
	const struct topo_if *br;
	struct fix *f;

	if (!l || !l->known || !l->exists || (l->flags & FLAG_UP))
		return 0;
	br = &e->topo->ifs[pl->bridge];
	if (p)
		describe_last_hop(e, p, v, what);
	add_line(v, "state: bridge %s in %s is administratively down", br->name, br->ns_label);
	set_cause(v, "bridge-down", 1, "bridge %s is down: it forwards no frame between its ports, the %s included", br->name, what);
	f = verdict_fix(v, ref_of(e, br->netns_ino), "brings the bridge up (its ports follow)",
			ARGV("ip", "link", "set", "dev", br->name, "up"));
	fix_revert(v, f, ref_of(e, br->netns_ino), ARGV("ip", "link", "set", "dev", br->name, "down"));
	return 1;
}

/* The FDB entry for mac in the bridge's namespace, or NULL. */
static const struct fdb_fact *fdb_entry(const struct evidence *e, uint32_t ino, const uint8_t mac[6])
{
	for (int i = 0; e->st && i < e->st->nfdb; i++)
		if (e->st->fdb[i].ns_ino == ino && !memcmp(e->st->fdb[i].mac, mac, 6) && !e->st->fdb[i].is_local)
			return &e->st->fdb[i];
	return NULL;
}

/* The bridge's namespace has a usable neighbour entry for addr (proxy ARP answers from it). */
static int bridge_neighbour(const struct evidence *e, uint32_t ino, struct in_addr addr)
{
	for (int i = 0; e->st && i < e->st->nneigh; i++) {
		const struct neigh_fact *n = &e->st->neigh[i];

		if (n->ns_ino == ino && n->addr.s_addr == addr.s_addr && n->has_lladdr)
			return 1;
	}
	return 0;
}

static int port_flag_fix(const struct evidence *e, const struct topo_if *port, const char *flag, struct verdict *v)
{
	const struct ns_ref *ref = ref_of(e, port->netns_ino);

	fix_revert(v, verdict_fix(v, ref, "lets the bridge flood such frames to the port again",
				  ARGV("bridge", "link", "set", "dev", port->name, flag, "on")),
		   ref, ARGV("bridge", "link", "set", "dev", port->name, flag, "off"));
	return 1;
}

/*
 * Frames for the next hop do not leave by its port: a broadcast the port
 * refuses (bcast_flood off), an unknown unicast it refuses (flood off, MAC
 * not learned), or an FDB entry sending the MAC to another port.
 */
int rule_port_delivery(const struct evidence *e, const struct packet *p, const char *what, struct verdict *v)
{
	const struct plan *pl = e->plan;
	const struct topo_if *hop, *port;
	const struct link_state *lp;
	const struct fdb_fact *f;
	char mac[18];
	int broadcast = p && p->key.proto == NSTRACE_PROTO_ARP && p->key.type == NSTRACE_ARP_REQUEST;

	if (!pl || pl->hop < 0 || pl->bridge < 0 || e->topo->ifs[pl->hop].peer < 0)
		return 0;
	hop = &e->topo->ifs[pl->hop];
	port = &e->topo->ifs[hop->peer];
	lp = plan_link(e, hop->peer);
	if (!lp || !lp->known || !lp->is_port)
		return 0;
	mac_str(hop->mac, mac, sizeof(mac));
	if (broadcast && lp->port.bcast_flood == 0) {
		describe_last_hop(e, p, v, what);
		add_line(v, "state: bridge port %s has bcast_flood off", port->name);
		set_cause(v, "port-broadcast-off", 1, "%s does not take broadcasts (bcast_flood off), so the %s never reaches %s",
			  port->name, what, hop->ns_label);
		return port_flag_fix(e, port, "bcast_flood", v);
	}
	if (broadcast && lp->port.proxyarp == 1 && !bridge_neighbour(e, port->netns_ino, pl->nexthop)) {
		char a[16];
		const struct ns_ref *ref = ref_of(e, port->netns_ino);

		ip_str(pl->nexthop.s_addr, a, sizeof(a));
		describe_last_hop(e, p, v, what);
		add_line(v, "state: bridge port %s has proxy_arp on; %s's neighbour table has no entry for %s", port->name,
			 e->topo->ifs[pl->bridge].ns_label, a);
		set_cause(v, "port-proxy-arp", 1,
			  "%s has proxy_arp on: the bridge floods no ARP to it and answers for it only from its own neighbour table, which does not know %s",
			  port->name, a);
		fix_revert(v, verdict_fix(v, ref, "lets the bridge flood ARP requests to the port again",
					  ARGV("ip", "link", "set", "dev", port->name, "type", "bridge_slave", "proxy_arp", "off")),
			   ref, ARGV("ip", "link", "set", "dev", port->name, "type", "bridge_slave", "proxy_arp", "on"));
		return 1;
	}
	if (broadcast)
		return 0;
	f = fdb_entry(e, port->netns_ino, hop->mac);
	if (f && f->port_ifindex != port->ifindex) {
		const struct ns_ref *ref = ref_of(e, port->netns_ino);
		int other = topo_find(e->topo, port->netns_ino, f->port_ifindex);
		const char *oname = other >= 0 ? e->topo->ifs[other].name : "another port";
		int fixed = f->state & (NUD_NOARP_ | NUD_PERMANENT_);

		if (p)
			describe_last_hop(e, p, v, what);
		add_line(v, "state: %s's forwarding database sends %s to %s (%s), not %s", e->topo->ifs[pl->bridge].name, mac,
			 oname, fixed ? "static" : "learned", port->name);
		set_cause(v, "fdb-wrong-port", 1, "the bridge sends frames for %s (%s) out of %s instead of %s", hop->ns_label,
			  mac, oname, port->name);
		fix_revert(v, verdict_fix(v, ref, "removes the entry: the bridge floods, then learns the right port",
					  ARGV("bridge", "fdb", "del", mac, "dev", oname, "master")),
			   ref, f->sticky ? ARGV("bridge", "fdb", "add", mac, "dev", oname, "master", "static", "sticky") :
				fixed ? ARGV("bridge", "fdb", "add", mac, "dev", oname, "master", "static") :
					ARGV("bridge", "fdb", "add", mac, "dev", oname, "master"));
		return 1;
	}
	if (!f && lp->port.unicast_flood == 0) {
		if (p)
			describe_last_hop(e, p, v, what);
		add_line(v, "state: bridge port %s has flood off and learning %s; the bridge has not learned %s", port->name,
			 lp->port.learning == 0 ? "off" : "on", mac);
		set_cause(v, "port-unicast-off", 1, "the bridge does not know where %s is and %s refuses unknown unicast (flood off)",
			  mac, port->name);
		return port_flag_fix(e, port, "flood", v);
	}
	return 0;
}

/* Another endpoint behind a port of bridge br with the MAC of interface x; -1 if none. */
static int mac_twin(const struct evidence *e, int x, int br)
{
	const struct topo *t = e->topo;

	for (int i = 0; i < t->n; i++) {
		const struct topo_if *y = &t->ifs[i];

		if (i == x || y->role != TOPO_ENDPOINT || y->peer < 0 || t->ifs[y->peer].master != br ||
		    memcmp(y->mac, t->ifs[x].mac, 6))
			continue;
		return i;
	}
	return -1;
}

/*
 * The bridge itself or one of its ports with the MAC of interface x: the
 * bridge's FDB holds its own MACs as local entries, so frames for x stay in
 * the bridge; -1 if none.
 */
static int local_twin(const struct evidence *e, int x, int br)
{
	const struct topo *t = e->topo;

	/* A port first: a bridge whose address was never set takes its ports' lowest MAC, and follows it. */
	for (int i = 0; i < t->n; i++) {
		const struct topo_if *y = &t->ifs[i];

		if (i != x && i != t->ifs[x].peer && y->role == TOPO_PORT && y->master == br && !memcmp(y->mac, t->ifs[x].mac, 6))
			return i;
	}
	return memcmp(t->ifs[br].mac, t->ifs[x].mac, 6) ? -1 : br;
}

/* A locally administered MAC near old that no interface of the topology has. */
static void fresh_mac(const struct topo *t, const uint8_t old[6], uint8_t out[6])
{
	memcpy(out, old, 6);
	out[0] = (uint8_t)((out[0] & 0xfe) | 0x02);
	for (int tries = 0; tries < 256; tries++) {
		int taken = 0;

		out[5] = (uint8_t)(old[5] + 1 + tries);
		for (int i = 0; i < t->n && !taken; i++)
			taken = !memcmp(t->ifs[i].mac, out, 6);
		if (!taken)
			return;
	}
}

/* The fix for a MAC two interfaces share: interface i gets a fresh one (the old one undoes it). */
static void renumber_fix(const struct evidence *e, int i, struct verdict *v)
{
	const struct topo_if *x = &e->topo->ifs[i];
	const struct ns_ref *ref = ref_of(e, x->netns_ino);
	char mac[18], newmac[18];
	uint8_t fresh[6];

	fresh_mac(e->topo, x->mac, fresh);
	mac_str(x->mac, mac, sizeof(mac));
	mac_str(fresh, newmac, sizeof(newmac));
	fix_revert(v, verdict_fix(v, ref, "gives it a MAC of its own, locally administered",
				  ARGV("ip", "link", "set", "dev", x->name, "address", newmac)),
		   ref, ARGV("ip", "link", "set", "dev", x->name, "address", mac));
}

/*
 * Two endpoints on the bridge with one MAC: the bridge learns it on
 * whichever port spoke last, and frames between the two come back to the
 * port they came from. Proven when the two are the source and the next
 * hop; for a third endpoint, when the FDB sends the MAC to its port.
 */
int rule_duplicate_mac(const struct evidence *e, const struct packet *p, const char *what, struct verdict *v)
{
	const struct plan *pl = e->plan;
	const struct topo *t = e->topo;
	int x, twin = -1;
	char mac[18];

	if (!pl || pl->bridge < 0 || pl->hop < 0)
		return 0;
	x = pl->hop;
	if ((twin = local_twin(e, x, pl->bridge)) >= 0) {
		mac_str(t->ifs[x].mac, mac, sizeof(mac));
		if (p)
			describe_last_hop(e, p, v, what);
		add_line(v, "state: %s in %s has MAC %s, that of %s in %s: the bridge holds it as its own (a local FDB entry)",
			 t->ifs[twin].name, t->ifs[twin].ns_label, mac, t->ifs[x].name, t->ifs[x].ns_label);
		set_cause(v, "duplicate-mac", 1, "%s of the bridge has %s's MAC %s, so the bridge keeps frames for %s instead of forwarding them",
			  t->ifs[twin].name, t->ifs[x].ns_label, mac, t->ifs[x].ns_label);
		renumber_fix(e, twin, v);
		return 1;
	}
	twin = mac_twin(e, x, pl->bridge);
	if (twin < 0 && (twin = mac_twin(e, pl->src, pl->bridge)) >= 0)
		x = pl->src;
	if (twin < 0)
		return 0;
	if (twin != pl->src && twin != pl->hop) {
		const struct fdb_fact *f = fdb_entry(e, t->ifs[pl->bridge].netns_ino, t->ifs[x].mac);

		if (!f || t->ifs[twin].peer < 0 || f->port_ifindex != t->ifs[t->ifs[twin].peer].ifindex)
			return 0;
	}
	mac_str(t->ifs[x].mac, mac, sizeof(mac));
	if (p)
		describe_last_hop(e, p, v, what);
	add_line(v, "state: %s in %s and %s in %s both have MAC %s, behind ports of %s", t->ifs[x].name, t->ifs[x].ns_label,
		 t->ifs[twin].name, t->ifs[twin].ns_label, mac, t->ifs[pl->bridge].name);
	set_cause(v, "duplicate-mac", 1, "%s and %s share the MAC %s: the bridge cannot deliver to both", t->ifs[x].ns_label,
		  t->ifs[twin].ns_label, mac);
	/* Renumber the one not on the way when there is one; else the next hop. */
	renumber_fix(e, twin == pl->src || twin == pl->hop ? pl->hop : twin, v);
	return 1;
}

/*
 * A locked port (802.1X) drops frames whose source MAC the bridge has no
 * entry for on that port: the endpoint behind it was never authorised.
 */
int rule_port_locked(const struct evidence *e, int port, struct verdict *v)
{
	const struct topo *t = e->topo;
	const struct link_state *lp;
	const struct fdb_fact *f;
	const struct ns_ref *ref;
	const struct topo_if *p, *behind;
	char mac[18];

	if (port < 0 || t->ifs[port].role != TOPO_PORT || t->ifs[port].peer < 0 || !(lp = plan_link(e, port)) ||
	    !lp->known || lp->port.locked != 1 || !e->st)
		return 0;
	p = &t->ifs[port];
	behind = &t->ifs[p->peer];
	f = fdb_entry(e, p->netns_ino, behind->mac);
	if (f && f->port_ifindex == p->ifindex)
		return 0;
	mac_str(behind->mac, mac, sizeof(mac));
	ref = ref_of(e, p->netns_ino);
	add_line(v, "state: bridge port %s is locked, and the bridge has no entry for %s (%s in %s) on it", p->name, mac,
		 behind->name, behind->ns_label);
	set_cause(v, "port-locked", 1, "%s is a locked port: the bridge drops frames from %s, whose MAC %s is not authorised there",
		  p->name, behind->ns_label, mac);
	fix_revert(v, verdict_fix(v, ref, "authorises the MAC on that port, as an 802.1X authenticator would",
				  ARGV("bridge", "fdb", "replace", mac, "dev", p->name, "master", "static")),
		   ref, ARGV("bridge", "fdb", "del", mac, "dev", p->name, "master"));
	fix_revert(v, verdict_fix(v, ref, "unlocks the port: any MAC may send through it",
				  ARGV("bridge", "link", "set", "dev", p->name, "locked", "off")),
		   ref, ARGV("bridge", "link", "set", "dev", p->name, "locked", "on"));
	return 1;
}
