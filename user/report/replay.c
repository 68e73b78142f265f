// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "report/feed.h"
#include "report/replay.h"

/* A cursor over one record's payload; the first problem sticks, with where it was found. */
struct rd {
	const unsigned char *p;
	size_t len, off;
	uint64_t base;		/* file offset of p[0] */
	char *err;
	int errlen, bad;
};

struct replay {
	const struct replay_ops *ops;
	void *ctx;
	struct topo topo;
	struct ns_ref *nss;
	int nns;
	struct netview net;
	struct { uint32_t value; int known; char name[64]; } *reasons;
	int nreasons;
	struct { uint64_t addr; char text[128]; } *symbols;
	int nsymbols;
	struct namer nm;
	int meta, in_trace, have_topo;
	unsigned char *buf;
	size_t cap;
};

static __attribute__((format(printf, 2, 3))) void fail(struct rd *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->bad++)
		return;
	n = snprintf(r->err, r->errlen, "byte %llu: ", (unsigned long long)(r->base + r->off));
	va_start(ap, fmt);
	if (n >= 0 && n < r->errlen)
		vsnprintf(r->err + n, r->errlen - n, fmt, ap);
	va_end(ap);
}

static int take(struct rd *r, void *out, size_t n, const char *what)
{
	if (r->bad)
		return -1;
	if (r->len - r->off < n) {
		fail(r, "%s runs past the end of its record", what);
		return -1;
	}
	memcpy(out, r->p + r->off, n);
	r->off += n;
	return 0;
}

/* Fixed-width little-endian values; 0 once the record has gone bad. */
#define GETTER(name, type) \
	static type name(struct rd *r, const char *what) \
	{ \
		type v = 0; \
		take(r, &v, sizeof(v), what); \
		return v; \
	}
GETTER(u8, uint8_t)
GETTER(u32, uint32_t)
GETTER(u64, uint64_t)

/* A u32 that must lie in [min, max]. */
static long ranged(struct rd *r, const char *what, long min, long max)
{
	int32_t v = (int32_t)u32(r, what);

	if (!r->bad && (v < min || v > max)) {
		r->off -= 4;
		fail(r, "%s is %d, outside %ld..%ld", what, v, min, max);
	}
	return r->bad ? min : v;
}

/* A string into buf (size bytes with its NUL): no NUL inside, and it must fit. */
static void str(struct rd *r, char *buf, size_t size, const char *what)
{
	uint16_t n = 0;

	buf[0] = '\0';
	if (take(r, &n, 2, what))
		return;
	if (n >= size) {
		r->off -= 2;
		fail(r, "%s is %u bytes long, at most %zu allowed", what, n, size - 1);
		return;
	}
	if (take(r, buf, n, what))
		return;
	buf[n] = '\0';
	if (strlen(buf) != n) {
		r->off -= n;
		fail(r, "%s holds a NUL byte", what);
	}
}

static void get_ref(struct rd *r, struct ns_ref *ref)
{
	memset(ref, 0, sizeof(*ref));
	ref->ino = u32(r, "namespace inode");
	str(r, ref->label, sizeof(ref->label), "namespace label");
	ref->via = u8(r, "namespace access");
	if (!r->bad && ref->via > NS_VIA_PATH) {
		r->off--;
		fail(r, "namespace access %d is unknown", ref->via);
	}
	str(r, ref->arg, sizeof(ref->arg), "namespace argument");
}

static void get_if(struct rd *r, struct topo_if *x, int n)
{
	memset(x, 0, sizeof(*x));
	x->netns_ino = u32(r, "interface namespace");
	x->ifindex = (int)u32(r, "ifindex");
	str(r, x->name, sizeof(x->name), "interface name");
	str(r, x->ns_label, sizeof(x->ns_label), "interface namespace label");
	x->role = u8(r, "interface role");
	if (!r->bad && x->role > TOPO_BRIDGE) {
		r->off--;
		fail(r, "interface role %d is unknown", x->role);
	}
	/* Indices the path walk follows: they must name interfaces of this topology. */
	x->peer = (int)ranged(r, "veth peer index", -1, n - 1);
	x->master = (int)ranged(r, "bridge index", -1, n - 1);
	take(r, &x->addr.s_addr, 4, "interface address");
	x->prefixlen = u8(r, "prefix length");
	if (!r->bad && x->prefixlen > 32) {
		r->off--;
		fail(r, "prefix length %d is over 32", x->prefixlen);
	}
	take(r, x->mac, 6, "MAC address");
}

