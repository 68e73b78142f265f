// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/drops.h"
#include "analysis/fate.h"
#include "model/packet.h"
#include "report/explain.h"
#include "report/output.h"

#define MAX_SAID 8	/* sentences of one kind: the first few tell the story */

struct story {
	struct textout *tx;
	const struct observed *o;
	const struct ns_state *ns;
	int nns;
	const struct link_state *links;
	uint64_t base;		/* the trace's first event: times are said from it */
	int *pkt_of;		/* per event: its packet's number */
};

const char *nud_name(int s)
{
	static const char *const names[] = { "INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED",
					     "NOARP", "PERMANENT" };

	for (int i = 0; i < 8; i++)
		if (s == 1 << i)
			return names[i];
	return s ? "several states" : "NONE";
}

static void say(struct story *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct story *s, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	tx_wrap(s->tx, "  - ", "    ", line);
}

static double t_us(const struct story *s, uint64_t ts)
{
	return ts >= s->base ? (double)(ts - s->base) / 1000.0 : 0.0;
}

/* "60.5 µs", "12.3 ms", "4.021 s": times since the first event, in a unit that reads. */
static const char *t_str(const struct story *s, uint64_t ts, char *buf, int size)
{
	double us = t_us(s, ts);

	if (us < 10000)
		snprintf(buf, size, "%.1f \u00b5s", us);
	else if (us < 10000000)
		snprintf(buf, size, "%.1f ms", us / 1000);
	else
		snprintf(buf, size, "%.3f s", us / 1e6);
	return buf;
}

/* "ns1/veth-ns1" for the topology interface with this MAC, or the MAC itself. */
static const char *mac_owner(const struct topo *t, const uint8_t mac[6], char *buf, int size)
{
	char m[18];

	for (int i = 0; i < t->n; i++)
		if (!memcmp(t->ifs[i].mac, mac, 6) && t->ifs[i].role != TOPO_BRIDGE) {
			char who[128];

			snprintf(who, sizeof(who), "%s (%s/%s)", mac_str(mac, m, sizeof(m)), t->ifs[i].ns_label,
				 t->ifs[i].name);
			snprintf(buf, size, "%s", who);
			return buf;
		}
	return mac_str(mac, buf, size);
}

/* The tc event of packet p on topo interface idx in direction dir, or NULL. */
static const struct nstrace_event *tc_at(const struct observed *o, const struct packet *p, int idx, int dir)
{
	const struct topo_if *x = &o->topo->ifs[idx];

	for (int i = 0; i < p->nevents; i++) {
		const struct nstrace_event *e = &o->ev[p->events[i]];

		if (e->source == NSTRACE_SRC_TC && e->dir == dir && e->netns_ino == x->netns_ino &&
		    (int)e->ifindex == x->ifindex)
			return e;
	}
	return NULL;
}

static const struct packet *first_packet(const struct observed *o, int proto, int type, int *n)
{
	for (int i = 0; i < o->pl->n; i++)
		if (o->pl->pkts[i].key.proto == proto && o->pl->pkts[i].key.type == type) {
			*n = i + 1;
			return &o->pl->pkts[i];
		}
	return NULL;
}

/* A veth pair is a cable: the first hop pair where one end sent and the other received. */
static void cable(struct story *s)
{
	const struct topo *t = s->o->topo;

	for (int i = 0; i < s->o->pl->n; i++) {
		const struct packet *p = &s->o->pl->pkts[i];

		for (int h = 0; h + 1 < p->nhops; h++) {
			int a = p->hops[h].ifidx, b = p->hops[h + 1].ifidx;
			const struct nstrace_event *out = tc_at(s->o, p, a, NSTRACE_DIR_EGRESS);
			const struct nstrace_event *in = tc_at(s->o, p, b, NSTRACE_DIR_INGRESS);

			if (t->ifs[a].peer != b || !out || !in || t->ifs[a].netns_ino == t->ifs[b].netns_ino)
				continue;
			say(s, "%s (in %s) and %s (in %s) are the two ends of one veth pair, a virtual cable between two "
			    "namespaces: [%d] left %s at %.1f \u00b5s and entered %s %.1f \u00b5s later.",
			    t->ifs[a].name, t->ifs[a].ns_label, t->ifs[b].name, t->ifs[b].ns_label, i + 1, t->ifs[a].name,
			    t_us(s, out->ts_ns), t->ifs[b].name, (double)(in->ts_ns - out->ts_ns) / 1000.0);
			return;
		}
	}
}

