// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/diagnose.h"
#include "analysis/flows.h"
#include "analysis/plan.h"
#include "audit/audit.h"
#include "report/audit.h"
#include "report/report.h"
#include "report/verdict.h"
#include "session/trace.h"

#define MAX_PASSIVE_FLOWS 64

static void print_notes(const struct evidence *e)
{
	char notes[4][NOTE_MAX];
	int n = diagnose_notes(e, notes, 4);

	for (int k = 0; k < n; k++)
		printf("%s\n", notes[k]);
}

/* --explain: the facts behind the verdict, on the way diagnose() planned. */
static void explain_audit(const struct evidence *in)
{
	struct evidence e = *in;
	struct plan plan;

	plan_make(&e, &plan);
	e.plan = &plan;
	report_audit(stdout, &e);
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

struct trace_before *session_before(const struct trace_target *tg)
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
			printf("nftrace: %d namespace(s) with nftables chains that can drop traced by nftables itself "
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

int session_report(const struct observers *o, const struct trace_target *tg,
		   const struct flow *flows, int nflows, const struct probe_summary *sum,
		   struct trace_before *before, struct verdict *first)
{
	const struct topo *t = tg->topo;
	struct flow derived[MAX_PASSIVE_FLOWS];
	struct audit_request rq;
	struct packet_list pl = {};
	struct verdict *v = malloc(sizeof(*v));
	struct state *st = NULL;
	int verdicts = 0, err = 0;

	if (!v || path_group(o->col.events, o->col.count, &pl)) {
		err = -ENOMEM;
		goto out;
	}
	path_walk_all(t, o->col.events, &pl);
	report_observed(stdout, &(struct observed){ .topo = t, .ev = o->col.events, .nev = o->col.count,
						    .pl = &pl, .nm = &o->namer, .sum = sum,
						    .lost = o->lost + o->col.oom });
	if (!flows) {
		nflows = flows_from_packets(t, &pl, derived, MAX_PASSIVE_FLOWS);
		flows = derived;
	}
	rq = audit_request(tg, flows, nflows);
	st = audit_read(&rq);
	if (!st) {
		err = -ENOMEM;
		goto out;
	}
	audit_merge_counters(before ? before->fw : NULL, st);
	if (before)
		audit_nftrace_collect(before->trace, st);
	for (int i = 0; i < nflows; i++) {
		struct evidence e = {
			.topo = t, .st = st, .links = st->links, .ns = st->ns, .nns = st->nns,
			.ev = o->col.events, .nev = o->col.count, .pl = &pl, .nm = &o->namer,
			.flow = flows[i],
			.gaps = { .lost = o->lost + o->col.oom, .no_nf = !o->have_nf || o->nf_skipped,
				  .no_reasons = !o->have_reasons, .partial = tg->partial },
		};

		if (!diagnose(&e, v)) {
			if (i == 0)
				print_notes(&e);
		} else {
			if (!verdicts && first)
				*first = *v;
			verdicts++;
			print_verdict(stdout, v);
		}
		if (tg->explain)
			explain_audit(&e);
	}
out:
	packet_list_free(&pl);
	audit_free(st);
	free(v);
	return err ? err : verdicts;
}
