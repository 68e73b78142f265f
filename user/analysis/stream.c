// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/stream.h"

/* One packet being put together: its own copies of its events. */
struct open_pkt {
	struct pkt_key key;
	struct nstrace_event *ev;
	int nev, cap;
	uint64_t first_ns, last_ns;
	int target;		/* topo index owning the destination, -1 */
	int arrived;		/* seen entering the target: settles quickly */
	int closed;		/* a newer packet took its key: hand out at the next flush */
	int slot;		/* its index in the hash table, -1 when closed */
};

struct stream {
	const struct topo *t;
	struct open_pkt **open;	/* open packets, unordered */
	int nopen, cap;
	int *table;		/* open-addressing hash: index into open[], -1 empty */
	unsigned int mask;
	long dropped;
};

static unsigned int key_hash(const struct pkt_key *k)
{
	uint64_t h = ((uint64_t)k->saddr << 32 | k->daddr) * 0x9e3779b97f4a7c15ull;

	h ^= ((uint64_t)k->id << 24 | (uint64_t)k->seq << 8 | k->type) * 0xbf58476d1ce4e5b9ull;
	h ^= k->proto;
	return (unsigned int)(h >> 29);
}

struct stream *stream_new(const struct topo *t)
{
	struct stream *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->t = t;
	s->mask = 1023;
	s->table = malloc((s->mask + 1) * sizeof(int));
	if (!s->table) {
		free(s);
		return NULL;
	}
	memset(s->table, 0xff, (s->mask + 1) * sizeof(int));
	return s;
}

static void pkt_free(struct open_pkt *o)
{
	if (o)
		free(o->ev);
	free(o);
}

void stream_free(struct stream *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->nopen; i++)
		pkt_free(s->open[i]);
	free(s->open);
	free(s->table);
	free(s);
}

int stream_open(const struct stream *s)
{
	return s->nopen;
}

long stream_dropped_events(const struct stream *s)
{
	return s->dropped;
}

/* The slot holding key, or the empty slot where it would go. */
static unsigned int find_slot(const struct stream *s, const struct pkt_key *k)
{
	unsigned int i = key_hash(k) & s->mask;

	while (s->table[i] >= 0 && !pkt_key_equal(&s->open[s->table[i]]->key, k))
		i = (i + 1) & s->mask;
	return i;
}

/* Rebuilds the table (after removals, or to grow it): linear probing has no tombstones. */
static int rehash(struct stream *s, unsigned int size)
{
	int *table = malloc(size * sizeof(int));

	if (!table)
		return -ENOMEM;
	free(s->table);
	s->table = table;
	s->mask = size - 1;
	memset(table, 0xff, size * sizeof(int));
	for (int i = 0; i < s->nopen; i++) {
		unsigned int slot;

		if (s->open[i]->closed)
			continue;
		slot = find_slot(s, &s->open[i]->key);
		table[slot] = i;
		s->open[i]->slot = (int)slot;
	}
	return 0;
}

static struct open_pkt *new_pkt(struct stream *s, const struct pkt_key *k, const struct nstrace_event *e)
{
	struct open_pkt *o;
	struct in_addr dst = { k->daddr };

	if (s->nopen == s->cap) {
		int cap = s->cap ? s->cap * 2 : 64;
		struct open_pkt **p = realloc(s->open, cap * sizeof(*p));

		if (!p)
			return NULL;
		s->open = p;
		s->cap = cap;
	}
	o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->key = *k;
	o->first_ns = o->last_ns = e->ts_ns;
	o->target = topo_find_addr(s->t, dst);
	s->open[s->nopen++] = o;
	return o;
}

