// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "analysis/drops.h"
#include "analysis/tally.h"

struct tally_flow {
	int src;			/* topo index of the sender */
	uint32_t saddr, daddr;		/* network order */
	uint16_t id;			/* network order */
	long requests, answered;
	struct {
		uint16_t seq;		/* network order */
		uint64_t ts;		/* when the request was first seen */
	} pending[TALLY_PENDING];	/* sent and not yet answered, a ring */
	int npending, head;
};

struct kept_packet {
	struct nstrace_event ev[TALLY_PACKET_EVENTS];
	int nev;
};

struct tally_pair {
	uint32_t a, b;			/* a < b */
	struct kept_packet pkt[TALLY_PAIR_PACKETS];
	int n, next;
};

void tally_init(struct tally *t)
{
	memset(t, 0, sizeof(*t));
}

void tally_free(struct tally *t)
{
	free(t->flows);
	for (int i = 0; i < t->npairs; i++)
		free(t->pairs[i]);
	free(t->pairs);
	memset(t, 0, sizeof(*t));
}

/*
 * Flows and pairs are few (a ping each), and found by a linear scan from the
 * newest: the common case, one busy flow, is found first.
 */
static struct tally_flow *flow_of(struct tally *t, uint32_t saddr, uint32_t daddr, uint16_t id, int create,
				  int src)
{
	for (int i = t->nflows - 1; i >= 0; i--)
		if (t->flows[i].saddr == saddr && t->flows[i].daddr == daddr && t->flows[i].id == id)
			return &t->flows[i];
	if (!create || t->nflows == TALLY_MAX_FLOWS)
		return NULL;
	if (!t->flows) {
		t->flows = calloc(TALLY_MAX_FLOWS, sizeof(*t->flows));
		if (!t->flows)
			return NULL;
	}
	t->flows[t->nflows] = (struct tally_flow){ .src = src, .saddr = saddr, .daddr = daddr, .id = id };
	return &t->flows[t->nflows++];
}

static struct tally_pair *pair_of(struct tally *t, uint32_t x, uint32_t y, int create)
{
	uint32_t a = x < y ? x : y, b = x < y ? y : x;

	struct tally_pair *p;

	for (int i = t->npairs - 1; i >= 0; i--)
		if (t->pairs[i]->a == a && t->pairs[i]->b == b)
			return t->pairs[i];
	if (!create || t->npairs == TALLY_MAX_PAIRS)
		return NULL;
	if (!t->pairs) {
		t->pairs = calloc(TALLY_MAX_PAIRS, sizeof(*t->pairs));
		if (!t->pairs)
			return NULL;
	}
	/* One allocation per pair: each is large (its packets' events). */
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->a = a;
	p->b = b;
	t->pairs[t->npairs] = p;
	return t->pairs[t->npairs++];
}

static void count_reason(struct tally *t, const struct nstrace_event *e, const struct namer *nm)
{
	int benign = drop_benign_why(e, nm) != NULL;

	for (int i = 0; i < t->nreasons; i++)
		if (t->reasons[i].reason == e->drop_reason && t->reasons[i].benign == benign) {
			t->reasons[i].count++;
			return;
		}
	if (t->nreasons < TALLY_MAX_REASONS)
		t->reasons[t->nreasons++] = (struct tally_reason){ e->drop_reason, benign, 1 };
}

static void keep(struct tally *t, const struct nstrace_event *ev, const struct packet *p)
{
	struct tally_pair *pr = pair_of(t, p->key.saddr, p->key.daddr, 1);
	struct kept_packet *k;

	if (!pr)
		return;
	k = &pr->pkt[pr->next];
	pr->next = (pr->next + 1) % TALLY_PAIR_PACKETS;
	if (pr->n < TALLY_PAIR_PACKETS)
		pr->n++;
	k->nev = p->nevents < TALLY_PACKET_EVENTS ? p->nevents : TALLY_PACKET_EVENTS;
	for (int i = 0; i < k->nev; i++)
		k->ev[i] = ev[p->events[i]];
}

