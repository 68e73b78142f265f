// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/diagnose.h"
#include "analysis/flows.h"
#include "analysis/plan.h"
#include "report/audit.h"
#include "report/dot.h"
#include "report/explain.h"
#include "report/json.h"
#include "report/output.h"
#include "report/verdict.h"
#include "report/feed.h"
#include "report/feed_internal.h"

#define MAX_PROBE_FLOWS 64

void feed_init(struct feed *f)
{
	memset(f, 0, sizeof(*f));
	f->tx.width = TEXT_WIDTH;
}

void feed_start(struct feed *f, const char *command, const char *version, const char *kernel)
{
	if (f->json)
		json_start(f->json, command, version, kernel);
}

/* A line longer than the width wraps under itself; anything else is printed as it is. */
static void say_text(struct textout *tx, char *text)
{
	size_t n = strlen(text);
	char *nl = strchr(text, '\n');

	if (!tx->width || (nl && nl != text + n - 1) || tx_columns(tx, text) <= tx->width + 1) {
		fputs(text, tx->f);
		return;
	}
	if (nl)
		*nl = '\0';
	tx_wrap(tx, "", "    ", text);
}

void feed_say(struct feed *f, int level, const char *fmt, ...)
{
	char text[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (f->rec)
		rec_text(f->rec, level, text);
	if (f->tx.f && (!f->tx.quiet || (level & FEED_ALWAYS))) {
		if (level & FEED_VERBATIM)
			fputs(text, f->tx.f);
		else
			say_text(&f->tx, text);
	}
	if (f->json)
		json_message(f->json, text);
}

void feed_topology(struct feed *f, const struct topo *t, const struct ns_ref *nss, int nns,
		   const struct netview *net)
{
	f->topo = t;
	f->nss = nss;
	f->nns = nns;
	f->net = net;
	if (f->rec)
		rec_topology(f->rec, t, nss, nns, net);
	if (f->tx.f)
		print_topology(&f->tx, t, net);
	if (f->json)
		json_topology(f->json, t, nss, nns, net);
}

static int evbuf_add(struct evbuf *b, const struct nstrace_event *e)
{
	if (b->n == b->cap) {
		int cap = b->cap ? b->cap * 2 : 256;
		struct nstrace_event *p = realloc(b->ev, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		b->ev = p;
		b->cap = cap;
	}
	b->ev[b->n++] = *e;
	return 0;
}

static void end_trace_state(struct feed *f)
{
	free(f->ev.ev);
	free(f->learn.ev);
	free(f->flows);
	state_free(f->st);
	free(f->kept);
	stream_free(f->stream);
	tally_free(&f->tally);
	memset(&f->ev, 0, sizeof(f->ev));
	memset(&f->learn, 0, sizeof(f->learn));
	f->flows = NULL, f->st = NULL, f->kept = NULL, f->stream = NULL;
	f->nflows = f->has_sum = f->in_trace = 0;
	memset(&f->gaps, 0, sizeof(f->gaps));
}

int feed_trace_begin(struct feed *f, int passive, const struct namer *nm, const struct evidence_gaps *gaps)
{
	end_trace_state(f);
	f->in_trace = 1;
	if (gaps)
		f->gaps = *gaps;
	f->passive = passive;
	f->nm = nm;
	f->npackets = 0;
	f->event_ids = 0;
	f->base_ns = f->last_ns = 0;
	f->tx.nsaid = 0;
	if (f->rec)
		rec_trace_begin(f->rec, passive, &f->gaps);
	if (passive) {
		f->stream = stream_new(f->topo);
		f->kept = calloc(2, sizeof(*f->kept));
		tally_init(&f->tally);
		if (!f->stream || !f->kept)
			return -ENOMEM;
	}
	return 0;
}

int feed_events(struct feed *f, const struct nstrace_event *ev, int n)
{
	int err = 0;

	if (f->rec)
		rec_events(f->rec, ev, n, f->nm);
	for (int i = 0; i < n; i++) {
		int learn = ev[i].source == NSTRACE_SRC_FDB || ev[i].source == NSTRACE_SRC_NEIGH;

		if (!f->base_ns || ev[i].ts_ns < f->base_ns)
			f->base_ns = ev[i].ts_ns;
		if (ev[i].ts_ns > f->last_ns)
			f->last_ns = ev[i].ts_ns;
		if (learn && f->passive) {
			feed_learn_live(f, &ev[i]);
			continue;
		}
		if (learn || !f->passive)
			err |= evbuf_add(learn ? &f->learn : &f->ev, &ev[i]);
	}
	if (f->passive && stream_add(f->stream, ev, n))
		err = -ENOMEM;
	return err ? -ENOMEM : 0;
}

void feed_tick(struct feed *f, uint64_t now_ns)
{
	/* Only a tick that may hand out a packet matters to a replay: a day of quiet costs nothing. */
	if (f->rec && (!f->passive || !f->stream || stream_open(f->stream)))
		rec_tick(f->rec, now_ns);
	if (f->passive && f->stream && stream_flush(f->stream, now_ns, 0, feed_emit_packet, f) > 0) {
		/* Out now, not when a buffer fills: someone is watching (or piping to jq). */
		if (f->tx.f)
			fflush(f->tx.f);
		if (f->json)
			fflush(f->json);
	}
}

void feed_summary(struct feed *f, const struct probe_summary *sum, const struct flow *flows, int nflows)
{
	if (f->rec)
		rec_summary(f->rec, sum, flows, nflows);
	f->has_sum = sum != NULL;
	if (sum)
		f->sum = *sum;
	free(f->flows);
	f->flows = NULL;
	f->nflows = 0;
	if (flows && nflows > 0 && (f->flows = malloc(nflows * sizeof(*flows)))) {
		memcpy(f->flows, flows, nflows * sizeof(*flows));
		f->nflows = nflows;
	}
}

int feed_flows(struct feed *f, struct flow *out, int max)
{
	int n = 0;

	if (!f->passive) {
		n = f->nflows < max ? f->nflows : max;
		memcpy(out, f->flows, n * sizeof(*out));
		return n;
	}
	if (f->stream)
		stream_flush(f->stream, 0, 1, feed_emit_packet, f);
	for (int i = 0; n < max && !tally_flow(&f->tally, i, &out[n]); i++)
		n++;
	return n;
}

int feed_state(struct feed *f, const struct state *st)
{
	if (f->rec)
		rec_state(f->rec, st);
	state_free(f->st);
	f->st = state_copy(st);
	return f->st ? 0 : -ENOMEM;
}

/* The trace as the report functions see it. */
void feed_observed(const struct feed *f, struct observed *o, const struct packet_list *pl)
{
	*o = (struct observed){
		.topo = f->topo, .nss = f->nss, .nns = f->nns, .net = f->net,
		.ev = f->ev.ev, .nev = f->ev.n, .learn = f->learn.ev, .nlearn = f->learn.n,
		.pl = pl, .nm = f->nm, .sum = f->has_sum ? &f->sum : NULL,
		.clock_offset_ns = f->clock_offset_ns,
	};
}

static int by_time(const void *a, const void *b)
{
	const struct nstrace_event *x = a, *y = b;

	return x->ts_ns < y->ts_ns ? -1 : x->ts_ns > y->ts_ns;
}

/* The evidence one flow is judged on: the trace's events, the state read, what could not be seen. */
void feed_evidence(const struct feed *f, const struct observed *o, const struct flow *fl, struct evidence *e)
{
	*e = (struct evidence){
		.topo = o->topo, .st = f->st, .links = f->st->links, .ns = f->st->ns, .nns = f->st->nns,
		.ev = o->ev, .nev = o->nev, .pl = o->pl, .nm = o->nm, .flow = *fl, .gaps = f->gaps,
	};
}

/* Judges each flow that lost probes; prints notes for a healthy first flow. */
int feed_verdicts(struct feed *f, const struct observed *o, const struct flow *flows, int nflows,
		  struct verdict *first)
{
	struct verdict *v = malloc(sizeof(*v));
	int verdicts = 0;

	if (!v)
		return -ENOMEM;
	for (int i = 0; i < nflows; i++) {
		struct evidence e;

		if (!f->st || !f->st->links)
			break;	/* no state read: nothing to judge on */
		feed_evidence(f, o, &flows[i], &e);
		if (!diagnose(&e, v)) {
			if (i == 0)
				feed_notes(f, &e);
			continue;
		}
		if (!verdicts && first)
			*first = *v;
		verdicts++;
		if (f->tx.f)
			print_verdict_tx(&f->tx, v);
		if (f->json)
			json_verdict(f->json, o, &flows[i], v, f->st);
	}
	free(v);
	return verdicts;
}

/* --explain: per flow, what was read on the way diagnose() plans, and what passed. */
void feed_explain_audit(struct feed *f, const struct observed *o, const struct flow *flows, int nflows)
{
	if (!f->tx.f || !f->tx.explain || f->tx.quiet || !f->st || !f->st->links)
		return;
	for (int i = 0; i < nflows; i++) {
		struct evidence e;
		struct plan plan;

		feed_evidence(f, o, &flows[i], &e);
		plan_make(&e, &plan);
		e.plan = &plan;
		report_audit(f->tx.f, &e);
	}
}

static int probe_trace_end(struct feed *f, uint64_t lost, int exit_code, struct verdict *first)
{
	struct packet_list pl = {};
	struct flow derived[MAX_PROBE_FLOWS];
	const struct flow *flows = f->flows;
	struct observed o;
	int nflows = f->nflows, verdicts;

	if (f->ev.n)
		qsort(f->ev.ev, f->ev.n, sizeof(*f->ev.ev), by_time);
	if (f->learn.n)
		qsort(f->learn.ev, f->learn.n, sizeof(*f->learn.ev), by_time);
	if (path_group(f->ev.ev, f->ev.n, &pl))
		return -ENOMEM;
	path_walk_all(f->topo, f->ev.ev, &pl);
	feed_observed(f, &o, &pl);
	o.lost = lost;
	if (!flows) {
		nflows = flows_from_packets(f->topo, &pl, derived, MAX_PROBE_FLOWS);
		flows = derived;
	}
	if (f->tx.f)
		report_observed(&f->tx, &o);
	feed_json_trace(f, &o);
	feed_pcap_trace(f, &o);
	verdicts = feed_verdicts(f, &o, flows, nflows, first);
	if (verdicts >= 0 && exit_code < 0)
		exit_code = verdicts ? 1 : 0;
	if (f->tx.f && f->tx.explain && !f->tx.quiet && f->st)
		explain_narrate(&f->tx, &o, f->st->ns, f->st->nns, f->st->links);
	feed_explain_audit(f, &o, flows, nflows);
	feed_dot_trace(f, &o, flows, nflows);
	feed_json_summary(f, &o, verdicts, exit_code);
	packet_list_free(&pl);
	f->exit_code = exit_code;
	return verdicts;
}

int feed_trace_end(struct feed *f, uint64_t lost, int exit_code, struct verdict *first)
{
	int ret;

	if (f->rec)
		rec_trace_end(f->rec, lost, exit_code < 0 ? -1 : exit_code);
	if (!f->in_trace)
		return -EINVAL;
	f->gaps.lost = lost;
	ret = f->passive ? feed_passive_end(f, lost, exit_code, first) : probe_trace_end(f, lost, exit_code, first);
	f->traces++;
	end_trace_state(f);
	return ret;
}

void feed_exit(struct feed *f, int exit_code)
{
	if (f->rec)
		rec_exit(f->rec, exit_code);
}

void feed_free(struct feed *f)
{
	end_trace_state(f);
}