static int add_one(struct stream *s, const struct nstrace_event *e)
{
	struct pkt_key k = pkt_key_of(e);
	unsigned int slot = find_slot(s, &k);
	struct open_pkt *o = s->table[slot] >= 0 ? s->open[s->table[slot]] : NULL;

	/* The same key much later is another packet (an ARP retry): the old one is done. */
	if (o && e->ts_ns > o->last_ns && e->ts_ns - o->last_ns > PATH_SPLIT_GAP_NS) {
		o->closed = 1;
		o->slot = -1;
		s->table[slot] = -1;
		if (rehash(s, s->mask + 1))
			return -ENOMEM;
		slot = find_slot(s, &k);
		o = NULL;
	}
	if (!o) {
		if (2 * (unsigned int)(s->nopen + 1) > s->mask + 1) {
			if (rehash(s, 2 * (s->mask + 1)))
				return -ENOMEM;
			slot = find_slot(s, &k);
		}
		o = new_pkt(s, &k, e);
		if (!o)
			return -ENOMEM;
		s->table[slot] = s->nopen - 1;
		o->slot = (int)slot;
	}
	if (o->nev == STREAM_MAX_EVENTS) {
		s->dropped++;
		return 0;
	}
	if (o->nev == o->cap) {
		int cap = o->cap ? o->cap * 2 : 16;
		struct nstrace_event *p = realloc(o->ev, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		o->ev = p;
		o->cap = cap;
	}
	o->ev[o->nev++] = *e;
	if (e->ts_ns < o->first_ns)
		o->first_ns = e->ts_ns;
	if (e->ts_ns > o->last_ns)
		o->last_ns = e->ts_ns;
	if (o->target >= 0 && e->source == NSTRACE_SRC_TC && e->dir == NSTRACE_DIR_INGRESS &&
	    e->netns_ino == s->t->ifs[o->target].netns_ino && (int)e->ifindex == s->t->ifs[o->target].ifindex)
		o->arrived = 1;
	return 0;
}

int stream_add(struct stream *s, const struct nstrace_event *ev, int n)
{
	int err = 0;

	for (int i = 0; i < n; i++) {
		if (ev[i].source != NSTRACE_SRC_TC && ev[i].source != NSTRACE_SRC_DROP && ev[i].source != NSTRACE_SRC_NF)
			continue;
		if (add_one(s, &ev[i]))
			err = -ENOMEM;
	}
	/* Too many open (a flood of distinct packets): the oldest go out early. */
	return err;
}

static int ready(const struct open_pkt *o, uint64_t now, int all)
{
	if (all || o->closed)
		return 1;
	if (now < o->last_ns)
		return 0;
	return now - o->last_ns >= (o->arrived ? STREAM_SETTLE_NS : STREAM_QUIET_NS);
}

static int by_first(const void *a, const void *b)
{
	const struct open_pkt *x = *(struct open_pkt *const *)a, *y = *(struct open_pkt *const *)b;

	return x->first_ns < y->first_ns ? -1 : x->first_ns > y->first_ns;
}

static int ev_by_time(const void *a, const void *b)
{
	const struct nstrace_event *x = a, *y = b;

	return x->ts_ns < y->ts_ns ? -1 : x->ts_ns > y->ts_ns;
}

/* Walks and hands out one packet. */
static void emit_one(struct stream *s, struct open_pkt *o, stream_emit_fn emit, void *ctx)
{
	struct packet p;
	int idx[STREAM_MAX_EVENTS];

	/* Events from several CPUs arrive nearly, not exactly, in time order. */
	qsort(o->ev, o->nev, sizeof(*o->ev), ev_by_time);
	memset(&p, 0, sizeof(p));
	for (int i = 0; i < o->nev; i++)
		idx[i] = i;
	p.key = o->key;
	p.events = idx;
	p.nevents = p.cap = o->nev;
	p.first_ns = o->ev[0].ts_ns;
	p.last_ns = o->ev[o->nev - 1].ts_ns;
	path_walk(s->t, o->ev, &p);
	emit(ctx, o->ev, &p);
}

int stream_flush(struct stream *s, uint64_t now_ns, int all, stream_emit_fn emit, void *ctx)
{
	int nout = 0, over = s->nopen - STREAM_MAX_OPEN;

	if (!s->nopen)
		return 0;
	/*
	 * In the order packets began, and never past one still open: a reply
	 * that settled fast is not printed before its slower request.
	 */
	qsort(s->open, s->nopen, sizeof(*s->open), by_first);
	while (nout < s->nopen && (ready(s->open[nout], now_ns, all) || nout < over))
		nout++;
	for (int i = 0; i < nout; i++) {
		emit_one(s, s->open[i], emit, ctx);
		pkt_free(s->open[i]);
	}
	memmove(s->open, s->open + nout, (s->nopen - nout) * sizeof(*s->open));
	s->nopen -= nout;
	/* The table points into open[], which just moved. */
	return rehash(s, s->mask + 1) ? -ENOMEM : nout;
}