static void get_now(struct rd *r, struct link_now *l)
{
	memset(l, 0, sizeof(*l));
	l->known = u8(r, "link known") != 0;
	l->exists = u8(r, "link exists") != 0;
	l->flags = u32(r, "link flags");
	l->master_ifindex = (int)u32(r, "link master");
	take(r, &l->addr.s_addr, 4, "link address");
	l->prefixlen = u8(r, "link prefix length") & 63;
	l->naddrs = (int)ranged(r, "link address count", 0, 1 << 20);
	take(r, l->mac, 6, "link MAC");
}

static void free_topology(struct replay *rp)
{
	free(rp->topo.ifs);
	free(rp->nss);
	free(rp->net.seen);
	free(rp->net.now);
	memset(&rp->topo, 0, sizeof(rp->topo));
	memset(&rp->net, 0, sizeof(rp->net));
	rp->nss = NULL;
	rp->nns = 0;
}

/* calloc(n ? n : 1): a record of zero interfaces still gets an array. */
static void *alloc(struct rd *r, size_t n, size_t size)
{
	void *p = r->bad ? NULL : calloc(n ? n : 1, size);

	if (!p && !r->bad)
		fail(r, "out of memory");
	return p;
}

static void topology(struct replay *rp, struct rd *r)
{
	int n, has_now;

	free_topology(rp);
	n = (int)ranged(r, "interface count", 0, RECORD_MAX_IFS);
	rp->topo.ifs = alloc(r, n, sizeof(*rp->topo.ifs));
	for (int i = 0; i < n && !r->bad; i++)
		get_if(r, &rp->topo.ifs[i], n);
	rp->topo.n = r->bad ? 0 : n;
	rp->nns = (int)ranged(r, "namespace count", 0, RECORD_MAX_NS);
	rp->nss = alloc(r, rp->nns, sizeof(*rp->nss));
	for (int i = 0; i < rp->nns && !r->bad; i++)
		get_ref(r, &rp->nss[i]);
	rp->net.nseen = (int)ranged(r, "link name count", 0, RECORD_MAX_SEEN);
	/* Each name takes at least 10 bytes: a count the record cannot hold is refused before allocating. */
	if (!r->bad && (size_t)rp->net.nseen * 10 > r->len - r->off)
		fail(r, "link name count %d does not fit in the record", rp->net.nseen);
	rp->net.seen = alloc(r, rp->net.nseen, sizeof(*rp->net.seen));
	for (int i = 0; i < rp->net.nseen && !r->bad; i++) {
		rp->net.seen[i].netns_ino = u32(r, "link namespace");
		rp->net.seen[i].ifindex = (int)u32(r, "link ifindex");
		str(r, rp->net.seen[i].name, sizeof(rp->net.seen[i].name), "link name");
	}
	has_now = u8(r, "links-read flag");
	if (has_now && !r->bad) {
		rp->net.now = alloc(r, n, sizeof(*rp->net.now));
		rp->net.nnow = n;
		for (int i = 0; i < n && !r->bad; i++)
			get_now(r, &rp->net.now[i]);
	}
	if (r->bad) {
		free_topology(rp);
		return;
	}
	rp->have_topo = 1;
	if (rp->ops->topology)
		rp->ops->topology(rp->ctx, &rp->topo, rp->nss, rp->nns, &rp->net);
}

static const char *name_reason(const void *ctx, uint32_t reason)
{
	const struct replay *rp = ctx;

	for (int i = 0; i < rp->nreasons; i++)
		if (rp->reasons[i].value == reason)
			return rp->reasons[i].known ? rp->reasons[i].name : NULL;
	return NULL;
}

static const char *name_symbol(const void *ctx, uint64_t addr, char *buf, int size)
{
	const struct replay *rp = ctx;

	for (int i = 0; i < rp->nsymbols; i++)
		if (rp->symbols[i].addr == addr) {
			snprintf(buf, size, "%s", rp->symbols[i].text);
			return buf;
		}
	snprintf(buf, size, "0x%llx", (unsigned long long)addr);
	return buf;
}

static void reason(struct replay *rp, struct rd *r)
{
	void *p;

	if (rp->nreasons >= 4096) {
		fail(r, "more than 4096 drop reason names");
		return;
	}
	p = realloc(rp->reasons, (rp->nreasons + 1) * sizeof(*rp->reasons));
	if (!p) {
		fail(r, "out of memory");
		return;
	}
	rp->reasons = p;
	rp->reasons[rp->nreasons].value = u32(r, "drop reason");
	rp->reasons[rp->nreasons].known = u8(r, "reason known") != 0;
	str(r, rp->reasons[rp->nreasons].name, sizeof(rp->reasons[0].name), "reason name");
	rp->nreasons += !r->bad;
}