/* The first ARP request: a broadcast, flooded to every port and to the bridge's own stack. */
static void flood(struct story *s)
{
	const struct topo *t = s->o->topo;
	int n, in_port = -1, bridge = -1, self = 0, nout = 0;
	const struct packet *p = first_packet(s->o, NSTRACE_PROTO_ARP, NSTRACE_ARP_REQUEST, &n);
	char outs[256] = "", m[18], desc[128];

	if (!p)
		return;
	for (int h = 0; h < p->nhops && in_port < 0; h++)
		if (t->ifs[p->hops[h].ifidx].role == TOPO_PORT && p->hops[h].ingress_seen)
			in_port = p->hops[h].ifidx, bridge = t->ifs[in_port].master;
	if (bridge < 0)
		return;
	for (int i = 0; i < t->n; i++) {
		if (i == in_port || t->ifs[i].master != bridge || !tc_at(s->o, p, i, NSTRACE_DIR_EGRESS))
			continue;
		snprintf(outs + strlen(outs), sizeof(outs) - strlen(outs), "%s%s", nout++ ? ", " : "", t->ifs[i].name);
	}
	self = tc_at(s->o, p, bridge, NSTRACE_DIR_INGRESS) != NULL;
	if (!nout && !self)
		return;
	say(s, "[%d] %s is a broadcast (to %s): %s flooded it out of %s%s%s%s.", n,
	    pkt_describe(&s->o->ev[p->events[0]], desc, sizeof(desc)),
	    mac_str(s->o->ev[p->events[0]].dmac, m, sizeof(m)), t->ifs[bridge].name,
	    nout ? "every other port (" : "", nout ? outs : "", nout ? ")" : "",
	    self ? (nout ? " and up to its own IP stack (seen entering the bridge device itself)" :
		    "up to its own IP stack (seen entering the bridge device itself)") : "");
}

/* The latest packet event before ts matching the filter, as its packet's number (0: none). */
static int cause(const struct story *s, uint64_t ts, uint32_t ino, int ifindex, const uint8_t *smac, uint32_t arp_sender)
{
	int best = -1;

	for (int i = 0; i < s->o->nev; i++) {
		const struct nstrace_event *e = &s->o->ev[i];

		if (e->ts_ns > ts || e->source != NSTRACE_SRC_TC || e->dir != NSTRACE_DIR_INGRESS || e->netns_ino != ino)
			continue;
		if ((ifindex && (int)e->ifindex != ifindex) || (smac && memcmp(e->smac, smac, 6)) ||
		    (arp_sender && (e->proto != NSTRACE_PROTO_ARP || e->saddr != arp_sender)))
			continue;
		if (best < 0 || e->ts_ns >= s->o->ev[best].ts_ns)
			best = i;
	}
	return best >= 0 ? s->pkt_of[best] : 0;
}

static void learning(struct story *s)
{
	int said = 0;

	for (int i = 0; i < s->o->nlearn && said < MAX_SAID; i++) {
		const struct nstrace_event *e = &s->o->learn[i];
		int from;

		if (e->source != NSTRACE_SRC_FDB)
			continue;
		from = cause(s, e->ts_ns, e->netns_ino, (int)e->ifindex, e->smac, 0);
		explain_learn_line(s->tx, s->o, e, s->base);
		if (from)
			fprintf(s->tx->f, "    (from the source address of [%d]: frames to that MAC now leave by that port only)\n",
				from);
		said++;
	}
}

static void neighbours(struct story *s)
{
	int said = 0;

	for (int i = 0; i < s->o->nlearn && said < MAX_SAID; i++) {
		const struct nstrace_event *e = &s->o->learn[i];
		int from;

		if (e->source != NSTRACE_SRC_NEIGH)
			continue;
		from = cause(s, e->ts_ns, e->netns_ino, 0, NULL, e->saddr);
		explain_learn_line(s->tx, s->o, e, s->base);
		if (from && e->state_new == 0x02)
			fprintf(s->tx->f, "    (when the ARP reply [%d] arrived: the address is confirmed)\n", from);
		else if (from && e->state_new == 0x04)
			fprintf(s->tx->f, "    (from ARP [%d], which carries its sender's MAC: known, not yet confirmed)\n",
				from);
		said++;
	}
}

