// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <arpa/inet.h>
#include "cidr.h"
#include "diagnose.h"

#define FLAG_UP 0x1
#define FLAG_LOWER_UP 0x10000
#define BR_STATE_FORWARDING 3

static const char *const port_states[] = { "disabled", "listening", "learning", "forwarding", "blocking" };

static void add_line(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_line(struct verdict *v, const char *fmt, ...)
{
	va_list ap;

	if (v->nevidence >= VERDICT_MAX_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(v->evidence[v->nevidence++], sizeof(v->evidence[0]), fmt, ap);
	va_end(ap);
}

static void add_fix(struct verdict *v, const char *note, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add_fix(struct verdict *v, const char *note, const char *fmt, ...)
{
	va_list ap;

	if (v->nfix >= 4)
		return;
	va_start(ap, fmt);
	vsnprintf(v->fix[v->nfix], sizeof(v->fix[0]), fmt, ap);
	va_end(ap);
	snprintf(v->fix_note[v->nfix++], sizeof(v->fix_note[0]), "%s", note);
}

static void set_cause(struct verdict *v, const char *id, int conclusive, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void set_cause(struct verdict *v, const char *id, int conclusive, const char *fmt, ...)
{
	va_list ap;

	snprintf(v->id, sizeof(v->id), "%s", id);
	v->conclusive = conclusive;
	va_start(ap, fmt);
	vsnprintf(v->cause, sizeof(v->cause), fmt, ap);
	va_end(ap);
}

static const struct ns_state *ns_of(const struct evidence *e, uint32_t ino)
{
	for (int i = 0; i < e->nns; i++)
		if (e->ns[i].ino == ino)
			return &e->ns[i];
	return NULL;
}

static const char *prefix_of(const struct evidence *e, uint32_t ino)
{
	const struct ns_state *ns = ns_of(e, ino);

	return ns ? ns->exec_prefix : "";
}

static const char *label_of(const struct evidence *e, uint32_t ino)
{
	const struct ns_state *ns = ns_of(e, ino);

	return ns ? ns->label : "?";
}

/* ---- picking the packet whose fate decides the flow ---- */

/* The packet is of this kind, between these addresses, and (ICMP) of this flow's id. */
static int packet_is(const struct evidence *e, const struct packet *p, int proto, int type,
		     uint32_t saddr, uint32_t daddr)
{
	return p->key.proto == proto && p->key.type == type && p->key.saddr == saddr &&
	       p->key.daddr == daddr && (proto != NSTRACE_PROTO_ICMP || ntohs(p->key.id) == e->flow.icmp_id);
}

static const struct packet *find_packet(const struct evidence *e, int proto, int type,
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

static const struct nstrace_event *first_drop(const struct evidence *e, const struct packet *p)
{
	for (int i = 0; i < p->nevents; i++) {
		const struct nstrace_event *ev = &e->ev[p->events[i]];

		if (ev->source == NSTRACE_SRC_DROP && !drop_benign_why(ev, e->nm))
			return ev;
	}
	return NULL;
}

/* A hook the packet entered at the first priority and never left at the last. */
static const struct nstrace_event *nf_hook_died(const struct evidence *e, const struct packet *p)
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

static void describe_last_hop(const struct evidence *e, const struct packet *p, struct verdict *v,
			      const char *what)
{
	int last = path_last_observed(p);
	char path[512];

	if (last < 0)
		return;
	add_line(v, "event: the %s was last seen %s %s (tc %s, %s); path %s", what,
		 p->hops[last].egress_seen ? "leaving" : "entering", e->topo->ifs[p->hops[last].ifidx].name,
		 p->hops[last].egress_seen ? "egress" : "ingress",
		 e->topo->ifs[p->hops[last].ifidx].ns_label, path_str(e->topo, p, path, sizeof(path)));
}

/* ---- rules ---- */

/* Netfilter dropped a bridged packet that br_netfilter did not divert: the bridge family did. */
static void bridge_family_drop(struct verdict *v, const struct ns_state *ns, const char *what,
			       const char *pre)
{
	set_cause(v, "bridge-firewall-drop", 1,
		  "a bridge-family firewall rule (nft bridge table or ebtables) in %s dropped the %s; br_netfilter did not pass it to iptables/arptables",
		  ns->label, what);
	add_fix(v, "shows the bridge-family rules; remove the one that drops", "%snft list ruleset bridge", pre);
}

static int rule_drop(const struct evidence *e, const struct packet *p, const char *what,
		     struct verdict *v)
{
	const struct nstrace_event *d = first_drop(e, p);
	const struct nstrace_event *hook = nf_hook_died(e, p);
	char reason[64], func[96];
	const char *hook_name = hook ? nf_hook_name(hook->nf_hook) : NULL;
	const struct ns_state *ns;
	const char *pre;
	int bridge_idx = -1, at = -1;

	if (!d && !hook)
		return 0;
	describe_last_hop(e, p, v, what);
	if (hook)
		add_line(v, "event: netfilter %s in %s: entered at the first priority, never reached the last",
			 nf_hook_name(hook->nf_hook), label_of(e, hook->netns_ino));
	if (d) {
		at = topo_find(e->topo, d->netns_ino, d->ifindex);
		drop_reason_str(e->nm, d->drop_reason, reason, sizeof(reason));
		drop_location_func(e->nm, d->location, func, sizeof(func));
		add_line(v, "event: kfree_skb %s%s at %s (dev %s, %s)",
			 strncmp(reason, "reason ", 7) ? "reason " : "", reason, func,
			 at >= 0 ? e->topo->ifs[at].name : "?", label_of(e, d->netns_ino));
	} else {
		snprintf(reason, sizeof(reason), "NETFILTER_DROP");
		func[0] = '\0';
	}
	{
		uint32_t ino = d ? d->netns_ino : hook->netns_ino;

		ns = ns_of(e, ino);
		pre = prefix_of(e, ino);
		for (int i = 0; i < e->topo->n; i++)
			if (e->topo->ifs[i].role == TOPO_BRIDGE && e->topo->ifs[i].netns_ino == ino)
				bridge_idx = i;
	}

	if (!strcmp(reason, "TC_INGRESS") || !strcmp(reason, "TC_EGRESS")) {
		const char *dev = at >= 0 ? e->topo->ifs[at].name : "DEV";

		set_cause(v, "tc-program-drop", 1, "a tc program (not nstrace's) on %s dropped the %s (%s)",
			  at >= 0 ? dev : "a link", what, reason);
		add_fix(v, "lists the tc programs and filters on that link; remove the one that drops",
			"%stc filter show dev %s %s; %sbpftool net show", pre, dev,
			!strcmp(reason, "TC_INGRESS") ? "ingress" : "egress", pre);
		return 1;
	}
	if (strcmp(reason, "NETFILTER_DROP")) {
		/* The link state may explain it (no carrier: QDISC_DROP); the caller decides. */
		set_cause(v, "kernel-drop", 0, "the kernel dropped the %s (%s) at %s; no rule here explains that reason",
			  what, reason, func);
		return -1;
	}

	if (bridge_idx >= 0 && ns && p->key.proto == NSTRACE_PROTO_ICMP) {
		const struct link_state *br = &e->links[bridge_idx];
		const char *bname = e->topo->ifs[bridge_idx].name;
		int via_sysctl = ns->bridge_nf_call_iptables == 1;
		int via_option = br->br_nf_call_iptables == 1;

		add_line(v, "state: net.bridge.bridge-nf-call-iptables = %d in %s", ns->bridge_nf_call_iptables, ns->label);
		add_line(v, "state: %s nf_call_iptables = %d", bname, br->br_nf_call_iptables);
		if (ns->forward_policy[0])
			add_line(v, "state: iptables FORWARD policy %s, %d DROP/REJECT rule(s) in %s (iptables -S)",
				 ns->forward_policy, ns->forward_drop_rules, ns->label);
		if (via_sysctl || via_option) {
			set_cause(v, "br-netfilter-iptables-drop", 1,
				  "br_netfilter passed the bridged %s to iptables (%s) and a rule or the policy of the %s chain in %s dropped it",
				  what, via_sysctl ? "net.bridge.bridge-nf-call-iptables=1" : "the bridge's nf_call_iptables option",
				  hook_name ? hook_name : "FORWARD", ns->label);
			if (via_sysctl)
				add_fix(v, "bridged IPv4 skips iptables on this whole namespace; Docker and kube-proxy rely on it being 1",
					"%ssysctl -w net.bridge.bridge-nf-call-iptables=0", pre);
			else
				add_fix(v, "only this bridge stops sending IPv4 to iptables",
					"%sip link set dev %s type bridge nf_call_iptables 0", pre, bname);
			add_fix(v, "keeps br_netfilter; accepts traffic bridged within this bridge before other FORWARD rules",
				"%siptables -I FORWARD -i %s -o %s -j ACCEPT", pre, bname, bname);
			if (via_sysctl && via_option)
				add_fix(v, "the bridge's own option keeps br_netfilter on for it even with the sysctl at 0",
					"%sip link set dev %s type bridge nf_call_iptables 0", pre, bname);
		} else {
			bridge_family_drop(v, ns, what, pre);
		}
		return 1;
	}
	if (bridge_idx >= 0 && ns && p->key.proto == NSTRACE_PROTO_ARP) {
		add_line(v, "state: net.bridge.bridge-nf-call-arptables = %d in %s", ns->bridge_nf_call_arptables, ns->label);
		if (ns->bridge_nf_call_arptables == 1) {
			set_cause(v, "br-netfilter-arp-drop", 1,
				  "br_netfilter passed the bridged %s to arptables (net.bridge.bridge-nf-call-arptables=1) and the FORWARD chain in %s dropped it",
				  what, ns->label);
			add_fix(v, "bridged ARP skips arptables in this namespace",
				"%ssysctl -w net.bridge.bridge-nf-call-arptables=0", pre);
			add_fix(v, "keeps arptables for bridged ARP; accepts it before other FORWARD rules (legacy arptables: nft has no ARP FORWARD hook)",
				"%sarptables-legacy -I FORWARD -j ACCEPT", pre);
		} else {
			bridge_family_drop(v, ns, what, pre);
		}
		return 1;
	}
	/* A drop by netfilter in a namespace that holds no bridge: an endpoint's own firewall. */
	{
		struct in_addr sender_addr = { p->key.saddr };
		int sender = topo_find_addr(e->topo, sender_addr);
		uint32_t ino = d ? d->netns_ino : hook->netns_ino;
		/* Dropped where it was sent from: OUTPUT; anywhere else: INPUT. */
		const char *chain = hook_name ? hook_name :
				    sender >= 0 && e->topo->ifs[sender].netns_ino == ino ? "OUTPUT" : "INPUT";

		set_cause(v, "endpoint-firewall-drop", 1, "the firewall of namespace %s dropped the %s in its %s hook",
			  ns ? ns->label : "?", what, chain);
		if (p->key.proto == NSTRACE_PROTO_ARP) {
			/* ARP has its own tables: iptables rules cannot be the cause. */
			add_fix(v, "accepts ARP before the other rules", "%sarptables -I %s -j ACCEPT", pre, chain);
			add_fix(v, "shows the ARP rules; remove the one that drops", "%snft list ruleset arp", pre);
			return 1;
		}

		add_fix(v, "accepts ICMP before the other rules in that chain", "%siptables -I %s -p icmp -j ACCEPT",
			pre, chain);
		add_fix(v, "shows the rules with counters: the one whose counter grows is the one to remove",
			"%siptables -L %s -v -n --line-numbers", pre, chain);
	}
	return 1;
}

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

static int rule_links(const struct evidence *e, const struct packet *p, const char *what,
		      int from, int to, struct verdict *v)
{
	int hops[5], n = expected_path(e->topo, from, to, hops);
	const struct topo *t = e->topo;

	/* Admin state first: a down link also takes its peer's carrier. */
	for (int pass = 0; pass < 3; pass++) {
		for (int i = 0; i < n; i++) {
			const struct topo_if *x = &t->ifs[hops[i]];
			const struct link_state *l = &e->links[hops[i]];
			const char *pre = prefix_of(e, x->netns_ino);

			if (pass == 0 && !l->exists) {
				if (p)
					describe_last_hop(e, p, v, what);
				add_line(v, "state: %s does not exist in %s", x->name, x->ns_label);
				set_cause(v, "link-missing", 1, "%s, on the path of the %s, no longer exists: recreate it (for an nstrace lab: down, then up again)", x->name, what);
				return 1;
			}
			if (pass == 0 && !(l->flags & FLAG_UP)) {
				if (p)
					describe_last_hop(e, p, v, what);
				add_line(v, "state: %s in %s is administratively down", x->name, x->ns_label);
				set_cause(v, "link-down", 1, "%s, on the path of the %s, is down", x->name, what);
				add_fix(v, "brings the link up", "%sip link set dev %s up", pre, x->name);
				return 1;
			}
			if (pass == 1 && x->role == TOPO_PORT && x->master >= 0 &&
			    l->master_ifindex != t->ifs[x->master].ifindex) {
				if (p)
					describe_last_hop(e, p, v, what);
				add_line(v, "state: %s has %s (expected master %s)", x->name,
					 l->master_ifindex ? "another master" : "no master", t->ifs[x->master].name);
				set_cause(v, "port-detached", 1, "%s is not a port of %s, so the bridge cannot deliver the %s through it",
					  x->name, t->ifs[x->master].name, what);
				add_fix(v, "attaches the port to the bridge again", "%sip link set dev %s master %s", pre,
					x->name, t->ifs[x->master].name);
				return 1;
			}
			if (pass == 2 && !(l->flags & FLAG_LOWER_UP) && x->role != TOPO_BRIDGE) {
				if (p)
					describe_last_hop(e, p, v, what);
				add_line(v, "state: %s in %s has no carrier (its peer %s is down or gone)", x->name,
					 x->ns_label, x->peer >= 0 ? t->ifs[x->peer].name : "?");
				set_cause(v, "link-down", 1, "%s has no carrier, so the %s cannot cross it", x->name, what);
				add_fix(v, "brings the peer up", "%sip link set dev %s up",
					x->peer >= 0 ? prefix_of(e, t->ifs[x->peer].netns_ino) : "",
					x->peer >= 0 ? t->ifs[x->peer].name : x->name);
				return 1;
			}
			if (pass == 2 && x->role == TOPO_PORT && l->port_state >= 0 &&
			    l->port_state != BR_STATE_FORWARDING) {
				if (p)
					describe_last_hop(e, p, v, what);
				add_line(v, "state: bridge port %s is %s", x->name,
					 l->port_state < 5 ? port_states[l->port_state] : "in an unknown state");
				set_cause(v, "port-not-forwarding", 1, "bridge port %s is not forwarding (%s)", x->name,
					  l->port_state < 5 ? port_states[l->port_state] : "?");
				add_fix(v, "sets the port to forwarding (STP off)", "%sbridge link set dev %s state 3", pre, x->name);
				return 1;
			}
		}
	}
	/* Two isolated ports never talk to each other. */
	if (n >= 4 && e->links[hops[1]].port_isolated == 1 && e->links[hops[n - 2]].port_isolated == 1) {
		if (p)
			describe_last_hop(e, p, v, what);
		add_line(v, "state: bridge ports %s and %s are both isolated", t->ifs[hops[1]].name, t->ifs[hops[n - 2]].name);
		set_cause(v, "ports-isolated", 1, "%s and %s are isolated ports: the bridge forwards nothing between them",
			  t->ifs[hops[1]].name, t->ifs[hops[n - 2]].name);
		add_fix(v, "turns isolation off on one port", "%sbridge link set dev %s isolated off",
			prefix_of(e, t->ifs[hops[1]].netns_ino), t->ifs[hops[1]].name);
		return 1;
	}
	return 0;
}

static int owns(const struct link_state *l, struct in_addr a)
{
	for (int i = 0; i < l->naddrs; i++)
		if (l->addrs[i].s_addr == a.s_addr)
			return 1;
	return 0;
}

/* Which endpoint the lab meant to answer, from the topology facts. */
static int intended_target(const struct evidence *e)
{
	return topo_find_addr(e->topo, e->flow.dst);
}

static int rule_target_address(const struct evidence *e, const struct packet *arp, struct verdict *v)
{
	int target = intended_target(e);
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
	if (target >= 0 && e->links[target].naddrs > 0) {
		const struct link_state *l = &e->links[target];

		ip_str(l->addrs[0].s_addr, b, sizeof(b));
		add_line(v, "state: %s in %s has %s/%d, not %s", e->topo->ifs[target].name,
			 e->topo->ifs[target].ns_label, b, l->prefixlens[0], a);
		set_cause(v, "target-wrong-subnet", 1, "%s in %s has %s/%d instead of %s, so nobody answers ARP for %s",
			  e->topo->ifs[target].name, e->topo->ifs[target].ns_label, b, l->prefixlens[0], a, a);
		add_fix(v, "gives the target the address the source is looking for", "%sip addr replace %s/%d dev %s",
			prefix_of(e, e->topo->ifs[target].netns_ino), a, e->topo->ifs[target].prefixlen,
			e->topo->ifs[target].name);
		return 1;
	}
	add_line(v, "state: no interface on the bridge has %s", a);
	set_cause(v, "target-address-missing", 1, "no namespace on the bridge has the address %s, so ARP for it gets no answer", a);
	if (target >= 0)
		add_fix(v, "puts the address back", "%sip addr add %s/%d dev %s", prefix_of(e, e->topo->ifs[target].netns_ino),
			a, e->topo->ifs[target].prefixlen, e->topo->ifs[target].name);
	return 1;
}

static int rule_source(const struct evidence *e, struct verdict *v)
{
	const struct topo_if *s = &e->topo->ifs[e->flow.src];
	const struct link_state *l = &e->links[e->flow.src];
	char a[16], b[16];

	if (e->flow.send_errno != ENETUNREACH && e->flow.send_errno != EHOSTUNREACH &&
	    e->flow.send_errno != EADDRNOTAVAIL)
		return 0;
	ip_str(e->flow.dst.s_addr, a, sizeof(a));
	add_line(v, "event: sendto %s from %s failed: %s", a, s->ns_label, strerror(e->flow.send_errno));
	/* A down link takes its connected route with it: that, not the route, is the cause. */
	if (l->exists && !(l->flags & FLAG_UP)) {
		add_line(v, "state: %s in %s is administratively down", s->name, s->ns_label);
		set_cause(v, "link-down", 1, "%s, the source's own interface, is down, so %s has no route to %s",
			  s->name, s->ns_label, a);
		add_fix(v, "brings the link (and its connected route) up", "%sip link set dev %s up",
			prefix_of(e, s->netns_ino), s->name);
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
		add_fix(v, "restores the connected route", "%sip route add %s/%d dev %s", prefix_of(e, s->netns_ino),
			ip_str(c.net.s_addr, b, sizeof(b)), c.prefixlen, s->name);
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
	if (s->addr.s_addr)
		add_fix(v, "gives the source its address in the lab's subnet", "%sip addr replace %s/%d dev %s",
			prefix_of(e, s->netns_ino), ip_str(s->addr.s_addr, b, sizeof(b)), s->prefixlen, s->name);
	return 1;
}

static int rule_no_reply(const struct evidence *e, const struct packet *req, struct verdict *v)
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
		add_line(v, "state: net.ipv4.icmp_echo_ignore_all = 1 in %s", ns->label);
		set_cause(v, "target-ignores-echo", 1, "namespace %s ignores echo requests (net.ipv4.icmp_echo_ignore_all=1)", ns->label);
		add_fix(v, "answers pings again", "%ssysctl -w net.ipv4.icmp_echo_ignore_all=0", ns->exec_prefix);
		return 1;
	}
	if (ns)
		add_line(v, "state: net.ipv4.icmp_echo_ignore_all = %d in %s", ns->icmp_echo_ignore_all, ns->label);
	set_cause(v, "target-no-reply", 0,
		  "the echo request reached %s, which sent no reply; no drop, firewall verdict or setting read here explains why",
		  e->topo->ifs[target].ns_label);
	return 1;
}

/* A packet that died: a drop or hook verdict explains it, else the links on its way. */
static int examine(const struct evidence *e, const struct packet *p, const char *what, int from, int to,
		   struct verdict *v)
{
	struct verdict generic;
	int r = rule_drop(e, p, what, v);

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
		if (rule_links(e, NULL, what, from, to, v))
			return 1;
		*v = generic;
		return 1;
	}
	/* Never on a link (e.g. waiting for ARP): the links say nothing about it. */
	return p->nhops > 0 && rule_links(e, p, what, from, to, v);
}

static const struct packet *on_wire(const struct evidence *e, int proto, int type, uint32_t saddr,
				    uint32_t daddr)
{
	for (int i = 0; i < e->pl->n; i++) {
		const struct packet *p = &e->pl->pkts[i];

		if (p->nhops > 0 && packet_is(e, p, proto, type, saddr, daddr))
			return p;
	}
	return NULL;
}

int diagnose(const struct evidence *e, struct verdict *v)
{
	const struct topo *t = e->topo;
	uint32_t src = t->ifs[e->flow.src].addr.s_addr, dst = e->flow.dst.s_addr;
	int target = intended_target(e);
	const struct packet *p, *req, *rep;
	char a[16];

	memset(v, 0, sizeof(*v));
	/* Nothing sent (interrupted before the first probe): nothing to judge. */
	if (e->flow.sent == 0 || e->flow.received == e->flow.sent)
		return 0;
	add_line(v, "probe: %d of %d echo requests answered", e->flow.received, e->flow.sent);

	if (rule_source(e, v))
		return 1;
	/* The echo request, then its reply: the first that went missing decides. */
	if ((p = find_packet(e, NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHO, src, dst, 1)) &&
	    examine(e, p, "echo request", e->flow.src, target, v))
		return 1;
	if ((p = find_packet(e, NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHOREPLY, dst, src, 1)) &&
	    examine(e, p, "echo reply", target, e->flow.src, v))
		return 1;
	if ((p = find_packet(e, NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHO, src, dst, 0)) &&
	    !find_packet(e, NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHOREPLY, dst, src, -1) &&
	    (rule_drop(e, p, "echo request", v) != 0 || rule_no_reply(e, p, v)))
		return 1;

	/* No echo request reached a link: the source never resolved the target's MAC. */
	if (!on_wire(e, NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHO, src, dst)) {
		req = on_wire(e, NSTRACE_PROTO_ARP, NSTRACE_ARP_REQUEST, src, dst);
		rep = on_wire(e, NSTRACE_PROTO_ARP, NSTRACE_ARP_REPLY, dst, src);
		if (rep && !rep->delivered && examine(e, rep, "ARP reply", target, e->flow.src, v))
			return 1;
		if (req && !rep && (examine(e, req, "ARP request", e->flow.src, target, v) ||
				    rule_target_address(e, req, v)))
			return 1;
		if (!req) {
			/* Dropped before it reached a link: the source's own ARP firewall, say. */
			const struct packet *any = find_packet(e, NSTRACE_PROTO_ARP, NSTRACE_ARP_REQUEST, src, dst, -1);

			if (any && rule_drop(e, any, "ARP request", v) > 0)
				return 1;
		}
		if (!req && rule_links(e, NULL, "ARP request", e->flow.src, target, v))
			return 1;
		if (!req)
			add_line(v, "event: no ARP request or echo request was seen on any observed link");
	}
	set_cause(v, "inconclusive", 0,
		  "%d of %d probes to %s went unanswered, but no drop, firewall verdict or link state read here explains where",
		  e->flow.sent - e->flow.received, e->flow.sent, ip_str(dst, a, sizeof(a)));
	return 1;
}

int diagnose_notes(const struct evidence *e, char lines[][240], int max)
{
	int n = 0;

	for (int i = 0; i < e->nns && n < max; i++) {
		const struct ns_state *ns = &e->ns[i];
		int blocks = !strcmp(ns->forward_policy, "DROP") || ns->forward_drop_rules > 0;

		if (!blocks || ns->bridge_nf_call_iptables != 0)
			continue;
		for (int b = 0; b < e->topo->n && n < max; b++) {
			const struct topo_if *x = &e->topo->ifs[b];

			if (x->role != TOPO_BRIDGE || x->netns_ino != ns->ino || e->links[b].br_nf_call_iptables == 1)
				continue;
			snprintf(lines[n++], 240,
				 "note: iptables FORWARD in %s %s, harmless now (net.bridge.bridge-nf-call-iptables=0); it would drop IPv4 bridged by %s if br_netfilter were turned on",
				 ns->label, !strcmp(ns->forward_policy, "DROP") ? "has policy DROP" : "has DROP/REJECT rules", x->name);
		}
	}
	return n;
}

void print_verdict(FILE *f, const struct verdict *v)
{
	fprintf(f, "\nverdict: %s%s\n", v->id, v->conclusive ? "" : " (inconclusive)");
	fprintf(f, "  cause: %s\n", v->cause);
	fprintf(f, "  evidence:\n");
	for (int i = 0; i < v->nevidence; i++)
		fprintf(f, "    - %s\n", v->evidence[i]);
	if (!v->nfix) {
		fprintf(f, "  fix: none known from this evidence\n");
		return;
	}
	fprintf(f, "  fix:\n    %s\n      (%s)\n", v->fix[0], v->fix_note[0]);
	for (int i = 1; i < v->nfix; i++)
		fprintf(f, "  or:\n    %s\n      (%s)\n", v->fix[i], v->fix_note[i]);
}