static void symbol(struct replay *rp, struct rd *r)
{
	void *p;

	if (rp->nsymbols >= 65536) {
		fail(r, "more than 65536 kernel symbols");
		return;
	}
	p = realloc(rp->symbols, (rp->nsymbols + 1) * sizeof(*rp->symbols));
	if (!p) {
		fail(r, "out of memory");
		return;
	}
	rp->symbols = p;
	rp->symbols[rp->nsymbols].addr = u64(r, "symbol address");
	str(r, rp->symbols[rp->nsymbols].text, sizeof(rp->symbols[0].text), "symbol text");
	rp->nsymbols += !r->bad;
}

static void events(struct replay *rp, struct rd *r)
{
	uint32_t n = u32(r, "event count");
	struct nstrace_event *ev;

	if (!r->bad && (n > RECORD_EVENTS_PER_RECORD || (size_t)n * sizeof(*ev) != r->len - r->off)) {
		fail(r, "%u events of %zu bytes do not make the %zu bytes that follow", n, sizeof(*ev), r->len - r->off);
		return;
	}
	ev = alloc(r, n, sizeof(*ev));
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		take(r, &ev[i], sizeof(*ev), "event");
		/* Fields later code indexes by or trusts as lengths. */
		if (ev[i].source < NSTRACE_SRC_TC || ev[i].source > NSTRACE_SRC_NEIGH || ev[i].caplen > NSTRACE_FRAME_MAX ||
		    ev[i].frame_kind > NSTRACE_FRAME_L3) {
			r->off -= sizeof(*ev);
			fail(r, "event %u has source %u, caplen %u, frame kind %u (not an nstrace event)", i,
			     ev[i].source, ev[i].caplen, ev[i].frame_kind);
		}
	}
	if (!r->bad && rp->ops->events)
		rp->ops->events(rp->ctx, ev, (int)n);
	free(ev);
}

static void summary(struct replay *rp, struct rd *r)
{
	struct probe_summary sum = {};
	int has = u8(r, "summary flag"), n;
	struct flow *flows;

	if (has) {
		sum.sent = (int)ranged(r, "probes sent", 0, 1 << 30);
		sum.received = (int)ranged(r, "probes answered", 0, 1 << 30);
		sum.rtt_min_ns = u64(r, "rtt min");
		sum.rtt_avg_ns = u64(r, "rtt avg");
		sum.rtt_max_ns = u64(r, "rtt max");
		sum.id = (uint16_t)ranged(r, "probe id", 0, 65535);
		sum.send_errno = (int)ranged(r, "send error", 0, 4095);
	}
	n = (int)ranged(r, "flow count", 0, RECORD_MAX_FLOWS);
	flows = alloc(r, n, sizeof(*flows));
	for (int i = 0; i < n && !r->bad; i++) {
		flows[i].src = (int)ranged(r, "flow source index", 0, rp->topo.n - 1);
		take(r, &flows[i].dst.s_addr, 4, "flow destination");
		flows[i].sent = (int)ranged(r, "flow requests", 0, 1 << 30);
		flows[i].received = (int)ranged(r, "flow replies", 0, 1 << 30);
		flows[i].send_errno = (int)ranged(r, "flow send error", 0, 4095);
		flows[i].icmp_id = (uint16_t)ranged(r, "flow id", 0, 65535);
	}
	if (!r->bad && rp->ops->summary)
		rp->ops->summary(rp->ctx, has ? &sum : NULL, flows, n);
	free(flows);
}

/* One fact array: u32 n (at most max), n structs of this build's size. */
static int get_array(struct rd *r, const char *what, void *a, int max, size_t size)
{
	int n = (int)ranged(r, what, 0, max);

	if (n > 0)
		take(r, a, (size_t)n * size, what);
	return r->bad ? 0 : n;
}