static void echo(struct tally *t, const struct topo *topo, const struct packet *p)
{
	struct in_addr sa = { p->key.saddr };
	struct tally_flow *f;

	if (p->key.type == NSTRACE_ICMP_ECHO) {
		int src = topo_find_addr(topo, sa);

		f = src >= 0 ? flow_of(t, p->key.saddr, p->key.daddr, p->key.id, 1, src) : NULL;
		if (!f) {
			t->untracked_requests += src >= 0;
			return;
		}
		f->requests++;
		f->pending[(f->head + f->npending) % TALLY_PENDING].seq = p->key.seq;
		f->pending[(f->head + f->npending) % TALLY_PENDING].ts = p->first_ns;
		if (f->npending < TALLY_PENDING)
			f->npending++;
		else
			f->head = (f->head + 1) % TALLY_PENDING;	/* the oldest stays unanswered */
		return;
	}
	/* A reply answers its request when it reached the requester. */
	f = flow_of(t, p->key.daddr, p->key.saddr, p->key.id, 0, -1);
	if (!f || !p->delivered)
		return;
	for (int i = 0; i < f->npending; i++) {
		int at = (f->head + i) % TALLY_PENDING;

		if (f->pending[at].seq != p->key.seq)
			continue;
		/* Out of the ring: the last one takes its place. */
		f->pending[at] = f->pending[(f->head + f->npending - 1) % TALLY_PENDING];
		f->npending--;
		f->answered++;
		return;
	}
}

void tally_packet(struct tally *t, const struct topo *topo, const struct nstrace_event *ev,
		  const struct packet *p, const struct namer *nm)
{
	t->packets++;
	t->events += p->nevents;
	for (int i = 0; i < p->nevents; i++)
		if (ev[p->events[i]].source == NSTRACE_SRC_DROP)
			count_reason(t, &ev[p->events[i]], nm);
	/* A namespace pinging itself goes over lo, never across the traced links: not a flow here. */
	if (p->key.proto == NSTRACE_PROTO_ICMP && p->key.saddr != p->key.daddr &&
	    (p->key.type == NSTRACE_ICMP_ECHO || p->key.type == NSTRACE_ICMP_ECHOREPLY))
		echo(t, topo, p);
	if (p->key.proto == NSTRACE_PROTO_ARP || p->key.proto == NSTRACE_PROTO_ICMP)
		keep(t, ev, p);
}

void tally_settle(struct tally *t, uint64_t end_ns, uint64_t window_ns)
{
	for (int i = 0; i < t->nflows; i++) {
		struct tally_flow *f = &t->flows[i];
		int kept = 0;

		/* Rebuilt from the head: the ring stays in order of sending. */
		for (int k = 0; k < f->npending; k++) {
			int at = (f->head + k) % TALLY_PENDING;

			if (f->pending[at].ts + window_ns > end_ns) {
				f->requests--;
				t->in_flight++;
				continue;
			}
			f->pending[(f->head + kept++) % TALLY_PENDING] = f->pending[at];
		}
		f->npending = kept;
	}
}

void tally_totals(const struct tally *t, int *flows, long *requests, long *answered)
{
	*flows = t->nflows;
	*requests = t->untracked_requests;
	*answered = 0;
	for (int i = 0; i < t->nflows; i++) {
		*requests += t->flows[i].requests;
		*answered += t->flows[i].answered;
	}
}

int tally_flow(const struct tally *t, int i, struct flow *out)
{
	const struct tally_flow *f;

	if (i < 0 || i >= t->nflows)
		return -1;
	f = &t->flows[i];
	memset(out, 0, sizeof(*out));
	out->src = f->src;
	out->dst.s_addr = f->daddr;
	out->icmp_id = ntohs(f->id);
	out->sent = f->requests > 1000000000 ? 1000000000 : (int)f->requests;
	out->received = f->answered > 1000000000 ? 1000000000 : (int)f->answered;
	return 0;
}

static int ev_by_time(const void *a, const void *b)
{
	const struct nstrace_event *x = a, *y = b;

	return x->ts_ns < y->ts_ns ? -1 : x->ts_ns > y->ts_ns;
}

int tally_evidence(const struct tally *t, int i, struct nstrace_event **out)
{
	const struct tally_pair *pr;
	struct nstrace_event *ev;
	int n = 0;

	*out = NULL;
	if (i < 0 || i >= t->nflows)
		return -EINVAL;
	pr = pair_of((struct tally *)t, t->flows[i].saddr, t->flows[i].daddr, 0);
	if (!pr)
		return 0;
	ev = malloc(TALLY_PAIR_PACKETS * TALLY_PACKET_EVENTS * sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	for (int k = 0; k < pr->n; k++)
		for (int j = 0; j < pr->pkt[k].nev; j++)
			ev[n++] = pr->pkt[k].ev[j];
	qsort(ev, n, sizeof(*ev), ev_by_time);
	*out = ev;
	return n;
}
