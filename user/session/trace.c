// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/diagnose.h"
#include "analysis/flows.h"
#include "audit/audit.h"
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

int session_report(const struct observers *o, const struct trace_target *tg,
		   const struct flow *flows, int nflows, const struct probe_summary *sum,
		   struct verdict *first)
{
	const struct topo *t = tg->topo;
	struct ns_state *ns = calloc(tg->nns ? tg->nns : 1, sizeof(*ns));
	struct link_state *links = calloc(t->n ? t->n : 1, sizeof(*links));
	struct flow derived[MAX_PASSIVE_FLOWS];
	struct packet_list pl = {};
	struct verdict *v = malloc(sizeof(*v));
	int verdicts = 0, err = 0;

	if (!ns || !links || !v || path_group(o->col.events, o->col.count, &pl)) {
		err = -ENOMEM;
		goto out;
	}
	path_walk_all(t, o->col.events, &pl);
	report_observed(stdout, &(struct observed){ .topo = t, .ev = o->col.events, .nev = o->col.count,
						    .pl = &pl, .nm = &o->namer, .sum = sum,
						    .lost = o->lost + o->col.oom });
	err = audit_read(tg->ns, tg->nns, t, ns, links);
	if (err)
		goto out;
	if (!flows) {
		nflows = flows_from_packets(t, &pl, derived, MAX_PASSIVE_FLOWS);
		flows = derived;
	}
	for (int i = 0; i < nflows; i++) {
		struct evidence e = {
			.topo = t, .links = links, .ns = ns, .nns = tg->nns,
			.ev = o->col.events, .nev = o->col.count, .pl = &pl, .nm = &o->namer,
			.flow = flows[i],
		};

		if (!diagnose(&e, v)) {
			if (i == 0)
				print_notes(&e);
			continue;
		}
		if (!verdicts && first)
			*first = *v;
		verdicts++;
		print_verdict(stdout, v);
	}
out:
	packet_list_free(&pl);
	free(ns);
	free(links);
	free(v);
	return err ? err : verdicts;
}