static void state(struct replay *rp, struct rd *r)
{
	uint32_t layout = u32(r, "state layout");
	int nns, nl;
	struct state *st;

	if (!r->bad && layout != state_layout()) {
		fail(r, "state saved by an nstrace whose facts are laid out otherwise (%08x, here %08x): replay it with that nstrace",
		     layout, state_layout());
		return;
	}
	nns = (int)ranged(r, "namespace state count", 0, RECORD_MAX_NS);
	st = r->bad ? NULL : state_new(nns, rp->topo.n);
	if (!st) {
		if (!r->bad)
			fail(r, "out of memory for the state");
		return;
	}
	if (nns > 0)
		take(r, st->ns, (size_t)nns * sizeof(*st->ns), "namespace state");
	/* The rules index the link facts by topology index: one per interface, no fewer. */
	nl = (int)ranged(r, "link state count", rp->topo.n, rp->topo.n);
	if (nl > 0)
		take(r, st->links, (size_t)nl * sizeof(*st->links), "link state");
	st->nroutes = get_array(r, "routes", st->routes, STATE_MAX_ROUTES, sizeof(st->routes[0]));
	st->nblocks = get_array(r, "refusing routes", st->blocks, STATE_MAX_BLOCKS, sizeof(st->blocks[0]));
	st->nneigh = get_array(r, "neighbours", st->neigh, STATE_MAX_NEIGH, sizeof(st->neigh[0]));
	st->nfdb = get_array(r, "FDB entries", st->fdb, STATE_MAX_FDB, sizeof(st->fdb[0]));
	st->nchains = get_array(r, "firewall chains", st->chains, STATE_MAX_CHAINS, sizeof(st->chains[0]));
	st->nrules = get_array(r, "firewall rules", st->rules, STATE_MAX_RULES, sizeof(st->rules[0]));
	st->ntraces = get_array(r, "nftables trace drops", st->traces, STATE_MAX_TRACES, sizeof(st->traces[0]));
	st->traced = u8(r, "traced flag") != 0;
	state_sanitize(st);
	if (!r->bad && rp->ops->state)
		rp->ops->state(rp->ctx, st);
	state_free(st);
}

static void meta(struct replay *rp, struct rd *r)
{
	struct rec_meta m = {};

	m.flags = u32(r, "flags");
	m.clock_offset_ns = (int64_t)u64(r, "clock offset");
	str(r, m.command, sizeof(m.command), "command");
	str(r, m.version, sizeof(m.version), "version");
	str(r, m.kernel, sizeof(m.kernel), "kernel");
	rp->meta = 1;
	if (!r->bad && rp->ops->meta)
		rp->ops->meta(rp->ctx, &m);
}

static void text(struct replay *rp, struct rd *r)
{
	int level = (int)u8(r, "text level");
	size_t n = r->len - (r->len ? 1 : 0);
	char *s = alloc(r, n + 1, 1);

	if (!s)
		return;
	memcpy(s, r->p + r->off, n);
	s[n] = '\0';
	if (strlen(s) != n)
		fail(r, "text holds a NUL byte");
	else if (level > (FEED_ALWAYS | FEED_VERBATIM))
		fail(r, "text level %d is unknown", level);
	else if (rp->ops->text)
		rp->ops->text(rp->ctx, level, s);
	r->off = r->len;
	free(s);
}

/* Where each record may come: a trace sits between its begin and end, after a topology. */
static int in_order(struct replay *rp, struct rd *r, uint32_t type)
{
	int trace_only = type == REC_EVENTS || type == REC_TICK || type == REC_SUMMARY || type == REC_STATE ||
			 type == REC_TRACE_END;

	if (!rp->meta && type != REC_META)
		fail(r, "record type %u before the session's META record", type);
	else if (rp->meta && type == REC_META)
		fail(r, "a second META record");
	else if (trace_only && !rp->in_trace)
		fail(r, "record type %u outside a trace", type);
	else if (type == REC_TRACE_BEGIN && (rp->in_trace || !rp->have_topo))
		fail(r, rp->in_trace ? "a trace begins inside another" : "a trace begins before any topology");
	else if (type == REC_TOPOLOGY && rp->in_trace)
		fail(r, "a topology inside a trace");
	return !r->bad;
}

