// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "analysis/drops.h"
#include "analysis/fate.h"
#include "model/packet.h"
#include "report/output.h"

/* Another traced interface has this name in another namespace (every container's eth0). */
static int name_repeats(const struct topo *t, int idx)
{
	for (int i = 0; i < t->n; i++)
		if (i != idx && t->ifs[i].netns_ino != t->ifs[idx].netns_ino &&
		    !strcmp(t->ifs[i].name, t->ifs[idx].name))
			return 1;
	return 0;
}

const char *topo_if_label(const struct topo *t, int idx, char *buf, int size)
{
	if (name_repeats(t, idx))
		snprintf(buf, size, "%s/%s", t->ifs[idx].ns_label, t->ifs[idx].name);
	else
		snprintf(buf, size, "%s", t->ifs[idx].name);
	return buf;
}

const char *event_dev(const struct observed *o, const struct nstrace_event *e, char *buf, int size)
{
	int idx = topo_find(o->topo, e->netns_ino, (int)e->ifindex);
	const char *seen;

	if (idx >= 0)
		return o->topo->ifs[idx].name;
	if (!e->ifindex)
		snprintf(buf, size, "(no device)");
	else if ((seen = netview_if_name(o->net, e->netns_ino, (int)e->ifindex)))
		snprintf(buf, size, "%s", seen);
	else if (e->ifindex == 1)
		snprintf(buf, size, "lo");	/* every namespace's loopback is its ifindex 1 */
	else
		snprintf(buf, size, "if%u", e->ifindex);
	return buf;
}

const char *event_ns(const struct observed *o, uint32_t ino, char *buf, int size)
{
	const char *label = topo_ns_label(o->topo, ino);

	for (int i = 0; !label && i < o->nns; i++)
		if (o->nss[i].ino == ino)
			label = o->nss[i].label;
	if (label)
		return label;
	snprintf(buf, size, "netns:%u", ino);
	return buf;
}

static const char *role_name(int role)
{
	return role == TOPO_BRIDGE ? "bridge" : role == TOPO_PORT ? "port" : role == TOPO_ENDPOINT ? "endpoint" : "link";
}

static int label_width(const struct topo *t)
{
	int w = 4;

	for (int i = 0; i < t->n; i++)
		if ((int)strlen(t->ifs[i].ns_label) > w)
			w = (int)strlen(t->ifs[i].ns_label);
	return w;
}

/* What changed on interface x since the topology was made: "", or ", DOWN" and the like. */
static void changes(const struct topo *t, int i, const struct link_now *now, char *buf, int size)
{
	const struct topo_if *x = &t->ifs[i];
	char a[16];
	int off = 0;

	buf[0] = '\0';
	if (!now || !now->known)
		return;
	if (!now->exists) {
		snprintf(buf, size, "  MISSING (not found now)");
		return;
	}
	if (!(now->flags & 1))	/* IFF_UP */
		off += snprintf(buf + off, size - off, "  DOWN");
	if (x->addr.s_addr && now->addr.s_addr != x->addr.s_addr && off < size)
		off += snprintf(buf + off, size - off, "  (made with %s/%d)", ip_str(x->addr.s_addr, a, sizeof(a)),
				x->prefixlen);
	if (x->master >= 0 && now->master_ifindex != t->ifs[x->master].ifindex && off < size)
		snprintf(buf + off, size - off, "  %s (made in %s)", now->master_ifindex ? "other master" : "no master",
			 t->ifs[x->master].name);
}

