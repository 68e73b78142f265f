// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/audit.h"
#include "session/trace.h"

/* How often passive mode reads the ring buffer and prints what finished. */
#define PASSIVE_TICK_MS 100

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

/* Reads the state and hands it to the feed; a namespace that cannot be entered leaves no state. */
static int feed_audit(struct feed *fd, const struct trace_target *tg)
{
	const struct topo *t = tg->topo;
	struct ns_state *ns = calloc(tg->nns ? tg->nns : 1, sizeof(*ns));
	struct link_state *links = calloc(t->n ? t->n : 1, sizeof(*links));
	int err = ns && links ? audit_read(tg->ns, tg->nns, t, ns, links) : -ENOMEM;

	if (!err)
		err = feed_state(fd, ns, tg->nns, links, t->n);
	free(ns);
	free(links);
	return err;
}

int session_report(struct feed *fd, struct observers *o, const struct trace_target *tg,
		   const struct flow *flows, int nflows, const struct probe_summary *sum, int exit_code,
		   struct verdict *first)
{
	struct collector *col = &o->col;
	int err;

	col->count = keep_relevant(tg->topo, col->events, col->count);
	err = feed_trace_begin(fd, 0, &o->namer);
	if (!err)
		err = feed_events(fd, col->events, col->count);
	feed_summary(fd, sum, flows, flows ? nflows : 0);
	if (!err)
		err = feed_audit(fd, tg);
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

int session_passive(struct feed *fd, struct observers *o, const struct trace_target *tg, int duration_ms)
{
	uint64_t start = monotonic_ns();
	int verdicts, err;

	err = feed_trace_begin(fd, 1, &o->namer);
	if (err)
		return 3;
	while (!*o->stop && (!duration_ms || monotonic_ns() - start < (uint64_t)duration_ms * 1000000ull)) {
		sleep_ms(PASSIVE_TICK_MS);
		collector_drain(&o->col);
		pass_on(fd, o, tg->topo);
		feed_tick(fd, monotonic_ns());
	}
	observers_stop(o);
	pass_on(fd, o, tg->topo);
	feed_summary(fd, NULL, NULL, 0);
	err = feed_audit(fd, tg);
	verdicts = feed_trace_end(fd, o->lost + (uint64_t)o->col.oom, -1, NULL);
	if (err || verdicts < 0)
		return 3;
	return fd->exit_code;
}
