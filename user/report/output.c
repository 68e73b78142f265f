// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include <arpa/inet.h>
#include "analysis/drops.h"
#include "model/packet.h"
#include "report/output.h"

static const char *if_name(const struct topo *t, const struct nstrace_event *e, char *buf, int size)
{
	int idx = topo_find(t, e->netns_ino, e->ifindex);

	if (idx >= 0)
		return t->ifs[idx].name;
	if (!e->ifindex)
		snprintf(buf, size, "(no device)");
	else
		snprintf(buf, size, "if%u", e->ifindex);
	return buf;
}

static const char *ns_name(const struct topo *t, uint32_t ino, char *buf, int size)
{
	const char *label = topo_ns_label(t, ino);

	if (label)
		return label;
	snprintf(buf, size, "netns:%u", ino);
	return buf;
}

void print_topology(FILE *f, const struct topo *t)
{
	char a[16], m[18];

	fprintf(f, "topology:\n");
	for (int i = 0; i < t->n; i++) {
		const struct topo_if *x = &t->ifs[i];
		const char *role = x->role == TOPO_BRIDGE ? "bridge" :
				   x->role == TOPO_PORT ? "port" :
				   x->role == TOPO_ENDPOINT ? "endpoint" : "link";

		fprintf(f, "  %-10s %-16s %-8s", x->ns_label, x->name, role);
		if (x->addr.s_addr)
			fprintf(f, " %s/%d", ip_str(x->addr.s_addr, a, sizeof(a)), x->prefixlen);
		fprintf(f, " %s", mac_str(x->mac, m, sizeof(m)));
		if (x->peer >= 0)
			fprintf(f, "  peer %s (%s)", t->ifs[x->peer].name, t->ifs[x->peer].ns_label);
		if (x->master >= 0)
			fprintf(f, "  master %s", t->ifs[x->master].name);
		fprintf(f, "\n");
	}
}

static void print_event_line(FILE *f, const struct topo *t, const struct nstrace_event *e,
			     uint64_t base, const struct namer *nm)
{
	char ifb[24], nsb[32], reason[64], loc[96];
	const char *what = "";

	fprintf(f, "    %+9.1f µs  %-10s %-12s ", (double)(e->ts_ns - base) / 1000.0,
		ns_name(t, e->netns_ino, nsb, sizeof(nsb)), if_name(t, e, ifb, sizeof(ifb)));
	switch (e->source) {
	case NSTRACE_SRC_TC:
		what = e->dir == NSTRACE_DIR_INGRESS ? "ingress" : "egress";
		fprintf(f, "%s\n", what);
		break;
	case NSTRACE_SRC_NF:
		fprintf(f, "netfilter %s %s\n", nf_hook_name(e->nf_hook),
			e->nf_edge == NSTRACE_NF_FIRST ? "entered" : "passed");
		break;
	case NSTRACE_SRC_DROP:
		fprintf(f, "DROP %s at %s%s\n", drop_reason_str(nm, e->drop_reason, reason, sizeof(reason)),
			drop_location_func(nm, e->location, loc, sizeof(loc)),
			drop_benign_why(e, nm) ? " (benign)" : "");
		break;
	}
}

static void print_inferred(FILE *f, const struct topo *t, const struct packet *p)
{
	for (int i = 0; i < p->nhops; i++) {
		const struct hop *h = &p->hops[i];
		const struct topo_if *x = &t->ifs[h->ifidx];

		if (h->evidence != HOP_INFERRED)
			continue;
		if (x->role == TOPO_BRIDGE && i > 0 && i + 1 < p->nhops)
			fprintf(f, "      * %s: inferred: %s and %s are its ports (a bridge's own tc hooks do not see frames it forwards)\n",
				x->name, t->ifs[p->hops[i - 1].ifidx].name, t->ifs[p->hops[i + 1].ifidx].name);
		else
			fprintf(f, "      * %s: not observed, inferred from the hops around it\n", x->name);
	}
}

