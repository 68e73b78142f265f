// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/audit.h"
#include "session/trace.h"

/* How often passive mode reads the ring buffer and prints what finished. */
#define PASSIVE_TICK_MS 100
/* After the watch: the replies to the last requests seen are still on their way. */
#define PASSIVE_SETTLE_MS 50

struct ns_ref *session_refs(const struct trace_target *tg)
{
	struct ns_ref *refs = calloc(tg->nns ? tg->nns : 1, sizeof(*refs));

	for (int i = 0; refs && i < tg->nns; i++)
		refs[i] = tg->ns[i].ref;
	return refs;
}

static int in_subnet_of(const struct topo *t, uint32_t addr_be)
{
	for (int i = 0; i < t->n; i++) {
		const struct topo_if *x = &t->ifs[i];
		struct cidr c = { x->addr, x->prefixlen };
		struct in_addr a = { addr_be };

		if (x->addr.s_addr && x->prefixlen > 0 && cidr_contains(&c, a))
			return 1;
	}
	return 0;
}

int session_learn_relevant(const struct topo *t, const struct nstrace_event *e)
{
	if (e->source == NSTRACE_SRC_FDB)
		return topo_find(t, e->netns_ino, (int)e->aux) >= 0;
	if (e->source == NSTRACE_SRC_NEIGH)
		return topo_ns_label(t, e->netns_ino) && in_subnet_of(t, e->saddr);
	return 1;
}

/* Keeps packet events and the learning events about this topology (a root-namespace lab sees the host's). */
static int keep_relevant(const struct topo *t, struct nstrace_event *ev, int n)
{
	int kept = 0;

	for (int i = 0; i < n; i++)
		if (session_learn_relevant(t, &ev[i]))
			ev[kept++] = ev[i];
	return kept;
}

static struct audit_request audit_request(const struct trace_target *tg, const struct flow *flows, int nflows)
{
	struct audit_request rq = { .ns = tg->ns, .nns = tg->nns, .topo = tg->topo };

	for (int i = 0; i < nflows && rq.nflows < AUDIT_MAX_FLOWS; i++)
		rq.flows[rq.nflows++] = (struct audit_flow){ flows[i].src, flows[i].dst };
	return rq;
}

struct trace_before {
	struct state *fw;		/* the firewalls, with their counters before the probes */
	struct audit_nftrace *trace;	/* nftables' own trace, running */
};

struct trace_before *session_before(struct feed *fd, const struct trace_target *tg)
{
	struct audit_request rq = audit_request(tg, NULL, 0);
	struct trace_before *b = calloc(1, sizeof(*b));
	int tables;

	if (!b)
		return NULL;
	b->fw = audit_firewall(&rq);
	if (tg->nftrace && b->fw) {
		b->trace = audit_nftrace_start(&rq, b->fw, &tables);
		if (b->trace)
			feed_say(fd, FEED_HEADER,
				 "nftrace: %d namespace(s) with nftables chains that can drop traced by nftables itself "
				 "(a table of nstrace's own there, gone when it exits)\n", tables);
	}
	return b;
}

void session_before_free(struct trace_before *b)
{
	if (!b)
		return;
	audit_nftrace_stop(b->trace);
	audit_free(b->fw);
	free(b);
}

/*
 * Reads the state the verdicts are judged on, for the flows the feed will
 * judge, joins the counters and nftables' trace taken around the probes, and
 * hands it to the feed.
 */
static int feed_audit(struct feed *fd, const struct trace_target *tg, const struct flow *flows, int nflows,
		      struct trace_before *before)
{
	struct flow pending[AUDIT_MAX_FLOWS];
	struct audit_request rq;
	struct state *st;
	int err;

	if (!flows) {
		nflows = feed_flows(fd, pending, AUDIT_MAX_FLOWS);
		flows = pending;
	}
	rq = audit_request(tg, flows, nflows);
	st = audit_read(&rq);
	if (!st)
		return -ENOMEM;
	audit_merge_counters(before ? before->fw : NULL, st);
	if (before)
		audit_nftrace_collect(before->trace, st);
	err = feed_state(fd, st);
	audit_free(st);
	return err;
}

/* What these observers could not see, for the verdicts to weigh. */
static struct evidence_gaps gaps_of(const struct observers *o, const struct trace_target *tg)
{
	return (struct evidence_gaps){ .no_nf = !o->have_nf || o->nf_skipped, .no_reasons = !o->have_reasons,
				       .partial = tg->partial };
}

int session_report(struct feed *fd, struct observers *o, const struct trace_target *tg,
		   const struct flow *flows, int nflows, const struct probe_summary *sum,
		   struct trace_before *before, int exit_code, struct verdict *first)
{
	struct evidence_gaps gaps = gaps_of(o, tg);
	struct collector *col = &o->col;
	int err;

	col->count = keep_relevant(tg->topo, col->events, col->count);
	err = feed_trace_begin(fd, 0, &o->namer, &gaps);
	if (!err)
		err = feed_events(fd, col->events, col->count);
	feed_summary(fd, sum, flows, flows ? nflows : 0);
	if (!err)
		err = feed_audit(fd, tg, flows, nflows, before);
	if (err) {
		feed_trace_end(fd, o->lost + (uint64_t)o->col.oom, exit_code, NULL);
		return err;
	}
	return feed_trace_end(fd, o->lost + (uint64_t)o->col.oom, exit_code, first);
}

/* Hands what the ring buffer holds to the feed and forgets it: memory stays flat however long we watch. */
static void pass_on(struct feed *fd, struct observers *o, const struct topo *t)
{
	o->col.count = keep_relevant(t, o->col.events, o->col.count);
	if (o->col.count)
		feed_events(fd, o->col.events, o->col.count);
	o->col.count = 0;
}

int session_passive(struct feed *fd, struct observers *o, const struct trace_target *tg,
		    struct trace_before *before, int duration_ms)
{
	struct evidence_gaps gaps = gaps_of(o, tg);
	uint64_t start = monotonic_ns();
	int verdicts, err;

	err = feed_trace_begin(fd, 1, &o->namer, &gaps);
	if (err)
		return 3;
	while (!*o->stop && (!duration_ms || monotonic_ns() - start < (uint64_t)duration_ms * 1000000ull)) {
		/* The programs wake us when the ring fills; otherwise a tick every PASSIVE_TICK_MS. */
		collector_wait(&o->col, PASSIVE_TICK_MS);
		observers_nf_tick(o);
		pass_on(fd, o, tg->topo);
		feed_tick(fd, monotonic_ns());
	}
	/* What is on its way when we stop: the replies to the last requests seen. */
	collector_wait(&o->col, PASSIVE_SETTLE_MS);
	observers_stop(o);
	pass_on(fd, o, tg->topo);
	feed_summary(fd, NULL, NULL, 0);
	err = feed_audit(fd, tg, NULL, 0, before);
	verdicts = feed_trace_end(fd, o->lost + (uint64_t)o->col.oom, -1, NULL);
	if (err || verdicts < 0)
		return 3;
	return fd->exit_code;
}
