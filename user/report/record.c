// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "report/record.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "record files store events as the little-endian ABI struct: add byte swapping for this host"
#endif

/* ---- building one record ---- */

static void reserve(struct recorder *r, size_t more)
{
	unsigned char *p;
	size_t cap;

	if (r->err || r->len + more <= r->cap)
		return;
	cap = r->cap ? r->cap : 4096;
	while (cap < r->len + more)
		cap *= 2;
	p = realloc(r->buf, cap);
	if (!p) {
		r->err = ENOMEM;
		return;
	}
	r->buf = p;
	r->cap = cap;
}

static void put(struct recorder *r, const void *p, size_t n)
{
	reserve(r, n);
	if (r->err)
		return;
	memcpy(r->buf + r->len, p, n);
	r->len += n;
}

static void put_u8(struct recorder *r, uint8_t v)
{
	put(r, &v, 1);
}

static void put_u32(struct recorder *r, uint32_t v)
{
	put(r, &v, 4);
}

static void put_u64(struct recorder *r, uint64_t v)
{
	put(r, &v, 8);
}

/* u16 length, then the bytes, no NUL. */
static void put_str(struct recorder *r, const char *s)
{
	size_t n = strlen(s);
	uint16_t len = (uint16_t)(n > 65535 ? 65535 : n);

	n = len;

	put(r, &len, 2);
	put(r, s, n);
}

static void begin(struct recorder *r)
{
	r->len = 0;
}

static void end(struct recorder *r, uint32_t type)
{
	uint32_t head[2] = { type, (uint32_t)r->len };

	if (!r->f || r->err)
		return;
	if (fwrite(head, sizeof(head), 1, r->f) != 1 || (r->len && fwrite(r->buf, r->len, 1, r->f) != 1))
		r->err = EIO;
}

/* ---- records ---- */

int rec_start(struct recorder *r, FILE *f, const struct rec_meta *m)
{
	uint32_t head[2] = { RECORD_VERSION, 0 };

	memset(r, 0, sizeof(*r));
	r->f = f;
	if (fwrite(RECORD_MAGIC, 8, 1, f) != 1 || fwrite(head, sizeof(head), 1, f) != 1)
		return -(r->err = EIO);
	begin(r);
	put_u32(r, m->flags);
	put_u64(r, (uint64_t)m->clock_offset_ns);
	put_str(r, m->command);
	put_str(r, m->version);
	put_str(r, m->kernel);
	end(r, REC_META);
	return -r->err;
}

void rec_text(struct recorder *r, int level, const char *text)
{
	begin(r);
	put_u8(r, (uint8_t)level);
	put(r, text, strlen(text));
	end(r, REC_TEXT);
}

static void put_ref(struct recorder *r, const struct ns_ref *ref)
{
	put_u32(r, ref->ino);
	put_str(r, ref->label);
	put_u8(r, (uint8_t)ref->via);
	put_str(r, ref->arg);
}

static void put_if(struct recorder *r, const struct topo_if *x)
{
	put_u32(r, x->netns_ino);
	put_u32(r, (uint32_t)x->ifindex);
	put_str(r, x->name);
	put_str(r, x->ns_label);
	put_u8(r, (uint8_t)x->role);
	put_u32(r, (uint32_t)x->peer);
	put_u32(r, (uint32_t)x->master);
	put(r, &x->addr.s_addr, 4);
	put_u8(r, (uint8_t)x->prefixlen);
	put(r, x->mac, 6);
}

static void put_now(struct recorder *r, const struct link_now *l)
{
	put_u8(r, (uint8_t)l->known);
	put_u8(r, (uint8_t)l->exists);
	put_u32(r, l->flags);
	put_u32(r, (uint32_t)l->master_ifindex);
	put(r, &l->addr.s_addr, 4);
	put_u8(r, (uint8_t)l->prefixlen);
	put_u32(r, (uint32_t)l->naddrs);
	put(r, l->mac, 6);
}

void rec_topology(struct recorder *r, const struct topo *t, const struct ns_ref *nss, int nns,
		  const struct netview *net)
{
	int has_now = net && net->now && net->nnow == t->n;

	begin(r);
	put_u32(r, (uint32_t)t->n);
	for (int i = 0; i < t->n; i++)
		put_if(r, &t->ifs[i]);
	put_u32(r, (uint32_t)nns);
	for (int i = 0; i < nns; i++)
		put_ref(r, &nss[i]);
	put_u32(r, net ? (uint32_t)net->nseen : 0);
	for (int i = 0; net && i < net->nseen; i++) {
		put_u32(r, net->seen[i].netns_ino);
		put_u32(r, (uint32_t)net->seen[i].ifindex);
		put_str(r, net->seen[i].name);
	}
	put_u8(r, (uint8_t)has_now);
	for (int i = 0; has_now && i < t->n; i++)
		put_now(r, &net->now[i]);
	end(r, REC_TOPOLOGY);
}

void rec_trace_begin(struct recorder *r, int passive, const struct evidence_gaps *gaps)
{
	begin(r);
	put_u8(r, (uint8_t)!!passive);
	put_u8(r, (uint8_t)!!gaps->no_nf);
	put_u8(r, (uint8_t)!!gaps->no_reasons);
	put_u8(r, (uint8_t)!!gaps->partial);
	end(r, REC_TRACE_BEGIN);
}