/* The first echo request that left its namespace's stack long before its link: it waited for ARP. */
static void waited(struct story *s)
{
	const struct topo *t = s->o->topo;
	int n = 0, arp_n = 0;
	const struct packet *p = first_packet(s->o, NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHO, &n);
	const struct packet *arp = first_packet(s->o, NSTRACE_PROTO_ARP, NSTRACE_ARP_REQUEST, &arp_n);
	const struct nstrace_event *out = NULL, *left;
	struct in_addr src = { 0 };
	int sidx;

	if (!p || !arp || arp->key.saddr != p->key.saddr || arp->key.daddr != p->key.daddr)
		return;
	src.s_addr = p->key.saddr;
	sidx = topo_find_addr(t, src);
	for (int i = 0; i < p->nevents && !out; i++)
		if (s->o->ev[p->events[i]].source == NSTRACE_SRC_NF && s->o->ev[p->events[i]].nf_hook == 3)
			out = &s->o->ev[p->events[i]];
	left = sidx >= 0 ? tc_at(s->o, p, sidx, NSTRACE_DIR_EGRESS) : NULL;
	if (!left || arp->first_ns > left->ts_ns)
		return;
	if (out && out->ts_ns < arp->first_ns)
		say(s, "[%d] entered %s's OUTPUT hook at %.1f \u00b5s but left %s only at %.1f \u00b5s: %s had no MAC for the "
		    "destination yet, so the kernel held the request on its neighbour entry and sent ARP request [%d] "
		    "first; the request went out once the answer came%s.",
		    n, t->ifs[sidx].ns_label, t_us(s, out->ts_ns), t->ifs[sidx].name, t_us(s, left->ts_ns),
		    t->ifs[sidx].ns_label, arp_n, s->o->nlearn ? " (the neighbour entry's change is below)" : "");
	else
		say(s, "[%d] left %s at %.1f \u00b5s, after ARP request [%d] at %.1f \u00b5s: the kernel resolves the "
		    "destination's MAC before it sends the first frame to it.",
		    n, t->ifs[sidx].name, t_us(s, left->ts_ns), arp_n, t_us(s, arp->first_ns));
}

/* "1 (the sysctl)" or "could not be read". */
static const char *value_word(int v, char *buf, int size)
{
	if (v < 0)
		snprintf(buf, size, "unknown (not read)");
	else
		snprintf(buf, size, "%d", v);
	return buf;
}

/* A bridged IPv4 packet seen in the IPv4 hooks of the bridge's namespace: br_netfilter diverted it. */
static void diverted(struct story *s)
{
	const struct topo *t = s->o->topo;

	for (int i = 0; i < s->o->pl->n; i++) {
		const struct packet *p = &s->o->pl->pkts[i];
		char hooks[96] = "", a[24], b[24];
		int bridge = -1, nh = 0;
		const struct ns_state *ns = NULL;

		if (p->key.proto != NSTRACE_PROTO_ICMP)
			continue;
		for (int j = 0; j < p->nevents; j++) {
			const struct nstrace_event *e = &s->o->ev[p->events[j]];
			int idx = topo_find(t, e->netns_ino, (int)e->ifindex);

			if (e->source != NSTRACE_SRC_NF || e->nf_edge != NSTRACE_NF_FIRST || idx < 0)
				continue;
			if (t->ifs[idx].role == TOPO_BRIDGE)
				bridge = idx;
			else if (t->ifs[idx].role == TOPO_PORT && t->ifs[idx].master >= 0)
				bridge = t->ifs[idx].master;
			else
				continue;
			snprintf(hooks + strlen(hooks), sizeof(hooks) - strlen(hooks), "%s%s", nh++ ? ", " : "",
				 nf_hook_name(e->nf_hook));
		}
		if (bridge < 0)
			continue;
		for (int k = 0; k < s->nns; k++)
			if (s->ns[k].ref.ino == t->ifs[bridge].netns_ino)
				ns = &s->ns[k];
		say(s, "[%d] was switched by %s at layer 2, yet it crossed the IPv4 hooks %s of %s: br_netfilter "
		    "diverts bridged IPv4 into iptables when net.bridge.bridge-nf-call-iptables is 1 in that namespace "
		    "or the bridge's own nf_call_iptables option is 1 (either is enough). Here the sysctl is %s and %s's "
		    "option is %s.",
		    i + 1, t->ifs[bridge].name, hooks, t->ifs[bridge].ns_label,
		    value_word(ns ? ns->bridge_nf_call_iptables : -1, a, sizeof(a)), t->ifs[bridge].name,
		    value_word(s->links ? s->links[bridge].br_nf_call_iptables : -1, b, sizeof(b)));
		return;
	}
}