void print_topology(struct textout *tx, const struct topo *t, const struct netview *net)
{
	int lw = label_width(t);

	if (!tx->f || tx->quiet)
		return;
	fprintf(tx->f, "topology:%s\n", net && net->now ? " (as read now)" : "");
	for (int i = 0; i < t->n; i++) {
		const struct topo_if *x = &t->ifs[i];
		const struct link_now *now = net && net->now && i < net->nnow ? &net->now[i] : NULL;
		struct in_addr addr = now && now->known ? now->addr : x->addr;
		int plen = now && now->known ? now->prefixlen : x->prefixlen;
		char a[24] = "-", m[18], rel[128] = "", chg[96], ab[16];

		if (addr.s_addr)
			snprintf(a, sizeof(a), "%s/%d", ip_str(addr.s_addr, ab, sizeof(ab)), plen);
		if (x->peer >= 0)
			snprintf(rel, sizeof(rel), "\u2194 %s/%s", t->ifs[x->peer].ns_label, t->ifs[x->peer].name);
		if (x->master >= 0 && (!now || !now->known || now->master_ifindex == t->ifs[x->master].ifindex))
			snprintf(rel + strlen(rel), sizeof(rel) - strlen(rel), " in %s", t->ifs[x->master].name);
		changes(t, i, now, chg, sizeof(chg));
		fprintf(tx->f, "  %-*s %-15s %-8s %-18s %s%s%s%s%s%s\n", lw, x->ns_label, x->name, role_name(x->role), a,
			mac_str(now && now->known && now->exists ? now->mac : x->mac, m, sizeof(m)), rel[0] ? "  " : "",
			rel, chg[0] ? tx_c(tx, TX_RED) : "", chg, chg[0] ? tx_c(tx, TX_RESET) : "");
	}
}

static void print_event_line(struct textout *tx, const struct observed *o, const struct nstrace_event *e,
			     uint64_t base)
{
	char ifb[24], nsb[32], reason[64], loc[96];

	fprintf(tx->f, "    %+9.1f \u00b5s  %-10s %-12s ", (double)(e->ts_ns - base) / 1000.0,
		event_ns(o, e->netns_ino, nsb, sizeof(nsb)), event_dev(o, e, ifb, sizeof(ifb)));
	switch (e->source) {
	case NSTRACE_SRC_TC:
		fprintf(tx->f, "%s\n", e->dir == NSTRACE_DIR_INGRESS ? "ingress" : "egress");
		break;
	case NSTRACE_SRC_NF:
		fprintf(tx->f, "netfilter %s %s\n", nf_hook_name(e->nf_hook),
			e->nf_edge == NSTRACE_NF_FIRST ? "entered" : "passed");
		break;
	case NSTRACE_SRC_DROP:
		if (drop_benign_why(e, o->nm)) {
			fprintf(tx->f, "DROP %s at %s (benign)\n", drop_reason_str(o->nm, e->drop_reason, reason, sizeof(reason)),
				drop_location_func(o->nm, e->location, loc, sizeof(loc)));
			break;
		}
		fprintf(tx->f, "%sDROP %s at %s%s\n", tx_c(tx, TX_RED),
			drop_reason_str(o->nm, e->drop_reason, reason, sizeof(reason)),
			drop_location_func(o->nm, e->location, loc, sizeof(loc)), tx_c(tx, TX_RESET));
		break;
	default:
		fprintf(tx->f, "event source %u\n", e->source);
	}
}

/* Why a hop is marked '*': said once per interface, not once per packet. */
static void say_inferred(struct textout *tx, const struct topo *t, int idx, int before, int after)
{
	const struct topo_if *x = &t->ifs[idx];
	char line[256];

	if (!tx_once(tx, idx + 1))
		return;
	if (x->role == TOPO_BRIDGE && before >= 0 && after >= 0)
		snprintf(line, sizeof(line), "%s: inferred: %s and %s are its ports (a bridge's own tc hooks do not see frames it forwards)",
			 x->name, t->ifs[before].name, t->ifs[after].name);
	else if (x->role == TOPO_BRIDGE && before >= 0)
		snprintf(line, sizeof(line), "%s: inferred: %s is its port and the address is the bridge's own",
			 x->name, t->ifs[before].name);
	else
		snprintf(line, sizeof(line), "%s: not observed, inferred from the hops around it", x->name);
	tx_wrap(tx, "      * ", "        ", line);
}

