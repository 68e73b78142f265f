/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * After a trace: the state audited, the events analysed, the verdicts and
 * the report printed. run and trace share it.
 */
#ifndef NSTRACE_SESSION_TRACE_H
#define NSTRACE_SESSION_TRACE_H

#include "model/flow.h"
#include "model/state.h"
#include "model/topo.h"
#include "model/verdict.h"
#include "observe/observers.h"

/* What was traced: the topology and the namespaces that hold it. */
struct trace_target {
	const struct topo *topo;
	const struct ns_handle *ns;
	int nns;
	int explain;		/* --explain: the audit behind each flow, per object on its way */
	int nftrace;		/* let nftables' own trace name the rule (nstrace's labs; --nftrace elsewhere) */
	int partial;		/* only some of the topology's links observed (--interface, --namespace) */
};

/* What the session read before the probes: the firewalls' counters, and nftables' trace if asked. */
struct trace_before;

/*
 * The firewalls' counters now, before the probes: with the counters after,
 * the report can name the rule that dropped them. NULL if it cannot be read.
 */
struct trace_before *session_before(const struct trace_target *tg);
void session_before_free(struct trace_before *before);
/*
 * Prints every packet, the probe summary (when sum), the drops and, for each
 * flow that lost probes, its verdict. flows NULL: derive them from the echo
 * requests seen (passive mode). before: session_before's snapshot, or NULL.
 * Returns the number of verdicts printed, or -errno.
 */
int session_report(const struct observers *o, const struct trace_target *tg,
		   const struct flow *flows, int nflows, const struct probe_summary *sum,
		   struct trace_before *before, struct verdict *first);

#endif