/* Adds v to a set kept as an array; 1 if it was new. */
static int remember(struct recorder *r, uint64_t v, int symbol)
{
	uint64_t *syms = r->symbols;
	uint32_t *rs = r->reasons;
	int n = symbol ? r->nsymbols : r->nreasons, *cap = symbol ? &r->symbols_cap : &r->reasons_cap;

	for (int i = 0; i < n; i++)
		if (symbol ? syms[i] == v : rs[i] == (uint32_t)v)
			return 0;
	if (n == *cap) {
		int ncap = *cap ? *cap * 2 : 32;
		void *p = symbol ? realloc(syms, ncap * sizeof(*syms)) : realloc(rs, ncap * sizeof(*rs));

		if (!p)
			return 1;	/* named again next time: harmless */
		if (symbol)
			r->symbols = p;
		else
			r->reasons = p;
		*cap = ncap;
	}
	if (symbol)
		r->symbols[r->nsymbols++] = v;
	else
		r->reasons[r->nreasons++] = (uint32_t)v;
	return 1;
}

static void name_drop(struct recorder *r, const struct nstrace_event *e, const struct namer *nm)
{
	char buf[128];

	if (remember(r, e->drop_reason, 0)) {
		const char *name = nm && nm->reason ? nm->reason(nm->ctx, e->drop_reason) : NULL;

		begin(r);
		put_u32(r, e->drop_reason);
		put_u8(r, name != NULL);
		put_str(r, name ? name : "");
		end(r, REC_REASON);
	}
	if (nm && nm->symbol && remember(r, e->location, 1)) {
		nm->symbol(nm->ctx, e->location, buf, sizeof(buf));
		begin(r);
		put_u64(r, e->location);
		put_str(r, buf);
		end(r, REC_SYMBOL);
	}
}

void rec_events(struct recorder *r, const struct nstrace_event *ev, int n, const struct namer *nm)
{
	for (int i = 0; i < n; i++)
		if (ev[i].source == NSTRACE_SRC_DROP)
			name_drop(r, &ev[i], nm);
	for (int at = 0; at < n; at += RECORD_EVENTS_PER_RECORD) {
		int k = n - at < RECORD_EVENTS_PER_RECORD ? n - at : RECORD_EVENTS_PER_RECORD;

		begin(r);
		put_u32(r, (uint32_t)k);
		put(r, &ev[at], (size_t)k * sizeof(*ev));
		end(r, REC_EVENTS);
	}
}

void rec_tick(struct recorder *r, uint64_t now_ns)
{
	begin(r);
	put_u64(r, now_ns);
	end(r, REC_TICK);
}

void rec_summary(struct recorder *r, const struct probe_summary *sum, const struct flow *flows, int nflows)
{
	begin(r);
	put_u8(r, sum != NULL);
	if (sum) {
		put_u32(r, (uint32_t)sum->sent);
		put_u32(r, (uint32_t)sum->received);
		put_u64(r, sum->rtt_min_ns);
		put_u64(r, sum->rtt_avg_ns);
		put_u64(r, sum->rtt_max_ns);
		put_u32(r, sum->id);
		put_u32(r, (uint32_t)sum->send_errno);
	}
	put_u32(r, (uint32_t)nflows);
	for (int i = 0; i < nflows; i++) {
		put_u32(r, (uint32_t)flows[i].src);
		put(r, &flows[i].dst.s_addr, 4);
		put_u32(r, (uint32_t)flows[i].sent);
		put_u32(r, (uint32_t)flows[i].received);
		put_u32(r, (uint32_t)flows[i].send_errno);
		put_u32(r, flows[i].icmp_id);
	}
	end(r, REC_SUMMARY);
}

static void put_array(struct recorder *r, const void *a, int n, size_t size)
{
	put_u32(r, (uint32_t)n);
	if (n > 0)
		put(r, a, (size_t)n * size);
}

/*
 * The facts as this build lays them out, after a signature of that layout
 * (state_layout()): the state has dozens of fields, and a reader with
 * another layout refuses the record instead of decoding it field by field.
 */
void rec_state(struct recorder *r, const struct state *st)
{
	begin(r);
	put_u32(r, state_layout());
	put_array(r, st->ns, st->nns, sizeof(*st->ns));
	put_array(r, st->links, st->nlinks, sizeof(*st->links));
	put_array(r, st->routes, st->nroutes, sizeof(st->routes[0]));
	put_array(r, st->blocks, st->nblocks, sizeof(st->blocks[0]));
	put_array(r, st->neigh, st->nneigh, sizeof(st->neigh[0]));
	put_array(r, st->fdb, st->nfdb, sizeof(st->fdb[0]));
	put_array(r, st->chains, st->nchains, sizeof(st->chains[0]));
	put_array(r, st->rules, st->nrules, sizeof(st->rules[0]));
	put_array(r, st->traces, st->ntraces, sizeof(st->traces[0]));
	put_u8(r, (uint8_t)!!st->traced);
	end(r, REC_STATE);
}

void rec_trace_end(struct recorder *r, uint64_t lost, int exit_code)
{
	begin(r);
	put_u64(r, lost);
	put_u32(r, (uint32_t)exit_code);
	end(r, REC_TRACE_END);
}

void rec_exit(struct recorder *r, int exit_code)
{
	begin(r);
	put_u32(r, (uint32_t)exit_code);
	end(r, REC_EXIT);
}

int rec_finish(struct recorder *r)
{
	int err = r->err;

	if (r->f && fflush(r->f) && !err)
		err = EIO;
	free(r->buf);
	free(r->reasons);
	free(r->symbols);
	memset(r, 0, sizeof(*r));
	return -err;
}
