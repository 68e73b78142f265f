/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Text output of a trace (pure: formats recorded events and facts). */
#ifndef NSTRACE_REPORT_OUTPUT_H
#define NSTRACE_REPORT_OUTPUT_H

#include <stdio.h>
#include "analysis/path.h"
#include "model/flow.h"
#include "model/names.h"

void print_topology(FILE *f, const struct topo *t);
/* Every packet: its hops with relative times, then its path. */
void print_packets(FILE *f, const struct topo *t, const struct nstrace_event *ev,
		   const struct packet_list *pl, const struct namer *nm);
/* Every drop, benign ones marked with why they are ignored; returns the count that matter. */
int print_drops(FILE *f, const struct topo *t, const struct nstrace_event *ev, int nev,
		const struct namer *nm);
void print_probe_summary(FILE *f, const struct probe_summary *s);

#endif