static void dispatch(struct replay *rp, struct rd *r, uint32_t type)
{
	const struct replay_ops *o = rp->ops;

	if (!in_order(rp, r, type))
		return;
	switch (type) {
	case REC_META: meta(rp, r); break;
	case REC_TEXT: text(rp, r); break;
	case REC_TOPOLOGY: topology(rp, r); break;
	case REC_TRACE_BEGIN: {
		int passive = u8(r, "passive flag");
		struct evidence_gaps gaps = { .no_nf = u8(r, "no netfilter flag") != 0,
					      .no_reasons = u8(r, "no reasons flag") != 0,
					      .partial = u8(r, "partial flag") != 0 };

		if ((rp->in_trace = !r->bad) && o->trace_begin)
			o->trace_begin(rp->ctx, passive, &rp->nm, &gaps);
		break;
	}
	case REC_EVENTS: events(rp, r); break;
	case REC_REASON: reason(rp, r); break;
	case REC_SYMBOL: symbol(rp, r); break;
	case REC_TICK: {
		uint64_t now = u64(r, "clock");

		if (!r->bad && o->tick)
			o->tick(rp->ctx, now);
		break;
	}
	case REC_SUMMARY: summary(rp, r); break;
	case REC_STATE: state(rp, r); break;
	case REC_TRACE_END: {
		uint64_t lost = u64(r, "lost events");
		int code = (int)ranged(r, "exit code", -1, 255);	/* -1: the verdicts decide */

		rp->in_trace = 0;
		if (!r->bad && o->trace_end)
			o->trace_end(rp->ctx, lost, code);
		break;
	}
	case REC_EXIT: {
		int code = (int)ranged(r, "exit code", 0, 255);

		if (!r->bad && o->exit)
			o->exit(rp->ctx, code);
		break;
	}
	default:
		fail(r, "unknown record type %u (a file from a newer nstrace?)", type);
	}
	if (!r->bad && r->off != r->len)
		fail(r, "%zu bytes left over at the end of a record of type %u", r->len - r->off, type);
}

/* The record's payload, read into rp->buf. 0, 1 at the clean end of the file, -1 with err set. */
static int read_record(struct replay *rp, FILE *f, uint64_t *pos, uint32_t *type, uint32_t *len,
		       struct rd *r)
{
	uint32_t head[2];
	size_t got = fread(head, 1, sizeof(head), f);

	r->base = *pos;
	r->off = 0;
	if (got == 0 && feof(f))
		return 1;
	if (got != sizeof(head)) {
		fail(r, "the file ends inside a record header (%zu of 8 bytes)", got);
		return -1;
	}
	*type = head[0];
	*len = head[1];
	*pos += sizeof(head);
	r->base = *pos;
	if (*len > RECORD_MAX_LEN) {
		r->base -= 4;
		fail(r, "record type %u claims %u bytes, more than the %u allowed", *type, *len, RECORD_MAX_LEN);
		return -1;
	}
	if (*len > rp->cap) {
		unsigned char *p = realloc(rp->buf, *len);

		if (!p) {
			fail(r, "out of memory");
			return -1;
		}
		rp->buf = p;
		rp->cap = *len;
	}
	got = *len ? fread(rp->buf, 1, *len, f) : 0;
	if (got != *len) {
		r->off = got;
		fail(r, "the file ends inside a record of type %u (%zu of %u bytes)", *type, got, *len);
		return -1;
	}
	r->p = rp->buf;
	r->len = *len;
	*pos += *len;
	return 0;
}

static int check_header(FILE *f, struct rd *r)
{
	unsigned char head[16];
	uint32_t version;
	size_t got = fread(head, 1, sizeof(head), f);

	if (got < 8 || memcmp(head, RECORD_MAGIC, 8)) {
		fail(r, "not an nstrace record (no \"\\x89NSTREC\" magic)");
		return -1;
	}
	if (got < sizeof(head)) {
		r->off = got;
		fail(r, "the file ends inside its header");
		return -1;
	}
	memcpy(&version, head + 8, 4);
	if (version != RECORD_VERSION) {
		r->off = 8;
		fail(r, "record format version %u, this nstrace reads version %d", version, RECORD_VERSION);
		return -1;
	}
	return 0;
}

int replay_file(FILE *f, const struct replay_ops *ops, void *ctx, char *err, int errlen)
{
	struct replay rp = { .ops = ops, .ctx = ctx };
	struct rd r = { .err = err, .errlen = errlen };
	uint64_t pos = 16;
	int rc = 0;

	err[0] = '\0';
	rp.nm = (struct namer){ name_reason, name_symbol, &rp };
	if (check_header(f, &r))
		return -EINVAL;
	while (!r.bad) {
		uint32_t type = 0, len = 0;

		rc = read_record(&rp, f, &pos, &type, &len, &r);
		if (rc > 0 && rp.in_trace)
			fail(&r, "the file ends inside a trace (its session stopped before the trace ended)");
		if (rc)
			break;
		dispatch(&rp, &r, type);
	}
	if (!r.bad && ferror(f)) {
		fail(&r, "read error");
		rc = -EIO;
	}
	free_topology(&rp);
	free(rp.reasons);
	free(rp.symbols);
	free(rp.buf);
	if (r.bad)
		return rc == -EIO ? -EIO : strstr(err, "out of memory") ? -ENOMEM : -EINVAL;
	return 0;
}
