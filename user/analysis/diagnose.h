/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Diagnosis rules (pure): from recorded events and state facts, name the
 * root cause of a failed probe flow, the evidence that proves it, and the
 * fix. Never guesses: when the evidence is not conclusive the verdict says
 * what is known and what is not.
 */
#ifndef NSTRACE_ANALYSIS_DIAGNOSE_H
#define NSTRACE_ANALYSIS_DIAGNOSE_H

#include "analysis/path.h"
#include "model/flow.h"
#include "model/names.h"
#include "model/state.h"
#include "model/verdict.h"

struct plan;

/* What the observers could not give this trace: the verdict must not lean on it. */
struct evidence_gaps {
	uint64_t lost;		/* events the ring buffer could not hold */
	int no_nf;		/* no netfilter hook edges (program type refused, or skipped) */
	int no_reasons;		/* drops carry no reason (kernels before 5.17) */
	int partial;		/* only some links observed (--interface, --namespace) */
};

struct evidence {
	const struct topo *topo;
	const struct state *st;			/* every fact the audit read; NULL: none */
	const struct link_state *links;		/* topo->n entries (st->links when st is set) */
	const struct ns_state *ns;		/* st->ns */
	int nns;
	const struct nstrace_event *ev;
	int nev;
	const struct packet_list *pl;
	const struct namer *nm;
	struct flow flow;
	struct evidence_gaps gaps;
	const struct plan *plan;		/* filled by diagnose() itself */
};

#define NOTE_MAX 240

/* 0: no verdict (every probe answered); 1: *v filled. */
int diagnose(const struct evidence *e, struct verdict *v);
/*
 * Facts that do not break anything now but would under another setting
 * (FORWARD DROP while br_netfilter is off). Returns how many lines.
 */
int diagnose_notes(const struct evidence *e, char lines[][NOTE_MAX], int max);

#endif
