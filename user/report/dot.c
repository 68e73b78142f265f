// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "analysis/drops.h"
#include "analysis/fate.h"
#include "model/packet.h"
#include "report/dot.h"

/* s inside a DOT double-quoted string: quotes and backslashes escaped, control bytes dropped. */
static void q(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
}

static void interface_node(FILE *f, const struct topo *t, int i, const struct observed *o)
{
	const struct topo_if *x = &t->ifs[i];
	char a[16], m[18];

	fprintf(f, "    if%d [label=\"", i);
	q(f, x->name);
	if (x->addr.s_addr)
		fprintf(f, "\\n%s/%d", ip_str(x->addr.s_addr, a, sizeof(a)), x->prefixlen);
	fprintf(f, "\\n%s\"", mac_str(x->mac, m, sizeof(m)));
	if (x->role == TOPO_BRIDGE)
		fprintf(f, ", shape=box3d, style=filled, fillcolor=lightyellow");
	else if (x->role == TOPO_ENDPOINT)
		fprintf(f, ", style=\"rounded,filled\", fillcolor=lightblue");
	if (o->net && o->net->now && i < o->net->nnow && o->net->now[i].known &&
	    (!o->net->now[i].exists || !(o->net->now[i].flags & 1)))
		fprintf(f, ", color=red, fontcolor=red, xlabel=\"%s\"", o->net->now[i].exists ? "DOWN" : "MISSING");
	fprintf(f, "];\n");
}

static void clusters(FILE *f, const struct observed *o)
{
	const struct topo *t = o->topo;

	for (int i = 0; i < t->n; i++) {
		int first = 1;

		for (int j = 0; j < i && first; j++)
			first = t->ifs[j].netns_ino != t->ifs[i].netns_ino;
		if (!first)
			continue;
		fprintf(f, "  subgraph cluster_%d {\n    label=\"", i);
		q(f, t->ifs[i].ns_label);
		fprintf(f, " (netns)\"; style=rounded; color=gray40;\n");
		for (int j = i; j < t->n; j++)
			if (t->ifs[j].netns_ino == t->ifs[i].netns_ino)
				interface_node(f, t, j, o);
		fprintf(f, "  }\n");
	}
}

/*
 * Ranks left to right follow the tutorial's picture: the namespaces' ends,
 * then the ports, then the bridge (edges drawn from the endpoint side).
 */
static void cables(FILE *f, const struct topo *t)
{
	for (int i = 0; i < t->n; i++) {
		const struct topo_if *x = &t->ifs[i];
		int from_here = x->role == TOPO_ENDPOINT || (t->ifs[x->peer < 0 ? i : x->peer].role != TOPO_ENDPOINT && x->peer > i);

		if (x->peer >= 0 && from_here)
			fprintf(f, "  if%d -> if%d [dir=none, penwidth=4, color=gray60, tooltip=\"veth pair: a cable between namespaces\"];\n",
				i, x->peer);
		if (x->master >= 0)
			fprintf(f, "  if%d -> if%d [dir=none, style=dashed, color=gray60, tooltip=\"port of the bridge\"];\n",
				i, x->master);
	}
}

static void drop_node(FILE *f, const struct observed *o, const struct dot_path *dp, const struct fate *ft, int from)
{
	const struct nstrace_event *e = ft->hook ? ft->hook : ft->drop;
	char reason[64], loc[96];

	fprintf(f, "  drop%d [shape=octagon, style=filled, fillcolor=mistyrose, color=red, fontcolor=red, label=\"dropped",
		dp->n);
	if (ft->hook)
		fprintf(f, "\\nin netfilter %s", nf_hook_name(ft->hook->nf_hook));
	if (ft->drop)
		fprintf(f, "\\n%s at %s", drop_reason_str(o->nm, ft->drop->drop_reason, reason, sizeof(reason)),
			drop_location_func(o->nm, ft->drop->location, loc, sizeof(loc)));
	fprintf(f, "\"];\n");
	if (from >= 0)
		fprintf(f, "  if%d -> drop%d [color=red, penwidth=2, style=bold%s%s%s];\n", from, dp->n,
			ft->at >= 0 && e && e->ifindex ? ", label=\"towards " : "",
			ft->at >= 0 && e && e->ifindex ? o->topo->ifs[ft->at].name : "",
			ft->at >= 0 && e && e->ifindex ? "\"" : "");
}

static void path_edges(FILE *f, const struct observed *o, const struct dot_path *dp)
{
	const struct packet *p = dp->p;
	struct fate ft;
	char desc[128];
	int last = -1;

	packet_fate(o->topo, dp->ev, p, o->nm, &ft);
	for (int i = 0; i + 1 < p->nhops; i++) {
		const struct hop *h = &p->hops[i + 1];

		fprintf(f, "  if%d -> if%d [color=%s, penwidth=2, constraint=false%s", p->hops[i].ifidx, h->ifidx,
			dp->color, h->evidence == HOP_INFERRED ? ", style=dashed" : "");
		if (i == 0) {
			fprintf(f, ", label=\"");
			if (dp->n)
				fprintf(f, "[%d] ", dp->n);
			q(f, pkt_describe(&dp->ev[p->events[0]], desc, sizeof(desc)));
			fprintf(f, "\", fontcolor=%s", dp->color);
		}
		fprintf(f, "];\n");
	}
	if (p->nhops)
		last = p->hops[p->nhops - 1].ifidx;
	if (ft.via >= 0 && last >= 0) {
		fprintf(f, "  if%d -> if%d [color=%s, penwidth=2, style=dashed, constraint=false];\n", last, ft.via,
			dp->color);
		last = ft.via;
	}
	if (ft.kind == FATE_DROPPED)
		drop_node(f, o, dp, &ft, last);
}

void dot_write(FILE *f, const struct observed *o, const char *title, const struct dot_path *paths, int npaths)
{
	fprintf(f, "digraph nstrace {\n  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, label=\"");
	q(f, title);
	fprintf(f, "\"];\n  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n");
	fprintf(f, "  edge [fontname=\"Helvetica\", fontsize=9];\n");
	clusters(f, o);
	cables(f, o->topo);
	for (int i = 0; i < npaths; i++)
		path_edges(f, o, &paths[i]);
	fprintf(f, "}\n");
}
