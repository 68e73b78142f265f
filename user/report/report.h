/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One trace as every output sees it: what was traced (topology, namespaces,
 * the links read at the start), what the observers saw (events grouped into
 * packets and walked), the kernel's names for drops, and the probes' result.
 * Pure data, the same live and replayed from a record.
 */
#ifndef NSTRACE_REPORT_REPORT_H
#define NSTRACE_REPORT_REPORT_H

#include <stdio.h>
#include "analysis/path.h"
#include "model/flow.h"
#include "model/names.h"
#include "model/netview.h"
#include "report/text.h"

struct observed {
	const struct topo *topo;
	const struct ns_ref *nss;		/* the traced namespaces, NULL if unknown */
	int nns;
	const struct netview *net;		/* may be NULL */
	const struct nstrace_event *ev;		/* packet events (tc, drop, netfilter), by time */
	int nev;
	const struct nstrace_event *learn;	/* FDB and neighbour events, by time */
	int nlearn;
	const struct packet_list *pl;
	const struct namer *nm;
	const struct probe_summary *sum;	/* NULL in passive mode */
	uint64_t lost;				/* events the ring buffer could not hold */
	int64_t clock_offset_ns;		/* CLOCK_REALTIME - CLOCK_MONOTONIC when traced */
};

/* Every packet with its hops and path (not with --quiet), the probe summary, the drops, the event count. */
void report_observed(struct textout *tx, const struct observed *o);

#endif