static void print_inferred(struct textout *tx, const struct topo *t, const struct packet *p, const struct fate *f)
{
	for (int i = 0; i < p->nhops; i++)
		if (p->hops[i].evidence == HOP_INFERRED)
			say_inferred(tx, t, p->hops[i].ifidx, i > 0 ? p->hops[i - 1].ifidx : -1,
				     i + 1 < p->nhops ? p->hops[i + 1].ifidx : -1);
	if (f->via >= 0 && p->nhops)
		say_inferred(tx, t, f->via, p->hops[p->nhops - 1].ifidx, f->at);
}

/* "in netfilter FORWARD (host) towards veth-br2" and the like. */
static void where_died(const struct observed *o, const struct fate *f, char *buf, int size)
{
	const struct nstrace_event *e = f->hook ? f->hook : f->drop;
	char nsb[32], devb[64], ifb[24];
	const char *dev = f->at >= 0 ? topo_if_label(o->topo, f->at, devb, sizeof(devb)) :
			  event_dev(o, e, ifb, sizeof(ifb));
	const char *ns = event_ns(o, e->netns_ino, nsb, sizeof(nsb));

	if (f->hook)
		snprintf(buf, size, "in netfilter %s (%s)%s%s", nf_hook_name(f->hook->nf_hook), ns,
			 f->via >= 0 ? " towards " : e->ifindex ? " on " : "", e->ifindex ? dev : "");
	else
		snprintf(buf, size, "%s %s (%s)", f->via >= 0 ? "towards" : "at", dev, ns);
}

/*
 * An IPv4 packet (ARP stays on its link) not delivered, not dropped, last seen
 * entering a namespace, for an address no interface of the topology has: it
 * was routed on, out of what is observed.
 */
static int beyond(const struct topo *t, const struct packet *p, const struct fate *f)
{
	struct in_addr dst = { p->key.daddr };

	return p->key.proto == NSTRACE_PROTO_ICMP && f->kind == FATE_VANISHED && f->last >= 0 &&
	       topo_find_addr(t, dst) < 0 &&
	       t->ifs[p->hops[f->last].ifidx].role != TOPO_PORT;
}

static void print_fate(struct textout *tx, const struct observed *o, const struct packet *p)
{
	const struct topo *t = o->topo;
	struct fate f;
	char path[1024], where[160], reason[64], loc[96], ifb[64];

	packet_fate(t, o->ev, p, o->nm, &f);
	if (f.kind == FATE_UNSEEN) {
		fprintf(tx->f, "    path: none of the traced interfaces saw it\n");
		return;
	}
	path_str(t, p, path, sizeof(path));
	/* Freed before any link saw it (NEIGH_FAILED, the sender's own firewall): no hop to name. */
	if (!path[0])
		snprintf(path, sizeof(path), "(no link)");
	if (f.via >= 0)
		snprintf(path + strlen(path), sizeof(path) - strlen(path), " \u2192 %s*", t->ifs[f.via].name);
	if (f.kind == FATE_DELIVERED) {
		fprintf(tx->f, "    path: %s%s\n", path, f.via >= 0 && t->ifs[f.via].role == TOPO_BRIDGE &&
			f.at < 0 ? "   (to the bridge's own address)" : "");
	} else if (f.kind == FATE_DROPPED) {
		where_died(o, &f, where, sizeof(where));
		fprintf(tx->f, "    path: %s   %s\u2717 dropped%s\n", path, tx_c(tx, TX_RED), tx_c(tx, TX_RESET));
		fprintf(tx->f, "      dropped %s", where);
		if (f.drop)
			fprintf(tx->f, ": %s at %s", drop_reason_str(o->nm, f.drop->drop_reason, reason, sizeof(reason)),
				drop_location_func(o->nm, f.drop->location, loc, sizeof(loc)));
		else
			fprintf(tx->f, ": entered the hook and never left it (no drop reported: NAT or a queue looks the same)");
		fprintf(tx->f, "\n");
	} else if (beyond(t, p, &f)) {
		char a[16];

		/* Its destination is no interface nstrace watches: where it went next is not shown, not failed. */
		fprintf(tx->f, "    path: %s   (on towards %s, beyond the observed links)\n", path,
			ip_str(p->key.daddr, a, sizeof(a)));
	} else {
		fprintf(tx->f, "    path: %s   %s\u2717 not delivered%s\n", path, tx_c(tx, TX_RED), tx_c(tx, TX_RESET));
	}
	print_inferred(tx, t, p, &f);
	if (p->flooded)
		fprintf(tx->f, "      (the bridge flooded it to other ports too)\n");
	if (f.kind == FATE_VANISHED && f.last >= 0 && !beyond(t, p, &f))
		fprintf(tx->f, "      last seen: %s (%s)\n", topo_if_label(t, p->hops[f.last].ifidx, ifb, sizeof(ifb)),
			p->hops[f.last].egress_seen ? "leaving" : "entering");
}