void print_packets(FILE *f, const struct topo *t, const struct nstrace_event *ev,
		   const struct packet_list *pl, const struct namer *nm)
{
	char desc[128], path[1024];

	for (int i = 0; i < pl->n; i++) {
		const struct packet *p = &pl->pkts[i];
		const struct nstrace_event *first = &ev[p->events[0]];
		int last;

		fprintf(f, "\n[%d] %s\n", i + 1, pkt_describe(first, desc, sizeof(desc)));
		for (int j = 0; j < p->nevents; j++)
			print_event_line(f, t, &ev[p->events[j]], p->first_ns, nm);
		if (!p->nhops) {
			fprintf(f, "    path: none of the lab's interfaces saw it\n");
			continue;
		}
		fprintf(f, "    path: %s%s\n", path_str(t, p, path, sizeof(path)),
			p->delivered ? "" : "   ✗ not delivered");
		print_inferred(f, t, p);
		if (p->flooded)
			fprintf(f, "      (the bridge flooded it to other ports too)\n");
		last = path_last_observed(p);
		if (!p->delivered && last >= 0)
			fprintf(f, "      last seen: %s (%s)\n", t->ifs[p->hops[last].ifidx].name,
				p->hops[last].egress_seen ? "leaving" : "entering");
	}
}

/* A benign drop like ev[i] (same reason, place, device) came before it. */
static int benign_seen(const struct nstrace_event *ev, int i, const struct namer *nm)
{
	for (int j = 0; j < i; j++)
		if (ev[j].source == NSTRACE_SRC_DROP && ev[j].drop_reason == ev[i].drop_reason &&
		    ev[j].location == ev[i].location && ev[j].netns_ino == ev[i].netns_ino &&
		    ev[j].ifindex == ev[i].ifindex && drop_benign_why(&ev[j], nm))
			return 1;
	return 0;
}

static int benign_alike(const struct nstrace_event *ev, int nev, int i)
{
	int n = 0;

	for (int j = i; j < nev; j++)
		n += ev[j].source == NSTRACE_SRC_DROP && ev[j].drop_reason == ev[i].drop_reason &&
		     ev[j].location == ev[i].location && ev[j].netns_ino == ev[i].netns_ino &&
		     ev[j].ifindex == ev[i].ifindex;
	return n;
}

int print_drops(FILE *f, const struct topo *t, const struct nstrace_event *ev, int nev,
		const struct namer *nm)
{
	char desc[128], reason[64], loc[128], ifb[24], nsb[32];
	int relevant = 0, total = 0;

	for (int i = 0; i < nev; i++) {
		const struct nstrace_event *e = &ev[i];
		const char *benign;

		if (e->source != NSTRACE_SRC_DROP)
			continue;
		if (!total++)
			fprintf(f, "drops:\n");
		benign = drop_benign_why(e, nm);
		if (benign && benign_seen(ev, i, nm))
			continue;	/* said once, with how many there were */
		if (nm && nm->symbol)
			nm->symbol(nm->ctx, e->location, loc, sizeof(loc));
		else
			snprintf(loc, sizeof(loc), "0x%llx", (unsigned long long)e->location);
		fprintf(f, "  %s at %s (dev %s, %s): %s\n",
			drop_reason_str(nm, e->drop_reason, reason, sizeof(reason)), loc,
			if_name(t, e, ifb, sizeof(ifb)), ns_name(t, e->netns_ino, nsb, sizeof(nsb)),
			pkt_describe(e, desc, sizeof(desc)));
		if (benign) {
			int alike = benign_alike(ev, nev, i);

			fprintf(f, "    ignored: %s\n", benign);
			if (alike > 1)
				fprintf(f, "    (%d more like it, ignored for the same reason)\n", alike - 1);
		} else
			relevant++;
	}
	if (!total)
		fprintf(f, "drops: none\n");
	return relevant;
}

void print_probe_summary(FILE *f, const struct probe_summary *s)
{
	fprintf(f, "replies: %d/%d", s->received, s->sent);
	if (s->received)
		fprintf(f, " (rtt min/avg/max %.3f/%.3f/%.3f ms)", s->rtt_min_ns / 1e6,
			s->rtt_avg_ns / 1e6, s->rtt_max_ns / 1e6);
	fprintf(f, "\n");
}