static void drops(struct story *s)
{
	int said = 0;
	char where_seen[MAX_SAID][96];

	for (int i = 0; i < s->o->pl->n && said < MAX_SAID; i++) {
		const struct packet *p = &s->o->pl->pkts[i];
		const struct nstrace_event *e;
		char where[96], reason[64], loc[96], desc[128], nsb[32], devb[24];
		struct fate f;
		int seen = 0;

		packet_fate(s->o->topo, s->o->ev, p, s->o->nm, &f);
		if (f.kind != FATE_DROPPED)
			continue;
		e = f.hook ? f.hook : f.drop;
		snprintf(where, sizeof(where), "%s %s %s", f.hook ? nf_hook_name(f.hook->nf_hook) : "dev",
			 event_ns(s->o, e->netns_ino, nsb, sizeof(nsb)), event_dev(s->o, e, devb, sizeof(devb)));
		for (int k = 0; k < said; k++)
			seen |= !strcmp(where_seen[k], where);
		if (seen)
			continue;	/* the same place again: said once */
		snprintf(where_seen[said++], sizeof(where_seen[0]), "%s", where);
		if (f.hook && !f.drop)
			say(s, "[%d] %s entered netfilter %s in %s and never left it under these addresses, but the kernel "
			    "reported no drop: NAT rewriting it (it goes on as another packet) or a queue taking it looks "
			    "like this.", i + 1, pkt_describe(&s->o->ev[p->events[0]], desc, sizeof(desc)),
			    nf_hook_name(f.hook->nf_hook), event_ns(s->o, e->netns_ino, nsb, sizeof(nsb)));
		else if (f.hook)
			say(s, "[%d] %s entered netfilter %s in %s and never left it: a rule or the policy of that chain "
			    "dropped it%s%s%s%s.", i + 1, pkt_describe(&s->o->ev[p->events[0]], desc, sizeof(desc)),
			    nf_hook_name(f.hook->nf_hook), event_ns(s->o, e->netns_ino, nsb, sizeof(nsb)),
			    f.drop ? " (the kernel freed it with reason " : "",
			    f.drop ? drop_reason_str(s->o->nm, f.drop->drop_reason, reason, sizeof(reason)) : "",
			    f.drop ? " at " : "", f.drop ? drop_location_func(s->o->nm, f.drop->location, loc, sizeof(loc)) : "");
		else
			say(s, "[%d] %s was freed on %s (%s) with reason %s at %s.", i + 1,
			    pkt_describe(&s->o->ev[p->events[0]], desc, sizeof(desc)), event_dev(s->o, e, devb, sizeof(devb)),
			    event_ns(s->o, e->netns_ino, nsb, sizeof(nsb)),
			    drop_reason_str(s->o->nm, f.drop->drop_reason, reason, sizeof(reason)),
			    drop_location_func(s->o->nm, f.drop->location, loc, sizeof(loc)));
	}
}

