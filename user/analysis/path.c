// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/path.h"

static int add_event(struct packet *p, int idx)
{
	if (p->nevents == p->cap) {
		int cap = p->cap ? p->cap * 2 : 8;
		int *e = realloc(p->events, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		p->events = e;
		p->cap = cap;
	}
	p->events[p->nevents++] = idx;
	return 0;
}

static const struct nstrace_event *sort_base;

static int cmp_by_time(const void *a, const void *b)
{
	const struct nstrace_event *x = &sort_base[*(const int *)a], *y = &sort_base[*(const int *)b];

	if (x->ts_ns != y->ts_ns)
		return x->ts_ns < y->ts_ns ? -1 : 1;
	return *(const int *)a - *(const int *)b;
}

int path_group(const struct nstrace_event *ev, int nev, struct packet_list *out)
{
	int *order = malloc((nev ? nev : 1) * sizeof(int));
	int cap = 0, err = 0;

	memset(out, 0, sizeof(*out));
	if (!order)
		return -ENOMEM;
	for (int i = 0; i < nev; i++)
		order[i] = i;
	sort_base = ev;
	qsort(order, nev, sizeof(int), cmp_by_time);

	for (int j = 0; j < nev && !err; j++) {
		const struct nstrace_event *e = &ev[order[j]];
		struct pkt_key k = pkt_key_of(e);
		struct packet *p = NULL;

		/* The newest packet with this key, if it is still going on. */
		for (int i = out->n - 1; i >= 0; i--) {
			if (!pkt_key_equal(&out->pkts[i].key, &k))
				continue;
			if (e->ts_ns - out->pkts[i].last_ns <= PATH_SPLIT_GAP_NS)
				p = &out->pkts[i];
			break;
		}
		if (!p) {
			if (out->n == cap) {
				int ncap = cap ? cap * 2 : 16;
				struct packet *np = realloc(out->pkts, ncap * sizeof(*np));

				if (!np) {
					err = -ENOMEM;
					break;
				}
				out->pkts = np;
				cap = ncap;
			}
			p = &out->pkts[out->n++];
			memset(p, 0, sizeof(*p));
			p->key = k;
			p->first_ns = e->ts_ns;
		}
		p->last_ns = e->ts_ns;
		err = add_event(p, order[j]);
	}
	free(order);
	if (err)
		packet_list_free(out);
	return err;
}

void packet_list_free(struct packet_list *pl)
{
	for (int i = 0; i < pl->n; i++)
		free(pl->pkts[i].events);
	free(pl->pkts);
	memset(pl, 0, sizeof(*pl));
}

struct sightings {
	uint64_t *in_ts, *eg_ts;	/* first ingress/egress time per topo index, 0 = not seen */
};

static void note(uint64_t *slot, uint64_t ts)
{
	if (!*slot || ts < *slot)
		*slot = ts;
}

/*
 * A veth pair is a cable: what enters one end left the other, with nothing
 * in between. Passive mode observes ingress only, so the sending end of each
 * cable is seen through its peer.
 */
static int left_by_cable(const struct topo *t, const struct sightings *s, int ifidx)
{
	int peer = t->ifs[ifidx].peer;

	return peer >= 0 && s->in_ts[peer] != 0;
}

static int add_hop(const struct topo *t, struct packet *p, const struct sightings *s, int ifidx, int observed)
{
	struct hop *h;

	if (p->nhops == PATH_MAX_HOPS)
		return -1;
	for (int i = 0; i < p->nhops; i++)
		if (p->hops[i].ifidx == ifidx)
			return -1;	/* a loop: stop rather than walk it again */
	h = &p->hops[p->nhops++];
	h->ifidx = ifidx;
	h->ingress_seen = s->in_ts[ifidx] != 0;
	h->egress_seen = s->eg_ts[ifidx] != 0;
	h->evidence = observed || h->ingress_seen || h->egress_seen || left_by_cable(t, s, ifidx) ?
		      HOP_OBSERVED : HOP_INFERRED;
	h->ts_ns = s->in_ts[ifidx] && s->eg_ts[ifidx] ?
		   (s->in_ts[ifidx] < s->eg_ts[ifidx] ? s->in_ts[ifidx] : s->eg_ts[ifidx]) :
		   s->in_ts[ifidx] + s->eg_ts[ifidx];
	return 0;
}

/*
 * Which port the bridge sent the packet out of: one seen leaving; among
 * several (a flood), the one leading to the destination.
 */
static int pick_out_port(const struct topo *t, const struct sightings *s, int bridge, int in_port,
			 int target, struct packet *p)
{
	int best = -1, candidates = 0;
	int target_port = target >= 0 ? t->ifs[target].peer : -1;
	uint64_t best_ts = 0;

	for (int i = 0; i < t->n; i++) {
		/* Seen leaving, or arriving at the other end of its cable (passive mode). */
		uint64_t ts = s->eg_ts[i] ? s->eg_ts[i] : t->ifs[i].peer >= 0 ? s->in_ts[t->ifs[i].peer] : 0;

		if (i == in_port || t->ifs[i].master != bridge || !ts)
			continue;
		candidates++;
		if (best < 0 || (i == target_port) || (best != target_port && ts < best_ts)) {
			best = i;
			best_ts = ts;
		}
	}
	p->flooded = candidates > 1;
	/* The target saw it arrive: its port sent it, even if that egress event was missed. */
	if (target_port >= 0 && best != target_port && t->ifs[target_port].master == bridge &&
	    target_port != in_port && s->in_ts[target])
		best = target_port;
	return best;
}

/*
 * Routed on: after arriving at x, the packet left by another interface of
 * the same namespace (seen leaving it, or arriving at the far end of its
 * cable); the first such after the arrival, -1 if none.
 */
static int routed_out(const struct topo *t, const struct sightings *s, int x)
{
	int best = -1;
	uint64_t best_ts = 0;

	for (int i = 0; i < t->n; i++) {
		uint64_t ts = s->eg_ts[i] ? s->eg_ts[i] : t->ifs[i].peer >= 0 ? s->in_ts[t->ifs[i].peer] : 0;

		if (i == x || t->ifs[i].netns_ino != t->ifs[x].netns_ino || t->ifs[i].role == TOPO_BRIDGE ||
		    t->ifs[i].master >= 0 || !ts || ts < s->in_ts[x])
			continue;
		if (best < 0 || ts < best_ts) {
			best = i;
			best_ts = ts;
		}
	}
	return best;
}

static int walk_origin(const struct topo *t, const struct sightings *s, const struct packet *p,
		       int *leaving)
{
	struct in_addr src = { p->key.saddr };
	int origin = topo_find_addr(t, src);
	uint64_t first = 0;
	int first_idx = -1;

	if (origin >= 0 && (s->eg_ts[origin] || left_by_cable(t, s, origin))) {
		*leaving = 1;
		return origin;
	}
	for (int i = 0; i < t->n; i++) {
		uint64_t ts = s->in_ts[i] && (!s->eg_ts[i] || s->in_ts[i] < s->eg_ts[i]) ? s->in_ts[i] : s->eg_ts[i];

		if (ts && (!first || ts < first)) {
			first = ts;
			first_idx = i;
		}
	}
	if (first_idx >= 0)
		*leaving = s->eg_ts[first_idx] == first && !(s->in_ts[first_idx] == first);
	return first_idx;
}

void path_walk(const struct topo *t, const struct nstrace_event *ev, struct packet *p)
{
	struct sightings s;
	struct in_addr dst = { p->key.daddr }, src = { p->key.saddr };
	int cur, leaving = 0, target = topo_find_addr(t, dst);

	p->nhops = 0;
	p->delivered = 0;
	p->flooded = 0;
	p->origin_known = 0;
	s.in_ts = calloc(t->n ? t->n : 1, sizeof(uint64_t));
	s.eg_ts = calloc(t->n ? t->n : 1, sizeof(uint64_t));
	if (!s.in_ts || !s.eg_ts)
		goto out;
	for (int i = 0; i < p->nevents; i++) {
		const struct nstrace_event *e = &ev[p->events[i]];
		int idx;

		if (e->source != NSTRACE_SRC_TC)
			continue;
		idx = topo_find(t, e->netns_ino, e->ifindex);
		if (idx >= 0)
			note(e->dir == NSTRACE_DIR_EGRESS ? &s.eg_ts[idx] : &s.in_ts[idx], e->ts_ns);
	}
	cur = walk_origin(t, &s, p, &leaving);
	if (cur < 0)
		goto out;
	p->origin_known = cur == topo_find_addr(t, src);

	while (cur >= 0 && !add_hop(t, p, &s, cur, 0)) {
		const struct topo_if *ifc = &t->ifs[cur];
		int next = -1;

		if (leaving) {
			if (ifc->role == TOPO_BRIDGE) {
				/* Sent by the host through its bridge: out of one of its ports. */
				next = pick_out_port(t, &s, cur, -1, target, p);
				leaving = 1;
			} else {
				next = ifc->peer;
				leaving = 0;
			}
		} else if (cur == target) {
			break;
		} else if (ifc->role == TOPO_ENDPOINT || ifc->role == TOPO_OTHER) {
			/* A namespace that routes it on (a gateway): out of its other link. */
			next = routed_out(t, &s, cur);
			leaving = 1;
		} else if (ifc->role == TOPO_PORT && ifc->master >= 0) {
			int bridge = ifc->master;

			if (add_hop(t, p, &s, bridge, 0))
				break;
			if (bridge == target)
				break;
			next = pick_out_port(t, &s, bridge, cur, target, p);
			leaving = 1;
		}
		cur = next;
	}
	/* A path ends where the evidence ends: drop inferred hops after the last sighting. */
	while (p->nhops && p->hops[p->nhops - 1].evidence == HOP_INFERRED)
		p->nhops--;
	if (p->nhops && target >= 0) {
		const struct hop *last = &p->hops[p->nhops - 1];

		p->delivered = last->ifidx == target && last->ingress_seen;
	}
out:
	free(s.in_ts);
	free(s.eg_ts);
}

void path_walk_all(const struct topo *t, const struct nstrace_event *ev, struct packet_list *pl)
{
	for (int i = 0; i < pl->n; i++)
		path_walk(t, ev, &pl->pkts[i]);
}

int path_last_observed(const struct packet *p)
{
	for (int i = p->nhops - 1; i >= 0; i--)
		if (p->hops[i].evidence == HOP_OBSERVED)
			return i;
	return -1;
}

/* "ns1" -> "NS1" as the tutorial writes it; other names as they are. */
static void ns_display(const char *label, char *buf, int size)
{
	int lab_ns = !strncmp(label, "ns", 2) && label[2];

	for (const char *q = label + 2; lab_ns && *q; q++)
		lab_ns = isdigit((unsigned char)*q);
	snprintf(buf, size, "%s", label);
	for (char *q = buf; lab_ns && *q; q++)
		*q = toupper((unsigned char)*q);
}

const char *path_str(const struct topo *t, const struct packet *p, char *buf, int size)
{
	int off = 0;

	buf[0] = '\0';
	for (int i = 0; i < p->nhops && off < size; i++) {
		const struct hop *h = &p->hops[i];
		const struct topo_if *ifc = &t->ifs[h->ifidx];
		const char *mark = h->evidence == HOP_INFERRED ? "*" : "";
		char ns[64];

		ns_display(ifc->ns_label, ns, sizeof(ns));
		if (i)
			off += snprintf(buf + off, size - off, " → ");
		if (off >= size)
			break;
		if (ifc->role == TOPO_ENDPOINT && i == 0)
			off += snprintf(buf + off, size - off, "%s (%s%s)", ns, ifc->name, mark);
		else if (ifc->role == TOPO_ENDPOINT)
			off += snprintf(buf + off, size - off, "%s%s (%s)", ifc->name, mark, ns);
		else
			off += snprintf(buf + off, size - off, "%s%s", ifc->name, mark);
	}
	return buf;
}