void print_packet(struct textout *tx, const struct observed *o, const struct packet *p, int n)
{
	char desc[128];

	fprintf(tx->f, "\n%s[%d] %s%s\n", tx_c(tx, TX_BOLD), n, pkt_describe(&o->ev[p->events[0]], desc, sizeof(desc)),
		tx_c(tx, TX_RESET));
	for (int j = 0; j < p->nevents; j++)
		print_event_line(tx, o, &o->ev[p->events[j]], p->first_ns);
	print_fate(tx, o, p);
}

void print_packets(struct textout *tx, const struct observed *o)
{
	for (int i = 0; i < o->pl->n; i++)
		print_packet(tx, o, &o->pl->pkts[i], i + 1);
}

/* Drops alike: same reason, place and device. Counted in one pass with a hash table. */
struct drop_kind {
	uint32_t reason, ino, ifindex;
	uint64_t location;
	int count, printed, used;
};

static unsigned int kind_hash(const struct nstrace_event *e, unsigned int mask)
{
	uint64_t h = e->location * 0x9e3779b97f4a7c15ull;

	h ^= ((uint64_t)e->drop_reason << 32 | e->ifindex) * 0xbf58476d1ce4e5b9ull;
	h ^= (uint64_t)e->netns_ino * 0x94d049bb133111ebull;
	return (unsigned int)(h >> 32) & mask;
}

static struct drop_kind *kind_of(struct drop_kind *tab, unsigned int mask, const struct nstrace_event *e)
{
	unsigned int i = kind_hash(e, mask);

	for (;; i = (i + 1) & mask) {
		struct drop_kind *k = &tab[i];

		if (!k->used) {
			*k = (struct drop_kind){ e->drop_reason, e->netns_ino, e->ifindex, e->location, 0, 0, 1 };
			return k;
		}
		if (k->reason == e->drop_reason && k->location == e->location && k->ino == e->netns_ino &&
		    k->ifindex == e->ifindex)
			return k;
	}
}

/* A table of at least twice as many slots as drops, or NULL. */
static struct drop_kind *count_drops(const struct observed *o, unsigned int *mask, int *ndrops)
{
	unsigned int size = 16;
	struct drop_kind *tab;

	*ndrops = 0;
	for (int i = 0; i < o->nev; i++)
		*ndrops += o->ev[i].source == NSTRACE_SRC_DROP;
	while (size < 2u * (unsigned int)*ndrops)
		size *= 2;
	tab = calloc(size, sizeof(*tab));
	if (!tab)
		return NULL;
	*mask = size - 1;
	for (int i = 0; i < o->nev; i++)
		if (o->ev[i].source == NSTRACE_SRC_DROP)
			kind_of(tab, *mask, &o->ev[i])->count++;
	return tab;
}

