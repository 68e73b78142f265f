/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The text report of a trace: pure printing of what analysis made of the events. */
#ifndef NSTRACE_REPORT_REPORT_H
#define NSTRACE_REPORT_REPORT_H

#include <stdio.h>
#include "analysis/path.h"
#include "model/flow.h"
#include "model/names.h"

struct observed {
	const struct topo *topo;
	const struct nstrace_event *ev;
	int nev;
	const struct packet_list *pl;
	const struct namer *nm;
	const struct probe_summary *sum;	/* NULL in passive mode */
	uint64_t lost;				/* events the ring buffer could not hold */
};

/* Every packet with its hops and path, the probe summary, the drops, the event count. */
void report_observed(FILE *f, const struct observed *o);

#endif