/* The tutorial's commands that build this topology by hand (/work/shared/tutorial.md's steps). */
static void by_hand(struct story *s)
{
	const struct topo *t = s->o->topo;
	FILE *f = s->tx->f;
	char a[16];
	int k = 0;

	fprintf(f, "  by hand, as in the tutorial: one terminal per namespace, each started with\n");
	fprintf(f, "  'sudo unshare --net --fork bash' (note its PID with 'echo $$'), then:\n");
	for (int b = 0; b < t->n; b++) {
		if (t->ifs[b].role != TOPO_BRIDGE)
			continue;
		fprintf(f, "    # in %s%s\n", t->ifs[b].ns_label,
			strcmp(t->ifs[b].ns_label, "root") ? " (a namespace of its own: one more unshare terminal)" :
							     " (the host)");
		fprintf(f, "    ip link add %s type bridge\n    ip link set %s up\n", t->ifs[b].name, t->ifs[b].name);
		if (t->ifs[b].addr.s_addr)
			fprintf(f, "    ip addr add %s/%d dev %s\n", ip_str(t->ifs[b].addr.s_addr, a, sizeof(a)),
				t->ifs[b].prefixlen, t->ifs[b].name);
		for (int p = 0; p < t->n; p++) {
			const struct topo_if *port = &t->ifs[p];

			if (port->master != b || port->peer < 0)
				continue;
			fprintf(f, "    ip link add %s type veth peer name %s\n", t->ifs[port->peer].name, port->name);
			fprintf(f, "    ip link set %s netns <PID%d>    # the shell of %s\n", t->ifs[port->peer].name, ++k,
				t->ifs[port->peer].ns_label);
			fprintf(f, "    ip link set %s master %s\n    ip link set %s up\n", port->name, t->ifs[b].name,
				port->name);
		}
	}
	for (int e = 0; e < t->n; e++) {
		const struct topo_if *x = &t->ifs[e];

		if (x->role != TOPO_ENDPOINT)
			continue;
		fprintf(f, "    # in %s\n    ip link set %s up\n", x->ns_label, x->name);
		if (x->addr.s_addr)
			fprintf(f, "    ip addr add %s/%d dev %s\n", ip_str(x->addr.s_addr, a, sizeof(a)), x->prefixlen, x->name);
		fprintf(f, "    ip link set lo up\n");
	}
	fprintf(f, "  then ping from one namespace's shell to another's address.\n");
}

void explain_learn_line(struct textout *tx, const struct observed *o, const struct nstrace_event *e, uint64_t base)
{
	struct story s = { .tx = tx, .o = o, .base = base };
	char nsb[32], devb[24], br[24], who[128], a[16], m[18], tb[32];

	if (e->source == NSTRACE_SRC_FDB) {
		struct nstrace_event bev = { .netns_ino = e->netns_ino, .ifindex = e->aux };

		say(&s, "%s learned %s on port %s at %s%s%s: the bridge now knows which port leads to that MAC.",
		    event_dev(o, &bev, br, sizeof(br)), mac_owner(o->topo, e->smac, who, sizeof(who)),
		    event_dev(o, e, devb, sizeof(devb)), t_str(&s, e->ts_ns, tb, sizeof(tb)), e->vlan ? " in VLAN " : "",
		    e->vlan ? (snprintf(a, sizeof(a), "%u", e->vlan), a) : "");
		return;
	}
	if (e->source != NSTRACE_SRC_NEIGH)
		return;
	say(&s, "%s's neighbour entry for %s on %s went %s \u2192 %s at %s%s%s.",
	    event_ns(o, e->netns_ino, nsb, sizeof(nsb)), ip_str(e->saddr, a, sizeof(a)), event_dev(o, e, devb, sizeof(devb)),
	    nud_name(e->state_old), nud_name(e->state_new), t_str(&s, e->ts_ns, tb, sizeof(tb)),
	    e->state_new & 0x06 ? ", MAC " : "", e->state_new & 0x06 ? mac_str(e->smac, m, sizeof(m)) : "");
}

static uint64_t first_ts(const struct observed *o)
{
	uint64_t base = 0;

	for (int i = 0; i < o->nev; i++)
		if (!base || o->ev[i].ts_ns < base)
			base = o->ev[i].ts_ns;
	for (int i = 0; i < o->nlearn; i++)
		if (!base || o->learn[i].ts_ns < base)
			base = o->learn[i].ts_ns;
	return base;
}

void explain_narrate(struct textout *tx, const struct observed *o, const struct ns_state *ns, int nns,
		     const struct link_state *links)
{
	struct story s = { tx, o, ns, nns, links, first_ts(o), calloc(o->nev ? o->nev : 1, sizeof(int)) };

	if (!s.pkt_of)
		return;
	for (int i = 0; i < o->pl->n; i++)
		for (int j = 0; j < o->pl->pkts[i].nevents; j++)
			s.pkt_of[o->pl->pkts[i].events[j]] = i + 1;
	fprintf(tx->f, "\nexplain: what the events show (times from the first event)\n");
	waited(&s);
	cable(&s);
	flood(&s);
	learning(&s);
	neighbours(&s);
	diverted(&s);
	drops(&s);
	by_hand(&s);
	free(s.pkt_of);
}