static void print_drop_line(struct textout *tx, const struct observed *o, const struct nstrace_event *e)
{
	char desc[128], reason[64], loc[128], ifb[24], nsb[32], line[512];

	if (o->nm && o->nm->symbol)
		o->nm->symbol(o->nm->ctx, e->location, loc, sizeof(loc));
	else
		snprintf(loc, sizeof(loc), "0x%llx", (unsigned long long)e->location);
	snprintf(line, sizeof(line), "%s at %s (dev %s, %s): %s", drop_reason_str(o->nm, e->drop_reason, reason, sizeof(reason)),
		 loc, event_dev(o, e, ifb, sizeof(ifb)), event_ns(o, e->netns_ino, nsb, sizeof(nsb)),
		 pkt_describe(e, desc, sizeof(desc)));
	tx_wrap(tx, "  ", "    ", line);
}

int print_drops(struct textout *tx, const struct observed *o)
{
	unsigned int mask;
	int relevant = 0, ndrops;
	struct drop_kind *tab = count_drops(o, &mask, &ndrops);

	if (!ndrops || !tab) {
		fprintf(tx->f, "drops: %s\n", ndrops ? "(out of memory)" : "none");
		free(tab);
		return 0;
	}
	fprintf(tx->f, "drops:\n");
	for (int i = 0; i < o->nev; i++) {
		const struct nstrace_event *e = &o->ev[i];
		const char *benign;
		struct drop_kind *k;

		if (e->source != NSTRACE_SRC_DROP)
			continue;
		benign = drop_benign_why(e, o->nm);
		k = kind_of(tab, mask, e);
		if (benign && k->printed++)
			continue;	/* said once, with how many there were */
		print_drop_line(tx, o, e);
		if (!benign) {
			relevant++;
			continue;
		}
		tx_wrap(tx, "    ignored: ", "      ", benign);
		if (k->count > 1)
			fprintf(tx->f, "    (%d more like it, ignored for the same reason)\n", k->count - 1);
	}
	free(tab);
	return relevant;
}

int print_drops_brief(struct textout *tx, const struct observed *o)
{
	char reason[64], loc[96];
	unsigned int mask;
	int relevant = 0, benign = 0, ndrops, shown = 0;
	struct drop_kind *tab = count_drops(o, &mask, &ndrops);

	if (!ndrops || !tab) {
		fprintf(tx->f, "drops: %s\n", ndrops ? "(out of memory)" : "none");
		free(tab);
		return 0;
	}
	for (int i = 0; i < o->nev; i++)
		if (o->ev[i].source == NSTRACE_SRC_DROP)
			*(drop_benign_why(&o->ev[i], o->nm) ? &benign : &relevant) += 1;
	fprintf(tx->f, "drops: %d", relevant);
	for (int i = 0; i < o->nev && shown < 3; i++) {
		const struct nstrace_event *e = &o->ev[i];
		struct drop_kind *k;

		if (e->source != NSTRACE_SRC_DROP || drop_benign_why(e, o->nm) || (k = kind_of(tab, mask, e))->printed++)
			continue;
		fprintf(tx->f, "%s %s at %s \u00d7%d", shown++ ? "," : " (", drop_reason_str(o->nm, e->drop_reason, reason, sizeof(reason)),
			drop_location_func(o->nm, e->location, loc, sizeof(loc)), k->count);
	}
	fprintf(tx->f, "%s", shown ? ")" : "");
	if (benign)
		fprintf(tx->f, ", %d benign ignored", benign);
	fprintf(tx->f, "\n");
	free(tab);
	return relevant;
}

void print_probe_summary(struct textout *tx, const struct probe_summary *s)
{
	FILE *f = tx->f;

	fprintf(f, "%sreplies: %d/%d%s", tx_c(tx, s->sent && s->received == s->sent ? TX_GREEN : TX_RED), s->received,
		s->sent, tx_c(tx, TX_RESET));
	if (s->received)
		fprintf(f, " (rtt min/avg/max %.3f/%.3f/%.3f ms)", s->rtt_min_ns / 1e6,
			s->rtt_avg_ns / 1e6, s->rtt_max_ns / 1e6);
	fprintf(f, "\n");
}
